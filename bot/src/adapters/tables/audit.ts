// The audit trail on Azure Tables (docs/storage.md "Audit", docs/security.md "Audit chain"): an append-only hash
// chain, written in blocks, with a copy of each event for each way it is read, all in the chain's own partition.
//
//   PartitionKey "c|<chainId>", RowKey "head"                                 the chain's last seq and hash (ETag-guarded)
//   PartitionKey "c|<chainId>", RowKey "b|<first seq, 12 digits>"             a block: the chained events of one transaction
//                                                                             (each with chainId, seq, prevHash, hash), in order
//   PartitionKey "c|<chainId>", RowKey "a|<actorId>|<inverted ms>|<eventId>"    copy, for listByActor (newest first)
//   PartitionKey "c|<chainId>", RowKey "s|<subjectId>|<inverted ms>|<eventId>"  copy, for listBySubject (newest first)
//   PartitionKey "chains",      RowKey "<chainId>"                            every chain ever started (so listings and verify find them all)
//
// A block, its events' listing copies and the new head go to storage in ONE transaction, guarded by the head's
// ETag: an event is never in the chain without its copies, nor listed without being chained. Two instances
// appending at once cannot both extend the chain from the same head: the loser's transaction fails whole (412, or
// 409 when both start a new chain), it re-reads the head, re-links its events and tries again. Appends arriving
// while a transaction is in flight (or within `lingerMs` of the oldest waiting one) are batched into the next one
// (up to 49 events: two copies each plus the block and the head, under the 100-action limit), so throughput does
// not fall to one round trip per event; one block row for the batch, rather than a row per event, keeps each
// event's share of a transaction (and of the work of building and storing it) to its two copies. The actor
// copy's key is made only of the event's own fields, so it doubles as the guard against chaining an event twice:
// a retried append collides with it (409) and counts as done.
//
// Instances may share a chain (the default, "main") or each use its own (`chainId`); listings and verification
// read them all.
import { setTimeout as sleep } from "node:timers/promises";
import { odata } from "@azure/data-tables";
import type { AuditEvent } from "../../../../core/src/domain";
import { AlreadyExistsError, ConcurrencyError } from "../../ports/errors";
import type { AuditStore, AuditVerification } from "../../ports/stores";
import { assertAuditEventSize, assertChainId, chainEvent, GENESIS_HASH, verifyAuditChains, type AuditChainSource, type ChainedAuditEvent } from "./auditChain";
import { decodeRecord, encodeRecord } from "./codec";
import type { StoreErrorContext } from "./errors";
import { MAX_TRANSACTION_ACTIONS, transactionOf, type Row, type TableGateway } from "./gateway";
import { assertLimit, auditRowKey, keyPart, prefixEnd } from "./keys";

/** Events per chain transaction: up to two copies each, plus the block and the head, within the transaction
 * limit (49). */
const MAX_BATCH = Math.floor((MAX_TRANSACTION_ACTIONS - 2) / 2);
/** Bytes of event JSON per block. A block is one entity (at most 1 MiB, counted at two bytes a character), so a
 * batch of unusually large events leaves with fewer than MAX_BATCH; real events are a few hundred bytes. The
 * allowance per event covers the chain fields the block adds to it. */
const MAX_BLOCK_BYTES = 400_000;
const CHAIN_FIELDS_BYTES = 200;
/** Attempts at extending the chain while other instances keep winning; each round one of them wins. */
const MAX_ATTEMPTS = 50;
const CHAINS_PARTITION = "chains";

interface Pending {
  event: AuditEvent;
  /** Its size as JSON, for the block's limit. */
  bytes: number;
  /** When it was queued (performance.now()), so a linger counts from the oldest waiting event. */
  queuedAt: number;
  resolve(): void;
  reject(error: unknown): void;
  /** Called once it is settled (flush() calls waiting for it). */
  settled?: () => void;
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
}

type ListingKind = "actor" | "subject";

