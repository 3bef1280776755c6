import assert from "node:assert/strict";
import { PRESETS, PRESET_IDS, emergencyAddition, immediateRestrictionGrounds, mayRestrictImmediately } from "../../../core/src/index";

const { dorset } = PRESETS;

describe("rules: emergency additions", () => {
  it("Dorset 4.13.2: the chair adds a high risk individual at once, pending ratification at the next meeting", () => {
    assert.deepEqual(emergencyAddition(dorset, { riskLevel: "high", actingAs: "chair", chairAvailable: true, on: "2026-01-31" }), {
      ok: true,
      status: "pending-ratification",
      capacity: "chair",
      deputy: "the Director for Legal and Democratic",
      ratifyAt: "next-meeting",
      ratifyBy: "2026-02-28",
      source: "Dorset 4.13.2",
    });
  });

  it("Dorset 4.3, 4.13.2: ratification is due at the next meeting when one is booked", () => {
    const result = emergencyAddition(dorset, { riskLevel: "high", actingAs: "chair", chairAvailable: true, on: "2026-01-31", nextMeetingOn: "2026-02-10" });
    assert.equal(result.ok && result.ratifyBy, "2026-02-10");
  });

  it("Dorset 4.13.2: only for high risk", () => {
    const result = emergencyAddition(dorset, { riskLevel: "medium", actingAs: "chair", chairAvailable: true, on: "2026-01-31" });
    assert.equal(!result.ok && result.code, "RISK_NOT_ELIGIBLE");
  });

  it("Dorset 4.13.2: the deputy acts only when the chair is absent", () => {
    const present = emergencyAddition(dorset, { riskLevel: "high", actingAs: "deputy", chairAvailable: true, on: "2026-01-31" });
    assert.equal(!present.ok && present.code, "CHAIR_AVAILABLE");
    const absent = emergencyAddition(dorset, { riskLevel: "high", actingAs: "deputy", chairAvailable: false, on: "2026-01-31" });
    assert.equal(absent.ok && absent.capacity, "deputy");
  });

  for (const id of PRESET_IDS.filter((p) => p !== "dorset")) {
    it(`${PRESETS[id].citeAs}: the policy gives no emergency power (NO_EMERGENCY_POWER)`, () => {
      const result = emergencyAddition(PRESETS[id], { riskLevel: "high", actingAs: "chair", chairAvailable: true, on: "2026-01-31" });
      assert.equal(!result.ok && result.code, "NO_EMERGENCY_POWER");
    });
  }
});

describe("rules: immediate restriction", () => {
  it("West Lindsey 12.3: a credible threat, threats to premises or police advice", () => {
    const wl = PRESETS["west-lindsey"];
    assert.deepEqual(immediateRestrictionGrounds(wl).map((g) => g.id), ["credible-threat-to-harm", "threat-to-damage-premises", "police-advice"]);
    assert.equal(mayRestrictImmediately(wl, "police-advice"), true);
    assert.equal(mayRestrictImmediately(wl, "rudeness"), false);
  });

  it("Dorset 4.13.2: no separate immediate-restriction grounds (the chair's emergency power instead)", () => {
    assert.deepEqual(immediateRestrictionGrounds(dorset), []);
  });
});
