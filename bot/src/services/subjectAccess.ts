// Subject access (UK GDPR Article 15; issue 8 item 4): one archive of everything CALM holds about a person —
// their record, register entries, incidents, cases and decisions, warnings, reviews, appeals, letters, evidence
// files, and the audit of who looked them up — for the DPO to review and release. The export is itself audited.
//
// The archive is for the DPO, not straight for the requester: it contains third-party data (witnesses, staff,
// other people's names in descriptions) that the DPO must review before release, and README.txt says so.
// File names inside the archive are built from ids and cleaned names only, so nothing a member of the public
// named a file ("../../etc/passwd", "<script>.pdf") can climb out of its folder when the archive is opened.
import { createHash } from "node:crypto";
import AdmZip from "adm-zip";
import type { AuditEvent, Case, Incident, Subject, Surface } from "../../../core/src/domain";
import { classifyQuery } from "../../../core/src/normalise";
import type { BlobStore } from "../ports/blobs";
import type { LifecycleStores } from "../ports/lifecycle";
import type { Stores } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";

/** A store of records about subjects that can be searched by `subjectId` (the lifecycle collections). */
export interface SubjectRecordSource {
  find(where: Record<string, string>): Promise<object[]>;
}

/** A store of records kept per register entry (the portal's recorded contact). */
export interface EntryRecordSource {
  listByEntry(entryId: string): Promise<object[]>;
}

/** The lifecycle's records about a subject, by the file name each goes to in the archive. */
export function lifecycleCollections(stores: Pick<LifecycleStores, "warnings" | "immediateRestrictions" | "contacts" | "reviews" | "appeals" | "letters" | "retention">): Record<string, SubjectRecordSource> {
  return {
    warnings: stores.warnings,
    "immediate-restrictions": stores.immediateRestrictions,
    "recorded-contact": stores.contacts,
    reviews: stores.reviews,
    appeals: stores.appeals,
    letters: stores.letters,
    retention: stores.retention,
  };
}

export interface SubjectAccessDeps {
  stores: Stores;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Evidence files and letters. Without it, the archive lists the files it could not include. */
  blobs?: BlobStore;
  /** More records found by `subjectId`, each written to `<name>.json` (warnings, reviews, appeals, letters…). */
  collections?: Record<string, SubjectRecordSource>;
  /** More records found per register entry, each written to `<name>.json`. */
  entryCollections?: Record<string, EntryRecordSource>;
}

export type ResolveOutcome =
  | { ok: true; subjectId: string }
  | { ok: false; code: "SAR_SUBJECT_NOT_FOUND" | "SAR_SUBJECT_AMBIGUOUS" | "SAR_SUBJECT_QUERY_INVALID"; message: string; candidates?: string[] };

export type ExportOutcome =
  | { ok: true; zip: Buffer; fileName: string; files: number; sha256: string; subjectId: string }
  | { ok: false; code: "SAR_SUBJECT_NOT_FOUND"; message: string };

/** A name safe as the last part of a path inside the archive: no folders, no control or odd characters. */
export function safeFileName(name: string | undefined, fallback = "file"): string {
  const base = (name ?? "").split(/[/\\]/).pop() ?? "";
  const cleaned = base
    .normalize("NFKC")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[^A-Za-z0-9._ -]/g, "_")
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "")
    .slice(0, 80);
  return cleaned.length > 0 && cleaned !== "." && cleaned !== ".." ? cleaned : fallback;
}

const README = (info: { subjectId: string; exportedAt: string; exportedBy: string; files: string[]; missing: string[] }): string => `CALM subject access export
==========================

Subject id:   ${info.subjectId}
Exported at:  ${info.exportedAt}
Exported by:  ${info.exportedBy} (this export is recorded in CALM's audit log)

This archive holds everything CALM (the Customer Alert List) keeps about one person or place: their record,
register entries, incidents, cases and decisions, warnings, reviews, appeals, letters, evidence files, and the
audit log of everyone who looked them up, viewed or changed their record.

BEFORE YOU RELEASE ANY OF IT
- It is for the Data Protection Officer to review, not to send as it is.
- It contains other people's personal data: staff who reported or decided, witnesses and their statements,
  anyone named in a description or an evidence file. Redact or withhold it as the law allows.
- Consider the exemptions that may apply (for example where release would be likely to cause serious harm, or
  prejudice the prevention or detection of crime).
- Staff appear by their directory id in audit-log.json; look names up in the staff directory if needed.

Files
${info.files.map((f) => `- ${f}`).join("\n")}
${info.missing.length > 0 ? `\nNot included (could not be read; fetch them by hand)\n${info.missing.map((m) => `- ${m}`).join("\n")}\n` : ""}
manifest.json lists every file with its SHA-256, so any change after export can be detected.
`;

