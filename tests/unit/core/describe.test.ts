import assert from "node:assert/strict";
import { DEFAULT_REGISTER_NAME, PRESETS, PRESET_IDS, describeProfile, describeProfileText, registerName } from "../../../core/src/index";

describe("policy: plain-language description", () => {
  for (const id of PRESET_IDS) {
    it(`${id}: every section has plain sentences, no code words`, () => {
      const sections = describeProfile(PRESETS[id]);
      assert.deepEqual(sections.map((s) => s.heading), [
        "The register",
        "Who decides",
        "Risk levels",
        "How long entries last",
        "Reviews",
        "Warnings",
        "Appeals",
        "Who can see the register",
        "Restrictions the council can use",
        "Letters",
        "Records and reporting",
      ]);
      for (const section of sections) {
        assert.ok(section.lines.length > 0, section.heading);
        for (const line of section.lines) {
          assert.doesNotMatch(line, /undefined|null|\[object|working-days|"count"/, line);
          assert.match(line, /[.)]$/, `ends as a sentence: ${line}`);
        }
      }
    });
  }

  it("Dorset: names the schedule, cites its sections, and says removal is never told (5.1)", () => {
    const text = describeProfileText(PRESETS.dorset).join("\n");
    assert.match(text, /The register is called the Unreasonable Behaviours schedule\. \(Dorset 4\.1\)/);
    assert.match(text, /At least 4 members must vote for a decision to count\. \(Dorset 4\.4\)/);
    assert.match(text, /within 28 working days of the day they were told\. Weekends and bank holidays in England and Wales do not count\. \(Dorset 6\.1\)/);
    assert.match(text, /The customer is never told when they are removed\. \(Dorset 5\.1\)/);
  });

  it("West Lindsey and Tamworth name no register: the description says so and uses CALM's name", () => {
    assert.equal(registerName(PRESETS["west-lindsey"]), DEFAULT_REGISTER_NAME);
    assert.match(describeProfileText(PRESETS["west-lindsey"])[1] ?? "", /names no register.*Customer Alert List/);
    assert.equal(registerName(PRESETS["east-suffolk"]), "Customer Alert List");
  });

  it("Tamworth: says where the policy is silent instead of inventing a rule", () => {
    const text = describeProfileText(PRESETS.tamworth).join("\n");
    assert.match(text, /The policy sets no review cycle/);
    assert.match(text, /The appeal must be decided within 6 weeks of being received\. \(Tamworth 10\)/);
  });

  it("text form: headings, then bulleted lines, sections separated by a blank line", () => {
    const lines = describeProfileText(PRESETS["east-suffolk"]);
    assert.equal(lines[0], "The register");
    assert.ok(lines[1]!.startsWith("- "));
    assert.ok(lines.includes(""));
  });
});
