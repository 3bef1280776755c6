// Faults (issue 8 item 6): Azurite killed in the middle of writes and restarted on the same ports with the same
// data. Requests answer 503 with a clear message while it is gone; every write either happened whole or not at
// all; the running server recovers by itself once storage is back, without a restart.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createTableStores, type TableStores } from "../../bot/src/adapters/tables";
import { StoreUnavailableError } from "../../bot/src/ports/errors";
import { normaliseEmail } from "../../core/src/normalise";
import type { Incident, RegisterEntry, Subject } from "../../core/src/domain";
import { fullEntry, fullIncident, fullSubject } from "../support/storeFixtures";
import { startTestApp, type TestApp } from "../support/testApp";
import { eventually } from "../support/waiting";
import { KillableAzurite } from "./support/storage";

const HASH_KEY = "faults-identifier-hash-key";
const RETRY = { maxRetries: 1, retryDelayInMs: 100, maxRetryDelayInMs: 200, requestTimeoutMs: 1500, operationTimeoutMs: 3000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome { ok: boolean; error?: unknown }

async function settle(work: Promise<unknown>): Promise<Outcome> {
  try {
    await work;
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

describe("faults: storage killed in the middle of writes", function () {
  this.timeout(120_000);
  const azurite = new KillableAzurite();
  const prefix = `faults${Date.now() % 100000}`;
  let stores: TableStores;
  let t: TestApp;
  const listed: string[] = [];

  const open = () => createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY, retry: RETRY });

  before(async () => {
    await azurite.start();
    stores = await open();
    for (let i = 0; i < 10; i++) {
      const s = await stores.subjects.create(fullSubject({ id: `listed-${i}`, displayName: `Listed Person${i}`, emails: [`listed.${i}@example.org`], phones: [], aliases: [] }));
      await stores.register.create(fullEntry(s.id, { id: `listed-entry-${i}`, riskLevel: "high", status: "active" }));
      listed.push(`listed.${i}@example.org`);
    }
    t = await startTestApp({
      stores,
      healthChecks: [{ name: "storage", check: async () => { await stores.subjects.get("health-check"); return true; } }],
    });
  });
  after(async () => {
    await t?.stop();
    await azurite.stop();
  });

  it("while writes are in flight: each one finishes or fails as 'storage unavailable' (HTTP 503), nothing else", async () => {
    const subjects: Subject[] = [];
    const entries: RegisterEntry[] = [];
    const incidents: Incident[] = [];
    const storeWork: Promise<Outcome>[] = [];
    const httpWork: Promise<{ status: number; code: unknown; detail: unknown; retryAfter: string | null }>[] = [];
    for (let i = 0; i < 40; i++) {
      const subject = fullSubject({ id: `w-subject-${i}-${randomUUID().slice(0, 8)}`, displayName: `Writer Person${i}`, emails: [`writer.${i}@example.org`], phones: [`07700 900${String(100 + i)}`], aliases: [] });
      const entry = fullEntry(subject.id, { id: `w-entry-${i}-${randomUUID().slice(0, 8)}` });
      const incident = fullIncident(subject.id, { id: `w-incident-${i}-${randomUUID().slice(0, 8)}` });
      subjects.push(subject);
      entries.push(entry);
      incidents.push(incident);
      storeWork.push(settle((async () => {
        await sleep(i * 8);
        await stores.subjects.create(subject);
        await stores.register.create(entry);
      })()));
      storeWork.push(settle((async () => { await sleep(i * 8); await stores.incidents.create(incident); })()));
      httpWork.push((async () => {
        await sleep(i * 8);
        const res = await t.call("/api/lookup", { roles: ["officer"], body: { query: listed[i % listed.length] } });
        return { status: res.status, code: res.json.code, detail: res.json.detail, retryAfter: res.headers.get("retry-after") };
      })());
    }
    await sleep(120);
    await azurite.kill("SIGTERM");
    const outcomes = await Promise.all(storeWork);
    const answers = await Promise.all(httpWork);

    const failures = outcomes.filter((o) => !o.ok);
    assert.ok(failures.length > 0, "the kill landed while writes were in flight");
    assert.ok(outcomes.some((o) => o.ok), "some writes finished before it");
    for (const f of failures) assert.ok(f.error instanceof StoreUnavailableError, `a failed write said ${String(f.error)}, not 'storage unavailable'`);
    for (const a of answers) {
      assert.ok(a.status === 200 || a.status === 503, `lookup answered ${a.status}`);
      if (a.status === 503) {
        assert.equal(a.code, "STORE_UNAVAILABLE");
        assert.match(String(a.detail), /Storage is not available right now .*Try again in a minute\./);
        assert.equal(a.retryAfter, "5");
      }
    }
    assert.ok(answers.some((a) => a.status === 503), "some lookups met the outage");

    // While it is down: a lookup that must be audited cannot be answered (nothing shown unaudited)…
    const down = await t.call("/api/lookup", { roles: ["officer"], body: { query: listed[0] } });
    assert.equal(down.status, 503);
    assert.equal(down.json.code, "STORE_UNAVAILABLE");
    // …one that finds nobody still can (the index is in memory), and health says so.
    assert.equal((await t.call("/api/lookup", { roles: ["officer"], body: { query: "nobody.listed@example.org" } })).status, 200);
    const health = await t.call("/healthz", { token: null });
    assert.equal(health.status, 503);
    assert.equal(health.json.status, "degraded");

    await azurite.restart();

    // The same server, not restarted, answers again.
    assert.ok(await eventually(15_000, async () => (await t.call("/api/lookup", { roles: ["officer"], body: { query: listed[1] } })).status === 200), "lookups work again after storage is back");
    assert.equal((await t.call("/healthz", { token: null })).status, 200);

    // Nothing half-written: every subject is there with its identifiers, or not there and not findable.
    const fresh = await open();
    for (const [i, subject] of subjects.entries()) {
      const stored = await fresh.subjects.get(subject.id);
      const byEmail = await fresh.subjects.findIdsByIdentifier("email", normaliseEmail(subject.emails[0]!)!);
      if (stored) {
        assert.equal(stored.displayName, subject.displayName);
        assert.ok(byEmail.includes(subject.id), `subject ${i} is stored but cannot be found by its email`);
      } else {
        assert.ok(!byEmail.includes(subject.id), `subject ${i} is not stored but its email points to it`);
      }
      const entry = await fresh.register.get(entries[i]!.id);
      if (entry) assert.deepEqual({ ...entry, etag: undefined }, { ...entries[i], etag: undefined }, `entry ${i} is whole`);
      const incident = await fresh.incidents.get(incidents[i]!.id);
      const listedIncidents = await fresh.incidents.listBySubject(subject.id);
      if (incident) {
        assert.equal(incident.description, incidents[i]!.description);
        assert.ok(listedIncidents.some((x) => x.id === incident.id), `incident ${i} is stored but not listed for its subject`);
      } else {
        assert.ok(!listedIncidents.some((x) => x.id === incidents[i]!.id), `incident ${i} is listed but not stored`);
      }
    }

    // The audit chain has no gap, no altered event; at most listing copies the kill cut off, which repair restores.
    const check = await fresh.audit.verify();
    const serious = check.problems.filter((p) => p.kind !== "index-missing");
    assert.deepEqual(serious, [], JSON.stringify(serious.slice(0, 3)));
    if (!check.intact) {
      await fresh.audit.verify({ repair: true });
      assert.ok((await fresh.audit.verify()).intact);
    }
  });

  it("a listing written elsewhere after the restart reaches this server's lookups by itself (the index poller recovered)", async () => {
    const other = await open(); // another instance
    const s = await other.subjects.create(fullSubject({ id: `late-${randomUUID().slice(0, 8)}`, displayName: "Late Listing", emails: ["late.listing@example.org"], phones: [], aliases: [] }));
    await other.register.create(fullEntry(s.id, { id: `late-entry-${randomUUID().slice(0, 8)}`, riskLevel: "medium", status: "active" }));
    await other.register.markChanged(s.id, new Date().toISOString());
    const seen = await eventually(15_000, async () => {
      const res = await t.call("/api/senders/check", { roles: ["officer"], body: { addresses: ["late.listing@example.org"] } });
      return (res.json.results as { listed: boolean }[] | undefined)?.[0]?.listed === true;
    });
    assert.ok(seen, "the new listing never reached the index");
  });

  it("survives a hard kill (SIGKILL) too: 503 while down, back by itself after, every surviving subject whole", async () => {
    // Azurite saves every 5 s; what it acknowledged before that is on disk. Wait for a save first so the tables
    // themselves survive (real Azure Storage never loses an acknowledged write; Azurite's SIGKILL can).
    await sleep(5_500);
    const subjects = Array.from({ length: 20 }, (_, i) => fullSubject({ id: `k-subject-${i}-${randomUUID().slice(0, 8)}`, displayName: `Killed Person${i}`, emails: [`killed.${i}@example.org`], phones: [], aliases: [] }));
    const work = subjects.map((s, i) => settle((async () => { await sleep(i * 10); await stores.subjects.create(s); })()));
    await sleep(60);
    await azurite.kill("SIGKILL");
    const outcomes = await Promise.all(work);
    for (const o of outcomes.filter((x) => !x.ok)) assert.ok(o.error instanceof StoreUnavailableError, String(o.error));
    assert.equal((await t.call("/api/lookup", { roles: ["officer"], body: { query: listed[2] } })).status, 503);
    await azurite.restart();
    assert.ok(await eventually(15_000, async () => (await t.call("/api/lookup", { roles: ["officer"], body: { query: listed[2] } })).status === 200));
    const fresh = await open();
    for (const s of subjects) {
      const stored = await fresh.subjects.get(s.id);
      const ids = await fresh.subjects.findIdsByIdentifier("email", normaliseEmail(s.emails[0]!)!);
      assert.equal(Boolean(stored), ids.includes(s.id), `${s.id}: subject and its identifier rows agree`);
    }
    const check = await fresh.audit.verify();
    assert.deepEqual(check.problems.filter((p) => p.kind !== "index-missing"), []);
  });
});
