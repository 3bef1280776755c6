// In-memory AuditStore: the same hash chain, listing copies, ordering (newest first, by the table's inverted-tick
// row keys), limits, idempotent append and verification as TableAuditStore (tests/contract). One process is one
// instance, so appends never race here; the chain logic is the shared auditChain.ts.
import type { AuditEvent } from "../../../../core/src/domain";
import type { AuditStore, AuditVerification } from "../../ports/stores";
import { assertAuditEventSize, assertChainId, chainEvent, GENESIS_HASH, verifyAuditChains, type AuditChainSource, type ChainedAuditEvent } from "../tables/auditChain";
import { encodeRecord } from "../tables/codec";
import { assertLimit, auditRowKey, keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

const seqKey = (chainId: string, seq: number): string => `${chainId}|${String(seq).padStart(12, "0")}`;

export class MemoryAuditStore implements AuditStore {
  private readonly chainId: string;
  /** Chained events, keyed `<chainId>|<seq>`. */
  private readonly chained = new MemoryRecords<AuditEvent>("audit event");
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  /** `<chainId>|<actor copy's key>` → seq: a retried append is a no-op. Keyed like the table store's guard (its
   * actor copy, made of the event's actor, time and id), so both take the same events for repeats. */
  private readonly ids = new Map<string, number>();
  /** Listing copies keyed like the table's rows: `a|<actor>|<inverted ticks>|<event id>`, `s|<subject>|…`. */
  private readonly listings = new MemoryRecords<AuditEvent>("audit event");

  constructor(options: { chainId?: string } = {}) {
    this.chainId = options.chainId ?? "main";
    assertChainId(this.chainId);
  }

  async append(event: AuditEvent): Promise<void> {
    const rowKey = auditRowKey(event);
    const actorKey = keyPart("actor", event.actorId);
    if (event.subjectId !== undefined) keyPart("subject", event.subjectId);
    assertAuditEventSize(event);
    encodeRecord("audit event", event.id, event);
    const idKey = `${this.chainId}|a|${actorKey}|${rowKey}`;
    const existing = this.ids.get(idKey);
    let linked: ChainedAuditEvent;
    if (existing !== undefined) {
      // A retry: the event is chained already, with its listing copies.
      linked = this.chained.read(seqKey(this.chainId, existing)) as ChainedAuditEvent;
      delete (linked as { etag?: string }).etag;
    } else {
      const head = this.heads.get(this.chainId) ?? { seq: 0, hash: GENESIS_HASH };
      linked = chainEvent(event, this.chainId, head);
      this.chained.create(seqKey(this.chainId, linked.seq), linked.id, linked);
      this.ids.set(idKey, linked.seq);
      this.heads.set(this.chainId, { seq: linked.seq, hash: linked.hash });
    }
    this.writeListings(linked);
    return Promise.resolve();
  }

  private writeListings(event: ChainedAuditEvent, only?: ("actor" | "subject")[]): void {
    const rowKey = auditRowKey(event);
    const keys: string[] = [];
    if (!only || only.includes("actor")) keys.push(`a|${keyPart("actor", event.actorId)}|${rowKey}`);
    if (event.subjectId !== undefined && (!only || only.includes("subject"))) keys.push(`s|${keyPart("subject", event.subjectId)}|${rowKey}`);
    for (const key of keys) if (!this.listings.has(key)) this.listings.create(key, event.id, event);
  }

  async listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return Promise.resolve(take(this.listings.list(`s|${keyPart("subject", subjectId)}|`), limit).map(stripEtag));
  }

  async listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return Promise.resolve(take(this.listings.list(`a|${keyPart("actor", actorId)}|`), limit).map(stripEtag));
  }

  async verify(options: { repair?: boolean } = {}): Promise<AuditVerification> {
    const chained = this.chained;
    const listings = this.listings;
    const heads = this.heads;
    const source: AuditChainSource = {
      chainIds: () => Promise.resolve([...heads.keys()]),
      head: (chainId) => Promise.resolve(heads.get(chainId)),
      async *events(chainId) {
        for (const e of chained.list(`${chainId}|`)) yield stripEtag(e);
      },
      async *indexRows() {
        for (const e of listings.list("a|")) yield { kind: "actor" as const, key: e.actorId, event: stripEtag(e) };
        for (const e of listings.list("s|")) yield { kind: "subject" as const, key: e.subjectId ?? "", event: stripEtag(e) };
      },
    };
    const repair = options.repair
      ? (chainId: string, seq: number, missing: ("actor" | "subject")[]) => {
          const event = chained.read(seqKey(chainId, seq));
          if (event) this.writeListings(stripEtag(event) as ChainedAuditEvent, missing);
          return Promise.resolve();
        }
      : undefined;
    return verifyAuditChains(source, new Date().toISOString(), repair);
  }
}

function take<T>(list: T[], limit: number | undefined): T[] {
  assertLimit(limit);
  return limit === undefined ? list : list.slice(0, limit);
}

function stripEtag(event: AuditEvent & { etag?: string }): AuditEvent {
  const { etag: _etag, ...rest } = event;
  return rest;
}
