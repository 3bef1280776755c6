// `npm start` as a new user runs it: Azurite, demo data, the server with local sign-in; Ctrl-C stops everything.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start: the whole product on this machine", function () {
  this.timeout(180_000);
  let child: ChildProcess;
  let output = "";
  let base = "";
  const dataDir = mkdtempSync(path.join(tmpdir(), "calm-start-"));

  before(async () => {
    child = spawn(process.execPath, [require.resolve("tsx/cli"), path.join(ROOT, "scripts/start.ts")], {
      cwd: ROOT,
      env: { ...process.env, CALM_DATA_DIR: dataDir, CALM_PORT: "0", CALM_AZURITE_TABLE_PORT: "0", CALM_AZURITE_BLOB_PORT: "0", CALM_START_PLAYGROUND: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a failed test can stop everything it started at once.
      detached: true,
    });
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const started = Date.now();
    while (!/CALM is running at (http:\/\/127\.0\.0\.1:\d+)/.test(output)) {
      if (child.exitCode !== null) assert.fail(`npm start exited early:\n${output}`);
      if (Date.now() - started > 150_000) assert.fail(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    base = /CALM is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
  });

  after(() => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("says what it loaded and where to go", () => {
    assert.match(output, /Loaded the fictional demo data/);
    assert.match(output, /Staff portal: +http:\/\/127\.0\.0\.1:\d+\/tab\//);
  });

  it("is healthy, with storage reachable", async () => {
    const res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { checks: unknown }).checks, { storage: "ok" });
  });

  it("lets a fictional persona sign in and find a demo person", async () => {
    const personas = (await (await fetch(`${base}/api/dev/personas`)).json()) as { personas: { id: string; displayName: string }[] };
    const officer = personas.personas.find((p) => p.displayName === "Ola Officer")!;
    const signin = (await (await fetch(`${base}/api/dev/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ personaId: officer.id }) })).json()) as { token: string };
    const res = await fetch(`${base}/api/lookup`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${signin.token}` }, body: JSON.stringify({ query: "alex.example@example.org" }) });
    const body = (await res.json()) as { matches: { card: { reference: string } }[] };
    assert.equal(body.matches[0]?.card.reference, "CAL-0001");
  });

  it("copies a reported email from the persona's mailbox in the Graph simulator, as the Outlook stand-in asks on an older Outlook", async () => {
    const signin = (await (await fetch(`${base}/api/dev/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ personaId: "00000000-0000-4000-8000-000000000001" }) })).json()) as { token: string };
    const headers = { "content-type": "application/json", authorization: `Bearer ${signin.token}`, "x-calm-surface": "addin" };
    const report = await fetch(`${base}/api/incidents`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": "npm-start-report-0001" },
      body: JSON.stringify({ subject: { existingId: "demo-subject-0001" }, occurredAt: new Date(Date.now() - 60_000).toISOString(), location: "an email inbox", channel: "email", serviceArea: "Housing", category: "verbal-abuse", description: "Called the team useless.", immediateAction: "none" }),
    });
    assert.equal(report.status, 201, await report.clone().text());
    const { incident } = (await report.json()) as { incident: { id: string } };
    // msg-alex-1: the stand-in's first email (addin/src/dev/demoMailbox.ts), whose REST id is its id.
    const res = await fetch(`${base}/api/incidents/${incident.id}/evidence/email`, { method: "POST", headers: { ...headers, "idempotency-key": "npm-start-email-0001" }, body: JSON.stringify({ messageId: "msg-alex-1" }) });
    const body = (await res.json()) as { source?: string; evidence?: { contentType: string } };
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.source, "mime");
    assert.equal(body.evidence?.contentType, "message/rfc822");
  });

  it("stops everything on Ctrl-C, leaving no server or Azurite behind", async () => {
    const pids = [...output.matchAll(/(?:Azurite|Server) is process (\d+)\./g)].map((m) => Number(m[1]));
    assert.equal(pids.length, 2, output);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    assert.equal(code, 0);
    assert.match(output, /Stopped\./);
    for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} still running`);
    const res = await fetch(`${base}/healthz`).catch(() => undefined);
    assert.equal(res, undefined, "the server still answers after Ctrl-C");
    // The server ran with the audit spool, as in production, and handed every audited lookup to storage before it
    // stopped: its folder (one per instance) is left with no segment and no lock.
    const spool = path.join(dataDir, "audit-spool");
    const folders = existsSync(spool) ? readdirSync(spool) : [];
    assert.equal(folders.length, 1, `one spool folder in ${spool}`);
    assert.deepEqual(readdirSync(path.join(spool, folders[0]!)), [], "segments or lock left behind");
  });
});
