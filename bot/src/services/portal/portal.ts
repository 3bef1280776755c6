// The staff portal's use cases (issue 4): register search, the subject page and its timeline, restrictions,
// recorded contact, reviews and appeals due, the audit trail of a subject, the policy in force, and the form
// choices. Incidents, cases and votes have their own services and routes (issue 3); the portal only reads their
// records for the timeline.
//
// Every method takes the verified caller and decides what they may see with the policy's access rule
// (core entryViewFor through PolicyBinding.viewFor), widened by their access grants. An entry the caller may
// not see is treated exactly as if it did not exist.
import {
  CONTACT_CHANNELS,
  IMMEDIATE_ACTIONS,
  INCIDENT_CATEGORIES,
  RISK_LEVELS,
  type AuditEvent,
  type Caller,
  type Case,
  type CaseStatus,
  type EntryStatus,
  type EntryView,
  type Incident,
  type IsoDate,
  type RegisterEntry,
  type Restriction,
  type RiskLevel,
  type Subject,
  type SubjectKind,
} from "../../../../core/src/domain";
import { addDays, CalendarRangeError, InvalidDateError, isIsoDate } from "../../../../core/src/calendar/dates";
import { classifyQuery, nameMatchScore, normaliseEmail, normalisePhone } from "../../../../core/src/normalise";
import { describeProfile, registerName as registerNameOf, type ProfileSection } from "../../../../core/src/policy/describe";
import type { PolicyProfile } from "../../../../core/src/policy/schema";
import { canSeeSensitive, type TierGrant } from "../../../../core/src/rules/access";
import { explainDates } from "../../../../core/src/rules/dates";
import { checkRestriction } from "../../../../core/src/rules/restrictions";
import { buildEntryCard, formatDate, riskLabel, type EntryCardModel } from "../../../../core/src/present/entryCard";
import { DirectoryUnavailableError, type DirectoryPrincipal, type StaffDirectory, type UserAssertion } from "../../ports/directory";
import type { PortalStores, RecordedContact } from "../../ports/portal";
import type { Stores } from "../../ports/stores";
import type { Clock, IdGenerator, Logger } from "../../ports/system";
import { allows, isPermissionId } from "../permissions";
import { staffRef, type AccessGrantService } from "./grants";
import { RegisterIndex, type IndexedSubject } from "./registerIndex";
import { BUILT_IN_SOURCES, sortTimeline, type CaseWithVotes, type TimelineItem, type TimelineSource } from "./timeline";
import {
  auditActionWords,
  IMMEDIATE_ACTION_WORDS,
  OUTCOME_WORDS,
  RESTRICTION_WORDS,
  ROLE_WORDS,
  STATUS_WORDS,
  SURFACE_WORDS,
} from "./words";
import { CATEGORY_NAMES, CHANNEL_LABELS } from "../../../../core/src/present/outcomes";

export type PortalFailureKind = "not-found" | "invalid" | "forbidden" | "conflict" | "unavailable";

export type PortalResult<T> =
  | ({ ok: true } & T)
  | { ok: false; kind: PortalFailureKind; code: string; message: string; errors?: { field: string; code: string; message: string }[] };

function fail(kind: PortalFailureKind, code: string, message: string, errors?: { field: string; code: string; message: string }[]): { ok: false; kind: PortalFailureKind; code: string; message: string; errors?: { field: string; code: string; message: string }[] } {
  return { ok: false, kind, code, message, ...(errors ? { errors } : {}) };
}

/** What the portal needs of the policy in force (PolicyBinding in app.ts). */
export interface PortalPolicy {
  registerName: string;
  viewFor(caller: Caller, entry: { riskLevel: RiskLevel; isPremises: boolean }, grants?: TierGrant[]): EntryView;
  profile?: PolicyProfile;
}

/** A block of work for the "Reviews and appeals" page, from a feature that keeps its own records (issue 7:
 * reviews, appeals, letters). Rows are shaped like register rows so the page shows them the same way. */
export interface WorkSection {
  id: string;
  heading: string;
  /** Shown when there are no rows. */
  emptyText: string;
  rows: (RegisterRow & { note?: string; dueOn?: IsoDate; dueText?: string })[];
}

export interface PortalDeps {
  stores: Stores;
  portalStores: PortalStores;
  policy: PortalPolicy;
  grants: AccessGrantService;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Tells every instance's lookup index that a subject changed (LookupService.subjectChanged). */
  subjectChanged(subjectId: string): Promise<void>;
  directory?: StaffDirectory;
  /** More timeline sources (reviews, appeals, letters, warnings) from features that keep those records. */
  timelineSources?: TimelineSource[];
  /** More sections for the reviews and appeals page. */
  workSections?(caller: Caller, visible: RegisterRow[]): Promise<WorkSection[]>;
  /** Diverts, where the divert feature is wired: shown on the timeline. */
  diverts?: { get(entryId: string): Promise<{ status: "active" | "lifted"; appliedAt: string; liftedAt?: string; spocMailbox: string; targetCount: number } | undefined> };
  /** For tests: how the register index tells time for freshness. */
  indexOptions?: { monotonicMs?: () => number; syncEveryMs?: number; reloadEveryMs?: number };
}

export const ROW_STATUSES = ["active", "pending-ratification", "under-review", "removed", "not-listed"] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];
export const REVIEW_FILTERS = ["overdue", "within-30-days", "within-90-days"] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

export interface RegisterQuery {
  text?: string;
  risk?: RiskLevel[];
  serviceArea?: string;
  status?: RowStatus[];
  reviewDue?: ReviewFilter;
  kind?: "people" | "premises";
  limit?: number;
}

export interface RegisterRow {
  subjectId: string;
  entryId?: string;
  reference?: string;
  name: string;
  kind: SubjectKind;
  riskLevel?: RiskLevel;
  riskLabel?: string;
  status: RowStatus;
  statusText: string;
  serviceAreas: string[];
  nextReviewOn?: IsoDate;
  nextReviewText?: string;
  reviewState: "overdue" | "due-soon" | "later" | "none";
  appealInProgress: boolean;
  incidentCount: number;
  lastIncidentAt?: string;
  matchedOn?: "reference" | "email" | "phone" | "name" | "address";
}

