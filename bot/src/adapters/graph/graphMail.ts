// GraphMail over the scheduler: builds each Graph call (path, body, whether it may be repeated), checks
// every answer's shape with zod, follows @odata.nextLink, and turns statuses into GraphError codes.
// An answer that does not have the documented shape is GRAPH_MALFORMED_RESPONSE, never a crash.
import { z } from "zod";
import {
  GraphError,
  type DirectoryUser,
  type GraphMail,
  type GraphSubscription,
  type MailFolder,
  type MessageRule,
  type MessageSummary,
  type NewMessageRule,
  type NewSubscription,
} from "../../ports/graph";
import type { GraphOperation, GraphReply, GraphScheduler } from "./scheduler";

const recipient = z.object({ emailAddress: z.object({ address: z.string(), name: z.string().nullish() }) });
const recipients = z.array(recipient);

const ruleSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  sequence: z.number().int().nullish(),
  isEnabled: z.boolean(),
  hasError: z.boolean().nullish(),
  isReadOnly: z.boolean().nullish(),
  conditions: z.record(z.string(), z.unknown()).nullish(),
  actions: z.record(z.string(), z.unknown()).nullish(),
  exceptions: z.record(z.string(), z.unknown()).nullish(),
});
const folderSchema = z.object({ id: z.string().min(1), displayName: z.string() });
const messageSchema = z.object({
  id: z.string().min(1),
  "@odata.etag": z.string().nullish(),
  receivedDateTime: z.string().nullish(),
  categories: z.array(z.string()).nullish(),
  from: recipient.nullish(),
  sender: recipient.nullish(),
});
const subscriptionSchema = z.object({
  id: z.string().min(1),
  resource: z.string(),
  changeType: z.string(),
  notificationUrl: z.string(),
  lifecycleNotificationUrl: z.string().nullish(),
  expirationDateTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date"),
  clientState: z.string().nullish(),
});
const userSchema = z.object({ id: z.string().min(1), mail: z.string().nullish(), userPrincipalName: z.string() });
const collection = <T extends z.ZodType>(item: T) =>
  z.object({ value: z.array(item), "@odata.nextLink": z.string().nullish() });
const errorSchema = z.object({ error: z.object({ code: z.string() }) });

/** Most pages followed for one collection: 100 pages of 999 users is far beyond any council. */
const MAX_PAGES = 100;

const RULE_CONDITION_KEYS = new Set(["fromAddresses"]);
const RULE_ACTION_KEYS = new Set(["redirectTo", "forwardTo", "moveToFolder", "copyToFolder", "stopProcessingRules", "delete", "permanentDelete"]);

function seg(value: string): string {
  return encodeURIComponent(value);
}

/** OData string literal: quotes doubled, then URL-encoded for the query string. */
function odataLiteral(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

function toRule(raw: z.infer<typeof ruleSchema>): MessageRule {
  const c = raw.conditions ?? {};
  const a = raw.actions ?? {};
  const otherConditions = Object.fromEntries(Object.entries(c).filter(([k, v]) => !RULE_CONDITION_KEYS.has(k) && v !== null && !(Array.isArray(v) && v.length === 0)));
  const otherActions = Object.fromEntries(Object.entries(a).filter(([k, v]) => !RULE_ACTION_KEYS.has(k) && v !== null && !(Array.isArray(v) && v.length === 0) && v !== false));
  const list = (v: unknown) => {
    const parsed = recipients.safeParse(v ?? []);
    if (!parsed.success) throw new GraphError("GRAPH_MALFORMED_RESPONSE");
    return parsed.data.map((r) => ({ emailAddress: { address: r.emailAddress.address, ...(r.emailAddress.name ? { name: r.emailAddress.name } : {}) } }));
  };
  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);
  const bool = (v: unknown) => (typeof v === "boolean" ? v : undefined);
  return {
    id: raw.id,
    displayName: raw.displayName,
    sequence: raw.sequence ?? 0,
    isEnabled: raw.isEnabled,
    hasError: raw.hasError ?? false,
    isReadOnly: raw.isReadOnly ?? false,
    conditions: {
      ...(c.fromAddresses !== undefined && c.fromAddresses !== null ? { fromAddresses: list(c.fromAddresses) } : {}),
      ...(Object.keys(otherConditions).length > 0 ? { other: otherConditions } : {}),
    },
    actions: {
      ...(a.redirectTo ? { redirectTo: list(a.redirectTo) } : {}),
      ...(a.forwardTo ? { forwardTo: list(a.forwardTo) } : {}),
      ...(str(a.moveToFolder) ? { moveToFolder: str(a.moveToFolder) } : {}),
      ...(str(a.copyToFolder) ? { copyToFolder: str(a.copyToFolder) } : {}),
      ...(bool(a.stopProcessingRules) !== undefined ? { stopProcessingRules: bool(a.stopProcessingRules) } : {}),
      ...(bool(a.delete) !== undefined ? { delete: bool(a.delete) } : {}),
      ...(bool(a.permanentDelete) !== undefined ? { permanentDelete: bool(a.permanentDelete) } : {}),
      ...(Object.keys(otherActions).length > 0 ? { other: otherActions } : {}),
    },
    ...(raw.exceptions && Object.values(raw.exceptions).some((v) => v !== null && !(Array.isArray(v) && v.length === 0)) ? { exceptions: raw.exceptions } : {}),
  };
}

