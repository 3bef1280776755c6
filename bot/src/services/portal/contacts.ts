// Recorded contact lives in the lifecycle feature's `contacts` collection (ports/lifecycle.ts), so a note made in
// the portal is an input to the entry's review, is purged with the entry's details and is in a subject access
// export. This is the portal's narrow view of that collection.
import type { Collection, ContactRecord } from "../../ports/lifecycle";
import type { ContactNoteStore } from "../../ports/portal";

export function contactsFromCollection(collection: Collection<ContactRecord>): ContactNoteStore {
  return {
    add: (note) => collection.create(note),
    async listByEntry(entryId) {
      const notes = await collection.find({ entryId });
      return notes.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
  };
}
