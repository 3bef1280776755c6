// `npm run bench:lookup` (issue 2 item 9): the sender-check endpoint at 10k listed subjects, 50 concurrent
// connections on loopback, a valid bearer token on every request, 1% of checked senders listed (each audited as
// in production: through the audit spool to the hash chain in Table Storage on Azurite), against a bare Node
// http server answering a constant JSON body in the same run. Both are sent the same requests, byte for byte
// (token and body included), so the ratio compares what answers them and nothing else.
// Prints: bench lookup: ratio=<ours/bare throughput, the median of the rounds' pairs> p99_ms=<worst round> (target ratio>=0.8, p99<=10)
//
// Settings: BENCH_SUBJECTS (10000), BENCH_CONNECTIONS (50), BENCH_SECONDS (10, per side), BENCH_ROUNDS (5),
// BENCH_LISTED_PERCENT (1).
// BENCH_PROFILE=<file.cpuprofile> writes a CPU profile of the server during its measured run (open it in Chrome
// DevTools or VS Code) and prints where the time went, by package.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { runJob } from "./support/runJob";
import { randomUUID } from "node:crypto";
import { Session } from "node:inspector/promises";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { startAzurite } from "../scripts/support/azurite";
import { createTableStores } from "../bot/src/adapters/tables";
import { SPOOLED_AUDIT_BATCHING, SpooledAuditStore } from "../bot/src/adapters/system/auditSpool";
import { TokenValidator } from "../bot/src/adapters/http/auth";
import { systemClock, uuidIds } from "../bot/src/adapters/system/clock";
import { createLogger } from "../bot/src/adapters/system/logger";
import { createApp } from "../bot/src/app";
import { apiHeaders } from "../bot/src/adapters/http/securityHeaders";
import { bindPolicy, loadPolicyProfile } from "../bot/src/policyBinding";
import type { RegisterEntry, Subject } from "../core/src/domain";
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER, TEST_TENANT } from "../tests/support/tokens";

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LISTED_PERCENT = Number(process.env.BENCH_LISTED_PERCENT ?? 1);
const PROFILE = process.env.BENCH_PROFILE;
/** Ours and bare take turns this many times, BENCH_SECONDS / ROUNDS seconds each. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

/** CPU time (user + system, ms) a child process has used so far; undefined where /proc is not there. */
function childCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${String(pid)}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }

/** Self time by where the code lives: CALM, each package under node_modules, or Node itself. */
function summariseProfile(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const url = byId.get(id)?.callFrame.url ?? "";
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes("/work/") || url.startsWith("file:") ? "calm" : url ? "node" : (byId.get(id)?.callFrame.functionName || "(native)"));
    totals.set(pkg, (totals.get(pkg) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `  ${k}: ${((100 * v) / all).toFixed(1)}%`).join("\n");
}

interface LoadResult { requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; cpuMs: number }
interface Measured extends LoadResult { serverCpuMs: number; serverKernelMs: number; azuriteCpuMs: number | undefined }

/** The rounds as one run: throughput over all of them, the worst round's p99 (so one good round hides nothing). */
function combine(rounds: Measured[]) {
  const requests = rounds.reduce((a, r) => a + r.requests, 0);
  const per1k = (ms: number): number => (ms * 1000) / Math.max(1, requests);
  const azurite = rounds.every((r) => r.azuriteCpuMs !== undefined) ? per1k(rounds.reduce((a, r) => a + r.azuriteCpuMs!, 0)) : undefined;
  return {
    requests,
    rps: rounds.reduce((a, r) => a + r.rps, 0) / rounds.length,
    p50: Math.max(...rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
    errors: rounds.reduce((a, r) => a + r.errors + r.timeouts, 0),
    cpuPer1k: { server: per1k(rounds.reduce((a, r) => a + r.serverCpuMs, 0)), serverKernel: per1k(rounds.reduce((a, r) => a + r.serverKernelMs, 0)), azurite, loadgen: per1k(rounds.reduce((a, r) => a + r.cpuMs, 0)) },
  };
}

function runLoad(url: string, bodies: string[], token: string | undefined, seconds: number): Promise<LoadResult> {
  return runJob<LoadResult>("loadgen.ts", { url, connections: CONNECTIONS, durationSec: seconds, token, bodies });
}

async function seed(stores: Awaited<ReturnType<typeof createTableStores>>): Promise<void> {
  const at = new Date().toISOString();
  const today = at.slice(0, 10);
  const work: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < SUBJECTS; i++) {
    const id = `bench-subject-${i}`;
    const subject: Subject = { id, kind: "person", displayName: `Bench Person ${i}`, aliases: [], emails: [`listed.${i}@bench.example`], phones: [], addresses: [], socialHandles: [], createdAt: at, updatedAt: at };
    const entry: RegisterEntry = {
      id: `bench-entry-${i}`, reference: `CAL-${String(i).padStart(5, "0")}`, subjectId: id, riskLevel: (["low", "medium", "high"] as const)[i % 3]!,
      categories: ["verbal-abuse"], restrictions: [], guidance: ["Keep calls short."], startsOn: today, nextReviewOn: today,
      recordOwner: { id: "bench", displayName: "Bench" }, status: "active", appealInProgress: false, createdAt: at, updatedAt: at,
    };
    work.push(async () => { await stores.subjects.create(subject); await stores.register.create(entry); });
  }
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < work.length) await work[next++]!();
  }));
}

