// Cases, votes and decisions (issue 3 item 3; DOMAIN.md "Case", "Vote and decision").
//
// A manager refers a case to the decision body; its members at that moment are the case's voters (only they
// vote: a role is not enough). Each member has one vote per case, which they may replace; the same click twice
// changes nothing. A member may declare a conflict of interest, and the chair rules whether they are excluded
// (Dorset 4.5). The tally is worked out fresh from the stored ballot by core `tallyVotes` every time: quorum
// (Dorset 4.4), majority (Dorset 4.9), ties back to the chair. The chair closes the vote and the decision record
// is written (with, where the policy asks, that health issues were considered and by whom: Dorset 4.10); an "add"
// outcome goes on the register with the policy's dates.
//
// Concurrency: a vote or conflict declaration is written only while the ballot is open (CaseStore.writeBallot: one
// transaction with the ballot's guard), so members voting at once never wait for each other, and a member's repeat
// replaces their own row (one vote per member, so nothing counts twice). The chair's close first freezes the ballot,
// then reads it and writes the decision with the case's ETag: every vote either landed before the freeze and is
// counted, or is refused after it — none is acknowledged and then lost. A close that cannot decide reopens it.
//
// The chair, or the named deputy when the chair is absent, may add someone at high risk at once (Dorset
// 4.13.2): the entry is in force as "pending ratification" and a ratification case goes to the next meeting.
import { createHash } from "node:crypto";
import {
  DECISION_OUTCOMES,
  RESTRICTION_KINDS,
  type Caller,
  type Case,
  type CaseStatus,
  type ConflictDeclaration,
  type DecisionOutcome,
  type DecisionRecord,
  type Restriction,
  type RestrictionKind,
  type SinglePointOfContact,
  type StaffRef,
  type Surface,
  type Vote,
} from "../../../core/src/domain";
import { isIsoDate } from "../../../core/src/calendar/dates";
import { nameTokens, normaliseEmail } from "../../../core/src/normalise";
import type { PolicyProfile } from "../../../core/src/policy/schema";
import { sourceOf } from "../../../core/src/policy/sources";
import { emergencyAddition } from "../../../core/src/rules/emergency";
import { checkRestriction } from "../../../core/src/rules/restrictions";
import { tallyVotes, type BallotResult, type Tally } from "../../../core/src/rules/voting";
import type { CaseNotifier } from "../ports/caseNotifier";
import { votingSeats, type DecisionBodySeat, type DecisionBodyStore } from "../ports/decisionBody";
import { AlreadyExistsError, ConcurrencyError } from "../ports/errors";
import type { Stores } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";
import type { Failure, Problem } from "./incidents";
import { riskForOutcome, type RegisterService } from "./register";

export const CASE_LIMITS = { summaryMin: 10, summaryMax: 300, incidents: 50, guidance: 3, guidanceLine: 200, restrictions: 20, reason: 1000, rationale: 5000, papersUrl: 2000 } as const;

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,100}$/;
/** Re-reads of a ballot that was frozen or closed under a write, and waits while the chair is closing. */
const BALLOT_ATTEMPTS = 25;

export type ConflictState = "declared" | "excluded" | "may-vote" | null;

/** The vote as the caller may see it (docs/api.md "ballot"). */
export interface BallotView {
  open: boolean;
  members: { id: string; displayName: string; chair: boolean; voted: boolean; conflict: ConflictState }[];
  votesCast: number;
  eligible: number;
  quorum: number | null;
  quorumMet: boolean;
  progressText: string;
  notVoted: { id: string; displayName: string }[];
  /** Counts per outcome; null for people outside the decision body while the vote is open. */
  tally: Record<DecisionOutcome, number> | null;
  /** What closing now would give (or the decision, once closed). */
  result: { ok: true; outcome: DecisionOutcome; votesFor: number } | { ok: false; code: string; message: string };
  /** Only ever the caller's own vote. */
  yourVote: DecisionOutcome | null;
  you: { member: boolean; chair: boolean; canVote: boolean; canClose: boolean; conflict: ConflictState };
  sources: string[];
}

export interface CaseView {
  case: Case;
  ballot: BallotView;
  conflicts: { memberId: string; displayName: string; reason: string; declaredAt: string; excluded?: boolean; ruledBy?: StaffRef }[];
}

export interface RestrictionDraft {
  kind?: string;
  params?: Record<string, string | number | boolean | string[]>;
  serviceAreas?: string[];
  startsOn?: string;
  endsOn?: string;
  staffInstruction?: string;
}

export interface ReferralDraft {
  subjectId?: string;
  incidentIds?: string[];
  recommendedOutcome?: string;
  summary?: string;
  papersUrl?: string;
  recommendedRestrictions?: RestrictionDraft[];
  recommendedGuidance?: string[];
  recommendedSpoc?: Partial<SinglePointOfContact>;
}

export interface EmergencyDraft {
  subjectId?: string;
  incidentIds?: string[];
  summary?: string;
  reason?: string;
  actingAs?: string;
  chairAbsent?: boolean;
  nextMeetingOn?: string;
  papersUrl?: string;
  restrictions?: RestrictionDraft[];
  guidance?: string[];
  spoc?: Partial<SinglePointOfContact>;
}

