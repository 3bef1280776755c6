import assert from "node:assert/strict";
import {
  PRESETS,
  PRESET_IDS,
  getPreset,
  noteOf,
  sourceOf,
  validateProfile,
  type PolicyProfile,
} from "../../../core/src/index";

const clone = (p: PolicyProfile): Record<string, unknown> => structuredClone(p);

/** Every path in the profile whose value is null (the policy is silent). */
function nullPaths(value: unknown, path: string[] = []): string[] {
  if (value === null) return [path.join(".")];
  if (typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => nullPaths(v, [...path, k]));
}

function noteOnPathOrParent(profile: PolicyProfile, path: string): string | undefined {
  const segments = path.split(".");
  for (let i = segments.length; i > 0; i--) {
    const note = noteOf(profile, segments.slice(0, i).join("."));
    if (note) return note;
  }
  return undefined;
}

describe("policy presets", () => {
  it("has exactly the five presets, with these ids", () => {
    assert.deepEqual([...PRESET_IDS], ["dorset", "east-suffolk", "west-oxfordshire", "west-lindsey", "tamworth"]);
    assert.deepEqual(Object.keys(PRESETS).sort(), [...PRESET_IDS].sort());
    for (const id of PRESET_IDS) assert.equal(getPreset(id)?.id, id);
    assert.equal(getPreset("somewhere-else"), undefined);
  });

  for (const id of PRESET_IDS) {
    describe(id, () => {
      const profile = PRESETS[id];

      it("parses with the schema, also after a JSON round trip", () => {
        const direct = validateProfile(profile);
        assert.ok(direct.ok, JSON.stringify(!direct.ok && direct.errors));
        const viaJson = validateProfile(JSON.parse(JSON.stringify(profile)));
        assert.ok(viaJson.ok, JSON.stringify(!viaJson.ok && viaJson.errors));
      });

      it("says why wherever its policy is silent (every null field has a note)", () => {
        const unexplained = nullPaths(profile).filter((p) => !p.startsWith("sources") && !p.startsWith("notes") && noteOnPathOrParent(profile, p) === undefined);
        assert.deepEqual(unexplained, []);
      });

      it(`cites its own policy ("${profile.citeAs} …") in every source`, () => {
        for (const source of Object.values(profile.sources)) assert.ok(source.startsWith(profile.citeAs), source);
        assert.ok(sourceOf(profile, "decisionBody"), "the decision body is cited");
        assert.ok(sourceOf(profile, "restrictions"), "the restriction catalogue is cited");
      });

      it("is frozen, so no caller can change the policy in force by accident", () => {
        assert.ok(Object.isFrozen(profile));
        assert.ok(Object.isFrozen(profile.appeal));
      });
    });
  }
});

describe("validateProfile", () => {
  it("names each bad field in plain words", () => {
    const bad = clone(PRESETS.dorset);
    (bad.appeal as Record<string, unknown>).window = { count: 28, unit: "fortnights" };
    (bad.decisionBody as Record<string, unknown>).quorum = "four";
    const result = validateProfile(bad);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((e) => e.path).sort(),
      ["appeal.window.unit", "decisionBody.quorum"],
    );
    const unit = result.errors.find((e) => e.path === "appeal.window.unit")!;
    assert.match(unit.message, /must be one of "days", "working-days", "weeks", "months", "years" \(got "fortnights"\)/);
    assert.match(result.errors.find((e) => e.path === "decisionBody.quorum")!.message, /must be a number \(got "four"\)/);
  });

  it("says a missing field is missing, and an unknown field is unknown", () => {
    const bad = clone(PRESETS["east-suffolk"]);
    delete bad.retention;
    bad.quorm = 3;
    const result = validateProfile(bad);
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, [
      { path: "retention", message: "is missing" },
      { path: "quorm", message: "is not a field CALM knows. Check the spelling, or remove it" },
    ]);
  });

  it("checks the rules between fields (quorum within the membership, a chair for emergency powers)", () => {
    const bad = clone(PRESETS.dorset);
    const body = bad.decisionBody as { quorum: number; members: { chair: boolean }[] };
    body.quorum = 7;
    for (const m of body.members) m.chair = false;
    const result = validateProfile(bad);
    assert.ok(!result.ok);
    assert.ok(result.errors.some((e) => e.path === "decisionBody.quorum" && /more than the 6 members/.test(e.message)));
    assert.ok(result.errors.some((e) => e.path === "decisionBody.emergency" && /needs a chair/.test(e.message)));
  });

  it("refuses a citation or note that points at no field", () => {
    const bad = clone(PRESETS.tamworth);
    (bad.sources as Record<string, string>)["appeal.windw"] = "Tamworth 10";
    const result = validateProfile(bad);
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, [{ path: "sources.appeal.windw", message: 'names "appeal.windw", which is not a field of the profile' }]);
  });

  it("reports a wrong expiry in an incident category", () => {
    const bad = clone(PRESETS["east-suffolk"]);
    (bad.expiry as { byCategory: Record<string, unknown> }).byCategory["physical-assault"] = { count: 0, unit: "years" };
    (bad.expiry as { byCategory: Record<string, unknown> }).byCategory["shouting"] = "indefinite";
    const result = validateProfile(bad);
    assert.ok(!result.ok);
    assert.ok(result.errors.some((e) => e.path === "expiry.byCategory.physical-assault.count" && e.message === "must be at least 1 (got 0)"), JSON.stringify(result.errors));
    assert.ok(result.errors.some((e) => e.path === "expiry.byCategory.shouting"), JSON.stringify(result.errors));
  });

  it("explains wrong periods, unknown roles and restriction parameter types in plain words", () => {
    const bad = clone(PRESETS.dorset) as { expiry: { default: unknown }; access: { roles: Record<string, unknown> }; restrictions: { catalogue: { params: Record<string, unknown> }[] } };
    bad.expiry.default = "forever";
    bad.access.roles.janitor = bad.access.roles.officer;
    delete bad.access.roles.auditor;
    bad.restrictions.catalogue[0]!.params.colour = { type: "colour", required: true };
    const result = validateProfile(bad);
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, [
      { path: "expiry.default", message: 'must be a period such as {"count": 6, "unit": "months"}, or "indefinite" (got "forever")' },
      { path: "access.roles.auditor", message: "is missing" },
      { path: "access.roles.janitor", message: "is not a field CALM knows. Check the spelling, or remove it" },
      { path: "restrictions.catalogue[0].params.colour.type", message: 'must be one of "integer", "text", "text-list", "boolean", "choice", "choice-list" (got "colour")' },
    ]);
  });

  it("refuses something that is not an object at all", () => {
    for (const input of [null, 3, "dorset", []]) {
      const result = validateProfile(input);
      assert.ok(!result.ok);
      assert.equal(result.errors[0]!.path, "(profile)");
    }
  });

  it("accepts a council's own profile built from a preset", () => {
    const own = clone(PRESETS.dorset);
    own.id = "example-council";
    own.council = "Example Council";
    own.citeAs = "Example";
    own.sources = { "appeal.window": "Example 6.1" };
    const result = validateProfile(own);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(sourceOf(result.profile, "appeal.window"), "Example 6.1");
    assert.equal(sourceOf(result.profile, "review.interval"), undefined);
  });
});
