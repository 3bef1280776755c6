// Marking incoming mail from listed senders (issue 6 items 2 and 5): subscriptions with the validation
// handshake, clientState checks, renewal from Graph's expirationDateTime, lifecycle notifications, the
// durable queue and its idempotent worker. Memory stores; Graph is the simulator behind the real adapter.
import assert from "node:assert/strict";
import { FakeClock } from "../../../bot/src/adapters/system/clock";
import { MemoryMailSubscriptionStore, MemoryMailWorkQueue } from "../../../bot/src/adapters/memory/mailMarking";
import type { GraphMailClient } from "../../../bot/src/adapters/graph";
import { createMailMarking, DEFAULT_CATEGORY, type MailMarking } from "../../../bot/src/services/mailMarking";
import { startNotificationEndpoint, type NotificationEndpoint } from "../../support/graphSimulator/notificationEndpoint";
import { CUSTOMER, graphFor, ids, seedTenant, startSim, systemClock, testLogger, type TenantShape } from "../../support/graphSimulator/harness";
import type { GraphSimulator } from "../../support/graphSimulator/server";
import type { Clock } from "../../../bot/src/ports/system";

interface Rig {
  sim: GraphSimulator;
  tenant: TenantShape;
  graph: GraphMailClient;
  endpoint: NotificationEndpoint;
  queue: MemoryMailWorkQueue;
  subscriptions: MemoryMailSubscriptionStore;
  marking: MailMarking;
  inScope: string[];
  checked: string[];
  logger: ReturnType<typeof testLogger>;
}

async function rig(options: { clock?: Clock; sim?: Parameters<typeof startSim>[0]; maxAttempts?: number } = {}): Promise<Rig> {
  const clock = options.clock ?? systemClock;
  const sim = await startSim({ now: () => clock.now().getTime(), ...options.sim });
  const tenant = seedTenant(sim, 4);
  const graph = graphFor(sim, { now: Date.now, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) });
  const queue = new MemoryMailWorkQueue();
  const subscriptions = new MemoryMailSubscriptionStore();
  const inScope = tenant.staff.slice(0, 2);
  const checked: string[] = [];
  const logger = testLogger();
  // The endpoint starts first (its URLs go into the service); requests find the service through this.
  const late: { marking?: MailMarking } = {};
  const endpoint = await startNotificationEndpoint({
    change: (req) => late.marking!.handleGraphNotification(req),
    lifecycle: (req) => late.marking!.handleLifecycleNotification(req),
  });
  const marking = createMailMarking({
    graph,
    queue,
    subscriptions,
    clock,
    ids,
    logger,
    isListedSender: (email) => {
      checked.push(email);
      return Promise.resolve(email === CUSTOMER ? { listed: true, reference: "CAL-0042" } : { listed: false });
    },
    listInScopeMailboxes: () => Promise.resolve([...inScope]),
    notificationUrl: endpoint.notificationUrl,
    lifecycleNotificationUrl: endpoint.lifecycleNotificationUrl,
    worker: { retryBaseMs: 1 },
  });
  late.marking = marking;
  return { sim, tenant, graph, endpoint, queue, subscriptions, marking, inScope, checked, logger };
}

async function done(r: Rig): Promise<void> {
  r.graph.close();
  await r.endpoint.stop();
  await r.sim.stop();
}

const patches = (sim: GraphSimulator): number => sim.stats().byRoute["PATCH /users/{id}/messages/{id}"] ?? 0;