/** The rule as Graph's JSON wants it (the `other` bags are CALM's reading aids, not Graph fields). */
function ruleBody(rule: Partial<NewMessageRule>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (rule.displayName !== undefined) body.displayName = rule.displayName;
  if (rule.sequence !== undefined) body.sequence = rule.sequence;
  if (rule.isEnabled !== undefined) body.isEnabled = rule.isEnabled;
  if (rule.conditions !== undefined) {
    const { other, ...known } = rule.conditions;
    body.conditions = { ...(other ?? {}), ...known };
  }
  if (rule.actions !== undefined) {
    const { other, ...known } = rule.actions;
    body.actions = { ...(other ?? {}), ...known };
  }
  return body;
}

function toMessage(raw: z.infer<typeof messageSchema>): MessageSummary {
  return {
    id: raw.id,
    ...(raw.from?.emailAddress.address ? { from: raw.from.emailAddress.address } : {}),
    ...(raw.sender?.emailAddress.address ? { sender: raw.sender.emailAddress.address } : {}),
    categories: raw.categories ?? [],
    ...(raw.receivedDateTime ? { receivedDateTime: raw.receivedDateTime } : {}),
    ...(raw["@odata.etag"] ? { etag: raw["@odata.etag"] } : {}),
  };
}

function toSubscription(raw: z.infer<typeof subscriptionSchema>): GraphSubscription {
  return {
    id: raw.id,
    resource: raw.resource,
    changeType: raw.changeType,
    notificationUrl: raw.notificationUrl,
    ...(raw.lifecycleNotificationUrl ? { lifecycleNotificationUrl: raw.lifecycleNotificationUrl } : {}),
    expirationDateTime: new Date(raw.expirationDateTime).toISOString(),
    ...(raw.clientState ? { clientState: raw.clientState } : {}),
  };
}

function toUser(raw: z.infer<typeof userSchema>): DirectoryUser {
  return { id: raw.id, userPrincipalName: raw.userPrincipalName, ...(raw.mail ? { mail: raw.mail } : {}) };
}

export class SchedulerGraphMail implements GraphMail {
  constructor(private readonly scheduler: GraphScheduler) {}

  private async call(op: GraphOperation): Promise<GraphReply> {
    return this.scheduler.execute(op);
  }

  /** Final statuses that are not success become GraphError with a stable code. */
  private fail(reply: GraphReply): never {
    const parsed = errorSchema.safeParse(reply.body);
    const graphCode = parsed.success ? parsed.data.error.code : undefined;
    const code =
      reply.status === 400 ? "GRAPH_BAD_REQUEST"
      : reply.status === 401 ? "GRAPH_UNAUTHORIZED"
      : reply.status === 403 ? "GRAPH_FORBIDDEN"
      : reply.status === 404 ? "GRAPH_NOT_FOUND"
      : reply.status === 409 ? "GRAPH_CONFLICT"
      : reply.status === 412 ? "GRAPH_PRECONDITION_FAILED"
      : "GRAPH_REQUEST_FAILED";
    throw new GraphError(code, { status: reply.status, graphCode });
  }

