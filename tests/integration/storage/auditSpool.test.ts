// The audit spool (bot/src/adapters/system/auditSpool.ts; docs/security.md "Audit spool"): an audited request
// waits for the local disk only, the chain in Table Storage gets the events in batches, and nothing is lost
// when the process dies between the two.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createTableStores, TableAuditStore, type TableStores } from "../../../bot/src/adapters/tables";
import { tableGateways } from "../../../bot/src/adapters/tables/gateway";
import { SPOOLED_AUDIT_BATCHING, SpooledAuditStore, type SpoolableAuditStore } from "../../../bot/src/adapters/system/auditSpool";
import { StoreUnavailableError } from "../../../bot/src/ports/errors";
import type { AuditEvent } from "../../../core/src/domain";
import { startAzurite, type RunningAzurite } from "../../../scripts/support/azurite";
import { anAuditEvent, freshPrefix } from "../../support/storeFixtures";
import { eventually, temporaryFolders } from "../../support/waiting";
import { createLogger } from "../../../bot/src/adapters/system/logger";
import type { Logger } from "../../../bot/src/ports/system";
import { loadConfig } from "../../../bot/src/config";

const HASH_KEY = "audit-spool-test-identifier-key";

/** The real logger, keeping what it writes. */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger("info", (line) => lines.push(line)), { lines });
}

const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".jsonl"));

/** A store that never answers: the process "dies" with every event still on its way to storage. */
function hangingStore(checks: SpoolableAuditStore): SpoolableAuditStore {
  return {
    check: (e) => checks.check(e),
    append: () => new Promise<void>(() => {}),
    listByActor: () => Promise.resolve([]),
    listBySubject: () => Promise.resolve([]),
    verify: () => checks.verify(),
  };
}

