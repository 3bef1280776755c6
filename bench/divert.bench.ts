// Benchmark: a SPOC divert to 5,000 mailboxes, then its lift, on the Graph simulator with Outlook's
// per-mailbox limits (four concurrent requests, 10,000 per 10 minutes) and a global budget of R requests
// per second (issue 6 item 6). Job state lives in Table Storage (Azurite) unless BENCH_STORE=memory.
//
//   ratio      = wall time / (requests needed / R)   — 1.0 means the budget was used to the full
//   duplicates = rules created while one of the same name was already in the mailbox
//   orphans    = CALM rules in mailboxes outside the target set after the apply, plus any left after the lift
//
// "Requests needed" is the least a correct divert can send: reading the group (one request per 999
// members), then per mailbox a rule listing (to find CALM's rule: re-running must never duplicate it), the
// folder for the originals and the rule; and per mailbox a listing and a delete to lift it.
//
// Environment: BENCH_MAILBOXES (5000), BENCH_RATE (R, 1000), BENCH_STORE (tables|memory),
// BENCH_LATENCY_MS ("2-8": simulated service time per request), BENCH_STORM_429 (share of requests Graph
// answers 429 with Retry-After: 1, default 0: the per-mailbox limits alone are the usual case).
import { randomUUID } from "node:crypto";
import { createGraphMail } from "../bot/src/adapters/graph";
import { MemoryDivertJobStore, MemoryDivertStore } from "../bot/src/adapters/memory/divertJobs";
import { createDivertTableStores } from "../bot/src/adapters/tables/divertJobs";
import type { DivertJobStore, DivertStore } from "../bot/src/ports/divertJobs";
import { createDivertService } from "../bot/src/services/divert";
import { startAzurite, type RunningAzurite } from "../scripts/support/azurite";
import { GraphSimulator } from "../tests/support/graphSimulator/server";

