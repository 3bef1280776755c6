// The register (DOMAIN.md "Register entry"): one entry per subject, written from a decision of the decision body.
// There is one register and no copies (East Suffolk 3.1), so a second decision about a listed subject changes the
// entry it already has rather than adding another. Dates come from the policy through the core rules: expiry by
// incident category (East Suffolk 4.5.1, Dorset 4.13.1), the review cycle (Dorset 5.1), how a new incident moves the
// review (profile review.afterNewIncident), and retention after removal (East Suffolk 4.7).
//
// Every write is followed by `lookup.subjectChanged`, so the lookup index on this instance sees it at once and the
// other instances on their next poll of the change feed.
//
// Writes converge when retried: an entry made for a case has an id derived from the case, so a retry after a crash
// finds it instead of making a second one; an entry already carrying the case's decision is left as it is.
import type { Case, DecisionOutcome, DecisionRecord, Incident, IncidentCategory, IsoDate, RegisterEntry, RiskLevel, StaffRef, Surface } from "../../../core/src/domain";
import type { PolicyProfile } from "../../../core/src/policy/schema";
import { sourceOf } from "../../../core/src/policy/sources";
import { entryExpiry, nextReviewDate, purgeDate, reviewDateAfterIncident } from "../../../core/src/rules/dates";
import { earlierOf, laterOf } from "../../../core/src/calendar/dates";
import { AlreadyExistsError, ConcurrencyError } from "../ports/errors";
import type { Stores } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";

export interface RegisterDeps {
  stores: Pick<Stores, "register" | "incidents" | "references" | "audit">;
  profile: PolicyProfile;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** The lookup index (LookupService.subjectChanged): told after every write. */
  lookup: { subjectChanged(subjectId: string): Promise<void> };
}

const RISK_FOR_OUTCOME: Partial<Record<DecisionOutcome, RiskLevel>> = { "add-low": "low", "add-medium": "medium", "add-high": "high" };
const MAX_ATTEMPTS = 6;

/** The risk level an outcome puts on the register, or undefined for outcomes that add nobody (warning letter
 * only, SPOC only without a finding (Dorset 4.11), no action). */
export function riskForOutcome(outcome: DecisionOutcome): RiskLevel | undefined {
  return RISK_FOR_OUTCOME[outcome];
}

/** The id of the entry a case creates, so a retried write finds it. */
export function entryIdForCase(caseId: string): string {
  return `entry-${caseId}`;
}

export class RegisterService {
  constructor(private readonly deps: RegisterDeps) {}

  private today(): IsoDate {
    return this.deps.clock.now().toISOString().slice(0, 10);
  }

