// The register's change feed (RegisterStore.markChanged / changesSince): how every server instance keeps
// its in-memory lookup index fresh by polling, one cheap query a poll (docs/storage.md "Change feed").
//
// Table `<prefix>Changes`: PartitionKey = the UTC hour the change was recorded (`2026112313`),
// RowKey = `<epoch ms, 15 digits>|<subjectId>`. A poll is one range query from (cursor time - overlap):
// `PartitionKey ge <hour of that time> and RowKey ge <that time>`, so crossing an hour boundary needs
// nothing special. Rows are ordered by the recording instance's clock; clocks of instances differ and a
// write lands a little after its timestamp, so each poll re-reads an overlap window (default 5 s) and the
// cursor carries the row keys already delivered from that window, to drop repeats.
// Re-delivering a subject is harmless (the reader refreshes it); missing one is not, so every doubt
// resolves towards delivering again.
import { odata } from "@azure/data-tables";
import type { StoreErrorContext } from "./errors";
import type { TableGateway } from "./gateway";
import { keyPart } from "./keys";

export interface ChangeFeedOptions {
  /** How far back each poll looks past its cursor: covers clock skew between instances plus write latency.
   * Default 5000 ms. */
  overlapMs?: number;
  /** The recording clock (tests move it across an hour boundary). Default: the system clock. */
  clock?: () => Date;
}

const CURSOR_PREFIX = "cf1.";
/** Row keys remembered in a cursor; past this only the newest are kept, so the oldest may be re-delivered. */
const MAX_SEEN = 1000;

interface Cursor {
  /** Watermark: epoch ms up to which rows have been delivered. */
  t: number;
  /** Row keys already delivered with time >= t - overlap. */
  seen: string[];
}

export function hourBucket(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13).replace(/[-T]/g, "");
}

function msKey(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(15, "0");
}

function encodeCursor(c: Cursor): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(cursor: string): Cursor {
  const bad = () => new TypeError("The change-feed cursor was not made by this store. Start again with changesSince(undefined) after a full reload.");
  if (!cursor.startsWith(CURSOR_PREFIX)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), "base64url").toString("utf8"));
  } catch (err) {
    throw Object.assign(bad(), { cause: err });
  }
  const c = parsed as Partial<Cursor> | null;
  if (!c || typeof c.t !== "number" || !Array.isArray(c.seen) || !c.seen.every((s) => typeof s === "string")) throw bad();
  return { t: c.t, seen: c.seen };
}

interface ChangeRow {
  rowKey: string;
  ms: number;
  subjectId: string;
}

export class TableChangeFeed {
  private readonly overlapMs: number;
  private readonly clock: () => Date;

  constructor(private readonly table: TableGateway, options: ChangeFeedOptions = {}) {
    this.overlapMs = options.overlapMs ?? 5000;
    this.clock = options.clock ?? (() => new Date());
  }

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `register.${operation}`, entity: "change", id };
  }

  /** Records a change, stamped with this instance's clock (not `at`, which may be the business time of an
   * older write: the feed orders by when the change was recorded). Idempotent per subject and millisecond. */
  async markChanged(subjectId: string, at: string): Promise<void> {
    const key = keyPart("subject", subjectId);
    if (Number.isNaN(Date.parse(at))) throw new TypeError(`markChanged needs an ISO 8601 instant, got "${at}".`);
    const ms = this.clock().getTime();
    await this.table.upsert({ partitionKey: hourBucket(ms), rowKey: `${msKey(ms)}|${key}`, subjectId, at }, this.ctx("markChanged", subjectId));
  }

  async changesSince(cursor: string | undefined): Promise<{ subjectIds: string[]; cursor: string }> {
    const now = this.clock().getTime();
    if (cursor === undefined) {
      // "From now": remember what is already in the overlap window so the next poll does not return it.
      const rows = await this.scan(now - this.overlapMs);
      return { subjectIds: [], cursor: encodeCursor(this.advance(now, rows)) };
    }
    const previous = decodeCursor(cursor);
    const rows = await this.scan(previous.t - this.overlapMs);
    const seen = new Set(previous.seen);
    const subjectIds: string[] = [];
    for (const row of rows) {
      if (!seen.has(row.rowKey) && !subjectIds.includes(row.subjectId)) subjectIds.push(row.subjectId);
    }
    // The watermark never passes this reader's own clock: one instance with a clock far ahead must not
    // push it past rows that correct clocks are still writing.
    const newest = rows.reduce((max, r) => Math.max(max, r.ms), previous.t);
    return { subjectIds, cursor: encodeCursor(this.advance(Math.max(previous.t, Math.min(newest, now)), rows)) };
  }

  /** Deletes change rows recorded in hours wholly before `before` (a housekeeping job; readers whose cursor
   * is older than that should reload in full). Returns how many rows it deleted. */
  async prune(before: Date): Promise<number> {
    const filter = odata`PartitionKey lt ${hourBucket(before.getTime())}`;
    let deleted = 0;
    const ctx = this.ctx("pruneChanges", hourBucket(before.getTime()));
    const keys: { pk: string; rk: string }[] = [];
    for await (const row of this.table.query(filter, ctx, ["PartitionKey", "RowKey"])) {
      if (row.partitionKey !== undefined && row.rowKey !== undefined) keys.push({ pk: row.partitionKey, rk: row.rowKey });
    }
    for (const { pk, rk } of keys) {
      await this.table.delete(pk, rk, ctx);
      deleted += 1;
    }
    return deleted;
  }

  private advance(t: number, rows: ChangeRow[]): Cursor {
    const seen = rows.filter((r) => r.ms >= t - this.overlapMs).map((r) => r.rowKey);
    return { t, seen: seen.slice(-MAX_SEEN) };
  }

  /** Every change row recorded at or after `fromMs`, in time order. One query (paged if large). */
  private async scan(fromMs: number): Promise<ChangeRow[]> {
    const filter = odata`PartitionKey ge ${hourBucket(Math.max(0, fromMs))} and RowKey ge ${msKey(fromMs)}`;
    const rows: ChangeRow[] = [];
    for await (const row of this.table.query(filter, this.ctx("changesSince", "*"), ["RowKey", "subjectId"])) {
      const rowKey = row.rowKey ?? "";
      const ms = Number(rowKey.slice(0, 15));
      if (typeof row.subjectId === "string" && rowKey.length > 15 && Number.isFinite(ms)) rows.push({ rowKey, ms, subjectId: row.subjectId });
    }
    // Rows come partition by partition; within the window that is already time order, but sort to be exact.
    rows.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
    return rows;
  }
}
