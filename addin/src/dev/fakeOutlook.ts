// A small stand-in for Outlook's Office.js host, for the local dev page (dev.html) and the Chromium tests. It
// implements the same surface the add-in uses (officeTypes.ts): a mailbox of fictional messages in read mode, a
// draft in compose mode, notification bars, session data, ItemChanged / RecipientsChanged, Office.actions and
// the Smart Alerts completion of the send event. It is not Office.js: it is the host, as the add-in sees it. Its
// messages' ids are already REST ids (convertToRestId gives them back unchanged); `npm start` puts the same messages,
// under the same ids, in the Graph simulator's mailbox for the user, so the server can copy one from there.
import type {
  OfficeAsyncResult, OfficeCallback, OfficeEmailAddress, OfficeEvent, OfficeGlobal, OfficeItem, OfficeNotificationDetails, SmartAlertCompletion,
} from "../officeTypes";

export interface FakeAddress {
  displayName: string;
  emailAddress: string;
}

export interface FakeMessage {
  id: string;
  subject: string;
  from: FakeAddress;
  to: FakeAddress[];
  cc: FakeAddress[];
  receivedAt: string;
  body: string;
  internetMessageId: string;
}

export interface FakeDraft {
  to: FakeAddress[];
  cc: FakeAddress[];
  bcc: FakeAddress[];
  from: FakeAddress;
  subject: string;
  body: string;
}

export interface FakeOutlookOptions {
  messages: FakeMessage[];
  user: FakeAddress;
  /** Highest Mailbox requirement set the pretend client supports (default 1.14). */
  mailboxVersion?: string;
  /** A token Office SSO hands out; without one, getAccessToken fails with `ssoErrorCode`. */
  ssoToken?: string;
  /** Default 13012: SSO is not supported in this host (true of this stand-in). */
  ssoErrorCode?: number;
}

export interface Bar extends OfficeNotificationDetails {
  key: string;
}

const OK = "succeeded";
const FAILED = "failed";

