// Outlook hosts for the add-in's unit tests, built with office-addin-mock (OfficeMockObject, host "outlook"),
// installed as the global `Office` that addin/src/outlook.ts reads. Each records what the add-in did to it:
// notification bars, session data, and the options every event was completed with.
import { OfficeMockObject } from "office-addin-mock";

export interface Addr { displayName: string; emailAddress: string }
type Callback<T> = (result: { status: string; value: T; error?: { message: string; code?: number } }) => void;

export interface HostRecord {
  bars: Map<string, { type: string; message: string }>;
  session: Map<string, string>;
  completed: unknown[];
  itemChanged: (() => void)[];
}

const ENUMS = {
  AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
  CoercionType: { Text: "text" },
  EventType: { ItemChanged: "olkItemSelectedChanged", RecipientsChanged: "olkRecipientsChanged" },
  MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: "informationalMessage", ErrorMessage: "errorMessage" }, RestVersion: { v2_0: "v2.0" } },
};

/** What Outlook's convertToRestId does to an EWS id: `/` becomes `-` and `+` becomes `_`. */
export function restIdOf(ewsId: string): string {
  return ewsId.replace(/\//g, "-").replace(/\+/g, "_");
}

function ok<T>(cb: Callback<T> | undefined, value: T): void {
  if (cb) setTimeout(() => cb({ status: "succeeded", value }), 0);
}
function fail<T>(cb: Callback<T> | undefined, message: string): void {
  if (cb) setTimeout(() => cb({ status: "failed", value: undefined as T, error: { message } }), 0);
}

function versionAtMost(a: string, b: string): boolean {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am! < bm! || (am === bm && an! <= bn!);
}

function notifications(record: HostRecord) {
  return {
    replaceAsync(key: string, details: { type: string; message: string }, cb?: Callback<void>) {
      if (details.message.length > 150) return fail(cb, "The message is longer than 150 characters.");
      record.bars.set(key, { type: details.type, message: details.message });
      ok(cb, undefined);
    },
    removeAsync(key: string, cb?: Callback<void>) {
      if (!record.bars.delete(key)) return fail(cb, "No notification with that key.");
      ok(cb, undefined);
    },
  };
}

function install(data: Record<string, unknown>): OfficeMockObject {
  const mock = new OfficeMockObject({ host: "outlook", ...ENUMS, ...data });
  (globalThis as { Office?: unknown }).Office = mock;
  return mock;
}

export function uninstall(): void {
  delete (globalThis as { Office?: unknown }).Office;
}

function base(record: HostRecord, mailboxVersion: string, item: Record<string, unknown>, extra: Record<string, unknown> = {}): OfficeMockObject {
  return install({
    context: {
      mailbox: {
        item,
        userProfile: { displayName: "Ola Officer", emailAddress: "ola.officer@calm-demo.example" },
        convertToRestId: (itemId: string, version: string) => (version === "v2.0" ? restIdOf(itemId) : itemId),
        addHandlerAsync(type: string, handler: () => void, cb?: Callback<void>) {
          if (type === ENUMS.EventType.ItemChanged) record.itemChanged.push(handler);
          ok(cb, undefined);
        },
      },
      requirements: { isSetSupported: (name: string, version = "1.1") => name === "Mailbox" && versionAtMost(version, mailboxVersion) },
    },
    ...extra,
  });
}

function newRecord(): HostRecord {
  return { bars: new Map(), session: new Map(), completed: [], itemChanged: [] };
}

/** Read mode: one message open. */
export function readHost(message: {
  from?: Addr;
  cc?: Addr[];
  to?: Addr[];
  subject?: string;
  receivedAt?: string;
  body?: string;
  eml?: string;
  headers?: string;
  mailboxVersion?: string;
  itemId?: string;
  failEml?: boolean;
  /** The message is in a mailbox shared with the user (getSharedPropertiesAsync, Mailbox 1.8/1.13). */
  sharedOwner?: string;
}): { record: HostRecord; mock: OfficeMockObject } {
  const record = newRecord();
  const version = message.mailboxVersion ?? "1.14";
  const item: Record<string, unknown> = {
    itemType: "message",
    itemId: message.itemId ?? "AAMkAD-test-1",
    internetMessageId: "<test-1@example.org>",
    subject: message.subject ?? "Hello",
    ...(message.from ? { from: { ...message.from } } : {}),
    to: message.to ?? [{ displayName: "Ola Officer", emailAddress: "ola.officer@calm-demo.example" }],
    cc: message.cc ?? [],
    dateTimeCreated: new Date(message.receivedAt ?? "2026-11-23T09:30:00.000Z"),
    notificationMessages: notifications(record),
    body: { getAsync: (_type: string, cb: Callback<string>) => ok(cb, message.body ?? "The body text.") },
  };
  if (versionAtMost("1.8", version)) item.getAllInternetHeadersAsync = (cb: Callback<string>) => ok(cb, message.headers ?? "From: someone@example.org\r\nSubject: Hello");
  if (versionAtMost("1.8", version) && message.sharedOwner) {
    item.getSharedPropertiesAsync = (cb: Callback<{ owner: string; targetMailbox: string }>) => ok(cb, { owner: message.sharedOwner!, targetMailbox: message.sharedOwner! });
  }
  if (versionAtMost("1.14", version)) {
    item.getAsFileAsync = (cb: Callback<string>) => (message.failEml ? fail(cb, "The item could not be copied.") : ok(cb, message.eml ?? Buffer.from(`From: ${message.from?.emailAddress ?? "unknown@example.org"}\r\nSubject: ${message.subject ?? "Hello"}\r\n\r\nBody`).toString("base64")));
  }
  return { record, mock: base(record, version, item) };
}

/** Compose mode: a draft with these recipients, sending from `from`. */
export function composeHost(draft: { to?: Addr[]; cc?: Addr[]; bcc?: Addr[]; from?: Addr; mailboxVersion?: string; failRecipients?: boolean }): { record: HostRecord; mock: OfficeMockObject; event: () => { completed(options?: unknown): void } } {
  const record = newRecord();
  const version = draft.mailboxVersion ?? "1.14";
  const recipients = (list: Addr[] | undefined) => ({
    getAsync: (cb: Callback<Addr[]>) => (draft.failRecipients ? fail(cb, "The recipients could not be read.") : ok(cb, (list ?? []).map((a) => ({ ...a, recipientType: "externalUser" })))),
  });
  const item: Record<string, unknown> = {
    itemType: "message",
    subject: { getAsync: (cb: Callback<string>) => ok(cb, "Your repair") },
    to: recipients(draft.to),
    cc: recipients(draft.cc),
    bcc: recipients(draft.bcc),
    from: { getAsync: (cb: Callback<Addr>) => ok(cb, draft.from ?? { displayName: "Ola Officer", emailAddress: "ola.officer@calm-demo.example" }) },
    notificationMessages: notifications(record),
  };
  if (versionAtMost("1.11", version)) {
    item.sessionData = {
      getAsync: (key: string, cb: Callback<string>) => ok(cb, record.session.get(key) ?? ""),
      setAsync: (key: string, value: string, cb?: Callback<void>) => { record.session.set(key, value); ok(cb, undefined); },
      removeAsync: (key: string, cb?: Callback<void>) => { record.session.delete(key); ok(cb, undefined); },
    };
  }
  const mock = base(record, version, item);
  return { record, mock, event: () => ({ completed: (options?: unknown) => { record.completed.push(options ?? null); } }) };
}

/** Office with SSO only (for the sign-in tests). */
export function ssoHost(getAccessToken: () => Promise<string>): OfficeMockObject {
  return install({ context: { mailbox: {} }, auth: { getAccessToken } });
}