export interface CaseDeps {
  stores: Pick<Stores, "cases" | "subjects" | "incidents" | "references" | "audit" | "register">;
  decisionBody: DecisionBodyStore;
  profile: PolicyProfile;
  register: RegisterService;
  notifier: CaseNotifier;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Waits between ballot retries (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

type Ok<T> = { ok: true } & T;

function hashId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32)}`;
}

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

function fail(code: string, status: number, message: string, problems?: Problem[]): Failure {
  return problems ? { ok: false, code, status, message, problems } : { ok: false, code, status, message };
}

const notFound = () => fail("NOT_FOUND", 404, "We could not find that case. Check the reference, or ask the chair.");
const closed = (c: Case) => fail("VOTE_CLOSED", 409, `The vote on ${c.reference} has closed${c.decision ? ` (decided: ${c.decision.outcome})` : ""}. Nothing was changed.`);

/** Whoever looks at the shared card in the decision body's channel. */
const CHANNEL_VIEWER: Caller = { id: "\u0000channel", tenantId: "", displayName: "the channel", roles: [], serviceAreas: [] };

function staffRef(caller: Caller): StaffRef {
  return { id: caller.id, displayName: caller.displayName, ...(caller.email ? { email: caller.email } : {}) };
}

/** What a referred case says about itself, whether it goes to a vote or is added at once by the chair. */
function referral(
  base: { subjectId: string; incidentIds: string[]; summary: string; papersUrl?: string },
  outcome: DecisionOutcome,
  extras: { restrictions: Restriction[]; guidance: string[]; spoc?: SinglePointOfContact },
  caller: Caller,
): Pick<Case, "subjectId" | "incidentIds" | "recommendedOutcome" | "recommendedRestrictions" | "recommendedGuidance" | "recommendedSpoc" | "presentingManager" | "summary" | "papersUrl"> {
  return {
    subjectId: base.subjectId,
    incidentIds: base.incidentIds,
    recommendedOutcome: outcome,
    recommendedRestrictions: extras.restrictions,
    ...(extras.guidance.length > 0 ? { recommendedGuidance: extras.guidance } : {}),
    ...(extras.spoc ? { recommendedSpoc: extras.spoc } : {}),
    presentingManager: staffRef(caller),
    summary: base.summary,
    ...(base.papersUrl ? { papersUrl: base.papersUrl } : {}),
  };
}

export class CaseService {
  private readonly sleep: (ms: number) => Promise<void>;
  /** Notifications in flight, so tests (and a graceful stop) can wait for them. */
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: CaseDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get profile(): PolicyProfile {
    return this.deps.profile;
  }

  /** Waits for channel notifications started so far. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private notify(what: string, run: () => Promise<void>): void {
    const p = run()
      .catch((error: unknown) => this.deps.logger.warn("case.notify_failed", { what, error: error instanceof Error ? error.name : "unknown" }))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  // -------------------------------------------------------------------------------------------------------
  // Referral
  // -------------------------------------------------------------------------------------------------------

  /** Refers a case to the decision body and posts its vote card to the channel. */
  async refer(caller: Caller, draft: ReferralDraft, idempotencyKey: string, surface: Surface): Promise<Ok<{ view: CaseView; duplicate: boolean }> | Failure> {
    if (!KEY_PATTERN.test(idempotencyKey)) return fail("IDEMPOTENCY_KEY_INVALID", 400, "The request key is not valid. Reload the form and send it again.");
    const id = hashId("case", caller.id, idempotencyKey);
    const earlier = await this.deps.stores.cases.get(id);
    if (earlier) return { ok: true, view: await this.viewFor(caller, earlier), duplicate: true };

    const problems: Problem[] = [];
    const base = await this.checkCaseBasics(draft.subjectId, draft.incidentIds, draft.summary, draft.papersUrl, problems);
    const outcome = DECISION_OUTCOMES.find((o) => o === draft.recommendedOutcome);
    if (!outcome) problems.push({ field: "recommendedOutcome", code: "OUTCOME_INVALID", message: "Choose the action you recommend from the list." });
    const extras = this.checkRecommendations(draft.recommendedRestrictions, draft.recommendedGuidance, draft.recommendedSpoc, problems, "recommended");
    if (problems.length > 0 || !base || !outcome) return fail("CASE_INVALID", 400, `We could not refer the case. ${problems[0]?.message ?? ""}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`.trim(), problems);

    const seats = votingSeats(await this.deps.decisionBody.list());
    if (seats.length === 0) return fail("DECISION_BODY_NOT_SET_UP", 409, `Nobody is recorded as a member of ${this.deps.profile.decisionBody.name} yet. Ask a register administrator to set up its members.`);
    const now = this.deps.clock.now().toISOString();
    const c: Case = {
      id,
      reference: await this.deps.stores.references.next("CASE"),
      ...referral(base, outcome, extras, caller),
      status: "voting",
      referredAt: now,
      members: seats.map((s) => ({ id: s.userId, displayName: s.displayName, ...(s.email ? { email: s.email } : {}) })),
      ...(seats.find((s) => s.capacity === "chair") ? { chairId: seats.find((s) => s.capacity === "chair")!.userId } : {}),
    };
    let saved: Case;
    try {
      saved = await this.deps.stores.cases.create(c);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const first = await this.deps.stores.cases.get(id);
      if (!first) throw error;
      return { ok: true, view: await this.viewFor(caller, first), duplicate: true };
    }
    await this.audit(caller, surface, "create", saved, [saved.reference, `recommended:${saved.recommendedOutcome}`]);
    this.notify("caseOpened", () => this.deps.notifier.caseOpened(saved));
    return { ok: true, view: await this.viewFor(caller, saved), duplicate: false };
  }

  // -------------------------------------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------------------------------------

  /** Whether the caller may see this case at all: its members and chair, the current decision body, the manager
   * who presented it, and register administrators. */
  private async maySee(caller: Caller, c: Case): Promise<boolean> {
    if (c.members?.some((m) => m.id === caller.id) || c.presentingManager.id === caller.id) return true;
    if (caller.roles.includes("register-admin")) return true;
    return (await this.deps.decisionBody.get(caller.id)) !== undefined;
  }

  async get(caller: Caller, caseId: string): Promise<CaseView | undefined> {
    const c = await this.deps.stores.cases.get(caseId);
    if (!c || !(await this.maySee(caller, c))) return undefined;
    return this.viewFor(caller, c);
  }

  async list(caller: Caller, status: CaseStatus): Promise<CaseView[]> {
    const cases = await this.deps.stores.cases.listByStatus(status);
    const visible: CaseView[] = [];
    for (const c of cases.sort((a, b) => (a.referredAt < b.referredAt ? 1 : -1)).slice(0, 100)) {
      if (await this.maySee(caller, c)) visible.push(await this.viewFor(caller, c));
    }
    return visible;
  }

  /** The case and its ballot as this caller may see them, read fresh. */
  async viewFor(caller: Caller, c: Case): Promise<CaseView> {
    const b = await this.deps.stores.cases.getBallot(c.id);
    return b ? this.view(caller, b.case, b.votes, b.conflicts) : this.view(caller, c, [], []);
  }

  private tally(c: Case, votes: Vote[], conflicts: ConflictDeclaration[], closing: boolean): Tally {
    return tallyVotes(this.deps.profile, {
      members: (c.members ?? []).map((m) => m.id),
      ...(c.chairId ? { chairId: c.chairId } : {}),
      votes: votes.map((v) => ({ voterId: v.voter.id, choice: v.choice, castAt: v.castAt })),
      conflicts: conflicts.map((x) => ({ memberId: x.member.id, ...(x.excluded !== undefined ? { excluded: x.excluded } : {}) })),
      closing,
    });
  }

  /** The view everyone in the decision body's channel sees on the shared card: tally and progress, nobody's own
   * vote, no chair controls. Undefined if there is no such case. */
  async channelView(caseId: string): Promise<CaseView | undefined> {
    const b = await this.deps.stores.cases.getBallot(caseId);
    return b ? this.view(CHANNEL_VIEWER, b.case, b.votes, b.conflicts) : undefined;
  }

  private view(caller: Caller, c: Case, votes: Vote[], conflicts: ConflictDeclaration[]): CaseView {
    const open = c.status === "voting";
    const t = this.tally(c, votes, conflicts, true);
    const conflictOf = (id: string): ConflictState => {
      const x = conflicts.find((k) => k.member.id === id);
      return !x ? null : x.excluded === undefined ? "declared" : x.excluded ? "excluded" : "may-vote";
    };
    const members = (c.members ?? []).map((m) => ({
      id: m.id,
      displayName: m.displayName,
      chair: m.id === c.chairId,
      voted: votes.some((v) => v.voter.id === m.id) && t.eligible.includes(m.id),
      conflict: conflictOf(m.id),
    }));
    const isMember = members.some((m) => m.id === caller.id);
    const isChair = c.chairId === caller.id;
    const own = votes.find((v) => v.voter.id === caller.id);
    const mine = conflictOf(caller.id);
    const seesTally = !open || isMember || caller === CHANNEL_VIEWER || caller.roles.includes("register-admin");
    let result: BallotView["result"];
    if (c.decision) result = { ok: true, outcome: c.decision.outcome, votesFor: c.decision.votesFor };
    else result = summarise(t.result);
    return {
      case: c,
      ballot: {
        open,
        members,
        votesCast: c.decision && !open ? c.decision.votesCast : t.votesCast,
        eligible: t.eligible.length,
        quorum: t.quorum,
        quorumMet: t.quorumMet,
        progressText: progressText(t),
        notVoted: members.filter((m) => t.notVoted.includes(m.id)).map(({ id, displayName }) => ({ id, displayName })),
        tally: seesTally ? t.tally : null,
        result,
        yourVote: own?.choice ?? null,
        you: { member: isMember, chair: isChair, canVote: open && isMember && (mine === null || mine === "may-vote"), canClose: open && isChair, conflict: mine },
        sources: t.sources,
      },
      conflicts: conflicts
        .filter((x) => caller !== CHANNEL_VIEWER && (isChair || caller.roles.includes("register-admin") || x.member.id === caller.id))
        .map((x) => ({ memberId: x.member.id, displayName: x.member.displayName, reason: x.reason, declaredAt: x.declaredAt, ...(x.excluded !== undefined ? { excluded: x.excluded } : {}), ...(x.ruledBy ? { ruledBy: x.ruledBy } : {}) })),
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Voting
  // -------------------------------------------------------------------------------------------------------

  /** Casts or replaces the caller's vote. Idempotent by member and case: the same choice again changes nothing. */
  async vote(caller: Caller, caseId: string, choiceInput: unknown, surface: Surface): Promise<Ok<{ vote: Vote; changed: boolean; view: CaseView }> | Failure> {
    const choice = DECISION_OUTCOMES.find((o) => o === choiceInput);
    if (!choice) return fail("CHOICE_INVALID", 400, "That is not one of the choices. Pick one of the vote buttons.");
    for (let attempt = 1; ; attempt++) {
      const b = await this.deps.stores.cases.getBallot(caseId);
      if (!b) return notFound();
      const { case: c, votes, conflicts } = b;
      if (!c.members?.some((m) => m.id === caller.id)) {
        return (await this.maySee(caller, c)) ? fail("NOT_A_MEMBER", 403, `Only members of ${this.deps.profile.decisionBody.name} on this case can vote. Nothing was changed.`) : notFound();
      }
      if (c.status !== "voting") return closed(c);
      const conflict = conflicts.find((x) => x.member.id === caller.id);
      if (conflict && conflict.excluded === undefined) return fail("CONFLICT_DECLARED", 409, "You declared a conflict of interest on this case. Wait for the chair's ruling before you vote.");
      if (conflict?.excluded) return fail("MEMBER_EXCLUDED", 409, "The chair excluded you from this case because of a conflict of interest, so you cannot vote on it.");
      const previous = votes.find((v) => v.voter.id === caller.id);
      if (previous?.choice === choice) {
        // A second click, or Teams retrying the same invoke: nothing new happens.
        return { ok: true, vote: previous, changed: false, view: this.view(caller, c, votes, conflicts) };
      }
      if (!b.open) {
        // The chair is closing the vote this moment: wait for the decision (or for the ballot to reopen).
        if (attempt >= BALLOT_ATTEMPTS) return fail("VOTE_PAUSED", 409, "The chair is closing the vote right now, so your vote was not counted. Refresh the card in a moment.");
        await this.sleep(backoff(attempt));
        continue;
      }
      const vote: Vote = { caseId, voter: staffRef(caller), choice, castAt: this.deps.clock.now().toISOString() };
      try {
        await this.deps.stores.cases.writeBallot(caseId, { vote, at: vote.castAt });
      } catch (error) {
        // The ballot was frozen or closed after the read: read again to see which.
        if (!(error instanceof ConcurrencyError) || attempt >= BALLOT_ATTEMPTS) throw error;
        continue;
      }
      const after = [...votes.filter((v) => v.voter.id !== caller.id), vote];
      await this.audit(caller, surface, "vote", c, [c.reference, previous ? "vote-replaced" : "vote-cast"]);
      this.notify("caseChanged", () => this.deps.notifier.caseChanged(caseId));
      return { ok: true, vote, changed: true, view: this.view(caller, c, after, conflicts) };
    }
  }

  /** A member declares a conflict of interest (Dorset 4.5). Repeating it only updates the reason. */
  async declareConflict(caller: Caller, caseId: string, reasonInput: unknown, surface: Surface): Promise<Ok<{ view: CaseView }> | Failure> {
    const reason = str(reasonInput);
    if (!reason) return fail("CONFLICT_REASON_REQUIRED", 400, "Say briefly why you may have a conflict of interest.");
    if (reason.length > CASE_LIMITS.reason) return fail("CONFLICT_REASON_TOO_LONG", 400, `Shorten the reason to ${CASE_LIMITS.reason} characters.`);
    return this.ballotWrite(caller, caseId, surface, "conflict-declared", (c, conflicts) => {
      if (!c.members?.some((m) => m.id === caller.id)) return fail("NOT_A_MEMBER", 403, `Only members of ${this.deps.profile.decisionBody.name} on this case declare conflicts on it.`);
      const existing = conflicts.find((x) => x.member.id === caller.id);
      if (existing && existing.excluded !== undefined) return fail("CONFLICT_ALREADY_RULED", 409, "The chair has already ruled on your conflict. Ask the chair if anything has changed.");
      if (existing?.reason === reason) return "unchanged";
      return { conflict: { caseId, member: staffRef(caller), reason, declaredAt: existing?.declaredAt ?? this.deps.clock.now().toISOString() }, at: this.deps.clock.now().toISOString() };
    });
  }

  /** The chair rules whether a member with a conflict is excluded (Dorset 4.5). A ruling on the chair's own
   * conflict is recorded by a register administrator on behalf of the person the policy names. */
  async ruleConflict(caller: Caller, caseId: string, memberId: string, excludedInput: unknown, surface: Surface): Promise<Ok<{ view: CaseView }> | Failure> {
    if (typeof excludedInput !== "boolean") return fail("RULING_INVALID", 400, "Say whether the member is excluded: yes or no.");
    const excluded = excludedInput;
    return this.ballotWrite(caller, caseId, surface, excluded ? "conflict-excluded" : "conflict-may-vote", (c, conflicts) => {
      const isChair = c.chairId === caller.id;
      const ownConflict = memberId === c.chairId;
      const inTheirAbsence = this.deps.profile.decisionBody.conflicts?.inTheirAbsence;
      if (ownConflict && isChair) {
        return fail("OWN_CONFLICT", 409, `The chair cannot rule on their own conflict. ${inTheirAbsence ? `${capitalise(inTheirAbsence)} rules on it` : "Someone else must rule on it"}; a register administrator records that ruling.`);
      }
      if (!isChair && !(ownConflict && caller.roles.includes("register-admin"))) return fail("NOT_CHAIR", 403, "Only the chair rules on conflicts of interest. Nothing was changed.");
      const existing = conflicts.find((x) => x.member.id === memberId);
      if (!existing) return fail("NO_CONFLICT_DECLARED", 404, "That member has not declared a conflict on this case.");
      if (existing.excluded === excluded) return "unchanged";
      return { conflict: { ...existing, excluded, ruledBy: staffRef(caller) }, at: this.deps.clock.now().toISOString() };
    });
  }

  /** One ballot write (a conflict declaration or a ruling) while the ballot is open. `decide` sees the fresh case
   * and conflicts. */
  private async ballotWrite(caller: Caller, caseId: string, surface: Surface, what: string, decide: (c: Case, conflicts: ConflictDeclaration[]) => Failure | "unchanged" | { conflict: ConflictDeclaration; at: string }): Promise<Ok<{ view: CaseView }> | Failure> {
    for (let attempt = 1; ; attempt++) {
      const b = await this.deps.stores.cases.getBallot(caseId);
      if (!b || !(await this.maySee(caller, b.case))) return notFound();
      const { case: c, votes, conflicts } = b;
      if (c.status !== "voting") return closed(c);
      const decision = decide(c, conflicts);
      if (decision === "unchanged") return { ok: true, view: this.view(caller, c, votes, conflicts) };
      if ("ok" in decision) return decision;
      if (!b.open) {
        if (attempt >= BALLOT_ATTEMPTS) return fail("VOTE_PAUSED", 409, "The chair is closing the vote right now, so nothing was changed. Refresh the card in a moment.");
        await this.sleep(backoff(attempt));
        continue;
      }
      try {
        await this.deps.stores.cases.writeBallot(caseId, decision);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= BALLOT_ATTEMPTS) throw error;
        continue;
      }
      const after = [...conflicts.filter((x) => x.member.id !== decision.conflict.member.id), decision.conflict];
      await this.audit(caller, surface, "update", c, [c.reference, what]);
      this.notify("caseChanged", () => this.deps.notifier.caseChanged(caseId));
      return { ok: true, view: this.view(caller, c, votes, after) };
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Closing
  // -------------------------------------------------------------------------------------------------------

  /** The chair closes the vote: the votes cast are counted under the policy's quorum and majority, and the
   * decision record (and, for an "add" outcome, the register entry) is written. */
  async close(caller: Caller, caseId: string, input: { healthConsidered?: { considered?: unknown; note?: unknown }; rationale?: unknown; outcome?: unknown }, surface: Surface): Promise<Ok<{ view: CaseView; alreadyClosed: boolean; entry?: { id: string; reference: string; status: string } }> | (Failure & { view?: CaseView })> {
    // Dorset 4.10: the decision record says underlying health issues were considered, and by whom. Checked before the
    // ballot is touched.
    const considered = input.healthConsidered?.considered;
    const healthMissing = this.deps.profile.decisionBody.recordHealthConsidered && typeof considered !== "boolean";
    for (let attempt = 1; ; attempt++) {
      const first = await this.deps.stores.cases.get(caseId);
      if (!first || !(await this.maySee(caller, first))) return notFound();
      if (first.chairId !== caller.id) return fail("NOT_CHAIR", 403, "Only the chair closes the vote. Nothing was changed.");
      if (first.status === "decided" && first.decision) {
        // Closing again (a double click, a retry): finish anything left undone, change nothing else.
        const entry = await this.afterDecision(caller, first, surface);
        return { ok: true, view: await this.viewFor(caller, entry.case), alreadyClosed: true, ...(entry.entry ? { entry: entry.entry } : {}) };
      }
      if (first.status !== "voting") return closed(first);
      if (healthMissing) {
        return fail("HEALTH_CONSIDERATION_REQUIRED", 400, `The decision record must say whether underlying health issues were considered (${sourceOf(this.deps.profile, "decisionBody.recordHealthConsidered") ?? "policy"}). Answer that question and close the vote again.`);
      }
      // Freeze, then read: every vote is either in this read or refused from now on.
      await this.deps.stores.cases.freezeBallot(caseId);
      const b = await this.deps.stores.cases.getBallot(caseId);
      if (!b) return notFound();
      const { case: c, votes, conflicts } = b;
      if (c.status !== "voting") continue; // decided meanwhile (another close): report that
      const t = this.tally(c, votes, conflicts, true);
      let result = t.result;
      // Where the policy sets no voting rule (West Lindsey 11.2: the Determination Team decides), the chair records
      // the decision the body reached.
      const recorded = DECISION_OUTCOMES.find((o) => o === input.outcome);
      if (!result.ok && result.code === "NO_VOTING_RULE" && recorded) {
        result = { ok: true, outcome: recorded, votesFor: t.tally[recorded], decidedEarly: false, byCastingVote: false };
      }
      if (!result.ok) {
        // No decision yet (quorum not met, a tie, a ruling pending): members may go on voting.
        await this.deps.stores.cases.reopenBallot(caseId);
        return { ...fail(result.code, 409, result.message), view: this.view(caller, c, votes, conflicts) };
      }
      const rationale = str(input.rationale).slice(0, CASE_LIMITS.rationale);
      const now = this.deps.clock.now().toISOString();
      const counted = votes.filter((v) => t.eligible.includes(v.voter.id));
      const decision: DecisionRecord = {
        outcome: result.outcome,
        decidedAt: now,
        decidedBy: counted.map((v) => v.voter),
        votesFor: result.votesFor,
        votesCast: t.votesCast,
        eligibleVoters: t.eligible.length,
        quorumMet: t.quorumMet,
        ...(typeof considered === "boolean" ? { healthConsidered: { considered, by: staffRef(caller), ...(str(input.healthConsidered?.note) ? { note: str(input.healthConsidered?.note).slice(0, 1000) } : {}) } } : {}),
        restrictions: riskForOutcome(result.outcome) || result.outcome === "spoc-only" ? c.recommendedRestrictions : [],
        ...(rationale ? { rationale } : {}),
      };
      let decided: Case;
      try {
        decided = await this.deps.stores.cases.update({ ...c, status: "decided", decision });
      } catch (error) {
        // Another close got there first: read again and report what it decided.
        if (!(error instanceof ConcurrencyError) || attempt >= BALLOT_ATTEMPTS) throw error;
        continue;
      }
      await this.audit(caller, surface, "decision", decided, [decided.reference, `outcome:${decision.outcome}`, `votes:${decision.votesFor}/${decision.votesCast}`]);
      const done = await this.afterDecision(caller, decided, surface);
      this.notify("caseChanged", () => this.deps.notifier.caseChanged(caseId));
      return { ok: true, view: await this.viewFor(caller, done.case), alreadyClosed: false, ...(done.entry ? { entry: done.entry } : {}) };
    }
  }

  /** After the decision record: the register (or the ratification of an emergency addition), then the entry id
   * on the case. Safe to repeat. */
  private async afterDecision(caller: Caller, c: Case, surface: Surface): Promise<{ case: Case; entry?: { id: string; reference: string; status: string } }> {
    const decision = c.decision!;
    let entry: { id: string; reference: string; status: string } | undefined;
    if (c.ratifiesCaseId) {
      const original = await this.deps.stores.cases.get(c.ratifiesCaseId);
      if (original?.entryId) {
        const saved = await this.deps.register.ratify({ entryId: original.entryId, outcome: decision.outcome, decidedAt: decision.decidedAt, ratificationCaseId: c.id, actor: staffRef(caller), surface });
        if (saved) entry = { id: saved.id, reference: saved.reference, status: saved.status };
        if (original.status !== "decided") {
          const ratified = riskForOutcome(decision.outcome) !== undefined;
          await this.updateCase(original.id, (o) => (o.status === "decided" ? undefined : { ...o, status: "decided", ...(o.emergency ? { emergency: { ...o.emergency, ...(ratified ? { ratifiedAt: decision.decidedAt } : {}) } } : {}) }));
        }
      }
    } else {
      const saved = await this.deps.register.applyDecision({ case: c, decision, status: "active", actor: staffRef(caller), surface });
      if (saved) entry = { id: saved.id, reference: saved.reference, status: saved.status };
    }
    let current = c;
    if (entry && c.entryId !== entry.id) {
      const id = entry.id;
      current = (await this.updateCase(c.id, (x) => (x.entryId === id ? undefined : { ...x, entryId: id }))) ?? c;
    }
    return { case: current, ...(entry ? { entry } : {}) };
  }

  private async updateCase(caseId: string, edit: (c: Case) => Case | undefined): Promise<Case | undefined> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.deps.stores.cases.get(caseId);
      if (!c) return undefined;
      const next = edit(c);
      if (!next) return c;
      try {
        return await this.deps.stores.cases.update(next);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= BALLOT_ATTEMPTS) throw error;
        await this.sleep(backoff(attempt));
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Emergency addition (Dorset 4.13.2)
  // -------------------------------------------------------------------------------------------------------

  async emergency(caller: Caller, draft: EmergencyDraft, idempotencyKey: string, surface: Surface): Promise<Ok<{ case: Case; ratificationCase: Case; entry: { id: string; reference: string; status: string }; ratifyBy: string | null; duplicate: boolean }> | Failure> {
    if (!KEY_PATTERN.test(idempotencyKey)) return fail("IDEMPOTENCY_KEY_INVALID", 400, "The request key is not valid. Reload the form and send it again.");
    const actingAs = draft.actingAs === "deputy" ? "deputy" : draft.actingAs === "chair" ? "chair" : undefined;
    if (!actingAs) return fail("CASE_INVALID", 400, "Say whether you act as the chair or as the deputy.", [{ field: "actingAs", code: "ACTING_AS_INVALID", message: "Choose chair or deputy." }]);
    const seat = await this.deps.decisionBody.get(caller.id);
    if (actingAs === "chair" && seat?.capacity !== "chair") return fail("NOT_CHAIR", 403, "Only the chair can make an emergency addition. If the chair is absent, ask the named deputy.");
    if (actingAs === "deputy" && seat?.capacity !== "emergency-deputy") return fail("NOT_DEPUTY", 403, "You are not recorded as the deputy for emergency additions. Ask the chair.");
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const nextMeetingOn = str(draft.nextMeetingOn);
    if (nextMeetingOn && (!isIsoDate(nextMeetingOn) || nextMeetingOn < today)) {
      return fail("CASE_INVALID", 400, "Give the next meeting as a date from today on.", [{ field: "nextMeetingOn", code: "NEXT_MEETING_INVALID", message: "Give the next meeting as a date from today on." }]);
    }
    const rule = emergencyAddition(this.deps.profile, { riskLevel: "high", actingAs, chairAvailable: draft.chairAbsent !== true, on: today, ...(nextMeetingOn ? { nextMeetingOn } : {}) });
    if (!rule.ok) return fail(rule.code, 409, rule.message);

    const id = hashId("case", caller.id, idempotencyKey);
    const ratificationId = `${id}-r`;
    const earlier = await this.deps.stores.cases.get(id);
    if (!earlier) {
      const problems: Problem[] = [];
      const base = await this.checkCaseBasics(draft.subjectId, draft.incidentIds, draft.summary, draft.papersUrl, problems);
      const reason = str(draft.reason);
      if (!reason) problems.push({ field: "reason", code: "REASON_REQUIRED", message: "Say why this cannot wait for the next meeting." });
      else if (reason.length > CASE_LIMITS.reason) problems.push({ field: "reason", code: "TEXT_TOO_LONG", message: `Shorten the reason to ${CASE_LIMITS.reason} characters.` });
      const extras = this.checkRecommendations(draft.restrictions, draft.guidance, draft.spoc, problems, "");
      if (problems.length > 0 || !base) return fail("CASE_INVALID", 400, `We could not make the emergency addition. ${problems[0]?.message ?? ""}`.trim(), problems);
      const seats = votingSeats(await this.deps.decisionBody.list());
      const now = this.deps.clock.now().toISOString();
      const decision: DecisionRecord = { outcome: "add-high", decidedAt: now, decidedBy: [staffRef(caller)], votesFor: 1, votesCast: 1, eligibleVoters: 1, quorumMet: false, restrictions: extras.restrictions, rationale: reason };
      const c: Case = {
        id,
        reference: await this.deps.stores.references.next("CASE"),
        ...referral(base, "add-high", extras, caller),
        status: "pending-ratification",
        referredAt: now,
        decision,
        emergency: { by: staffRef(caller), capacity: rule.capacity, at: now, reason, ratificationCaseId: ratificationId },
        members: seats.map((s) => ({ id: s.userId, displayName: s.displayName })),
        ...(seats.find((s) => s.capacity === "chair") ? { chairId: seats.find((s) => s.capacity === "chair")!.userId } : {}),
      };
      try {
        await this.deps.stores.cases.create(c);
        await this.audit(caller, surface, "decision", c, [c.reference, "emergency-addition", `capacity:${rule.capacity}`]);
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
    // From here every step finds what an earlier attempt did.
    const c = (await this.deps.stores.cases.get(id))!;
    const saved = await this.deps.register.applyDecision({ case: c, decision: c.decision!, status: "pending-ratification", actor: staffRef(caller), surface });
    if (!saved) throw new Error("An emergency addition did not produce a register entry.");
    let ratification = await this.deps.stores.cases.get(ratificationId);
    let opened = false;
    if (!ratification) {
      const seats = votingSeats(await this.deps.decisionBody.list());
      const r: Case = {
        id: ratificationId,
        reference: await this.deps.stores.references.next("CASE"),
        subjectId: c.subjectId,
        incidentIds: c.incidentIds,
        recommendedOutcome: "add-high",
        recommendedRestrictions: c.recommendedRestrictions,
        presentingManager: c.emergency!.by,
        summary: `Ratify the emergency addition ${c.reference}: ${c.summary}`.slice(0, CASE_LIMITS.summaryMax),
        ...(c.papersUrl ? { papersUrl: c.papersUrl } : {}),
        status: "voting",
        referredAt: this.deps.clock.now().toISOString(),
        ratifiesCaseId: c.id,
        members: seats.map((s) => ({ id: s.userId, displayName: s.displayName })),
        ...(seats.find((s) => s.capacity === "chair") ? { chairId: seats.find((s) => s.capacity === "chair")!.userId } : {}),
      };
      try {
        ratification = await this.deps.stores.cases.create(r);
        opened = true;
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        ratification = (await this.deps.stores.cases.get(ratificationId))!;
      }
    }
    const withEntry = (await this.updateCase(id, (x) => (x.entryId === saved.id ? undefined : { ...x, entryId: saved.id }))) ?? c;
    if (opened) {
      const r = ratification;
      this.notify("caseOpened", () => this.deps.notifier.caseOpened(r));
    }
    return { ok: true, case: withEntry, ratificationCase: ratification, entry: { id: saved.id, reference: saved.reference, status: saved.status }, ratifyBy: rule.ratifyBy, duplicate: earlier !== undefined };
  }

  // -------------------------------------------------------------------------------------------------------
  // Checks shared by referral and emergency addition
  // -------------------------------------------------------------------------------------------------------

  private async checkCaseBasics(subjectIdInput: unknown, incidentIdsInput: unknown, summaryInput: unknown, papersUrlInput: unknown, problems: Problem[]): Promise<{ subjectId: string; incidentIds: string[]; summary: string; papersUrl?: string } | undefined> {
    const subjectId = str(subjectIdInput);
    const subject = subjectId && subjectId.length <= 100 ? await this.deps.stores.subjects.get(subjectId) : undefined;
    if (!subject) problems.push({ field: "subjectId", code: "SUBJECT_NOT_FOUND", message: "We could not find the person or address this case is about." });
    const ids = Array.isArray(incidentIdsInput) ? [...new Set(incidentIdsInput.map(str).filter((x) => x.length > 0))] : [];
    if (ids.length === 0) problems.push({ field: "incidentIds", code: "INCIDENTS_REQUIRED", message: "Add at least one incident report to the case." });
    if (ids.length > CASE_LIMITS.incidents) problems.push({ field: "incidentIds", code: "TOO_MANY_INCIDENTS", message: `A case can include at most ${CASE_LIMITS.incidents} incidents.` });
    const incidents = await Promise.all(ids.slice(0, CASE_LIMITS.incidents).map((id) => (id.length <= 100 ? this.deps.stores.incidents.get(id) : Promise.resolve(undefined))));
    incidents.forEach((incident, i) => {
      if (!incident) problems.push({ field: `incidentIds.${i}`, code: "INCIDENT_NOT_FOUND", message: `We could not find incident ${i + 1}. Check the report reference.` });
      else if (subject && incident.subjectId !== subject.id) problems.push({ field: `incidentIds.${i}`, code: "INCIDENT_OTHER_SUBJECT", message: `${incident.reference} is about someone else. Take it out of this case.` });
    });
    const summary = str(summaryInput);
    if (summary.length < CASE_LIMITS.summaryMin) problems.push({ field: "summary", code: "SUMMARY_REQUIRED", message: "Write a short summary of the case for the vote card (at least a sentence)." });
    else if (summary.length > CASE_LIMITS.summaryMax) problems.push({ field: "summary", code: "SUMMARY_TOO_LONG", message: `Shorten the summary to ${CASE_LIMITS.summaryMax} characters; the papers hold the detail.` });
    else if (subject && containsName(summary, [subject.displayName, ...subject.aliases])) {
      // EXPERIENCE.md "Cards": no full name in the card or its notification preview.
      problems.push({ field: "summary", code: "SUMMARY_CONTAINS_NAME", message: "Take the person's name out of the summary: it shows on the vote card and in notifications. Use the case reference instead." });
    }
    const papersUrl = str(papersUrlInput);
    if (papersUrl) {
      let good = false;
      try {
        good = new URL(papersUrl).protocol === "https:" && papersUrl.length <= CASE_LIMITS.papersUrl;
      } catch {
        good = false;
      }
      if (!good) problems.push({ field: "papersUrl", code: "PAPERS_URL_INVALID", message: "Give the link to the papers as a full https:// address, or leave it out." });
    }
    if (!subject || problems.length > 0) return undefined;
    return { subjectId: subject.id, incidentIds: ids, summary, ...(papersUrl ? { papersUrl } : {}) };
  }

  private checkRecommendations(restrictionDrafts: unknown, guidanceInput: unknown, spocInput: Partial<SinglePointOfContact> | undefined, problems: Problem[], prefix: string): { restrictions: Restriction[]; guidance: string[]; spoc?: SinglePointOfContact } {
    const field = (name: string) => (prefix ? `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}` : name);
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const restrictions: Restriction[] = [];
    const drafts = Array.isArray(restrictionDrafts) ? (restrictionDrafts as RestrictionDraft[]) : [];
    drafts.slice(0, CASE_LIMITS.restrictions).forEach((d, i) => {
      const kind: RestrictionKind | undefined = RESTRICTION_KINDS.find((k) => k === d?.kind);
      const at = `${field("restrictions")}.${i}`;
      if (!kind) {
        problems.push({ field: `${at}.kind`, code: "RESTRICTION_NOT_OFFERED", message: `Restriction ${i + 1}: choose one from the council's list.` });
        return;
      }
      const params = d.params && typeof d.params === "object" ? d.params : {};
      const check = checkRestriction(this.deps.profile, { kind, params });
      if (!check.ok) {
        problems.push({ field: at, code: check.code, message: check.message });
        return;
      }
      const instruction = str(d.staffInstruction);
      if (!instruction) {
        problems.push({ field: `${at}.staffInstruction`, code: "RESTRICTION_INVALID", message: `Restriction ${i + 1}: say in one sentence what staff should do.` });
        return;
      }
      const endsOn = str(d.endsOn);
      if (endsOn && (!isIsoDate(endsOn) || endsOn < today)) {
        problems.push({ field: `${at}.endsOn`, code: "RESTRICTION_INVALID", message: `Restriction ${i + 1}: the end date must be a real date from today on.` });
        return;
      }
      const startsOn = str(d.startsOn);
      restrictions.push({
        id: this.deps.ids.next(),
        kind,
        params,
        serviceAreas: Array.isArray(d.serviceAreas) ? d.serviceAreas.map(str).filter((x) => x.length > 0).slice(0, 10) : [],
        startsOn: startsOn && isIsoDate(startsOn) ? startsOn : "",
        ...(endsOn ? { endsOn } : {}),
        staffInstruction: instruction.slice(0, CASE_LIMITS.guidanceLine),
      });
    });
    const guidance = Array.isArray(guidanceInput) ? guidanceInput.map(str).filter((x) => x.length > 0) : [];
    if (guidance.length > CASE_LIMITS.guidance || guidance.some((g) => g.length > CASE_LIMITS.guidanceLine)) {
      problems.push({ field: field("guidance"), code: "GUIDANCE_TOO_LONG", message: `Give at most ${CASE_LIMITS.guidance} lines of guidance, each under ${CASE_LIMITS.guidanceLine} characters.` });
    }
    let spoc: SinglePointOfContact | undefined;
    if (spocInput && (str(spocInput.displayName) || str(spocInput.mailbox))) {
      const mailbox = normaliseEmail(str(spocInput.mailbox));
      if (!str(spocInput.displayName) || !mailbox) {
        problems.push({ field: field("spoc"), code: "SPOC_INVALID", message: "Give the single point of contact's name and mailbox address." });
      } else {
        spoc = { displayName: str(spocInput.displayName).slice(0, 200), mailbox, ...(str(spocInput.serviceArea) ? { serviceArea: str(spocInput.serviceArea).slice(0, 200) } : {}), ...(str(spocInput.phone) ? { phone: str(spocInput.phone).slice(0, 40) } : {}) };
      }
    }
    return { restrictions, guidance: guidance.slice(0, CASE_LIMITS.guidance), ...(spoc ? { spoc } : {}) };
  }

  private async audit(caller: Caller, surface: Surface, action: "create" | "update" | "vote" | "decision", c: Case, what: string[]): Promise<void> {
    await this.deps.stores.audit.append({ id: this.deps.ids.next(), at: this.deps.clock.now().toISOString(), actorId: caller.id, action, surface, subjectId: c.subjectId, what });
  }
}

