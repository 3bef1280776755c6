import assert from "node:assert/strict";
import type { Case, DecisionRecord } from "../../../core/src/domain";
import { entryIdForCase, riskForOutcome } from "../../../bot/src/services/register";
import { anEntry, aSubject } from "../../support/fixtures";
import { aCasework, aKey, aReport, NOW, persona, type CaseworkHarness } from "../../support/casework";

const chair = persona("Charlie Chair", ["chair"]);

async function decidedCase(h: CaseworkHarness, category: string, outcome: DecisionRecord["outcome"], subjectId?: string): Promise<{ c: Case; decision: DecisionRecord }> {
  const report = await h.cw.incidents.report(persona("Ola Officer"), aReport({ category, ...(subjectId ? { subject: { existingId: subjectId } } : {}) }), aKey(), "bot");
  assert.ok(report.ok);
  const decision: DecisionRecord = { outcome, decidedAt: NOW, decidedBy: [], votesFor: 1, votesCast: 1, eligibleVoters: 1, quorumMet: true, restrictions: [] };
  const c: Case = {
    id: `case-${aKey()}`, reference: "CASE-0009", subjectId: report.incident.subjectId, incidentIds: [report.incident.id], recommendedOutcome: outcome, recommendedRestrictions: [],
    presentingManager: { id: "m", displayName: "Max Manager" }, summary: "A summary without names.", status: "decided", referredAt: NOW, decision,
  };
  return { c, decision };
}

describe("RegisterService: decisions onto the one register", () => {
  it("East Suffolk 4.5.1: expiry by incident category; review 6-monthly (East Suffolk 4.7)", async () => {
    const h = await aCasework({ preset: "east-suffolk" });
    const { c, decision } = await decidedCase(h, "physical-assault", "add-high");
    const entry = await h.cw.register.applyDecision({ case: c, decision, status: "active", actor: chair });
    assert.equal(entry?.expiresOn, "2030-11-23", "physical assault: 4 years");
    assert.equal(entry?.nextReviewOn, "2027-05-23");
    assert.equal(entry?.id, entryIdForCase(c.id));
    assert.deepEqual(entry?.categories, ["physical-assault"]);
  });

  it("East Suffolk 3.1: one register, no copies — a second decision changes the subject's entry", async () => {
    const h = await aCasework({ preset: "east-suffolk" });
    const first = await decidedCase(h, "verbal-abuse", "add-low");
    const a = await h.cw.register.applyDecision({ case: first.c, decision: first.decision, status: "active", actor: chair });
    const second = await decidedCase(h, "verbal-threat", "add-medium", first.c.subjectId);
    const b = await h.cw.register.applyDecision({ case: second.c, decision: second.decision, status: "active", actor: chair });
    assert.equal(b?.id, a?.id);
    assert.equal(b?.riskLevel, "medium");
    assert.deepEqual(b?.categories, ["verbal-abuse", "verbal-threat"]);
    assert.equal((await h.stores.register.listBySubject(first.c.subjectId)).length, 1);
  });

  it("applying the same decision again changes nothing (a retry converges)", async () => {
    const h = await aCasework();
    const { c, decision } = await decidedCase(h, "verbal-abuse", "add-medium");
    const a = await h.cw.register.applyDecision({ case: c, decision, status: "active", actor: chair });
    const b = await h.cw.register.applyDecision({ case: c, decision, status: "active", actor: chair });
    assert.equal(b?.etag, a?.etag);
  });

  it("West Oxfordshire UCBR: a premises risk may stay indefinitely — no expiry, a 6-monthly review", async () => {
    const h = await aCasework({ preset: "west-oxfordshire" });
    const { c, decision } = await decidedCase(h, "premises-risk", "add-high");
    const entry = await h.cw.register.applyDecision({ case: c, decision, status: "active", actor: chair });
    assert.equal(entry?.expiresOn, undefined);
    assert.equal(entry?.nextReviewOn, "2027-05-23");
  });

  it("outcomes that add nobody: warning letter, SPOC only (Dorset 4.11), no action", async () => {
    assert.equal(riskForOutcome("warning-letter"), undefined);
    assert.equal(riskForOutcome("spoc-only"), undefined);
    assert.equal(riskForOutcome("no-action"), undefined);
    const h = await aCasework();
    const { c, decision } = await decidedCase(h, "verbal-abuse", "spoc-only");
    assert.equal(await h.cw.register.applyDecision({ case: c, decision, status: "active", actor: chair }), undefined);
  });

  it("Dorset 8.1: a new incident brings the review forward; West Lindsey is silent so nothing moves", async () => {
    const h = await aCasework();
    const s = await h.stores.subjects.create(aSubject());
    const e = await h.stores.register.create(anEntry(s.id, "low", { nextReviewOn: "2027-06-01" }));
    const moved = await h.cw.register.incidentReported(s.id, "2026-11-20");
    assert.deepEqual(moved.map((m) => [m.nextReviewOn, m.source]), [["2026-11-20", "Dorset 8.1"]]);
    assert.equal((await h.stores.register.get(e.id))?.nextReviewOn, "2026-11-20");
    const wl = await aCasework({ preset: "west-lindsey" });
    const s2 = await wl.stores.subjects.create(aSubject());
    await wl.stores.register.create(anEntry(s2.id, "low", { nextReviewOn: "2027-06-01" }));
    assert.deepEqual(await wl.cw.register.incidentReported(s2.id, "2026-11-20"), []);
  });
});
