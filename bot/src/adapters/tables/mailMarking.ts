// Mail-marking storage on Azure Tables (docs/graph.md "Marking incoming mail"):
//   <prefix>MailWork           PartitionKey = "w<first hex digit of the id>" (16 shards), RowKey = the item id
//                              (a hash of mailbox and message id, so a duplicate notification is a 409 and
//                              is dropped). Claims are etag-guarded updates: two instances never hold one item.
//   <prefix>MailSubscriptions  PartitionKey "sub", RowKey = the Graph subscription id.
import { odata } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import { AlreadyExistsError, ConcurrencyError, NotFoundError } from "../../ports/errors";
import type {
  MailSubscriptionRecord,
  MailSubscriptionStore,
  MailWorkItem,
  MailWorkOutcome,
  MailWorkQueue,
  MailWorkStatus,
  NewMailWorkItem,
} from "../../ports/mailMarking";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { tableGateways, TableGateway, type RetryOptions, type StoredRow } from "./gateway";
import { keyPart } from "./keys";

const SUBSCRIPTIONS = "sub";

function ctx(operation: string, entity: string, id: string): StoreErrorContext {
  return { operation: `mailMarking.${operation}`, entity, id };
}

function shard(id: string): string {
  return `w${/^[0-9a-f]/i.test(id) ? id[0]!.toLowerCase() : "x"}`;
}

function withEtag<T>(row: StoredRow): T & { etag: string } {
  return { ...decodeRecord<T>(row), etag: row.etag };
}

export class TableMailWorkQueue implements MailWorkQueue {
  constructor(private readonly table: TableGateway) {}

  private key(id: string): { partitionKey: string; rowKey: string } {
    return { partitionKey: shard(id), rowKey: keyPart("mail work item", id) };
  }

  async enqueue(items: NewMailWorkItem[]): Promise<{ added: number; duplicates: number }> {
    const results = await Promise.all(
      items.map(async (item) => {
        const record: MailWorkItem = { ...item, status: "pending", attempts: 0, notBefore: item.createdAt, updatedAt: item.createdAt };
        try {
          await this.table.create({ ...this.key(item.id), ...encodeRecord("mail work item", item.id, record) }, ctx("enqueue", "mail work item", item.id));
          return true;
        } catch (error) {
          if (error instanceof AlreadyExistsError) return false;
          throw error;
        }
      }),
    );
    const added = results.filter(Boolean).length;
    return { added, duplicates: results.length - added };
  }

  private async replace(item: MailWorkItem, next: MailWorkItem, operation: string): Promise<MailWorkItem> {
    const expected = requireEtag("mail work item", item.id, item.etag);
    const props = encodeRecord("mail work item", item.id, next);
    const etag = await this.table.replace({ ...this.key(item.id), ...props }, expected, ctx(operation, "mail work item", item.id));
    return { ...decodeRecord<MailWorkItem>(props), etag };
  }

  async claim(owner: string, now: string, leaseUntil: string, max: number): Promise<MailWorkItem[]> {
    const filter = odata`(status eq ${"pending"} and notBefore le ${now}) or (status eq ${"leased"} and leaseUntil lt ${now})`;
    const candidates = await this.table.first(filter, max * 2, ctx("claim", "mail work item", "*"));
    const claimed: MailWorkItem[] = [];
    for (const row of candidates) {
      if (claimed.length >= max) break;
      const item = withEtag<MailWorkItem>(row);
      try {
        claimed.push(await this.replace(item, { ...item, status: "leased", leaseOwner: owner, leaseUntil, attempts: item.attempts + 1, updatedAt: now }, "claim"));
      } catch (error) {
        // Claimed (or finished) by another worker since the query: skip it.
        if (error instanceof ConcurrencyError || error instanceof NotFoundError) continue;
        throw error;
      }
    }
    return claimed;
  }

  private finish(item: MailWorkItem, next: MailWorkItem, operation: string): Promise<MailWorkItem> {
    const { leaseOwner: _o, leaseUntil: _u, ...rest } = next;
    return this.replace(item, rest, operation);
  }

  complete(item: MailWorkItem, outcome: MailWorkOutcome, now: string, marked?: number): Promise<MailWorkItem> {
    return this.finish(item, { ...item, status: "done", outcome, ...(marked !== undefined ? { marked } : {}), updatedAt: now }, "complete");
  }

  retryLater(item: MailWorkItem, notBefore: string, failure: { code: string; message: string }, now: string): Promise<MailWorkItem> {
    return this.finish(item, { ...item, status: "pending", notBefore, failure, updatedAt: now }, "retryLater");
  }

