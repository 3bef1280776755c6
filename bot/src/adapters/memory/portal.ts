// In-memory access grants and recorded contact: same keys, limits, copies and errors as the table stores
// (bot/src/adapters/tables/portal.ts), for unit tests, `startTestApp()` and a memory-backed server.
import type { AccessGrant } from "../../../../core/src/domain";
import type { AccessGrantStore, ContactNoteStore, PortalStores, RecordedContact } from "../../ports/portal";
import { byGrantedAt, contactRowKey } from "../tables/portal";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryAccessGrantStore implements AccessGrantStore {
  private readonly records = new MemoryRecords<AccessGrant>("access grant");

  async get(id: string): Promise<AccessGrant | undefined> {
    return Promise.resolve(this.records.read(keyPart("access grant", id)));
  }

  async create(grant: AccessGrant): Promise<AccessGrant> {
    return Promise.resolve(this.records.create(keyPart("access grant", grant.id), grant.id, grant));
  }

  async update(grant: AccessGrant): Promise<AccessGrant> {
    return Promise.resolve(this.records.replace(keyPart("access grant", grant.id), grant.id, grant, grant.etag));
  }

  async list(): Promise<AccessGrant[]> {
    return Promise.resolve(this.records.list().sort(byGrantedAt));
  }
}

export class MemoryContactNoteStore implements ContactNoteStore {
  private readonly records = new MemoryRecords<RecordedContact>("contact note");

  async add(note: RecordedContact): Promise<RecordedContact> {
    const key = `${keyPart("register entry", note.entryId)}/${contactRowKey(note)}`;
    const { etag: _etag, ...stored } = this.records.create(key, note.id, note);
    return Promise.resolve(stored);
  }

  async listByEntry(entryId: string): Promise<RecordedContact[]> {
    return Promise.resolve(this.records.list(`${keyPart("register entry", entryId)}/`).map(({ etag: _etag, ...note }) => note));
  }
}

export function createMemoryPortalStores(): PortalStores {
  return { grants: new MemoryAccessGrantStore(), contacts: new MemoryContactNoteStore() };
}
