// Storage ports for marking incoming mail from listed senders (issue 6 item 2).
//
// The notification endpoint only checks and records: each notification becomes a work item in a durable
// queue (a Table-backed outbox), keyed by a hash of mailbox and message id, so Graph's duplicate
// notifications collapse into one item. Workers on any server instance claim items with an etag-guarded
// lease, so two instances never process one item at once, and a crashed worker's lease simply expires.
import type { IsoDateTime } from "../../../core/src/domain";

/** `message`: mark one new message. `resync`: Graph said notifications were missed; look at recent inbox
 * mail. `renew` / `recreate`: lifecycle notifications asking CALM to reauthorize or recreate a subscription. */
export type MailWorkKind = "message" | "resync" | "renew" | "recreate";

export type MailWorkStatus = "pending" | "leased" | "done" | "failed";

export type MailWorkOutcome =
  | "marked"
  | "already-marked"
  | "not-listed"
  | "message-gone"
  | "resynced"
  | "renewed"
  | "recreated"
  | "out-of-scope";

export interface MailWorkItem {
  /** Dedupe key: the same notification (or the same message notified twice) has the same id. */
  id: string;
  kind: MailWorkKind;
  mailbox: string;
  messageId?: string;
  subscriptionId?: string;
  status: MailWorkStatus;
  attempts: number;
  /** Not to be picked up before this instant (retry backoff). */
  notBefore: IsoDateTime;
  leaseOwner?: string;
  leaseUntil?: IsoDateTime;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  outcome?: MailWorkOutcome;
  /** For a resync: how many messages were marked. */
  marked?: number;
  failure?: { code: string; message: string };
  etag?: string;
}

export type NewMailWorkItem = Pick<MailWorkItem, "id" | "kind" | "mailbox" | "messageId" | "subscriptionId" | "createdAt">;

export interface MailWorkQueue {
  /** Adds items whose id is new; an id already queued (in any state) is a duplicate and is left alone. */
  enqueue(items: NewMailWorkItem[]): Promise<{ added: number; duplicates: number }>;
  /** Leases up to `max` items that are pending (and due) or whose lease expired; each claim is
   * etag-guarded, so an item claimed by another worker at the same moment is skipped. Counts the attempt. */
  claim(owner: string, now: IsoDateTime, leaseUntil: IsoDateTime, max: number): Promise<MailWorkItem[]>;
  /** Finishes a claimed item (etag-guarded: ConcurrencyError if the lease was lost meanwhile). */
  complete(item: MailWorkItem, outcome: MailWorkOutcome, now: IsoDateTime, marked?: number): Promise<MailWorkItem>;
  /** Puts a claimed item back for a later attempt. */
  retryLater(item: MailWorkItem, notBefore: IsoDateTime, failure: { code: string; message: string }, now: IsoDateTime): Promise<MailWorkItem>;
  /** Gives up on a claimed item; it stays visible as failed with its reason. */
  fail(item: MailWorkItem, failure: { code: string; message: string }, now: IsoDateTime): Promise<MailWorkItem>;
  get(id: string): Promise<MailWorkItem | undefined>;
  counts(): Promise<Record<MailWorkStatus, number>>;
  /** Deletes finished (done) items last updated before `before`; their ids stop deduplicating then. */
  purgeDone(before: IsoDateTime): Promise<number>;
}

export interface MailSubscriptionRecord {
  subscriptionId: string;
  /** Primary address, lower case. */
  mailbox: string;
  resource: string;
  /** The secret Graph echoes in every notification; compared in constant time. */
  clientState: string;
  /** As Graph returned it; renewal is planned from this. */
  expirationDateTime: IsoDateTime;
  createdAt: IsoDateTime;
  renewedAt?: IsoDateTime;
  status: "active" | "failed";
  failure?: { code: string; message: string };
  etag?: string;
}

export interface MailSubscriptionStore {
  get(subscriptionId: string): Promise<MailSubscriptionRecord | undefined>;
  list(): Promise<MailSubscriptionRecord[]>;
  create(record: MailSubscriptionRecord): Promise<MailSubscriptionRecord>;
  update(record: MailSubscriptionRecord): Promise<MailSubscriptionRecord>;
  delete(subscriptionId: string): Promise<void>;
}
