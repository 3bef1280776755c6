// The bot's tables (docs/storage.md "Bot"):
//   <prefix>DecisionBody   PartitionKey "seat", RowKey = the member's user id. One partition: a body has a handful
//                          of people and is read whole (who may vote).
//   <prefix>Conversations  PartitionKey = the key's kind (`channel`, `user`, `card`), RowKey = its id. A point read
//                          per proactive message; a reference is replaced whenever Teams sends a newer one.
// Keys hold ids only, never a name.
import { odata } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import type { BotStores, ConversationRecord, ConversationStore } from "../../ports/conversations";
import { parseConversationKey } from "../../ports/conversations";
import type { DecisionBodySeat, DecisionBodyStore } from "../../ports/decisionBody";
import { decodeRecord, encodeRecord } from "./codec";
import type { StoreErrorContext } from "./errors";
import { tableGateways, TableGateway, type RetryOptions } from "./gateway";
import { keyPart } from "./keys";

const SEATS = "seat";

function ctx(operation: string, entity: string, id: string): StoreErrorContext {
  return { operation: `bot.${operation}`, entity, id };
}

export class TableDecisionBodyStore implements DecisionBodyStore {
  constructor(private readonly table: TableGateway) {}

  async list(): Promise<DecisionBodySeat[]> {
    const out: DecisionBodySeat[] = [];
    for await (const row of this.table.query(odata`PartitionKey eq ${SEATS}`, ctx("seats.list", "decision body seat", "*"))) {
      out.push({ ...decodeRecord<DecisionBodySeat>(row), etag: row.etag });
    }
    return out;
  }

  async get(userId: string): Promise<DecisionBodySeat | undefined> {
    const row = await this.table.get(SEATS, keyPart("decision body seat", userId), ctx("seats.get", "decision body seat", userId));
    return row ? { ...decodeRecord<DecisionBodySeat>(row), etag: row.etag } : undefined;
  }

  async put(seat: DecisionBodySeat): Promise<DecisionBodySeat> {
    const props = encodeRecord("decision body seat", seat.userId, seat);
    const etag = await this.table.upsert({ partitionKey: SEATS, rowKey: keyPart("decision body seat", seat.userId), ...props }, ctx("seats.put", "decision body seat", seat.userId));
    return { ...decodeRecord<DecisionBodySeat>(props), etag };
  }

  async remove(userId: string): Promise<void> {
    await this.table.delete(SEATS, keyPart("decision body seat", userId), ctx("seats.remove", "decision body seat", userId));
  }
}

export class TableConversationStore implements ConversationStore {
  constructor(private readonly table: TableGateway) {}

  private keys(key: string): { partitionKey: string; rowKey: string } {
    const { kind, id } = parseConversationKey(key);
    return { partitionKey: kind, rowKey: keyPart("conversation", id) };
  }

  async get(key: string): Promise<ConversationRecord | undefined> {
    const { partitionKey, rowKey } = this.keys(key);
    const row = await this.table.get(partitionKey, rowKey, ctx("conversations.get", "conversation", partitionKey));
    return row ? { ...decodeRecord<ConversationRecord>(row), etag: row.etag } : undefined;
  }

  async put(record: ConversationRecord): Promise<ConversationRecord> {
    const keys = this.keys(record.key);
    const props = encodeRecord("conversation", keys.partitionKey, record);
    const etag = await this.table.upsert({ ...keys, ...props }, ctx("conversations.put", "conversation", keys.partitionKey));
    return { ...decodeRecord<ConversationRecord>(props), etag };
  }

  async delete(key: string): Promise<void> {
    const { partitionKey, rowKey } = this.keys(key);
    await this.table.delete(partitionKey, rowKey, ctx("conversations.delete", "conversation", partitionKey));
  }
}

export const BOT_TABLE_NAMES = { decisionBody: "DecisionBody", conversations: "Conversations" } as const;

export type BotTableStoresOptions = {
  tablePrefix?: string;
  retry?: RetryOptions;
  createTables?: boolean;
  allowInsecureConnection?: boolean;
} & ({ connectionString: string } | { tableEndpoint: string; credential: TokenCredential });

export async function createBotTableStores(options: BotTableStoresOptions): Promise<BotStores & { tableNames: Record<keyof typeof BOT_TABLE_NAMES, string> }> {
  const { gateway } = tableGateways(options);
  const decisionBody = gateway(BOT_TABLE_NAMES.decisionBody);
  const conversations = gateway(BOT_TABLE_NAMES.conversations);
  if (options.createTables ?? true) await Promise.all([decisionBody.ensureTable(), conversations.ensureTable()]);
  return {
    decisionBody: new TableDecisionBodyStore(decisionBody),
    conversations: new TableConversationStore(conversations),
    tableNames: { decisionBody: decisionBody.tableName, conversations: conversations.tableName },
  };
}
