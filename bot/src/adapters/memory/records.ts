// A keyed set of records that behaves like one table: records are kept in their stored (encoded) form, so
// every read is a fresh copy and the size limits are the table's; every write gets a new etag; a stale
// etag is a ConcurrencyError. Methods are synchronous and called from async store methods, so a write
// can never interleave with another (like the service's per-entity atomicity).
import { AlreadyExistsError, ConcurrencyError, NotFoundError } from "../../ports/errors";
import { decodeRecord, encodeRecord, type EntityProps } from "../tables/codec";
import { requireEtag } from "../tables/errors";

let etagCounter = 0;
function nextEtag(): string {
  etagCounter += 1;
  return `W/"memory-${etagCounter}"`;
}


interface Row {
  props: EntityProps;
  etag: string;
}

export class MemoryRecords<T extends object> {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly entity: string) {}

  private decode(row: Row): T & { etag: string } {
    return { ...decodeRecord<T>(row.props), etag: row.etag };
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  read(key: string): (T & { etag: string }) | undefined {
    const row = this.rows.get(key);
    return row ? this.decode(row) : undefined;
  }

  create(key: string, id: string, record: T): T & { etag: string } {
    const props = encodeRecord(this.entity, id, record);
    if (this.rows.has(key)) throw new AlreadyExistsError(this.entity, id);
    const row = { props, etag: nextEtag() };
    this.rows.set(key, row);
    return this.decode(row);
  }

  /** Replace with the etag it was read with. */
  replace(key: string, id: string, record: T, etag: string | undefined): T & { etag: string } {
    const expected = requireEtag(this.entity, id, etag);
    const props = encodeRecord(this.entity, id, record);
    const current = this.rows.get(key);
    if (!current) throw new NotFoundError(this.entity, id);
    if (current.etag !== expected) throw new ConcurrencyError(this.entity, id);
    const row = { props, etag: nextEtag() };
    this.rows.set(key, row);
    return this.decode(row);
  }

  /** Insert or replace, no etag: for records where the last write wins by design (a member's own vote). */
  upsert(key: string, id: string, record: T): { created: boolean; record: T & { etag: string } } {
    const props = encodeRecord(this.entity, id, record);
    const created = !this.rows.has(key);
    const row = { props, etag: nextEtag() };
    this.rows.set(key, row);
    return { created, record: this.decode(row) };
  }

  delete(key: string): void {
    this.rows.delete(key);
  }

  /** Records whose key starts with `prefix`, in key order (the table's row-key order). */
  list(prefix = "", filter: (record: T) => boolean = () => true): (T & { etag: string })[] {
    return [...this.rows.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => this.decode(row))
      .filter(filter);
  }
}
