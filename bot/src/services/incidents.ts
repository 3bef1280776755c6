// Reporting an incident (issue 3 item 1; DOMAIN.md "Incident"): subject new or existing, when, where, channel,
// service area, category, what happened, several witness statements (East Suffolk 4.1), police reference,
// hate-incident flag (Dorset 3.2, Tamworth 4), immediate action taken (West Lindsey 8.5), evidence files, and, for
// an unreasonably persistent customer, many contacts in one report where the policy allows it (East Suffolk 4.2).
//
// Nothing is half-saved. Everything is validated before the first write, and each problem has a stable code. The
// writes are ordered so that a retry converges: the client's idempotency key fixes the ids of the new subject and
// the incident, so repeating a report (a double click, a retry after a timeout) finds what the first attempt wrote
// and makes one incident, never two. Evidence goes to the blob store under a name made from its content before the
// incident records it, so a retried upload overwrites the same blob and adds the same evidence item once.
//
// The reporter gets a reference and "what happens next" under the council's policy, each line citing its section.
import { createHash } from "node:crypto";
import {
  CONTACT_CHANNELS,
  IMMEDIATE_ACTIONS,
  INCIDENT_CATEGORIES,
  SUBJECT_KINDS,
  type Caller,
  type ContactChannel,
  type ContactLogItem,
  type EvidenceRef,
  type ImmediateAction,
  type Incident,
  type IncidentCategory,
  type IsoDateTime,
  type PostalAddress,
  type Subject,
  type SubjectKind,
  type Surface,
} from "../../../core/src/domain";
import { normaliseEmail, normalisePhone } from "../../../core/src/normalise";
import { isIsoDate } from "../../../core/src/calendar/dates";
import type { PolicyProfile } from "../../../core/src/policy/schema";
import { registerName } from "../../../core/src/policy/describe";
import { sourceOf } from "../../../core/src/policy/sources";
import { CATEGORY_LABELS } from "../../../core/src/present/outcomes";
import type { BlobStore } from "../ports/blobs";
import type { UserAssertion } from "../ports/directory";
import { UserMailError, type MailDetails, type MailItemRef, type UserMailReader } from "../ports/userMail";
import { AlreadyExistsError, ConcurrencyError } from "../ports/errors";
import type { Stores } from "../ports/stores";
import type { Clock, Logger } from "../ports/system";
import type { RegisterService } from "./register";

// ---------------------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------------------

export const INCIDENT_LIMITS = {
  description: 10_000,
  shortText: 200,
  witnesses: 20,
  witnessStatement: 5_000,
  policeReference: 50,
  contactsPerReport: 500,
  contactsPerCall: 100,
  contactSummary: 500,
  externalEvidence: 10,
  identifiers: 10,
  evidenceFiles: 25,
  evidenceBytes: 10 * 1024 * 1024,
} as const;

/** Evidence types accepted, with the magic bytes that must start the file where the type has them. */
export const EVIDENCE_TYPES: Readonly<Record<string, { kind: EvidenceRef["kind"]; magic?: number[][] }>> = {
  "image/jpeg": { kind: "file", magic: [[0xff, 0xd8, 0xff]] },
  "image/png": { kind: "file", magic: [[0x89, 0x50, 0x4e, 0x47]] },
  "image/gif": { kind: "file", magic: [[0x47, 0x49, 0x46, 0x38]] },
  "image/webp": { kind: "file", magic: [[0x52, 0x49, 0x46, 0x46]] },
  "application/pdf": { kind: "file", magic: [[0x25, 0x50, 0x44, 0x46]] },
  "text/plain": { kind: "file" },
  "message/rfc822": { kind: "email" },
  "application/vnd.ms-outlook": { kind: "email", magic: [[0xd0, 0xcf, 0x11, 0xe0]] },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { kind: "file", magic: [[0x50, 0x4b, 0x03, 0x04]] },
  "audio/mpeg": { kind: "file", magic: [[0x49, 0x44, 0x33], [0xff, 0xfb], [0xff, 0xf3], [0xff, 0xf2]] },
  "audio/mp4": { kind: "file" },
  "audio/wav": { kind: "file", magic: [[0x52, 0x49, 0x46, 0x46]] },
  "video/mp4": { kind: "file" },
};

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,100}$/;

// ---------------------------------------------------------------------------------------------------------
// Input and outcomes
// ---------------------------------------------------------------------------------------------------------

export interface SubjectDraft {
  kind?: string;
  displayName?: string;
  aliases?: string[];
  emails?: string[];
  phones?: string[];
  addresses?: PostalAddress[];
  socialHandles?: string[];
  dateOfBirth?: string;
  actsForSubjectId?: string;
  noFixedAddress?: boolean;
}

export interface ContactDraft {
  at?: string;
  channel?: string;
  summary?: string;
}

/** A report as it arrives from a card or a page: anything may be missing or wrong; the service says what. */
export interface IncidentDraft {
  subject?: { existingId?: string; new?: SubjectDraft };
  occurredAt?: string;
  location?: string;
  channel?: string;
  serviceArea?: string;
  category?: string;
  description?: string;
  witnesses?: { name?: string; statement?: string; isStaff?: boolean }[];
  policeReference?: string;
  hateIncident?: boolean;
  immediateAction?: string;
  immediateActionNote?: string;
  externalEvidence?: { kind?: string; reference?: string }[];
  contacts?: ContactDraft[];
}

export interface Problem {
  field: string;
  code: string;
  message: string;
}

export type Failure<C extends string = string> = {
  ok: false;
  code: C;
  message: string;
  problems?: Problem[];
  status: number;
  /** For a 503: when to try again (the route sends it as Retry-After). */
  retryAfterSeconds?: number;
};

