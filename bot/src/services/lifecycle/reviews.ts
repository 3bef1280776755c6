// Reviews (Dorset 5.1, East Suffolk 4.7, West Oxfordshire Monitoring and Review, West Lindsey 13): entries due
// are opened and posted to the decision body's channel; the review weighs new incidents, positive or neutral
// contact and the raising service's justification, and ends in remove / extend / vary, approved by the body the
// policy names. (A new incident resets or brings the review forward as the policy says: RegisterService
// .incidentReported, called by the incident service.) Expiry removes entries whose period has ended without
// repeat behaviour.
import type { Caller, Incident, IsoDate, RegisterEntry, ReviewOutcome, RiskLevel } from "../../../../core/src/domain";
import { formatDate } from "../../../../core/src/present/entryCard";
import { datesAfterReview, expiryOutcome, reviewApprover, suggestReviewOutcome, tellingForReview, type ReviewSuggestion } from "../../../../core/src/rules/lifecycle";
import { sourceOf } from "../../../../core/src/policy/sources";
import { AlreadyExistsError } from "../../ports/errors";
import type { ContactRecord, ReviewRecord, Variation } from "../../ports/lifecycle";
import { ok, refuse, SCHEDULER_ACTOR, staffRef, type Actor, type LifecycleContext, type Result } from "./context";
import { removeEntry, sinceLastDecision } from "./entries";
import type { RestrictionInput, RestrictionService } from "./restrictions";

export interface ReviewEvidenceView {
  review: ReviewRecord;
  entry: RegisterEntry;
  since: IsoDate;
  newIncidents: Pick<Incident, "id" | "reference" | "occurredAt" | "category" | "channel" | "serviceArea">[];
  contacts: ContactRecord[];
  suggestion: ReviewSuggestion;
  approverName: string;
  tellCustomer: { remove: string | null; extend: string | null };
  sources: string[];
}

export interface ReviewListItem {
  reviewId?: string;
  entryId: string;
  reference: string;
  riskLevel: RiskLevel;
  dueOn: IsoDate;
  state: "upcoming" | "due" | "overdue" | "decided";
  outcome?: ReviewOutcome;
  decidedAt?: string;
  postedToChannel: boolean;
}

export interface DecideReviewInput {
  outcome: ReviewOutcome;
  /** The date the approver (the policy's body) agreed it. */
  approvedOn: IsoDate;
  approvalReference?: string;
  reasons: string;
  variation?: { riskLevel?: RiskLevel; restrictions?: RestrictionInput[]; guidance?: string[] };
}

/** How far ahead the tab lists reviews as "upcoming". */
const UPCOMING_DAYS = 30;

export class ReviewService {
  constructor(private readonly ctx: LifecycleContext, private readonly restrictions: RestrictionService) {}

  private reviewId(entryId: string, dueOn: IsoDate): string {
    return `review:${entryId}:${dueOn}`;
  }

  /** Who approves review outcomes (the policy's body) and the review cycle, in words with their sources. */
  approverName(): { approver: string; interval: string | null; sources: string[] } {
    const p = this.ctx.profile;
    return {
      approver: reviewApprover(p),
      interval: p.review.interval === null ? null : `${p.review.interval.count} ${p.review.interval.unit.replace("working-days", "working days")}`,
      sources: [sourceOf(p, "review.approver"), sourceOf(p, "review.interval")].filter((x): x is string => x !== undefined),
    };
  }

  /** Entries whose review is due on or before `today`, with no review open for that date. */
  async due(today: IsoDate): Promise<RegisterEntry[]> {
    const entries = await this.ctx.deps.stores.register.listDueForReview(today);
    return entries.filter((e) => e.status === "active" || e.status === "under-review" || e.status === "pending-ratification");
  }

