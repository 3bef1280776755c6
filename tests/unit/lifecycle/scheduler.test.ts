// The lifecycle scheduler with several server instances over one store: a due item is claimed with an etag
// lease and runs once; a crashed instance's claim is taken over when its lease runs out; work that keeps failing
// stops after its attempts and shows in the status; the last run and the next are readable.
import assert from "node:assert/strict";
import { MemoryBlobStore, createMemoryStores } from "../../../bot/src/adapters/memory";
import { createLifecycleTableStores } from "../../../bot/src/adapters/tables/lifecycle";
import { createTableStores } from "../../../bot/src/adapters/tables";
import { FakeClock } from "../../../bot/src/adapters/system/clock";
import { createMemoryLifecycleStores } from "../../../bot/src/adapters/memory/lifecycle";
import type { LifecycleStores } from "../../../bot/src/ports/lifecycle";
import type { Stores } from "../../../bot/src/ports/stores";
import { getPreset } from "../../../core/src/policy/presets";
import { startAzurite, type RunningAzurite } from "../../../scripts/support/azurite";
import { freshPrefix } from "../../support/storeFixtures";
import { aDecision, aSubject, anIncident, at, lifecycleHarness, STAFF } from "../../support/lifecycle";

const profile = getPreset("east-suffolk")!;

async function dueEntry(stores: Stores, lifecycle: LifecycleStores, clock: FakeClock) {
  const h = lifecycleHarness(profile, "2027-01-11T09:00:00.000Z", { stores, lifecycle, blobs: new MemoryBlobStore(), clock });
  const subject = await aSubject(h.stores);
  const incident = await anIncident(h.stores, subject.id, { category: "verbal-abuse", occurredAt: "2027-01-10T10:00:00.000Z" });
  const { entry } = await aDecision(h, { subjectId: subject.id, incidents: [incident], outcome: "add-medium", decidedAt: "2027-01-11T09:00:00.000Z", restrictions: [], voters: [STAFF.panel!], presenter: STAFF.manager! });
  return entry;
}

