// The audit trail on Azure Tables (docs/storage.md "Audit", docs/security.md "Audit chain"): an append-only hash
// chain, plus a copy of each event for each way it is read.
//
//   PartitionKey "c|<chainId>", RowKey "head"              the chain's last seq and hash (ETag-guarded)
//   PartitionKey "c|<chainId>", RowKey "e|<seq, 12 digits>"  the chained event (chainId, seq, prevHash, hash)
//   PartitionKey "c|<chainId>", RowKey "i|<eventId>"       seq of an event id: makes a retried append a no-op
//   PartitionKey "chains",      RowKey "<chainId>"         every chain ever started (so verify finds them all)
//   PartitionKey "s|<bucket>",  RowKey "<subjectId>|<inverted ms>|<eventId>"   copy, for listBySubject (newest first)
//   PartitionKey "a|<bucket>",  RowKey "<actorId>|<inverted ms>|<eventId>"     copy, for listByActor (newest first)
//
// The listing copies live in 16 buckets per kind (a hash of the subject or actor id), each a partition: one
// subject's or one person's events are a row-key range inside their bucket, and the copies of many events go
// to storage as one transaction per bucket instead of one request per copy.
//
// Concurrency: the chain's rows are one partition, so new events, their id rows and the head move in ONE
// transaction guarded by the head's ETag. Two instances appending at once cannot both extend the chain from
// the same head: the loser's transaction fails whole (412, or 409 when both start a new chain), it re-reads
// the head, re-links its events and tries again. Appends arriving while a transaction is in flight (or within
// `lingerMs`) are batched into the next one (up to 49 events: 2 rows each plus the head, under the 100-action
// limit), so throughput does not fall to one round trip per event. Instances may share a chain (the default,
// "main") or each use its own (`chainId`); verification reads them all.
//
// An append resolves once its event is in the chain and its listing copies are written: by default right after
// the chain transaction (while the next batch is being chained), or after `listingLingerMs` behind the spool.
// Listing or verifying on this instance writes any copies still waiting first, so an instance always reads its
// own events. Copies that cannot be written (storage went away) fail their append (503) and are retried in the
// background; `verify({ repair: true })` restores any lost with the process.
import { setTimeout as sleep } from "node:timers/promises";
import { odata } from "@azure/data-tables";
import type { AuditEvent } from "../../../../core/src/domain";
import { AlreadyExistsError, ConcurrencyError } from "../../ports/errors";
import type { AuditStore, AuditVerification } from "../../ports/stores";
import { assertChainId, chainEvent, GENESIS_HASH, verifyAuditChains, type AuditChainSource, type ChainedAuditEvent } from "./auditChain";
import { decodeRecord, encodeRecord } from "./codec";
import type { StoreErrorContext } from "./errors";
import { transactionOf, type TableGateway } from "./gateway";
import { assertLimit, auditRowKey, keyPart, prefixEnd } from "./keys";

/** Events per chain transaction: 2 rows each plus the head must stay within 100 actions. */
const MAX_BATCH = 49;
/** Attempts at extending the chain while other instances keep winning; each round one of them wins. */
const MAX_ATTEMPTS = 50;
/** Listing copies waiting to be written, kept to retry; beyond this, `verify --repair` finds them. */
const MAX_UNINDEXED = 20_000;
/** Rows per listing transaction (the service's limit per transaction). */
const MAX_TRANSACTION = 100;
/** Buckets per listing kind: a hex digit. */
const BUCKETS = 16;
const CHAINS_PARTITION = "chains";

interface Pending {
  event: AuditEvent;
  resolve(): void;
  reject(error: unknown): void;
}

interface Head {
  seq: number;
  hash: string;
  /** Undefined: the chain has no head row yet (the first append creates it). */
  etag: string | undefined;
}

export interface TableAuditOptions {
  /** Which chain this instance appends to (default "main"). */
  chainId?: string;
  /** How long an append waits for others to share its chain transaction (default 0: the next transaction
   * leaves as soon as the one in flight is done). Worth raising only where appends do not wait for the chain
   * (the audit spool, auditSpool.ts). */
  lingerMs?: number;
  /** How long listing copies wait to be written together (default 0: right after their chain transaction).
   * An append resolves only once its copies are written, so this too is for use behind the spool. */
  listingLingerMs?: number;
}

/** The listing bucket of a subject or actor key (FNV-1a, so every instance and `verify` agree). */
export function listingBucket(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % BUCKETS).toString(16);
}

/** The partition and row-key prefix under which `kind` listings for `id` are kept. */
function listingPlace(kind: "actor" | "subject", id: string): { partitionKey: string; prefix: string } {
  const key = keyPart(kind, id);
  return { partitionKey: `${kind === "actor" ? "a" : "s"}|${listingBucket(key)}`, prefix: `${key}|` };
}