export class SubjectAccessService {
  constructor(private readonly deps: SubjectAccessDeps) {}

  /** A subject id, or an email address or phone number held for exactly one subject. Names are not enough. */
  async resolve(text: string): Promise<ResolveOutcome> {
    const trimmed = text.trim();
    if (trimmed.length === 0 || trimmed.length > 320) {
      return { ok: false, code: "SAR_SUBJECT_QUERY_INVALID", message: "Give the subject's id, or an email address or phone number held for them." };
    }
    if (await this.deps.stores.subjects.get(trimmed)) return { ok: true, subjectId: trimmed };
    const query = classifyQuery(trimmed);
    if (!query || query.kind === "name") {
      return { ok: false, code: "SAR_SUBJECT_QUERY_INVALID", message: "A name is not enough to be sure who the request is about. Give the subject's id, or an email address or phone number held for them." };
    }
    const ids = await this.deps.stores.subjects.findIdsByIdentifier(query.kind, query.value);
    // Identifier rows may be stale after an edit: keep the subjects that still hold the identifier.
    const confirmed: string[] = [];
    for (const id of new Set(ids)) if (await this.deps.stores.subjects.get(id)) confirmed.push(id);
    if (confirmed.length === 0) return { ok: false, code: "SAR_SUBJECT_NOT_FOUND", message: "CALM holds no one with that email address or phone number. Check it, or tell the requester CALM holds nothing about them." };
    if (confirmed.length > 1) {
      return { ok: false, code: "SAR_SUBJECT_AMBIGUOUS", message: `${confirmed.length} people share that identifier. Export each by id after checking which the request is about.`, candidates: confirmed.sort() };
    }
    return { ok: true, subjectId: confirmed[0]! };
  }

