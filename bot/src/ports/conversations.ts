// Where the bot can write without being spoken to (proactive messages): the decision body's channel, each
// user's personal chat, and each posted vote card (to update it in place). The Bot Framework's conversation
// reference is kept as plain JSON so no SDK type crosses this port; only the Teams adapter reads it.
//
// Keys are `<kind>:<id>` with ids only (never a name): `channel:decision-body`, `user:<aadObjectId>`,
// `card:<caseId>`. Rules every implementation keeps (tests/contract/botStoreContract.ts): `put` replaces the
// record of the same key (last write wins: a newer reference is always the better one); reads return copies;
// `delete` of a missing key is not an error; unreachable storage is StoreUnavailableError.
import type { IsoDateTime } from "../../../core/src/domain";
import type { DecisionBodyStore } from "./decisionBody";

export const CONVERSATION_KINDS = ["channel", "user", "card"] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export interface ConversationRecord {
  key: string;
  /** The conversation reference, as the channel adapter wrote it. */
  reference: Record<string, unknown>;
  /** For a posted card: the activity to update in place. */
  activityId?: string;
  /** A little per-user state (ids only), e.g. the incident the user reported last, so files sent next are
   * added to it as evidence. */
  state?: Record<string, string>;
  updatedAt: IsoDateTime;
  etag?: string;
}

export interface ConversationStore {
  get(key: string): Promise<ConversationRecord | undefined>;
  put(record: ConversationRecord): Promise<ConversationRecord>;
  delete(key: string): Promise<void>;
}

/** Splits a key into its kind and id; throws TypeError for a malformed key (a programming error). */
export function parseConversationKey(key: string): { kind: ConversationKind; id: string } {
  const at = key.indexOf(":");
  const kind = key.slice(0, at) as ConversationKind;
  const id = key.slice(at + 1);
  if (at < 1 || !CONVERSATION_KINDS.includes(kind) || id.length === 0) {
    throw new TypeError(`Conversation key "${key.slice(0, 40)}" is not valid: use <${CONVERSATION_KINDS.join("|")}>:<id>.`);
  }
  return { kind, id };
}

export const DECISION_BODY_CHANNEL_KEY = "channel:decision-body";

/** The bot's stores: who sits on the decision body, and where the bot may write unprompted. */
export interface BotStores {
  decisionBody: DecisionBodyStore;
  conversations: ConversationStore;
}
