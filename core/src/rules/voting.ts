// Counting a decision body's votes: conflicts excluded by the chair's ruling (Dorset 4.5), one vote per member
// (the latest counts), quorum (Dorset 4.4: four members), majority (Dorset 4.9), and what happens on a tie
// (the profile's tieBreak; where the policy is silent, a TIE goes back to the chair — no invented casting vote).

import { DECISION_OUTCOMES, type DecisionOutcome } from "../domain";
import type { PolicyProfile } from "../policy/schema";
import { sourcesOf } from "../policy/sources";

export interface BallotVote {
  voterId: string;
  choice: DecisionOutcome;
  /** ISO instant; when a member votes twice the later vote counts (they changed their mind). */
  castAt: string;
}

export interface BallotConflict {
  memberId: string;
  /** The chair's ruling: true excluded, false may vote, undefined not yet ruled. */
  excluded?: boolean;
}

export interface BallotInput {
  /** Ids of the people who sit on the decision body for this case. */
  members: string[];
  /** The chair's id, for a casting vote where the policy gives one. */
  chairId?: string;
  votes: BallotVote[];
  conflicts: BallotConflict[];
  /** The chair is closing the vote now (the meeting is ending): count what has been cast. */
  closing?: boolean;
}

export type BallotOpenCode =
  | "CONFLICT_RULING_PENDING"
  | "QUORUM_UNREACHABLE"
  | "QUORUM_NOT_MET"
  | "AWAITING_VOTES"
  | "TIE"
  | "NO_MAJORITY"
  | "NO_VOTING_RULE";

export type BallotResult =
  | { ok: true; outcome: DecisionOutcome; votesFor: number; decidedEarly: boolean; byCastingVote: boolean }
  | { ok: false; code: BallotOpenCode; message: string; tiedOutcomes?: DecisionOutcome[] };

export interface Tally {
  eligible: string[];
  excluded: string[];
  /** Members who declared a conflict the chair has not ruled on yet. */
  awaitingRuling: string[];
  notVoted: string[];
  /** Votes from people who are not eligible (excluded, or not members); shown to the chair, never counted. */
  ignoredVoters: string[];
  tally: Record<DecisionOutcome, number>;
  votesCast: number;
  quorum: number | null;
  quorumMet: boolean;
  result: BallotResult;
  sources: string[];
}

function latestVoteByMember(votes: BallotVote[]): Map<string, BallotVote> {
  const latest = new Map<string, BallotVote>();
  for (const vote of votes) {
    const previous = latest.get(vote.voterId);
    if (!previous || vote.castAt >= previous.castAt) latest.set(vote.voterId, vote);
  }
  return latest;
}

function emptyTally(): Record<DecisionOutcome, number> {
  return Object.fromEntries(DECISION_OUTCOMES.map((o) => [o, 0])) as Record<DecisionOutcome, number>;
}

function leaders(tally: Record<DecisionOutcome, number>): { top: number; outcomes: DecisionOutcome[] } {
  const top = Math.max(...DECISION_OUTCOMES.map((o) => tally[o]));
  return { top, outcomes: DECISION_OUTCOMES.filter((o) => tally[o] === top && top > 0) };
}

/** Tallies a vote and says whether it can close, and with what outcome. */
export function tallyVotes(profile: PolicyProfile, input: BallotInput): Tally {
  const body = profile.decisionBody;
  const members = [...new Set(input.members)];
  const rulings = new Map(input.conflicts.map((c) => [c.memberId, c.excluded]));
  const excluded = members.filter((m) => rulings.get(m) === true);
  const awaitingRuling = members.filter((m) => rulings.has(m) && rulings.get(m) === undefined);
  const eligible = members.filter((m) => !rulings.has(m) || rulings.get(m) === false);

  const latest = latestVoteByMember(input.votes);
  const counted = eligible.flatMap((m) => latest.get(m) ?? []);
  const tally = emptyTally();
  for (const vote of counted) tally[vote.choice]++;
  const notVoted = eligible.filter((m) => !latest.has(m));
  const ignoredVoters = [...latest.keys()].filter((id) => !eligible.includes(id) && !awaitingRuling.includes(id));

  const quorum = body.mode === "single-decider" ? 1 : body.quorum;
  const votesCast = counted.length;
  const quorumMet = quorum === null ? votesCast > 0 : votesCast >= quorum;
  const ctx: Context = { profile, input, eligible, awaitingRuling, notVoted, tally, votesCast, quorum, quorumMet };
  return {
    eligible,
    excluded,
    awaitingRuling,
    notVoted,
    ignoredVoters,
    tally,
    votesCast,
    quorum,
    quorumMet,
    result: decide(ctx),
    sources: sourcesOf(profile, ["decisionBody.quorum", "decisionBody.majority", "decisionBody.conflicts"]),
  };
}

