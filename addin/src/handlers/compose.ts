// Compose mode (issue 5 item 3). When a recipient is listed with a contact restriction (SPOC only, one channel,
// no acknowledgement), the recipients-changed event warns the author with a bar, and the send event (Smart
// Alerts, manifest sendMode "softBlock") stops a non-SPOC until they remove the person or give a reason in the
// CALM pane ("send anyway"), which the server audits. The SPOC is never stopped. If CALM cannot be reached, the
// email goes: a soft block never holds up mail because CALM is down (the same rule Outlook applies when the
// add-in itself is unavailable).
import { batches, sameAddress, shorten, uniqueAddresses } from "../addresses";
import type { Api, RecipientGuard } from "../api";
import {
  clearInfoBar, composeRecipients, getSessionValue, NOTIFICATION_KEYS, setSessionValue, showInfoBar, supportsMailbox, type HostEvent,
} from "../outlook";

/** The compose-mode task pane button the Smart Alert's "Give a reason" opens (manifest: ribbon control id). */
export const COMPOSE_PANE_COMMAND_ID = "calmComposeGuidance";
/** sessionData key holding the recorded "send anyway" for this email. */
export const SEND_ANYWAY_KEY = "calm.sendAnyway";
/** Smart Alerts refuse longer dialog text. */
export const ALERT_MAX = 500;

export type ComposeCheck =
  | { state: "no-recipients"; from?: string }
  | { state: "checked"; guards: RecipientGuard[]; listed: RecipientGuard[]; stopping: RecipientGuard[]; from?: string }
  | { state: "failed"; code: string; error: string };

export async function checkCompose(api: Pick<Api, "checkRecipients">): Promise<ComposeCheck> {
  const recipients = await composeRecipients();
  const addresses = uniqueAddresses([...recipients.to, ...recipients.cc, ...recipients.bcc]);
  const from = recipients.from?.emailAddress || undefined;
  if (addresses.length === 0) return { state: "no-recipients", from };
  const guards: RecipientGuard[] = [];
  for (const batch of batches(addresses)) {
    const answer = await api.checkRecipients(batch, from);
    if (!answer.ok) return { state: "failed", code: answer.code, error: answer.message };
    guards.push(...answer.value.results);
  }
  const listed = guards.filter((g) => g.listed);
  return { state: "checked", guards, listed, stopping: listed.filter((g) => g.stopsSend), from };
}

/** The bar while writing. Says where to look, never why the person is listed. */
export function composeBarText(check: ComposeCheck): string | undefined {
  if (check.state !== "checked" || check.listed.length === 0) return undefined;
  if (check.stopping.length > 0) {
    const spoc = check.stopping[0]!.spoc;
    return spoc
      ? `Someone you are writing to has a contact restriction: only ${shorten(spoc.displayName, 40)} replies. Open CALM to see what to do.`
      : "Someone you are writing to has a contact restriction. Open CALM to see what to do before you send.";
  }
  if (check.listed.every((g) => g.youAreSpoc)) return "You are the single point of contact for someone you are writing to. See CALM for their guidance.";
  return "Someone you are writing to has CALM guidance on contact. Read it before you send.";
}

interface SendAnywayNote {
  addresses: string[];
  references: string[];
  at: string;
}

async function recordedOverride(): Promise<SendAnywayNote | undefined> {
  const raw = await getSessionValue(SEND_ANYWAY_KEY);
  if (!raw) return undefined;
  try {
    const note = JSON.parse(raw) as Partial<SendAnywayNote>;
    return Array.isArray(note.addresses) ? { addresses: note.addresses.map(String), references: (note.references ?? []).map(String), at: String(note.at ?? "") } : undefined;
  } catch {
    // Not ours or damaged: treat as no reason given, so the author is asked again.
    return undefined;
  }
}

/** Whether a recorded reason covers every recipient who stops the send now (adding someone new asks again). */
export function overrideCovers(note: SendAnywayNote | undefined, stopping: RecipientGuard[]): boolean {
  if (!note || stopping.length === 0) return false;
  return stopping.every((g) => note.addresses.some((a) => sameAddress(a, g.address)));
}

