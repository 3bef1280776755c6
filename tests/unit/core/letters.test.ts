import assert from "node:assert/strict";
import { PRESETS, additionLetterType, letterRequirements, missingParts, requiredParts } from "../../../core/src/index";

const { dorset, tamworth } = PRESETS;
const eastSuffolk = PRESETS["east-suffolk"];
const westLindsey = PRESETS["west-lindsey"];
const westOxfordshire = PRESETS["west-oxfordshire"];

describe("rules: letters", () => {
  it("Dorset 4.13.1: the low/medium letter describes the incident, why, consequences, the 12-month removal and review", () => {
    assert.deepEqual(requiredParts(dorset, "restriction"), ["incident-details", "why-unreasonable", "breach-consequences", "register-entry-and-removal", "appeal-rights"]);
    assert.deepEqual(missingParts(dorset, "restriction", ["incident-details", "why-unreasonable", "appeal-rights"]), ["breach-consequences", "register-entry-and-removal"]);
    assert.deepEqual(missingParts(dorset, "restriction", requiredParts(dorset, "restriction")), []);
  });

  it("Dorset 4.13.1: a SPOC only where relevant, and an Equality and Diversity questionnaire goes with it", () => {
    const req = letterRequirements(dorset, "restriction");
    assert.ok(req.ifRelevant.some((p) => p.part === "single-point-of-contact"));
    assert.equal(req.equalityQuestionnaire, true);
    assert.equal(req.source, "Dorset 4.13.1");
    assert.equal(req.sender, "the relevant Operations Manager (or equivalent)");
  });

  it("Dorset 4.13.3: high risk gets the legal letter, which must include a cease and desist requirement", () => {
    assert.equal(additionLetterType(dorset, "high"), "legal-cease-and-desist");
    assert.equal(additionLetterType(dorset, "medium"), "restriction");
    assert.ok(requiredParts(dorset, "legal-cease-and-desist").includes("cease-and-desist"));
    assert.ok(missingParts(dorset, "legal-cease-and-desist", requiredParts(dorset, "restriction")).includes("cease-and-desist"));
  });

  it("Dorset 5.1: no review outcome letter (removal is not communicated)", () => {
    assert.deepEqual(requiredParts(dorset, "review-outcome"), []);
    assert.equal(letterRequirements(dorset, "review-outcome").defined, false);
  });

  it("East Suffolk 4.5: incidents, restrictions, reasons, consequences, appeal, review date", () => {
    assert.deepEqual(requiredParts(eastSuffolk, "restriction"), ["incident-details", "contact-restrictions", "why-unreasonable", "breach-consequences", "appeal-rights", "review-date"]);
    assert.equal(additionLetterType(eastSuffolk, "high"), "restriction");
  });

  it("West Lindsey 11.4: every letter checks for reasonable adjustments and explains complaints and the Ombudsman", () => {
    for (const type of ["warning", "restriction"] as const) {
      const parts = requiredParts(westLindsey, type);
      assert.ok(parts.includes("reasonable-adjustments-check"), type);
      assert.ok(parts.includes("complaints-and-ombudsman"), type);
      assert.ok(parts.includes("monitoring-period"), type);
    }
  });

  it("West Lindsey 11.3: a letter for a homeless customer is held at reception", () => {
    assert.equal(letterRequirements(westLindsey, "warning", { noFixedAddress: true }).holdAtReception, true);
    assert.equal(letterRequirements(westLindsey, "warning", { noFixedAddress: false }).holdAtReception, false);
    assert.equal(letterRequirements(dorset, "restriction", { noFixedAddress: true }).holdAtReception, false, "Dorset is silent");
  });

  it("West Oxfordshire Steps 2-3: expected behaviour; then a request to cease, with the restrictions", () => {
    assert.deepEqual(requiredParts(westOxfordshire, "warning"), ["expected-behaviour"]);
    assert.deepEqual(requiredParts(westOxfordshire, "restriction"), ["cease-request", "contact-restrictions"]);
  });

  it("Tamworth 9: why, the action, its proposed duration and how to appeal", () => {
    assert.deepEqual(requiredParts(tamworth, "restriction"), ["why-unreasonable", "contact-restrictions", "proposed-duration", "appeal-rights"]);
    assert.deepEqual(missingParts(tamworth, "restriction", ["why-unreasonable", "contact-restrictions"]), ["proposed-duration", "appeal-rights"]);
  });

  it("unknown parts a letter claims to have do not satisfy a requirement", () => {
    assert.deepEqual(missingParts(tamworth, "restriction", ["why", "contact", "duration", "appeal"]), requiredParts(tamworth, "restriction"));
  });
});
