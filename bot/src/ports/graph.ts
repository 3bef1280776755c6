// What the services need from Microsoft Graph for mail protection (issue 6): inbox rules for SPOC diverts
// (Dorset 4.11-4.12), mail folders to keep the diverted originals, messages to mark, change-notification
// subscriptions, and the directory to turn the decision's staff and groups into mailboxes.
//
// The adapter (bot/src/adapters/graph) does batching, throttling and retries behind this port; a method
// either returns what Graph said or throws GraphError with a stable code. Nothing here logs or returns
// personal data beyond what the caller passed in.

/** Graph's `recipient` shape. */
export interface GraphRecipient {
  emailAddress: { address: string; name?: string };
}

/** The parts of `messageRulePredicates` CALM writes or inspects. Graph has more; the adapter keeps any
 * others it reads in `other` so a drift check can see that someone added a condition by hand. */
export interface MessageRuleConditions {
  fromAddresses?: GraphRecipient[];
  other?: Record<string, unknown>;
}

/** The parts of `messageRuleActions` CALM writes or inspects (same `other` convention). */
export interface MessageRuleActions {
  redirectTo?: GraphRecipient[];
  forwardTo?: GraphRecipient[];
  moveToFolder?: string;
  copyToFolder?: string;
  stopProcessingRules?: boolean;
  delete?: boolean;
  permanentDelete?: boolean;
  other?: Record<string, unknown>;
}

export interface MessageRule {
  id: string;
  displayName: string;
  sequence: number;
  isEnabled: boolean;
  hasError?: boolean;
  isReadOnly?: boolean;
  conditions: MessageRuleConditions;
  actions: MessageRuleActions;
  /** Exception predicates, as Graph sent them (CALM never sets any; one appearing is drift). */
  exceptions?: Record<string, unknown>;
}

export type NewMessageRule = Omit<MessageRule, "id" | "hasError" | "isReadOnly" | "exceptions">;

export interface MailFolder {
  id: string;
  displayName: string;
}

/** A message as far as marking needs it. Addresses are as Graph returned them (not normalised). */
export interface MessageSummary {
  id: string;
  from?: string;
  sender?: string;
  categories: string[];
  receivedDateTime?: string;
  /** `@odata.etag`, for an If-Match on the category update. */
  etag?: string;
}

export interface GraphSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  /** As Graph returned it: may be earlier than requested. Renewal is planned from this value. */
  expirationDateTime: string;
  clientState?: string;
}

export interface NewSubscription {
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  expirationDateTime: string;
  clientState: string;
}

export interface DirectoryUser {
  id: string;
  /** The primary SMTP address; undefined for an account without a mailbox. */
  mail?: string;
  userPrincipalName: string;
}

export interface GraphMail {
  /** Every rule in the mailbox's Inbox (all pages). */
  listMessageRules(mailbox: string): Promise<MessageRule[]>;
  createMessageRule(mailbox: string, rule: NewMessageRule): Promise<MessageRule>;
  updateMessageRule(mailbox: string, ruleId: string, patch: Partial<NewMessageRule>): Promise<MessageRule>;
  /** `deleted: false` when the rule was already gone (404): deleting is idempotent. */
  deleteMessageRule(mailbox: string, ruleId: string): Promise<{ deleted: boolean }>;

  /** A top-level mail folder by its exact display name. */
  findMailFolder(mailbox: string, displayName: string): Promise<MailFolder | undefined>;
  /** Throws GraphError `GRAPH_CONFLICT` when a folder of that name exists already. */
  createMailFolder(mailbox: string, displayName: string): Promise<MailFolder>;

  /** Undefined when the message no longer exists (deleted or moved away by a rule). */
  getMessage(mailbox: string, messageId: string): Promise<MessageSummary | undefined>;
  /** Inbox messages received at or after `receivedSince`, newest first, at most `max`. */
  listInboxMessages(mailbox: string, options: { receivedSince: string; max: number }): Promise<MessageSummary[]>;
  /** Replaces the message's categories. With `etag`, fails with `GRAPH_PRECONDITION_FAILED` if the message
   * changed since it was read. */
  setMessageCategories(mailbox: string, messageId: string, categories: string[], etag?: string): Promise<void>;

  createSubscription(subscription: NewSubscription): Promise<GraphSubscription>;
  renewSubscription(subscriptionId: string, expirationDateTime: string): Promise<GraphSubscription>;
  deleteSubscription(subscriptionId: string): Promise<{ deleted: boolean }>;

