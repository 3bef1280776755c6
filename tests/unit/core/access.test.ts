import assert from "node:assert/strict";
import { PRESETS, PRESET_IDS, RISK_LEVELS, canSeeSensitive, entryViewFor, hasRegisterAccess } from "../../../core/src/index";

const { dorset } = PRESETS;
const eastSuffolk = PRESETS["east-suffolk"];
const westOxfordshire = PRESETS["west-oxfordshire"];
const person = (riskLevel: (typeof RISK_LEVELS)[number]) => ({ riskLevel, isPremises: false });
const premises = (riskLevel: (typeof RISK_LEVELS)[number]) => ({ riskLevel, isPremises: true });

describe("rules: access tiers", () => {
  it("Dorset 7.1: staff (e.g. home visitors) see Medium and High only; Low is hidden from them", () => {
    assert.equal(entryViewFor(dorset, ["officer"], person("high")), "summary");
    assert.equal(entryViewFor(dorset, ["officer"], person("medium")), "summary");
    assert.equal(entryViewFor(dorset, ["officer"], person("low")), "hidden");
  });

  it("Dorset 7.1-7.2: an access grant from the panel widens what a member of staff sees", () => {
    const customerServices = [{ tiers: [...RISK_LEVELS], includesPremises: true }];
    assert.equal(entryViewFor(dorset, ["officer"], person("low"), customerServices), "summary");
  });

  it("Dorset 7.1: elected councillors have access (summary, never history)", () => {
    for (const level of RISK_LEVELS) assert.equal(entryViewFor(dorset, ["councillor"], person(level)), "summary");
  });

  it("Dorset 4.2, 5.2: the panel and record owners see the full entry", () => {
    assert.equal(entryViewFor(dorset, ["panel-member"], person("low")), "full");
    assert.equal(entryViewFor(dorset, ["manager"], person("high")), "full");
  });

  it("East Suffolk 3.3: councillors and contractors without CAL access get \"take care\" guidance only", () => {
    for (const level of RISK_LEVELS) {
      assert.equal(entryViewFor(eastSuffolk, ["councillor"], person(level)), "minimum");
      assert.equal(entryViewFor(eastSuffolk, ["contractor"], person(level)), "minimum");
    }
  });

  it("East Suffolk 3.1: staff see the CAL (summary at every level)", () => {
    for (const level of RISK_LEVELS) assert.equal(entryViewFor(eastSuffolk, ["officer"], person(level)), "summary");
  });

  for (const id of ["west-lindsey", "tamworth", "west-oxfordshire"] as const) {
    it(`${PRESETS[id].citeAs}: staff see a summary, councillors and contractors "take care" guidance (CALM defaults where the policy is silent)`, () => {
      for (const level of RISK_LEVELS) {
        assert.equal(entryViewFor(PRESETS[id], ["officer"], person(level)), "summary");
        assert.equal(entryViewFor(PRESETS[id], ["councillor"], person(level)), "minimum");
        assert.equal(entryViewFor(PRESETS[id], ["contractor"], person(level)), "minimum");
      }
    });
  }

  it("a caller with several roles gets the most generous view", () => {
    assert.equal(entryViewFor(eastSuffolk, ["councillor", "register-admin"], person("low")), "full");
    assert.equal(entryViewFor(dorset, ["officer", "contractor"], person("low")), "minimum");
    assert.equal(entryViewFor(dorset, [], person("high")), "hidden");
  });

  it("West Oxfordshire, Premise Risk: premises entries are shown; East Suffolk has none, so any are hidden", () => {
    assert.equal(entryViewFor(westOxfordshire, ["officer"], premises("high")), "summary");
    assert.equal(entryViewFor(eastSuffolk, ["register-admin"], premises("high")), "hidden");
  });

  it("auditors see nothing through a lookup (CALM default in every preset)", () => {
    for (const id of PRESET_IDS) assert.equal(entryViewFor(PRESETS[id], ["auditor"], person("high")), "hidden", id);
  });

  it("people without register access never see history, in any preset", () => {
    for (const id of PRESET_IDS) {
      for (const level of RISK_LEVELS) {
        assert.notEqual(entryViewFor(PRESETS[id], ["contractor"], person(level)), "full", id);
        assert.notEqual(entryViewFor(PRESETS[id], ["councillor"], person(level)), "full", id);
      }
    }
  });

  it("Dorset 4.10: special-category data is for the decision body only", () => {
    for (const id of PRESET_IDS) {
      assert.equal(canSeeSensitive(PRESETS[id], ["panel-member"]), true, id);
      assert.equal(canSeeSensitive(PRESETS[id], ["chair", "officer"]), true, id);
      for (const role of ["officer", "manager", "register-admin", "councillor", "contractor", "appeal-officer", "auditor"] as const) {
        assert.equal(canSeeSensitive(PRESETS[id], [role]), false, `${id} ${role}`);
      }
    }
  });

  it("hasRegisterAccess: staff yes, councillors in East Suffolk no (3.3), unless granted", () => {
    assert.equal(hasRegisterAccess(eastSuffolk, ["officer"]), true);
    assert.equal(hasRegisterAccess(eastSuffolk, ["councillor"]), false);
    assert.equal(hasRegisterAccess(eastSuffolk, ["councillor"], [{ tiers: ["high"], includesPremises: false }]), true);
    assert.equal(hasRegisterAccess(dorset, ["auditor"]), false);
  });
});