  /** Puts a decision on the register: creates the subject's entry, or changes the one they have. Returns the
   * entry, or undefined when the outcome adds nobody. `status` is `pending-ratification` for an emergency
   * addition by the chair (Dorset 4.13.2). */
  async applyDecision(input: { case: Case; decision: DecisionRecord; status: "active" | "pending-ratification"; actor: StaffRef; surface?: Surface }): Promise<RegisterEntry | undefined> {
    const { case: c, decision, status, actor } = input;
    const riskLevel = riskForOutcome(decision.outcome);
    if (!riskLevel) return undefined;
    const decidedOn = decision.decidedAt.slice(0, 10);
    const incidents = (await Promise.all(c.incidentIds.map((id) => this.deps.stores.incidents.get(id)))).filter((i): i is Incident => i !== undefined && i.subjectId === c.subjectId);
    const dates = this.datesFor(incidents.map((i) => i.category), decidedOn);
    const categories = [...new Set(incidents.map((i) => i.category))];
    const restrictions = decision.restrictions.map((r) => ({ ...r, startsOn: r.startsOn || decidedOn, ...(r.endsOn === undefined && dates.expiresOn ? { endsOn: dates.expiresOn } : {}) }));

    for (let attempt = 1; ; attempt++) {
      const current = (await this.deps.stores.register.listBySubject(c.subjectId)).filter((e) => e.status !== "removed");
      const already = current.find((e) => e.caseId === c.id);
      if (already) return already; // this decision is on the register already: a retry
      const existing = current[0];
      try {
        let entry: RegisterEntry;
        if (existing) {
          // One register, no copies (East Suffolk 3.1): the subject's entry takes the new decision.
          entry = await this.deps.stores.register.update({
            ...existing,
            caseId: c.id,
            riskLevel,
            categories: [...new Set([...existing.categories, ...categories])],
            restrictions: [...existing.restrictions.filter((r) => !restrictions.some((n) => n.kind === r.kind)), ...restrictions],
            guidance: (c.recommendedGuidance?.length ? c.recommendedGuidance : existing.guidance).slice(0, 3),
            ...(c.recommendedSpoc ? { spoc: c.recommendedSpoc } : {}),
            expiresOn: dates.indefinite ? undefined : dates.expiresOn && existing.expiresOn ? laterOf(dates.expiresOn, existing.expiresOn) : (dates.expiresOn ?? existing.expiresOn),
            nextReviewOn: dates.nextReviewOn ?? existing.nextReviewOn,
            status: existing.status === "active" && status === "pending-ratification" ? "pending-ratification" : status,
            updatedAt: decision.decidedAt,
          });
        } else {
          entry = await this.deps.stores.register.create({
            id: entryIdForCase(c.id),
            reference: await this.deps.stores.references.next("CAL"),
            subjectId: c.subjectId,
            caseId: c.id,
            riskLevel,
            categories,
            restrictions,
            guidance: (c.recommendedGuidance ?? []).slice(0, 3),
            ...(c.recommendedSpoc ? { spoc: c.recommendedSpoc } : {}),
            startsOn: decidedOn,
            ...(dates.expiresOn ? { expiresOn: dates.expiresOn } : {}),
            ...(dates.nextReviewOn ? { nextReviewOn: dates.nextReviewOn } : {}),
            // Dorset 5.2: the operations manager who brought the case owns the record.
            recordOwner: c.presentingManager,
            status,
            appealInProgress: false,
            createdAt: decision.decidedAt,
            updatedAt: decision.decidedAt,
          });
        }
        await this.audit(actor, input.surface ?? "api", existing ? "update" : "create", entry, [entry.reference, `status:${entry.status}`, `risk:${entry.riskLevel}`, c.reference]);
        await this.deps.lookup.subjectChanged(c.subjectId);
        return entry;
      } catch (error) {
        // A concurrent writer (another instance, or a retry of this one) got there first: read again.
        if (!(error instanceof ConcurrencyError || error instanceof AlreadyExistsError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The ratification of an emergency addition (Dorset 4.13.2) by the decision body: `add-high` confirms the
   * entry; `add-low` / `add-medium` keep it at that level; anything else removes it. */
  async ratify(input: { entryId: string; outcome: DecisionOutcome; decidedAt: string; ratificationCaseId: string; actor: StaffRef; surface?: Surface }): Promise<RegisterEntry | undefined> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.deps.stores.register.get(input.entryId);
      if (!entry) return undefined;
      if (entry.status !== "pending-ratification") return entry; // already ratified or removed: a retry
      const risk = riskForOutcome(input.outcome);
      const on = input.decidedAt.slice(0, 10);
      const purge = purgeDate(this.deps.profile, on);
      const next: RegisterEntry = risk
        ? { ...entry, status: "active", riskLevel: risk, caseId: input.ratificationCaseId, updatedAt: input.decidedAt }
        : { ...entry, status: "removed", removedOn: on, removalReason: "The decision body did not ratify the emergency addition.", ...(purge ? { purgeAfter: purge } : {}), updatedAt: input.decidedAt };
      try {
        const saved = await this.deps.stores.register.update(next);
        await this.audit(input.actor, input.surface ?? "api", "decision", saved, [saved.reference, risk ? "ratified" : "not-ratified", `status:${saved.status}`]);
        await this.deps.lookup.subjectChanged(saved.subjectId);
        return saved;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** A new incident about a listed subject moves the review of each of their current entries the way the policy
   * says (profile review.afterNewIncident, e.g. Dorset 8.1: brought forward). Returns the entries changed. */
  async incidentReported(subjectId: string, incidentOn: IsoDate): Promise<{ entryId: string; nextReviewOn?: IsoDate; source?: string }[]> {
    const changed: { entryId: string; nextReviewOn?: IsoDate; source?: string }[] = [];
    const current = (await this.deps.stores.register.listBySubject(subjectId)).filter((e) => e.status !== "removed");
    for (const first of current) {
      let entry: RegisterEntry | undefined = first;
      for (let attempt = 1; entry; attempt++) {
        const moved = reviewDateAfterIncident(this.deps.profile, { currentReviewOn: entry.nextReviewOn ?? null, incidentOn });
        if (!moved.changed || moved.nextReviewOn === null) break;
        try {
          await this.deps.stores.register.update({ ...entry, nextReviewOn: moved.nextReviewOn, updatedAt: this.deps.clock.now().toISOString() });
          changed.push({ entryId: entry.id, nextReviewOn: moved.nextReviewOn, ...(moved.source ? { source: moved.source } : {}) });
          break;
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
          entry = await this.deps.stores.register.get(first.id);
        }
      }
    }
    if (changed.length > 0) await this.deps.lookup.subjectChanged(subjectId);
    return changed;
  }

  /** Expiry and first review for an entry decided on `decidedOn` covering incidents of these categories. The
   * review falls no later than the expiry. */
  datesFor(categories: IncidentCategory[], decidedOn: IsoDate): { expiresOn?: IsoDate; nextReviewOn?: IsoDate; indefinite: boolean; sources: string[] } {
    const profile = this.deps.profile;
    const expiry = entryExpiry(profile, (categories.length > 0 ? categories : [undefined]).map((category) => ({ category: category as IncidentCategory, from: decidedOn })));
    const review = nextReviewDate(profile, decidedOn);
    const expiresOn = expiry.expiresOn ?? undefined;
    const nextReviewOn = review && expiresOn ? earlierOf(review, expiresOn) : (review ?? expiresOn);
    const sources = [sourceOf(profile, "expiry"), sourceOf(profile, "review.interval")].filter((s): s is string => s !== undefined);
    return { ...(expiresOn ? { expiresOn } : {}), ...(nextReviewOn ? { nextReviewOn } : {}), indefinite: expiry.indefinite, sources };
  }

  private async audit(actor: StaffRef, surface: Surface, action: "create" | "update" | "decision", entry: RegisterEntry, what: string[]): Promise<void> {
    await this.deps.stores.audit.append({
      id: this.deps.ids.next(),
      at: this.deps.clock.now().toISOString(),
      actorId: actor.id,
      action,
      surface,
      subjectId: entry.subjectId,
      entryId: entry.id,
      what,
    });
  }
}
