import assert from "node:assert/strict";
import { PRESETS, tallyVotes, type BallotVote, type DecisionOutcome, type PolicyProfile } from "../../../core/src/index";

const { dorset, tamworth } = PRESETS;
const eastSuffolk = PRESETS["east-suffolk"];
const westLindsey = PRESETS["west-lindsey"];

const PANEL = ["chair", "m2", "m3", "m4", "m5", "m6"];
let clock = 0;
function votes(...pairs: [string, DecisionOutcome][]): BallotVote[] {
  return pairs.map(([voterId, choice]) => ({ voterId, choice, castAt: new Date(Date.UTC(2026, 0, 5, 10, 0, clock++)).toISOString() }));
}

function edited(profile: PolicyProfile, change: (p: PolicyProfile) => void): PolicyProfile {
  const copy = structuredClone(profile);
  change(copy);
  return copy;
}

describe("rules: voting — Dorset", () => {
  it("Dorset 4.4: three votes is not quorate", () => {
    const t = tallyVotes(dorset, { members: PANEL, votes: votes(["chair", "add-high"], ["m2", "add-high"], ["m3", "add-high"]), conflicts: [] });
    assert.equal(t.quorum, 4);
    assert.equal(t.quorumMet, false);
    assert.deepEqual(t.notVoted, ["m4", "m5", "m6"]);
    assert.equal(t.result.ok, false);
    assert.equal(!t.result.ok && t.result.code, "QUORUM_NOT_MET");
  });

  it("Dorset 4.9: four of six voting the same way decide it at once (majority already certain)", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["chair", "add-medium"], ["m2", "add-medium"], ["m3", "add-medium"], ["m4", "add-medium"]),
      conflicts: [],
    });
    assert.equal(t.tally["add-medium"], 4);
    assert.equal(t.votesCast, 4);
    assert.deepEqual(t.result, { ok: true, outcome: "add-medium", votesFor: 4, decidedEarly: true, byCastingVote: false });
    assert.deepEqual(t.sources, ["Dorset 4.4", "Dorset 4.9", "Dorset 4.5"]);
  });

  it("Dorset 4.9: quorate but the majority could still change, so wait for the others", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["chair", "add-medium"], ["m2", "add-medium"], ["m3", "add-low"], ["m4", "add-medium"]),
      conflicts: [],
    });
    assert.equal(t.quorumMet, true);
    assert.equal(!t.result.ok && t.result.code, "AWAITING_VOTES");
  });

  it("Dorset 4.9: when the chair closes the vote, a majority of the votes cast decides", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["chair", "add-medium"], ["m2", "add-medium"], ["m3", "add-low"], ["m4", "add-medium"]),
      conflicts: [],
      closing: true,
    });
    assert.deepEqual(t.result, { ok: true, outcome: "add-medium", votesFor: 3, decidedEarly: false, byCastingVote: false });
  });

  it("Dorset 4.5: a member excluded by the chair's ruling does not count, even if they voted", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["m6", "no-action"], ["chair", "add-low"], ["m2", "add-low"], ["m3", "add-low"], ["m4", "no-action"], ["m5", "add-low"]),
      conflicts: [{ memberId: "m6", excluded: true }, { memberId: "m5", excluded: false }],
    });
    assert.deepEqual(t.excluded, ["m6"]);
    assert.deepEqual(t.eligible, ["chair", "m2", "m3", "m4", "m5"]);
    assert.deepEqual(t.ignoredVoters, ["m6"]);
    assert.equal(t.tally["no-action"], 1);
    assert.deepEqual(t.result, { ok: true, outcome: "add-low", votesFor: 4, decidedEarly: false, byCastingVote: false });
  });

  it("Dorset 4.5: a declared conflict not yet ruled on holds the vote open", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["chair", "add-low"], ["m2", "add-low"], ["m3", "add-low"], ["m4", "add-low"]),
      conflicts: [{ memberId: "m5" }],
    });
    assert.deepEqual(t.awaitingRuling, ["m5"]);
    assert.equal(!t.result.ok && t.result.code, "CONFLICT_RULING_PENDING");
  });

  it("Dorset 4.4-4.5: exclusions that leave fewer than four members make the quorum unreachable", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["chair", "add-high"], ["m2", "add-high"], ["m3", "add-high"]),
      conflicts: [{ memberId: "m4", excluded: true }, { memberId: "m5", excluded: true }, { memberId: "m6", excluded: true }],
    });
    assert.equal(!t.result.ok && t.result.code, "QUORUM_UNREACHABLE");
    assert.match(!t.result.ok ? t.result.message : "", /briefed deputy/);
  });

  it("Dorset 4.9: a tie goes back to the chair (TIE); the policy gives no casting vote", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      chairId: "chair",
      votes: votes(["chair", "add-high"], ["m2", "add-high"], ["m3", "add-high"], ["m4", "add-medium"], ["m5", "add-medium"], ["m6", "add-medium"]),
      conflicts: [],
    });
    assert.equal(t.result.ok, false);
    assert.ok(!t.result.ok);
    assert.equal(t.result.code, "TIE");
    assert.deepEqual(t.result.tiedOutcomes, ["add-medium", "add-high"]);
  });

  it("Dorset 4.9: with conflicts excluded, 2-2 among the four left is a tie", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["chair", "add-low"], ["m2", "add-low"], ["m3", "spoc-only"], ["m4", "spoc-only"]),
      conflicts: [{ memberId: "m5", excluded: true }, { memberId: "m6", excluded: true }],
    });
    assert.equal(!t.result.ok && t.result.code, "TIE");
  });

  it("Dorset 4.9: no outcome with a majority of votes cast (2-1-1) is NO_MAJORITY", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["chair", "add-low"], ["m2", "add-low"], ["m3", "spoc-only"], ["m4", "no-action"]),
      conflicts: [],
      closing: true,
    });
    assert.equal(!t.result.ok && t.result.code, "NO_MAJORITY");
  });

  it("one vote per member: a changed vote replaces the earlier one; non-members are ignored", () => {
    const t = tallyVotes(dorset, {
      members: PANEL,
      votes: votes(["m2", "no-action"], ["chair", "add-low"], ["m2", "add-low"], ["m3", "add-low"], ["m4", "add-low"], ["stranger", "no-action"]),
      conflicts: [],
    });
    assert.equal(t.tally["no-action"], 0);
    assert.equal(t.votesCast, 4);
    assert.deepEqual(t.ignoredVoters, ["stranger"]);
    assert.equal(t.result.ok, true);
  });
});

