// Retention (East Suffolk 4.7: details kept for six months after removal, then deleted). When an entry's
// retention period has passed, everything about it goes: incidents and their evidence files, the case with its
// votes and conflict declarations, letters and their documents, warnings, reviews, appeals, contact notes, the
// entry, and the subject once nothing else of theirs is left. What remains is one audit event, a tombstone that
// says what kind of things were deleted and how many, under which rule, and nothing that identifies anyone.
//
// Where the policy sets no retention period (Dorset, West Oxfordshire, West Lindsey, Tamworth: `null`), nothing is
// purged automatically; an administrator purges a removed entry by hand, with a reason (for example the
// council's own retention schedule or an erasure request), through the same code.
import type { Caller, Case, Incident, IsoDate, RegisterEntry } from "../../../../core/src/domain";
import { CASE_STATUSES } from "../../../../core/src/domain";
import { sourceOf } from "../../../../core/src/policy/sources";
import type { RetentionRecord } from "../../ports/lifecycle";
import { ok, refuse, type Actor, type LifecycleContext, type Result } from "./context";
import type { NotificationService } from "./notifications";
import type { RegisterWatch } from "./watch";

export interface PurgeCounts {
  entries: number;
  subjects: number;
  incidents: number;
  evidenceFiles: number;
  cases: number;
  votes: number;
  conflictDeclarations: number;
  letters: number;
  letterFiles: number;
  warnings: number;
  immediateRestrictions: number;
  reviews: number;
  appeals: number;
  contactNotes: number;
}

export interface PurgePlanItem {
  entryId: string;
  reference: string;
  removedOn: IsoDate;
  purgeAfter: IsoDate | null;
  /** Whether the retention period has passed (always false where the policy sets none). */
  due: boolean;
  /** The subject is deleted too: this is their last entry. */
  subjectDeleted: boolean;
  counts: PurgeCounts;
  /** References of what goes, for the person checking the dry run (no names). */
  incidentReferences: string[];
  caseReferences: string[];
  letterReferences: string[];
}

export interface PurgePlan {
  today: IsoDate;
  /** The retention rule in force, in words, with its source. */
  rule: string;
  source?: string;
  due: PurgePlanItem[];
  /** Removed entries still within their period (or with no period set), soonest first. */
  waiting: { entryId: string; reference: string; removedOn: IsoDate; purgeAfter: IsoDate | null }[];
}

interface Targets {
  retention: RetentionRecord;
  entry?: RegisterEntry;
  deleteSubject: boolean;
  incidents: Incident[];
  evidenceBlobs: string[];
  cases: Case[];
  votes: number;
  conflicts: number;
  letterIds: string[];
  letterRefs: string[];
  letterBlobs: string[];
  warningIds: string[];
  immediateIds: string[];
  reviewIds: string[];
  appealIds: string[];
  contactIds: string[];
}

function emptyCounts(): PurgeCounts {
  return { entries: 0, subjects: 0, incidents: 0, evidenceFiles: 0, cases: 0, votes: 0, conflictDeclarations: 0, letters: 0, letterFiles: 0, warnings: 0, immediateRestrictions: 0, reviews: 0, appeals: 0, contactNotes: 0 };
}

export class RetentionService {
  constructor(
    private readonly ctx: LifecycleContext,
    private readonly notifications: NotificationService,
    private readonly watch: RegisterWatch,
  ) {}

  private rule(): { text: string; source?: string } {
    const period = this.ctx.profile.retention.afterRemoval;
    const source = sourceOf(this.ctx.profile, "retention.afterRemoval");
    const text =
      period === null
        ? "The policy sets no retention period after removal, so nothing is deleted automatically. An administrator can purge a removed entry, giving a reason."
        : `Details are deleted ${period.count} ${period.unit.replace("working-days", "working days")} after removal.`;
    return source === undefined ? { text } : { text, source };
  }

  /** The dry run: what would be deleted today, and what is waiting. Changes nothing. */
  async plan(): Promise<PurgePlan> {
    const today = this.ctx.today();
    const records = await this.ctx.deps.lifecycle.retention.find({ status: "waiting" });
    const due: PurgePlanItem[] = [];
    const waiting: PurgePlan["waiting"] = [];
    for (const r of records) {
      if (r.purgeAfter !== null && r.purgeAfter <= today) due.push(await this.item(r, today));
      else waiting.push({ entryId: r.id, reference: r.reference, removedOn: r.removedOn, purgeAfter: r.purgeAfter });
    }
    waiting.sort((a, b) => ((a.purgeAfter ?? "9999") < (b.purgeAfter ?? "9999") ? -1 : 1));
    const rule = this.rule();
    return { today, rule: rule.text, ...(rule.source ? { source: rule.source } : {}), due, waiting };
  }