type ListingRow = { partitionKey: string; rowKey: string } & Record<string, unknown>;

const seqKey = (seq: number): string => `e|${String(seq).padStart(12, "0")}`;

export class TableAuditStore implements AuditStore {
  private readonly chainId: string;
  private readonly partition: string;
  private head: Head | undefined;
  private registered = false;
  /** Events already checked (the spool checks, then appends the same object): not checked twice. */
  private readonly checked = new WeakSet<AuditEvent>();
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private lingering: NodeJS.Timeout | undefined;
  private readonly lingerMs: number;
  private readonly listingLingerMs: number;
  /** Listing copies not yet written, with the append waiting for them (if any). */
  private readonly tickets: { rows: ListingRow[]; waiter: Pending | undefined }[] = [];
  private listingRows = 0;
  private listingTimer: NodeJS.Timeout | undefined;
  private writingListings: Promise<void> | undefined;

  constructor(private readonly table: TableGateway, options: TableAuditOptions = {}) {
    this.chainId = options.chainId ?? "main";
    assertChainId(this.chainId);
    this.partition = `c|${this.chainId}`;
    this.lingerMs = Math.max(0, options.lingerMs ?? 0);
    this.listingLingerMs = Math.max(0, options.listingLingerMs ?? 0);
  }

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `audit.${operation}`, entity: "audit event", id };
  }

  /** Throws for an event this store could never keep: a bad instant, an id too long for a key, a field too big. */
  check(event: AuditEvent): void {
    if (this.checked.has(event)) return;
    auditRowKey(event);
    keyPart("actor", event.actorId);
    if (event.subjectId !== undefined) keyPart("subject", event.subjectId);
    encodeRecord("audit event", event.id, event);
    this.checked.add(event);
  }

  append(event: AuditEvent): Promise<void> {
    // Everything that could make the event unstorable fails here, before it is linked into the chain (once: the
    // spool checks each event before spooling it, then hands the same object on in the same call).
    this.check(event);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (this.flushing) return;
      if (this.lingerMs === 0 || this.queue.length >= MAX_BATCH) {
        this.startFlush();
      } else {
        this.lingering ??= setTimeout(() => this.startFlush(), this.lingerMs);
      }
    });
  }

  /** Writes everything waiting: events not yet chained, then listing copies not yet written. */
  async flush(): Promise<void> {
    if (this.queue.length > 0 && !this.flushing) this.startFlush();
    while (this.flushing) await this.flushing;
    await this.writeListingsNow();
  }

  /** Whether anything is waiting to be written (cheap; for reads that want their own writes first). */
  private get idle(): boolean {
    return this.queue.length === 0 && !this.flushing && this.tickets.length === 0 && !this.writingListings;
  }

  private startFlush(): void {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = undefined;
    this.flushing = this.chainQueued().finally(() => {
      this.flushing = undefined;
      // Appends that lingered behind this flush go now rather than wait out a new linger.
      if (this.queue.length > 0) this.startFlush();
    });
  }

  private async chainQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      let chained: Map<string, ChainedAuditEvent>;
      try {
        chained = await this.chain(batch.map((p) => p.event));
      } catch (error) {
        for (const p of batch) p.reject(error);
        continue;
      }
      // Each append resolves once its listing copies are written too. They are written while the next batch
      // is being chained, so a busy instance keeps one chain transaction in flight at all times.
      for (const p of batch) this.queueListings(chained.get(p.event.id)!, undefined, p);
      if (this.listingLingerMs === 0) void this.writeListingsNow().catch(() => undefined);
    }
  }

  private queueListings(event: ChainedAuditEvent, only?: ("actor" | "subject")[], waiter?: Pending): void {
    const props = encodeRecord("audit event", event.id, event);
    const tail = auditRowKey(event);
    const rows: ListingRow[] = [];
    const add = (kind: "actor" | "subject", id: string) => {
      const { partitionKey, prefix } = listingPlace(kind, id);
      rows.push({ ...props, partitionKey, rowKey: prefix + tail });
    };
    if (!only || only.includes("actor")) add("actor", event.actorId);
    if (event.subjectId !== undefined && (!only || only.includes("subject"))) add("subject", event.subjectId);
    if (this.listingRows + rows.length > MAX_UNINDEXED && !waiter) return; // verify --repair restores these
    this.tickets.push({ rows, waiter });
    this.listingRows += rows.length;
    if (this.listingLingerMs > 0) {
      this.listingTimer ??= setTimeout(() => {
        this.listingTimer = undefined;
        void this.writeListingsNow().catch(() => undefined);
      }, this.listingLingerMs);
    }
  }

  /** Writes the waiting listing copies: one transaction per bucket (of up to 100 rows). An append whose copies
   * fail is rejected (the request answers 503) and its copies stay queued for the next attempt. */
  private async writeListingsNow(): Promise<void> {
    while (this.writingListings) await this.writingListings.catch(() => undefined);
    if (this.tickets.length === 0) return;
    if (this.listingTimer) clearTimeout(this.listingTimer);
    this.listingTimer = undefined;
    const tickets = this.tickets.splice(0);
    this.listingRows = 0;
    const write = async () => {
      const byPartition = new Map<string, Map<string, ListingRow>>();
      for (const t of tickets) {
        for (const row of t.rows) {
          let rows = byPartition.get(row.partitionKey);
          if (!rows) byPartition.set(row.partitionKey, (rows = new Map<string, ListingRow>()));
          rows.set(row.rowKey, row);
        }
      }
      const failed = new Set<string>();
      let failure: Error | undefined;
      await Promise.all([...byPartition.values()].map(async (rows) => {
        const all = [...rows.values()];
        for (let i = 0; i < all.length; i += MAX_TRANSACTION) {
          const chunk = all.slice(i, i + MAX_TRANSACTION);
          try {
            // Upserts: a copy is the chained event itself, so writing it again (a retry, a repair) changes nothing.
            await this.table.transaction(transactionOf((t) => { for (const row of chunk) t.upsertEntity(row, "Replace"); }), this.ctx("append", String(chunk[0]!.id)));
          } catch (error) {
            failure ??= error instanceof Error ? error : new Error("The audit's listing copies could not be written.");
            for (const row of chunk) failed.add(`${row.partitionKey}\n${row.rowKey}`);
          }
        }
      }));
      for (const t of tickets) {
        const lost = t.rows.filter((r) => failed.has(`${r.partitionKey}\n${r.rowKey}`));
        if (lost.length === 0) {
          t.waiter?.resolve();
          continue;
        }
        t.waiter?.reject(failure);
        if (this.listingRows + lost.length <= MAX_UNINDEXED) {
          this.tickets.push({ rows: lost, waiter: undefined });
          this.listingRows += lost.length;
        }
      }
      if (failure !== undefined) {
        // Retried in the background; the chain already holds the events, and verify --repair is the backstop.
        this.listingTimer ??= setTimeout(() => {
          this.listingTimer = undefined;
          void this.writeListingsNow().catch(() => undefined);
        }, Math.max(this.listingLingerMs, 1000));
        this.listingTimer.unref();
        throw failure;
      }
    };
    this.writingListings = write().finally(() => { this.writingListings = undefined; });
    await this.writingListings;
  }

  /** Links the events into the chain in one transaction; returns each event id's chained form. */
  private async chain(events: AuditEvent[]): Promise<Map<string, ChainedAuditEvent>> {
    const ctx = this.ctx("append", events[0]!.id);
    const result = new Map<string, ChainedAuditEvent>();
    // The same id twice in one batch is one event.
    let todo = [...new Map(events.map((e) => [e.id, e])).values()];
    await this.register(ctx);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = this.head ?? (await this.readHead(ctx));
      const linked: ChainedAuditEvent[] = [];
      let after = { seq: head.seq, hash: head.hash };
      for (const e of todo) {
        const c = chainEvent(e, this.chainId, after);
        linked.push(c);
        after = { seq: c.seq, hash: c.hash };
      }
      const headRow = { partitionKey: this.partition, rowKey: "head", seq: String(after.seq), hash: after.hash };
      try {
        const etags = await this.table.transaction(transactionOf((t) => {
          for (const c of linked) {
            t.createEntity({ partitionKey: this.partition, rowKey: seqKey(c.seq), ...encodeRecord("audit event", c.id, c) });
            t.createEntity({ partitionKey: this.partition, rowKey: `i|${keyPart("audit event", c.id)}`, seq: String(c.seq) });
          }
          if (head.etag === undefined) t.createEntity(headRow);
          else t.updateEntity(headRow, "Replace", { etag: head.etag });
        }), ctx);
        const etag = etags[etags.length - 1];
        this.head = etag ? { ...after, etag } : undefined;
        for (const c of linked) result.set(c.id, c);
        return result;
      } catch (error) {
        this.head = undefined;
        if (error instanceof AlreadyExistsError) {
          // Either another instance started this chain at the same moment, or an event was already chained by
          // an earlier attempt (a retry after a timeout that had in fact succeeded): take those out.
          const already = await this.alreadyChained(todo, ctx);
          for (const c of already) result.set(c.id, c);
          todo = todo.filter((e) => !result.has(e.id));
          if (todo.length === 0) return result;
        } else if (!(error instanceof ConcurrencyError)) {
          throw error;
        }
      }
      // Another instance extended the chain first: a short random pause spreads competing instances out.
      await sleep(Math.floor(Math.random() * 5 * Math.min(attempt, 10)));
    }
    throw new ConcurrencyError("audit chain", this.chainId);
  }

  private async readHead(ctx: StoreErrorContext): Promise<Head> {
    const row = await this.table.get(this.partition, "head", ctx);
    if (!row) return { seq: 0, hash: GENESIS_HASH, etag: undefined };
    return { seq: Number(row.seq), hash: String(row.hash), etag: row.etag };
  }

  private async register(ctx: StoreErrorContext): Promise<void> {
    if (this.registered) return;
    try {
      await this.table.create({ partitionKey: CHAINS_PARTITION, rowKey: this.chainId, startedBy: "calm" }, ctx);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    this.registered = true;
  }

  private async alreadyChained(events: AuditEvent[], ctx: StoreErrorContext): Promise<ChainedAuditEvent[]> {
    const found: ChainedAuditEvent[] = [];
    for (const e of events) {
      const idRow = await this.table.get(this.partition, `i|${keyPart("audit event", e.id)}`, ctx);
      if (!idRow) continue;
      const row = await this.table.get(this.partition, seqKey(Number(idRow.seq)), ctx);
      if (row) found.push(decodeRecord<ChainedAuditEvent>(row));
    }
    return found;
  }

  listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(listingPlace("subject", subjectId), limit, this.ctx("listBySubject", subjectId));
  }

  listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(listingPlace("actor", actorId), limit, this.ctx("listByActor", actorId));
  }

  private async list(place: { partitionKey: string; prefix: string }, limit: number | undefined, ctx: StoreErrorContext): Promise<AuditEvent[]> {
    assertLimit(limit);
    // This instance's own events first: with a linger, their copies may still be waiting to be written.
    if (!this.idle) await this.flush();
    const { partitionKey, prefix } = place;
    const rows = await this.table.first(odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`, limit, ctx);
    return rows.map((row) => decodeRecord<AuditEvent>(row));
  }

  async verify(options: { repair?: boolean } = {}): Promise<AuditVerification> {
    const ctx = this.ctx("verify", "all");
    if (!this.idle) await this.flush();
    const table = this.table;
    const source: AuditChainSource = {
      async chainIds() {
        const ids: string[] = [];
        for await (const row of table.query(odata`PartitionKey eq ${CHAINS_PARTITION}`, ctx, ["RowKey"])) ids.push(String(row.rowKey));
        return ids;
      },
      async head(chainId) {
        const row = await table.get(`c|${chainId}`, "head", ctx);
        return row ? { seq: Number(row.seq), hash: String(row.hash) } : undefined;
      },
      async *events(chainId) {
        for await (const row of table.query(odata`PartitionKey eq ${`c|${chainId}`} and RowKey ge ${"e|"} and RowKey lt ${prefixEnd("e|")}`, ctx)) {
          yield decodeRecord<AuditEvent>(row);
        }
      },
      async *indexRows() {
        for (const [kind, prefix] of [["actor", "a|"], ["subject", "s|"]] as const) {
          for await (const row of table.query(odata`PartitionKey ge ${prefix} and PartitionKey lt ${prefixEnd(prefix)}`, ctx)) {
            const rowKey = String(row.rowKey);
            const key = rowKey.slice(0, Math.max(0, rowKey.indexOf("|")));
            // A copy filed in the wrong bucket is filed under the wrong key as far as listing goes.
            const filed = listingBucket(key) === String(row.partitionKey).slice(2) ? unescapeKey(key) : `(wrong bucket) ${unescapeKey(key)}`;
            yield { kind, key: filed, event: decodeRecord<AuditEvent>(row) };
          }
        }
      },
    };
    const repair = options.repair
      ? async (chainId: string, seq: number, missing: ("actor" | "subject")[]) => {
          const row = await table.get(`c|${chainId}`, seqKey(seq), ctx);
          if (row) this.queueListings(decodeRecord<ChainedAuditEvent>(row), missing);
        }
      : undefined;
    const result = await verifyAuditChains(source, new Date().toISOString(), repair);
    await this.writeListingsNow();
    return result;
  }
}

/** keyPart's escaping undone (`~XXXX` → the character), to compare a listing's key with the event's id. */
function unescapeKey(key: string): string {
  return key.replace(/~([0-9a-f]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
