// The only module that touches Office.js (ARCHITECTURE.md: one module per platform SDK). Everything else in the
// add-in sees plain data and promises through the functions below, so the pane, the event handlers and the
// tests never depend on Office.js itself. In production the pages load Office.js from Microsoft's CDN; the unit
// tests install office-addin-mock as the global, the Chromium tests and the local dev page a small fake host.
import type { OfficeAsyncResult, OfficeEmailAddress, OfficeEvent, OfficeGlobal, OfficeItem, OfficeRecipients, SmartAlertCompletion } from "./officeTypes";

export interface MailAddress {
  displayName: string;
  emailAddress: string;
}

/** The message open in read mode, as far as Outlook gives it without a round trip. */
export interface ReadMessage {
  itemId?: string;
  internetMessageId?: string;
  subject: string;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  /** When the message was received (its creation time), ISO 8601. */
  receivedAt?: string;
}

export interface ComposeRecipients {
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  /** The mailbox the email goes from (Mailbox 1.7), when Outlook says. */
  from?: MailAddress;
}

/** A failure Outlook reported, with its code where it gave one (e.g. 13001 from getAccessToken). */
export class OutlookError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly officeName?: string,
  ) {
    super(message);
    this.name = "OutlookError";
  }
}

export const NOTIFICATION_KEYS = { sender: "calm-sender", recipients: "calm-recipients" } as const;
/** Outlook refuses notification text over 150 characters. */
export const NOTIFICATION_MAX = 150;

function office(): OfficeGlobal {
  const found = (globalThis as { Office?: OfficeGlobal }).Office;
  if (!found) throw new OutlookError("Office.js is not loaded: open CALM from Outlook.");
  return found;
}

export function officeLoaded(): boolean {
  return !!(globalThis as { Office?: OfficeGlobal }).Office;
}

