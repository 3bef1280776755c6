// Diverts and mail marking on Table Storage (Azurite, started for this file) with the Graph simulator:
// the stores' transactions, etags and leases, the full flows, and a real `kill -9` of a server process in
// the middle of a divert job, after which a new instance finishes it without a duplicate rule.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { TableClient } from "@azure/data-tables";
import { createDivertTableStores, type TableDivertJobStore, type TableDivertStore } from "../../../bot/src/adapters/tables/divertJobs";
import { createMailMarkingTableStores, type TableMailSubscriptionStore, type TableMailWorkQueue } from "../../../bot/src/adapters/tables/mailMarking";
import { ConcurrencyError } from "../../../bot/src/ports/errors";
import type { DivertJob, DivertMailboxRow } from "../../../bot/src/ports/divertJobs";
import { createDivertService } from "../../../bot/src/services/divert";
import { createMailMarking, DEFAULT_CATEGORY, workItemId } from "../../../bot/src/services/mailMarking";
import { startAzurite, type RunningAzurite } from "../../../scripts/support/azurite";
import { CUSTOMER, SPOC, graphFor, ids, seedTenant, startSim, systemClock, testLogger } from "../../support/graphSimulator/harness";
import { startNotificationEndpoint } from "../../support/graphSimulator/notificationEndpoint";
import { freshPrefix } from "../../support/storeFixtures";

const HASH_KEY = "graph-test-identifier-hash-key";

function job(id: string, total: number, entryId = "entry-1"): DivertJob {
  const at = new Date().toISOString();
  return {
    id,
    entryId,
    reference: "CAL-0042",
    kind: "apply",
    status: "queued",
    desired: { ruleName: "CALM divert CAL-0042", spocMailbox: SPOC, senderAddresses: [CUSTOMER], folderName: "Diverted" },
    total,
    done: 0,
    failed: 0,
    createdAt: at,
    createdBy: "admin-1",
    updatedAt: at,
  };
}

function rows(jobId: string, n: number): DivertMailboxRow[] {
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => ({ jobId, mailbox: `officer${i}@example.org`, action: "ensure", state: "pending", attempts: 0, updatedAt: at }));
}

