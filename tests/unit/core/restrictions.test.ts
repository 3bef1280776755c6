import assert from "node:assert/strict";
import { PRESETS, RESTRICTION_KINDS, checkRestriction, offeredRestriction } from "../../../core/src/index";

const eastSuffolk = PRESETS["east-suffolk"];

describe("rules: restriction catalogue", () => {
  it("East Suffolk 4.5.2: limits on contacts per week or month", () => {
    assert.deepEqual(checkRestriction(eastSuffolk, { kind: "contact-limit", params: { contacts: 1, per: "week", maxMinutes: 15 } }), { ok: true });
    const bad = checkRestriction(eastSuffolk, { kind: "contact-limit", params: { contacts: 0, per: "fortnight" } });
    assert.ok(!bad.ok);
    assert.equal(bad.code, "RESTRICTION_INVALID");
    assert.deepEqual(bad.problems, ['"contacts" must be at least 1', '"per" must be one of week, month']);
  });

  it("East Suffolk 4.5.2: one form of contact only, from the contact channels", () => {
    assert.equal(checkRestriction(eastSuffolk, { kind: "single-channel", params: { channel: "email" } }).ok, true);
    assert.equal(checkRestriction(eastSuffolk, { kind: "single-channel", params: { channel: "carrier-pigeon" } }).ok, false);
    assert.equal(checkRestriction(eastSuffolk, { kind: "single-channel", params: {} }).ok, false);
  });

  it("Dorset 4.1, 4.11-4.12: a building ban is not among the restrictions Dorset lists", () => {
    const result = checkRestriction(PRESETS.dorset, { kind: "building-ban", params: { buildings: ["County Hall"] } });
    assert.equal(!result.ok && result.code, "RESTRICTION_NOT_OFFERED");
    assert.ok(offeredRestriction(PRESETS.dorset, "email-divert"));
  });

  it("Tamworth 8: an exclusion may be permanent in extreme cases; East Suffolk 4.5.2 does not say so", () => {
    const ban = { kind: "building-ban" as const, params: { buildings: ["Marmion House"], permanent: true } };
    assert.equal(checkRestriction(PRESETS.tamworth, ban).ok, true);
    const es = checkRestriction(eastSuffolk, ban);
    assert.ok(!es.ok);
    assert.deepEqual(es.problems, ["the policy does not allow this restriction to be permanent"]);
  });

  it("West Lindsey 15.4: withdrawing a mandatory service is a last resort", () => {
    assert.equal(offeredRestriction(PRESETS["west-lindsey"], "mandatory-service-withdrawn")?.lastResort, true);
  });

  it("refuses parameters the restriction does not have", () => {
    const result = checkRestriction(eastSuffolk, { kind: "home-visits-in-pairs", params: { visitors: 3 } });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, ['"visitors" is not a setting of this restriction']);
  });

  it("every preset offers only known restriction kinds, each once", () => {
    for (const profile of Object.values(PRESETS)) {
      const kinds = profile.restrictions.catalogue.map((r) => r.kind);
      assert.equal(new Set(kinds).size, kinds.length, profile.id);
      for (const k of kinds) assert.ok((RESTRICTION_KINDS as readonly string[]).includes(k), k);
    }
  });
});