function versionAtMost(a: string, b: string): boolean {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am! < bm! || (am === bm && an! <= bn!);
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fmt(a: FakeAddress): string {
  return `"${a.displayName.replace(/"/g, "'")}" <${a.emailAddress}>`;
}

/** The message as RFC 5322 text, for getAsFileAsync. */
export function toEml(m: FakeMessage): string {
  return [
    `From: ${fmt(m.from)}`,
    `To: ${m.to.map(fmt).join(", ")}`,
    ...(m.cc.length ? [`Cc: ${m.cc.map(fmt).join(", ")}`] : []),
    `Subject: ${m.subject}`,
    `Date: ${new Date(m.receivedAt).toUTCString()}`,
    `Message-ID: ${m.internetMessageId}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    m.body,
    "",
  ].join("\r\n");
}

export class FakeOutlook {
  readonly office: OfficeGlobal;
  mode: "read" | "compose" | "none" = "none";
  selected = -1;
  draft: FakeDraft | undefined;
  private session = new Map<string, string>();
  private bars = new Map<string, Map<string, OfficeNotificationDetails>>();
  private itemChanged: (() => void)[] = [];
  private recipientsChanged: (() => void)[] = [];
  private actions = new Map<string, (event: OfficeEvent) => void>();
  private listeners = new Set<() => void>();
  private readonly maxVersion: string;
  /** Every Smart Alert the send event raised, newest last (for tests). */
  readonly alerts: SmartAlertCompletion[] = [];
  readonly sent: FakeDraft[] = [];

  constructor(readonly options: FakeOutlookOptions) {
    this.maxVersion = options.mailboxVersion ?? "1.14";
    const mailbox = () => ({
      item: this.currentItem(),
      userProfile: { ...options.user },
      convertToRestId: (itemId: string) => itemId,
      addHandlerAsync: (type: string, handler: () => void, cb?: OfficeCallback<void>) => {
        if (type === "olkItemSelectedChanged") this.itemChanged.push(handler);
        this.reply(cb, undefined);
      },
    });
    this.office = {
      onReady: (callback) => {
        const info = { host: "Outlook", platform: "OfficeOnline" };
        callback?.(info);
        return Promise.resolve(info);
      },
      context: {
        get mailbox() {
          return mailbox();
        },
        requirements: { isSetSupported: (name: string, version = "1.1") => name === "Mailbox" && versionAtMost(version, this.maxVersion) },
        officeTheme: { bodyBackgroundColor: "#ffffff" },
        displayLanguage: "en-GB",
      },
      auth: {
        getAccessToken: () =>
          options.ssoToken
            ? Promise.resolve(options.ssoToken)
            : Promise.reject(Object.assign(new Error("Single sign-on is not available in the local Outlook stand-in."), { code: options.ssoErrorCode ?? 13012, name: "NotSupported" })),
      },
      actions: { associate: (id, handler) => { this.actions.set(id, handler); } },
      AsyncResultStatus: { Succeeded: OK, Failed: FAILED },
      CoercionType: { Text: "text" },
      EventType: { ItemChanged: "olkItemSelectedChanged", RecipientsChanged: "olkRecipientsChanged" },
      MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: "informationalMessage", ErrorMessage: "errorMessage" }, RestVersion: { v2_0: "v2.0" } },
    };
  }

  /** Installs this host as the page's `Office` global. */
  install(target: { Office?: unknown } = globalThis as { Office?: unknown }): this {
    target.Office = this.office;
    return this;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  };

  private changes = 0;

  /** Grows on every change, for useSyncExternalStore. */
  get version(): number {
    return this.changes;
  }

  private changed(): void {
    this.changes++;
    for (const l of this.listeners) l();
  }

  private reply<T>(cb: OfficeCallback<T> | undefined, value: T, error?: string): void {
    if (!cb) return;
    const result: OfficeAsyncResult<T> = error ? { status: FAILED, value, error: { message: error } } : { status: OK, value };
    setTimeout(() => cb(result), 0);
  }

  private itemKey(): string {
    return this.mode === "compose" ? "draft" : this.messages[this.selected]?.id ?? "none";
  }

  get messages(): FakeMessage[] {
    return this.options.messages;
  }

  /** The bars on the item now showing. */
  barsNow(): Bar[] {
    return [...(this.bars.get(this.itemKey())?.entries() ?? [])].map(([key, d]) => ({ key, ...d }));
  }

  /** A new pane page opens: handlers of the old page are gone (each pane is its own page in Outlook). */
  openPane(): void {
    this.itemChanged = [];
    this.recipientsChanged = [];
  }

  select(index: number): void {
    this.mode = index >= 0 ? "read" : "none";
    this.selected = index;
    this.changed();
    for (const h of [...this.itemChanged]) h();
  }

  compose(draft: Partial<FakeDraft> = {}): void {
    this.mode = "compose";
    this.session = new Map();
    this.bars.delete("draft");
    this.draft = { to: [], cc: [], bcc: [], from: { ...this.options.user }, subject: "", body: "", ...draft };
    this.changed();
    for (const h of [...this.itemChanged]) h();
  }

  /** The author edits recipients: the pane hears RecipientsChanged, the event runtime runs its handler. */
  async setRecipients(field: "to" | "cc" | "bcc", list: FakeAddress[]): Promise<void> {
    if (!this.draft) return;
    this.draft = { ...this.draft, [field]: list };
    this.changed();
    for (const h of [...this.recipientsChanged]) h();
    await this.runEvent("onMessageRecipientsChanged");
  }

  setFrom(from: FakeAddress): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, from };
    this.changed();
  }

  /** Send: runs the Smart Alerts handler; a refusal leaves the draft open with the alert. */
  async send(): Promise<{ sent: boolean; alert?: SmartAlertCompletion }> {
    const options = await this.runEvent("onMessageSend");
    if (options && options.allowEvent === false) {
      this.alerts.push(options);
      this.changed();
      return { sent: false, alert: options };
    }
    if (this.draft) this.sent.push(this.draft);
    this.draft = undefined;
    this.mode = "none";
    this.changed();
    return { sent: true };
  }

  private runEvent(id: string): Promise<SmartAlertCompletion | undefined> {
    const handler = this.actions.get(id);
    if (!handler) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ allowEvent: true }), 30_000);
      handler({ completed: (options) => { clearTimeout(timer); this.changed(); resolve(options); } });
    });
  }

  private notificationMessages(): NonNullable<OfficeItem["notificationMessages"]> {
    const key = this.itemKey();
    const bars = this.bars.get(key) ?? new Map<string, OfficeNotificationDetails>();
    this.bars.set(key, bars);
    return {
      replaceAsync: (k, details, cb) => {
        if (details.message.length > 150) return this.reply(cb, undefined, "The notification is longer than 150 characters.");
        bars.set(k, { ...details });
        this.changed();
        this.reply(cb, undefined);
      },
      removeAsync: (k, cb) => {
        const had = bars.delete(k);
        this.changed();
        this.reply(cb, undefined, had ? undefined : "There is no notification with that key.");
      },
    };
  }

  private currentItem(): OfficeItem | null {
    if (this.mode === "read") {
      const m = this.messages[this.selected];
      if (!m) return null;
      const supports = (v: string) => versionAtMost(v, this.maxVersion);
      return {
        itemType: "message",
        itemId: m.id,
        internetMessageId: m.internetMessageId,
        subject: m.subject,
        from: { ...m.from },
        sender: { ...m.from },
        to: m.to.map((a) => ({ ...a })),
        cc: m.cc.map((a) => ({ ...a })),
        dateTimeCreated: new Date(m.receivedAt),
        notificationMessages: this.notificationMessages(),
        body: { getAsync: (_type, cb) => this.reply(cb, m.body) },
        ...(supports("1.8") ? { getAllInternetHeadersAsync: (cb: OfficeCallback<string>) => this.reply(cb, toEml({ ...m, body: "" }).trim()) } : {}),
        ...(supports("1.14") ? { getAsFileAsync: (cb: OfficeCallback<string>) => this.reply(cb, toBase64(toEml(m))) } : {}),
      };
    }
    if (this.mode === "compose" && this.draft) {
      const d = this.draft;
      const recipients = (list: FakeAddress[]) => ({ getAsync: (cb: OfficeCallback<OfficeEmailAddress[]>) => this.reply(cb, list.map((a) => ({ ...a, recipientType: "externalUser" }))) });
      return {
        itemType: "message",
        subject: { getAsync: (cb: OfficeCallback<string>) => this.reply(cb, d.subject) },
        from: { getAsync: (cb: OfficeCallback<OfficeEmailAddress>) => this.reply(cb, { ...d.from }) },
        to: recipients(d.to),
        cc: recipients(d.cc),
        bcc: recipients(d.bcc),
        notificationMessages: this.notificationMessages(),
        sessionData: versionAtMost("1.11", this.maxVersion)
          ? {
              getAsync: (key, cb) => this.reply(cb, this.session.get(key) ?? ""),
              setAsync: (key, value, cb) => { this.session.set(key, value); this.reply(cb, undefined); },
              removeAsync: (key, cb) => { this.session.delete(key); this.reply(cb, undefined); },
            }
          : undefined,
        addHandlerAsync: (type, handler, cb) => {
          if (type === "olkRecipientsChanged") this.recipientsChanged.push(() => handler());
          this.reply(cb, undefined);
        },
      };
    }
    return null;
  }
}

/** Parses "Name <a@b>, c@d" as typed in the stand-in's To box. */
export function parseAddressList(text: string): FakeAddress[] {
  return text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(.*?)\s*<([^>]*)>$/.exec(part);
      const emailAddress = (m ? m[2]! : part).trim();
      const displayName = (m ? m[1]!.replace(/^"|"$/g, "") : "").trim() || emailAddress;
      return { displayName, emailAddress };
    });
}
