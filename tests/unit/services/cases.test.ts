import assert from "node:assert/strict";
import type { Caller, Case } from "../../../core/src/domain";
import type { Failure } from "../../../bot/src/services/incidents";
import type { CaseView } from "../../../bot/src/services/cases";
import { containsName, progressText } from "../../../bot/src/services/cases";
import { aCasework, aKey, aReport, PANEL, persona, type CaseworkHarness } from "../../support/casework";

const max = persona("Max Manager");
const chair = persona("Charlie Chair", ["chair", "panel-member"]);
const members = PANEL.map((n) => persona(n, n === "Charlie Chair" ? ["chair", "panel-member"] : ["panel-member"]));
const [, pam, petra, percy, polly, paddy] = members as [Caller, Caller, Caller, Caller, Caller, Caller];

function failed(out: { ok: boolean }): Failure & { view?: CaseView } {
  assert.equal(out.ok, false, `expected a failure, got ${JSON.stringify(out).slice(0, 200)}`);
  return out as Failure;
}

async function anIncident(h: CaseworkHarness, subjectId?: string) {
  const out = await h.cw.incidents.report(persona("Ola Officer"), aReport(subjectId ? { subject: { existingId: subjectId } } : {}), aKey(), "bot");
  assert.ok(out.ok);
  return out.incident;
}

async function aCase(h: CaseworkHarness, over: Record<string, unknown> = {}): Promise<Case> {
  const incident = await anIncident(h);
  const out = await h.cw.cases.refer(max, { subjectId: incident.subjectId, incidentIds: [incident.id], recommendedOutcome: "add-medium", summary: "Repeated verbal abuse at reception; two incidents since May.", papersUrl: "https://calm-demo.example/papers/7", recommendedGuidance: ["Do not meet alone."], ...over }, aKey(), "tab");
  assert.ok(out.ok, JSON.stringify(out));
  return out.view.case;
}

async function vote(h: CaseworkHarness, who: Caller, c: Case, choice = "add-medium") {
  const out = await h.cw.cases.vote(who, c.id, choice, "bot");
  assert.ok(out.ok, JSON.stringify(out));
  return out;
}