/** The Smart Alert's text: who, what the restriction says, and the two ways forward. At most 500 characters. */
export function alertText(stopping: RecipientGuard[]): string {
  const first = stopping[0]!;
  const who = stopping.length === 1 ? first.address : `${first.address} and ${stopping.length - 1} more`;
  const rule = first.restrictions.find((r) => r.effect === "stop" && r.text)?.text ?? first.whatToDo[0] ?? "Contact with them is restricted.";
  const spoc = first.spoc ? ` Their single point of contact (SPOC) is ${first.spoc.displayName} (${first.spoc.mailbox}).` : "";
  const next = " Remove them and pass the email to the SPOC, or choose Give a reason to send anyway: your reason is recorded.";
  const head = `${who} has a contact restriction in CALM.`;
  const body = shorten(`${rule}${spoc}`, Math.max(40, ALERT_MAX - head.length - next.length - 1));
  return `${head} ${body}${next}`.slice(0, ALERT_MAX);
}

/** OnMessageRecipientsChanged: refresh the bar. Always completes the event, whatever happens. */
export async function onRecipientsChanged(event: HostEvent, api: Pick<Api, "checkRecipients">): Promise<ComposeCheck | undefined> {
  try {
    const check = await checkCompose(api);
    const text = composeBarText(check);
    if (text) await showInfoBar(NOTIFICATION_KEYS.recipients, text);
    else if (check.state === "failed") await showInfoBar(NOTIFICATION_KEYS.recipients, "CALM could not check these recipients just now. It will check again when you send.");
    else await clearInfoBar(NOTIFICATION_KEYS.recipients);
    return check;
  } catch {
    // Outlook itself failed (no item, a closed draft): there is nothing useful to tell the author here.
    return undefined;
  } finally {
    event.completed();
  }
}

/** OnMessageSend (Smart Alerts): stop a non-SPOC writing to a restricted person unless a reason is recorded. */
export async function onMessageSend(event: HostEvent, api: Pick<Api, "checkRecipients">): Promise<{ allowed: boolean; reason: string }> {
  let check: ComposeCheck;
  try {
    check = await checkCompose(api);
  } catch {
    // Outlook could not give us the recipients: never hold the email up for that.
    event.completed({ allowEvent: true });
    return { allowed: true, reason: "outlook-failed" };
  }
  if (check.state !== "checked" || check.stopping.length === 0) {
    event.completed({ allowEvent: true });
    return { allowed: true, reason: check.state === "failed" ? "api-failed" : "nothing-restricted" };
  }
  if (overrideCovers(await recordedOverride().catch(() => undefined), check.stopping)) {
    event.completed({ allowEvent: true });
    return { allowed: true, reason: "reason-recorded" };
  }
  // Mailbox 1.14: the dialog's button opens the CALM pane, where the author gives a reason or reads the guidance.
  const takeAction = supportsMailbox("1.14") ? { cancelLabel: "Give a reason", commandId: COMPOSE_PANE_COMMAND_ID } : {};
  event.completed({ allowEvent: false, errorMessage: alertText(check.stopping), ...takeAction });
  return { allowed: false, reason: "restricted" };
}

/** Records "send anyway" on the server (audited), then on the email, so the next Send goes through. */
export async function recordSendAnyway(
  api: Pick<Api, "sendAnyway">,
  input: { check: Extract<ComposeCheck, { state: "checked" }>; reason: string; note?: string; now: Date },
): Promise<{ ok: true; references: string[] } | { ok: false; code: string; message: string }> {
  const addresses = input.check.stopping.map((g) => g.address);
  const note = input.note?.trim() ? input.note.trim().slice(0, 500) : undefined;
  const saved = await api.sendAnyway({ addresses, ...(input.check.from ? { from: input.check.from } : {}), reason: input.reason, ...(note ? { note } : {}) });
  if (!saved.ok) return { ok: false, code: saved.code, message: saved.message };
  const references = saved.value.recorded.map((r) => r.reference);
  try {
    await setSessionValue(SEND_ANYWAY_KEY, JSON.stringify({ addresses, references, at: input.now.toISOString() } satisfies SendAnywayNote));
  } catch (error) {
    return { ok: false, code: "OUTLOOK_NOTE_FAILED", message: `Your reason is recorded in CALM, but ${error instanceof Error ? error.message : "Outlook could not keep a note on this email."}` };
  }
  return { ok: true, references };
}