const MAILBOXES = Number(process.env.BENCH_MAILBOXES ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const STORE = process.env.BENCH_STORE ?? "tables";
const [LAT_MIN, LAT_MAX] = (process.env.BENCH_LATENCY_MS ?? "2-8").split("-").map(Number) as [number, number];
const STORM = Number(process.env.BENCH_STORM_429 ?? 0);
const OUTSIDERS = 200;
const RULE = "CALM divert CAL-0500";

async function waitForJob(service: ReturnType<typeof createDivertService>, jobId: string): Promise<void> {
  await service.idle();
  const p = await service.getJobProgress(jobId);
  if (p?.status !== "completed") throw new Error(`Job ${jobId} ended ${p?.status}: ${JSON.stringify(p?.failures.slice(0, 3))}`);
}

async function main(): Promise<void> {
  const sim = new GraphSimulator({
    latencyMs: { min: LAT_MIN, max: LAT_MAX ?? LAT_MIN },
    mailboxConcurrency: 4,
    mailboxRate: { limit: 10_000, windowMs: 600_000 },
    throttleRetryAfterSeconds: 1,
    ...(STORM > 0 ? { storm: { rate429: STORM, retryAfterSeconds: 1 } } : {}),
  });
  await sim.start();
  const staff: string[] = [];
  for (let i = 0; i < MAILBOXES; i++) staff.push(sim.tenant.addUser({ mail: `officer${String(i).padStart(5, "0")}@example.org` }).mail);
  for (let i = 0; i < OUTSIDERS; i++) sim.tenant.addUser({ mail: `outsider${i}@example.org` });
  sim.tenant.addUser({ mail: "housing.spoc@example.org" });
  sim.tenant.addGroup({ mail: "all-staff@example.org", members: staff });
  // Some officers have rules of their own, which must survive untouched.
  for (let i = 0; i < MAILBOXES; i += 50) {
    sim.tenant.createRule(sim.tenant.mailbox(staff[i]!), { displayName: "My own rule", actions: { markAsRead: true }, conditions: { fromAddresses: [{ emailAddress: { address: "news@example.com" } }] } });
  }

  let azurite: RunningAzurite | undefined;
  let jobs: DivertJobStore;
  let diverts: DivertStore;
  if (STORE === "memory") {
    jobs = new MemoryDivertJobStore();
    diverts = new MemoryDivertStore();
  } else {
    azurite = await startAzurite({ inMemory: true });
    ({ jobs, diverts } = await createDivertTableStores({ connectionString: azurite.connectionString, tablePrefix: "bench", identifierHashKey: "bench-identifier-hash-key" }));
  }
  const graph = createGraphMail({ baseUrl: sim.baseUrl, getToken: () => Promise.resolve("bench-token"), ratePerSecond: RATE, maxInFlightRequests: 16 });
  const quiet = { info: () => undefined, warn: () => undefined, error: (e: string) => process.stderr.write(`${e}\n`) };
  const service = createDivertService({
    graph,
    jobs,
    diverts,
    clock: { now: () => new Date() },
    ids: { next: () => randomUUID() },
    logger: quiet,
    runner: { mailboxConcurrency: Math.max(100, Math.ceil(RATE / 4)), flushIntervalMs: 1000 },
  });

  sim.resetStats();
  const t0 = performance.now();
  const applied = await service.applyDivert({
    entryId: "bench-entry",
    reference: "CAL-0500",
    spocMailbox: "housing.spoc@example.org",
    senderAddresses: ["alex.example@example.com", "a.example@example.net"],
    targets: [{ kind: "group", id: "all-staff@example.org" }],
    actorId: "bench",
  });
  if (!applied.ok) throw new Error(`${applied.code}: ${applied.message}`);
  await waitForJob(service, applied.jobId);
  const applyMs = performance.now() - t0;
  const afterApply = sim.stats();
  const inTarget = new Set(staff);
  const calmRules = sim.rulesNamed(RULE);
  const missing = staff.filter((m) => !sim.rules(m).some((r) => r.displayName === RULE)).length;
  let orphans = calmRules.filter((r) => !inTarget.has(r.mailbox)).length;

  const t1 = performance.now();
  const lifted = await service.liftDivert({ entryId: "bench-entry", actorId: "bench" });
  if (!lifted.ok) throw new Error(`${lifted.code}: ${lifted.message}`);
  await waitForJob(service, lifted.jobId);
  const liftMs = performance.now() - t1;
  orphans += sim.rulesNamed("CALM divert").length;
  const ownRulesLeft = sim.rulesNamed("My own rule").length;
  const stats = sim.stats();
  const duplicates = sim.duplicateCreations("CALM divert");

  // The group is named by its address: one lookup for its id, then its members 999 at a time.
  const groupPages = 1 + Math.ceil(MAILBOXES / 999);
  const needed = groupPages + 3 * MAILBOXES + 2 * MAILBOXES;
  const wallMs = applyMs + liftMs;
  const ratio = wallMs / 1000 / (needed / RATE);
  const client = graph.stats();

  process.stdout.write(`divert to ${MAILBOXES} mailboxes, R=${RATE}/s, store=${STORE}, simulated latency ${LAT_MIN}-${LAT_MAX ?? LAT_MIN} ms\n`);
  process.stdout.write(`  apply ${(applyMs / 1000).toFixed(1)} s (${afterApply.successes} requests answered 2xx), lift ${(liftMs / 1000).toFixed(1)} s; missing after apply ${missing}; officers' own rules kept ${ownRulesLeft}\n`);
  process.stdout.write(`  requests needed ${needed}, sent ${stats.operations} (${stats.successes} 2xx, ${stats.throttled} throttled, ${stats.httpRequests} HTTP requests, largest batch ${stats.maxBatchSize}); most concurrent per mailbox ${stats.maxMailboxConcurrencyAttempted}; client retries ${client.retries}\n`);
  process.stdout.write(`bench divert: ratio=${ratio.toFixed(2)} duplicates=${duplicates} orphans=${orphans} (target ratio<=1.2, 0, 0)\n`);

  await service.stop();
  graph.close();
  await sim.stop();
  await azurite?.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench divert failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
