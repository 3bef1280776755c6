// "Report this email" (issue 5 item 2): a short form files an incident through the incident API (docs/api.md,
// "Incidents") with the sender as the subject, the mailbox user as the reporter (the server takes them from the
// token) and the original message as evidence: the whole EML where Outlook can give it (Mailbox 1.14); otherwise
// the server copies it from the mailbox through Microsoft Graph, as the signed-in person (the whole email, or its
// headers and text); and only if that fails too, the internet headers and text Outlook gives. The pane says which
// was kept. Several emails from the same person add to one persistent-contact report where the policy allows it
// (East Suffolk 4.2: profile incidentReports.multiContactCategories).
import { shorten } from "../addresses";
import type { Api, IncidentSummary, NewIncident } from "../api";
import { bodyText, graphMessageRef, internetHeaders, mailboxUser, messageAsEml, stillOpen, type MailAddress, type ReadMessage } from "../outlook";
import { formatDateTime } from "../words";

/** Categories that fit an email, in the words staff use (domain.ts INCIDENT_CATEGORIES). */
export const EMAIL_CATEGORIES = [
  { id: "verbal-abuse", label: "Abusive or offensive language" },
  { id: "verbal-threat", label: "A threat to staff" },
  { id: "unreasonably-persistent-contact", label: "Unreasonably persistent contact" },
  { id: "hate-incident", label: "A hate incident" },
  { id: "staff-details-published", label: "Publishing staff details online" },
  { id: "recording-misuse", label: "Misuse of recordings" },
] as const;
export type EmailCategory = (typeof EMAIL_CATEGORIES)[number]["id"];

export const DESCRIPTION_MAX = 10_000;
const CONTACT_SUMMARY_MAX = 200;
/** The incident API's limit on a contact's note. */
const CONTACT_NOTE_MAX = 500;

export interface ReportDraft {
  category: EmailCategory;
  /** What was unreasonable, in the reporter's words. */
  description: string;
  /** Dorset 3.2, Tamworth 4. */
  hateIncident: boolean;
  serviceArea: string;
  /** Add this email to the reporter's open persistent-contact report rather than start a new one. */
  addToReportId?: string;
}

/** A file the add-in makes from what Outlook gives. */
export interface Evidence {
  bytes: Uint8Array;
  contentType: "message/rfc822" | "text/plain";
  fileName: string;
}

/** What was attached: the whole email from Outlook ("eml") or copied by CALM from the mailbox ("mailbox-eml"); its
 * headers and text copied from the mailbox ("mailbox-text"); or the headers and text Outlook gave ("text"). */
export type EvidenceKind = "eml" | "mailbox-eml" | "mailbox-text" | "text";

export type AttachOutcome =
  | { ok: true; kind: EvidenceKind; /** Why the mailbox copy failed, when only Outlook's text was kept. */ note?: string }
  | { ok: false; message: string };

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ""));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The file name holds no personal data: only that it is a reported email, and when it came. */
function evidenceName(message: ReadMessage, ext: "eml" | "txt"): string {
  const day = (message.receivedAt ?? "").slice(0, 10) || "undated";
  return `Reported email ${day}.${ext}`;
}

/** The whole message as Outlook gives it (Mailbox 1.14); undefined where this Outlook cannot. */
export async function outlookEml(message: ReadMessage): Promise<Evidence | undefined> {
  const eml = await messageAsEml().catch(() => undefined);
  return eml ? { bytes: base64ToBytes(eml), contentType: "message/rfc822", fileName: evidenceName(message, "eml") } : undefined;
}

/** The message's internet headers (Mailbox 1.8; made up from what Outlook shows before that) and its text. */
export async function outlookText(message: ReadMessage): Promise<Evidence> {
  const [headers, text] = await Promise.all([internetHeaders(), bodyText().catch(() => "")]);
  const lines = [
    "Outlook could not copy the whole email, and CALM could not copy it from the mailbox, so CALM kept the headers and text Outlook gave.",
    "",
    headers ? headers.trim() : [
      `From: ${message.from ? `${message.from.displayName} <${message.from.emailAddress}>` : "(unknown)"}`,
      `To: ${message.to.map((a) => a.emailAddress).join(", ")}`,
      ...(message.cc.length ? [`Cc: ${message.cc.map((a) => a.emailAddress).join(", ")}`] : []),
      `Subject: ${message.subject}`,
      ...(message.receivedAt ? [`Date: ${message.receivedAt}`] : []),
      ...(message.internetMessageId ? [`Message-ID: ${message.internetMessageId}`] : []),
    ].join("\r\n"),
    "",
    text,
  ];
  return { bytes: new TextEncoder().encode(lines.join("\r\n")), contentType: "text/plain", fileName: evidenceName(message, "txt") };
}

