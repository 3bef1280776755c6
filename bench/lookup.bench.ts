// `npm run bench:lookup` (issue 2 item 9): the sender-check endpoint at 10k listed subjects, 50 concurrent
// connections on loopback, a valid bearer token on every request, 1% of checked senders listed (each audited to
// Table Storage on Azurite), against a bare Node http server answering a constant JSON body in the same run.
// Prints: bench lookup: ratio=<ours/bare throughput> p99_ms=<x> (target ratio>=0.8, p99<=10)
//
// Settings: BENCH_SUBJECTS (10000), BENCH_CONNECTIONS (50), BENCH_SECONDS (10), BENCH_LISTED_PERCENT (1).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { startAzurite } from "../scripts/support/azurite";
import { createTableStores } from "../bot/src/adapters/tables";
import { TokenValidator } from "../bot/src/adapters/http/auth";
import { systemClock, uuidIds } from "../bot/src/adapters/system/clock";
import { createLogger } from "../bot/src/adapters/system/logger";
import { createApp } from "../bot/src/app";
import { bindPolicy, loadPolicyProfile } from "../bot/src/policyBinding";
import type { RegisterEntry, Subject } from "../core/src/domain";
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER, TEST_TENANT } from "../tests/support/tokens";

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LISTED_PERCENT = Number(process.env.BENCH_LISTED_PERCENT ?? 1);

interface LoadResult { requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number }

function runLoad(url: string, bodies: string[], token: string | undefined, seconds: number): Promise<LoadResult> {
  const jobFile = path.join(mkdtempSync(path.join(tmpdir(), "calm-bench-")), "job.json");
  writeFileSync(jobFile, JSON.stringify({ url, connections: CONNECTIONS, durationSec: seconds, token, bodies }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "support/loadgen.ts"), jobFile], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${String(code)}`));
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as LoadResult);
    });
  });
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
  try {
    const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: `bench${Date.now() % 100000}`, identifierHashKey: "bench-identifier-hash-key" });
    const t0 = Date.now();
    await seed(stores);
    process.stdout.write(`seeded ${SUBJECTS} listed subjects in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

    const issuer = await createTestIssuer();
    const app = createApp({
      stores,
      policy: bindPolicy(loadPolicyProfile({ preset: "dorset" })),
      tokens: new TokenValidator({ tenantId: TEST_TENANT, audiences: [TEST_AUDIENCE], issuers: [TEST_ISSUER], requiredScope: "access_as_user", keys: { jwks: issuer.jwks } }),
      clock: systemClock,
      ids: uuidIds,
      logger: createLogger("warn"),
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

    // Warm both up, then measure each.
    await runLoad(`http://127.0.0.1:${port}/api/senders/check`, bodies, token, 2);
    await runLoad(`http://127.0.0.1:${barePort}/`, bodies, undefined, 2);
    const ours = await runLoad(`http://127.0.0.1:${port}/api/senders/check`, bodies, token, SECONDS);
    const baseline = await runLoad(`http://127.0.0.1:${barePort}/`, bodies, undefined, SECONDS);

    process.stdout.write(`ours: ${Math.round(ours.rps)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms, non-2xx ${ours.non2xx}, errors ${ours.errors}\n`);
    process.stdout.write(`bare: ${Math.round(baseline.rps)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms\n`);
    if (ours.non2xx > 0 || ours.errors > 0) process.stdout.write(`WARNING: ${ours.non2xx} non-2xx answers and ${ours.errors} errors from CALM\n`);
    await app.stop(1000);
    await new Promise<void>((r) => bare.close(() => r()));
    const ratio = ours.rps / baseline.rps;
    process.stdout.write(`bench lookup: ratio=${ratio.toFixed(2)} p99_ms=${ours.p99} (target ratio>=0.8, p99<=10)\n`);
  } finally {
    await azurite.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