/** The row-key prefix of `kind` listing copies for `id`, inside every chain's partition. */
function listingPrefix(kind: ListingKind, id: string): string {
  return `${kind === "actor" ? "a" : "s"}|${keyPart(kind, id)}|`;
}

/** The row keys of an event's listing copies (by actor always, by subject if it has one). */
function listingKeys(event: AuditEvent, only?: ListingKind[]): string[] {
  const tail = auditRowKey(event);
  const keys: string[] = [];
  if (!only || only.includes("actor")) keys.push(listingPrefix("actor", event.actorId) + tail);
  if (event.subjectId !== undefined && (!only || only.includes("subject"))) keys.push(listingPrefix("subject", event.subjectId) + tail);
  return keys;
}

const BLOCK_PREFIX = "b|";
const blockKey = (firstSeq: number): string => `${BLOCK_PREFIX}${String(firstSeq).padStart(12, "0")}`;
const chainPartition = (chainId: string): string => `c|${chainId}`;


export class TableAuditStore implements AuditStore {
  private readonly chainId: string;
  private readonly partition: string;
  private head: Head | undefined;
  private registered = false;
  /** Events already checked, with their size (the spool checks, then appends the same object): not checked twice. */
  private readonly checked = new WeakMap<AuditEvent, number>();
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private lingering: NodeJS.Timeout | undefined;
  private readonly lingerMs: number;
  /** The last event a flush() waits for: until it is taken, batches leave without lingering. */
  private hurryUntil: Pending | undefined;