  /** By object id or user principal name / primary address; undefined if there is no such user. */
  getUser(idOrAddress: string): Promise<DirectoryUser | undefined>;
  /** Users in the group, nested groups included (all pages). Group by object id or by its mail address. */
  listGroupMembers(groupIdOrAddress: string): Promise<DirectoryUser[]>;
}

export const GRAPH_ERROR_CODES = [
  "GRAPH_THROTTLED",
  "GRAPH_UNAVAILABLE",
  "GRAPH_NETWORK",
  "GRAPH_MALFORMED_RESPONSE",
  "GRAPH_OUTCOME_UNKNOWN",
  "GRAPH_BAD_REQUEST",
  "GRAPH_UNAUTHORIZED",
  "GRAPH_FORBIDDEN",
  "GRAPH_NOT_FOUND",
  "GRAPH_CONFLICT",
  "GRAPH_PRECONDITION_FAILED",
  "GRAPH_REQUEST_FAILED",
  "GRAPH_CLOSED",
] as const;
export type GraphErrorCode = (typeof GRAPH_ERROR_CODES)[number];

/** What each code means for the person reading a failed mailbox in the tab, and what to do next. */
const MESSAGES: Record<GraphErrorCode, string> = {
  GRAPH_THROTTLED:
    "Microsoft 365 kept asking CALM to slow down for this mailbox and the retries ran out. Choose \"Retry failed mailboxes\" in a few minutes.",
  GRAPH_UNAVAILABLE:
    "Microsoft 365 was unavailable for this mailbox and the retries ran out. Choose \"Retry failed mailboxes\" later; if it keeps failing, check the Microsoft 365 service health page.",
  GRAPH_NETWORK:
    "CALM could not reach Microsoft 365 (the connection dropped) and the retries ran out. Choose \"Retry failed mailboxes\" later.",
  GRAPH_MALFORMED_RESPONSE:
    "Microsoft 365 sent an answer CALM could not read. Choose \"Retry failed mailboxes\"; if it happens again, report it to the CALM administrator.",
  GRAPH_OUTCOME_UNKNOWN:
    "The connection to Microsoft 365 failed while a change was being made, so CALM cannot tell whether it was made. CALM checks the mailbox again before retrying, so nothing is made twice.",
  GRAPH_BAD_REQUEST:
    "Microsoft 365 refused the change as invalid. Check the SPOC mailbox and the sender addresses on the entry, then retry.",
  GRAPH_UNAUTHORIZED:
    "CALM's sign-in to Microsoft 365 was refused. An administrator must check the app registration's credentials.",
  GRAPH_FORBIDDEN:
    "CALM is not allowed to change this mailbox. An administrator must add the mailbox to the group CALM's access policy covers, or grant the Graph permission listed in docs/graph.md.",
  GRAPH_NOT_FOUND:
    "Microsoft 365 has no such mailbox or user. Check the address or whether the account has a mailbox.",
  GRAPH_CONFLICT: "The item already exists in the mailbox.",
  GRAPH_PRECONDITION_FAILED: "The item changed while CALM was updating it. CALM reads it again and retries.",
  GRAPH_REQUEST_FAILED: "Microsoft 365 refused the request. Report it to the CALM administrator with the job reference.",
  GRAPH_CLOSED: "CALM was shutting down, so the request was not sent. It is picked up again when CALM restarts.",
};

export function graphErrorMessage(code: GraphErrorCode): string {
  return MESSAGES[code];
}

/** Everything the Graph adapter throws. `retryable` says whether trying again later may succeed;
 * `outcomeUnknown` says a change may or may not have been made (re-read before retrying). */
export class GraphError extends Error {
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;
  readonly status?: number;
  /** Graph's own error code (e.g. `ErrorInvalidUser`), never its message (which can hold addresses). */
  readonly graphCode?: string;
  readonly attempts: number;
  readonly retryAfterMs?: number;

  constructor(
    readonly code: GraphErrorCode,
    details: {
      status?: number;
      graphCode?: string;
      attempts?: number;
      retryable?: boolean;
      outcomeUnknown?: boolean;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(MESSAGES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "GraphError";
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.attempts = details.attempts ?? 1;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable =
      details.retryable ??
      ["GRAPH_THROTTLED", "GRAPH_UNAVAILABLE", "GRAPH_NETWORK", "GRAPH_MALFORMED_RESPONSE", "GRAPH_OUTCOME_UNKNOWN", "GRAPH_PRECONDITION_FAILED", "GRAPH_CLOSED"].includes(code);
  }
}

export function isGraphError(error: unknown): error is GraphError {
  return error instanceof GraphError;
}