describe("audit spool: durable on local disk first, in storage in batches (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  before(async () => { azurite = await startAzurite({ inMemory: true }); });
  const folders = temporaryFolders();
  after(async () => {
    await azurite?.stop();
    folders.removeAll();
  });

  const open = (prefix: string, batching = true): Promise<TableStores> =>
    createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY, ...(batching ? SPOOLED_AUDIT_BATCHING : {}) });
  const dir = () => folders.make("calm-spool-test-");

  it("answers once the event is on disk, and the chain in storage has every event once, listed by subject and actor", async () => {
    const prefix = freshPrefix();
    const tables = await open(prefix);
    const folder = dir();
    const spool = await SpooledAuditStore.open(tables.audit, { dir: folder, logger: capturingLogger() });
    const subjectId = randomUUID();
    const events = Array.from({ length: 120 }, (_, i) => anAuditEvent({ subjectId, actorId: `officer-${i % 4}`, at: new Date(Date.UTC(2026, 10, 2, 9, 0, 0, i)).toISOString() }));
    await Promise.all(events.map((e) => spool.append(e)));
    // On disk now, whatever storage has done so far.
    const spooled = segments(folder).flatMap((f) => readFileSync(path.join(folder, f), "utf8").trim().split("\n"));
    assert.equal(spooled.length, 120);
    assert.ok(spooled.every((line) => events.some((e) => line.includes(e.id))));

    const bySubject = await spool.listBySubject(subjectId, 500);
    assert.equal(bySubject.length, 120, "reads on this instance see its own events");
    assert.equal((await spool.listByActor("officer-1", 500)).filter((e) => e.subjectId === subjectId).length, 30);
    await spool.close();
    assert.deepEqual(segments(folder), [], "every segment is gone once its events are in storage");
    assert.equal(existsSync(path.join(folder, "lock")), false);

    const check = await (await open(prefix, false)).audit.verify();
    assert.equal(check.intact, true, JSON.stringify(check.problems.slice(0, 3)));
    assert.equal(check.events, 120);
  });

  it("loses nothing when the process dies before storage has the events: the next start replays them, once", async () => {
    const prefix = freshPrefix();
    const folder = dir();
    const tables = await open(prefix);
    const subjectId = randomUUID();
    // First life: storage never answers, then the process is gone (no close, the lock left behind).
    const first = await SpooledAuditStore.open(hangingStore(tables.audit), { dir: folder, logger: capturingLogger() });
    const events = Array.from({ length: 30 }, (_, i) => anAuditEvent({ subjectId, at: new Date(Date.UTC(2026, 10, 2, 10, 0, i)).toISOString() }));
    await Promise.all(events.map((e) => first.append(e)));
    // A crash mid-write leaves half a line: it was never acknowledged, so it is skipped.
    const [segment] = segments(folder);
    appendFileSync(path.join(folder, segment!), '{"id":"half-writ');
    // The dead process's lock file: no longer touched, so the next start takes it over.
    writeFileSync(path.join(folder, "lock"), "999999 elsewhere");

    // Second life, with one of the events already in storage (it got there just before the crash).
    await tables.audit.append(events[3]!);
    const logger = capturingLogger();
    const second = await SpooledAuditStore.open(tables.audit, { dir: folder, logger, lockStaleMs: 300 });
    await eventually(20_000, () => segments(folder).length <= 1, 50);
    const listed = await second.listBySubject(subjectId, 100);
    assert.equal(listed.length, 30, "every event once: the one already stored is not doubled");
    assert.ok(logger.lines.some((l) => l.includes("audit.spool.unreadable_line")), "the torn line is reported");
    assert.ok(logger.lines.every((l) => !l.includes(subjectId)), "nothing about the events is logged");
    await second.close();
    assert.deepEqual(segments(folder), []);
    const check = await (await open(prefix, false)).audit.verify();
    assert.equal(check.intact, true, JSON.stringify(check.problems.slice(0, 3)));
  });

  it("refuses an event storage could never keep, and spools nothing for it", async () => {
    const tables = await open(freshPrefix());
    const folder = dir();
    const spool = await SpooledAuditStore.open(tables.audit, { dir: folder, logger: capturingLogger() });
    await assert.rejects(spool.append(anAuditEvent({ at: "not a date" })), /invalid instant/);
    await assert.rejects(spool.append(anAuditEvent({ actorId: "x".repeat(2000) })), /keep ids under 100 characters/);
    await spool.append(anAuditEvent());
    const lines = segments(folder).flatMap((f) => readFileSync(path.join(folder, f), "utf8").trim().split("\n"));
    assert.equal(lines.length, 1);
    await spool.close();
  });

  it("keeps events while storage is away, retries them, and refuses new ones (503) when too many wait", async () => {
    const tables = await open(freshPrefix());
    const folder = dir();
    let down = true;
    const flaky: SpoolableAuditStore = {
      check: (e) => tables.audit.check(e),
      append: (e: AuditEvent) => (down ? Promise.reject(new StoreUnavailableError("audit.append")) : tables.audit.append(e)),
      listByActor: (a, l) => tables.audit.listByActor(a, l),
      listBySubject: (s, l) => tables.audit.listBySubject(s, l),
      verify: () => tables.audit.verify(),
      flush: () => tables.audit.flush(),
    };
    const spool = await SpooledAuditStore.open(flaky, { dir: folder, logger: capturingLogger(), retryMs: 50, maxUnshipped: 5 });
    const subjectId = randomUUID();
    for (let i = 0; i < 5; i++) await spool.append(anAuditEvent({ subjectId }));
    await assert.rejects(spool.append(anAuditEvent({ subjectId })), (e: unknown) => e instanceof StoreUnavailableError);
    down = false;
    await eventually(10_000, () => spool.backlog === 0, 25);
    assert.equal(spool.backlog, 0);
    assert.equal((await spool.listBySubject(subjectId)).length, 5);
    await spool.close();
  });

  it("will not share its folder with another live process", async () => {
    const tables = await open(freshPrefix());
    const folder = dir();
    const holder = await SpooledAuditStore.open(tables.audit, { dir: folder, logger: capturingLogger(), lockStaleMs: 300 });
    writeFileSync(path.join(folder, "lock"), "4242 another-instance"); // as if another process held it, and keeps touching it
    await assert.rejects(SpooledAuditStore.open(tables.audit, { dir: folder, logger: capturingLogger(), lockStaleMs: 300 }), /in use by another CALM process/);
    await holder.close();
  });
});

