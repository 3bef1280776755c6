// Runs the real CLI (`node bin/calm.js …`) and checks its output and exit codes: 0 done, 1 not valid,
// 2 used wrongly.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..", "..");
const BIN = join(ROOT, "bin", "calm.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function calm(...args: string[]): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function oneLineError(run: Run): string {
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line on stderr, got: ${run.stderr}`);
  return lines[0]!;
}

describe("cli: calm policy", function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "calm-cli-"));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("policy list: the five presets, exit 0", () => {
    const run = calm("policy", "list");
    assert.equal(run.code, 0);
    const ids = run.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(ids, ["dorset", "east-suffolk", "west-oxfordshire", "west-lindsey", "tamworth"]);
  });

  it("policy show <preset>: the preset as JSON, exit 0", () => {
    const run = calm("policy", "show", "west-oxfordshire");
    assert.equal(run.code, 0);
    const profile = JSON.parse(run.stdout) as { id: string; register: { shortName: string } };
    assert.equal(profile.id, "west-oxfordshire");
    assert.equal(profile.register.shortName, "UCBR");
  });

  it("policy show <unknown>: one-line error, exit 2", () => {
    const run = calm("policy", "show", "atlantis");
    assert.equal(run.code, 2);
    assert.match(oneLineError(run), /unknown preset "atlantis"\. Use one of: dorset, east-suffolk/);
  });

  it("policy validate: a valid profile (a preset saved by show) exits 0", () => {
    const file = join(dir, "dorset.json");
    writeFileSync(file, calm("policy", "show", "dorset").stdout);
    const run = calm("policy", "validate", file);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /is a valid policy profile: dorset \(Dorset Council\)/);
  });

  it("policy validate: an invalid profile names each bad field, exit 1", () => {
    const profile = JSON.parse(calm("policy", "show", "tamworth").stdout) as Record<string, Record<string, unknown>>;
    profile.appeal!.window = { count: 1, unit: "moons" };
    profile.decisionBody!.quorom = 3;
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(profile));
    const run = calm("policy", "validate", file);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /is not a valid policy profile/);
    assert.match(run.stderr, /- appeal\.window\.unit: must be one of "days", "working-days", "weeks", "months", "years" \(got "moons"\)/);
    assert.match(run.stderr, /- decisionBody\.quorom: is not a field CALM knows/);
  });

  it("policy validate: a file that is not JSON is invalid, exit 1", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ not json");
    const run = calm("policy", "validate", file);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /is not valid JSON/);
  });

  it("policy validate: a missing file is a usage error, exit 2", () => {
    const run = calm("policy", "validate", join(dir, "nowhere.json"));
    assert.equal(run.code, 2);
    assert.match(oneLineError(run), /cannot read .*nowhere\.json \(ENOENT\)/);
  });

  it("policy explain: Dorset 6.1 across Christmas prints exactly one JSON object, exit 0", () => {
    const run = calm("policy", "explain", "dorset", "--decided", "2026-12-15", "--notified", "2026-12-18", "--category", "verbal-threat");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    assert.deepEqual(JSON.parse(run.stdout), {
      expiresOn: "2027-12-15",
      nextReviewOn: "2027-12-15",
      appealBy: "2027-02-01",
      appealDecisionBy: null,
      sources: ["Dorset 4.13.1", "Dorset 5.1", "Dorset 6.1"],
    });
  });

  it("policy explain: Tamworth 10 with --appeal-received (and --option=value form)", () => {
    const run = calm("policy", "explain", "tamworth", "--decided=2026-01-20", "--notified=2026-01-31", "--appeal-received=2026-02-10");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      expiresOn: null,
      nextReviewOn: null,
      appealBy: "2026-02-28",
      appealDecisionBy: "2026-03-24",
      sources: ["Tamworth 10"],
    });
  });

  it("policy explain: a council's own profile file", () => {
    const profile = JSON.parse(calm("policy", "show", "east-suffolk").stdout) as Record<string, unknown>;
    profile.id = "example-council";
    const file = join(dir, "own.json");
    writeFileSync(file, JSON.stringify(profile));
    const run = calm("policy", "explain", file, "--decided", "2026-01-31", "--category", "physical-assault");
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { expiresOn: string }).expiresOn, "2030-01-31");
  });

  it("policy explain: unknown preset, one-line error, exit 2", () => {
    const run = calm("policy", "explain", "gotham", "--decided", "2026-01-31");
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(oneLineError(run), /unknown preset "gotham"/);
  });

  it("policy explain: unknown category, one-line error, exit 2", () => {
    const run = calm("policy", "explain", "east-suffolk", "--decided", "2026-01-31", "--category", "shouting");
    assert.equal(run.code, 2);
    assert.match(oneLineError(run), /unknown category "shouting"\. Use one of: warning-letter/);
  });

  for (const bad of ["2026-02-30", "2026-13-01", "31/01/2026", "2026-1-5"]) {
    it(`policy explain: impossible or malformed date ${bad}, one-line error, exit 2`, () => {
      const run = calm("policy", "explain", "dorset", "--decided", bad);
      assert.equal(run.code, 2);
      assert.match(oneLineError(run), new RegExp(`--decided must be a real date written YYYY-MM-DD \\(got "${bad.replace(/\//g, "\\/")}"\\)`));
    });
  }

  it("policy explain: a bad --notified or --appeal-received date is refused too", () => {
    assert.equal(calm("policy", "explain", "dorset", "--decided", "2026-01-05", "--notified", "2025-02-29").code, 2);
    assert.equal(calm("policy", "explain", "tamworth", "--decided", "2026-01-05", "--appeal-received", "tomorrow").code, 2);
  });

  it("policy explain: missing --decided, unknown option, date beyond the bank holiday data: exit 2", () => {
    assert.match(oneLineError(calm("policy", "explain", "dorset")), /--decided is required/);
    assert.match(oneLineError(calm("policy", "explain", "dorset", "--decided", "2026-01-05", "--colour", "blue")), /unknown option --colour/);
    const beyond = calm("policy", "explain", "dorset", "--decided", "2031-12-20");
    assert.equal(beyond.code, 2);
    assert.match(oneLineError(beyond), /outside the bank holiday data CALM ships/);
  });

  it("policy describe <preset>: plain English, exit 0", () => {
    const run = calm("policy", "describe", "east-suffolk");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^The register\n- The register is called the Customer Alert List \(CAL\)\. \(East Suffolk 3\)/);
    assert.match(run.stdout, /After removal, details are kept for 6 months, then deleted\. \(East Suffolk 4\.7\)/);
  });

  it("policy fields: the Markdown comparison table, one column per preset", () => {
    const run = calm("policy", "fields");
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.equal(lines[0], "| Field | Meaning | Dorset | East Suffolk | West Oxfordshire | West Lindsey | Tamworth |");
    assert.ok(lines.some((l) => l.startsWith("| `appeal.window` |") && l.includes("28 working days (§6.1)")));
  });

  it("no command, or an unknown one: usage on stderr, exit 2; help: exit 0", () => {
    const none = calm();
    assert.equal(none.code, 2);
    assert.match(none.stderr, /calm policy explain <preset\|file\.json> --decided YYYY-MM-DD/);
    assert.equal(calm("policy", "frobnicate").code, 2);
    const help = calm("help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /calm policy validate <file\.json>/);
  });
});
