// SPOC diverts (Dorset 4.11-4.12; issue 6 items 1, 3 and 5): the divert service with memory stores, talking
// to the Graph simulator through the real adapter.
import assert from "node:assert/strict";
import { MemoryAuditStore } from "../../../bot/src/adapters/memory/audit";
import { MemoryDivertJobStore, MemoryDivertStore } from "../../../bot/src/adapters/memory/divertJobs";
import type { GraphMailClient } from "../../../bot/src/adapters/graph";
import type { GraphMail } from "../../../bot/src/ports/graph";
import { createDivertService, DEFAULT_FOLDER_NAME, type DivertService } from "../../../bot/src/services/divert";
import { CUSTOMER, CUSTOMER_ALT, SPOC, graphFor, ids, seedTenant, startSim, systemClock, testLogger, type TenantShape } from "../../support/graphSimulator/harness";
import type { GraphSimulator } from "../../support/graphSimulator/server";

const RULE_NAME = "CALM divert CAL-0042";

interface Rig {
  sim: GraphSimulator;
  tenant: TenantShape;
  graph: GraphMailClient;
  jobs: MemoryDivertJobStore;
  diverts: MemoryDivertStore;
  audit: MemoryAuditStore;
  logger: ReturnType<typeof testLogger>;
  service: DivertService;
}

async function rig(options: { staff?: number; rate?: number; sim?: Parameters<typeof startSim>[0]; maxAttempts?: number; maxStepAttempts?: number } = {}): Promise<Rig> {
  const sim = await startSim(options.sim);
  const tenant = seedTenant(sim, options.staff ?? 12);
  const graph = graphFor(sim, { ratePerSecond: options.rate ?? 5000, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) });
  const jobs = new MemoryDivertJobStore();
  const diverts = new MemoryDivertStore();
  const audit = new MemoryAuditStore();
  const logger = testLogger();
  const service = createDivertService({ graph, jobs, diverts, audit, clock: systemClock, ids, logger, runner: { flushIntervalMs: 50, leaseMs: 2000, ...(options.maxStepAttempts ? { maxStepAttempts: options.maxStepAttempts } : {}) } });
  return { sim, tenant, graph, jobs, diverts, audit, logger, service };
}

async function done(r: Rig): Promise<void> {
  await r.service.stop();
  r.graph.close();
  await r.sim.stop();
}

async function apply(r: Rig, extra: Partial<Parameters<DivertService["applyDivert"]>[0]> = {}) {
  const result = await r.service.applyDivert({
    entryId: "entry-42",
    reference: "CAL-0042",
    spocMailbox: SPOC,
    senderAddresses: [CUSTOMER, CUSTOMER_ALT],
    targets: [{ kind: "group", id: r.tenant.group }],
    actorId: "admin-1",
    ...extra,
  });
  assert.ok(result.ok, JSON.stringify(result));
  await r.service.idle();
  return result;
}

function rulesIn(sim: GraphSimulator, mailbox: string, name = RULE_NAME) {
  return sim.rules(mailbox).filter((rule) => rule.displayName === name);
}

