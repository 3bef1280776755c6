// In-memory MailWorkQueue and MailSubscriptionStore: same claims, etags and errors as the table stores
// (bot/src/adapters/tables/mailMarking.ts), for unit tests and the demo.
import { AlreadyExistsError } from "../../ports/errors";
import type {
  MailSubscriptionRecord,
  MailSubscriptionStore,
  MailWorkItem,
  MailWorkOutcome,
  MailWorkQueue,
  MailWorkStatus,
  NewMailWorkItem,
} from "../../ports/mailMarking";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryMailWorkQueue implements MailWorkQueue {
  private readonly items = new MemoryRecords<MailWorkItem>("mail work item");

  async enqueue(items: NewMailWorkItem[]): Promise<{ added: number; duplicates: number }> {
    let added = 0;
    let duplicates = 0;
    for (const item of items) {
      try {
        this.items.create(keyPart("mail work item", item.id), item.id, {
          ...item,
          status: "pending",
          attempts: 0,
          notBefore: item.createdAt,
          updatedAt: item.createdAt,
        });
        added += 1;
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        duplicates += 1;
      }
    }
    return Promise.resolve({ added, duplicates });
  }

  async claim(owner: string, now: string, leaseUntil: string, max: number): Promise<MailWorkItem[]> {
    const due = this.items
      .list("", (i) => (i.status === "pending" && i.notBefore <= now) || (i.status === "leased" && (i.leaseUntil ?? "") < now))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
      .slice(0, max);
    const claimed = due.map((i) =>
      this.items.replace(keyPart("mail work item", i.id), i.id, { ...i, status: "leased", leaseOwner: owner, leaseUntil, attempts: i.attempts + 1, updatedAt: now }, i.etag),
    );
    return Promise.resolve(claimed);
  }

  private finish(item: MailWorkItem, next: MailWorkItem): MailWorkItem {
    const { leaseOwner: _o, leaseUntil: _u, ...rest } = next;
    return this.items.replace(keyPart("mail work item", item.id), item.id, rest, item.etag);
  }

  async complete(item: MailWorkItem, outcome: MailWorkOutcome, now: string, marked?: number): Promise<MailWorkItem> {
    return Promise.resolve(this.finish(item, { ...item, status: "done", outcome, ...(marked !== undefined ? { marked } : {}), updatedAt: now }));
  }

  async retryLater(item: MailWorkItem, notBefore: string, failure: { code: string; message: string }, now: string): Promise<MailWorkItem> {
    return Promise.resolve(this.finish(item, { ...item, status: "pending", notBefore, failure, updatedAt: now }));
  }

  async fail(item: MailWorkItem, failure: { code: string; message: string }, now: string): Promise<MailWorkItem> {
    return Promise.resolve(this.finish(item, { ...item, status: "failed", failure, updatedAt: now }));
  }

  async get(id: string): Promise<MailWorkItem | undefined> {
    return Promise.resolve(this.items.read(keyPart("mail work item", id)));
  }

  async counts(): Promise<Record<MailWorkStatus, number>> {
    const counts: Record<MailWorkStatus, number> = { pending: 0, leased: 0, done: 0, failed: 0 };
    for (const i of this.items.list()) counts[i.status] += 1;
    return Promise.resolve(counts);
  }

  async purgeDone(before: string): Promise<number> {
    const old = this.items.list("", (i) => i.status === "done" && i.updatedAt < before);
    for (const i of old) this.items.delete(keyPart("mail work item", i.id));
    return Promise.resolve(old.length);
  }
}

export class MemoryMailSubscriptionStore implements MailSubscriptionStore {
  private readonly records = new MemoryRecords<MailSubscriptionRecord>("mail subscription");

  async get(subscriptionId: string): Promise<MailSubscriptionRecord | undefined> {
    return Promise.resolve(this.records.read(keyPart("subscription", subscriptionId)));
  }

  async list(): Promise<MailSubscriptionRecord[]> {
    return Promise.resolve(this.records.list());
  }

  async create(record: MailSubscriptionRecord): Promise<MailSubscriptionRecord> {
    return Promise.resolve(this.records.create(keyPart("subscription", record.subscriptionId), record.subscriptionId, record));
  }

  async update(record: MailSubscriptionRecord): Promise<MailSubscriptionRecord> {
    return Promise.resolve(this.records.replace(keyPart("subscription", record.subscriptionId), record.subscriptionId, record, record.etag));
  }

  async delete(subscriptionId: string): Promise<void> {
    this.records.delete(keyPart("subscription", subscriptionId));
    return Promise.resolve();
  }
}