  /** The dry run for one removed entry, whether or not it is due. */
  async planFor(entryId: string): Promise<Result<PurgePlanItem>> {
    const record = await this.ctx.deps.lifecycle.retention.get(entryId);
    if (!record || record.status !== "waiting") return refuse("NOT_REMOVED", "Only an entry that has been removed from the register can be purged. Remove it first.", 409);
    return ok(await this.item(record, this.ctx.today()));
  }

  /** Retention records due for purging today (the scheduler's list). */
  async dueIds(): Promise<string[]> {
    const today = this.ctx.today();
    return (await this.ctx.deps.lifecycle.retention.find({ status: "waiting" })).filter((r) => r.purgeAfter !== null && r.purgeAfter <= today).map((r) => r.id);
  }

  private async item(record: RetentionRecord, today: IsoDate): Promise<PurgePlanItem> {
    const t = await this.targets(record);
    return {
      entryId: record.id,
      reference: record.reference,
      removedOn: record.removedOn,
      purgeAfter: record.purgeAfter,
      due: record.purgeAfter !== null && record.purgeAfter <= today,
      subjectDeleted: t.deleteSubject,
      counts: this.counts(t),
      incidentReferences: t.incidents.map((i) => i.reference),
      caseReferences: t.cases.map((c) => c.reference),
      letterReferences: t.letterRefs,
    };
  }

  private counts(t: Targets): PurgeCounts {
    return {
      ...emptyCounts(),
      entries: t.entry ? 1 : 0,
      subjects: t.deleteSubject ? 1 : 0,
      incidents: t.incidents.length,
      evidenceFiles: t.evidenceBlobs.length,
      cases: t.cases.length,
      votes: t.votes,
      conflictDeclarations: t.conflicts,
      letters: t.letterIds.length,
      letterFiles: t.letterBlobs.length,
      warnings: t.warningIds.length,
      immediateRestrictions: t.immediateIds.length,
      reviews: t.reviewIds.length,
      appeals: t.appealIds.length,
      contactNotes: t.contactIds.length,
    };
  }

  /** Everything that goes with this entry. With the subject's last entry everything of the subject goes; otherwise
   * only what belongs to this entry (incidents stay while another entry's case still relies on them). */
  private async targets(retention: RetentionRecord): Promise<Targets> {
    const { stores, lifecycle, blobs } = this.ctx.deps;
    const entry = await stores.register.get(retention.id);
    const subjectId = retention.subjectId;
    const others = (await stores.register.listBySubject(subjectId)).filter((e) => e.id !== retention.id);
    const deleteSubject = others.length === 0;

    const subjectCases: Case[] = [];
    for (const status of CASE_STATUSES) for (const c of await stores.cases.listByStatus(status)) if (c.subjectId === subjectId) subjectCases.push(c);
    const allIncidents = await stores.incidents.listBySubject(subjectId);
    let cases: Case[];
    let incidents: Incident[];
    if (deleteSubject) {
      cases = subjectCases;
      incidents = allIncidents;
    } else {
      const otherCaseIds = new Set(others.map((e) => e.caseId).filter((id): id is string => id !== undefined));
      cases = subjectCases.filter((c) => (entry?.caseId !== undefined && c.id === entry.caseId) || c.entryId === retention.id).filter((c) => !otherCaseIds.has(c.id));
      const kept = new Set(subjectCases.filter((c) => otherCaseIds.has(c.id)).flatMap((c) => c.incidentIds));
      const mine = new Set(cases.flatMap((c) => c.incidentIds));
      incidents = allIncidents.filter((i) => mine.has(i.id) && !kept.has(i.id));
    }
    let votes = 0;
    let conflicts = 0;
    for (const c of cases) {
      votes += (await stores.cases.listVotes(c.id)).length;
      conflicts += (await stores.cases.listConflicts(c.id)).length;
    }
    const evidence = new Set<string>();
    for (const i of incidents) {
      for (const e of i.evidence) if (e.blobName) evidence.add(e.blobName);
      for (const name of await blobs.list(`evidence/${i.id}/`)) evidence.add(name);
    }
    const scope = deleteSubject ? { subjectId } : { entryId: retention.id };
    const letters = await lifecycle.letters.find(scope);
    return {
      retention,
      ...(entry ? { entry } : {}),
      deleteSubject,
      incidents,
      evidenceBlobs: [...evidence].sort(),
      cases,
      votes,
      conflicts,
      letterIds: letters.map((l) => l.id),
      letterRefs: letters.map((l) => l.reference),
      letterBlobs: letters.map((l) => l.blobName).filter((b): b is string => b !== undefined),
      warningIds: deleteSubject ? (await lifecycle.warnings.find({ subjectId })).map((w) => w.id) : [],
      immediateIds: (await lifecycle.immediateRestrictions.find(scope)).map((r) => r.id),
      reviewIds: (await lifecycle.reviews.find(scope)).map((r) => r.id),
      appealIds: (await lifecycle.appeals.find(scope)).map((a) => a.id),
      contactIds: (await lifecycle.contacts.find(scope)).map((c) => c.id),
    };
  }

