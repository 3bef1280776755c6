// docs/security.md maps every threat to a test (issue 8 item 8). This keeps the map honest: every STRIDE row names
// at least one test file that exists, and every test title it quotes is still in that file (so renaming or
// deleting a test without updating the threat model fails the build).
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const DOC = readFileSync(path.join(ROOT, "docs/security.md"), "utf8");

/** Every test file, by path relative to the root and by bare file name (rows may shorten `tests/security/x` to `x`). */
function testFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".ts")) {
        const rel = path.relative(ROOT, full).split(path.sep).join("/");
        files.set(rel, full);
        if (!files.has(name)) files.set(name, full);
      }
    }
  };
  walk(path.join(ROOT, "tests"));
  return files;
}

interface Row { id: string; text: string }

function strideRows(): Row[] {
  return DOC.split("\n")
    .filter((l) => /^\| [STRIDE]\d+ \|/.test(l))
    .map((l) => ({ id: /^\| ([STRIDE]\d+)/.exec(l)![1]!, text: l }));
}

describe("security: the threat model maps every threat to a test that exists", () => {
  const files = testFiles();
  const rows = strideRows();

  it(`lists threats under all six STRIDE headings (${rows.length} rows)`, () => {
    for (const letter of "STRIDE") assert.ok(rows.some((r) => r.id.startsWith(letter)), `no ${letter} threats`);
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, "threat ids are unique");
  });

  it("every threat names at least one test file, and every file it names exists", () => {
    const problems: string[] = [];
    for (const row of rows) {
      // The last column is the proof; earlier rows may point at another row ("T1") instead.
      const proof = row.text.split("|").slice(-2, -1)[0] ?? "";
      const named = [...proof.matchAll(/`([^`]+\.test\.ts|tests\/[^`]+)`/g)].map((m) => m[1]!);
      const pointsAtRow = /^\s*[STRIDE]\d+\s*$/.test(proof);
      if (named.length === 0 && !pointsAtRow && !/suites?\b/.test(proof)) problems.push(`${row.id}: no test named`);
      for (const name of named) {
        const clean = name.replace(/\/$/, "");
        if (!files.has(clean) && !files.has(path.basename(clean)) && !existsSync(path.join(ROOT, clean))) problems.push(`${row.id}: ${name} does not exist`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("every test title the threat model quotes is still in the test files", () => {
    const sources = [...new Set(files.values())].map((f) => readFileSync(f, "utf8")).join("\n");
    const problems: string[] = [];
    for (const row of rows) {
      const proof = row.text.split("|").slice(-2, -1)[0] ?? "";
      for (const quote of proof.matchAll(/"([^"]{12,})"/g)) {
        // Titles may be shortened with "…" or carry placeholders: each part of 12+ characters must appear.
        for (const part of quote[1]!.split(/…|\.\.\./).map((p) => p.trim()).filter((p) => p.length >= 12)) {
          if (!sources.includes(part)) problems.push(`${row.id}: "${part}"`);
        }
      }
    }
    assert.deepEqual(problems, [], `quoted test titles not found:\n  ${problems.join("\n  ")}`);
  });
});