describe("audit store: batching behind the spool (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  before(async () => { azurite = await startAzurite({ inMemory: true }); });
  after(async () => { await azurite?.stop(); });

  /** A table audit store that lingers `lingerMs`, and a count of the transactions it sends. */
  async function lingeringStore(lingerMs: number): Promise<{ store: TableAuditStore; transactions: () => number }> {
    const gateway = tableGateways({ connectionString: azurite.connectionString, tablePrefix: freshPrefix() }).gateway("Audit");
    await gateway.ensureTable();
    let transactions = 0;
    const send = gateway.transaction.bind(gateway);
    gateway.transaction = (actions, ctx) => { transactions += 1; return send(actions, ctx); };
    return { store: new TableAuditStore(gateway, { lingerMs }), transactions: () => transactions };
  }
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("under a steady trickle, each chain transaction carries a linger's worth of events, not one round trip's", async () => {
    const { store, transactions } = await lingeringStore(200);
    const appends: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      appends.push(store.append(anAuditEvent({ at: new Date(Date.UTC(2026, 10, 2, 9, 0, 0, i)).toISOString() })));
      await pause(10);
    }
    await Promise.all(appends);
    // About 600 ms of events at 200 ms a batch: 3-5 transactions. Leaving as soon as the one in flight is done
    // would send one per round trip (dozens, each with an event or two).
    assert.ok(transactions() <= 8, `${transactions()} transactions for 60 events`);
    const check = await store.verify();
    assert.equal(check.events, 60);
    assert.ok(check.intact, JSON.stringify(check.problems));
  });

  it("a listing in the middle of a stream of appends answers with what came before it, without waiting for the stream to end", async () => {
    const { store } = await lingeringStore(100);
    let streaming = true;
    const stream = (async () => {
      const appends: Promise<void>[] = [];
      for (let i = 0; i < 600 && streaming; i++) {
        appends.push(store.append(anAuditEvent({ actorId: "busy-officer", at: new Date(Date.UTC(2026, 10, 2, 9, 0, 0, i)).toISOString() })));
        await pause(5);
      }
      await Promise.all(appends);
    })();
    await pause(200);
    const marker = anAuditEvent({ subjectId: randomUUID() });
    void store.append(marker);
    const started = Date.now();
    const listed = await store.listBySubject(marker.subjectId!);
    const waited = Date.now() - started;
    streaming = false;
    await stream;
    assert.deepEqual(listed.map((e) => e.id), [marker.id]);
    assert.ok(waited < 2000, `the listing waited ${waited} ms`);
  });
});

describe("audit spool: configuration", () => {
  it("is off unless CALM_AUDIT_SPOOL_DIR is set; each App Service instance gets its own folder under it", () => {
    assert.equal(loadConfig({}).auditSpoolDir, undefined);
    assert.equal(loadConfig({ CALM_AUDIT_SPOOL_DIR: "/home/data/calm/audit-spool" }).auditSpoolDir, "/home/data/calm/audit-spool/local");
    assert.equal(
      loadConfig({ CALM_AUDIT_SPOOL_DIR: "/home/data/calm/audit-spool", WEBSITE_INSTANCE_ID: "f00d-cafe/../x" }).auditSpoolDir,
      "/home/data/calm/audit-spool/f00dcafex",
      "the instance id cannot climb out of the folder",
    );
  });
});
