// In-memory lifecycle stores, channel notifier and webhook recorder: same keys, limits, copies and errors as
// the table stores (tests/contract/lifecycleContract.ts). Used by unit tests and by a server without storage.
import { LIFECYCLE_COLLECTIONS, type ChannelMessage, type ChannelNotifier, type Collection, type FindValue, type LifecycleStores, type WebhookRequest, type WebhookSender } from "../../ports/lifecycle";
import { assertWhere, LIFECYCLE_ENTITIES } from "../tables/lifecycle";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryCollection<T extends { id: string; etag?: string }> implements Collection<T> {
  private readonly records: MemoryRecords<T>;

  constructor(private readonly entity: string) {
    this.records = new MemoryRecords<T>(entity);
  }

  async get(id: string): Promise<T | undefined> {
    return Promise.resolve(this.records.read(keyPart(this.entity, id)));
  }

  async create(record: T): Promise<T> {
    return Promise.resolve(this.records.create(keyPart(this.entity, record.id), record.id, record));
  }

  async update(record: T): Promise<T> {
    return Promise.resolve(this.records.replace(keyPart(this.entity, record.id), record.id, record, record.etag));
  }

  async delete(id: string): Promise<void> {
    this.records.delete(keyPart(this.entity, id));
    return Promise.resolve();
  }

  async find(where: Partial<Record<string, FindValue>> = {}): Promise<T[]> {
    const clauses = assertWhere(this.entity, where);
    return Promise.resolve(
      this.records.list("", (record) => clauses.every(([name, value]) => (record as Record<string, unknown>)[name] === value)),
    );
  }
}

export function createMemoryLifecycleStores(): LifecycleStores {
  return Object.fromEntries(
    LIFECYCLE_COLLECTIONS.map((name) => [name, new MemoryCollection(LIFECYCLE_ENTITIES[name])]),
  ) as unknown as LifecycleStores;
}

/** Keeps channel posts in memory: for tests, and for a server whose bot cannot post yet. */
export class MemoryChannelNotifier implements ChannelNotifier {
  readonly posts: { message: ChannelMessage; conversationId?: string }[] = [];
  /** Make the next `failures` posts throw, to test retries. */
  failures = 0;

  async post(message: ChannelMessage, conversationId?: string): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("The channel post failed (simulated).");
    }
    this.posts.push(conversationId === undefined ? { message } : { message, conversationId });
    return Promise.resolve();
  }
}

/** Records webhook requests and answers with the statuses queued in `responses` (default 200). */
export class RecordingWebhookSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];
  readonly responses: (number | "network-error")[] = [];

  async send(request: WebhookRequest): Promise<{ status: number }> {
    this.requests.push(request);
    const next = this.responses.shift() ?? 200;
    if (next === "network-error") throw new Error("connect ECONNREFUSED (simulated)");
    return Promise.resolve({ status: next });
  }
}