/** What the pane tells the reporter about the evidence attached. */
export function evidenceSentence(evidence: Extract<AttachOutcome, { ok: true }>): string {
  switch (evidence.kind) {
    case "eml":
      return "The original email is attached to the report.";
    case "mailbox-eml":
      return "The original email is attached to the report. This version of Outlook cannot copy it, so CALM copied it from your mailbox.";
    case "mailbox-text":
      return "The email's headers and text are attached to the report: CALM copied them from your mailbox, because the whole email could not be copied.";
    case "text":
      return `Only the email's headers and text, as Outlook shows them, are attached to the report: the whole email could not be copied from your mailbox.${evidence.note ? ` ${evidence.note}` : ""} Keep the email until the report is dealt with.`;
  }
}

/** The persistent-contact log's note: the subject line (cut short) and, for an email added to an existing
 * report, what the reporter said about it (the report's own description covers the first). */
export function contactSummary(message: ReadMessage, said?: string): string {
  const line = shorten(`Email: ${message.subject.trim() || "(no subject)"}`, CONTACT_SUMMARY_MAX);
  return said?.trim() ? shorten(`${line} — ${said.trim()}`, CONTACT_NOTE_MAX) : line;
}

export function buildIncident(message: ReadMessage, draft: ReportDraft, sender: MailAddress, subjectId: string | undefined, multiContact: boolean, now: Date, mailbox?: string): NewIncident {
  // When the email arrived. Without a usable date, a minute ago: the server refuses a time in its future, and
  // this machine's clock may run a little ahead of it.
  const occurredAt = message.receivedAt && !Number.isNaN(Date.parse(message.receivedAt)) && Date.parse(message.receivedAt) <= now.getTime()
    ? new Date(message.receivedAt).toISOString()
    : new Date(now.getTime() - 60_000).toISOString();
  const received = `Reported from Outlook: an email received ${formatDateTime(occurredAt)}, subject "${shorten(message.subject || "(no subject)", 200)}".`;
  const description = shorten(`${draft.description.trim()}\n\n${received}`, DESCRIPTION_MAX);
  return {
    subject: subjectId
      ? { existingId: subjectId }
      : { new: { kind: "person", displayName: shorten(sender.displayName || sender.emailAddress, 200), emails: [sender.emailAddress] } },
    occurredAt,
    // Where it happened: the mailbox it arrived in (staff or a shared inbox), which says who it was aimed at.
    location: mailbox ? `the mailbox ${mailbox}` : "an email inbox",
    channel: "email",
    serviceArea: draft.serviceArea.trim(),
    category: draft.category,
    description: draft.description.trim() ? description : received,
    hateIncident: draft.hateIncident || draft.category === "hate-incident",
    immediateAction: "none",
    ...(multiContact ? { contacts: [{ at: occurredAt, channel: "email" as const, summary: contactSummary(message, draft.addToReportId ? draft.description : undefined) }] } : {}),
  };
}

export type FileOutcome =
  | {
      ok: true;
      incidentId: string;
      reference: string;
      /** True when the email was added to an existing persistent-contact report. */
      addedToExisting: boolean;
      contactCount?: number;
      whatHappensNext: string[];
      evidence: AttachOutcome;
    }
  | { ok: false; code: string; message: string; fieldErrors: { field: string; message: string }[] };

