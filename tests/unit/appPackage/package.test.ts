// `npm run package` end to end, in a child process with a temporary env folder and output folder: it builds a
// zip holding the manifest and both icons at the right sizes, and refuses (exit 1) with a message naming what
// is missing or wrong.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AdmZip from "adm-zip";
import { readPngInfo } from "../../../scripts/support/png";

const ROOT = path.resolve(__dirname, "../../..");

interface Run { status: number | null; stdout: string; stderr: string }

function npmRunPackage(args: string[], env: Record<string, string> = {}): Run {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "--silent", "package", "--", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("app package: npm run package", function () {
  this.timeout(90_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "calm-package-"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds appPackage.<env>.zip with manifest.json and both icons at the sizes Teams requires", () => {
    copyFileSync(path.join(ROOT, "env/.env.local"), path.join(dir, ".env.local"));
    const run = npmRunPackage(["--env-dir", dir, "--out-dir", path.join(dir, "out")], { CALM_ENV: "local" });
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const zipPath = path.join(dir, "out", "appPackage.local.zip");
    assert.ok(existsSync(zipPath), run.stdout);
    const zip = new AdmZip(zipPath);
    assert.deepEqual(zip.getEntries().map((e) => e.entryName).sort(), ["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(zip.readAsText("manifest.json")) as { id: string; icons: { color: string; outline: string } };
    assert.equal(manifest.id, "00000000-0000-4000-8000-0000000ca1a1");
    assert.doesNotMatch(zip.readAsText("manifest.json"), /\$\{\{/, "no placeholder left");
    const colour = readPngInfo(zip.getEntry(manifest.icons.color)!.getData());
    const outline = readPngInfo(zip.getEntry(manifest.icons.outline)!.getData());
    assert.deepEqual([colour.width, colour.height], [192, 192]);
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    assert.match(run.stdout, /valid against the shipped schema/);
  });

  it("takes the .user file on top of the env file", () => {
    copyFileSync(path.join(ROOT, "env/.env.local"), path.join(dir, ".env.local"));
    writeFileSync(path.join(dir, ".env.local.user"), "TEAMS_APP_ID=11111111-2222-4333-8444-555555555555\n");
    const run = npmRunPackage(["--env", "local", "--env-dir", dir, "--out-dir", dir]);
    assert.equal(run.status, 0, run.stderr);
    const zip = new AdmZip(path.join(dir, "appPackage.local.zip"));
    assert.equal((JSON.parse(zip.readAsText("manifest.json")) as { id: string }).id, "11111111-2222-4333-8444-555555555555");
  });

  it("fails with exit 1 and names a missing value", () => {
    const without = readFileSync(path.join(ROOT, "env/.env.local"), "utf8").replace(/^BOT_ID=.*$/m, "");
    writeFileSync(path.join(dir, ".env.test"), without);
    const run = npmRunPackage(["--env", "test", "--env-dir", dir, "--out-dir", dir]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /PACKAGE_INVALID/);
    assert.match(run.stderr, /BOT_ID is not set: add BOT_ID=<value> to /);
    assert.ok(!existsSync(path.join(dir, "appPackage.test.zip")), "no package is written");
  });

  it("fails with exit 1 and lists schema problems when a value is the wrong shape", () => {
    const bad = readFileSync(path.join(ROOT, "env/.env.local"), "utf8").replace(/^TEAMS_APP_ID=.*$/m, "TEAMS_APP_ID=not-a-guid");
    writeFileSync(path.join(dir, ".env.test"), bad);
    const run = npmRunPackage(["--env", "test", "--env-dir", dir, "--out-dir", dir]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /schema: \/id must match pattern/);
  });

  it("fails with exit 1 when the environment has no env file, saying which file to create", () => {
    const run = npmRunPackage(["--env", "nowhere", "--env-dir", dir, "--out-dir", dir]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no environment file: create .*\.env\.nowhere/);
  });

  it("refuses a dev environment that provisioning has not filled yet, naming the empty values", () => {
    // As committed: the toolkit writes these on `atk provision --env dev`.
    const unprovisioned = readFileSync(path.join(ROOT, "env/.env.dev"), "utf8")
      .replace(/^(TEAMS_APP_ID|BOT_ID|AAD_APP_CLIENT_ID|TAB_ENDPOINT)=.*$/gm, "$1=");
    writeFileSync(path.join(dir, ".env.dev"), unprovisioned);
    const run = npmRunPackage(["--env", "dev", "--env-dir", dir, "--out-dir", dir]);
    assert.equal(run.status, 1);
    for (const name of ["TEAMS_APP_ID", "BOT_ID", "AAD_APP_CLIENT_ID", "TAB_ENDPOINT"]) assert.match(run.stderr, new RegExp(`${name} is empty`));
  });
});