describe("rules: voting — majority settings a council may choose", () => {
  it("a chair's casting vote settles a tie only where the profile gives one", () => {
    const own = edited(dorset, (p) => {
      p.decisionBody.tieBreak = "chair-casting-vote";
    });
    const t = tallyVotes(own, {
      members: PANEL,
      chairId: "chair",
      votes: votes(["chair", "add-high"], ["m2", "add-high"], ["m3", "add-medium"], ["m4", "add-medium"]),
      conflicts: [],
      closing: true,
    });
    assert.deepEqual(t.result, { ok: true, outcome: "add-high", votesFor: 2, decidedEarly: false, byCastingVote: true });
  });

  it("minimumInFavour: four votes in favour (the stricter reading of Dorset 4.9)", () => {
    const own = edited(dorset, (p) => {
      p.decisionBody.majority = { basis: "votes-cast", minimumInFavour: 4 };
    });
    const three = tallyVotes(own, { members: PANEL, votes: votes(["chair", "add-low"], ["m2", "add-low"], ["m3", "add-low"], ["m4", "no-action"]), conflicts: [], closing: true });
    assert.equal(!three.result.ok && three.result.code, "NO_MAJORITY");
  });

  it("unanimous: every vote cast must agree", () => {
    const own = edited(dorset, (p) => {
      p.decisionBody.majority = { basis: "unanimous", minimumInFavour: null };
    });
    const split = tallyVotes(own, { members: PANEL.slice(0, 4), votes: votes(["chair", "add-low"], ["m2", "add-low"], ["m3", "add-low"], ["m4", "no-action"]), conflicts: [] });
    assert.equal(!split.result.ok && split.result.code, "NO_MAJORITY");
    const agreed = tallyVotes(own, { members: PANEL.slice(0, 4), votes: votes(["chair", "add-low"], ["m2", "add-low"], ["m3", "add-low"], ["m4", "add-low"]), conflicts: [] });
    assert.equal(agreed.result.ok && agreed.result.outcome, "add-low");
  });

  it("eligible-members: more than half of those entitled to vote, not just of those who voted", () => {
    const own = edited(dorset, (p) => {
      p.decisionBody.majority = { basis: "eligible-members", minimumInFavour: null };
    });
    const t = tallyVotes(own, { members: PANEL, votes: votes(["chair", "add-low"], ["m2", "add-low"], ["m3", "add-low"], ["m4", "no-action"]), conflicts: [], closing: true });
    assert.equal(!t.result.ok && t.result.code, "NO_MAJORITY", "3 of 6 eligible is not more than half");
  });
});

describe("rules: voting — councils without a voting panel", () => {
  it("East Suffolk 3.2: one decision maker decides; no quorum of a panel", () => {
    const t = tallyVotes(eastSuffolk, { members: ["cem"], votes: votes(["cem", "add-medium"]), conflicts: [] });
    assert.equal(t.quorum, 1);
    assert.deepEqual(t.result, { ok: true, outcome: "add-medium", votesFor: 1, decidedEarly: false, byCastingVote: false });
  });

  it("West Oxfordshire, Managing Unacceptable Behaviour: the business manager or Head of Service decides alone", () => {
    const t = tallyVotes(PRESETS["west-oxfordshire"], { members: ["bm", "hos"], votes: votes(["bm", "warning-letter"]), conflicts: [] });
    assert.deepEqual(t.result, { ok: true, outcome: "warning-letter", votesFor: 1, decidedEarly: true, byCastingVote: false });
  });

  it("Tamworth 4, 9: two deciders who disagree must agree one decision (TIE)", () => {
    const t = tallyVotes(tamworth, { members: ["hos", "hocs"], votes: votes(["hos", "add-low"], ["hocs", "no-action"]), conflicts: [] });
    assert.equal(!t.result.ok && t.result.code, "TIE");
  });

  it("Tamworth 4, 9: waiting for the decision maker", () => {
    const t = tallyVotes(tamworth, { members: ["hos"], votes: [], conflicts: [] });
    assert.equal(!t.result.ok && t.result.code, "AWAITING_VOTES");
  });

  it("West Lindsey 11.2: no quorum or majority is set, so the team's decision is recorded (NO_VOTING_RULE)", () => {
    const t = tallyVotes(westLindsey, { members: ["a", "b", "c"], votes: votes(["a", "add-low"], ["b", "add-low"], ["c", "add-low"]), conflicts: [] });
    assert.ok(!t.result.ok);
    assert.equal(t.result.code, "NO_VOTING_RULE");
    assert.match(t.result.message, /the Determination Team/);
    assert.equal(t.tally["add-low"], 3, "the tally is still shown");
  });
});