export interface EntryPanel {
  id: string;
  reference: string;
  status: EntryStatus;
  statusText: string;
  riskLevel: RiskLevel;
  view: "full" | "summary";
  card: EntryCardModel;
  /** Full view only. */
  restrictions?: Restriction[];
  startsOn?: IsoDate;
  expiresOn?: IsoDate;
  recordOwner?: string;
  caseId?: string;
  /** Needed to change the entry (restrictions). Full view only. */
  etag?: string;
}

export interface SubjectPage {
  subject: {
    id: string;
    kind: SubjectKind;
    displayName: string;
    aliases?: string[];
    emails?: string[];
    phones?: string[];
    addresses?: string[];
    socialHandles?: string[];
    dateOfBirth?: IsoDate;
    noFixedAddress?: boolean;
    /** Special-category data: only for the roles the policy names (Dorset 4.10). */
    sensitiveNotes?: string;
  };
  view: "full" | "summary";
  listed: boolean;
  entries: EntryPanel[];
  timeline: TimelineItem[];
  /** Full view only: the subject's incidents and cases, for "refer to the panel" and links. */
  incidents: { id: string; reference: string; occurredAt: string; category: string; categoryText: string; serviceArea: string; caseId?: string; evidenceCount: number }[];
  cases: { id: string; reference: string; status: CaseStatus; referredAt: string; recommendedOutcome: string; outcomeText?: string }[];
  can: { editRestrictions: boolean; recordContact: boolean; refer: boolean; emergency: boolean; auditTrail: boolean };
  /** For the restriction editor, when the caller may edit: what the policy offers. */
  restrictionCatalogue?: { kind: string; label: string; params: Record<string, unknown>; permanentAllowed: boolean; lastResort: boolean }[];
  mayApplyToOneServiceArea?: boolean | null;
}

export interface RestrictionInput {
  id?: string;
  kind: Restriction["kind"];
  params: Restriction["params"];
  serviceAreas: string[];
  startsOn: IsoDate;
  endsOn?: IsoDate;
  staffInstruction: string;
}

const RISK_ORDER: Record<RiskLevel, number> = { high: 3, medium: 2, low: 1 };
const VISIBLE: ReadonlySet<EntryView> = new Set<EntryView>(["full", "summary"]);
const OPEN_CASE_STATUSES: CaseStatus[] = ["draft", "referred", "voting", "pending-ratification"];
const REFERENCE = /^[A-Za-z]{2,8}-\d{1,9}$/;
const MAX_ROWS = 300;

function permitted(id: string, caller: Caller): boolean {
  return isPermissionId(id) && allows(id, caller);
}

function addressText(a: Subject["addresses"][number]): string {
  return [...a.lines, a.town, a.postcode].filter((x): x is string => !!x && x.trim().length > 0).join(", ");
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[\s,]+/g, " ").trim();
}

function sameContent(a: Restriction, b: RestrictionInput): boolean {
  return a.kind === b.kind && JSON.stringify(a.params) === JSON.stringify(b.params) && JSON.stringify([...a.serviceAreas].sort()) === JSON.stringify([...b.serviceAreas].sort())
    && a.startsOn === b.startsOn && (a.endsOn ?? null) === (b.endsOn ?? null) && a.staffInstruction === b.staffInstruction.trim();
}

export class PortalService {
  readonly index: RegisterIndex;
  private readonly sources: TimelineSource[];

  constructor(private readonly deps: PortalDeps) {
    this.index = new RegisterIndex({ stores: deps.stores, ...deps.indexOptions });
    this.sources = [...BUILT_IN_SOURCES, ...(deps.timelineSources ?? [])];
  }

  private today(): IsoDate {
    return this.deps.clock.now().toISOString().slice(0, 10);
  }

  private viewOf(caller: Caller, grants: TierGrant[], entry: RegisterEntry, subject: Subject): EntryView {
    return this.deps.policy.viewFor(caller, { riskLevel: entry.riskLevel, isPremises: subject.kind === "premises" }, grants);
  }

  /** Call after a write to a subject or entry: refreshes this instance's register index and tells the others. */
  async changed(subjectId: string): Promise<void> {
    await this.deps.subjectChanged(subjectId);
    await this.index.refresh(subjectId);
  }

  // -------------------------------------------------------------------------------------------------------
  // Register search
  // -------------------------------------------------------------------------------------------------------

  async search(caller: Caller, query: RegisterQuery): Promise<{ rows: RegisterRow[]; total: number; truncated: boolean; serviceAreas: string[]; today: IsoDate }> {
    const result = await this.rowsFor(caller, query);
    await this.auditSearch(caller, query, result.rows);
    return result;
  }