  private parse<T extends z.ZodType>(schema: T, reply: GraphReply, expected: number[] = [200, 201]): z.infer<T> {
    if (!expected.includes(reply.status)) this.fail(reply);
    const parsed = schema.safeParse(reply.body);
    if (!parsed.success) throw new GraphError("GRAPH_MALFORMED_RESPONSE", { status: reply.status });
    return parsed.data;
  }

  /** Follows @odata.nextLink (which is absolute) by turning it back into a path under the version root. */
  private async collect<T extends z.ZodType>(first: GraphOperation, item: T, max = Infinity): Promise<z.infer<T>[]> {
    const out: z.infer<T>[] = [];
    let op: GraphOperation | undefined = first;
    for (let page = 0; op && page < MAX_PAGES && out.length < max; page++) {
      const body = this.parse(collection(item), await this.call(op), [200]);
      out.push(...(body.value as z.infer<T>[]));
      const next = body["@odata.nextLink"];
      if (!next) break;
      let path: string;
      try {
        const url = new URL(next);
        path = url.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, "") + url.search;
      } catch {
        throw new GraphError("GRAPH_MALFORMED_RESPONSE");
      }
      op = { ...first, path };
    }
    return out.slice(0, max);
  }

  private rulesPath(mailbox: string): string {
    return `/users/${seg(mailbox)}/mailFolders/inbox/messageRules`;
  }

  async listMessageRules(mailbox: string): Promise<MessageRule[]> {
    const raw = await this.collect({ method: "GET", path: this.rulesPath(mailbox), mailbox, idempotent: true }, ruleSchema);
    return raw.map(toRule);
  }

  async createMessageRule(mailbox: string, rule: NewMessageRule): Promise<MessageRule> {
    const reply = await this.call({ method: "POST", path: this.rulesPath(mailbox), body: ruleBody(rule), mailbox, idempotent: false });
    if (reply.status === 200 || reply.status === 201) {
      const parsed = ruleSchema.safeParse(reply.body);
      // The rule may well exist now; only a re-read can tell, so the caller treats this as outcome unknown.
      if (!parsed.success) throw new GraphError("GRAPH_OUTCOME_UNKNOWN", { status: reply.status, outcomeUnknown: true });
      return toRule(parsed.data);
    }
    return this.fail(reply);
  }

  async updateMessageRule(mailbox: string, ruleId: string, patch: Partial<NewMessageRule>): Promise<MessageRule> {
    const reply = await this.call({ method: "PATCH", path: `${this.rulesPath(mailbox)}/${seg(ruleId)}`, body: ruleBody(patch), mailbox, idempotent: true });
    return toRule(this.parse(ruleSchema, reply, [200]));
  }

  async deleteMessageRule(mailbox: string, ruleId: string): Promise<{ deleted: boolean }> {
    const reply = await this.call({ method: "DELETE", path: `${this.rulesPath(mailbox)}/${seg(ruleId)}`, mailbox, idempotent: true });
    if (reply.status === 204 || reply.status === 200) return { deleted: true };
    if (reply.status === 404) {
      const parsed = errorSchema.safeParse(reply.body);
      // A missing mailbox is a real failure; a missing rule means it is already gone.
      if (parsed.success && /user|mailbox/i.test(parsed.data.error.code)) this.fail(reply);
      return { deleted: false };
    }
    return this.fail(reply);
  }

  async findMailFolder(mailbox: string, displayName: string): Promise<MailFolder | undefined> {
    const path = `/users/${seg(mailbox)}/mailFolders?$filter=${encodeURIComponent("displayName eq ")}${odataLiteral(displayName)}&$select=id,displayName`;
    const folders = await this.collect({ method: "GET", path, mailbox, idempotent: true }, folderSchema, 50);
    return folders.find((f) => f.displayName.toLowerCase() === displayName.toLowerCase());
  }

  async createMailFolder(mailbox: string, displayName: string): Promise<MailFolder> {
    const reply = await this.call({ method: "POST", path: `/users/${seg(mailbox)}/mailFolders`, body: { displayName }, mailbox, idempotent: false });
    if (reply.status === 409) throw new GraphError("GRAPH_CONFLICT", { status: 409 });
    if (reply.status === 200 || reply.status === 201) {
      const parsed = folderSchema.safeParse(reply.body);
      if (!parsed.success) throw new GraphError("GRAPH_OUTCOME_UNKNOWN", { status: reply.status, outcomeUnknown: true });
      return parsed.data;
    }
    return this.fail(reply);
  }

  async getMessage(mailbox: string, messageId: string): Promise<MessageSummary | undefined> {
    const reply = await this.call({
      method: "GET",
      path: `/users/${seg(mailbox)}/messages/${seg(messageId)}?$select=from,sender,categories,receivedDateTime`,
      mailbox,
      idempotent: true,
    });
    if (reply.status === 404) {
      const parsed = errorSchema.safeParse(reply.body);
      if (parsed.success && /user|mailbox/i.test(parsed.data.error.code)) this.fail(reply);
      return undefined;
    }
    return toMessage(this.parse(messageSchema, reply, [200]));
  }

  async listInboxMessages(mailbox: string, options: { receivedSince: string; max: number }): Promise<MessageSummary[]> {
    const since = new Date(options.receivedSince).toISOString();
    const top = Math.max(1, Math.min(100, options.max));
    const path =
      `/users/${seg(mailbox)}/mailFolders/inbox/messages?$filter=${encodeURIComponent(`receivedDateTime ge ${since}`)}` +
      `&$select=from,sender,categories,receivedDateTime&$orderby=${encodeURIComponent("receivedDateTime desc")}&$top=${top}`;
    const raw = await this.collect({ method: "GET", path, mailbox, idempotent: true }, messageSchema, options.max);
    return raw.map(toMessage);
  }

  async setMessageCategories(mailbox: string, messageId: string, categories: string[], etag?: string): Promise<void> {
    const reply = await this.call({
      method: "PATCH",
      path: `/users/${seg(mailbox)}/messages/${seg(messageId)}`,
      body: { categories },
      ...(etag ? { headers: { "If-Match": etag } } : {}),
      mailbox,
      idempotent: true,
    });
    if (reply.status === 200 || reply.status === 204) return;
    this.fail(reply);
  }

  async createSubscription(subscription: NewSubscription): Promise<GraphSubscription> {
    const reply = await this.call({ method: "POST", path: "/subscriptions", body: { ...subscription }, idempotent: false });
    if (reply.status === 200 || reply.status === 201) {
      const parsed = subscriptionSchema.safeParse(reply.body);
      if (!parsed.success) throw new GraphError("GRAPH_OUTCOME_UNKNOWN", { status: reply.status, outcomeUnknown: true });
      return toSubscription(parsed.data);
    }
    return this.fail(reply);
  }

  async renewSubscription(subscriptionId: string, expirationDateTime: string): Promise<GraphSubscription> {
    const reply = await this.call({ method: "PATCH", path: `/subscriptions/${seg(subscriptionId)}`, body: { expirationDateTime }, idempotent: true });
    return toSubscription(this.parse(subscriptionSchema, reply, [200]));
  }

  async deleteSubscription(subscriptionId: string): Promise<{ deleted: boolean }> {
    const reply = await this.call({ method: "DELETE", path: `/subscriptions/${seg(subscriptionId)}`, idempotent: true });
    if (reply.status === 204 || reply.status === 200) return { deleted: true };
    if (reply.status === 404) return { deleted: false };
    return this.fail(reply);
  }

  async getUser(idOrAddress: string): Promise<DirectoryUser | undefined> {
    const reply = await this.call({ method: "GET", path: `/users/${seg(idOrAddress)}?$select=id,mail,userPrincipalName`, idempotent: true });
    if (reply.status === 404) return undefined;
    return toUser(this.parse(userSchema, reply, [200]));
  }

  async listGroupMembers(groupIdOrAddress: string): Promise<DirectoryUser[]> {
    let groupId = groupIdOrAddress;
    if (groupIdOrAddress.includes("@")) {
      const path = `/groups?$filter=${encodeURIComponent("mail eq ")}${odataLiteral(groupIdOrAddress)}&$select=id`;
      const groups = await this.collect({ method: "GET", path, idempotent: true }, z.object({ id: z.string().min(1) }), 2);
      if (groups.length === 0) throw new GraphError("GRAPH_NOT_FOUND", { status: 404 });
      groupId = groups[0]!.id;
    }
    const path = `/groups/${seg(groupId)}/transitiveMembers/microsoft.graph.user?$select=id,mail,userPrincipalName&$top=999`;
    const users = await this.collect({ method: "GET", path, idempotent: true }, userSchema);
    return users.map(toUser);
  }
}