  constructor(private readonly table: TableGateway, options: TableAuditOptions = {}) {
    this.chainId = options.chainId ?? "main";
    assertChainId(this.chainId);
    this.partition = chainPartition(this.chainId);
    this.lingerMs = Math.max(0, options.lingerMs ?? 0);
  }

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `audit.${operation}`, entity: "audit event", id };
  }

  /** Throws for an event this store could never keep: a bad instant, an id too long for a key, a field too big. */
  check(event: AuditEvent): void {
    this.checkedSize(event);
  }

  /** check(), answering the event's size as JSON. */
  private checkedSize(event: AuditEvent): number {
    const known = this.checked.get(event);
    if (known !== undefined) return known;
    auditRowKey(event);
    keyPart("actor", event.actorId);
    if (event.subjectId !== undefined) keyPart("subject", event.subjectId);
    const bytes = assertAuditEventSize(event);
    encodeRecord("audit event", event.id, event);
    this.checked.set(event, bytes);
    return bytes;
  }

  append(event: AuditEvent): Promise<void> {
    // Everything that could make the event unstorable fails here, before it is linked into the chain (once: the
    // spool checks each event before spooling it, then hands the same object on in the same call).
    let bytes: number;
    try {
      bytes = this.checkedSize(event);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, bytes, queuedAt: performance.now(), resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Starts the next chain transaction when it is due: at once without a linger or with a full batch waiting,
   * otherwise once the oldest waiting event has lingered `lingerMs` — also after a transaction in flight ends, so
   * under steady load batches stay full instead of shrinking to whatever arrived during one round trip. */
  private scheduleFlush(): void {
    if (this.flushing || this.queue.length === 0) return;
    const due = this.lingerMs === 0 || this.queue.length >= MAX_BATCH || this.hurryUntil ? 0 : this.queue[0]!.queuedAt + this.lingerMs - performance.now();
    if (due <= 0) {
      this.startFlush();
    } else {
      this.lingering ??= setTimeout(() => this.startFlush(), due);
    }
  }

  /** Writes every event waiting now, without lingering (events appended meanwhile are not waited for, so a
   * busy instance's flush still ends). Never throws: each append reports its own failure. */
  async flush(): Promise<void> {
    const last = this.queue[this.queue.length - 1];
    if (!last) {
      await this.flushing;
      return;
    }
    const settled = new Promise<void>((resolve) => {
      const before = last.settled;
      last.settled = before ? () => { before(); resolve(); } : resolve;
    });
    this.hurryUntil = last;
    this.scheduleFlush();
    await settled;
  }

  private startFlush(): void {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = undefined;
    this.flushing = this.chainQueued().finally(() => {
      this.flushing = undefined;
      this.scheduleFlush();
    });
  }

  /** Chains what is waiting now, then any further full batches that arrived meanwhile. */
  private async chainQueued(): Promise<void> {
    for (let first = true; first || this.queue.length >= MAX_BATCH; first = false) {
      const batch = this.queue.splice(0, this.batchSize());
      if (this.hurryUntil && batch.includes(this.hurryUntil)) this.hurryUntil = undefined;
      let failure: { error: unknown } | undefined;
      try {
        await this.chain(batch.map((p) => p.event));
      } catch (error) {
        failure = { error };
      }
      for (const p of batch) {
        if (failure) p.reject(failure.error);
        else p.resolve();
        p.settled?.();
      }
    }
  }

  /** How many of the waiting events fit in one block: at least one (a single event always fits, see
   * MAX_AUDIT_EVENT_BYTES), at most MAX_BATCH. */
  private batchSize(): number {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && n < MAX_BATCH) {
      bytes += this.queue[n]!.bytes + CHAIN_FIELDS_BYTES;
      if (n > 0 && bytes > MAX_BLOCK_BYTES) break;
      n += 1;
    }
    return n;
  }

  /** Links the events into the chain as one block and writes their listing copies, in one transaction. */
  private async chain(events: AuditEvent[]): Promise<void> {
    const ctx = this.ctx("append", events[0]!.id);
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
          t.createEntity({ partitionKey: this.partition, rowKey: blockKey(linked[0]!.seq), ...encodeRecord("audit block", linked[0]!.id, { events: linked }) });
          for (const c of linked) {
            const props = encodeRecord("audit event", c.id, c);
            // Created, not upserted: a copy already there means this event was chained before (see alreadyChained).
            for (const rowKey of listingKeys(c)) t.createEntity({ partitionKey: this.partition, rowKey, ...props });
          }
          if (head.etag === undefined) t.createEntity(headRow);
          else t.updateEntity(headRow, "Replace", { etag: head.etag });
        }), ctx);
        const etag = etags[etags.length - 1];
        this.head = etag ? { ...after, etag } : undefined;
        return;
      } catch (error) {
        this.head = undefined;
        if (error instanceof AlreadyExistsError) {
          // Either another instance started this chain at the same moment, or an event was already chained by
          // an earlier attempt (a retry after a timeout that had in fact succeeded, or a spool replay): take those out.
          const already = await this.alreadyChained(todo, ctx);
          todo = todo.filter((e) => !already.has(e.id));
          if (todo.length === 0) return;
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

  /** The ids of those events already in this chain: their actor copy, keyed by the event's own fields, is there. */
  private async alreadyChained(events: AuditEvent[], ctx: StoreErrorContext): Promise<Set<string>> {
    const found = new Set<string>();
    for (const e of events) {
      if (await this.table.get(this.partition, listingKeys(e, ["actor"])[0]!, ctx)) found.add(e.id);
    }
    return found;
  }

  private async chainIds(ctx: StoreErrorContext): Promise<string[]> {
    const ids: string[] = [];
    for await (const row of this.table.query(odata`PartitionKey eq ${CHAINS_PARTITION}`, ctx, ["RowKey"])) ids.push(String(row.rowKey));
    return ids;
  }

  listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(listingPrefix("subject", subjectId), limit, this.ctx("listBySubject", subjectId));
  }

  listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(listingPrefix("actor", actorId), limit, this.ctx("listByActor", actorId));
  }

  /** One person's (or subject's) copies: a row-key range in each chain's partition, newest first across them. */
  private async list(prefix: string, limit: number | undefined, ctx: StoreErrorContext): Promise<AuditEvent[]> {
    assertLimit(limit);
    // This instance's own events first: with a linger, they may still be waiting to be written.
    await this.flush();
    const filter = (chainId: string) => odata`PartitionKey eq ${chainPartition(chainId)} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`;
    const perChain = await Promise.all((await this.chainIds(ctx)).map((chainId) => this.table.first(filter(chainId), limit, ctx)));
    // Within a chain the row keys are already newest first; across chains, merge on the same key.
    const rows = perChain.length === 1 ? perChain[0]! : perChain.flat().sort((a, b) => (String(a.rowKey) < String(b.rowKey) ? -1 : 1));
    return (limit === undefined ? rows : rows.slice(0, limit)).map((row) => decodeRecord<AuditEvent>(row));
  }

  async verify(options: { repair?: boolean } = {}): Promise<AuditVerification> {
    const ctx = this.ctx("verify", "all");
    await this.flush();
    const table = this.table;
    // Read once: the verifier walks the chains, then every chain's listing copies.
    const ids = this.chainIds(ctx);
    const chainIds = () => ids;
    const blocks = (chainId: string) => table.query(odata`PartitionKey eq ${chainPartition(chainId)} and RowKey ge ${BLOCK_PREFIX} and RowKey lt ${prefixEnd(BLOCK_PREFIX)}`, ctx);
    const source: AuditChainSource = {
      chainIds,
      async head(chainId) {
        const row = await table.get(chainPartition(chainId), "head", ctx);
        return row ? { seq: Number(row.seq), hash: String(row.hash) } : undefined;
      },
      async *events(chainId) {
        for await (const row of blocks(chainId)) yield* readBlock(row);
      },
      async *indexRows() {
        for (const chainId of await chainIds()) {
          for (const [kind, prefix] of [["actor", "a|"], ["subject", "s|"]] as const) {
            for await (const row of table.query(odata`PartitionKey eq ${chainPartition(chainId)} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`, ctx)) {
              const rowKey = String(row.rowKey);
              const key = unescapeKey(rowKey.slice(2, Math.max(2, rowKey.indexOf("|", 2))));
              const event = decodeRecord<AuditEvent>(row);
              // A copy moved into another chain's partition is, as far as listing goes, filed in the wrong place.
              yield { kind, key: event.chainId === chainId ? key : `(in chain ${chainId}) ${key}`, event };
            }
          }
        }
      },
    };
    // Missing copies are rewritten from the chain's own blocks, read once more after the check (upserts: writing
    // one twice changes nothing).
    const missingBySeq = new Map<string, Map<number, ListingKind[]>>();
    const repair = options.repair
      ? (chainId: string, seq: number, missing: ListingKind[]) => {
          const chain = missingBySeq.get(chainId) ?? new Map<number, ListingKind[]>();
          chain.set(seq, missing);
          missingBySeq.set(chainId, chain);
          return Promise.resolve();
        }
      : undefined;
    const result = await verifyAuditChains(source, new Date().toISOString(), repair);
    for (const [chainId, missing] of missingBySeq) {
      const rows: Row[] = [];
      for await (const row of blocks(chainId)) {
        for (const event of readBlock(row)) {
          const kinds = event.seq !== undefined ? missing.get(event.seq) : undefined;
          if (!kinds) continue;
          const props = encodeRecord("audit event", event.id, event);
          for (const rowKey of listingKeys(event, kinds)) rows.push({ partitionKey: chainPartition(chainId), rowKey, ...props });
        }
      }
      await table.upsertAll(rows, ctx);
    }
    return result;
  }
}

/** A block's events for the verifier. A block whose events cannot be read at all (its text was cut or
 * garbled) gives none: its seqs are then reported missing. */
function readBlock(row: Record<string, unknown>): AuditEvent[] {
  try {
    const { events } = decodeRecord<{ events: unknown }>(row);
    return Array.isArray(events) ? events.filter((e): e is AuditEvent => typeof e === "object" && e !== null) : [];
  } catch {
    return [];
  }
}

/** keyPart's escaping undone (`~XXXX` → the character), to compare a listing's key with the event's id. */
function unescapeKey(key: string): string {
  return key.replace(/~([0-9a-f]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
