import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRESETS, PRESET_IDS, PROFILE_FIELDS, fieldSummary, pathExists, policyProfileSchema, profileFieldTable } from "../../../core/src/index";

describe("policy: field table (docs/policy.md)", () => {
  it("documents a field of every section of the schema", () => {
    const meta = new Set(["id", "council", "citeAs", "policy", "sources", "notes"]);
    const sections = Object.keys(policyProfileSchema.shape).filter((k) => !meta.has(k));
    for (const section of sections) assert.ok(PROFILE_FIELDS.some((f) => f.path.split(".")[0] === section), section);
  });

  it("names only real fields", () => {
    for (const field of PROFILE_FIELDS) {
      const inSome = PRESET_IDS.some((id) => pathExists(PRESETS[id], field.path) || PRESETS[id][field.path.split(".")[0] as "warnings"] === null);
      assert.ok(inSome, field.path);
    }
  });

  it("gives each preset's value with its section (Dorset 6.1: 28 working days)", () => {
    assert.equal(fieldSummary(PRESETS.dorset, "appeal.window"), "28 working days (§6.1)");
    assert.equal(fieldSummary(PRESETS.tamworth, "review.interval"), "not set");
    assert.equal(fieldSummary(PRESETS["west-oxfordshire"], "appeal.windowStartsFrom"), "decision (§Appeal)");
  });

  it("docs/policy.md carries the current table", () => {
    const doc = readFileSync(join(__dirname, "..", "..", "..", "docs", "policy.md"), "utf8");
    const table = /<!-- fields:start -->\n([\s\S]*?)\n<!-- fields:end -->/.exec(doc)?.[1];
    assert.ok(table, "the table markers are present");
    assert.equal(table, profileFieldTable(PRESET_IDS.map((id) => PRESETS[id])).join("\n"), "run `npx calm policy fields` and paste the output into docs/policy.md");
  });
});