  /** The rows a caller may see for a query, without recording anything (callers audit what they show). */
  private async rowsFor(caller: Caller, query: RegisterQuery): Promise<{ rows: RegisterRow[]; total: number; truncated: boolean; serviceAreas: string[]; today: IsoDate }> {
    const all = await this.index.all();
    const today = this.today();
    const grants = this.deps.grants.grantsFor(caller);
    const seeUnlisted = permitted("register.unlisted", caller);
    const statuses = new Set<RowStatus>(query.status && query.status.length > 0 ? query.status : ["active", "pending-ratification", "under-review"]);
    const risks = query.risk && query.risk.length > 0 ? new Set(query.risk) : undefined;
    const area = query.serviceArea?.trim().toLowerCase();
    const matcher = query.text?.trim() ? this.matcher(query.text.trim()) : undefined;
    const soon = addDays(today, 30);
    const reviewLimit = query.reviewDue === "within-90-days" ? addDays(today, 90) : query.reviewDue === "within-30-days" ? soon : query.reviewDue === "overdue" ? addDays(today, -1) : undefined;

    const rows: RegisterRow[] = [];
    const areas = new Set<string>();
    for (const item of all) {
      const { subject } = item;
      if (query.kind === "premises" && subject.kind !== "premises") continue;
      if (query.kind === "people" && subject.kind === "premises") continue;
      if (item.entries.length === 0) {
        // Reported but not (yet) on the register: only for the people who handle referrals.
        if (!seeUnlisted || !statuses.has("not-listed") || item.incidentCount === 0 || risks || reviewLimit) continue;
        const row = this.unlistedRow(item);
        if (area && !row.serviceAreas.some((a) => a.toLowerCase() === area)) continue;
        const matchedOn = matcher ? matcher(item, undefined) : undefined;
        if (matcher && !matchedOn) continue;
        row.serviceAreas.forEach((a) => areas.add(a));
        rows.push(matchedOn ? { ...row, matchedOn } : row);
        continue;
      }
      for (const entry of item.entries) {
        if (!statuses.has(entry.status)) continue;
        const view = this.viewOf(caller, grants, entry, subject);
        if (!VISIBLE.has(view)) continue;
        if (entry.status === "removed" && view !== "full") continue;
        if (risks && !risks.has(entry.riskLevel)) continue;
        if (reviewLimit && (!entry.nextReviewOn || entry.nextReviewOn > reviewLimit || entry.status === "removed")) continue;
        const row = this.entryRow(item, entry, today, soon);
        if (area && !row.serviceAreas.some((a) => a.toLowerCase() === area)) continue;
        const matchedOn = matcher ? matcher(item, entry) : undefined;
        if (matcher && !matchedOn) continue;
        row.serviceAreas.forEach((a) => areas.add(a));
        rows.push(matchedOn ? { ...row, matchedOn } : row);
      }
    }
    rows.sort((a, b) => (RISK_ORDER[b.riskLevel ?? "low"] - RISK_ORDER[a.riskLevel ?? "low"]) || a.name.localeCompare(b.name, "en-GB") || (a.reference ?? "").localeCompare(b.reference ?? ""));
    const limit = Math.min(query.limit ?? MAX_ROWS, MAX_ROWS);
    const shown = rows.slice(0, limit);
    return { rows: shown, total: rows.length, truncated: rows.length > shown.length, serviceAreas: [...areas].sort(), today };
  }

  private entryRow(item: IndexedSubject, entry: RegisterEntry, today: IsoDate, soon: IsoDate): RegisterRow {
    const areas = new Set<string>(item.incidentServiceAreas);
    if (entry.spoc?.serviceArea) areas.add(entry.spoc.serviceArea);
    for (const r of entry.restrictions) r.serviceAreas.forEach((a) => areas.add(a));
    const review = entry.status === "removed" || !entry.nextReviewOn ? "none" : entry.nextReviewOn < today ? "overdue" : entry.nextReviewOn <= soon ? "due-soon" : "later";
    return {
      subjectId: item.subject.id,
      entryId: entry.id,
      reference: entry.reference,
      name: item.subject.displayName,
      kind: item.subject.kind,
      riskLevel: entry.riskLevel,
      riskLabel: riskLabel(entry.riskLevel),
      status: entry.status,
      statusText: STATUS_WORDS[entry.status],
      serviceAreas: [...areas].sort(),
      ...(entry.nextReviewOn && entry.status !== "removed" ? { nextReviewOn: entry.nextReviewOn, nextReviewText: formatDate(entry.nextReviewOn) } : {}),
      reviewState: review,
      appealInProgress: entry.appealInProgress,
      incidentCount: item.incidentCount,
      ...(item.lastIncidentAt ? { lastIncidentAt: item.lastIncidentAt } : {}),
    };
  }

  private unlistedRow(item: IndexedSubject): RegisterRow {
    return {
      subjectId: item.subject.id,
      name: item.subject.displayName,
      kind: item.subject.kind,
      status: "not-listed",
      statusText: STATUS_WORDS["not-listed"],
      serviceAreas: [...item.incidentServiceAreas],
      reviewState: "none",
      appealInProgress: false,
      incidentCount: item.incidentCount,
      ...(item.lastIncidentAt ? { lastIncidentAt: item.lastIncidentAt } : {}),
    };
  }

  /** How the search text matches: a reference, an email, a phone number, a name (or alias, typos allowed) or
   * part of an address (premises, postcodes). */
  private matcher(text: string): (item: IndexedSubject, entry: RegisterEntry | undefined) => RegisterRow["matchedOn"] {
    const isReference = REFERENCE.test(text);
    const query = classifyQuery(text);
    const squashed = squash(text);
    return (item, entry) => {
      if (isReference) return entry && entry.reference.toLowerCase() === text.toLowerCase() ? "reference" : undefined;
      const s = item.subject;
      if (query?.kind === "email") return s.emails.some((e) => normaliseEmail(e) === query.value) ? "email" : undefined;
      if (query?.kind === "phone") return s.phones.some((p) => normalisePhone(p) === query.value) ? "phone" : undefined;
      if (query?.kind === "name" && [s.displayName, ...s.aliases].some((n) => nameMatchScore(query.value, n) >= 0.6)) return "name";
      if (squashed.length >= 3 && (s.addresses.some((a) => squash(addressText(a)).includes(squashed)) || (s.kind === "premises" && squash(s.displayName).includes(squashed)))) return "address";
      return undefined;
    };
  }

