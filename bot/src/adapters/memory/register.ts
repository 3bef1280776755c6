// In-memory RegisterStore: same keys, limits, copies and errors as TableRegisterStore (tests/contract).
import type { IsoDate, RegisterEntry } from "../../../../core/src/domain";
import type { RegisterStore } from "../../ports/stores";
import { assertEntryKeys, assertIsoDate, keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

const CURSOR_PREFIX = "memory:";

export class MemoryRegisterStore implements RegisterStore {
  private readonly records = new MemoryRecords<RegisterEntry>("register entry");
  /** The change feed: one row per markChanged, in order. */
  private readonly changes: string[] = [];

  async get(id: string): Promise<RegisterEntry | undefined> {
    return Promise.resolve(this.records.read(keyPart("register entry", id)));
  }

  async listBySubject(subjectId: string): Promise<RegisterEntry[]> {
    keyPart("subject", subjectId);
    return Promise.resolve(this.records.list("", (e) => e.subjectId === subjectId));
  }

  async create(entry: RegisterEntry): Promise<RegisterEntry> {
    assertEntryKeys(entry);
    return Promise.resolve(this.records.create(keyPart("register entry", entry.id), entry.id, entry));
  }

  async update(entry: RegisterEntry): Promise<RegisterEntry> {
    assertEntryKeys(entry);
    return Promise.resolve(this.records.replace(keyPart("register entry", entry.id), entry.id, entry, entry.etag));
  }

  async *listCurrent(): AsyncIterable<RegisterEntry> {
    for (const entry of this.records.list("", (e) => e.status !== "removed")) {
      await Promise.resolve();
      yield entry;
    }
  }

  async listDueForReview(onOrBefore: IsoDate): Promise<RegisterEntry[]> {
    assertIsoDate("The review date", onOrBefore);
    const due = this.records.list("", (e) => e.status !== "removed" && e.nextReviewOn !== undefined && e.nextReviewOn <= onOrBefore);
    // The table lists the due index, ordered by review date, then entry id.
    due.sort((a, b) => (a.nextReviewOn! < b.nextReviewOn! ? -1 : a.nextReviewOn! > b.nextReviewOn! ? 1 : 0));
    return Promise.resolve(due);
  }

  async changesSince(cursor: string | undefined): Promise<{ subjectIds: string[]; cursor: string }> {
    const end = this.changes.length;
    if (cursor === undefined) return Promise.resolve({ subjectIds: [], cursor: CURSOR_PREFIX + end });
    const start = Number(cursor.startsWith(CURSOR_PREFIX) ? cursor.slice(CURSOR_PREFIX.length) : NaN);
    if (!Number.isInteger(start) || start < 0 || start > end) {
      throw new TypeError("The change-feed cursor was not made by this store. Start again with changesSince(undefined) after a full reload.");
    }
    const subjectIds = [...new Set(this.changes.slice(start))];
    return Promise.resolve({ subjectIds, cursor: CURSOR_PREFIX + end });
  }

  async markChanged(subjectId: string, at: string): Promise<void> {
    keyPart("subject", subjectId);
    if (Number.isNaN(Date.parse(at))) throw new TypeError(`markChanged needs an ISO 8601 instant, got "${at}".`);
    this.changes.push(subjectId);
    return Promise.resolve();
  }

  async delete(id: string): Promise<void> {
    this.records.delete(keyPart("register entry", id));
    return Promise.resolve();
  }
}