function suite(name: string, open: () => Promise<{ stores: Stores; lifecycle: LifecycleStores }>) {
  describe(`lifecycle scheduler across instances: ${name}`, function () {
    this.timeout(60_000);

    it("two instances running at once over one store: the due review is opened and posted once", async () => {
      const { stores, lifecycle } = await open();
      const clock = new FakeClock("2027-01-11T09:00:00.000Z");
      const entry = await dueEntry(stores, lifecycle, clock);
      const shared = { stores, lifecycle, blobs: new MemoryBlobStore(), clock };
      const one = lifecycleHarness(profile, undefined, shared);
      const two = lifecycleHarness(profile, undefined, shared);
      const a = one.sibling("instance-a");
      const b = two.sibling("instance-b");
      at(clock, "2027-07-11"); // East Suffolk 4.7: 6 months
      const [ra, rb] = await Promise.all([a.scheduler.runOnce(), b.scheduler.runOnce()]);
      const posts = [...one.channel.posts, ...two.channel.posts].filter((p) => p.message.kind === "review-due");
      assert.equal(posts.length, 1, "posted once");
      assert.equal((await lifecycle.reviews.find({ entryId: entry.id })).length, 1, "one review");
      const ran = [ra, rb].map((r) => r.results.find((x) => x.job === "review-due")!);
      assert.equal(ran.reduce((n, r) => n + r.ran, 0), 1, "ran on exactly one instance");
      assert.equal(ran.reduce((n, r) => n + r.skipped, 0), 1, "the other saw it claimed");
      const lease = await lifecycle.leases.get(`review-due:${entry.id}:2027-07-11`);
      assert.deepEqual([lease?.status, lease?.attempts], ["done", 1]);
      // And again later: done work never runs again.
      await Promise.all([a.scheduler.runOnce(), b.scheduler.runOnce()]);
      assert.equal([...one.channel.posts, ...two.channel.posts].filter((p) => p.message.kind === "review-due").length, 1);
    });

    it("a claim held by a crashed instance is taken over once its lease runs out", async () => {
      const { stores, lifecycle } = await open();
      const clock = new FakeClock("2027-01-11T09:00:00.000Z");
      const entry = await dueEntry(stores, lifecycle, clock);
      at(clock, "2027-07-11");
      const key = `review-due:${entry.id}:2027-07-11`;
      await lifecycle.leases.create({ id: key, job: "review-due", owner: "crashed", leaseUntil: "2027-07-11T09:05:00.000Z", status: "running", attempts: 1 });
      const h = lifecycleHarness(profile, undefined, { stores, lifecycle, blobs: new MemoryBlobStore(), clock });
      await h.service.scheduler.runOnce();
      assert.equal(h.channel.posts.length, 0, "still held by the other instance");
      clock.advance(6 * 60_000);
      await h.service.scheduler.runOnce();
      assert.equal(h.channel.posts.filter((p) => p.message.kind === "review-due").length, 1);
      const lease = await lifecycle.leases.get(key);
      assert.deepEqual([lease?.owner, lease?.status, lease?.attempts], ["a", "done", 2]);
    });

    it("work that fails is retried on later runs, then left as failed and shown in the status", async () => {
      const { stores, lifecycle } = await open();
      const clock = new FakeClock("2027-01-11T09:00:00.000Z");
      const entry = await dueEntry(stores, lifecycle, clock);
      at(clock, "2027-07-11");
      const h = lifecycleHarness(profile, undefined, { stores, lifecycle, blobs: new MemoryBlobStore(), clock });
      h.channel.failures = 100; // Teams is down
      for (let i = 0; i < 7; i++) await h.service.scheduler.runOnce();
      const lease = await lifecycle.leases.get(`review-due:${entry.id}:2027-07-11`);
      assert.deepEqual([lease?.status, lease?.attempts], ["failed", 5]);
      const status = await h.service.scheduler.status();
      assert.equal(status.failed.length, 1);
      assert.match(status.failed[0]!.result ?? "", /channel post failed/);
      assert.equal(status.lastRun?.ok, true, "the last run found nothing left to try");
      // The review itself exists (opened before the post failed): the channel post is what is missing.
      assert.equal((await lifecycle.reviews.find({ entryId: entry.id }))[0]?.postedToChannelAt, undefined);
    });

    it("reports its last run and next run", async () => {
      const { stores, lifecycle } = await open();
      const clock = new FakeClock("2027-01-11T09:00:00.000Z");
      const h = lifecycleHarness(profile, undefined, { stores, lifecycle, blobs: new MemoryBlobStore(), clock });
      const before = await h.service.scheduler.status();
      assert.equal(before.lastRun, null);
      assert.equal(before.nextRunAt, null, "not started");
      const run = await h.service.scheduler.runOnce();
      const status = await h.service.scheduler.status();
      assert.equal(status.lastRun?.instanceId, "a");
      assert.equal(status.lastRun?.finishedAt, run.finishedAt);
      assert.equal(status.lastRun?.nextRunAt, new Date(Date.parse(run.finishedAt) + 60_000).toISOString());
      assert.deepEqual(status.lastRun?.results.map((r) => r.job), ["review-due", "expiry", "appeal-reminder", "register-watch", "webhook-delivery", "retention-purge", "housekeeping"]);
      h.service.scheduler.start(60_000);
      const started = await h.service.scheduler.status();
      assert.equal(started.nextRunAt, "2027-01-11T09:01:00.000Z");
      await h.service.scheduler.stop();
    });
  });
}

suite("memory", async () => ({ stores: createMemoryStores(), lifecycle: createMemoryLifecycleStores() }));

describe("on Azure Tables (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });
  suite("Azure Tables", async () => {
    const tablePrefix = freshPrefix();
    return {
      stores: await createTableStores({ connectionString: azurite.connectionString, tablePrefix, identifierHashKey: "scheduler-test-identifier-key" }),
      lifecycle: await createLifecycleTableStores({ connectionString: azurite.connectionString, tablePrefix }),
    };
  });
});