  /** "Who saw what": a search for someone audits each subject it showed (like a lookup); browsing the register
   * by its filters audits one event with the filters and the count, not hundreds of views. */
  private async auditSearch(caller: Caller, query: RegisterQuery, rows: RegisterRow[]): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    const filters = [
      ...(query.risk?.length ? [`risk:${query.risk.join("+")}`] : []),
      ...(query.status?.length ? [`status:${query.status.join("+")}`] : []),
      ...(query.reviewDue ? [`review:${query.reviewDue}`] : []),
      ...(query.kind ? [`kind:${query.kind}`] : []),
      ...(query.serviceArea ? ["service-area"] : []),
    ];
    if (query.text?.trim()) {
      await Promise.all(
        rows.map((r) =>
          this.deps.stores.audit.append({
            id: this.deps.ids.next(),
            at,
            actorId: caller.id,
            action: "lookup",
            surface: "tab",
            subjectId: r.subjectId,
            ...(r.entryId ? { entryId: r.entryId } : {}),
            what: ["register-search", ...(r.reference ? [r.reference] : []), `match:${r.matchedOn ?? "filter"}`],
          }),
        ),
      );
      return;
    }
    await this.deps.stores.audit.append({ id: this.deps.ids.next(), at, actorId: caller.id, action: "view", surface: "tab", what: ["register-list", `rows:${rows.length}`, ...filters] });
  }

  // -------------------------------------------------------------------------------------------------------
  // The subject page
  // -------------------------------------------------------------------------------------------------------

  async subjectPage(caller: Caller, subjectId: string): Promise<PortalResult<{ page: SubjectPage }>> {
    const notFound = fail("not-found", "SUBJECT_NOT_FOUND", "We could not find that person or place, or you do not have access to it. Check the link, or search the register again.");
    const subject = await this.deps.stores.subjects.get(subjectId);
    if (!subject) return notFound;
    const today = this.today();
    const grants = this.deps.grants.grantsFor(caller);
    const allEntries = await this.deps.stores.register.listBySubject(subjectId);
    const seen = allEntries
      .map((entry) => ({ entry, view: this.viewOf(caller, grants, entry, subject) }))
      .filter(({ entry, view }) => VISIBLE.has(view) && (entry.status !== "removed" || view === "full"))
      .sort((a, b) => Number(a.entry.status === "removed") - Number(b.entry.status === "removed") || RISK_ORDER[b.entry.riskLevel] - RISK_ORDER[a.entry.riskLevel]);

    let view: "full" | "summary";
    const listed = allEntries.length > 0;
    if (!listed) {
      if (!permitted("register.unlisted", caller)) return notFound;
      view = "full";
    } else {
      if (seen.length === 0) return notFound;
      view = seen.some((s) => s.view === "full") ? "full" : "summary";
    }

    const full = view === "full";
    const profile = this.deps.policy.profile;
    const entries: EntryPanel[] = seen.map(({ entry, view: v }) => {
      const entryView = v as "full" | "summary";
      const card = buildEntryCard({ registerName: this.deps.policy.registerName, subject, entry, view: entryView, today });
      const base: EntryPanel = { id: entry.id, reference: entry.reference, status: entry.status, statusText: STATUS_WORDS[entry.status], riskLevel: entry.riskLevel, view: entryView, card };
      if (entryView !== "full") return base;
      return {
        ...base,
        restrictions: entry.restrictions,
        startsOn: entry.startsOn,
        ...(entry.expiresOn ? { expiresOn: entry.expiresOn } : {}),
        recordOwner: entry.recordOwner.displayName,
        ...(entry.caseId ? { caseId: entry.caseId } : {}),
        ...(entry.etag ? { etag: entry.etag } : {}),
      };
    });

    let incidents: Incident[] = [];
    let cases: CaseWithVotes[] = [];
    let contacts: RecordedContact[] = [];
    let timeline: TimelineItem[] = [];
    if (full) {
      const fullEntries = seen.filter((s) => s.view === "full").map((s) => s.entry);
      incidents = await this.deps.stores.incidents.listBySubject(subjectId);
      cases = await this.casesOf(subjectId, incidents, allEntries);
      contacts = (await Promise.all(fullEntries.map((e) => this.deps.portalStores.contacts.listByEntry(e.id)))).flat();
      timeline = await this.timeline({ caller, subject, registerName: this.deps.policy.registerName, entries: fullEntries, incidents, cases, contacts, today });
      timeline.push(...(await this.divertItems(fullEntries)));
      timeline = sortTimeline(timeline);
    }

    const canEdit = full && permitted("restrictions.edit", caller) && seen.some((s) => s.view === "full" && s.entry.status !== "removed");
    const page: SubjectPage = {
      subject: {
        id: subject.id,
        kind: subject.kind,
        displayName: subject.displayName,
        ...(full
          ? {
              aliases: subject.aliases,
              emails: subject.emails,
              phones: subject.phones,
              addresses: subject.addresses.map(addressText),
              socialHandles: subject.socialHandles,
              ...(subject.dateOfBirth ? { dateOfBirth: subject.dateOfBirth } : {}),
              ...(subject.noFixedAddress ? { noFixedAddress: true } : {}),
              ...(subject.sensitiveNotes && profile && canSeeSensitive(profile, caller.roles) ? { sensitiveNotes: subject.sensitiveNotes } : {}),
            }
          : {}),
      },
      view,
      listed,
      entries,
      timeline,
      incidents: incidents.map((i) => ({ id: i.id, reference: i.reference, occurredAt: i.occurredAt, category: i.category, categoryText: CATEGORY_NAMES[i.category], serviceArea: i.serviceArea, ...(i.caseId ? { caseId: i.caseId } : {}), evidenceCount: i.evidence.length })),
      cases: cases.map(({ case: c }) => ({ id: c.id, reference: c.reference, status: c.status, referredAt: c.referredAt, recommendedOutcome: c.recommendedOutcome, ...(c.decision ? { outcomeText: OUTCOME_WORDS[c.decision.outcome] } : {}) })),
      can: {
        editRestrictions: canEdit,
        recordContact: permitted("contacts.record", caller) && seen.some((s) => s.entry.status !== "removed"),
        refer: full && permitted("cases.refer", caller),
        emergency: full && permitted("cases.emergency", caller),
        auditTrail: permitted("audit.subject", caller),
      },
      ...(canEdit && profile
        ? {
            restrictionCatalogue: profile.restrictions.catalogue.map((o) => ({ kind: o.kind, label: o.label, params: o.params, permanentAllowed: o.permanentAllowed, lastResort: o.lastResort })),
            mayApplyToOneServiceArea: profile.restrictions.mayApplyToOneServiceArea,
          }
        : {}),
    };
    await this.deps.stores.audit.append({
      id: this.deps.ids.next(),
      at: this.deps.clock.now().toISOString(),
      actorId: caller.id,
      action: "view",
      surface: "tab",
      subjectId,
      what: ["subject-page", `view:${view}`, ...entries.map((e) => e.reference), ...(page.subject.sensitiveNotes ? ["sensitiveNotes"] : [])],
    });
    return { ok: true, page };
  }

  private async casesOf(subjectId: string, incidents: Incident[], entries: RegisterEntry[]): Promise<CaseWithVotes[]> {
    const ids = new Set<string>([...incidents.flatMap((i) => (i.caseId ? [i.caseId] : [])), ...entries.flatMap((e) => (e.caseId ? [e.caseId] : []))]);
    const found = new Map<string, Case>();
    const open = await Promise.all(OPEN_CASE_STATUSES.map((s) => this.deps.stores.cases.listByStatus(s)));
    for (const c of open.flat()) if (c.subjectId === subjectId) found.set(c.id, c);
    await Promise.all([...ids].filter((id) => !found.has(id)).map(async (id) => {
      const c = await this.deps.stores.cases.get(id);
      if (c && c.subjectId === subjectId) found.set(c.id, c);
    }));
    // A ratification case points back at the emergency case through its own record; both are the subject's.
    return Promise.all([...found.values()].sort((a, b) => (a.referredAt < b.referredAt ? -1 : 1)).map(async (c) => ({ case: c, votes: await this.deps.stores.cases.listVotes(c.id) })));
  }

  private async timeline(ctx: Parameters<TimelineSource["items"]>[0]): Promise<TimelineItem[]> {
    const lists = await Promise.all(
      this.sources.map(async (source) => {
        try {
          return await source.items(ctx);
        } catch (error) {
          // One broken source must not hide the rest of the history; it is logged and the page says less.
          this.deps.logger.warn("portal.timeline_source_failed", { source: source.name, error: error instanceof Error ? error.name : "UnknownError" });
          return [];
        }
      }),
    );
    return lists.flat();
  }

  private async divertItems(entries: RegisterEntry[]): Promise<TimelineItem[]> {
    if (!this.deps.diverts) return [];
    const items: TimelineItem[] = [];
    for (const e of entries) {
      const d = await this.deps.diverts.get(e.id);
      if (!d) continue;
      items.push({ id: `divert:${e.id}:applied`, at: d.appliedAt, kind: "divert", title: `Email divert to the SPOC mailbox applied to ${d.targetCount} mailbox${d.targetCount === 1 ? "" : "es"} (${e.reference})`, reference: e.reference, entryId: e.id });
      if (d.status === "lifted" && d.liftedAt) items.push({ id: `divert:${e.id}:lifted`, at: d.liftedAt, kind: "divert", title: `Email divert lifted (${e.reference})`, reference: e.reference, entryId: e.id });
    }
    return items;
  }

  // -------------------------------------------------------------------------------------------------------
  // Restrictions and recorded contact
  // -------------------------------------------------------------------------------------------------------

  private async entryFor(caller: Caller, entryId: string, need: "full" | "summary"): Promise<PortalResult<{ entry: RegisterEntry; subject: Subject }>> {
    const notFound = fail("not-found", "ENTRY_NOT_FOUND", "We could not find that register entry, or you do not have access to it. Reload the page and try again.");
    const entry = await this.deps.stores.register.get(entryId);
    if (!entry) return notFound;
    const subject = await this.deps.stores.subjects.get(entry.subjectId);
    if (!subject) return notFound;
    const view = this.viewOf(caller, this.deps.grants.grantsFor(caller), entry, subject);
    if (!VISIBLE.has(view)) return notFound;
    if (need === "full" && view !== "full") return fail("forbidden", "ENTRY_VIEW_TOO_NARROW", "You can see this entry's summary but not change it. Ask the record owner or a register administrator.");
    if (entry.status === "removed") return fail("conflict", "ENTRY_REMOVED", "This entry has been removed from the register, so it cannot be changed. Reload the page to see it as it is now.");
    return { ok: true, entry, subject };
  }

  async editRestrictions(caller: Caller, entryId: string, input: { etag: string; restrictions: RestrictionInput[] }): Promise<PortalResult<{ entry: EntryPanel; added: number; changed: number; ended: number; removed: number }>> {
    const found = await this.entryFor(caller, entryId, "full");
    if (!found.ok) return found;
    const { entry, subject } = found;
    const profile = this.deps.policy.profile;
    if (!profile) return fail("unavailable", "POLICY_NOT_LOADED", "The council's policy is not loaded, so restrictions cannot be checked. Tell IT: the server needs a policy profile.");
    if (entry.etag && input.etag !== entry.etag) {
      return fail("conflict", "CONCURRENCY_CONFLICT", "Someone else changed this entry since you opened it. Reload the page to see their change, then make yours again.");
    }
    const today = this.today();
    const errors: { field: string; code: string; message: string }[] = [];
    const byId = new Map(entry.restrictions.map((r) => [r.id, r]));
    const seenIds = new Set<string>();
    const next: Restriction[] = [];
    let added = 0;
    let changed = 0;
    input.restrictions.forEach((r, i) => {
      const field = `restrictions.${i}`;
      const existing = r.id ? byId.get(r.id) : undefined;
      if (r.id && !existing) {
        errors.push({ field: `${field}.id`, code: "RESTRICTION_NOT_FOUND", message: "This restriction is no longer on the entry. Reload the page." });
        return;
      }
      if (r.id) {
        if (seenIds.has(r.id)) errors.push({ field: `${field}.id`, code: "RESTRICTION_DUPLICATE", message: "The same restriction is listed twice." });
        seenIds.add(r.id);
      }
      if (existing && sameContent(existing, r)) {
        next.push(existing);
        return;
      }
      // Diverts put rules in mailboxes: the divert feature applies and lifts them so none are left behind.
      if (r.kind === "email-divert" || existing?.kind === "email-divert") {
        errors.push({ field: `${field}.kind`, code: "RESTRICTION_DIVERT_MANAGED_ELSEWHERE", message: "Email diverts are applied and lifted by the divert feature, which also removes the inbox rules. Ask a register administrator to change the divert." });
        return;
      }
      const check = checkRestriction(profile, { kind: r.kind, params: r.params });
      if (!check.ok) errors.push({ field, code: check.code, message: check.message });
      if (!isIsoDate(r.startsOn)) errors.push({ field: `${field}.startsOn`, code: "DATE_INVALID", message: "Enter the start date as a real date, for example 2026-03-31." });
      if (r.endsOn !== undefined && !isIsoDate(r.endsOn)) errors.push({ field: `${field}.endsOn`, code: "DATE_INVALID", message: "Enter the end date as a real date, for example 2027-03-31." });
      if (isIsoDate(r.startsOn) && r.endsOn && isIsoDate(r.endsOn) && r.endsOn < r.startsOn) errors.push({ field: `${field}.endsOn`, code: "ENDS_BEFORE_START", message: "The end date is before the start date. Check both dates." });
      if (!existing && r.endsOn && isIsoDate(r.endsOn) && r.endsOn < today) errors.push({ field: `${field}.endsOn`, code: "ENDS_IN_PAST", message: "A new restriction cannot end in the past. Check the end date." });
      if (r.serviceAreas.length > 0 && profile.restrictions.mayApplyToOneServiceArea === false) {
        errors.push({ field: `${field}.serviceAreas`, code: "SERVICE_AREA_NOT_ALLOWED", message: "The council's policy applies restrictions to every service. Leave the service areas empty." });
      }
      if (!r.staffInstruction.trim()) errors.push({ field: `${field}.staffInstruction`, code: "INSTRUCTION_REQUIRED", message: "Say in one sentence what staff should do, for example \"Only reply from the SPOC mailbox\"." });
      const restriction: Restriction = {
        id: existing?.id ?? this.deps.ids.next(),
        kind: r.kind,
        params: r.params,
        serviceAreas: [...new Set(r.serviceAreas.map((a) => a.trim()).filter(Boolean))],
        startsOn: r.startsOn,
        ...(r.endsOn ? { endsOn: r.endsOn } : {}),
        staffInstruction: r.staffInstruction.trim(),
      };
      next.push(restriction);
      if (existing) changed += 1;
      else added += 1;
    });
    // Left out of the list: a restriction that has started is ended (its history stays on the timeline); one
    // that has not started yet is simply dropped.
    let ended = 0;
    let removed = 0;
    const yesterday = addDays(today, -1);
    for (const r of entry.restrictions) {
      if (seenIds.has(r.id)) continue;
      if (r.kind === "email-divert") {
        errors.push({ field: "restrictions", code: "RESTRICTION_DIVERT_MANAGED_ELSEWHERE", message: "Email diverts are applied and lifted by the divert feature, which also removes the inbox rules. Keep the divert in the list." });
        continue;
      }
      if (r.endsOn && r.endsOn < today) {
        next.push(r);
      } else if (r.startsOn <= yesterday) {
        next.push({ ...r, endsOn: yesterday });
        ended += 1;
      } else {
        removed += 1;
      }
    }
    if (errors.length > 0) {
      return fail("invalid", "RESTRICTIONS_INVALID", "We could not save the restrictions. Fix the ones listed and save again.", errors);
    }
    if (added + changed + ended + removed === 0) {
      const panel = this.panelOf(entry, subject);
      return { ok: true, entry: panel, added, changed, ended, removed };
    }
    const updated = await this.deps.stores.register.update({ ...entry, restrictions: next, updatedAt: this.deps.clock.now().toISOString() });
    await this.deps.stores.audit.append({
      id: this.deps.ids.next(),
      at: this.deps.clock.now().toISOString(),
      actorId: caller.id,
      action: "update",
      surface: "tab",
      subjectId: entry.subjectId,
      entryId: entry.id,
      what: [entry.reference, "restrictions", `added:${added}`, `changed:${changed}`, `ended:${ended}`, `removed:${removed}`],
    });
    await this.changed(entry.subjectId);
    return { ok: true, entry: this.panelOf(updated, subject), added, changed, ended, removed };
  }

  private panelOf(entry: RegisterEntry, subject: Subject): EntryPanel {
    const card = buildEntryCard({ registerName: this.deps.policy.registerName, subject, entry, view: "full", today: this.today() });
    return {
      id: entry.id, reference: entry.reference, status: entry.status, statusText: STATUS_WORDS[entry.status], riskLevel: entry.riskLevel, view: "full", card,
      restrictions: entry.restrictions, startsOn: entry.startsOn, ...(entry.expiresOn ? { expiresOn: entry.expiresOn } : {}), recordOwner: entry.recordOwner.displayName,
      ...(entry.caseId ? { caseId: entry.caseId } : {}), ...(entry.etag ? { etag: entry.etag } : {}),
    };
  }

  /** Positive or neutral contact (East Suffolk 4.7): an input to the entry's next review. */
  async recordContact(caller: Caller, entryId: string, input: { kind: "positive" | "neutral"; note: string; at?: string }): Promise<PortalResult<{ contact: RecordedContact }>> {
    const found = await this.entryFor(caller, entryId, "summary");
    if (!found.ok) return found;
    const now = this.deps.clock.now();
    const at = input.at ?? now.toISOString();
    const when = Date.parse(at);
    if (Number.isNaN(when)) return fail("invalid", "CONTACT_INVALID", "We could not save the contact. Fix the fields listed and save again.", [{ field: "at", code: "DATE_INVALID", message: "Enter when the contact happened as a real date and time." }]);
    if (when > now.getTime() + 5 * 60_000) return fail("invalid", "CONTACT_INVALID", "We could not save the contact. Fix the fields listed and save again.", [{ field: "at", code: "CONTACT_IN_FUTURE", message: "The contact cannot be in the future. Check the date and time." }]);
    if (!input.note.trim()) return fail("invalid", "CONTACT_INVALID", "We could not save the contact. Fix the fields listed and save again.", [{ field: "note", code: "NOTE_REQUIRED", message: "Say briefly what happened, for example \"Polite call about the repair\"." }]);
    const contact = await this.deps.portalStores.contacts.add({
      id: this.deps.ids.next(),
      entryId,
      subjectId: found.entry.subjectId,
      at: new Date(when).toISOString(),
      kind: input.kind,
      note: input.note.trim(),
      by: staffRef(caller),
      createdAt: now.toISOString(),
    });
    await this.deps.stores.audit.append({ id: this.deps.ids.next(), at: now.toISOString(), actorId: caller.id, action: "create", surface: "tab", subjectId: found.entry.subjectId, entryId, what: [found.entry.reference, "contact-note", contact.kind] });
    return { ok: true, contact };
  }

  // -------------------------------------------------------------------------------------------------------
  // Reviews due and overdue; appeals
  // -------------------------------------------------------------------------------------------------------

  async workList(caller: Caller): Promise<{ today: IsoDate; overdue: RegisterRow[]; dueSoon: RegisterRow[]; upcoming: RegisterRow[]; appeals: (RegisterRow & { note: string })[]; sections: WorkSection[] }> {
    const { rows, today } = await this.rowsFor(caller, { reviewDue: "within-90-days" });
    const appealRows = (await this.rowsFor(caller, {})).rows.filter((r) => r.appealInProgress);
    // One event for the page: it lists names, like browsing the register.
    await this.deps.stores.audit.append({ id: this.deps.ids.next(), at: this.deps.clock.now().toISOString(), actorId: caller.id, action: "view", surface: "tab", what: ["reviews-list", `rows:${rows.length + appealRows.length}`] });
    const byDate = (a: RegisterRow, b: RegisterRow) => (a.nextReviewOn ?? "").localeCompare(b.nextReviewOn ?? "");
    const soon = addDays(today, 30);
    const sections = this.deps.workSections ? await this.deps.workSections(caller, rows) : [];
    return {
      today,
      overdue: rows.filter((r) => r.reviewState === "overdue").sort(byDate),
      dueSoon: rows.filter((r) => r.reviewState === "due-soon").sort(byDate),
      upcoming: rows.filter((r) => r.nextReviewOn !== undefined && r.nextReviewOn > soon).sort(byDate),
      // The register knows an appeal is in progress; its dates come with the appeals feature (workSections).
      appeals: appealRows.map((r) => ({ ...r, note: "Appeal in progress. The entry stays in force until the appeal is decided." })),
      sections,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Audit trail of a subject
  // -------------------------------------------------------------------------------------------------------

  async auditTrail(caller: Caller, target: { subjectId?: string; reference?: string }, asUser: UserAssertion): Promise<PortalResult<{ subjectId: string; references: string[]; events: (AuditEvent & { actorName: string; actionText: string; surfaceText: string })[]; directoryAvailable: boolean }>> {
    const notFound = fail("not-found", "AUDIT_SUBJECT_NOT_FOUND", "We could not find a person or place with that reference. Check the reference (for example CAL-0042) and try again.");
    let subjectId = target.subjectId;
    const all = await this.index.all();
    if (!subjectId && target.reference) {
      const ref = target.reference.trim().toLowerCase();
      subjectId = all.find((s) => s.entries.some((e) => e.reference.toLowerCase() === ref))?.subject.id;
    }
    if (!subjectId) return notFound;
    const subject = all.find((s) => s.subject.id === subjectId) ?? (await this.deps.stores.subjects.get(subjectId).then((s) => (s ? { subject: s, entries: [] as RegisterEntry[] } : undefined)));
    if (!subject) return notFound;
    const events = await this.deps.stores.audit.listBySubject(subjectId, 500);
    const ids = [...new Set(events.map((e) => e.actorId))];
    let names = new Map<string, string>();
    let directoryAvailable = true;
    if (this.deps.directory && ids.length > 0) {
      try {
        names = await this.deps.directory.names(ids, asUser);
      } catch (error) {
        if (!(error instanceof DirectoryUnavailableError)) throw error;
        directoryAvailable = false;
        this.deps.logger.warn("portal.directory_unavailable", { reason: error.reason });
      }
    } else if (!this.deps.directory) {
      directoryAvailable = false;
    }
    if (ids.includes(caller.id)) names.set(caller.id, caller.displayName);
    await this.deps.stores.audit.append({ id: this.deps.ids.next(), at: this.deps.clock.now().toISOString(), actorId: caller.id, action: "view", surface: "tab", subjectId, what: ["audit-trail", `events:${events.length}`] });
    return {
      ok: true,
      subjectId,
      references: subject.entries.map((e) => e.reference),
      events: events.map((e) => ({
        ...e,
        actorName: names.get(e.actorId) ?? `Unknown member of staff (${e.actorId.slice(0, 8)})`,
        actionText: auditActionWords(e.action),
        surfaceText: (SURFACE_WORDS as Record<string, string>)[e.surface] ?? e.surface,
      })),
      directoryAvailable,
    };
  }

  /** People and groups to give access to (the grant form). */
  async directorySearch(text: string, asUser: UserAssertion): Promise<PortalResult<{ principals: DirectoryPrincipal[] }>> {
    if (!this.deps.directory) return fail("unavailable", "DIRECTORY_UNAVAILABLE", "The staff directory is not set up on this server. Enter the group or person's id instead.");
    try {
      return { ok: true, principals: await this.deps.directory.search(text, asUser) };
    } catch (error) {
      if (error instanceof DirectoryUnavailableError) return fail("unavailable", error.code, error.message);
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // The policy in force, and the form choices
  // -------------------------------------------------------------------------------------------------------

  settings(): PortalResult<{ presetId: string; council: string; policyTitle: string; registerName: string; sections: ProfileSection[] }> {
    const profile = this.deps.policy.profile;
    if (!profile) return fail("unavailable", "POLICY_NOT_LOADED", "The council's policy is not loaded on this server. Tell IT: the server needs a policy profile.");
    return { ok: true, presetId: profile.id, council: profile.council, policyTitle: profile.policy.title, registerName: registerNameOf(profile), sections: describeProfile(profile) };
  }

  /** `calm policy explain` in the page: every date the policy sets for one decision, with its sources. */
  explain(input: { decided: string; category?: Incident["category"]; notified?: string; appealReceived?: string }): PortalResult<{ dates: { id: string; label: string; date: IsoDate | null; text: string }[]; sources: string[] }> {
    const profile = this.deps.policy.profile;
    if (!profile) return fail("unavailable", "POLICY_NOT_LOADED", "The council's policy is not loaded on this server. Tell IT: the server needs a policy profile.");
    try {
      const r = explainDates(profile, input);
      const line = (id: string, label: string, date: IsoDate | null, none: string) => ({ id, label, date, text: date ? formatDate(date) : none });
      return {
        ok: true,
        dates: [
          line("expiresOn", "The entry ends", r.expiresOn, "No end date: the policy sets none for this kind of incident."),
          line("nextReviewOn", "First review due", r.nextReviewOn, "The policy sets no review date."),
          line("appealBy", "The customer may appeal until", r.appealBy, "The policy sets no appeal window."),
          line("appealDecisionBy", "An appeal received then must be decided by", r.appealDecisionBy, input.appealReceived ? "The policy sets no deadline for deciding an appeal." : "Enter the date an appeal was received to see its deadline."),
        ],
        sources: r.sources,
      };
    } catch (error) {
      if (error instanceof InvalidDateError) return fail("invalid", "DATE_INVALID", error.message, [{ field: "decided", code: "DATE_INVALID", message: error.message }]);
      if (error instanceof CalendarRangeError) return fail("invalid", "DATE_OUTSIDE_CALENDAR", error.message);
      throw error;
    }
  }

  /** Everything the tab needs to draw its pages for this caller: which pages, the words for every choice, and the
   * service areas seen so far. */
  async meta(caller: Caller): Promise<{
    registerName: string;
    presetId: string | null;
    me: { id: string; displayName: string; roles: string[]; roleText: string[]; serviceAreas: string[] };
    can: Record<string, boolean>;
    choices: {
      riskLevels: { id: RiskLevel; label: string }[];
      categories: { id: string; label: string }[];
      channels: { id: string; label: string }[];
      immediateActions: { id: string; label: string }[];
      outcomes: { id: string; label: string }[];
      statuses: { id: RowStatus; label: string }[];
      restrictionKinds: { id: string; label: string }[];
      serviceAreas: string[];
      premisesEnabled: boolean;
      /** Categories where one report may cover many contacts (East Suffolk 4.2); empty where the policy says none. */
      multiContactCategories: string[];
    };
  }> {
    const all = await this.index.all();
    const areas = new Set<string>(caller.serviceAreas);
    for (const s of all) {
      s.incidentServiceAreas.forEach((a) => areas.add(a));
      for (const e of s.entries) {
        if (e.spoc?.serviceArea) areas.add(e.spoc.serviceArea);
        e.restrictions.forEach((r) => r.serviceAreas.forEach((a) => areas.add(a)));
      }
    }
    const profile = this.deps.policy.profile;
    const can = Object.fromEntries(
      ["portal.meta", "register.browse", "register.unlisted", "subjects.read", "restrictions.edit", "contacts.record", "reviews.read", "grants.read", "grants.manage", "audit.subject", "policy.read", "audit.verify", "sar.export",
        "incidents.report", "incidents.read", "cases.read", "cases.refer", "cases.vote", "cases.close", "cases.emergency", "lookup.search",
        // The lifecycle's pages (issue 7).
        "reviews.decide", "reviews.start", "appeals.record", "appeals.decide", "letters.read", "letters.produce", "reports.read", "scheduler.read", "scheduler.run", "retention.read", "retention.purge"].map((p) => [p, permitted(p, caller)]),
    );
    return {
      registerName: this.deps.policy.registerName,
      presetId: profile?.id ?? null,
      me: { id: caller.id, displayName: caller.displayName, roles: caller.roles, roleText: caller.roles.map((r) => ROLE_WORDS[r]), serviceAreas: caller.serviceAreas },
      can,
      choices: {
        riskLevels: RISK_LEVELS.map((id) => ({ id, label: riskLabel(id) })),
        categories: INCIDENT_CATEGORIES.filter((c) => c !== "premises-risk" || !profile || profile.premises.enabled).map((id) => ({ id, label: CATEGORY_NAMES[id] })),
        channels: CONTACT_CHANNELS.map((id) => ({ id, label: CHANNEL_LABELS[id] })),
        immediateActions: IMMEDIATE_ACTIONS.map((id) => ({ id, label: IMMEDIATE_ACTION_WORDS[id] })),
        outcomes: Object.entries(OUTCOME_WORDS).map(([id, label]) => ({ id, label })),
        statuses: (["active", "pending-ratification", "under-review", "removed", "not-listed"] as const).map((id) => ({ id, label: STATUS_WORDS[id] })),
        restrictionKinds: Object.entries(RESTRICTION_WORDS).map(([id, label]) => ({ id, label })),
        serviceAreas: [...areas].filter((a) => a.trim()).sort((a, b) => a.localeCompare(b, "en-GB")),
        premisesEnabled: profile ? profile.premises.enabled : true,
        multiContactCategories: profile?.incidentReports?.multiContactCategories ?? [],
      },
    };
  }
}
