// The audit trail on Azure Tables (docs/storage.md "Audit", docs/security.md "Audit chain"): an append-only hash
// chain, plus a copy of each event for each way it is read.
//
//   PartitionKey "c|<chainId>", RowKey "head"              the chain's last seq and hash (ETag-guarded)
//   PartitionKey "c|<chainId>", RowKey "e|<seq, 12 digits>"  the chained event (chainId, seq, prevHash, hash)
//   PartitionKey "c|<chainId>", RowKey "i|<eventId>"       seq of an event id: makes a retried append a no-op
//   PartitionKey "chains",      RowKey "<chainId>"         every chain ever started (so verify finds them all)
//   PartitionKey "s|<subjectId>", RowKey "<inverted ms>|<eventId>"   copy, for listBySubject (newest first)
//   PartitionKey "a|<actorId>",   RowKey "<inverted ms>|<eventId>"   copy, for listByActor (newest first)
//
// Concurrency: the chain's rows are one partition, so new events, their id rows and the head move in ONE
// transaction guarded by the head's ETag. Two instances appending at once cannot both extend the chain from
// the same head: the loser's transaction fails whole (412, or 409 when both start a new chain), it re-reads
// the head, re-links its events and tries again. Appends arriving while a transaction is in flight are
// batched into the next one (up to 49 events: 2 rows each plus the head, under the 100-action limit), so
// throughput does not fall to one round trip per event. Instances may share a chain (the default, "main") or
// each use its own (`chainId`); verification reads them all.
//
// The listing copies are written after the chain commits. If that fails (storage went away), the append
// fails too, so the request answers 503; the event is in the chain and the copies are retried with this
// store's next append, and `verify({ repair: true })` restores any that are still missing.
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
/** Events whose listing copies could not be written, kept to retry; beyond this, `verify --repair` finds them. */
const MAX_UNINDEXED = 1000;
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
}

const seqKey = (seq: number): string => `e|${String(seq).padStart(12, "0")}`;

export class TableAuditStore implements AuditStore {
  private readonly chainId: string;
  private readonly partition: string;
  private head: Head | undefined;
  private registered = false;
  private readonly queue: Pending[] = [];
  private flushing = false;
  private readonly unindexed = new Map<string, ChainedAuditEvent>();

  constructor(private readonly table: TableGateway, options: TableAuditOptions = {}) {
    this.chainId = options.chainId ?? "main";
    assertChainId(this.chainId);
    this.partition = `c|${this.chainId}`;
  }

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `audit.${operation}`, entity: "audit event", id };
  }

  append(event: AuditEvent): Promise<void> {
    // Everything that could make the event unstorable fails here, before it is linked into the chain.
    auditRowKey(event);
    keyPart("actor", event.actorId);
    if (event.subjectId !== undefined) keyPart("subject", event.subjectId);
    encodeRecord("audit event", event.id, event);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        let chained: Map<string, ChainedAuditEvent>;
        try {
          chained = await this.chain(batch.map((p) => p.event));
        } catch (error) {
          for (const p of batch) p.reject(error);
          continue;
        }
        const retry = [...this.unindexed.values()];
        this.unindexed.clear();
        // The listing copies are written while the next batch is being chained (not awaited here): a busy
        // instance keeps one chain transaction in flight at all times instead of waiting for each batch's copies.
        // Each append still resolves only once its own copies are written.
        for (const p of batch) {
          const event = chained.get(p.event.id)!;
          this.writeListings(event).then(
            () => p.resolve(),
            (error: unknown) => {
              this.rememberUnindexed(event);
              p.reject(error);
            },
          );
        }
        for (const event of retry) void this.writeListings(event).catch(() => this.rememberUnindexed(event));
      }
    } finally {
      this.flushing = false;
    }
  }

  private rememberUnindexed(event: ChainedAuditEvent): void {
    if (this.unindexed.size < MAX_UNINDEXED) this.unindexed.set(event.id, event);
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

  private async writeListings(event: ChainedAuditEvent, only?: ("actor" | "subject")[]): Promise<void> {
    const ctx = this.ctx("append", event.id);
    const rowKey = auditRowKey(event);
    const props = encodeRecord("audit event", event.id, event);
    const partitions: string[] = [];
    if (!only || only.includes("actor")) partitions.push(`a|${keyPart("actor", event.actorId)}`);
    if (event.subjectId !== undefined && (!only || only.includes("subject"))) partitions.push(`s|${keyPart("subject", event.subjectId)}`);
    await Promise.all(partitions.map(async (partitionKey) => {
      try {
        await this.table.create({ partitionKey, rowKey, ...props }, ctx);
      } catch (err) {
        // Already there: an earlier attempt at this same append got this far.
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }));
  }

  listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(`s|${keyPart("subject", subjectId)}`, limit, this.ctx("listBySubject", subjectId));
  }

  listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(`a|${keyPart("actor", actorId)}`, limit, this.ctx("listByActor", actorId));
  }

  private async list(partitionKey: string, limit: number | undefined, ctx: StoreErrorContext): Promise<AuditEvent[]> {
    assertLimit(limit);
    const rows = await this.table.first(odata`PartitionKey eq ${partitionKey}`, limit, ctx);
    return rows.map((row) => decodeRecord<AuditEvent>(row));
  }

  async verify(options: { repair?: boolean } = {}): Promise<AuditVerification> {
    const ctx = this.ctx("verify", "all");
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
            yield { kind, key: unescapeKey(String(row.partitionKey).slice(2)), event: decodeRecord<AuditEvent>(row) };
          }
        }
      },
    };
    const repair = options.repair
      ? async (chainId: string, seq: number, missing: ("actor" | "subject")[]) => {
          const row = await table.get(`c|${chainId}`, seqKey(seq), ctx);
          if (row) await this.writeListings(decodeRecord<ChainedAuditEvent>(row), missing);
        }
      : undefined;
    return verifyAuditChains(source, new Date().toISOString(), repair);
  }
}

/** keyPart's escaping undone (`~XXXX` → the character), to compare a listing's key with the event's id. */
function unescapeKey(key: string): string {
  return key.replace(/~([0-9a-f]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