describe("Graph features on Table Storage", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  describe("divert stores", () => {
    let jobs: TableDivertJobStore;
    let diverts: TableDivertStore;
    let prefix: string;
    before(async () => {
      prefix = freshPrefix();
      ({ jobs, diverts } = await createDivertTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY }));
    });

    it("keeps a 250-mailbox job in one partition and saves progress with its counters all or nothing", async () => {
      const created = await jobs.createJob(job("job-250", 250), rows("job-250", 250));
      const pending = await jobs.listRows("job-250", "pending");
      assert.equal(pending.length, 250);
      const finished = pending.slice(0, 150).map((r) => ({ ...r, state: "done" as const, outcome: "created" as const, ruleId: `rule-${r.mailbox}` }));
      const saved = await jobs.saveProgress({ ...created, status: "running", done: 150 }, finished);
      assert.equal(saved.rows.length, 150);
      assert.equal((await jobs.getJob("job-250"))?.done, 150);
      assert.equal((await jobs.listRows("job-250", "done")).length, 150);

      // One row saved meanwhile by another writer spoils the whole transaction: nothing of it is written.
      const again = (await jobs.listRows("job-250", "pending")).slice(0, 5).map((r) => ({ ...r, state: "done" as const }));
      again[3] = { ...pending[0]!, state: "done" }; // already saved above, offered again as if pending
      await assert.rejects(jobs.saveProgress({ ...saved.job, done: 155 }, again), ConcurrencyError);
      again[3] = { ...saved.rows[1]!, state: "done", etag: 'W/"datetime\'2000-01-01T00%3A00%3A00Z\'"' }; // a stale etag
      await assert.rejects(jobs.saveProgress({ ...saved.job, done: 155 }, again), ConcurrencyError);
      assert.equal((await jobs.listRows("job-250", "done")).length, 150);
      assert.equal((await jobs.listRows("job-250", "pending")).length, 100);
      assert.equal((await jobs.listRows("job-250")).length, 250);
      assert.equal((await jobs.getJob("job-250"))?.done, 150);
      // A stale job row (someone cancelled it) is refused too.
      await jobs.updateJob({ ...saved.job, status: "cancelled" });
      await assert.rejects(jobs.saveProgress(saved.job, []), ConcurrencyError);
    });

    it("lists an entry's jobs in order and finds unfinished ones through the index", async () => {
      await jobs.createJob(job("job-a", 1, "entry-2"), rows("job-a", 1));
      await new Promise((r) => setTimeout(r, 5));
      const b = await jobs.createJob(job("job-b", 1, "entry-2"), rows("job-b", 1));
      assert.deepEqual((await jobs.listJobsForEntry("entry-2")).map((j) => j.id), ["job-a", "job-b"]);
      await jobs.updateJob({ ...b, status: "completed" });
      const unfinished = (await jobs.listUnfinishedJobs()).map((j) => j.id);
      assert.ok(unfinished.includes("job-a") && !unfinished.includes("job-b"));
    });

    it("gives an entry's lease to one instance at a time, and to another once it expires", async () => {
      const t0 = "2026-03-02T09:00:00.000Z";
      assert.equal(await diverts.acquireLease("entry-3", "A", "2026-03-02T09:00:30.000Z", t0), true);
      assert.equal(await diverts.acquireLease("entry-3", "B", "2026-03-02T09:00:40.000Z", "2026-03-02T09:00:10.000Z"), false);
      assert.equal(await diverts.acquireLease("entry-3", "A", "2026-03-02T09:01:00.000Z", "2026-03-02T09:00:20.000Z"), true, "renewal");
      assert.equal(await diverts.acquireLease("entry-3", "B", "2026-03-02T09:02:00.000Z", "2026-03-02T09:01:01.000Z"), true, "expired: taken over");
      await diverts.releaseLease("entry-3", "A");
      assert.equal(await diverts.acquireLease("entry-3", "A", "2026-03-02T09:03:00.000Z", "2026-03-02T09:01:05.000Z"), false, "A's release did not free B's lease");
      await diverts.releaseLease("entry-3", "B");
      assert.equal(await diverts.acquireLease("entry-3", "A", "2026-03-02T09:03:00.000Z", "2026-03-02T09:01:06.000Z"), true);
    });

    it("keeps councillors' choices, with no address in any key", async () => {
      await diverts.putCouncillor({ mailbox: "cllr.one@example.org", optedIn: true, changedAt: new Date().toISOString(), changedBy: "cllr-1" });
      await diverts.putCouncillor({ mailbox: "cllr.two@example.org", optedIn: false, changedAt: new Date().toISOString(), changedBy: "cllr-2" });
      assert.deepEqual((await diverts.listCouncillors()).filter((c) => c.optedIn).map((c) => c.mailbox), ["cllr.one@example.org"]);
      assert.equal((await diverts.getCouncillor("CLLR.TWO@example.org"))?.optedIn, false);
      for (const table of ["DivertJobs", "Diverts", "DivertJobIndex"]) {
        const client = TableClient.fromConnectionString(azurite.connectionString, `${prefix}${table}`, { allowInsecureConnection: true });
        for await (const e of client.listEntities()) assert.ok(!`${e.partitionKey}|${e.rowKey}`.includes("@"), `${table}: ${e.partitionKey}|${e.rowKey}`);
      }
    });
  });

  describe("divert flows", () => {
    it("applies and lifts a divert end to end", async () => {
      const sim = await startSim();
      const tenant = seedTenant(sim, 60);
      const graph = graphFor(sim);
      const stores = await createDivertTableStores({ connectionString: azurite.connectionString, tablePrefix: freshPrefix(), identifierHashKey: HASH_KEY });
      const service = createDivertService({ graph, ...stores, clock: systemClock, ids, logger: testLogger(), runner: { flushIntervalMs: 100 } });
      try {
        const applied = await service.applyDivert({ entryId: "entry-1", reference: "CAL-0042", spocMailbox: SPOC, senderAddresses: [CUSTOMER], targets: [{ kind: "group", id: tenant.group }], actorId: "admin-1" });
        assert.ok(applied.ok);
        await service.idle();
        assert.equal((await service.getJobProgress(applied.jobId))?.status, "completed");
        assert.equal(sim.rulesNamed("CALM divert CAL-0042").length, 60);
        const lifted = await service.liftDivert({ entryId: "entry-1", actorId: "admin-1" });
        assert.ok(lifted.ok && lifted.total === 60);
        await service.idle();
        assert.equal(sim.rulesNamed("CALM divert").length, 0);
        assert.equal((await service.getDivert("entry-1"))?.status, "lifted");
      } finally {
        await service.stop();
        graph.close();
        await sim.stop();
      }
    });

    it("a server process killed mid-job (SIGKILL) is resumed by another instance without a duplicate rule", async () => {
      const sim = await startSim({ latencyMs: { min: 1, max: 4 } });
      const tenant = seedTenant(sim, 300);
      const prefix = freshPrefix();
      const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "fixtures", "divertWorker.ts")], {
        env: {
          ...process.env,
          CALM_TEST_TABLES: azurite.connectionString,
          CALM_TEST_PREFIX: prefix,
          CALM_TEST_HASH_KEY: HASH_KEY,
          CALM_TEST_GRAPH: sim.baseUrl,
          CALM_TEST_RATE: "250",
          CALM_TEST_LEASE_MS: "1500",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => { out += c.toString(); });
      child.stderr.on("data", (c: Buffer) => { err += c.toString(); });
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        // Wait until the child is well into the job, then kill it without warning.
        for (let i = 0; i < 300 && sim.rulesNamed("CALM divert CAL-0777").length < 60; i++) await new Promise((r) => setTimeout(r, 50));
        assert.ok(!out.includes("idle"), "the child must still be working when killed");
        child.kill("SIGKILL");
        await exited;
        const before = sim.rulesNamed("CALM divert CAL-0777").length;
        assert.ok(before >= 60 && before < 300, `killed with ${before} of 300 done. ${err.slice(-300)}`);
        const jobId = (JSON.parse(out.split("\n")[0]!) as { jobId: string }).jobId;

        await new Promise((r) => setTimeout(r, 1600)); // the dead process's lease runs out
        const graph = graphFor(sim);
        const stores = await createDivertTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY });
        const service = createDivertService({ graph, ...stores, clock: systemClock, ids, logger: testLogger(), runner: { flushIntervalMs: 100 } });
        await service.runPending();
        await service.idle();
        const progress = await service.getJobProgress(jobId);
        assert.equal(progress?.status, "completed");
        assert.equal(progress?.done, 300);
        for (const m of tenant.staff) assert.equal(sim.rules(m).filter((r) => r.displayName === "CALM divert CAL-0777").length, 1, m);
        assert.equal(sim.duplicateCreations(), 0);
        graph.close();
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await sim.stop();
      }
    });
  });

  describe("mail marking on tables", () => {
    let queue: TableMailWorkQueue;
    let subscriptions: TableMailSubscriptionStore;
    before(async () => {
      ({ queue, subscriptions } = await createMailMarkingTableStores({ connectionString: azurite.connectionString, tablePrefix: freshPrefix() }));
    });

    it("queues each item once, and two claimers never get the same item", async () => {
      const at = new Date().toISOString();
      const items = Array.from({ length: 30 }, (_, i) => ({ id: workItemId("message", "officer@example.org", `m${i}`), kind: "message" as const, mailbox: "officer@example.org", messageId: `m${i}`, createdAt: at }));
      assert.deepEqual(await queue.enqueue(items), { added: 30, duplicates: 0 });
      assert.deepEqual(await queue.enqueue(items.slice(0, 5)), { added: 0, duplicates: 5 });
      const now = new Date().toISOString();
      const until = new Date(Date.now() + 60_000).toISOString();
      const [a, b] = await Promise.all([queue.claim("A", now, until, 30), queue.claim("B", now, until, 30)]);
      const ida = new Set(a.map((i) => i.id));
      assert.ok(b.every((i) => !ida.has(i.id)), "no item claimed twice");
      assert.equal(a.length + b.length, 30);
      const first = a[0] ?? b[0]!;
      await queue.complete(first, "marked", new Date().toISOString());
      await assert.rejects(queue.complete(first, "marked", new Date().toISOString()), ConcurrencyError);
      assert.equal((await queue.counts()).done, 1);
      assert.equal(await queue.purgeDone(new Date(Date.now() + 1000).toISOString()), 1);
    });

    it("hands an item whose lease expired to another worker", async () => {
      const at = new Date().toISOString();
      await queue.enqueue([{ id: workItemId("message", "x@example.org", "lease"), kind: "message", mailbox: "x@example.org", messageId: "lease", createdAt: at }]);
      const past = new Date(Date.now() - 1000).toISOString();
      const now = new Date().toISOString();
      const [claimed] = await queue.claim("A", now, past, 100).then((l) => l.filter((i) => i.messageId === "lease"));
      assert.ok(claimed);
      const retaken = (await queue.claim("B", new Date().toISOString(), new Date(Date.now() + 60_000).toISOString(), 100)).filter((i) => i.messageId === "lease");
      assert.equal(retaken.length, 1);
      assert.equal(retaken[0]!.attempts, 2);
      await assert.rejects(queue.complete(claimed, "marked", now), ConcurrencyError, "A lost it");
    });

    it("marks mail from a listed sender end to end, once however often Graph notifies", async () => {
      const sim = await startSim();
      const tenant = seedTenant(sim, 2);
      const graph = graphFor(sim);
      const late: { marking?: ReturnType<typeof createMailMarking> } = {};
      const endpoint = await startNotificationEndpoint({ change: (r) => late.marking!.handleGraphNotification(r), lifecycle: (r) => late.marking!.handleLifecycleNotification(r) });
      const stores = await createMailMarkingTableStores({ connectionString: azurite.connectionString, tablePrefix: freshPrefix() });
      late.marking = createMailMarking({
        graph,
        ...stores,
        clock: systemClock,
        ids,
        logger: testLogger(),
        isListedSender: (e) => Promise.resolve({ listed: e === CUSTOMER }),
        listInScopeMailboxes: () => Promise.resolve(tenant.staff),
        notificationUrl: endpoint.notificationUrl,
        lifecycleNotificationUrl: endpoint.lifecycleNotificationUrl,
      });
      try {
        assert.equal((await late.marking.syncSubscriptions()).created, 2);
        assert.equal((await subscriptions.list()).length, 0, "each store instance has its own tables");
        const d = await sim.deliverMessage(tenant.staff[0]!, { from: CUSTOMER }, { duplicates: 2 });
        assert.deepEqual(d.deliveries.map((x) => x.status), [202, 202, 202]);
        await late.marking.drain();
        assert.deepEqual(sim.messages(tenant.staff[0]!)[0]!.categories, [DEFAULT_CATEGORY]);
        assert.equal(sim.stats().byRoute["PATCH /users/{id}/messages/{id}"], 1);
      } finally {
        graph.close();
        await endpoint.stop();
        await sim.stop();
      }
    });
  });
});