  /** Purges one removed entry. Each step deletes idempotently and the retention record goes last, so a purge cut
   * short (a crash, a storage outage) finishes on its next run. */
  async purge(actor: Actor, entryId: string, reason?: string): Promise<Result<PurgeCounts>> {
    const { stores, lifecycle, blobs } = this.ctx.deps;
    const record = await lifecycle.retention.get(entryId);
    if (!record || record.status !== "waiting") return refuse("NOT_REMOVED", "Only an entry that has been removed from the register can be purged. Remove it first.", 409);
    const entryNow = await stores.register.get(entryId);
    if (entryNow && entryNow.status !== "removed") return refuse("ENTRY_CURRENT", "This entry is on the register again, so it is not purged.", 409);
    // Subscribers hear of the removal before the marker state is forgotten.
    await this.watch.sync();
    const t = await this.targets(record);
    const counts = this.counts(t);
    for (const name of [...t.evidenceBlobs, ...t.letterBlobs]) await blobs.delete(name);
    for (const c of t.cases) await stores.cases.delete(c.id);
    for (const i of t.incidents) await stores.incidents.delete(i.id);
    for (const id of t.letterIds) await lifecycle.letters.delete(id);
    for (const id of t.warningIds) await lifecycle.warnings.delete(id);
    for (const id of t.immediateIds) await lifecycle.immediateRestrictions.delete(id);
    for (const id of t.reviewIds) await lifecycle.reviews.delete(id);
    for (const id of t.appealIds) await lifecycle.appeals.delete(id);
    for (const id of t.contactIds) await lifecycle.contacts.delete(id);
    if (t.entry) await stores.register.delete(t.entry.id);
    if (t.deleteSubject) await stores.subjects.delete(record.subjectId);
    await this.notifications.forget(record.reference, record.id);
    await this.ctx.deps.subjectChanged(record.subjectId);
    const rule = this.rule();
    // The tombstone: what kinds of record went and how many, when, under which rule. No subject, entry, reference
    // or name, so nothing in the audit log points back at the person.
    await this.ctx.audit(actor, "purge", {
      what: [
        "tombstone",
        `removedIn:${record.removedOn.slice(0, 7)}`,
        `purgedOn:${this.ctx.today()}`,
        `rule:${rule.source ?? (reason === undefined ? "policy" : "administrator")}`,
        ...(reason === undefined ? [] : ["manual"]),
        ...Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${k}:${n}`),
      ],
    });
    await lifecycle.retention.delete(record.id);
    this.ctx.deps.logger.info("lifecycle.purged", { entries: counts.entries, incidents: counts.incidents, files: counts.evidenceFiles + counts.letterFiles });
    return ok(counts);
  }

  /** Purge by hand: where the policy sets no period, or early for a reason (an erasure request). */
  async purgeNow(caller: Caller, entryId: string, input: { reason: string; early?: boolean }): Promise<Result<PurgeCounts>> {
    if (input.reason.trim().length < 5) return refuse("REASON_REQUIRED", "Say why this entry is purged now (for example the council's retention schedule or an erasure request).");
    const record = await this.ctx.deps.lifecycle.retention.get(entryId);
    if (!record || record.status !== "waiting") return refuse("NOT_REMOVED", "Only an entry that has been removed from the register can be purged. Remove it first.", 409);
    if (record.purgeAfter !== null && record.purgeAfter > this.ctx.today() && input.early !== true) {
      return refuse("PURGE_NOT_DUE", `The policy keeps these details until ${record.purgeAfter}. To purge them early, confirm it and give the reason.`, 409, { purgeAfter: record.purgeAfter });
    }
    return this.purge(this.ctx.actor(caller), entryId, input.reason.trim());
  }
}
