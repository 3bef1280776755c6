// The simulated tenant behind the Graph simulator: users, groups, mailboxes (folders, inbox rules,
// messages) and change-notification subscriptions. Plain data and synchronous operations; the HTTP layer
// (server.ts) adds limits, faults, batching and notifications around it.
//
// It follows Graph's documented behaviour where CALM depends on it: rules live in the Inbox's
// `messageRules`, a redirect leaves the original in the mailbox (so CALM's rule also moves it to a named
// folder), a folder name is unique among its siblings (409 ErrorFolderExists), `@odata.etag` changes on
// every write to a message and an If-Match with an old one fails with 412. A message can be read whole as MIME
// (`$value`) and its internet headers with `$select=internetMessageHeaders`; a user reads another mailbox only
// when that mailbox gave them access (a shared mailbox's members), as Exchange decides for Mail.Read.Shared.

export interface SimUser {
  id: string;
  mail: string;
  userPrincipalName: string;
  displayName: string;
  hasMailbox: boolean;
}

export interface SimGroup {
  id: string;
  mail: string;
  displayName: string;
  /** User or group ids. */
  members: string[];
}

export interface SimFolder {
  id: string;
  displayName: string;
  wellKnownName?: string;
}

export interface SimMessage {
  id: string;
  folderId: string;
  from: string;
  sender: string;
  subject: string;
  categories: string[];
  receivedDateTime: string;
  changeKey: number;
  /** The sender's display name, when the mail carried one. */
  fromName?: string;
  /** Recipients' addresses (To and Cc), for the message's MIME form and headers. */
  to: string[];
  cc: string[];
  /** The body as plain text. */
  body: string;
  internetMessageId: string;
}

/** What a new message may say; anything left out gets what Exchange would give it. */
interface NewMessage {
  id?: string;
  from: string;
  fromName?: string;
  sender?: string;
  to?: string[];
  cc?: string[];
  subject?: string;
  body?: string;
  categories?: string[];
  receivedDateTime?: string;
  internetMessageId?: string;
}

/** A rule exactly as Graph returns it. */
export interface SimRule {
  id: string;
  displayName: string;
  sequence: number;
  isEnabled: boolean;
  hasError: boolean;
  isReadOnly: boolean;
  conditions: Record<string, unknown>;
  actions: Record<string, unknown>;
  exceptions?: Record<string, unknown>;
}

export interface SimMailbox {
  user: SimUser;
  folders: Map<string, SimFolder>;
  rules: Map<string, SimRule>;
  messages: Map<string, SimMessage>;
  /** Users given full access to this mailbox (a shared mailbox's members; Add-MailboxPermission in Exchange). */
  delegates: Set<string>;
}

export interface SimSubscription {
  id: string;
  resource: string;
  mailboxUserId: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationMs: number;
  needsReauthorization: boolean;
}

export interface RuleEvent {
  at: number;
  mailbox: string;
  kind: "created" | "updated" | "deleted";
  ruleId: string;
  displayName: string;
  /** For `created`: rules of the same name already in the mailbox at that moment. */
  sameNameBefore: number;
}

export class SimHttpError extends Error {
  constructor(readonly status: number, readonly graphCode: string, message: string) {
    super(message);
  }
}

/** A header value outside ASCII as an RFC 2047 encoded word. */
function encodeWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?utf-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
}

const WELL_KNOWN = ["inbox", "deleteditems", "sentitems", "drafts", "archive", "junkemail"] as const;

export class SimTenant {
  readonly tenantId = "00000000-0000-4000-8000-00000000cafe";
  private readonly users = new Map<string, SimUser>();
  private readonly userIndex = new Map<string, string>();
  private readonly groups = new Map<string, SimGroup>();
  private readonly groupIndex = new Map<string, string>();
  private readonly mailboxes = new Map<string, SimMailbox>();
  readonly subscriptions = new Map<string, SimSubscription>();
  readonly ruleEvents: RuleEvent[] = [];
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private nextId(prefix: string): string {
    this.counter += 1;
    // Graph ids are opaque, long and use `=`, `-`, `_`: keep `=` so URL encoding is exercised.
    return `${prefix}${this.counter.toString(36).padStart(6, "0")}=`;
  }

  // ------------------------------------------------------------------ directory