describe("SPOC divert", () => {
  it("puts one neutral rule in every target mailbox: group members, named staff and opted-in councillors, never the SPOC", async () => {
    const r = await rig();
    try {
      const optIn = await r.service.councillorOptIn({ councillorMailbox: "cllr.one@example.org", actorId: "cllr-1" });
      assert.deepEqual(optIn, { ok: true, jobIds: [] }, "no divert yet, so nothing to do");
      const result = await apply(r, {
        targets: [
          { kind: "group", id: r.tenant.group },
          { kind: "user", id: SPOC },
          { kind: "user", id: "no.mailbox@example.org" },
          { kind: "user", id: "gone@example.org" },
        ],
      });
      assert.deepEqual(result.skipped.map((s) => s.code).sort(), ["DIVERT_TARGET_HAS_NO_MAILBOX", "DIVERT_TARGET_NOT_FOUND"]);
      const progress = await r.service.getJobProgress(result.jobId);
      assert.equal(progress?.status, "completed");
      assert.equal(progress?.total, 13);
      assert.equal(progress?.percent, 100);
      for (const mailbox of [...r.tenant.staff, "cllr.one@example.org"]) {
        const rules = rulesIn(r.sim, mailbox);
        assert.equal(rules.length, 1, mailbox);
        const rule = rules[0]!;
        assert.equal(rule.isEnabled, true);
        assert.equal(rule.sequence, 1);
        assert.deepEqual((rule.conditions.fromAddresses as { emailAddress: { address: string } }[]).map((a) => a.emailAddress.address).sort(), [CUSTOMER_ALT, CUSTOMER].sort());
        assert.deepEqual(rule.actions.redirectTo, [{ emailAddress: { address: SPOC } }]);
        assert.equal(rule.actions.stopProcessingRules, true);
        assert.equal(r.sim.folderName(mailbox, rule.actions.moveToFolder as string), DEFAULT_FOLDER_NAME);
      }
      assert.equal(r.sim.rules(SPOC).length, 0, "the SPOC's own mail is not diverted to itself");
      assert.equal(r.sim.rules("cllr.two@example.org").length, 0, "a councillor who has not opted in keeps their mail");
      // Nothing personal in the rule's name or the logs.
      assert.ok(!RULE_NAME.includes("alex"));
      assert.ok(!JSON.stringify(r.logger.lines).includes("example.com"));
      const events = await r.audit.listBySubject("none");
      assert.deepEqual(events, []);
      const byActor = await r.audit.listByActor("admin-1");
      assert.deepEqual(byActor[0]?.what, ["CAL-0042", "divert-applied"]);

      // Mail from the customer now reaches the SPOC with the sender intact, and the original is kept.
      const delivered = await r.sim.deliverMessage(r.tenant.staff[0]!, { from: CUSTOMER_ALT });
      assert.equal(delivered.folder, DEFAULT_FOLDER_NAME);
      assert.equal(r.sim.messages(SPOC).at(-1)?.from, CUSTOMER_ALT);
    } finally {
      await done(r);
    }
  });

  it("never duplicates a rule when the same divert is applied again", async () => {
    const r = await rig();
    try {
      await apply(r);
      const posts = () => r.sim.stats().byRoute["POST /users/{id}/mailFolders/inbox/messageRules"] ?? 0;
      const before = posts();
      const again = await apply(r);
      assert.equal(posts(), before, "the second run only looked");
      assert.equal((await r.service.getJobProgress(again.jobId))?.done, 12);
      for (const m of r.tenant.staff) assert.equal(rulesIn(r.sim, m).length, 1);
      assert.equal(r.sim.duplicateCreations(), 0);
    } finally {
      await done(r);
    }
  });

  it("resumes after being killed mid-job: a new instance finishes it with no duplicate rules", async () => {
    const sim = await startSim({ latencyMs: { min: 2, max: 6 } });
    const tenant = seedTenant(sim, 120);
    const jobs = new MemoryDivertJobStore();
    const diverts = new MemoryDivertStore();
    const logger = testLogger();
    const graphA = graphFor(sim, { ratePerSecond: 800 });
    let created = 0;
    // Instance A dies abruptly after its 40th rule: no more writes, lease kept, unsaved progress lost.
    const killAfter: GraphMail = {
      ...graphA,
      createMessageRule: async (m, rule) => {
        const made = await graphA.createMessageRule(m, rule);
        created += 1;
        if (created === 40) {
          void serviceA.stop("crash");
          graphA.close();
        }
        return made;
      },
    };
    const serviceA = createDivertService({ graph: killAfter, jobs, diverts, clock: systemClock, ids, logger, runner: { flushIntervalMs: 1000, flushEveryRows: 99, leaseMs: 400 } });
    const applied = await serviceA.applyDivert({ entryId: "entry-42", reference: "CAL-0042", spocMailbox: SPOC, senderAddresses: [CUSTOMER], targets: [{ kind: "group", id: tenant.group }], actorId: "admin-1" });
    assert.ok(applied.ok);
    await serviceA.idle();
    const midway = await serviceA.getJobProgress(applied.jobId);
    assert.equal(midway?.status, "running", "the job was left unfinished");
    assert.ok(sim.rulesNamed(RULE_NAME).length >= 40 && sim.rulesNamed(RULE_NAME).length < 120);

    await new Promise((resolve) => setTimeout(resolve, 450)); // A's lease runs out
    const graphB = graphFor(sim);
    const serviceB = createDivertService({ graph: graphB, jobs, diverts, clock: systemClock, ids, logger, runner: { flushIntervalMs: 50 } });
    await serviceB.runPending();
    await serviceB.idle();
    const finished = await serviceB.getJobProgress(applied.jobId);
    assert.equal(finished?.status, "completed");
    assert.equal(finished?.done, 120);
    for (const m of tenant.staff) assert.equal(rulesIn(sim, m).length, 1, m);
    assert.equal(sim.duplicateCreations(), 0);
    graphB.close();
    await sim.stop();
  });

  it("lifting removes exactly the rules CALM made for that entry, even one renamed by hand", async () => {
    const r = await rig();
    try {
      const [a, b, c] = r.tenant.staff;
      const own = r.sim.tenant.createRule(r.sim.tenant.mailbox(a!), { displayName: "My newsletters", actions: { markAsRead: true }, conditions: { fromAddresses: [{ emailAddress: { address: CUSTOMER } }] } });
      await apply(r);
      const other = await r.service.applyDivert({ entryId: "entry-43", reference: "CAL-0043", spocMailbox: SPOC, senderAddresses: ["sam.sample@example.com"], targets: [{ kind: "user", id: b! }], actorId: "admin-1" });
      assert.ok(other.ok);
      await r.service.idle();
      const renamed = rulesIn(r.sim, c!)[0]!;
      r.sim.tenant.updateRule(r.sim.tenant.mailbox(c!), renamed.id, { displayName: "Alex stuff" });

      const lifted = await r.service.liftDivert({ entryId: "entry-42", actorId: "admin-2" });
      assert.ok(lifted.ok);
      await r.service.idle();
      assert.equal((await r.service.getJobProgress(lifted.jobId))?.status, "completed");
      assert.equal(r.sim.rulesNamed(RULE_NAME).length, 0);
      assert.ok(!r.sim.rules(c!).some((x) => x.id === renamed.id), "the renamed rule was CALM's and is gone");
      assert.ok(r.sim.rules(a!).some((x) => x.id === own.id), "the officer's own rule stays");
      assert.equal(rulesIn(r.sim, b!, "CALM divert CAL-0043").length, 1, "another entry's divert stays");
      const view = await r.service.getDivert("entry-42");
      assert.equal(view?.status, "lifted");
      assert.deepEqual(view?.targetMailboxes, []);
    } finally {
      await done(r);
    }
  });

  it("councillors opt in to every active divert and opt out again; an opted-out councillor is left out of new diverts", async () => {
    const r = await rig();
    try {
      await apply(r);
      const second = await r.service.applyDivert({ entryId: "entry-43", reference: "CAL-0043", spocMailbox: SPOC, senderAddresses: ["sam.sample@example.com"], targets: [{ kind: "user", id: r.tenant.staff[0]! }], actorId: "admin-1" });
      assert.ok(second.ok);
      await r.service.idle();
      const cllr = "cllr.two@example.org";
      const optIn = await r.service.councillorOptIn({ councillorMailbox: "Cllr.Two@Example.org ", actorId: "cllr-2" });
      assert.ok(optIn.ok && optIn.jobIds.length === 2);
      await r.service.idle();
      assert.deepEqual(r.sim.rules(cllr).map((x) => x.displayName).sort(), ["CALM divert CAL-0042", "CALM divert CAL-0043"]);
      const again = await r.service.councillorOptIn({ councillorMailbox: cllr, actorId: "cllr-2" });
      assert.ok(again.ok && again.jobIds.length === 0, "opting in twice changes nothing");

      const optOut = await r.service.councillorOptOut({ councillorMailbox: cllr, actorId: "cllr-2" });
      assert.ok(optOut.ok && optOut.jobIds.length === 2);
      await r.service.idle();
      assert.deepEqual(r.sim.rules(cllr), []);
      assert.equal(rulesIn(r.sim, r.tenant.staff[0]!).length, 1, "staff mailboxes keep theirs");

      // The councillor is in a named group now, but their own choice stands (Dorset 4.12).
      const reapply = await apply(r, { targets: [{ kind: "group", id: r.tenant.group }, { kind: "user", id: cllr }] });
      assert.equal(reapply.total, 12);
      assert.deepEqual(r.sim.rules(cllr), []);
    } finally {
      await done(r);
    }
  });

  it("the reconciler reports rules changed or deleted by hand, then repairs them", async () => {
    const r = await rig();
    try {
      await apply(r);
      const [deleted, disabled, redirected, renamed, duplicated, forwarded] = r.tenant.staff;
      const mb = (m: string) => r.sim.tenant.mailbox(m);
      const rule = (m: string) => rulesIn(r.sim, m)[0]!;
      r.sim.tenant.deleteRule(mb(deleted!), rule(deleted!).id);
      r.sim.tenant.updateRule(mb(disabled!), rule(disabled!).id, { isEnabled: false });
      r.sim.tenant.updateRule(mb(redirected!), rule(redirected!).id, { actions: { ...rule(redirected!).actions, redirectTo: [{ emailAddress: { address: "someone.else@example.org" } }] } });
      r.sim.tenant.updateRule(mb(renamed!), rule(renamed!).id, { displayName: "old rule" });
      r.sim.tenant.createRule(mb(duplicated!), { ...rule(duplicated!) });
      r.sim.tenant.updateRule(mb(forwarded!), rule(forwarded!).id, { actions: { ...rule(forwarded!).actions, forwardTo: [{ emailAddress: { address: "outside@example.net" } }] } });
      const snapshot = JSON.stringify(r.sim.rulesNamed(""));

      const report = await r.service.reconcile({ entryId: "entry-42", mode: "report", actorId: "admin-1" });
      assert.ok(report.ok);
      await r.service.idle();
      const reported = await r.service.getJobProgress(report.jobIds[0]!);
      const kinds = new Map(reported?.drift?.map((d) => [d.mailbox, d.kinds]));
      assert.deepEqual(kinds.get(deleted!), ["missing"]);
      assert.deepEqual(kinds.get(disabled!), ["disabled"]);
      assert.deepEqual(kinds.get(redirected!), ["changed"]);
      assert.deepEqual(kinds.get(renamed!), ["renamed"]);
      assert.deepEqual(kinds.get(duplicated!), ["duplicate"]);
      assert.deepEqual(kinds.get(forwarded!), ["changed"]);
      assert.equal(kinds.size, 6, "the untouched mailboxes are fine");
      assert.equal(JSON.stringify(r.sim.rulesNamed("")), snapshot, "report mode changes nothing");

      const repair = await r.service.reconcile({ entryId: "entry-42", mode: "repair", actorId: "admin-1" });
      assert.ok(repair.ok);
      await r.service.idle();
      const repaired = await r.service.getJobProgress(repair.jobIds[0]!);
      assert.equal(repaired?.status, "completed");
      assert.ok(repaired?.drift?.every((d) => d.outcome === "restored"));
      for (const m of r.tenant.staff) {
        const rules = rulesIn(r.sim, m);
        assert.equal(rules.length, 1, m);
        assert.equal(rules[0]!.isEnabled, true);
        assert.deepEqual(rules[0]!.actions.redirectTo, [{ emailAddress: { address: SPOC } }]);
        assert.equal(rules[0]!.actions.forwardTo, undefined);
      }
      assert.ok(!r.sim.rules(renamed!).some((x) => x.displayName === "old rule"));
    } finally {
      await done(r);
    }
  });

  it("rides out a 429/503 storm: every mailbox done, no duplicates, never over four requests per mailbox", async () => {
    // A heavy storm: a third of all requests refused. Retries stay bounded, but generous enough here that
    // the run does not depend on luck (0.35^12 per call).
    const r = await rig({ staff: 40, maxAttempts: 12, maxStepAttempts: 8, sim: { storm: { rate429: 0.25, rate503: 0.1, retryAfterSeconds: 0.01 } } });
    try {
      const result = await apply(r);
      const progress = await r.service.getJobProgress(result.jobId);
      assert.equal(progress?.status, "completed", JSON.stringify(progress?.failures));
      for (const m of r.tenant.staff) assert.equal(rulesIn(r.sim, m).length, 1, m);
      const stats = r.sim.stats();
      assert.ok(stats.throttled > 10, `throttled ${stats.throttled}`);
      assert.ok(stats.maxMailboxConcurrencyAttempted <= 4);
      assert.equal(r.sim.duplicateCreations(), 0);
      assert.ok(r.graph.stats().retries > 10);
    } finally {
      await done(r);
    }
  });

  it("survives malformed answers and dropped connections, even after a rule was made, without duplicates", async () => {
    const r = await rig({ staff: 20 });
    try {
      r.sim.addFault({ kind: "drop", match: { method: "POST", path: "/messageRules" }, when: "after", times: 3 });
      r.sim.addFault({ kind: "malformed", match: { method: "POST", path: "/messageRules" }, when: "after", times: 2 });
      r.sim.addFault({ kind: "malformed", match: { method: "GET", path: "/messageRules" }, times: 3, body: "{\"value\": [" });
      r.sim.addFault({ kind: "drop", match: { method: "GET", path: "/messageRules" }, times: 2 });
      r.sim.addFault({ kind: "malformed", match: { method: "POST", path: "/mailFolders" }, when: "after", times: 2, body: "{}" });
      const result = await apply(r);
      const progress = await r.service.getJobProgress(result.jobId);
      assert.equal(progress?.status, "completed", JSON.stringify(progress?.failures));
      for (const m of r.tenant.staff) assert.equal(rulesIn(r.sim, m).length, 1, m);
      assert.equal(r.sim.duplicateCreations(), 0);
      assert.ok(r.sim.stats().faultsInjected >= 10);
    } finally {
      await done(r);
    }
  });

  it("a mailbox that keeps failing ends failed with its reason; retrying the failed ones completes the job", async () => {
    const r = await rig();
    try {
      const [broken, forbidden] = r.tenant.staff;
      r.sim.addFault({ kind: "status", status: 503, retryAfterSeconds: 0, match: { mailbox: broken }, times: Infinity });
      r.sim.addFault({ kind: "status", status: 403, graphCode: "ErrorAccessDenied", match: { mailbox: forbidden }, times: 1 });
      const result = await apply(r);
      const progress = await r.service.getJobProgress(result.jobId);
      assert.equal(progress?.status, "completed-with-failures");
      assert.equal(progress?.percent, 100);
      assert.equal(progress?.failed, 2);
      const byMailbox = new Map(progress?.failures.map((f) => [f.mailbox, f]));
      assert.equal(byMailbox.get(broken!)?.code, "GRAPH_UNAVAILABLE");
      assert.match(byMailbox.get(broken!)?.message ?? "", /Retry failed mailboxes/);
      assert.equal(byMailbox.get(forbidden!)?.code, "GRAPH_FORBIDDEN");
      assert.match(byMailbox.get(forbidden!)?.message ?? "", /administrator/);

      r.sim.clearFaults();
      const retry = await r.service.retryFailed({ jobId: result.jobId, actorId: "admin-1" });
      assert.ok(retry.ok && retry.total === 2);
      await r.service.idle();
      assert.equal((await r.service.getJobProgress(retry.jobId))?.status, "completed");
      assert.equal(rulesIn(r.sim, broken!).length, 1);
      assert.equal(rulesIn(r.sim, forbidden!).length, 1);
      const nothing = await r.service.retryFailed({ jobId: retry.jobId, actorId: "admin-1" });
      assert.deepEqual(nothing.ok ? "" : nothing.code, "DIVERT_NOTHING_TO_RETRY");
    } finally {
      await done(r);
    }
  });

  it("shows progress while the job runs, and a lift during an apply cancels it and leaves no rule behind", async () => {
    const r = await rig({ staff: 150, rate: 300 });
    try {
      const applied = await r.service.applyDivert({ entryId: "entry-42", reference: "CAL-0042", spocMailbox: SPOC, senderAddresses: [CUSTOMER], targets: [{ kind: "group", id: r.tenant.group }], actorId: "admin-1" });
      assert.ok(applied.ok);
      let seen: number | undefined;
      for (let i = 0; i < 40 && seen === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const p = await r.service.getJobProgress(applied.jobId);
        if (p && p.percent > 0 && p.percent < 100) seen = p.percent;
      }
      assert.ok(seen !== undefined, "part-way progress was visible");
      const lifted = await r.service.liftDivert({ entryId: "entry-42", actorId: "admin-1" });
      assert.ok(lifted.ok);
      await r.service.idle();
      assert.equal((await r.service.getJobProgress(applied.jobId))?.status, "cancelled");
      assert.equal((await r.service.getJobProgress(lifted.jobId))?.status, "completed");
      assert.equal(r.sim.rulesNamed("CALM divert").length, 0, "no orphans");
    } finally {
      await done(r);
    }
  });

  it("records when and how the customer was told (Dorset 4.11), and checks its inputs", async () => {
    const r = await rig();
    try {
      const early = await r.service.recordCustomerTold({ entryId: "entry-42", on: "2026-03-02", how: "letter", actorId: "admin-1" });
      assert.equal(early.ok ? "" : early.code, "DIVERT_NOT_FOUND");
      await apply(r);
      assert.equal((await r.service.getDivert("entry-42"))?.customerNotYetTold, true);
      const told = await r.service.recordCustomerTold({ entryId: "entry-42", on: "2026-03-02", how: "letter", actorId: "admin-1" });
      assert.ok(told.ok);
      assert.equal(told.divert.customerToldOn, "2026-03-02");
      assert.equal(told.divert.customerToldHow, "letter");
      assert.equal(told.divert.customerNotYetTold, false);
      assert.equal(told.divert.targetMailboxes.length, 12);
      const badDate = await r.service.recordCustomerTold({ entryId: "entry-42", on: "2 March", how: "letter", actorId: "admin-1" });
      assert.equal(badDate.ok ? "" : badDate.code, "DIVERT_INVALID_INPUT");

      const named = await r.service.applyDivert({ entryId: "e", reference: "Alex Example", spocMailbox: SPOC, senderAddresses: [CUSTOMER], targets: [{ kind: "group", id: r.tenant.group }], actorId: "a" });
      assert.equal(named.ok ? "" : named.code, "DIVERT_INVALID_INPUT");
      const noSender = await r.service.applyDivert({ entryId: "e", reference: "CAL-0050", spocMailbox: SPOC, senderAddresses: ["not an address"], targets: [{ kind: "group", id: r.tenant.group }], actorId: "a" });
      assert.equal(noSender.ok ? "" : noSender.code, "DIVERT_INVALID_INPUT");
      const nobody = await r.service.applyDivert({ entryId: "e", reference: "CAL-0050", spocMailbox: SPOC, senderAddresses: [CUSTOMER], targets: [{ kind: "user", id: SPOC }], actorId: "a" });
      assert.equal(nobody.ok ? "" : nobody.code, "DIVERT_NO_TARGETS");
    } finally {
      await done(r);
    }
  });

  it("in the background, picks up unfinished jobs (for example after a restart) and finishes them", async () => {
    const r = await rig();
    const idle = createDivertService({ graph: r.graph, jobs: r.jobs, diverts: r.diverts, clock: systemClock, ids, logger: r.logger, autoRun: false });
    try {
      const made = await idle.applyDivert({ entryId: "entry-42", reference: "CAL-0042", spocMailbox: SPOC, senderAddresses: [CUSTOMER], targets: [{ kind: "group", id: r.tenant.group }], actorId: "admin-1" });
      assert.ok(made.ok);
      assert.equal((await r.service.getJobProgress(made.jobId))?.status, "queued");
      const stop = r.service.start({ resumeEveryMs: 50, reconcileEveryMs: 0 });
      for (let i = 0; i < 60 && (await r.service.getJobProgress(made.jobId))?.status !== "completed"; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      stop();
      assert.equal((await r.service.getJobProgress(made.jobId))?.status, "completed");
      assert.equal(r.sim.rulesNamed(RULE_NAME).length, 12);
    } finally {
      await done(r);
    }
  });
});