export interface ReportResult {
  ok: true;
  incident: Incident;
  duplicate: boolean;
  subjectCreated: boolean;
  whatHappensNext: string[];
}

export interface EvidenceFile {
  data: Buffer;
  contentType: string;
  fileName?: string;
  kind?: "email" | "file";
}

export interface IncidentDeps {
  stores: Pick<Stores, "subjects" | "incidents" | "references" | "audit" | "register">;
  blobs: BlobStore;
  profile: PolicyProfile;
  register: RegisterService;
  clock: Clock;
  logger: Logger;
  lookup: { subjectChanged(subjectId: string): Promise<void> };
  /** Emails read from a mailbox as the signed-in person (Microsoft Graph on their behalf); absent: not offered. */
  mail?: UserMailReader;
}

/** Roles that see any incident, beyond its reporter. */
const READERS = new Set(["manager", "panel-member", "chair", "register-admin"]);
/** Roles that may add evidence or contacts to someone else's report. */
const EDITORS = new Set(["manager", "register-admin"]);

function hashId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32)}`;
}

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

// ---------------------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------------------

export class IncidentService {
  constructor(private readonly deps: IncidentDeps) {}

  /** Whether this category may have many contacts in one report under the policy (East Suffolk 4.2). */
  allowsContacts(category: IncidentCategory): boolean {
    return this.deps.profile.incidentReports.multiContactCategories?.includes(category) ?? false;
  }

  /** Reports an incident. `idempotencyKey` comes from the client (one per form); a repeat returns the first
   * report with `duplicate: true`. */
  async report(caller: Caller, draft: IncidentDraft, idempotencyKey: string, surface: Surface): Promise<ReportResult | Failure> {
    if (!KEY_PATTERN.test(idempotencyKey)) {
      return { ok: false, code: "IDEMPOTENCY_KEY_INVALID", status: 400, message: "The request key is not valid. Reload the form and send the report again." };
    }
    const incidentId = hashId("inc", caller.id, idempotencyKey);
    const earlier = await this.deps.stores.incidents.get(incidentId);
    if (earlier) return this.finish(caller, earlier, { duplicate: true, subjectCreated: false, surface });

    const now = this.deps.clock.now();
    const checked = await this.validate(draft, now);
    if (!checked.ok) return checked;
    const v = checked.value;

    // 1. The subject: an existing one, or a new one whose id comes from the key (a retry finds it).
    let subjectId: string;
    let subjectCreated = false;
    if (v.subject.kind === "existing") {
      subjectId = v.subject.id;
    } else {
      subjectId = hashId("sub", caller.id, idempotencyKey);
      try {
        await this.deps.stores.subjects.create({ ...v.subject.subject, id: subjectId, createdAt: now.toISOString(), updatedAt: now.toISOString() });
        subjectCreated = true;
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }

    // 2. The incident, with its human reference.
    const reference = await this.deps.stores.references.next("INC");
    const contacts = v.contacts;
    const times = [v.occurredAt, ...contacts.map((c) => c.at)].sort();
    const incident: Incident = {
      id: incidentId,
      reference,
      subjectId,
      reporter: { id: caller.id, displayName: caller.displayName, ...(caller.email ? { email: caller.email } : {}) },
      occurredAt: times[0]!,
      ...(contacts.length > 0 ? { occurredUntil: times[times.length - 1]!, contactCount: contacts.length, contacts } : {}),
      location: v.location,
      channel: v.channel,
      serviceArea: v.serviceArea,
      category: v.category,
      description: v.description,
      witnesses: v.witnesses,
      evidence: v.externalEvidence.map((e, i) => ({ id: hashId("ev", incidentId, "external", String(i)), kind: e.kind, externalReference: e.reference, addedAt: now.toISOString() })),
      ...(v.policeReference ? { policeReference: v.policeReference } : {}),
      hateIncident: v.hateIncident,
      immediateAction: v.immediateAction,
      ...(v.immediateActionNote ? { immediateActionNote: v.immediateActionNote } : {}),
      reportedAt: now.toISOString(),
    };
    let saved: Incident;
    try {
      saved = await this.deps.stores.incidents.create(incident);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      // The same report raced itself (two instances): the first one stands.
      const first = await this.deps.stores.incidents.get(incidentId);
      if (!first) throw error;
      return this.finish(caller, first, { duplicate: true, subjectCreated: false, surface });
    }
    return this.finish(caller, saved, { duplicate: false, subjectCreated, surface });
  }

  /** The steps after the incident is saved. They are safe to repeat, so a duplicate runs them again and a
   * half-finished earlier attempt is completed. */
  private async finish(caller: Caller, incident: Incident, flags: { duplicate: boolean; subjectCreated: boolean; surface: Surface }): Promise<ReportResult | Failure> {
    if (incident.reporter.id !== caller.id) {
      return { ok: false, code: "IDEMPOTENCY_KEY_INVALID", status: 400, message: "The request key is not valid. Reload the form and send the report again." };
    }
    await this.deps.stores.audit.append({
      // A fixed id: the audit store treats a repeat as a retry and adds nothing.
      id: hashId("audit", incident.id, "create"),
      at: incident.reportedAt,
      actorId: caller.id,
      action: "create",
      surface: flags.surface,
      subjectId: incident.subjectId,
      what: [incident.reference, `category:${incident.category}`],
    });
    // Policy: a new incident moves the review of an entry the subject already has (profile review.afterNewIncident).
    await this.deps.register.incidentReported(incident.subjectId, incident.occurredAt.slice(0, 10));
    if (flags.subjectCreated) await this.deps.lookup.subjectChanged(incident.subjectId);
    if (!flags.duplicate) this.deps.logger.info("incident.reported", { category: incident.category, contacts: incident.contactCount ?? 1, witnesses: incident.witnesses.length });
    return { ok: true, incident, duplicate: flags.duplicate, subjectCreated: flags.subjectCreated, whatHappensNext: await this.whatHappensNext(incident) };
  }

  /** The incident, for its reporter, managers, the decision body and register administrators; undefined for
   * anyone else (they are not told it exists). */
  async get(caller: Caller, incidentId: string): Promise<Incident | undefined> {
    const incident = await this.deps.stores.incidents.get(incidentId);
    if (!incident) return undefined;
    if (incident.reporter.id !== caller.id && !caller.roles.some((r) => READERS.has(r))) return undefined;
    return incident;
  }

  private async editable(caller: Caller, incidentId: string): Promise<Incident | undefined> {
    const incident = await this.deps.stores.incidents.get(incidentId);
    if (!incident) return undefined;
    if (incident.reporter.id !== caller.id && !caller.roles.some((r) => EDITORS.has(r))) return undefined;
    return incident;
  }

  /** Adds one evidence file: checked for type, size and content, stored in the blob store, then recorded on the
   * incident. The same bytes under the same name make one evidence item however often they are sent. */
  async addEvidence(caller: Caller, incidentId: string, file: EvidenceFile, surface: Surface = "api"): Promise<{ ok: true; evidence: EvidenceRef; duplicate: boolean } | Failure> {
    const incident = await this.editable(caller, incidentId);
    if (!incident) return notFound();
    const checked = checkEvidenceFile(file);
    if (!checked.ok) return checked;
    const evidenceId = hashId("ev", incidentId, createHash("sha256").update(file.data).digest("hex"), checked.fileName ?? "");
    return this.storeEvidence(caller, incident, evidenceId, file, checked, surface, [incident.reference, "evidence"]);
  }

  /** Attaches an email from the caller's mailbox (or a shared mailbox they can open) to their report, read from
   * Microsoft Graph as them: the whole message (.eml) where Graph gives its MIME, otherwise its internet headers
   * and text as a text file. For the Outlook add-in where Outlook cannot copy the email itself. Same storage,
   * limits and permissions as an upload. `idempotencyKey` (one per form) makes a retry return the first result
   * without reading the mailbox again; on any failure nothing is written. */
  async attachMailboxEmail(
    caller: Caller,
    incidentId: string,
    ref: MailItemRef,
    asUser: UserAssertion,
    idempotencyKey: string,
    surface: Surface = "api",
  ): Promise<{ ok: true; evidence: EvidenceRef; duplicate: boolean; source: MailEvidenceSource } | Failure> {
    if (!KEY_PATTERN.test(idempotencyKey)) {
      return { ok: false, code: "IDEMPOTENCY_KEY_INVALID", status: 400, message: "The request key is not valid. Reload the form and try again." };
    }
    const incident = await this.editable(caller, incidentId);
    if (!incident) return notFound();
    // One item per caller, report and key, whatever Graph gives: a retry finds it without a second read.
    const evidenceId = hashId("ev", incidentId, "mailbox", caller.id, idempotencyKey);
    const existing = incident.evidence.find((e) => e.id === evidenceId);
    if (existing) return { ok: true, evidence: existing, duplicate: true, source: mailSourceOf(existing) };
    if (incident.evidence.filter((e) => e.blobName).length >= INCIDENT_LIMITS.evidenceFiles) return tooManyFiles();
    const reader = this.deps.mail;
    if (!reader) {
      return { ok: false, code: "GRAPH_NOT_CONFIGURED", status: 503, message: "This CALM server is not set up to copy emails from Microsoft 365. Attach the email another way, and tell IT." };
    }
    let file: EvidenceFile;
    let source: MailEvidenceSource;
    try {
      const mime = await reader.mime(ref, asUser, INCIDENT_LIMITS.evidenceBytes);
      file = { data: mime, contentType: "message/rfc822", kind: "email", fileName: `Reported email ${mimeDay(mime)}.eml` };
      source = "mime";
    } catch (error) {
      if (!(error instanceof UserMailError)) throw error;
      // Only a failure of the MIME itself is worth a second try; no access, no consent or no such email stay so.
      if (!["GRAPH_UNAVAILABLE", "MAIL_TOO_LARGE"].includes(error.code)) return mailFailure(error);
      try {
        const details = await reader.details(ref, asUser);
        file = { data: headersAndText(details, error.code === "MAIL_TOO_LARGE"), contentType: "text/plain", kind: "email", fileName: `Reported email ${(details.receivedDateTime ?? "").slice(0, 10) || "undated"}.txt` };
        source = "headers-and-text";
      } catch (second) {
        if (!(second instanceof UserMailError)) throw second;
        return mailFailure(second);
      }
    }
    const checked = checkEvidenceFile(file);
    if (!checked.ok) return checked;
    // The blob name carries the content's hash too: two racing first attempts that got different answers from
    // Graph never overwrite the file the record points at.
    const blobName = `evidence/${incidentId}/${evidenceId}-${createHash("sha256").update(file.data).digest("hex").slice(0, 16)}`;
    const stored = await this.storeEvidence(caller, incident, evidenceId, file, checked, surface, [incident.reference, "evidence", source === "mime" ? "email-from-mailbox" : "email-headers-from-mailbox"], blobName);
    if (!stored.ok) return stored;
    this.deps.logger.info("incident.mailbox_email_attached", { source, bytes: file.data.length, duplicate: stored.duplicate });
    return { ...stored, source: stored.duplicate ? mailSourceOf(stored.evidence) : source };
  }

  /** Blob first, then the record, then the audit event (fixed id: a repeat adds nothing). */
  private async storeEvidence(
    caller: Caller,
    incident: Incident,
    evidenceId: string,
    file: EvidenceFile,
    checked: CheckedFile,
    surface: Surface,
    what: string[],
    blobName = `evidence/${incident.id}/${evidenceId}`,
  ): Promise<{ ok: true; evidence: EvidenceRef; duplicate: boolean } | Failure> {
    const existing = incident.evidence.find((e) => e.id === evidenceId);
    if (existing) return { ok: true, evidence: existing, duplicate: true };
    if (incident.evidence.filter((e) => e.blobName).length >= INCIDENT_LIMITS.evidenceFiles) return tooManyFiles();
    // Blob first, then the record: a retry after a failure in between overwrites the same blob.
    await this.deps.blobs.put(blobName, file.data, checked.contentType);
    const evidence: EvidenceRef = {
      id: evidenceId,
      kind: file.kind ?? checked.kind,
      ...(checked.fileName ? { fileName: checked.fileName } : {}),
      contentType: checked.contentType,
      sizeBytes: file.data.length,
      blobName,
      addedAt: this.deps.clock.now().toISOString(),
    };
    const outcome = await this.change(incident, (current) => {
      if (current.evidence.some((e) => e.id === evidenceId)) return undefined;
      return { ...current, evidence: [...current.evidence, evidence] };
    });
    const recorded = outcome.changed ? evidence : (outcome.incident.evidence.find((e) => e.id === evidenceId) ?? evidence);
    // Lost a race to the same item stored under another blob: remove ours, so no file is kept unrecorded.
    if (recorded.blobName !== blobName) await this.deps.blobs.delete(blobName);
    await this.deps.stores.audit.append({ id: hashId("audit", incident.id, evidenceId), at: recorded.addedAt, actorId: caller.id, action: "update", surface, subjectId: incident.subjectId, what });
    return { ok: true, evidence: recorded, duplicate: !outcome.changed };
  }

  /** Adds contacts to a persistent-contact report (East Suffolk 4.2), where the policy allows it for the report's
   * category. A contact already on the report is not added again. */
  async addContacts(caller: Caller, incidentId: string, drafts: ContactDraft[], surface: Surface = "api"): Promise<{ ok: true; incident: Incident; added: number } | Failure> {
    const incident = await this.editable(caller, incidentId);
    if (!incident) return notFound();
    if (!this.allowsContacts(incident.category)) return contactsNotAllowed(this.deps.profile, incident.category);
    const problems: Problem[] = [];
    const now = this.deps.clock.now();
    if (drafts.length === 0) problems.push({ field: "contacts", code: "CONTACT_INVALID", message: "Add at least one contact." });
    if (drafts.length > INCIDENT_LIMITS.contactsPerCall) problems.push({ field: "contacts", code: "TOO_MANY_CONTACTS", message: `Add at most ${INCIDENT_LIMITS.contactsPerCall} contacts at a time.` });
    const contacts = checkContacts(drafts, now, problems);
    if (problems.length > 0) return invalid(problems);
    const key = (c: ContactLogItem) => `${c.at}|${c.channel}|${c.summary}`;
    const outcome = await this.change(incident, (current) => {
      const have = new Set((current.contacts ?? []).map(key));
      const fresh = contacts.filter((c) => !have.has(key(c)));
      if (fresh.length === 0) return undefined;
      const all = [...(current.contacts ?? []), ...fresh].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      if (all.length > INCIDENT_LIMITS.contactsPerReport) return "TOO_MANY";
      return { ...current, contacts: all, contactCount: all.length, occurredAt: all[0]!.at < current.occurredAt ? all[0]!.at : current.occurredAt, occurredUntil: all[all.length - 1]!.at };
    });
    if (outcome.tooMany) {
      return invalid([{ field: "contacts", code: "TOO_MANY_CONTACTS", message: `One report can cover at most ${INCIDENT_LIMITS.contactsPerReport} contacts. Start a new report for further contacts.` }]);
    }
    const added = (outcome.incident.contacts?.length ?? 0) - (incident.contacts?.length ?? 0);
    if (outcome.changed) {
      await this.deps.stores.audit.append({ id: hashId("audit", incidentId, "contacts", String(outcome.incident.contactCount ?? 0)), at: now.toISOString(), actorId: caller.id, action: "update", surface, subjectId: incident.subjectId, what: [incident.reference, "contacts"] });
    }
    return { ok: true, incident: outcome.incident, added: Math.max(0, added) };
  }

  /** Read-change-write with the incident's etag, retried on a concurrent change. `edit` returns the new incident,
   * undefined for "nothing to do", or "TOO_MANY". */
  private async change(first: Incident, edit: (current: Incident) => Incident | undefined | "TOO_MANY"): Promise<{ incident: Incident; changed: boolean; tooMany?: boolean }> {
    let current = first;
    for (let attempt = 1; ; attempt++) {
      const next = edit(current);
      if (next === "TOO_MANY") return { incident: current, changed: false, tooMany: true };
      if (!next) return { incident: current, changed: false };
      try {
        return { incident: await this.deps.stores.incidents.update(next), changed: true };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= 6) throw error;
        const reread = await this.deps.stores.incidents.get(first.id);
        if (!reread) throw error;
        current = reread;
      }
    }
  }

  /** What happens next under the council's policy, for the reporter's confirmation. Each line cites its
   * section where the policy gives one. */
  async whatHappensNext(incident: Incident): Promise<string[]> {
    const p = this.deps.profile;
    const cite = (path: string, sentence: string) => {
      const source = sourceOf(p, path);
      return source ? `${sentence.replace(/\.$/, "")} (${source}).` : sentence;
    };
    const lines: string[] = [];
    const current = (await this.deps.stores.register.listBySubject(incident.subjectId)).filter((e) => e.status !== "removed");
    const body = p.decisionBody.name;
    const register = registerName(p);
    if (current.length > 0) {
      lines.push(cite("review", `They are already on the ${register}. Your report is added to their record and the record owner is told.`));
      if (p.review.afterNewIncident === "bring-forward") lines.push(cite("review.afterNewIncident", "A new incident brings their review forward."));
      if (p.review.afterNewIncident === "reset") lines.push(cite("review.afterNewIncident", "Their review date now runs from this incident."));
    } else if (p.decisionBody.mode === "single-decider") {
      lines.push(cite("decisionBody", `Your manager looks at the report. ${capitalise(body)} decides whether any action is needed.`));
    } else {
      lines.push(cite("decisionBody", `Your manager looks at the report and decides whether to refer it to ${body}, which decides whether they are added to the ${register}.`));
    }
    const ladder = p.warnings;
    if (ladder) {
      if (ladder.bypassCategories.includes(incident.category)) {
        lines.push(cite("warnings.bypassCategories", `Because this was ${CATEGORY_LABELS[incident.category].toLowerCase()}, the warning stage can be skipped.`));
      } else if (current.length === 0 && ladder.steps[0]) {
        lines.push(cite("warnings", `The first step is usually a ${ladder.steps[0].label.toLowerCase()}.`));
      }
    }
    if (this.allowsContacts(incident.category)) {
      lines.push(cite("incidentReports.multiContactCategories", `If they keep contacting you about the same matter, add the contacts to ${incident.reference} rather than starting a new report.`));
    }
    return lines.slice(0, 4);
  }

  // -------------------------------------------------------------------------------------------------------
  // Validation: every problem at once, each with a stable code.
  // -------------------------------------------------------------------------------------------------------

  private async validate(draft: IncidentDraft, now: Date): Promise<{ ok: true; value: ValidReport } | Failure> {
    const problems: Problem[] = [];
    const add = (field: string, code: string, message: string) => problems.push({ field, code, message });
    const profile = this.deps.profile;

    // Subject.
    let subject: ValidReport["subject"] | undefined;
    const existingId = str(draft.subject?.existingId);
    if (existingId) {
      const found = existingId.length <= 100 ? await this.deps.stores.subjects.get(existingId) : undefined;
      if (!found) add("subject.existingId", "SUBJECT_NOT_FOUND", "We could not find that person or address. Look them up again, or enter them as new.");
      else subject = { kind: "existing", id: found.id };
    } else if (draft.subject?.new) {
      const made = checkSubject(draft.subject.new, profile, now, add);
      if (made) subject = { kind: "new", subject: made };
    } else {
      add("subject", "SUBJECT_REQUIRED", "Say who this is about: pick a person from a lookup, or enter a new person or address.");
    }

    const occurredAt = checkInstant(draft.occurredAt, "occurredAt", now, add, "when it happened");
    const location = checkText(draft.location, "location", INCIDENT_LIMITS.shortText, add, "LOCATION_REQUIRED", "Say where it happened, for example \"Civic Centre reception\" or \"by phone\".");
    const channel = CONTACT_CHANNELS.find((c) => c === draft.channel);
    if (!channel) add("channel", "CHANNEL_INVALID", "Choose how the contact happened: phone, email, face to face, letter, online form, social media or home visit.");
    const serviceArea = checkText(draft.serviceArea, "serviceArea", INCIDENT_LIMITS.shortText, add, "SERVICE_AREA_REQUIRED", "Say which service area you work in, for example Housing.");
    const category = INCIDENT_CATEGORIES.find((c) => c === draft.category);
    if (!category) add("category", "CATEGORY_INVALID", "Choose what kind of behaviour it was from the list.");
    const description = checkText(draft.description, "description", INCIDENT_LIMITS.description, add, "DESCRIPTION_REQUIRED", "Describe what happened, in your own words: what was said or done.", "DESCRIPTION_TOO_LONG");

    const witnesses: Incident["witnesses"] = [];
    const witnessDrafts = Array.isArray(draft.witnesses) ? draft.witnesses : [];
    if (witnessDrafts.length > INCIDENT_LIMITS.witnesses) add("witnesses", "TOO_MANY_WITNESSES", `Add at most ${INCIDENT_LIMITS.witnesses} witness statements to one report.`);
    witnessDrafts.slice(0, INCIDENT_LIMITS.witnesses).forEach((w, i) => {
      const name = str(w?.name);
      const statement = str(w?.statement);
      if (!name && !statement) return; // an empty row on the form
      if (!name) add(`witnesses.${i}.name`, "WITNESS_NAME_REQUIRED", `Give the name of witness ${i + 1}.`);
      else if (name.length > INCIDENT_LIMITS.shortText) add(`witnesses.${i}.name`, "TEXT_TOO_LONG", `Shorten the name of witness ${i + 1}.`);
      if (!statement) add(`witnesses.${i}.statement`, "WITNESS_STATEMENT_REQUIRED", `Add what witness ${i + 1} saw or heard.`);
      else if (statement.length > INCIDENT_LIMITS.witnessStatement) add(`witnesses.${i}.statement`, "TEXT_TOO_LONG", `Shorten the statement of witness ${i + 1} to ${INCIDENT_LIMITS.witnessStatement} characters, or attach it as a file.`);
      if (name && statement) witnesses.push({ name, statement, ...(typeof w.isStaff === "boolean" ? { isStaff: w.isStaff } : {}) });
    });

    const policeReference = str(draft.policeReference);
    if (policeReference && (policeReference.length > INCIDENT_LIMITS.policeReference || !/^[A-Za-z0-9/ .:-]+$/.test(policeReference))) {
      add("policeReference", "POLICE_REFERENCE_INVALID", "Enter the police reference as the police gave it: letters, numbers, / and - only.");
    }
    if (draft.hateIncident !== undefined && typeof draft.hateIncident !== "boolean") add("hateIncident", "HATE_INCIDENT_INVALID", "Say whether this was a hate incident: yes or no.");
    const immediateAction = IMMEDIATE_ACTIONS.find((a) => a === (draft.immediateAction ?? "none"));
    if (!immediateAction) add("immediateAction", "IMMEDIATE_ACTION_INVALID", "Choose what you did at the time from the list.");
    const immediateActionNote = str(draft.immediateActionNote);
    if (immediateAction === "other" && !immediateActionNote) add("immediateActionNote", "IMMEDIATE_ACTION_NOTE_REQUIRED", "Say what you did at the time.");
    if (immediateActionNote.length > INCIDENT_LIMITS.shortText * 5) add("immediateActionNote", "TEXT_TOO_LONG", "Shorten what you did at the time.");

    const externalEvidence: ValidReport["externalEvidence"] = [];
    const evidenceDrafts = Array.isArray(draft.externalEvidence) ? draft.externalEvidence : [];
    evidenceDrafts.slice(0, INCIDENT_LIMITS.externalEvidence).forEach((e, i) => {
      const reference = str(e?.reference);
      const kind = e?.kind === "cctv" ? "cctv" : "other";
      if (!reference) add(`externalEvidence.${i}.reference`, "EVIDENCE_REFERENCE_REQUIRED", "Say where the evidence is kept, for example the camera and the time.");
      else if (reference.length > INCIDENT_LIMITS.shortText) add(`externalEvidence.${i}.reference`, "TEXT_TOO_LONG", "Shorten where the evidence is kept.");
      else externalEvidence.push({ kind, reference });
    });

    // East Suffolk 4.2: one report may cover many contacts, only for the categories the policy names.
    const contactDrafts = Array.isArray(draft.contacts) ? draft.contacts : [];
    let contacts: ContactLogItem[] = [];
    if (contactDrafts.length > 0) {
      if (category && !this.allowsContacts(category)) {
        const refusal = contactsNotAllowed(profile, category);
        add("contacts", refusal.code, refusal.message);
      } else if (contactDrafts.length > INCIDENT_LIMITS.contactsPerReport) {
        add("contacts", "TOO_MANY_CONTACTS", `One report can cover at most ${INCIDENT_LIMITS.contactsPerReport} contacts.`);
      } else {
        contacts = checkContacts(contactDrafts, now, problems);
      }
    }

    if (problems.length > 0 || !subject || !occurredAt || !location || !channel || !serviceArea || !category || !description || !immediateAction) {
      return invalid(problems);
    }
    return {
      ok: true,
      value: { subject, occurredAt, location, channel, serviceArea, category, description, witnesses, policeReference, hateIncident: draft.hateIncident === true, immediateAction, immediateActionNote, externalEvidence, contacts },
    };
  }
}

interface ValidReport {
  subject: { kind: "existing"; id: string } | { kind: "new"; subject: Omit<Subject, "id" | "createdAt" | "updatedAt"> };
  occurredAt: IsoDateTime;
  location: string;
  channel: ContactChannel;
  serviceArea: string;
  category: IncidentCategory;
  description: string;
  witnesses: Incident["witnesses"];
  policeReference: string;
  hateIncident: boolean;
  immediateAction: ImmediateAction;
  immediateActionNote: string;
  externalEvidence: { kind: "cctv" | "other"; reference: string }[];
  contacts: ContactLogItem[];
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

function notFound(): Failure {
  return { ok: false, code: "NOT_FOUND", status: 404, message: "We could not find that report. Check the reference, or ask your manager." };
}

function tooManyFiles(): Failure {
  return { ok: false, code: "TOO_MANY_EVIDENCE_FILES", status: 409, message: `This report already has ${INCIDENT_LIMITS.evidenceFiles} files. Put further files together in one PDF, or ask your manager.` };
}

interface CheckedFile {
  ok: true;
  contentType: string;
  kind: EvidenceRef["kind"];
  fileName: string | undefined;
}

/** Type, size and content checks every evidence file passes, however it arrived. */
function checkEvidenceFile(file: EvidenceFile): CheckedFile | Failure {
  const contentType = file.contentType.split(";")[0]!.trim().toLowerCase();
  const spec = EVIDENCE_TYPES[contentType];
  if (!spec) {
    return { ok: false, code: "EVIDENCE_TYPE_NOT_ALLOWED", status: 415, message: `Files of this type (${contentType || "unknown"}) cannot be added. Send a photo, PDF, email, Word document, text, audio or MP4 file.` };
  }
  if (file.data.length === 0) return { ok: false, code: "EVIDENCE_EMPTY", status: 400, message: "The file is empty. Check it and send it again." };
  if (file.data.length > INCIDENT_LIMITS.evidenceBytes) {
    return { ok: false, code: "EVIDENCE_TOO_LARGE", status: 413, message: `The file is larger than ${INCIDENT_LIMITS.evidenceBytes / 1024 / 1024} MB. For CCTV or long recordings, give where the footage is kept instead.` };
  }
  if (spec.magic && !spec.magic.some((m) => m.every((b, i) => file.data[i] === b))) {
    return { ok: false, code: "EVIDENCE_CONTENT_MISMATCH", status: 415, message: `The file does not look like a ${contentType} file. Check you picked the right file and send it again.` };
  }
  return { ok: true, contentType, kind: spec.kind, fileName: sanitiseFileName(file.fileName) };
}

/** How an email from a mailbox was kept: whole (MIME), or its headers and text. */
export type MailEvidenceSource = "mime" | "headers-and-text";

function mailSourceOf(evidence: EvidenceRef): MailEvidenceSource {
  return evidence.contentType === "message/rfc822" ? "mime" : "headers-and-text";
}

const MAIL_FAILURE_STATUS: Record<UserMailError["code"], number> = {
  MAIL_NOT_FOUND: 404,
  MAIL_ACCESS_DENIED: 403,
  MAIL_TOO_LARGE: 413,
  OBO_CONSENT_REQUIRED: 503,
  OBO_FAILED: 503,
  GRAPH_UNAVAILABLE: 503,
};

function mailFailure(error: UserMailError): Failure {
  const status = MAIL_FAILURE_STATUS[error.code];
  return {
    ok: false,
    code: error.code,
    status,
    message: error.message,
    ...(status === 503 ? { retryAfterSeconds: error.retryAfterSeconds ?? 30 } : {}),
  };
}

/** The calendar day in a MIME message's Date header, for a file name that says nothing else about the email. */
function mimeDay(mime: Buffer): string {
  const head = mime.subarray(0, 64 * 1024).toString("latin1").split(/\r?\n\r?\n/)[0] ?? "";
  const date = /^date:[ \t]*(.+(?:\r?\n[ \t].+)*)/im.exec(head)?.[1]?.replace(/\r?\n[ \t]+/g, " ");
  const ms = date ? Date.parse(date) : NaN;
  return Number.isNaN(ms) ? "undated" : new Date(ms).toISOString().slice(0, 10);
}

/** The text file kept when the whole email cannot be: what was kept and why, the headers as received, the text. */
function headersAndText(details: MailDetails, tooLarge: boolean): Buffer {
  const header = (name: string, value: string) => `${name}: ${value.replace(/\r?\n/g, " ")}`;
  const lines = details.headers.length > 0
    ? details.headers.map((h) => header(h.name, h.value))
    : [
        ...(details.from ? [header("From", details.from.name && details.from.address ? `"${details.from.name}" <${details.from.address}>` : details.from.address ?? details.from.name ?? "")] : []),
        header("Subject", details.subject),
        ...(details.receivedDateTime ? [header("Date", details.receivedDateTime)] : []),
      ];
  const intro = tooLarge
    ? "CALM copied this email from the mailbox through Microsoft 365. The whole email was too large to keep, so these are its headers and text (attachments are not included)."
    : "CALM copied this email from the mailbox through Microsoft 365. The whole email could not be copied, so these are its headers and text.";
  const head = [intro, "", ...lines, "", ""].join("\r\n");
  const room = INCIDENT_LIMITS.evidenceBytes - Buffer.byteLength(head) - 200;
  let text = details.body.content.replace(/\r?\n/g, "\r\n");
  if (details.body.contentType === "html") text = text.replace(/<[^>]*>/g, " ");
  let body = Buffer.from(text, "utf8");
  if (body.length > room) body = Buffer.concat([body.subarray(0, room), Buffer.from("\r\n[CALM cut the text here: the email is longer than the evidence limit.]\r\n")]);
  return Buffer.concat([Buffer.from(head, "utf8"), body]);
}

function invalid(problems: Problem[]): Failure {
  return { ok: false, code: "INCIDENT_INVALID", status: 400, problems, message: `We could not save the report. ${problems.length === 1 ? problems[0]!.message : `Fix the ${problems.length} things listed and send it again.`}` };
}

function contactsNotAllowed(profile: PolicyProfile, category: IncidentCategory): Failure {
  const allowed = profile.incidentReports.multiContactCategories ?? [];
  const message = allowed.length === 0
    ? "The council's policy does not cover many contacts in one report. Report each contact on its own."
    : `Only reports of ${allowed.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(" or ")} can cover many contacts (${sourceOf(profile, "incidentReports.multiContactCategories") ?? "the policy"}). Report this ${CATEGORY_LABELS[category].toLowerCase()} on its own.`;
  return { ok: false, code: "CONTACTS_NOT_ALLOWED", status: 400, message, problems: [{ field: "contacts", code: "CONTACTS_NOT_ALLOWED", message }] };
}

function checkText(value: unknown, field: string, max: number, add: (f: string, c: string, m: string) => void, requiredCode: string, requiredMessage: string, tooLongCode = "TEXT_TOO_LONG"): string | undefined {
  const text = str(value);
  if (!text) {
    add(field, requiredCode, requiredMessage);
    return undefined;
  }
  if (text.length > max) {
    add(field, tooLongCode, `Shorten this to ${max.toLocaleString("en-GB")} characters or fewer, or attach the rest as a file.`);
    return undefined;
  }
  return text;
}

function checkInstant(value: unknown, field: string, now: Date, add: (f: string, c: string, m: string) => void, what: string): IsoDateTime | undefined {
  const text = str(value);
  const ms = Date.parse(text);
  if (!text || Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    add(field, "OCCURRED_AT_INVALID", `Give the date and time of ${what}.`);
    return undefined;
  }
  // A few minutes' grace for a device clock that runs fast.
  if (ms > now.getTime() + 5 * 60_000) {
    add(field, "OCCURRED_IN_FUTURE", `The date of ${what} is in the future. Check the date and try again.`);
    return undefined;
  }
  if (ms < Date.UTC(2000, 0, 1)) {
    add(field, "OCCURRED_AT_INVALID", `The date of ${what} is too long ago. Check the year.`);
    return undefined;
  }
  return new Date(ms).toISOString();
}

function checkContacts(drafts: ContactDraft[], now: Date, problems: Problem[]): ContactLogItem[] {
  const out: ContactLogItem[] = [];
  drafts.forEach((d, i) => {
    const before = problems.length;
    const at = checkInstant(d?.at, `contacts.${i}.at`, now, (field, code, message) => problems.push({ field, code: "CONTACT_INVALID", message: `Contact ${i + 1}: ${message}` }), "the contact");
    const channel = CONTACT_CHANNELS.find((c) => c === d?.channel);
    if (!channel) problems.push({ field: `contacts.${i}.channel`, code: "CONTACT_INVALID", message: `Contact ${i + 1}: choose how they made contact.` });
    const summary = str(d?.summary);
    if (!summary) problems.push({ field: `contacts.${i}.summary`, code: "CONTACT_INVALID", message: `Contact ${i + 1}: say briefly what it was about.` });
    else if (summary.length > INCIDENT_LIMITS.contactSummary) problems.push({ field: `contacts.${i}.summary`, code: "TEXT_TOO_LONG", message: `Contact ${i + 1}: shorten the note to ${INCIDENT_LIMITS.contactSummary} characters.` });
    if (problems.length === before && at && channel) out.push({ at, channel, summary });
  });
  return out;
}

function checkSubject(d: SubjectDraft, profile: PolicyProfile, now: Date, add: (f: string, c: string, m: string) => void): Omit<Subject, "id" | "createdAt" | "updatedAt"> | undefined {
  const before = { n: 0 };
  const problem = (f: string, c: string, m: string) => { before.n++; add(f, c, m); };
  const kind: SubjectKind | undefined = SUBJECT_KINDS.find((k) => k === (d.kind ?? "person"));
  if (!kind) problem("subject.new.kind", "SUBJECT_KIND_NOT_ALLOWED", "Say whether this is a person, someone acting for a person, or an address.");
  // West Oxfordshire "Premise Risk": addresses go on the register only where the policy has premises risks.
  if (kind === "premises" && !profile.premises.enabled) {
    problem("subject.new.kind", "SUBJECT_KIND_NOT_ALLOWED", "The council's policy does not put addresses on the register. Report the person instead.");
  }
  const displayName = str(d.displayName);
  if (!displayName) problem("subject.new.displayName", "SUBJECT_NAME_REQUIRED", kind === "premises" ? "Give the address, for example \"12 Example Road\"." : "Give the person's name as you know it.");
  else if (displayName.length > INCIDENT_LIMITS.shortText) problem("subject.new.displayName", "TEXT_TOO_LONG", "Shorten the name.");
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((x) => x.length > 0) : []);
  const emails = list(d.emails).slice(0, INCIDENT_LIMITS.identifiers);
  emails.forEach((e, i) => { if (!normaliseEmail(e)) problem(`subject.new.emails.${i}`, "SUBJECT_EMAIL_INVALID", `"${e.slice(0, 80)}" is not an email address. Check it, or leave it out.`); });
  const phones = list(d.phones).slice(0, INCIDENT_LIMITS.identifiers);
  phones.forEach((p, i) => { if (!normalisePhone(p)) problem(`subject.new.phones.${i}`, "SUBJECT_PHONE_INVALID", `"${p.slice(0, 40)}" is not a phone number. Check it, or leave it out.`); });
  const dateOfBirth = str(d.dateOfBirth);
  if (dateOfBirth && (!isIsoDate(dateOfBirth) || dateOfBirth > now.toISOString().slice(0, 10))) {
    problem("subject.new.dateOfBirth", "SUBJECT_DATE_OF_BIRTH_INVALID", "Give the date of birth as a real date in the past, or leave it out.");
  }
  const addresses = (Array.isArray(d.addresses) ? d.addresses : [])
    .slice(0, INCIDENT_LIMITS.identifiers)
    .map((a) => ({ lines: list(a?.lines).slice(0, 6), ...(str(a?.town) ? { town: str(a?.town) } : {}), ...(str(a?.postcode) ? { postcode: str(a?.postcode).toUpperCase() } : {}), ...(str(a?.uprn) ? { uprn: str(a?.uprn) } : {}) }))
    .filter((a) => a.lines.length > 0 || a.postcode);
  if (before.n > 0 || !kind || !displayName) return undefined;
  const actsFor = str(d.actsForSubjectId);
  return {
    kind,
    displayName,
    aliases: list(d.aliases).slice(0, INCIDENT_LIMITS.identifiers),
    emails,
    phones,
    addresses,
    socialHandles: list(d.socialHandles).slice(0, INCIDENT_LIMITS.identifiers),
    ...(dateOfBirth ? { dateOfBirth } : {}),
    ...(kind === "representative" && actsFor ? { actsForSubjectId: actsFor } : {}),
    ...(d.noFixedAddress === true ? { noFixedAddress: true } : {}),
  };
}

/** A file name safe to keep and show: no path, no control characters, at most 120 characters. */
export function sanitiseFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return base.length === 0 ? undefined : base.slice(-120);
}