function bodiesFor(count: number): string[] {
  // Every (100 / LISTED_PERCENT)th check is a listed sender; the rest are strangers.
  const every = Math.round(100 / LISTED_PERCENT);
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ addresses: [i % every === 0 ? `listed.${(i * 7919) % SUBJECTS}@bench.example` : `stranger.${i}@elsewhere.example`] }),
  );
}

async function main(): Promise<void> {
  const azurite = await startAzurite({ inMemory: true });
  const spoolDir = mkdtempSync(path.join(tmpdir(), "calm-bench-spool-"));
  try {
    const tables = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: `bench${Date.now() % 100000}`, identifierHashKey: "bench-identifier-hash-key", ...SPOOLED_AUDIT_BATCHING });
    const logger = createLogger("warn");
    // The production set-up (CALM_AUDIT_SPOOL_DIR): an audited answer waits for the local disk, storage gets batches.
    const spool = await SpooledAuditStore.open(tables.audit, { dir: spoolDir, logger });
    const stores = { ...tables, audit: spool };
    const t0 = Date.now();
    await seed(tables);
    process.stdout.write(`seeded ${SUBJECTS} listed subjects in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

    const issuer = await createTestIssuer();
    const app = createApp({
      stores,
      policy: bindPolicy(loadPolicyProfile({ preset: "dorset" })),
      tokens: new TokenValidator({ tenantId: TEST_TENANT, audiences: [TEST_AUDIENCE], issuers: [TEST_ISSUER], requiredScope: "access_as_user", keys: { jwks: issuer.jwks } }),
      clock: systemClock,
      ids: uuidIds,
      logger,
      // The rate limiter runs on every request as in production (its cost is part of what is measured), with a
      // bucket big enough that this one benchmark user is never refused.
      rateLimits: { senders: { capacity: 1e12, refillPerSecond: 1e9 } },
    });
    const t1 = Date.now();
    const port = await app.start(0);
    process.stdout.write(`index loaded ${app.services.lookup.size} subjects in ${((Date.now() - t1) / 1000).toFixed(1)} s\n`);
    const token = await issuer.token({ roles: ["officer"] });
    const bodies = bodiesFor(10_000);

    const constant = JSON.stringify({ results: [{ address: "stranger@elsewhere.example", listed: false, valid: true, matches: [] }] });
    const bare = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(constant)) });
        res.end(constant);
      });
    });
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", () => r()));
    const barePort = (bare.address() as AddressInfo).port;
    // For context, not for the target: a handler that does only what any JSON endpoint must (read and parse the
    // body, answer with the same headers and JSON shape), sent the same requests. It shows how much of the gap to
    // the bare server is answering like an API at all rather than CALM's own work.
    const headers = Object.entries(apiHeaders()).flat();
    const minimal = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const { addresses } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { addresses: string[] };
        const out = JSON.stringify({ results: addresses.map((address) => ({ address, listed: false, valid: true, matches: [] })) });
        res.writeHead(200, [...headers, "X-Request-Id", randomUUID(), "Content-Type", "application/json; charset=utf-8", "Content-Length", String(Buffer.byteLength(out))]);
        res.end(out);
      });
    });
    await new Promise<void>((r) => minimal.listen(0, "127.0.0.1", () => r()));
    const minimalUrl = `http://127.0.0.1:${(minimal.address() as AddressInfo).port}/`;

    // Warm both up, then measure them in alternating rounds, so a burst of other work on the machine falls on
    // both sides rather than on one.
    const oursUrl = `http://127.0.0.1:${port}/api/senders/check`;
    const bareUrl = `http://127.0.0.1:${barePort}/`;
    await runLoad(oursUrl, bodies, token, 2);
    await runLoad(bareUrl, bodies, token, 2);
    const session = PROFILE ? new Session() : undefined;
    session?.connect();
    // How long the event loop was held up while CALM answered: work that runs in one go (a chain transaction being
    // built, a garbage collection) delays every request waiting behind it.
    const loopDelays: { p99: number; max: number }[] = [];
    const measure = async (url: string, profileTo: string | undefined): Promise<Measured> => {
      if (session && profileTo) {
        await session.post("Profiler.enable");
        await session.post("Profiler.start");
      }
      const cpu0 = process.cpuUsage();
      const azurite0 = childCpuMs(azurite.process.pid);
      const loopDelay = url === oursUrl ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
      loopDelay?.enable();
      const load = await runLoad(url, bodies, token, SECONDS / ROUNDS);
      loopDelay?.disable();
      if (loopDelay) loopDelays.push({ p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
      const cpu = process.cpuUsage(cpu0);
      const azurite1 = childCpuMs(azurite.process.pid);
      if (session && profileTo) {
        const { profile } = await session.post("Profiler.stop");
        writeFileSync(profileTo, JSON.stringify(profile));
        process.stdout.write(`profile written to ${profileTo}; self time by package:\n${summariseProfile(profile as never)}\n`);
      }
      return { ...load, serverCpuMs: (cpu.user + cpu.system) / 1000, serverKernelMs: cpu.system / 1000, azuriteCpuMs: azurite0 !== undefined && azurite1 !== undefined ? azurite1 - azurite0 : undefined };
    };
    await runLoad(minimalUrl, bodies, token, 1);
    const oursRounds: Measured[] = [];
    const bareRounds: Measured[] = [];
    const minimalRounds: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const last = round === ROUNDS - 1;
      const runOurs = async () => { oursRounds.push(await measure(oursUrl, last ? PROFILE : undefined)); };
      const runBare = async () => { bareRounds.push(await measure(bareUrl, last && PROFILE ? `${PROFILE}.bare.cpuprofile` : undefined)); };
      // Ours and bare back to back, taking turns at going first, so each pair shares the machine's state of the moment.
      if (round % 2 === 0) { await runOurs(); await runBare(); } else { await runBare(); await runOurs(); }
      minimalRounds.push(await measure(minimalUrl, undefined));
    }
    session?.disconnect();
    const ours = combine(oursRounds);
    const baseline = combine(bareRounds);
    const floor = combine(minimalRounds);

    process.stdout.write(`ours: ${Math.round(ours.rps)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms, non-2xx ${ours.non2xx}, errors ${ours.errors} (rounds: ${oursRounds.map((r) => Math.round(r.rps)).join(", ")})\n`);
    process.stdout.write(`bare: ${Math.round(baseline.rps)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms (rounds: ${bareRounds.map((r) => Math.round(r.rps)).join(", ")})\n`);
    const ms = (v: number | undefined): string => (v === undefined ? "?" : v.toFixed(1));
    process.stdout.write(`cpu per 1000 requests: CALM ${ms(ours.cpuPer1k.server)} ms (${ms(ours.cpuPer1k.serverKernel)} in the kernel), Azurite ${ms(ours.cpuPer1k.azurite)} ms, load generator ${ms(ours.cpuPer1k.loadgen)} ms;` +
      ` bare server ${ms(baseline.cpuPer1k.server)} ms (${ms(baseline.cpuPer1k.serverKernel)} in the kernel), load generator ${ms(baseline.cpuPer1k.loadgen)} ms\n`);
    process.stdout.write(`minimal JSON handler, same requests: ${Math.round(floor.rps)} req/s, server ${ms(floor.cpuPer1k.server)} ms (${ms(floor.cpuPer1k.serverKernel)} in the kernel) and load generator ${ms(floor.cpuPer1k.loadgen)} ms per 1000: ratio ${(floor.rps / baseline.rps).toFixed(2)} before any of CALM's work\n`);
    // Steadier than the throughput ratio on a shared machine: CALM's own CPU per request against the bare server's.
    process.stdout.write(`CALM uses ${(ours.cpuPer1k.server / baseline.cpuPer1k.server).toFixed(2)}x the bare server's CPU per request (the minimal handler ${(floor.cpuPer1k.server / baseline.cpuPer1k.server).toFixed(2)}x)\n`);
    process.stdout.write(`event loop delay while CALM answered (worst round): p99 ${Math.max(...loopDelays.map((d) => d.p99)).toFixed(1)} ms, max ${Math.max(...loopDelays.map((d) => d.max)).toFixed(1)} ms\n`);
    if (ours.non2xx > 0 || ours.errors > 0) process.stdout.write(`WARNING: ${ours.non2xx} non-2xx answers and ${ours.errors} errors from CALM\n`);
    await app.stop(1000);
    const backlog = spool.backlog;
    await spool.close();
    const audit = await tables.audit.verify();
    process.stdout.write(`audit: ${audit.events} events chained (${backlog} still on their way when the load stopped), chain ${audit.intact ? "intact" : "NOT intact"}\n`);
    await new Promise<void>((r) => bare.close(() => r()));
    await new Promise<void>((r) => minimal.close(() => r()));
    // The ratio of each round's pair (ours and bare back to back), and their median: a burst of other work on the
    // machine that falls on one side of one pair moves one ratio, not the result.
    const pairs = oursRounds.map((r, i) => r.rps / bareRounds[i]!.rps);
    const sorted = [...pairs].sort((a, b) => a - b);
    const ratio = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    process.stdout.write(`ratio per round: ${pairs.map((r) => r.toFixed(2)).join(", ")} (median ${ratio.toFixed(2)}; all rounds' throughput together ${(ours.rps / baseline.rps).toFixed(2)})\n`);
    process.stdout.write(`bench lookup: ratio=${ratio.toFixed(2)} p99_ms=${ours.p99} (target ratio>=0.8, p99<=10)\n`);
  } finally {
    await azurite.stop();
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