  addUser(input: { mail: string; displayName?: string; id?: string; hasMailbox?: boolean }): SimUser {
    const mail = input.mail.toLowerCase();
    const user: SimUser = {
      id: input.id ?? `00000000-0000-4000-9000-${(this.users.size + 1).toString(16).padStart(12, "0")}`,
      mail,
      userPrincipalName: mail,
      displayName: input.displayName ?? mail.split("@")[0]!,
      hasMailbox: input.hasMailbox ?? true,
    };
    this.users.set(user.id, user);
    this.userIndex.set(user.id.toLowerCase(), user.id);
    this.userIndex.set(mail, user.id);
    if (user.hasMailbox) {
      const folders = new Map<string, SimFolder>();
      for (const name of WELL_KNOWN) {
        const id = this.nextId("AAMkF");
        folders.set(id, { id, displayName: name === "inbox" ? "Inbox" : name, wellKnownName: name });
      }
      this.mailboxes.set(user.id, { user, folders, rules: new Map(), messages: new Map(), delegates: new Set() });
    }
    return user;
  }

  addGroup(input: { mail: string; displayName?: string; members: string[]; id?: string }): SimGroup {
    const group: SimGroup = {
      id: input.id ?? `00000000-0000-4000-a000-${(this.groups.size + 1).toString(16).padStart(12, "0")}`,
      mail: input.mail.toLowerCase(),
      displayName: input.displayName ?? input.mail,
      members: input.members.map((m) => this.resolveUser(m)?.id ?? this.resolveGroup(m)?.id ?? m),
    };
    this.groups.set(group.id, group);
    this.groupIndex.set(group.id.toLowerCase(), group.id);
    this.groupIndex.set(group.mail, group.id);
    return group;
  }