  /** Builds the archive and records the export in the audit log. Nothing is handed out unless the audit
   * event was written. */
  async export(actorId: string, subjectId: string, surface: Surface): Promise<ExportOutcome> {
    const { stores } = this.deps;
    const subject = await stores.subjects.get(subjectId);
    if (!subject) return { ok: false, code: "SAR_SUBJECT_NOT_FOUND", message: "There is no subject with that id. Check the id and try again." };
    const exportedAt = this.deps.clock.now().toISOString();
    const zip = new AdmZip();
    const files: { path: string; sha256: string; bytes: number }[] = [];
    const missing: string[] = [];
    const add = (path: string, data: Buffer): void => {
      assertArchivePath(path);
      zip.addFile(path, data);
      files.push({ path, sha256: createHash("sha256").update(data).digest("hex"), bytes: data.length });
    };
    const addJson = (path: string, value: unknown): void => add(path, Buffer.from(`${JSON.stringify(value, stripEtags, 2)}\n`, "utf8"));

    const entries = await stores.register.listBySubject(subjectId);
    const incidents = await stores.incidents.listBySubject(subjectId);
    const caseIds = [...new Set([...incidents.map((i) => i.caseId), ...entries.map((e) => e.caseId)].filter((id): id is string => !!id))].sort();
    const cases: (Case & { votes: unknown[]; conflicts: unknown[] })[] = [];
    for (const id of caseIds) {
      const c = await stores.cases.get(id);
      if (c) cases.push({ ...c, votes: await stores.cases.listVotes(id), conflicts: await stores.cases.listConflicts(id) });
    }
    const audit = await this.allAudit(subjectId);
    const related = await this.related(subject);

    addJson("subject.json", subject);
    if (related.length > 0) addJson("related-subjects.json", related);
    addJson("register-entries.json", entries);
    addJson("incidents.json", incidents);
    addJson("cases.json", cases);
    addJson("audit-log.json", audit);
    for (const [name, source] of Object.entries(this.deps.collections ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const records = await source.find({ subjectId });
      if (records.length > 0) {
        addJson(`${safeFileName(name)}.json`, records);
        await this.addBlobsOf(records, `files/${safeFileName(name)}`, add, missing);
      }
    }
    for (const [name, source] of Object.entries(this.deps.entryCollections ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const records = (await Promise.all(entries.map((e) => source.listByEntry(e.id)))).flat();
      if (records.length > 0) addJson(`${safeFileName(name)}.json`, records);
    }
    await this.addEvidence(incidents, add, missing);

    const manifest = { subjectId, exportedAt, exportedBy: actorId, counts: { entries: entries.length, incidents: incidents.length, cases: cases.length, auditEvents: audit.length }, files, missing };
    addJson("manifest.json", manifest);
    add("README.txt", Buffer.from(README({ subjectId, exportedAt, exportedBy: actorId, files: files.map((f) => f.path), missing }), "utf8"));
    const buffer = zip.toBuffer();
    const sha256 = createHash("sha256").update(buffer).digest("hex");

    await stores.audit.append({
      id: this.deps.ids.next(),
      at: exportedAt,
      actorId,
      action: "sar-export",
      surface,
      subjectId,
      what: [`files:${files.length}`, `bytes:${buffer.length}`, `sha256:${sha256}`],
    });
    this.deps.logger.info("sar.exported", { surface, files: files.length, bytes: buffer.length });
    return { ok: true, zip: buffer, fileName: `calm-sar-${safeFileName(subjectId, "subject")}-${exportedAt.slice(0, 10)}.zip`, files: files.length, sha256, subjectId };
  }

  /** Every audit event about the subject, oldest first. */
  private async allAudit(subjectId: string): Promise<AuditEvent[]> {
    const events = await this.deps.stores.audit.listBySubject(subjectId);
    return events.reverse();
  }

  /** Representatives acting for this person, and whom this representative acts for (West Lindsey 5). */
  private async related(subject: Subject): Promise<Subject[]> {
    const out: Subject[] = [];
    if (subject.actsForSubjectId) {
      const principal = await this.deps.stores.subjects.get(subject.actsForSubjectId);
      if (principal) out.push(principal);
    }
    for await (const s of this.deps.stores.subjects.list()) if (s.actsForSubjectId === subject.id) out.push(s);
    return out;
  }

  private async addEvidence(incidents: Incident[], add: (path: string, data: Buffer) => void, missing: string[]): Promise<void> {
    for (const incident of incidents) {
      for (const ev of incident.evidence) {
        if (!ev.blobName) continue;
        const path = `files/evidence/${safeFileName(incident.reference, "incident")}/${safeFileName(ev.id, "evidence")}-${safeFileName(ev.fileName, "file")}`;
        const blob = this.deps.blobs ? await this.deps.blobs.get(ev.blobName) : undefined;
        if (blob) add(path, blob.data);
        else missing.push(`${path} (evidence ${ev.id} of ${incident.reference})`);
      }
    }
  }

  private async addBlobsOf(records: object[], folder: string, add: (path: string, data: Buffer) => void, missing: string[]): Promise<void> {
    for (const record of records) {
      const { id, blobName, title } = record as { id?: unknown; blobName?: unknown; title?: unknown };
      if (typeof blobName !== "string" || blobName.length === 0) continue;
      const path = `${folder}/${safeFileName(typeof id === "string" ? id : undefined, "record")}-${safeFileName(typeof title === "string" ? title : blobName.split("/").pop(), "file")}`;
      const blob = this.deps.blobs ? await this.deps.blobs.get(blobName) : undefined;
      if (blob) add(path, blob.data);
      else missing.push(`${path} (record ${typeof id === "string" ? id : "?"})`);
    }
  }
}

function stripEtags(key: string, value: unknown): unknown {
  return key === "etag" ? undefined : value;
}

/** Paths we write are relative, forward-slashed and never climb out. Checked, not assumed. */
function assertArchivePath(path: string): void {
  if (path.startsWith("/") || path.includes("\\") || path.split("/").some((p) => p === ".." || p === "." || p === "")) {
    throw new Error(`Refusing to write "${path}" into a subject access archive.`);
  }
}