/** "4 of 6 voted · quorum reached" (EXPERIENCE.md "Cards"). */
export function progressText(t: Pick<Tally, "votesCast" | "eligible" | "quorum" | "quorumMet">): string {
  const base = `${t.votesCast} of ${t.eligible.length} voted`;
  if (t.quorum === null) return base;
  return t.quorumMet ? `${base} · quorum reached` : `${base} · quorum not yet reached (${t.quorum} needed)`;
}

function summarise(result: BallotResult): BallotView["result"] {
  return result.ok ? { ok: true, outcome: result.outcome, votesFor: result.votesFor } : { ok: false, code: result.code, message: result.message };
}

function backoff(attempt: number): number {
  // Full jitter, growing to ~40 ms: a vote that arrives while the chair is closing waits about a second in all.
  return Math.floor(Math.random() * Math.min(40, 4 * 2 ** Math.min(attempt, 4)));
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** Whether text contains a name of the subject: every token of a full name, or a surname-like token of 3+ letters
 * that is not a common word. Keeps full names off vote cards and their notification previews. */
export function containsName(text: string, names: string[]): boolean {
  const words = new Set(nameTokens(text));
  return names.some((name) => {
    const tokens = nameTokens(name).filter((t) => t.length >= 3);
    if (tokens.length === 0) return false;
    if (tokens.every((t) => words.has(t))) return true;
    const last = tokens[tokens.length - 1]!;
    return tokens.length > 1 && words.has(last);
  });
}

/** Seats for tests and demo data. */
export type { DecisionBodySeat };