  resolveUser(idOrAddress: string): SimUser | undefined {
    const id = this.userIndex.get(idOrAddress.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  resolveGroup(idOrAddress: string): SimGroup | undefined {
    const id = this.groupIndex.get(idOrAddress.toLowerCase());
    return id === undefined ? undefined : this.groups.get(id);
  }

  listUsers(): SimUser[] {
    return [...this.users.values()];
  }

  /** Users in a group, nested groups included, each once. */
  transitiveUsers(group: SimGroup): SimUser[] {
    const seen = new Set<string>();
    const out: SimUser[] = [];
    const visit = (g: SimGroup): void => {
      for (const member of g.members) {
        if (seen.has(member)) continue;
        seen.add(member);
        const user = this.users.get(member);
        if (user) out.push(user);
        const nested = this.groups.get(member);
        if (nested) visit(nested);
      }
    };
    visit(group);
    return out;
  }

  mailbox(idOrAddress: string): SimMailbox {
    const user = this.resolveUser(idOrAddress);
    if (!user) throw new SimHttpError(404, "ErrorInvalidUser", "The requested user is invalid.");
    const mailbox = this.mailboxes.get(user.id);
    if (!mailbox) throw new SimHttpError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
    return mailbox;
  }

  hasMailbox(idOrAddress: string): boolean {
    const user = this.resolveUser(idOrAddress);
    return user !== undefined && this.mailboxes.has(user.id);
  }

  /** Gives `user` full access to `mailbox` (what makes a shared mailbox readable with Mail.Read.Shared). */
  grantMailboxAccess(mailbox: string, user: string): void {
    const target = this.resolveUser(user);
    if (!target) throw new SimHttpError(404, "ErrorInvalidUser", "The requested user is invalid.");
    this.mailbox(mailbox).delegates.add(target.id);
  }

  /** Whether `userId` may read `mailbox` as themselves: their own, or one that gave them access. */
  canRead(userId: string, mailbox: SimMailbox): boolean {
    return mailbox.user.id === userId || mailbox.delegates.has(userId);
  }

  // ------------------------------------------------------------------ folders

  folder(mailbox: SimMailbox, idOrWellKnown: string): SimFolder {
    const key = idOrWellKnown.toLowerCase();
    for (const f of mailbox.folders.values()) {
      if (f.id === idOrWellKnown || f.wellKnownName === key) return f;
    }
    throw new SimHttpError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  }

  inbox(mailbox: SimMailbox): SimFolder {
    return this.folder(mailbox, "inbox");
  }

  createFolder(mailbox: SimMailbox, displayName: string): SimFolder {
    if (typeof displayName !== "string" || displayName.trim().length === 0) {
      throw new SimHttpError(400, "ErrorInvalidRequest", "displayName is required.");
    }
    for (const f of mailbox.folders.values()) {
      if (f.displayName.toLowerCase() === displayName.toLowerCase()) {
        throw new SimHttpError(409, "ErrorFolderExists", "A folder with the specified name already exists.");
      }
    }
    const folder: SimFolder = { id: this.nextId("AAMkF"), displayName };
    mailbox.folders.set(folder.id, folder);
    return folder;
  }

  /** A folder deleted by hand: rules that moved mail there are now in error, as in Outlook. */
  deleteFolder(mailbox: SimMailbox, folderId: string): void {
    mailbox.folders.delete(folderId);
    for (const rule of mailbox.rules.values()) {
      if (rule.actions.moveToFolder === folderId) rule.hasError = true;
    }
  }

  // ------------------------------------------------------------------ rules

  listRules(mailbox: SimMailbox): SimRule[] {
    return [...mailbox.rules.values()].sort((a, b) => a.sequence - b.sequence);
  }

  rule(mailbox: SimMailbox, ruleId: string): SimRule {
    const rule = mailbox.rules.get(ruleId);
    if (!rule) throw new SimHttpError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    return rule;
  }

  private validateRuleParts(mailbox: SimMailbox, body: Record<string, unknown>): void {
    if ("displayName" in body && (typeof body.displayName !== "string" || body.displayName.length === 0)) {
      throw new SimHttpError(400, "ErrorInvalidRequest", "displayName must be a non-empty string.");
    }
    if ("sequence" in body && (typeof body.sequence !== "number" || !Number.isInteger(body.sequence) || body.sequence < 0)) {
      throw new SimHttpError(400, "ErrorInvalidRequest", "sequence must be a non-negative integer.");
    }
    if ("isEnabled" in body && typeof body.isEnabled !== "boolean") {
      throw new SimHttpError(400, "ErrorInvalidRequest", "isEnabled must be a boolean.");
    }
    const actions = body.actions;
    if (actions !== undefined) {
      if (typeof actions !== "object" || actions === null) throw new SimHttpError(400, "ErrorInvalidRequest", "actions must be an object.");
      const a = actions as Record<string, unknown>;
      for (const key of ["moveToFolder", "copyToFolder"]) {
        const folderId = a[key];
        if (folderId === undefined || folderId === null) continue;
        if (typeof folderId !== "string" || !mailbox.folders.has(folderId)) {
          throw new SimHttpError(400, "ErrorInvalidIdMalformed", "Id is malformed or the folder does not exist.");
        }
      }
      for (const key of ["redirectTo", "forwardTo"]) {
        const list = a[key];
        if (list === undefined) continue;
        if (!Array.isArray(list) || list.some((r) => typeof (r as { emailAddress?: { address?: unknown } })?.emailAddress?.address !== "string")) {
          throw new SimHttpError(400, "ErrorInvalidRecipients", `${key} must be a list of recipients.`);
        }
      }
    }
    const conditions = body.conditions;
    if (conditions !== undefined && (typeof conditions !== "object" || conditions === null)) {
      throw new SimHttpError(400, "ErrorInvalidRequest", "conditions must be an object.");
    }
  }

  createRule(mailbox: SimMailbox, body: Record<string, unknown>): SimRule {
    if (typeof body.displayName !== "string") throw new SimHttpError(400, "ErrorInvalidRequest", "displayName is required.");
    if (body.actions === undefined) throw new SimHttpError(400, "ErrorInvalidRequest", "At least one action is required.");
    this.validateRuleParts(mailbox, body);
    const sameNameBefore = [...mailbox.rules.values()].filter((r) => r.displayName === body.displayName).length;
    const rule: SimRule = {
      id: this.nextId("AQAAAJ"),
      displayName: body.displayName,
      sequence: typeof body.sequence === "number" ? body.sequence : mailbox.rules.size + 1,
      isEnabled: typeof body.isEnabled === "boolean" ? body.isEnabled : true,
      hasError: false,
      isReadOnly: false,
      conditions: structuredClone((body.conditions ?? {}) as Record<string, unknown>),
      actions: structuredClone(body.actions as Record<string, unknown>),
      ...(body.exceptions ? { exceptions: structuredClone(body.exceptions as Record<string, unknown>) } : {}),
    };
    mailbox.rules.set(rule.id, rule);
    this.ruleEvents.push({ at: this.now(), mailbox: mailbox.user.mail, kind: "created", ruleId: rule.id, displayName: rule.displayName, sameNameBefore });
    return structuredClone(rule);
  }

  /** PATCH: top-level properties replace; a complex property (conditions, actions) replaces as a whole. */
  updateRule(mailbox: SimMailbox, ruleId: string, body: Record<string, unknown>): SimRule {
    const rule = this.rule(mailbox, ruleId);
    if (rule.isReadOnly) throw new SimHttpError(403, "ErrorAccessDenied", "The rule is read-only.");
    this.validateRuleParts(mailbox, body);
    const next: SimRule = { ...rule };
    if (typeof body.displayName === "string") next.displayName = body.displayName;
    if (typeof body.sequence === "number") next.sequence = body.sequence;
    if (typeof body.isEnabled === "boolean") next.isEnabled = body.isEnabled;
    if (body.conditions !== undefined) next.conditions = structuredClone(body.conditions as Record<string, unknown>);
    if (body.actions !== undefined) next.actions = structuredClone(body.actions as Record<string, unknown>);
    if (body.exceptions !== undefined) next.exceptions = structuredClone(body.exceptions as Record<string, unknown>);
    next.hasError = typeof next.actions.moveToFolder === "string" && !mailbox.folders.has(next.actions.moveToFolder);
    mailbox.rules.set(ruleId, next);
    this.ruleEvents.push({ at: this.now(), mailbox: mailbox.user.mail, kind: "updated", ruleId, displayName: next.displayName, sameNameBefore: 0 });
    return structuredClone(next);
  }

  deleteRule(mailbox: SimMailbox, ruleId: string): void {
    const rule = this.rule(mailbox, ruleId);
    mailbox.rules.delete(ruleId);
    this.ruleEvents.push({ at: this.now(), mailbox: mailbox.user.mail, kind: "deleted", ruleId, displayName: rule.displayName, sameNameBefore: 0 });
  }

  // ------------------------------------------------------------------ messages

  message(mailbox: SimMailbox, messageId: string): SimMessage {
    const message = mailbox.messages.get(messageId);
    if (!message) throw new SimHttpError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    return message;
  }

  /** Puts a message straight into a folder (default the Inbox) without running rules: mail that was already
   * there, for seeding. A given id is kept as it is (REST ids the tests and the local stand-in know). */
  addMessage(to: string, input: NewMessage & { folder?: string }): SimMessage {
    const mailbox = this.mailbox(to);
    if (input.id !== undefined && mailbox.messages.has(input.id)) throw new SimHttpError(409, "ErrorItemExists", "A message with this id already exists.");
    return this.store(mailbox, this.folder(mailbox, input.folder ?? "inbox").id, input);
  }

  /** A new message in `folderId` of the mailbox, as Exchange would file it. */
  private store(mailbox: SimMailbox, folderId: string, input: NewMessage): SimMessage {
    const id = input.id ?? this.nextId("AAMkADm");
    const message: SimMessage = {
      id,
      folderId,
      from: input.from.toLowerCase(),
      sender: (input.sender ?? input.from).toLowerCase(),
      subject: input.subject ?? "(no subject)",
      categories: [...(input.categories ?? [])],
      receivedDateTime: input.receivedDateTime ?? new Date(this.now()).toISOString(),
      changeKey: 1,
      ...(input.fromName ? { fromName: input.fromName } : {}),
      to: (input.to ?? [mailbox.user.mail]).map((a) => a.toLowerCase()),
      cc: (input.cc ?? []).map((a) => a.toLowerCase()),
      body: input.body ?? "",
      internetMessageId: input.internetMessageId ?? `<${id.replace(/[^A-Za-z0-9]/g, "")}@sim.example>`,
    };
    mailbox.messages.set(id, message);
    return message;
  }

  /** The message's internet headers, as Exchange keeps them for mail that came in over SMTP. */
  internetHeaders(mailbox: SimMailbox, message: SimMessage): { name: string; value: string }[] {
    const address = (a: string, name?: string) => (name ? `"${name.replace(/["\\\r\n]/g, "")}" <${a}>` : a);
    return [
      { name: "Received", value: `from mx.sim.example by ${mailbox.user.mail.split("@")[1] ?? "sim.example"} with SMTP; ${new Date(message.receivedDateTime).toUTCString()}` },
      { name: "From", value: address(message.from, message.fromName) },
      { name: "To", value: message.to.join(", ") },
      ...(message.cc.length > 0 ? [{ name: "Cc", value: message.cc.join(", ") }] : []),
      { name: "Subject", value: encodeWord(message.subject) },
      { name: "Date", value: new Date(message.receivedDateTime).toUTCString().replace("GMT", "+0000") },
      { name: "Message-ID", value: message.internetMessageId },
      { name: "MIME-Version", value: "1.0" },
      { name: "Content-Type", value: "text/plain; charset=\"utf-8\"" },
      { name: "Content-Transfer-Encoding", value: "8bit" },
    ];
  }

  /** The whole message in MIME form (what `GET …/messages/{id}/$value` returns). */
  mimeOf(mailbox: SimMailbox, message: SimMessage): string {
    const head = this.internetHeaders(mailbox, message).map((h) => `${h.name}: ${h.value}`).join("\r\n");
    return `${head}\r\n\r\n${message.body.replace(/\r?\n/g, "\r\n")}\r\n`;
  }

  etagOf(message: SimMessage): string {
    return `W/"CQAAABYAAAA${message.changeKey}"`;
  }

  updateMessage(mailbox: SimMailbox, messageId: string, body: Record<string, unknown>, ifMatch?: string): SimMessage {
    const message = this.message(mailbox, messageId);
    if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== this.etagOf(message)) {
      throw new SimHttpError(412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.");
    }
    if (body.categories !== undefined) {
      if (!Array.isArray(body.categories) || body.categories.some((c) => typeof c !== "string")) {
        throw new SimHttpError(400, "ErrorInvalidRequest", "categories must be a list of strings.");
      }
      message.categories = [...(body.categories as string[])];
    }
    message.changeKey += 1;
    return message;
  }

  /** A new message arrives in the mailbox: inbox rules run (sequence order, enabled, no error), then the
   * message stays in the Inbox or wherever a rule moved it. Redirect and forward deliver a copy to
   * recipients in the tenant; a redirect keeps the original sender, and the original stays unless moved. */
  deliver(
    to: string,
    input: { from: string; sender?: string; subject?: string; categories?: string[] },
    depth = 0,
  ): { mailbox: SimMailbox; message: SimMessage; deliveredCopies: { mailbox: SimMailbox; message: SimMessage }[] } {
    const mailbox = this.mailbox(to);
    const message = this.store(mailbox, this.inbox(mailbox).id, input);
    const copies: { mailbox: SimMailbox; message: SimMessage }[] = [];
    for (const rule of this.listRules(mailbox)) {
      if (!rule.isEnabled || rule.hasError) continue;
      const from = (rule.conditions.fromAddresses as { emailAddress: { address: string } }[] | undefined) ?? [];
      if (from.length === 0 || !from.some((r) => r.emailAddress.address.toLowerCase() === message.from)) continue;
      const a = rule.actions;
      for (const key of ["redirectTo", "forwardTo"] as const) {
        const list = (a[key] as { emailAddress: { address: string } }[] | undefined) ?? [];
        for (const r of list) {
          if (depth < 3 && this.hasMailbox(r.emailAddress.address)) {
            const copy = this.deliver(r.emailAddress.address, { from: key === "redirectTo" ? message.from : mailbox.user.mail, subject: message.subject }, depth + 1);
            copies.push({ mailbox: copy.mailbox, message: copy.message }, ...copy.deliveredCopies);
          }
        }
      }
      if (typeof a.moveToFolder === "string" && mailbox.folders.has(a.moveToFolder)) message.folderId = a.moveToFolder;
      if (a.delete === true) message.folderId = this.folder(mailbox, "deleteditems").id;
      if (a.permanentDelete === true) mailbox.messages.delete(message.id);
      if (a.stopProcessingRules === true) break;
    }
    return { mailbox, message, deliveredCopies: copies };
  }

  // ------------------------------------------------------------------ subscriptions

  /** Graph's resource paths for a user's inbox messages (and all messages). Returns the mailbox user id. */
  subscriptionMailbox(resource: string): SimUser {
    const m = /^\/?(?:users|Users)\/([^/]+)\/(?:mailFolders\('Inbox'\)\/messages|mailFolders\/inbox\/messages|messages)$/i.exec(resource);
    if (!m) throw new SimHttpError(400, "InvalidRequest", "The resource is not supported by this simulator: use users/{id}/mailFolders('Inbox')/messages.");
    const user = this.resolveUser(decodeURIComponent(m[1]!));
    if (!user || !this.hasMailbox(user.id)) throw new SimHttpError(404, "ResourceNotFound", "The mailbox in the resource path was not found.");
    return user;
  }

  /** Drops subscriptions whose expiration has passed: Graph stops notifying and forgets them. */
  expireSubscriptions(): SimSubscription[] {
    const expired: SimSubscription[] = [];
    for (const sub of this.subscriptions.values()) {
      if (sub.expirationMs <= this.now()) {
        expired.push(sub);
        this.subscriptions.delete(sub.id);
      }
    }
    return expired;
  }

  newSubscriptionId(): string {
    return `${this.nextId("sub-").replace("=", "")}-${Math.floor(this.now() % 100000)}`;
  }
}
