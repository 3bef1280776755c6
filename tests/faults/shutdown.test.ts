// Faults (issue 8 item 6): graceful shutdown drains in-flight requests. On stop (SIGTERM in production) the
// server stops taking connections, lets the requests it is answering finish, closes kept-alive connections as
// soon as they are idle, and gives up on a request only after the drain limit.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { createMemoryStores } from "../../bot/src/adapters/memory";
import type { Stores } from "../../bot/src/ports/stores";
import { anEntry, aSubject } from "../support/fixtures";
import { startTestApp, type TestApp } from "../support/testApp";

const ROOT = path.resolve(__dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Memory stores whose audit appends take `delayMs`: a lookup that finds someone is then a slow request. */
function slowAudit(delayMs: { value: number }): Stores {
  const stores = createMemoryStores();
  const append = stores.audit.append.bind(stores.audit);
  stores.audit.append = async (e) => {
    await sleep(delayMs.value);
    return append(e);
  };
  return stores;
}

/** One request on a kept-alive connection (the agent keeps it open afterwards, as browsers do). */
function post(url: string, token: string, body: unknown, agent: http.Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(`${url}/api/lookup`, { method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on("error", reject);
    req.end(data);
  });
}

describe("faults: graceful shutdown", function () {
  this.timeout(60_000);
  const delay = { value: 600 };
  let t: TestApp;
  let token: string;

  beforeEach(async () => {
    const stores = slowAudit(delay);
    t = await startTestApp({ stores });
    const s = await stores.subjects.create(aSubject({ id: "drain-subject", emails: ["drain.person@example.org"] }));
    await stores.register.create(anEntry(s.id, "high"));
    await t.app.services.lookup.subjectChanged(s.id);
    token = await t.issuer.token({ roles: ["officer"] });
  });
  afterEach(async () => {
    delay.value = 600;
    await t.app.stop(100);
  });

  it("finishes the request in flight, refuses new connections, and closes the kept-alive connection once idle", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const inFlight = post(t.url, token, { query: "drain.person@example.org" }, agent);
    await sleep(100);
    const started = Date.now();
    const stopping = t.app.stop(10_000);
    await sleep(50);
    await assert.rejects(fetch(`${t.url}/healthz`), "a new connection is refused while draining");
    const answer = await inFlight;
    assert.equal(answer.status, 200, "the request in flight was answered");
    await stopping;
    const took = Date.now() - started;
    assert.ok(took < 2000, `stop took ${took} ms: it waited for the idle kept-alive connection instead of closing it`);
    agent.destroy();
  });

  it("gives up on a request that outlives the drain limit, and stops on time", async () => {
    delay.value = 5_000;
    const agent = new http.Agent({ keepAlive: true });
    const stuck = post(t.url, token, { query: "drain.person@example.org" }, agent).then(() => "answered", () => "cut off");
    await sleep(100);
    const started = Date.now();
    await t.app.stop(400);
    const took = Date.now() - started;
    assert.ok(took >= 350 && took < 1500, `stop took ${took} ms with a 400 ms drain limit`);
    assert.equal(await stuck, "cut off");
    agent.destroy();
  });

  it("on SIGTERM the real server process drains a request whose body is still arriving, then exits 0", async () => {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "bot/src/index.ts")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, CALM_ENV: "local", PORT: "0", CALM_DEV_SIGNIN: "true", CALM_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      child.stderr.on("data", (c: Buffer) => (out += c.toString()));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out.slice(-500)}`)), 30_000);
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          const m = /"event":"server.listening"[^\n]*"port":(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      const url = `http://127.0.0.1:${port}`;
      const signin = (await (await fetch(`${url}/api/dev/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ personaId: "00000000-0000-4000-8000-000000000001" }) })).json()) as { token: string };
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

      const body = JSON.stringify({ query: "alex.example@example.org" });
      const answer = new Promise<number>((resolve, reject) => {
        const req = http.request(`${url}/api/lookup`, { method: "POST", headers: { authorization: `Bearer ${signin.token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.write(body.slice(0, 5));
        setTimeout(() => {
          child.kill("SIGTERM");
          setTimeout(() => req.end(body.slice(5)), 300);
        }, 100);
      });
      assert.equal(await answer, 200, "the request in flight at SIGTERM was answered");
      assert.equal(await exited, 0, `exit code (log: ${out.slice(-300)})`);
      assert.match(out, /"event":"calm.stopping"[^\n]*"signal":"SIGTERM"/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