describe("Marking mail from listed senders", () => {
  it("answers Graph's validation handshake by echoing the token as plain text", async () => {
    const r = await rig();
    try {
      const reply = await r.marking.handleGraphNotification({ query: new URLSearchParams("validationToken=Validation%3A%20Testing%20%3Cb%3E"), headers: {}, body: undefined, rawBody: "" });
      assert.equal(reply.status, 200);
      assert.equal(reply.body, "Validation: Testing <b>");
      assert.match(reply.headers?.["Content-Type"] ?? "", /^text\/plain/);
      const lifecycle = await r.marking.handleLifecycleNotification({ query: new URLSearchParams("validationToken=abc"), headers: {}, body: undefined, rawBody: "" });
      assert.equal(lifecycle.body, "abc");
    } finally {
      await done(r);
    }
  });

  it("subscribes each in-scope inbox, with its own secret clientState and a lifecycle URL", async () => {
    const r = await rig();
    try {
      const report = await r.marking.syncSubscriptions();
      assert.equal(report.created, 2);
      const subs = r.sim.subscriptions();
      assert.deepEqual(subs.map((s) => s.resource).sort(), r.inScope.map((m) => `users/${m}/mailFolders('Inbox')/messages`).sort());
      assert.ok(subs.every((s) => s.changeType === "created" && s.lifecycleNotificationUrl === r.endpoint.lifecycleNotificationUrl));
      assert.equal(new Set(subs.map((s) => s.clientState)).size, 2);
      assert.ok(subs.every((s) => (s.clientState?.length ?? 0) >= 40 && (s.clientState?.length ?? 0) <= 128));
      assert.equal((await r.marking.syncSubscriptions()).created, 0, "a second sync changes nothing");
    } finally {
      await done(r);
    }
  });

  it("marks mail from a listed sender with the neutral category, keeps other categories, and leaves other mail alone", async () => {
    const r = await rig();
    try {
      await r.marking.syncSubscriptions();
      const [a, b] = r.inScope;
      const listed = await r.sim.deliverMessage(a!, { from: "Alex.Example@Example.com", categories: ["Red category"] });
      const other = await r.sim.deliverMessage(b!, { from: "sam.sample@example.com" });
      assert.ok([...listed.deliveries, ...other.deliveries].every((d) => d.status === 202));
      assert.ok(r.endpoint.log.every((l) => l.ms < 500), "the endpoint answers fast");
      const report = await r.marking.drain();
      assert.deepEqual(report.outcomes, { marked: 1, "not-listed": 1 });
      assert.deepEqual(r.sim.messages(a!).find((m) => m.id === listed.messageId)?.categories, ["Red category", DEFAULT_CATEGORY]);
      assert.deepEqual(r.sim.messages(b!).find((m) => m.id === other.messageId)?.categories, []);
      assert.ok(r.checked.includes(CUSTOMER), "the lookup gets the address in lower case");
      assert.ok(!JSON.stringify(r.logger.lines).includes("example.com"), "no addresses in the logs");
    } finally {
      await done(r);
    }
  });

  it("queues duplicate notifications once and marks the message once", async () => {
    const r = await rig();
    try {
      await r.marking.syncSubscriptions();
      const d = await r.sim.deliverMessage(r.inScope[0]!, { from: CUSTOMER }, { duplicates: 3 });
      assert.equal(d.deliveries.length, 4);
      assert.deepEqual(await r.queue.counts(), { pending: 1, leased: 0, done: 0, failed: 0 });
      await r.marking.drain();
      assert.equal(patches(r.sim), 1);
      // The same notification again, after it was done: still nothing new.
      const sub = r.sim.subscriptions()[0]!;
      const again = await r.marking.handleGraphNotification({
        query: new URLSearchParams(),
        headers: {},
        body: { value: [{ subscriptionId: d.deliveries[0]!.subscriptionId, clientState: r.sim.subscriptions().find((s) => s.id === d.deliveries[0]!.subscriptionId)?.clientState ?? sub.clientState, changeType: "created", resourceData: { id: d.messageId } }] },
        rawBody: "",
      });
      assert.equal(again.status, 202);
      await r.marking.drain();
      assert.equal(patches(r.sim), 1);
      assert.equal((await r.queue.counts()).done, 1);
    } finally {
      await done(r);
    }
  });

  it("rejects notifications whose clientState does not match, and queues nothing", async () => {
    const r = await rig();
    try {
      await r.marking.syncSubscriptions();
      const forged = await r.sim.deliverMessage(r.inScope[0]!, { from: CUSTOMER }, { clientState: "forged" });
      assert.deepEqual(forged.deliveries.map((d) => d.status), [403]);
      const unknown = await r.marking.handleGraphNotification({ query: new URLSearchParams(), headers: {}, body: { value: [{ subscriptionId: "not-ours", clientState: "x", changeType: "created", resourceData: { id: "m" } }] }, rawBody: "" });
      assert.equal(unknown.status, 403);
      assert.match(unknown.body ?? "", /CLIENT_STATE_MISMATCH/);
      const junk = await r.marking.handleGraphNotification({ query: new URLSearchParams(), headers: {}, body: undefined, rawBody: "{not json" });
      assert.equal(junk.status, 400);
      assert.deepEqual(await r.queue.counts(), { pending: 0, leased: 0, done: 0, failed: 0 });
    } finally {
      await done(r);
    }
  });

  it("renews before the expirationDateTime Graph returns, and recreates a subscription that expired", async () => {
    const clock = new FakeClock("2026-03-02T09:00:00.000Z");
    const r = await rig({ clock, sim: { subscriptionLifetimeCapMs: 3600_000 } });
    try {
      await r.marking.syncSubscriptions();
      const first = (await r.subscriptions.list())[0]!;
      assert.equal(first.expirationDateTime, "2026-03-02T10:00:00.000Z", "Graph granted one hour, not the seven days asked for");
      clock.advance(30 * 60_000);
      assert.equal((await r.marking.syncSubscriptions()).renewed, 0, "too early");
      clock.advance(11 * 60_000);
      const renewal = await r.marking.syncSubscriptions();
      assert.equal(renewal.renewed, 2, "two thirds of the granted hour have passed");
      const renewed = (await r.subscriptions.get(first.subscriptionId))!;
      assert.equal(renewed.expirationDateTime, "2026-03-02T10:41:00.000Z");
      assert.equal(r.sim.subscriptions().length, 2);

      clock.advance(3 * 3600_000); // nobody renewed: Graph forgets them
      assert.equal(r.sim.subscriptions().length, 0);
      const recreated = await r.marking.syncSubscriptions();
      assert.equal(recreated.recreated, 2);
      assert.ok(!(await r.subscriptions.get(first.subscriptionId)));
      const d = await r.sim.deliverMessage(r.inScope[0]!, { from: CUSTOMER });
      assert.deepEqual(d.deliveries.map((x) => x.status), [202], "notifications flow again");
      const status = await r.marking.status();
      assert.equal(status.subscriptions, 2);
      assert.ok(status.nextRenewalAt && status.nextRenewalAt > clock.now().toISOString());
    } finally {
      await done(r);
    }
  });

  it("handles lifecycle notifications: reauthorize renews, removed recreates, missed resyncs recent inbox mail", async () => {
    const r = await rig();
    try {
      await r.marking.syncSubscriptions();
      const mailbox = r.inScope[0]!;
      const subId = () => r.sim.subscriptions().find((s) => s.resource.includes(mailbox))!.id;

      const reauth = await r.sim.sendLifecycle(subId(), "reauthorizationRequired");
      assert.equal(reauth.status, 202);
      assert.deepEqual((await r.marking.drain()).outcomes, { renewed: 1 });
      assert.equal(r.sim.subscriptions().find((s) => s.id === subId())?.needsReauthorization, false);

      const old = subId();
      assert.equal((await r.sim.sendLifecycle(old, "subscriptionRemoved")).status, 202);
      assert.deepEqual((await r.marking.drain()).outcomes, { recreated: 1 });
      assert.notEqual(subId(), old);
      assert.equal(await r.subscriptions.get(old), undefined);

      // Mail that arrived while notifications were lost (no notification sent at all).
      const lost = r.sim.tenant.deliver(mailbox, { from: CUSTOMER });
      assert.equal((await r.sim.sendLifecycle(subId(), "missed")).status, 202);
      const resync = await r.marking.drain();
      assert.deepEqual(resync.outcomes, { resynced: 1 });
      assert.deepEqual(r.sim.messages(mailbox).find((m) => m.id === lost.message.id)?.categories, [DEFAULT_CATEGORY]);

      const forged = await r.sim.sendLifecycle(subId(), "missed", { clientState: "nope" });
      assert.equal(forged.status, 403);
    } finally {
      await done(r);
    }
  });

  it("two workers draining one queue never process an item twice", async () => {
    const r = await rig();
    try {
      await r.marking.syncSubscriptions();
      const second = createMailMarking({
        graph: r.graph,
        queue: r.queue,
        subscriptions: r.subscriptions,
        clock: systemClock,
        ids,
        logger: r.logger,
        isListedSender: (e) => Promise.resolve({ listed: e === CUSTOMER }),
        listInScopeMailboxes: () => Promise.resolve(r.inScope),
        notificationUrl: r.endpoint.notificationUrl,
        lifecycleNotificationUrl: r.endpoint.lifecycleNotificationUrl,
        worker: { claimBatch: 3 },
      });
      for (let i = 0; i < 12; i++) await r.sim.deliverMessage(r.inScope[i % 2]!, { from: CUSTOMER, subject: `n${i}` });
      const [x, y] = await Promise.all([r.marking.drain(), second.drain()]);
      assert.equal(x.processed + y.processed, 12);
      assert.equal(patches(r.sim), 12);
      assert.equal((await r.queue.counts()).done, 12);
    } finally {
      await done(r);
    }
  });

  it("retries a message later when Graph fails, and ends failed with the reason when it is refused", async () => {
    const r = await rig({ maxAttempts: 2 });
    try {
      await r.marking.syncSubscriptions();
      const [a, b] = r.inScope;
      r.sim.addFault({ kind: "status", status: 503, retryAfterSeconds: 0.05, match: { method: "GET", mailbox: a, path: "/messages/" }, times: 2 });
      r.sim.addFault({ kind: "status", status: 403, graphCode: "ErrorAccessDenied", match: { method: "GET", mailbox: b, path: "/messages/" }, times: Infinity });
      await r.sim.deliverMessage(a!, { from: CUSTOMER });
      await r.sim.deliverMessage(b!, { from: CUSTOMER });
      const first = await r.marking.drain();
      assert.deepEqual(first.outcomes, { retry: 1, failed: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100)); // Graph's Retry-After for the item
      const second = await r.marking.drain();
      assert.deepEqual(second.outcomes, { marked: 1 });
      const counts = await r.queue.counts();
      assert.deepEqual(counts, { pending: 0, leased: 0, done: 1, failed: 1 });
      const gone = r.sim.tenant.deliver(a!, { from: CUSTOMER });
      r.sim.tenant.mailbox(a!).messages.delete(gone.message.id);
      await r.marking.handleGraphNotification({ query: new URLSearchParams(), headers: {}, body: { value: [{ subscriptionId: r.sim.subscriptions().find((s) => s.resource.includes(a!))!.id, clientState: r.sim.subscriptions().find((s) => s.resource.includes(a!))!.clientState, changeType: "created", resourceData: { id: gone.message.id } }] }, rawBody: "" });
      assert.deepEqual((await r.marking.drain()).outcomes, { "message-gone": 1 });
    } finally {
      await done(r);
    }
  });

  it("drops the subscription of a mailbox that leaves scope", async () => {
    const r = await rig();
    try {
      await r.marking.syncSubscriptions();
      r.inScope.splice(1, 1);
      const report = await r.marking.syncSubscriptions();
      assert.equal(report.removed, 1);
      assert.equal(r.sim.subscriptions().length, 1);
      assert.equal((await r.subscriptions.list()).length, 1);
    } finally {
      await done(r);
    }
  });

  it("runs in the background: notifications wake the worker, and stop() waits for work in hand", async () => {
    const r = await rig();
    try {
      const stop = r.marking.start();
      for (let i = 0; i < 50 && r.sim.subscriptions().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const d = await r.sim.deliverMessage(r.inScope[0]!, { from: CUSTOMER });
      let categories: string[] = [];
      for (let i = 0; i < 100 && categories.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        categories = r.sim.messages(r.inScope[0]!).find((m) => m.id === d.messageId)?.categories ?? [];
      }
      assert.deepEqual(categories, [DEFAULT_CATEGORY]);
      await stop();
    } finally {
      await done(r);
    }
  });
});
