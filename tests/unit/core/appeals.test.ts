import assert from "node:assert/strict";
import { PRESETS, canDecideAppeal } from "../../../core/src/index";

describe("rules: who may decide an appeal", () => {
  it("West Oxfordshire, Appeal: an officer who was involved in the original decision may not decide it", () => {
    const wo = PRESETS["west-oxfordshire"];
    const involved = canDecideAppeal(wo, { roles: ["appeal-officer"], involvedInDecision: true });
    assert.ok(!involved.ok);
    assert.equal(involved.code, "INVOLVED_IN_DECISION");
    assert.equal(involved.source, "West Oxfordshire, Appeal");
    assert.deepEqual(canDecideAppeal(wo, { roles: ["appeal-officer"], involvedInDecision: false }), { ok: true, source: "West Oxfordshire, Appeal" });
  });

  it("Dorset 6.1: the policy is silent, so CALM is safe by default and refuses an officer involved in the decision", () => {
    const result = canDecideAppeal(PRESETS.dorset, { roles: ["appeal-officer"], involvedInDecision: true });
    assert.ok(!result.ok);
    assert.equal(result.code, "INVOLVED_IN_DECISION");
  });

  it("only a profile that says so in so many words lets an involved officer decide, with a good-practice note", () => {
    const lenient = { ...PRESETS.dorset, appeal: { ...PRESETS.dorset.appeal, deciderMustNotHaveBeenInvolved: false } };
    const result = canDecideAppeal(lenient, { roles: ["appeal-officer"], involvedInDecision: true });
    assert.ok(result.ok);
    assert.match(result.note ?? "", /good practice/);
  });

  it("East Suffolk 3.2: appeals go to the Head of Customer Services; the policy states no general independence rule", () => {
    const es = PRESETS["east-suffolk"];
    assert.deepEqual(canDecideAppeal(es, { roles: ["appeal-officer"], involvedInDecision: false }), { ok: true, source: "East Suffolk 4.6" });
    const manager = canDecideAppeal(es, { roles: ["manager"], involvedInDecision: false });
    assert.match(!manager.ok ? manager.message : "", /Head of Customer Services, Marketing and Communications/);
  });

  it("Tamworth 4, 10: only an appeal officer (a CMT member) decides", () => {
    const result = canDecideAppeal(PRESETS.tamworth, { roles: ["manager"], involvedInDecision: false });
    assert.ok(!result.ok);
    assert.equal(result.code, "NOT_AN_APPEAL_OFFICER");
    assert.match(result.message, /a member of the Corporate Management Team/);
  });

  it("West Lindsey 11.4, 17.1: challenges go through the complaints process, not an appeal", () => {
    const result = canDecideAppeal(PRESETS["west-lindsey"], { roles: ["appeal-officer"], involvedInDecision: false });
    assert.equal(!result.ok && result.code, "NO_APPEAL_ROUTE");
  });
});