/** Waits for Office.js to initialise (at most `timeoutMs`); undefined when it never does (not in Outlook). */
export async function whenReady(timeoutMs = 10_000): Promise<{ host?: string; platform?: string } | undefined> {
  if (!officeLoaded()) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), timeoutMs); });
  try {
    return await Promise.race([office().onReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the client supports a Mailbox requirement set, e.g. "1.14" for getAsFileAsync. */
export function supportsMailbox(version: string): boolean {
  try {
    return office().context.requirements?.isSetSupported("Mailbox", version) ?? false;
  } catch {
    // An old client without the requirements API: assume only the manifest's minimum.
    return version <= "1.5";
  }
}

function item(): OfficeItem | undefined {
  return office().context.mailbox?.item ?? undefined;
}

function asAddress(a: OfficeEmailAddress | undefined | null): MailAddress | undefined {
  if (!a) return undefined;
  const emailAddress = (a.emailAddress ?? "").trim();
  const displayName = (a.displayName ?? "").trim();
  if (!emailAddress && !displayName) return undefined;
  return { displayName: displayName || emailAddress, emailAddress };
}

function asAddresses(list: unknown): MailAddress[] {
  return Array.isArray(list) ? list.map((a) => asAddress(a as OfficeEmailAddress)).filter((a): a is MailAddress => !!a) : [];
}

/** Turns an Office.js callback API into a promise, failing with the message Outlook gave. */
function call<T>(start: (callback: (result: OfficeAsyncResult<T>) => void) => void, what: string): Promise<T> {
  const failed = office().AsyncResultStatus.Failed;
  return new Promise<T>((resolve, reject) => {
    try {
      start((result) => {
        if (result.status === failed) reject(new OutlookError(`Outlook could not ${what}: ${result.error?.message ?? "no reason given"}.`, result.error?.code, result.error?.name));
        else resolve(result.value);
      });
    } catch (error) {
      reject(new OutlookError(`Outlook could not ${what}: ${error instanceof Error ? error.message : "no reason given"}.`));
    }
  });
}

/** "read" when a message is open to read, "compose" when one is being written, "none" when nothing is selected. */
export function itemMode(): "read" | "compose" | "none" {
  const current = item();
  if (!current) return "none";
  const to = current.to as unknown;
  return to && typeof (to as OfficeRecipients).getAsync === "function" ? "compose" : "read";
}

/** The open message in read mode; undefined when nothing (or something other than a message) is selected. */
export function readMessage(): ReadMessage | undefined {
  const current = item();
  if (!current || itemMode() !== "read") return undefined;
  if (current.itemType && current.itemType !== "message") return undefined;
  const created = current.dateTimeCreated;
  return {
    itemId: current.itemId,
    internetMessageId: current.internetMessageId,
    subject: typeof current.subject === "string" ? current.subject : "",
    from: asAddress((current.from as OfficeEmailAddress | undefined) ?? current.sender),
    to: asAddresses(current.to),
    cc: asAddresses(current.cc),
    // Duck-typed: the Date may come from another window (a pane framed by its host page).
    receivedAt: typeof created === "string" ? created : typeof created?.toISOString === "function" ? created.toISOString() : undefined,
  };
}

const itemListeners = new Set<() => void>();
let itemHandler: Promise<void> | undefined;

/** Calls `listener` whenever the reader moves to another message while the pane is pinned (Mailbox 1.5). One
 * Office handler serves every view of the page (views come and go; Office keeps handlers until the page closes).
 * Returns a function that stops calling this listener. */
export async function onItemChanged(listener: () => void): Promise<() => void> {
  itemListeners.add(listener);
  const stop = () => { itemListeners.delete(listener); };
  const mailbox = office().context.mailbox;
  if (!mailbox?.addHandlerAsync) return stop;
  itemHandler ??= call<void>((cb) => mailbox.addHandlerAsync!(office().EventType.ItemChanged, () => { for (const l of [...itemListeners]) l(); }, cb), "follow the selected message")
    .catch((error: unknown) => {
      itemHandler = undefined;
      throw error;
    });
  await itemHandler;
  return stop;
}

/** Whether the message open now is still `message` (the reader may have moved on while a form was open). */
export function stillOpen(message: ReadMessage): boolean {
  const now = readMessage();
  if (!now) return false;
  const id = (m: ReadMessage) => m.itemId ?? m.internetMessageId;
  return id(now) === undefined || id(now) === id(message);
}

/** Calls `listener` when the recipients of the email being written change (Mailbox 1.7), for the compose pane. */
export async function onRecipientsChangedInPane(listener: () => void): Promise<void> {
  const current = item();
  const type = office().EventType.RecipientsChanged;
  if (!current?.addHandlerAsync || !type || !supportsMailbox("1.7")) return;
  await call<void>((cb) => current.addHandlerAsync!(type, () => listener(), cb), "follow changes to the recipients");
}

/** Shows (or replaces) an informational bar on the item. Never carries a reason: only what to look at. */
export async function showInfoBar(key: string, message: string): Promise<void> {
  const messages = item()?.notificationMessages;
  if (!messages) return;
  const text = message.length > NOTIFICATION_MAX ? `${message.slice(0, NOTIFICATION_MAX - 1)}…` : message;
  await call<void>((cb) => messages.replaceAsync(key, {
    type: office().MailboxEnums.ItemNotificationMessageType.InformationalMessage,
    message: text,
    icon: "icon-16",
    persistent: false,
  }, cb), "show a notification");
}

export async function clearInfoBar(key: string): Promise<void> {
  const messages = item()?.notificationMessages;
  if (!messages) return;
  // Removing a bar that is not there fails in some clients; that is the outcome we wanted anyway.
  await call<void>((cb) => messages.removeAsync(key, cb), "remove a notification").catch(() => undefined);
}

async function recipients(field: OfficeItem["to"] | OfficeItem["bcc"]): Promise<MailAddress[]> {
  if (!field) return [];
  if (Array.isArray(field)) return asAddresses(field);
  return asAddresses(await call<OfficeEmailAddress[]>((cb) => field.getAsync(cb), "read the recipients"));
}

/** Everyone the email being written goes to, and the mailbox it goes from. */
export async function composeRecipients(): Promise<ComposeRecipients> {
  const current = item();
  if (!current) return { to: [], cc: [], bcc: [] };
  const [to, cc, bcc] = await Promise.all([recipients(current.to), recipients(current.cc), recipients(current.bcc)]);
  let from: MailAddress | undefined;
  const fromField = current.from as { getAsync?: (cb: (r: OfficeAsyncResult<OfficeEmailAddress>) => void) => void } | undefined;
  if (fromField && typeof fromField.getAsync === "function" && supportsMailbox("1.7")) {
    from = asAddress(await call<OfficeEmailAddress>((cb) => fromField.getAsync!(cb), "read the From address").catch(() => undefined));
  }
  return { to, cc, bcc, from };
}

/** Per-item storage while composing (Mailbox 1.11): the "send anyway" reason lives here until the email goes. */
export async function getSessionValue(key: string): Promise<string | undefined> {
  const data = item()?.sessionData;
  if (!data) return undefined;
  const value = await call<string>((cb) => data.getAsync(key, cb), "read the add-in's note on this email").catch(() => undefined);
  return value || undefined;
}

export async function setSessionValue(key: string, value: string): Promise<void> {
  const data = item()?.sessionData;
  if (!data) throw new OutlookError("This version of Outlook cannot keep a note on the email being written (it needs Mailbox 1.11). Update Outlook, or remove the recipient.");
  await call<void>((cb) => data.setAsync(key, value, cb), "keep the add-in's note on this email");
}

/** The whole message as base64 EML (Mailbox 1.14); undefined where the client cannot give it. */
export async function messageAsEml(): Promise<string | undefined> {
  const current = item();
  if (!current?.getAsFileAsync || !supportsMailbox("1.14")) return undefined;
  return call<string>((cb) => current.getAsFileAsync!(cb), "copy the email");
}

/** Where Microsoft Graph finds the open message, so CALM can copy it from the mailbox when Outlook cannot: its REST
 * id (Mailbox 1.3 convertToRestId, v2.0: the id Graph uses) and, for a message in a mailbox shared with the user
 * (Mailbox 1.8 / 1.13), the owner's address. Undefined where Outlook cannot give the id. */
export async function graphMessageRef(): Promise<{ restId: string; mailbox?: string } | undefined> {
  const current = item();
  const mailbox = office().context.mailbox;
  const v2 = office().MailboxEnums.RestVersion?.v2_0;
  if (!current?.itemId || itemMode() !== "read" || !mailbox?.convertToRestId || !v2 || !supportsMailbox("1.3")) return undefined;
  let restId: string;
  try {
    restId = mailbox.convertToRestId(current.itemId, v2);
  } catch {
    return undefined;
  }
  if (!restId) return undefined;
  if (!current.getSharedPropertiesAsync || !supportsMailbox("1.8")) return { restId };
  const shared = await call<{ owner?: string }>((cb) => current.getSharedPropertiesAsync!(cb), "read the shared mailbox's details").catch(() => undefined);
  const owner = shared?.owner?.trim();
  const me = mailboxUser()?.emailAddress.toLowerCase();
  return owner && owner.toLowerCase() !== me ? { restId, mailbox: owner } : { restId };
}

/** The body as plain text. */
export async function bodyText(): Promise<string> {
  const current = item();
  if (!current?.body) return "";
  return call<string>((cb) => current.body!.getAsync(office().CoercionType.Text, cb), "read the email's text");
}

/** The message's internet headers (Mailbox 1.8); undefined where the client cannot give them. */
export async function internetHeaders(): Promise<string | undefined> {
  const current = item();
  if (!current?.getAllInternetHeadersAsync || !supportsMailbox("1.8")) return undefined;
  return call<string>((cb) => current.getAllInternetHeadersAsync!(cb), "read the email's headers").catch(() => undefined);
}

/** The signed-in mailbox user, as Outlook knows them. */
export function mailboxUser(): MailAddress | undefined {
  return asAddress(office().context.mailbox?.userProfile);
}

/** Office single sign-on: an access token for the CALM API (webApplicationInfo in the manifest). Fails with an
 * OutlookError carrying Office's numeric code (13001 not signed in, 13002 consent declined, ...). */
export async function ssoToken(): Promise<string> {
  const auth = office().auth;
  if (!auth) throw new OutlookError("This version of Outlook does not support single sign-on for add-ins.", 13012);
  try {
    return await auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true, forMSGraphAccess: false });
  } catch (error) {
    const e = error as { code?: number | string; message?: string; name?: string };
    throw new OutlookError(e.message ?? "Single sign-on failed.", e.code === undefined ? undefined : Number(e.code), e.name);
  }
}

/** Whether Outlook shows the pane in a dark theme (Office theme colours). */
export function prefersDark(): boolean {
  try {
    const bg = office().context.officeTheme?.bodyBackgroundColor;
    const m = bg ? /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(bg) : null;
    if (!m) return false;
    const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((h) => parseInt(h, 16));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! < 100;
  } catch {
    return false;
  }
}

export type HostEvent = { completed(options?: SmartAlertCompletion): void };

/** Registers event-based handlers by the action ids the manifest names (Office.actions.associate). */
export function associate(handlers: Record<string, (event: HostEvent) => void>): void {
  const actions = office().actions;
  if (!actions) throw new OutlookError("This version of Outlook does not run add-in events.");
  for (const [id, handler] of Object.entries(handlers)) actions.associate(id, (event: OfficeEvent) => handler(event));
}