  fail(item: MailWorkItem, failure: { code: string; message: string }, now: string): Promise<MailWorkItem> {
    return this.finish(item, { ...item, status: "failed", failure, updatedAt: now }, "fail");
  }

  async get(id: string): Promise<MailWorkItem | undefined> {
    const k = this.key(id);
    const row = await this.table.get(k.partitionKey, k.rowKey, ctx("get", "mail work item", id));
    return row ? withEtag<MailWorkItem>(row) : undefined;
  }

  async counts(): Promise<Record<MailWorkStatus, number>> {
    const counts: Record<MailWorkStatus, number> = { pending: 0, leased: 0, done: 0, failed: 0 };
    for await (const row of this.table.query(odata`PartitionKey ge ${"w"} and PartitionKey lt ${"x~"}`, ctx("counts", "mail work item", "*"), ["status"])) {
      const status = row.status as MailWorkStatus;
      if (status in counts) counts[status] += 1;
    }
    return counts;
  }

  async purgeDone(before: string): Promise<number> {
    const c = ctx("purgeDone", "mail work item", "*");
    let n = 0;
    for await (const row of this.table.query(odata`status eq ${"done"} and updatedAt lt ${before}`, c, ["PartitionKey", "RowKey"])) {
      await this.table.delete(String(row.partitionKey), String(row.rowKey), c);
      n += 1;
    }
    return n;
  }
}

export class TableMailSubscriptionStore implements MailSubscriptionStore {
  constructor(private readonly table: TableGateway) {}

  async get(subscriptionId: string): Promise<MailSubscriptionRecord | undefined> {
    const row = await this.table.get(SUBSCRIPTIONS, keyPart("subscription", subscriptionId), ctx("get", "mail subscription", subscriptionId));
    return row ? withEtag<MailSubscriptionRecord>(row) : undefined;
  }

  async list(): Promise<MailSubscriptionRecord[]> {
    const out: MailSubscriptionRecord[] = [];
    for await (const row of this.table.query(odata`PartitionKey eq ${SUBSCRIPTIONS}`, ctx("list", "mail subscription", "*"))) out.push(withEtag<MailSubscriptionRecord>(row));
    return out;
  }

  async create(record: MailSubscriptionRecord): Promise<MailSubscriptionRecord> {
    const props = encodeRecord("mail subscription", record.subscriptionId, record);
    const etag = await this.table.create({ partitionKey: SUBSCRIPTIONS, rowKey: keyPart("subscription", record.subscriptionId), ...props }, ctx("create", "mail subscription", record.subscriptionId));
    return { ...decodeRecord<MailSubscriptionRecord>(props), etag };
  }

  async update(record: MailSubscriptionRecord): Promise<MailSubscriptionRecord> {
    const expected = requireEtag("mail subscription", record.subscriptionId, record.etag);
    const props = encodeRecord("mail subscription", record.subscriptionId, record);
    const etag = await this.table.replace({ partitionKey: SUBSCRIPTIONS, rowKey: keyPart("subscription", record.subscriptionId), ...props }, expected, ctx("update", "mail subscription", record.subscriptionId));
    return { ...decodeRecord<MailSubscriptionRecord>(props), etag };
  }

  async delete(subscriptionId: string): Promise<void> {
    await this.table.delete(SUBSCRIPTIONS, keyPart("subscription", subscriptionId), ctx("delete", "mail subscription", subscriptionId));
  }
}

export const MAIL_MARKING_TABLE_NAMES = { work: "MailWork", subscriptions: "MailSubscriptions" } as const;

export type MailMarkingTableStoresOptions = {
  tablePrefix?: string;
  retry?: RetryOptions;
  createTables?: boolean;
  allowInsecureConnection?: boolean;
} & ({ connectionString: string } | { tableEndpoint: string; credential: TokenCredential });

export async function createMailMarkingTableStores(options: MailMarkingTableStoresOptions): Promise<{ queue: TableMailWorkQueue; subscriptions: TableMailSubscriptionStore }> {
  const { gateway } = tableGateways(options);
  const work = gateway(MAIL_MARKING_TABLE_NAMES.work);
  const subscriptions = gateway(MAIL_MARKING_TABLE_NAMES.subscriptions);
  if (options.createTables ?? true) await Promise.all([work.ensureTable(), subscriptions.ensureTable()]);
  return { queue: new TableMailWorkQueue(work), subscriptions: new TableMailSubscriptionStore(subscriptions) };
}
