// The register on Azure Tables. One partition (`register`) holds every entry and its index rows, so an
// entry and its indexes change together in one transaction (docs/storage.md "Register"):
//   e|<entryId>                        the entry
//   s|<subjectId>|<entryId>            by subject (listBySubject)
//   d|<nextReviewOn>|<entryId>         due for review, for entries not removed (listDueForReview)
// A council's register is hundreds to a few thousand entries, far inside one partition's throughput;
// in exchange no reader ever sees an entry without its index or the other way round.
// The change feed (markChanged / changesSince) lives in its own table: changeFeed.ts.
import { odata } from "@azure/data-tables";
import type { IsoDate, RegisterEntry } from "../../../../core/src/domain";
import { ConcurrencyError, NotFoundError } from "../../ports/errors";
import type { RegisterStore } from "../../ports/stores";
import type { TableChangeFeed } from "./changeFeed";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { transactionOf, type StoredRow, type TableGateway } from "./gateway";
import { assertEntryKeys, assertIsoDate, keyPart, prefixEnd } from "./keys";

const PARTITION = "register";
const ENTRY_PREFIX = "e|";
/** Point reads after an index query run this many at a time. */
const READ_CONCURRENCY = 16;

export class TableRegisterStore implements RegisterStore {
  constructor(private readonly table: TableGateway, private readonly feed: TableChangeFeed) {}

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `register.${operation}`, entity: "register entry", id };
  }

  private entryRowKey(id: string): string {
    return ENTRY_PREFIX + keyPart("register entry", id);
  }

  /** The index row keys an entry should have. */
  private indexRowKeys(entry: RegisterEntry): string[] {
    const id = keyPart("register entry", entry.id);
    const keys = [`s|${keyPart("subject", entry.subjectId)}|${id}`];
    if (entry.status !== "removed" && entry.nextReviewOn !== undefined) keys.push(`d|${entry.nextReviewOn}|${id}`);
    return keys;
  }

  private decode(row: StoredRow): RegisterEntry {
    return { ...decodeRecord<RegisterEntry>(row), etag: row.etag };
  }

  async get(id: string): Promise<RegisterEntry | undefined> {
    const row = await this.table.get(PARTITION, this.entryRowKey(id), this.ctx("get", id));
    return row ? this.decode(row) : undefined;
  }

  async listBySubject(subjectId: string): Promise<RegisterEntry[]> {
    const prefix = `s|${keyPart("subject", subjectId)}|`;
    const entries = await this.readIndexed(prefix, this.ctx("listBySubject", subjectId));
    return entries.filter((e) => e.subjectId === subjectId);
  }

  async create(entry: RegisterEntry): Promise<RegisterEntry> {
    assertEntryKeys(entry);
    const ctx = this.ctx("create", entry.id);
    const props = encodeRecord("register entry", entry.id, entry);
    const [etag] = await this.table.transaction(transactionOf((t) => {
      t.createEntity({ partitionKey: PARTITION, rowKey: this.entryRowKey(entry.id), ...props });
      for (const rowKey of this.indexRowKeys(entry)) t.upsertEntity({ partitionKey: PARTITION, rowKey, entryId: entry.id }, "Replace");
    }), ctx);
    return { ...decodeRecord<RegisterEntry>(props), etag: etag ?? (await this.readEtag(entry.id, ctx)) };
  }

  async update(entry: RegisterEntry): Promise<RegisterEntry> {
    assertEntryKeys(entry);
    const ctx = this.ctx("update", entry.id);
    const expected = requireEtag("register entry", entry.id, entry.etag);
    const props = encodeRecord("register entry", entry.id, entry);
    const current = await this.table.get(PARTITION, this.entryRowKey(entry.id), ctx);
    if (!current) throw new NotFoundError("register entry", entry.id);
    if (current.etag !== expected) throw new ConcurrencyError("register entry", entry.id);
    const before = new Set(this.indexRowKeys(decodeRecord<RegisterEntry>(current)));
    const after = new Set(this.indexRowKeys(entry));
    const [etag] = await this.table.transaction(transactionOf((t) => {
      // The guarded replace first: a concurrent writer makes the whole change fail with 412, index untouched.
      t.updateEntity({ partitionKey: PARTITION, rowKey: this.entryRowKey(entry.id), ...props }, "Replace", { etag: expected });
      for (const rowKey of after) if (!before.has(rowKey)) t.upsertEntity({ partitionKey: PARTITION, rowKey, entryId: entry.id }, "Replace");
      for (const rowKey of before) if (!after.has(rowKey)) t.deleteEntity(PARTITION, rowKey);
    }), ctx);
    return { ...decodeRecord<RegisterEntry>(props), etag: etag ?? (await this.readEtag(entry.id, ctx)) };
  }

  async *listCurrent(): AsyncIterable<RegisterEntry> {
    // Removed entries stay only until purged (retention), so filtering them on the server is cheaper than
    // keeping a third index.
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${ENTRY_PREFIX} and RowKey lt ${prefixEnd(ENTRY_PREFIX)} and status ne ${"removed"}`;
    for await (const row of this.table.query(filter, this.ctx("listCurrent", "*"))) yield this.decode(row);
  }

  async listDueForReview(onOrBefore: IsoDate): Promise<RegisterEntry[]> {
    assertIsoDate("The review date", onOrBefore);
    // `d|<date>}` sorts after every `d|<date>|…` and before `d|<next date>…`: on or before the date.
    const entries = await this.readIndexed("d|", this.ctx("listDueForReview", onOrBefore), `d|${onOrBefore}}`);
    return entries.filter((e) => e.status !== "removed" && e.nextReviewOn !== undefined && e.nextReviewOn <= onOrBefore);
  }

  changesSince(cursor: string | undefined): Promise<{ subjectIds: string[]; cursor: string }> {
    return this.feed.changesSince(cursor);
  }

  markChanged(subjectId: string, at: string): Promise<void> {
    return this.feed.markChanged(subjectId, at);
  }

  /** The entry and its index rows, in one transaction. */
  async delete(id: string): Promise<void> {
    const ctx = this.ctx("delete", id);
    const current = await this.table.get(PARTITION, this.entryRowKey(id), ctx);
    if (!current) return;
    const entry = decodeRecord<RegisterEntry>(current);
    await this.table.transaction(transactionOf((t) => {
      t.deleteEntity(PARTITION, this.entryRowKey(id));
      for (const rowKey of this.indexRowKeys(entry)) t.deleteEntity(PARTITION, rowKey);
    }), ctx);
  }

  /** Entries named by the index rows in [`from`, `to`), in index order. */
  private async readIndexed(from: string, ctx: StoreErrorContext, to = prefixEnd(from)): Promise<RegisterEntry[]> {
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${from} and RowKey lt ${to}`;
    const ids: string[] = [];
    for await (const row of this.table.query(filter, ctx, ["entryId"])) {
      if (typeof row.entryId === "string") ids.push(row.entryId);
    }
    const entries: (RegisterEntry | undefined)[] = new Array<RegisterEntry | undefined>(ids.length);
    for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
      const batch = ids.slice(i, i + READ_CONCURRENCY);
      const read = await Promise.all(batch.map((id) => this.get(id)));
      read.forEach((e, j) => { entries[i + j] = e; });
    }
    return entries.filter((e): e is RegisterEntry => e !== undefined);
  }

  private async readEtag(id: string, ctx: StoreErrorContext): Promise<string> {
    const row = await this.table.get(PARTITION, this.entryRowKey(id), ctx);
    if (!row) throw new NotFoundError("register entry", id);
    return row.etag;
  }
}
