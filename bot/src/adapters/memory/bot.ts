// In-memory decision body and conversation references: same keys, limits, copies and errors as the table stores
// (bot/src/adapters/tables/bot.ts), for unit tests, `startTestApp()` and a memory-backed server.
import type { BotStores, ConversationRecord, ConversationStore } from "../../ports/conversations";
import { parseConversationKey } from "../../ports/conversations";
import type { DecisionBodySeat, DecisionBodyStore } from "../../ports/decisionBody";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryDecisionBodyStore implements DecisionBodyStore {
  private readonly records = new MemoryRecords<DecisionBodySeat>("decision body seat");

  async list(): Promise<DecisionBodySeat[]> {
    return Promise.resolve(this.records.list());
  }

  async get(userId: string): Promise<DecisionBodySeat | undefined> {
    return Promise.resolve(this.records.read(keyPart("decision body seat", userId)));
  }

  async put(seat: DecisionBodySeat): Promise<DecisionBodySeat> {
    return Promise.resolve(this.records.upsert(keyPart("decision body seat", seat.userId), seat.userId, seat).record);
  }

  async remove(userId: string): Promise<void> {
    this.records.delete(keyPart("decision body seat", userId));
    return Promise.resolve();
  }
}

export class MemoryConversationStore implements ConversationStore {
  private readonly records = new MemoryRecords<ConversationRecord>("conversation");

  private rowKey(key: string): string {
    const { kind, id } = parseConversationKey(key);
    return `${kind}|${keyPart("conversation", id)}`;
  }

  async get(key: string): Promise<ConversationRecord | undefined> {
    return Promise.resolve(this.records.read(this.rowKey(key)));
  }

  async put(record: ConversationRecord): Promise<ConversationRecord> {
    const rowKey = this.rowKey(record.key);
    return Promise.resolve(this.records.upsert(rowKey, rowKey.split("|")[0]!, record).record);
  }

  async delete(key: string): Promise<void> {
    this.records.delete(this.rowKey(key));
    return Promise.resolve();
  }
}

export function createMemoryBotStores(): BotStores {
  return { decisionBody: new MemoryDecisionBodyStore(), conversations: new MemoryConversationStore() };
}