  /** Opens the review of an entry that is due and posts it to the decision body's channel. Safe to run twice:
   * the review's id is the entry and due date, so a second run finds it and only posts if the first post failed. */
  async open(actor: Actor, entryId: string): Promise<Result<ReviewRecord>> {
    const found = await this.ctx.entry(entryId);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.status === "removed") return refuse("ENTRY_REMOVED", "This entry has been removed, so it is not reviewed.", 409);
    const dueOn = entry.nextReviewOn ?? this.ctx.today();
    let review = await this.ctx.deps.lifecycle.reviews.get(this.reviewId(entry.id, dueOn));
    if (!review) {
      try {
        review = await this.ctx.deps.lifecycle.reviews.create({
          id: this.reviewId(entry.id, dueOn),
          entryId: entry.id,
          subjectId: entry.subjectId,
          reference: entry.reference,
          dueOn,
          status: "open",
          openedAt: this.ctx.nowIso(),
          startedAt: this.ctx.nowIso(),
          approverName: reviewApprover(this.ctx.profile),
          newIncidentIds: [],
          contactNotes: [],
        });
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        review = (await this.ctx.deps.lifecycle.reviews.get(this.reviewId(entry.id, dueOn)))!;
      }
      if (entry.status === "active") await this.ctx.changeEntry(entry.id, (e) => (e.status === "active" ? { ...e, status: "under-review" } : e));
      await this.ctx.audit(actor, "update", { subjectId: entry.subjectId, entryId: entry.id, what: ["review:opened", `due:${dueOn}`] });
    }
    if (review.status === "open" && review.postedToChannelAt === undefined) {
      // The channel sees the opaque reference and dates only (EXPERIENCE.md "Notifications").
      await this.ctx.deps.channel.post({
        kind: "review-due",
        reference: entry.reference,
        title: `${entry.reference} is due for review`,
        text: `${entry.reference} (${entry.riskLevel} risk) is due for review on ${formatDate(dueOn)}. ${review.approverName.charAt(0).toUpperCase()}${review.approverName.slice(1)} approves the outcome. Open CALM's Reviews page to review it.`,
      });
      review = await this.ctx.deps.lifecycle.reviews.update({ ...review, postedToChannelAt: this.ctx.nowIso() });
    }
    return ok(review);
  }

  /** Starts a review now, ahead of its date (a new incident or a request to remove). */
  async startNow(caller: Caller, entryId: string): Promise<Result<ReviewRecord>> {
    const today = this.ctx.today();
    const changed = await this.ctx.changeEntry(entryId, (e) => {
      if (e.status === "removed") return refuse("ENTRY_REMOVED", "This entry has been removed, so it is not reviewed.", 409);
      return e.nextReviewOn !== undefined && e.nextReviewOn <= today ? e : { ...e, nextReviewOn: today };
    });
    if (!changed.ok) return changed;
    return this.open(this.ctx.actor(caller), entryId);
  }

  async list(): Promise<ReviewListItem[]> {
    const today = this.ctx.today();
    const horizon = new Date(`${today}T12:00:00Z`);
    horizon.setUTCDate(horizon.getUTCDate() + UPCOMING_DAYS);
    const until = horizon.toISOString().slice(0, 10);
    const reviews = await this.ctx.deps.lifecycle.reviews.find();
    const items: ReviewListItem[] = [];
    const openEntries = new Set<string>();
    for (const r of reviews) {
      const entry = await this.ctx.deps.stores.register.get(r.entryId);
      if (r.status === "open") openEntries.add(r.entryId);
      if (r.status === "closed") continue;
      // Decided reviews stay on the list for 90 days; the entry's timeline keeps them after that.
      if (r.status === "decided" && r.decidedAt !== undefined && Date.parse(r.decidedAt) < this.ctx.now().getTime() - 90 * 86_400_000) continue;
      items.push({
        reviewId: r.id,
        entryId: r.entryId,
        reference: r.reference,
        riskLevel: entry?.riskLevel ?? "low",
        dueOn: r.dueOn,
        state: r.status === "decided" ? "decided" : r.dueOn < today ? "overdue" : "due",
        ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
        ...(r.decidedAt === undefined ? {} : { decidedAt: r.decidedAt }),
        postedToChannel: r.postedToChannelAt !== undefined,
      });
    }
    for (const e of await this.ctx.deps.stores.register.listDueForReview(until)) {
      if (openEntries.has(e.id) || e.status === "removed" || e.nextReviewOn === undefined) continue;
      items.push({ entryId: e.id, reference: e.reference, riskLevel: e.riskLevel, dueOn: e.nextReviewOn, state: e.nextReviewOn < today ? "overdue" : e.nextReviewOn === today ? "due" : "upcoming", postedToChannel: false });
    }
    const order = { overdue: 0, due: 1, upcoming: 2, decided: 3 } as const;
    return items.sort((a, b) => order[a.state] - order[b.state] || (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));
  }

  async evidence(reviewId: string): Promise<Result<ReviewEvidenceView>> {
    const review = await this.ctx.deps.lifecycle.reviews.get(reviewId);
    if (!review) return refuse("REVIEW_NOT_FOUND", "There is no review with that id. Reload the Reviews page and try again.", 404);
    const found = await this.ctx.entry(review.entryId);
    if (!found.ok) return found;
    const entry = found.value;
    const since = await sinceLastDecision(this.ctx, entry);
    const suggestion = suggestReviewOutcome(this.ctx.profile, {
      newIncidents: since.incidents.length,
      breaches: since.breaches.length,
      positiveContacts: since.positive.length,
      ongoingCircumstances: entry.categories.includes("ongoing-personal-circumstances"),
      ...(review.serviceJustification === undefined ? {} : { serviceJustification: review.serviceJustification }),
    });
    return ok({
      review,
      entry,
      since: since.since,
      newIncidents: since.incidents.map((i) => ({ id: i.id, reference: i.reference, occurredAt: i.occurredAt, category: i.category, channel: i.channel, serviceArea: i.serviceArea })),
      contacts: since.contacts,
      suggestion,
      approverName: review.approverName,
      tellCustomer: { remove: this.ctx.profile.review.tellCustomerOfRemoval, extend: this.ctx.profile.review.tellCustomerOfExtension },
      sources: [...new Set([...suggestion.sources, ...[sourceOf(this.ctx.profile, "review.approver"), sourceOf(this.ctx.profile, "review.interval")].filter((s): s is string => s !== undefined)])],
    });
  }

  /** The raising service's justification for keeping an entry made for ongoing circumstances (East Suffolk 4.7). */
  async justify(caller: Caller, reviewId: string, justification: string): Promise<Result<ReviewRecord>> {
    const review = await this.ctx.deps.lifecycle.reviews.get(reviewId);
    if (!review) return refuse("REVIEW_NOT_FOUND", "There is no review with that id. Reload the Reviews page and try again.", 404);
    if (review.status !== "open") return refuse("REVIEW_CLOSED", "This review has already been decided.", 409);
    if (justification.trim().length === 0) return refuse("JUSTIFICATION_REQUIRED", "Write the service's justification, then try again.");
    const saved = await this.ctx.deps.lifecycle.reviews.update({ ...review, serviceJustification: justification.trim() });
    await this.ctx.audit(this.ctx.actor(caller), "update", { subjectId: review.subjectId, entryId: review.entryId, what: ["review:justification"] });
    return ok(saved);
  }

  async decide(caller: Caller, reviewId: string, input: DecideReviewInput): Promise<Result<{ review: ReviewRecord; entry: RegisterEntry }>> {
    const evidence = await this.evidence(reviewId);
    if (!evidence.ok) return evidence;
    const { review, entry, suggestion } = evidence.value;
    if (review.status !== "open") return refuse("REVIEW_CLOSED", "This review has already been decided or closed.", 409);
    const today = this.ctx.today();
    if (input.approvedOn > today) return refuse("APPROVAL_DATE_IN_FUTURE", "The approval date is in the future. Check it and try again.");
    if (input.reasons.trim().length === 0) return refuse("REASONS_REQUIRED", "Record the reasons for the outcome, then try again.");
    if (input.outcome !== "remove" && suggestion.needsJustification && (review.serviceJustification ?? "").trim().length === 0) {
      const source = sourceOf(this.ctx.profile, "review.ongoingCircumstancesNeedJustification");
      return refuse("JUSTIFICATION_REQUIRED", `An entry kept for ongoing circumstances needs the raising service's justification${source ? ` (${source})` : ""}. Add it, then record the outcome.`);
    }
    const actor: Actor = this.ctx.actor(caller);
    let variation: Variation | undefined;
    let saved: RegisterEntry;
    const dates = datesAfterReview(this.ctx.profile, { outcome: input.outcome, reviewedOn: today, ...(entry.expiresOn === undefined ? {} : { expiresOn: entry.expiresOn }) });
    if (input.outcome === "remove") {
      const removed = await removeEntry(this.ctx, actor, entry.id, { reason: "review", note: `Removed at review, approved by ${review.approverName} on ${input.approvedOn}.` });
      if (!removed.ok) return removed;
      saved = removed.value;
    } else {
      if (input.outcome === "vary") {
        // Without a variation here, the restrictions were changed on the entry itself (the portal's editor).
        const v = input.variation ?? {};
        variation = {};
        if (v.riskLevel !== undefined) variation.riskLevel = v.riskLevel;
        if (v.guidance !== undefined) variation.guidance = v.guidance.slice(0, 3);
        if (v.restrictions !== undefined) {
          const built = this.restrictions.buildAll(v.restrictions, { startsOn: today, ...(dates.expiresOn === null ? {} : { endsOn: dates.expiresOn }) });
          if (!built.ok) return built;
          variation.restrictions = built.value;
        }
      }
      const changed = await this.ctx.changeEntry(entry.id, (e) => {
        const { nextReviewOn: _n, expiresOn: _x, ...rest } = e;
        return {
          ...rest,
          status: e.status === "under-review" ? "active" : e.status,
          ...(dates.nextReviewOn === null ? {} : { nextReviewOn: dates.nextReviewOn }),
          ...(dates.expiresOn === null ? {} : { expiresOn: dates.expiresOn }),
          // Restrictions that would lapse before the entry does run on with it.
          restrictions: (variation?.restrictions ?? e.restrictions).map((r) => (r.endsOn !== undefined && dates.expiresOn !== null && r.endsOn < dates.expiresOn && input.outcome === "extend" ? { ...r, endsOn: dates.expiresOn } : r)),
          ...(variation?.riskLevel === undefined ? {} : { riskLevel: variation.riskLevel }),
          ...(variation?.guidance === undefined ? {} : { guidance: variation.guidance }),
        };
      });
      if (!changed.ok) return changed;
      saved = changed.value;
    }
    const telling = tellingForReview(this.ctx.profile, input.outcome);
    const decided = await this.ctx.deps.lifecycle.reviews.update({
      ...review,
      status: "decided",
      outcome: input.outcome,
      approvedBy: { id: `body:${review.approverName}`, displayName: review.approverName },
      approvedOn: input.approvedOn,
      ...(input.approvalReference ? { approvalReference: input.approvalReference } : {}),
      recordedBy: staffRef(caller),
      decidedAt: this.ctx.nowIso(),
      reasons: input.reasons.trim(),
      suggestion: { outcome: suggestion.outcome, reasons: suggestion.reasons, sources: suggestion.sources },
      newIncidentIds: evidence.value.newIncidents.map((i) => i.id),
      contactNotes: evidence.value.contacts.map(({ at, kind, note, by, restrictionId }) => ({ at, kind, note, by, ...(restrictionId === undefined ? {} : { restrictionId }) })),
      ...(variation === undefined ? {} : { variation }),
      ...(dates.nextReviewOn === null ? {} : { nextReviewOn: dates.nextReviewOn }),
      ...(dates.expiresOn === null ? {} : { expiresOn: dates.expiresOn }),
      tellCustomer: telling.telling,
      customerTold: false,
    });
    await this.ctx.audit(actor, "decision", {
      subjectId: entry.subjectId,
      entryId: entry.id,
      what: ["review", `outcome:${input.outcome}`, `approvedBy:${review.approverName}`, `tell:${telling.telling ?? "not set"}`],
    });
    return ok({ review: decided, entry: saved });
  }

  /** Current entries whose expiry has passed. */
  async expired(today: IsoDate): Promise<RegisterEntry[]> {
    const out: RegisterEntry[] = [];
    for await (const entry of this.ctx.deps.stores.register.listCurrent()) {
      if (entry.expiresOn !== undefined && entry.expiresOn <= today && entry.status !== "removed") out.push(entry);
    }
    return out;
  }

  /** Expiry (Dorset 4.13.1, East Suffolk 4.5.1, West Lindsey 13.1): an entry whose period has ended is removed if
   * there has been no repeat behaviour; otherwise it is held and its review brought forward to today. */
  async expire(entryId: string): Promise<Result<"removed" | "held" | "not-due">> {
    const found = await this.ctx.entry(entryId);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.status === "removed") return ok("not-due");
    const today = this.ctx.today();
    const since = await sinceLastDecision(this.ctx, entry);
    const outcome = expiryOutcome({ ...(entry.expiresOn === undefined ? {} : { expiresOn: entry.expiresOn }), today, repeatBehaviour: since.incidents.length + since.breaches.length > 0 });
    if (outcome === "not-yet") return ok("not-due");
    const actor: Actor = { surface: "scheduler" };
    if (outcome === "remove") {
      const removed = await removeEntry(this.ctx, actor, entry.id, { reason: "expired", note: `The restriction period ended on ${entry.expiresOn!} with no repeat behaviour.` });
      return removed.ok ? ok("removed") : removed;
    }
    if (entry.nextReviewOn === undefined || entry.nextReviewOn > today) {
      await this.ctx.changeEntry(entry.id, (e) => ({ ...e, nextReviewOn: today }));
      await this.ctx.audit(actor, "update", { subjectId: entry.subjectId, entryId: entry.id, what: ["expiry:held", "nextReviewOn", `by:${SCHEDULER_ACTOR.id}`] });
    }
    return ok("held");
  }
}