export function newKey(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  c?.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Files the report (or adds to an open one), then attaches the email. One idempotency key per form, made when
 * the form opens, so a double click or a retry never files twice (docs/api.md "Idempotency"). */
export async function fileReport(
  api: Pick<Api, "createIncident" | "addContacts" | "addEvidence" | "attachEmailFromMailbox">,
  input: { message: ReadMessage; sender: MailAddress; subjectId?: string; draft: ReportDraft; multiContactCategories: readonly string[] | null | undefined; idempotencyKey: string; now: Date },
): Promise<FileOutcome> {
  const { message, sender, draft } = input;
  // The evidence is copied from the open message: refuse rather than attach a different email to this report.
  if (!stillOpen(message)) {
    return { ok: false, code: "EMAIL_CHANGED", message: "You moved to another email before the report was sent. Open the email you want to report and choose Report this email again.", fieldErrors: [] };
  }
  const multiContact = !!input.multiContactCategories?.includes(draft.category);
  const mailbox = mailboxUser()?.emailAddress || undefined;
  let incidentId: string;
  let reference: string;
  let contactCount: number | undefined;
  let whatHappensNext: string[] = [];
  const addedToExisting = multiContact && !!draft.addToReportId;
  if (addedToExisting) {
    const incident = buildIncident(message, draft, sender, input.subjectId, true, input.now, mailbox);
    const added = await api.addContacts(draft.addToReportId!, incident.contacts!, input.idempotencyKey);
    if (!added.ok) return { ok: false, code: added.code, message: added.message, fieldErrors: added.errors ?? [] };
    incidentId = added.value.incident.id;
    reference = added.value.incident.reference;
    contactCount = added.value.incident.contactCount;
  } else {
    const created = await api.createIncident(buildIncident(message, draft, sender, input.subjectId, multiContact, input.now, mailbox), input.idempotencyKey);
    if (!created.ok) return { ok: false, code: created.code, message: created.message, fieldErrors: created.errors ?? [] };
    incidentId = created.value.incident.id;
    reference = created.value.incident.reference;
    contactCount = created.value.incident.contactCount;
    whatHappensNext = created.value.whatHappensNext ?? [];
  }
  const evidence = await attachEmail(api, incidentId, message, input.idempotencyKey);
  return { ok: true, incidentId, reference, addedToExisting, contactCount, whatHappensNext, evidence };
}

/** The API client's codes for a request that got no answer (docs: addin/src/api.ts). */
const NO_ANSWER = new Set(["API_TIMEOUT", "API_UNREACHABLE"]);

/** Attaches the email to a saved report: Outlook's own copy (Mailbox 1.14); else CALM copies it from the mailbox
 * through Microsoft 365; else the headers and text Outlook gives, saying why. `idempotencyKey` is the form's, so a
 * retry never attaches the mailbox copy twice. A failure here does not undo the report: the pane offers a retry. */
export async function attachEmail(api: Pick<Api, "addEvidence" | "attachEmailFromMailbox">, incidentId: string, message: ReadMessage, idempotencyKey: string): Promise<AttachOutcome> {
  if (!stillOpen(message)) return { ok: false, message: "Open the email you reported again, then choose Attach the email again." };
  const eml = await outlookEml(message);
  if (eml) {
    const uploaded = await api.addEvidence(incidentId, eml);
    return uploaded.ok ? { ok: true, kind: "eml" } : { ok: false, message: uploaded.message };
  }
  let note: string;
  const ref = await graphMessageRef().catch(() => undefined);
  if (ref) {
    const email = { messageId: ref.restId, ...(ref.mailbox ? { mailbox: ref.mailbox } : {}) };
    let copied = await api.attachEmailFromMailbox(incidentId, email, idempotencyKey);
    // No answer is not a refusal: the server may have kept the copy. Ask again with the same key (it answers with
    // what it kept, or tries again); if there is still no answer, attach nothing rather than risk two copies.
    if (!copied.ok && NO_ANSWER.has(copied.code)) copied = await api.attachEmailFromMailbox(incidentId, email, idempotencyKey);
    if (copied.ok) return { ok: true, kind: copied.value.source === "mime" ? "mailbox-eml" : "mailbox-text" };
    if (NO_ANSWER.has(copied.code)) return { ok: false, message: `${copied.message} The report is saved; choose Attach the email again.` };
    note = copied.message;
  } else {
    note = "This version of Outlook does not say where the email is kept.";
  }
  let text: Evidence;
  try {
    text = await outlookText(message);
  } catch (error) {
    return { ok: false, message: `${error instanceof Error ? error.message : "Outlook could not copy the email."} Try attaching it again.` };
  }
  const uploaded = await api.addEvidence(incidentId, text);
  if (!uploaded.ok) return { ok: false, message: uploaded.message };
  return { ok: true, kind: "text", note };
}

/** The reporter's open persistent-contact report on this sender, if the policy lets reports cover many contacts. */
export async function findOpenReport(
  api: Pick<Api, "openReport">,
  input: { subjectId?: string; email: string },
): Promise<{ subjectId?: string; report?: IncidentSummary }> {
  const found = await api.openReport(input.subjectId ? { subjectId: input.subjectId } : { email: input.email });
  if (!found.ok) return { subjectId: input.subjectId };
  return { subjectId: found.value.subjectId ?? input.subjectId, report: found.value.report ?? undefined };
}
