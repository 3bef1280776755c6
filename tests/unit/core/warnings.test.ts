import assert from "node:assert/strict";
import { PRESETS, nextWarningStep } from "../../../core/src/index";

const westOxfordshire = PRESETS["west-oxfordshire"];
const eastSuffolk = PRESETS["east-suffolk"];
const westLindsey = PRESETS["west-lindsey"];

describe("rules: warning ladder", () => {
  it("West Oxfordshire Steps 1-3: verbal, then informal written, then formal written with restrictions", () => {
    const first = nextWarningStep(westOxfordshire, { priorWarnings: [], category: "verbal-abuse" });
    assert.deepEqual(first, { kind: "warning", step: "verbal", label: "A verbal warning", withRestrictions: false, bypassed: false, source: "West Oxfordshire, Steps 1-3" });
    assert.equal(nextWarningStep(westOxfordshire, { priorWarnings: ["verbal"], category: "verbal-abuse" }).kind, "warning");
    const third = nextWarningStep(westOxfordshire, { priorWarnings: ["verbal", "informal-written"], category: "unreasonably-persistent-contact" });
    assert.equal(third.kind === "warning" && third.step, "formal-written");
    assert.equal(third.kind === "warning" && third.withRestrictions, true);
    assert.deepEqual(nextWarningStep(westOxfordshire, { priorWarnings: ["verbal", "informal-written", "formal-written"], category: "verbal-abuse" }), {
      kind: "restrict",
      bypassed: false,
      source: "West Oxfordshire, Steps 1-3",
    });
  });

  it("West Oxfordshire Step 2: violence or serious threats bypass Steps 1 and 2 (straight to Step 3)", () => {
    const result = nextWarningStep(westOxfordshire, { priorWarnings: [], category: "physical-assault" });
    assert.equal(result.kind, "warning");
    assert.equal(result.kind === "warning" && result.step, "formal-written");
    assert.equal(result.kind === "warning" && result.bypassed, true);
  });

  it("East Suffolk 4.4: informal, then a warning letter without restrictions, then restrictions", () => {
    const one = nextWarningStep(eastSuffolk, { priorWarnings: [], category: "unreasonably-persistent-contact" });
    assert.equal(one.kind === "warning" && one.step, "verbal");
    const two = nextWarningStep(eastSuffolk, { priorWarnings: ["verbal"], category: "unreasonably-persistent-contact" });
    assert.equal(two.kind === "warning" && two.step, "formal-written");
    assert.equal(two.kind === "warning" && two.withRestrictions, false);
    assert.equal(nextWarningStep(eastSuffolk, { priorWarnings: ["verbal", "formal-written"], category: "verbal-abuse" }).kind, "restrict");
  });

  it("East Suffolk 4.4: violence or serious threats skip the warning stage", () => {
    for (const category of ["verbal-threat", "physical-violence-no-injury", "physical-assault"] as const) {
      assert.deepEqual(nextWarningStep(eastSuffolk, { priorWarnings: [], category }), { kind: "restrict", bypassed: true, source: "East Suffolk 4.4" });
    }
  });

  it("West Lindsey 10-11: informal warning, then formal written warning", () => {
    const one = nextWarningStep(westLindsey, { priorWarnings: [], category: "verbal-abuse" });
    assert.equal(one.kind === "warning" && one.step, "verbal");
    const two = nextWarningStep(westLindsey, { priorWarnings: ["verbal"], category: "verbal-abuse" });
    assert.equal(two.kind === "warning" && two.step, "formal-written");
  });

  it("West Lindsey 12.1: serious cases are restricted without warnings", () => {
    assert.deepEqual(nextWarningStep(westLindsey, { priorWarnings: [], category: "verbal-threat" }), { kind: "restrict", bypassed: true, source: "West Lindsey 12.1" });
  });

  it("Dorset 4.8 and Tamworth 8: no warning ladder", () => {
    assert.deepEqual(nextWarningStep(PRESETS.dorset, { priorWarnings: [], category: "verbal-abuse" }), { kind: "no-ladder", source: "Dorset 4.8" });
    assert.deepEqual(nextWarningStep(PRESETS.tamworth, { priorWarnings: [], category: "verbal-abuse" }), { kind: "no-ladder" });
  });
});