interface Context {
  profile: PolicyProfile;
  input: BallotInput;
  eligible: string[];
  awaitingRuling: string[];
  notVoted: string[];
  tally: Record<DecisionOutcome, number>;
  votesCast: number;
  quorum: number | null;
  quorumMet: boolean;
}

function open(code: BallotOpenCode, message: string, tiedOutcomes?: DecisionOutcome[]): BallotResult {
  return tiedOutcomes ? { ok: false, code, message, tiedOutcomes } : { ok: false, code, message };
}

function decide(ctx: Context): BallotResult {
  const body = ctx.profile.decisionBody;
  if (ctx.awaitingRuling.length > 0) {
    return open("CONFLICT_RULING_PENDING", `${ctx.awaitingRuling.length} declared conflict(s) need the chair's ruling before the vote can close. Ask the chair to rule on them.`);
  }
  if (body.mode === "single-decider") return decideSingle(ctx);
  if (body.majority === null) {
    return open("NO_VOTING_RULE", `The policy does not set how ${body.name} reaches a decision. Record the decision the body reached.`);
  }
  if (ctx.quorum !== null && ctx.eligible.length < ctx.quorum) {
    return open("QUORUM_UNREACHABLE", `Only ${ctx.eligible.length} member(s) can vote after exclusions and the quorum is ${ctx.quorum}. Ask a briefed deputy to attend, or take the case to the next meeting.`);
  }
  if (!ctx.quorumMet) {
    return open("QUORUM_NOT_MET", `${ctx.votesCast} of the ${ctx.quorum ?? 1} votes needed for a quorum have been cast. Wait for more members to vote.`);
  }
  return decideByMajority(ctx);
}

function decideSingle(ctx: Context): BallotResult {
  const { top, outcomes } = leaders(ctx.tally);
  if (outcomes.length === 0) return open("AWAITING_VOTES", "Waiting for the decision maker to decide.");
  if (outcomes.length > 1 || top !== ctx.votesCast) {
    return open("TIE", "The decision makers chose different outcomes. Agree one decision and record it.", outcomes.length > 1 ? outcomes : undefined);
  }
  return { ok: true, outcome: outcomes[0]!, votesFor: top, decidedEarly: ctx.notVoted.length > 0, byCastingVote: false };
}

function decideByMajority(ctx: Context): BallotResult {
  const majority = ctx.profile.decisionBody.majority!;
  const { top, outcomes } = leaders(ctx.tally);
  const winner = outcomes.length === 1 ? outcomes[0] : undefined;
  const floor = majority.minimumInFavour ?? 0;
  const allIn = ctx.notVoted.length === 0 || ctx.input.closing === true;

  // Early close: the leader already has more than half of everyone entitled to vote, so nothing can change it.
  if (majority.basis !== "unanimous" && winner && top * 2 > ctx.eligible.length && top >= floor) {
    return { ok: true, outcome: winner, votesFor: top, decidedEarly: ctx.notVoted.length > 0, byCastingVote: false };
  }
  if (!allIn) return open("AWAITING_VOTES", `${ctx.notVoted.length} member(s) have not voted yet.`);

  if (outcomes.length > 1) return breakTie(ctx, outcomes, top);
  const needed = majority.basis === "eligible-members" ? ctx.eligible.length : ctx.votesCast;
  const won = majority.basis === "unanimous" ? top === ctx.votesCast : top * 2 > needed;
  if (winner && won && top >= floor) return { ok: true, outcome: winner, votesFor: top, decidedEarly: false, byCastingVote: false };
  return open("NO_MAJORITY", "No outcome has the majority the policy needs. The chair should take the discussion further and call a new vote.");
}

function breakTie(ctx: Context, tied: DecisionOutcome[], top: number): BallotResult {
  const body = ctx.profile.decisionBody;
  const chairVote = ctx.input.chairId === undefined ? undefined : latestVoteByMember(ctx.input.votes).get(ctx.input.chairId);
  const chairCounts = chairVote !== undefined && ctx.eligible.includes(chairVote.voterId) && tied.includes(chairVote.choice);
  if (body.tieBreak === "chair-casting-vote" && chairCounts) {
    return { ok: true, outcome: chairVote.choice, votesFor: top, decidedEarly: false, byCastingVote: true };
  }
  const message =
    body.tieBreak === "chair-casting-vote"
      ? "The vote is tied and the chair has not voted for one of the tied outcomes. The chair should cast the deciding vote."
      : "The vote is tied. The policy gives no casting vote, so the chair should resolve it, for example by further discussion and a new vote.";
  return open("TIE", message, tied);
}