describe("CaseService: referral, vote and decision (issue 3 item 3)", () => {
  let h: CaseworkHarness;
  beforeEach(async () => {
    h = await aCasework();
  });

  describe("referral", () => {
    it("refers a case to the decision body with its members at that moment, and posts it to the channel", async () => {
      const c = await aCase(h);
      assert.equal(c.status, "voting");
      assert.equal(c.reference, "CASE-0001");
      assert.deepEqual(c.members?.map((m) => m.displayName), ["Charlie Chair", ...PANEL.slice(1).sort()], "the chair first");
      assert.equal(c.chairId, chair.id);
      await h.cw.cases.settled();
      assert.deepEqual(h.notifier.opened.map((x) => x.id), [c.id]);
    });

    it("is idempotent by the client's key", async () => {
      const incident = await anIncident(h);
      const key = aKey();
      const draft = { subjectId: incident.subjectId, incidentIds: [incident.id], recommendedOutcome: "add-low", summary: "Persistent rude calls to the housing team." };
      const a = await h.cw.cases.refer(max, draft, key, "tab");
      const b = await h.cw.cases.refer(max, draft, key, "tab");
      assert.ok(a.ok && b.ok);
      assert.equal(b.duplicate, true);
      assert.equal(b.view.case.id, a.view.case.id);
      assert.equal((await h.stores.cases.listByStatus("voting")).length, 1);
    });

    it("keeps the person's name off the vote card (EXPERIENCE.md 'Cards')", async () => {
      const incident = await anIncident(h);
      const out = failed(await h.cw.cases.refer(max, { subjectId: incident.subjectId, incidentIds: [incident.id], recommendedOutcome: "add-low", summary: "Alex Example shouted at reception staff." }, aKey(), "tab"));
      assert.equal(out.code, "CASE_INVALID");
      assert.deepEqual(out.problems?.map((p) => p.code), ["SUMMARY_CONTAINS_NAME"]);
      assert.equal(containsName("Mr Example shouted", ["Alex Example"]), true);
      assert.equal(containsName("Shouted at an example officer", ["Alex Example"]), true, "a surname match is enough");
      assert.equal(containsName("Shouted at reception", ["Alex Example"]), false);
    });

    it("checks incidents, outcome, papers link and restrictions against the policy's catalogue", async () => {
      const incident = await anIncident(h);
      const other = await anIncident(h);
      const out = failed(await h.cw.cases.refer(max, {
        subjectId: incident.subjectId,
        incidentIds: [incident.id, other.id, "missing"],
        recommendedOutcome: "banish",
        summary: "Short",
        papersUrl: "http://insecure.example/papers",
        recommendedRestrictions: [{ kind: "building-ban", params: {}, staffInstruction: "Do not admit." }],
      }, aKey(), "tab"));
      assert.deepEqual(out.problems?.map((p) => p.code).sort(), ["INCIDENT_NOT_FOUND", "INCIDENT_OTHER_SUBJECT", "OUTCOME_INVALID", "PAPERS_URL_INVALID", "RESTRICTION_NOT_OFFERED", "SUMMARY_REQUIRED"].sort());
    });

    it("refuses when nobody sits on the decision body yet", async () => {
      const empty = await aCasework({ seat: false });
      const incident = await anIncident(empty);
      const out = failed(await empty.cw.cases.refer(max, { subjectId: incident.subjectId, incidentIds: [incident.id], recommendedOutcome: "add-low", summary: "Persistent rude calls to the housing team." }, aKey(), "tab"));
      assert.equal(out.code, "DECISION_BODY_NOT_SET_UP");
    });
  });

  describe("voting", () => {
    it("counts one vote per member; a repeat click changes nothing; a new choice replaces the vote", async () => {
      const c = await aCase(h);
      const first = await vote(h, pam, c, "add-low");
      assert.equal(first.changed, true);
      const repeat = await vote(h, pam, c, "add-low");
      assert.equal(repeat.changed, false, "a second click does nothing new");
      const changed = await vote(h, pam, c, "add-high");
      assert.equal(changed.changed, true);
      const votes = await h.stores.cases.listVotes(c.id);
      assert.deepEqual(votes.map((v) => [v.voter.id, v.choice]), [[pam.id, "add-high"]]);
      assert.equal(changed.view.ballot.votesCast, 1);
    });

    it("only members of the decision body on the case vote: the role alone is not enough", async () => {
      const c = await aCase(h);
      const stranger = { ...pam, id: "someone-with-the-role", displayName: "Not On The Panel" };
      assert.equal(failed(await h.cw.cases.vote(stranger, c.id, "add-low", "bot")).code, "NOT_FOUND");
      assert.equal(failed(await h.cw.cases.vote(max, c.id, "add-low", "bot")).code, "NOT_A_MEMBER", "the presenting manager sees the case but does not vote");
      assert.equal(failed(await h.cw.cases.vote(pam, c.id, "banish", "bot")).code, "CHOICE_INVALID");
      assert.equal(failed(await h.cw.cases.vote(pam, "no-such-case", "add-low", "bot")).code, "NOT_FOUND");
      assert.deepEqual(await h.stores.cases.listVotes(c.id), []);
    });

    it("six members voting at the same moment: every vote counted once (ETag on the tally)", async () => {
      const c = await aCase(h);
      const results = await Promise.all(members.map((m, i) => h.cw.cases.vote(m, c.id, i < 4 ? "add-medium" : "add-low", "bot")));
      assert.ok(results.every((r) => r.ok));
      const votes = await h.stores.cases.listVotes(c.id);
      assert.equal(votes.length, 6);
      const view = await h.cw.cases.get(chair, c.id);
      assert.equal(view?.ballot.progressText, "6 of 6 voted · quorum reached");
      assert.equal(view?.ballot.tally?.["add-medium"], 4);
    });

    it("shows the live tally, quorum and who has not voted; your own vote only to you (Dorset 4.4)", async () => {
      const c = await aCase(h);
      for (const m of [pam, petra, percy]) await vote(h, m, c);
      let view = (await h.cw.cases.get(pam, c.id))!;
      assert.equal(view.ballot.progressText, "3 of 6 voted · quorum not yet reached (4 needed)");
      await vote(h, polly, c, "add-low");
      view = (await h.cw.cases.get(pam, c.id))!;
      assert.equal(view.ballot.progressText, "4 of 6 voted · quorum reached");
      assert.deepEqual(view.ballot.notVoted.map((m) => m.displayName), ["Charlie Chair", "Paddy Panel"]);
      assert.equal(view.ballot.yourVote, "add-medium");
      assert.equal((await h.cw.cases.get(paddy, c.id))?.ballot.yourVote, null);
      assert.equal((await h.cw.cases.get(polly, c.id))?.ballot.yourVote, "add-low");
      const manager = (await h.cw.cases.get(max, c.id))!;
      assert.equal(manager.ballot.tally, null, "people outside the body do not see the tally while the vote is open");
      assert.equal(manager.ballot.yourVote, null);
      assert.equal(await h.cw.cases.get(persona("Ola Officer"), c.id), undefined, "an officer is not told the case exists");
    });
  });

  describe("conflicts of interest (Dorset 4.5)", () => {
    it("a declared conflict blocks the member's vote and the close until the chair rules", async () => {
      const c = await aCase(h);
      await vote(h, petra, c);
      const declared = await h.cw.cases.declareConflict(petra, c.id, "My neighbour", "bot");
      assert.ok(declared.ok);
      assert.equal(declared.view.ballot.you.conflict, "declared");
      assert.equal(declared.view.ballot.votesCast, 0, "their vote does not count while the ruling is pending");
      assert.equal(failed(await h.cw.cases.vote(petra, c.id, "add-high", "bot")).code, "CONFLICT_DECLARED");
      for (const m of [pam, percy, polly, paddy]) await vote(h, m, c);
      assert.equal(failed(await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot")).code, "CONFLICT_RULING_PENDING");

      assert.equal(failed(await h.cw.cases.ruleConflict(pam, c.id, petra.id, true, "bot")).code, "NOT_CHAIR");
      const ruled = await h.cw.cases.ruleConflict(chair, c.id, petra.id, true, "bot");
      assert.ok(ruled.ok);
      assert.equal(ruled.view.ballot.eligible, 5);
      assert.equal(ruled.view.conflicts[0]?.excluded, true);
      assert.equal(failed(await h.cw.cases.vote(petra, c.id, "add-high", "bot")).code, "MEMBER_EXCLUDED");
      assert.equal(failed(await h.cw.cases.declareConflict(petra, c.id, "Changed my mind", "bot")).code, "CONFLICT_ALREADY_RULED");
      assert.ok((await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot")).ok);
    });

    it("a member the chair lets vote can vote", async () => {
      const c = await aCase(h);
      await h.cw.cases.declareConflict(pam, c.id, "Met them once at a community event", "bot");
      await h.cw.cases.ruleConflict(chair, c.id, pam.id, false, "bot");
      assert.ok((await h.cw.cases.vote(pam, c.id, "add-low", "bot")).ok);
    });

    it("the chair does not rule on their own conflict; a register administrator records the ruling", async () => {
      const c = await aCase(h);
      await h.cw.cases.declareConflict(chair, c.id, "Related to the complainant", "bot");
      const own = failed(await h.cw.cases.ruleConflict(chair, c.id, chair.id, false, "bot"));
      assert.equal(own.code, "OWN_CONFLICT");
      assert.match(own.message, /The Monitoring Officer rules on it/);
      assert.ok((await h.cw.cases.ruleConflict(persona("Ada Admin"), c.id, chair.id, true, "bot")).ok);
      assert.equal(failed(await h.cw.cases.ruleConflict(chair, c.id, pam.id, true, "bot")).code, "NO_CONFLICT_DECLARED");
    });
  });

  describe("closing the vote", () => {
    it("only the chair closes; quorum not met changes nothing (Dorset 4.4)", async () => {
      const c = await aCase(h);
      for (const m of [pam, petra, percy]) await vote(h, m, c);
      assert.equal(failed(await h.cw.cases.close(pam, c.id, {}, "bot")).code, "NOT_CHAIR");
      const out = failed(await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot"));
      assert.equal(out.code, "QUORUM_NOT_MET");
      assert.equal(out.view?.ballot.votesCast, 3);
      assert.equal((await h.stores.cases.get(c.id))?.status, "voting");
    });

    it("Dorset 4.10: the decision record must say whether health issues were considered", async () => {
      const c = await aCase(h);
      for (const m of [pam, petra, percy, polly]) await vote(h, m, c);
      assert.equal(failed(await h.cw.cases.close(chair, c.id, {}, "bot")).code, "HEALTH_CONSIDERATION_REQUIRED");
    });

    it("writes the decision record and the register entry with the policy's dates (Dorset 4.9, 4.13.1, 5.1)", async () => {
      const c = await aCase(h, { recommendedRestrictions: [{ kind: "single-point-of-contact", params: { displayName: "Sam Spoc", mailbox: "housing.spoc@calm-demo.example" }, staffInstruction: "Only the Housing SPOC replies." }] });
      for (const m of [pam, petra, percy, polly]) await vote(h, m, c);
      await vote(h, paddy, c, "warning-letter");
      const out = await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true, note: "No known health issues" }, rationale: "Pattern of abuse" }, "bot");
      assert.ok(out.ok, JSON.stringify(out));
      const d = out.view.case.decision!;
      assert.equal(d.outcome, "add-medium");
      assert.equal(d.votesFor, 4);
      assert.equal(d.votesCast, 5);
      assert.equal(d.eligibleVoters, 6);
      assert.equal(d.quorumMet, true);
      assert.equal(d.healthConsidered?.by?.id, chair.id);
      assert.equal(out.view.case.status, "decided");
      const entry = await h.stores.register.get(out.entry!.id);
      assert.equal(entry?.riskLevel, "medium");
      assert.equal(entry?.status, "active");
      assert.equal(entry?.reference, "CAL-0001");
      assert.equal(entry?.expiresOn, "2027-11-23", "Dorset 4.13.1: removed after 12 months");
      assert.equal(entry?.nextReviewOn, "2027-11-23", "Dorset 5.1: reviewed after 12 months");
      assert.deepEqual(entry?.guidance, ["Do not meet alone."]);
      assert.equal(entry?.restrictions[0]?.endsOn, "2027-11-23");
      assert.equal(entry?.recordOwner.id, max.id, "Dorset 5.2: the presenting manager owns the record");
      assert.equal(out.view.case.entryId, entry?.id);
      assert.ok(h.changedSubjects.includes(c.subjectId), "the lookup index is told");

      const again = await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: false } }, "bot");
      assert.ok(again.ok);
      assert.equal(again.alreadyClosed, true);
      assert.equal(again.view.case.decision?.decidedAt, d.decidedAt, "closing twice changes nothing");
      assert.equal(failed(await h.cw.cases.vote(paddy, c.id, "add-high", "bot")).code, "VOTE_CLOSED");
      assert.equal(failed(await h.cw.cases.declareConflict(paddy, c.id, "late", "bot")).code, "VOTE_CLOSED");
      const entries = await h.stores.register.listBySubject(c.subjectId);
      assert.equal(entries.length, 1);
    });

    it("a tie goes back to the chair: Dorset gives no casting vote", async () => {
      const c = await aCase(h);
      for (const m of [pam, petra]) await vote(h, m, c, "add-low");
      for (const m of [percy, polly]) await vote(h, m, c, "no-action");
      assert.equal(failed(await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot")).code, "TIE");
    });

    it("no action puts nobody on the register", async () => {
      const c = await aCase(h);
      for (const m of [pam, petra, percy, polly]) await vote(h, m, c, "no-action");
      const out = await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot");
      assert.ok(out.ok);
      assert.equal(out.entry, undefined);
      assert.deepEqual(await h.stores.register.listBySubject(c.subjectId), []);
    });

    it("a vote that lands just before the chair's close is counted", async () => {
      const c = await aCase(h);
      for (const m of [pam, petra, percy]) await vote(h, m, c, "add-low");
      await vote(h, polly, c, "add-high");
      const freeze = h.stores.cases.freezeBallot.bind(h.stores.cases);
      h.stores.cases.freezeBallot = async (id) => {
        await vote(h, paddy, c, "add-low"); // lands between the close's first read and its freeze
        return freeze(id);
      };
      const out = await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot");
      assert.ok(out.ok);
      assert.equal(out.view.case.decision?.votesCast, 5, "the late vote is in the decision");
      assert.equal(out.view.case.decision?.votesFor, 4);
    });

    it("a vote that arrives while the chair is closing is refused, never acknowledged and lost", async () => {
      const c = await aCase(h);
      for (const m of [pam, petra, percy, polly]) await vote(h, m, c, "add-low");
      const getBallot = h.stores.cases.getBallot.bind(h.stores.cases);
      let late: Awaited<ReturnType<typeof h.cw.cases.vote>> | undefined;
      let tried = false;
      h.stores.cases.getBallot = async (id) => {
        const b = await getBallot(id);
        if (b && !b.open && !tried) {
          tried = true;
          late = await h.cw.cases.vote(paddy, c.id, "add-high", "bot"); // after the freeze
        }
        return b;
      };
      const out = await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot");
      assert.ok(out.ok);
      assert.equal(failed(late!).code, "VOTE_PAUSED");
      assert.equal(out.view.case.decision?.votesCast, 4);
      h.stores.cases.getBallot = getBallot;
      assert.equal((await h.stores.cases.listVotes(c.id)).length, 4, "the refused vote is not stored either");
    });

    it("a close that cannot decide opens the ballot again", async () => {
      const c = await aCase(h);
      await vote(h, pam, c, "add-low");
      assert.equal(failed(await h.cw.cases.close(chair, c.id, { healthConsidered: { considered: true } }, "bot")).code, "QUORUM_NOT_MET");
      assert.equal((await h.stores.cases.getBallot(c.id))?.open, true);
      await vote(h, petra, c, "add-low");
    });

    it("West Lindsey 11.2: where the policy sets no voting rule, the chair records the decision the body reached", async () => {
      const wl = await aCasework({ preset: "west-lindsey" });
      const c = await aCase(wl);
      const seats = c.members!;
      assert.equal(seats.length, 3, "the Determination Team's three positions");
      const voter = persona(seats[1]!.displayName, ["panel-member"]);
      await vote(wl, voter, c, "warning-letter");
      assert.equal(failed(await wl.cw.cases.close(chair, c.id, {}, "bot")).code, "NO_VOTING_RULE");
      const out = await wl.cw.cases.close(chair, c.id, { outcome: "warning-letter" }, "bot");
      assert.ok(out.ok, JSON.stringify(out));
      assert.equal(out.view.case.decision?.outcome, "warning-letter");
    });
  });

  describe("emergency addition (Dorset 4.13.2)", () => {
    async function emergency(who: Caller, over: Record<string, unknown> = {}, key = aKey()) {
      const incident = await anIncident(h);
      return h.cw.cases.emergency(who, { subjectId: incident.subjectId, incidentIds: [incident.id], summary: "Threat with a weapon at the depot.", reason: "Credible threat to staff today", actingAs: "chair", ...over }, key, "bot");
    }

    it("the chair puts the entry in force at once, pending ratification, and posts a ratification vote", async () => {
      const out = await emergency(chair);
      assert.ok(out.ok, JSON.stringify(out));
      assert.equal(out.entry.status, "pending-ratification");
      const entry = await h.stores.register.get(out.entry.id);
      assert.equal(entry?.riskLevel, "high");
      assert.equal(out.case.status, "pending-ratification");
      assert.equal(out.case.emergency?.capacity, "chair");
      assert.equal(out.ratificationCase.status, "voting");
      assert.equal(out.ratificationCase.ratifiesCaseId, out.case.id);
      assert.equal(out.ratifyBy, "2026-12-23", "by the next monthly meeting (Dorset 4.3)");
      await h.cw.cases.settled();
      assert.deepEqual(h.notifier.opened.map((c) => c.id), [out.ratificationCase.id]);
      assert.ok(h.changedSubjects.includes(out.case.subjectId));
    });

    it("is idempotent: a repeat makes no second entry or ratification case", async () => {
      const incident = await anIncident(h);
      const key = aKey();
      const draft = { subjectId: incident.subjectId, incidentIds: [incident.id], summary: "Threat with a weapon at the depot.", reason: "Credible threat", actingAs: "chair" };
      const a = await h.cw.cases.emergency(chair, draft, key, "bot");
      const b = await h.cw.cases.emergency(chair, draft, key, "bot");
      assert.ok(a.ok && b.ok);
      assert.equal(b.duplicate, true);
      assert.equal(b.ratificationCase.id, a.ratificationCase.id);
      assert.equal((await h.stores.register.listBySubject(incident.subjectId)).length, 1);
      assert.equal((await h.stores.cases.listByStatus("voting")).length, 1);
    });

    it("the deputy acts only when the chair is absent; members cannot", async () => {
      const dee = persona("Dee Deputy");
      assert.equal(failed(await emergency(dee, { actingAs: "deputy", chairAbsent: false })).code, "CHAIR_AVAILABLE");
      const ok = await emergency(dee, { actingAs: "deputy", chairAbsent: true });
      assert.ok(ok.ok);
      assert.equal(ok.case.emergency?.capacity, "deputy");
      assert.equal(failed(await emergency(pam)).code, "NOT_CHAIR");
      assert.equal(failed(await emergency(pam, { actingAs: "deputy", chairAbsent: true })).code, "NOT_DEPUTY");
    });

    it("a policy without emergency powers refuses (West Lindsey)", async () => {
      const wl = await aCasework({ preset: "west-lindsey" });
      const incident = await anIncident(wl);
      const out = failed(await wl.cw.cases.emergency(chair, { subjectId: incident.subjectId, incidentIds: [incident.id], summary: "Threat with a weapon at the depot.", reason: "x", actingAs: "chair" }, aKey(), "bot"));
      assert.equal(out.code, "NO_EMERGENCY_POWER");
    });

    it("ratified at the next meeting: the entry becomes active and the addition is marked ratified", async () => {
      const out = await emergency(chair);
      assert.ok(out.ok);
      for (const m of [pam, petra, percy, polly]) await vote(h, m, out.ratificationCase, "add-high");
      const closed = await h.cw.cases.close(chair, out.ratificationCase.id, { healthConsidered: { considered: true } }, "bot");
      assert.ok(closed.ok, JSON.stringify(closed));
      assert.equal((await h.stores.register.get(out.entry.id))?.status, "active");
      const original = await h.stores.cases.get(out.case.id);
      assert.equal(original?.status, "decided");
      assert.ok(original?.emergency?.ratifiedAt);
    });

    it("not ratified: the entry is removed", async () => {
      const out = await emergency(chair);
      assert.ok(out.ok);
      for (const m of [pam, petra, percy, polly]) await vote(h, m, out.ratificationCase, "no-action");
      assert.ok((await h.cw.cases.close(chair, out.ratificationCase.id, { healthConsidered: { considered: true } }, "bot")).ok);
      const entry = await h.stores.register.get(out.entry.id);
      assert.equal(entry?.status, "removed");
      assert.equal((await h.stores.cases.get(out.case.id))?.emergency?.ratifiedAt, undefined);
    });
  });

  it("progress text reads like EXPERIENCE.md", () => {
    assert.equal(progressText({ votesCast: 4, eligible: ["a", "b", "c", "d", "e", "f"], quorum: 4, quorumMet: true }), "4 of 6 voted · quorum reached");
    assert.equal(progressText({ votesCast: 1, eligible: ["a", "b", "c"], quorum: null, quorumMet: true }), "1 of 3 voted");
  });
});
