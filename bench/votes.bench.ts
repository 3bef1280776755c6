// `npm run bench:votes` (issue 3 item 6): 100 cases × 6 voters casting votes concurrently through the bot's invoke
// path — Universal Actions `adaptiveCard/action` invokes POSTed to /api/messages, as Teams sends them — against Table
// Storage on Azurite. A third of the votes are sent twice at once, as a Teams retry or a double click would. The
// panel's channel card is updated after every vote through a stub Bot Connector on loopback (the real proactive path).
// Then every case's ballot is read back from storage.
//
// Prints: bench votes: lost=<n> doubled=<n> p95_ms=<x> (target lost=0 doubled=0 p95<=250)
//   lost    votes cast that are not in storage with the voter's choice (including any the bot failed to take)
//   doubled votes counted more than once: extra vote rows per member, or a tally above the number of voters
//   p95_ms  95th percentile of the time from sending an invoke to its answer, as the client saw it
//
// Each case's votes (its six voters, and the repeats) are sent at once; BENCH_PARALLEL_CASES cases are voted on at a
// time (default 2: two panels voting at the same moment, on a 2-core machine shared with Azurite and the client).
// Raise it to see the saturation point (at 10 cases at once this machine takes ~180 votes/s at p95 ~550 ms).
//
// Settings: BENCH_CASES (100), BENCH_PARALLEL_CASES (2).
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { runJob } from "./support/runJob";
import { startAzurite } from "../scripts/support/azurite";
import { createTableStores } from "../bot/src/adapters/tables";
import { createBotTableStores } from "../bot/src/adapters/tables/bot";
import { TokenValidator } from "../bot/src/adapters/http/auth";
import { PERSONAS } from "../bot/src/adapters/http/devSignIn";
import { systemClock, uuidIds } from "../bot/src/adapters/system/clock";
import { createLogger } from "../bot/src/adapters/system/logger";
import { personaRoleMap } from "../bot/src/adapters/teams/personas";
import { createApp } from "../bot/src/app";
import { bindPolicy, loadPolicyProfile } from "../bot/src/policyBinding";
import { DECISION_BODY_CHANNEL_KEY } from "../bot/src/ports/conversations";
import type { Caller, DecisionOutcome } from "../core/src/domain";
import { demoPanel } from "../scripts/demo/panel";

const CASES = Number(process.env.BENCH_CASES ?? 100);
const PARALLEL_CASES = Number(process.env.BENCH_PARALLEL_CASES ?? 2);
/** Six votes per case, and a repeat of every third one. */
const SENDS_PER_CASE = 8;
const CONCURRENCY = PARALLEL_CASES * SENDS_PER_CASE;
const TENANT = "00000000-0000-4000-8000-00000000c41a";
const CHANNEL = "19:bench-panel@thread.tacv2";
const CHOICES: DecisionOutcome[] = ["add-low", "add-medium", "add-high", "warning-letter", "spoc-only", "no-action"];

interface Outcome { status: number; ms: number; acknowledged: boolean }

/** A Bot Connector that takes every post and update (the channel card) and answers at once. */
async function stubConnector(): Promise<{ url: string; posts: number; updates: number; close(): Promise<void> }> {
  const stats = { posts: 0, updates: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method === "POST") stats.posts++;
      if (req.method === "PUT") stats.updates++;
      res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" }).end(JSON.stringify({ id: `activity-${randomUUID()}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, get posts() { return stats.posts; }, get updates() { return stats.updates; }, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

function runClient(url: string, activities: string[]): Promise<Outcome[]> {
  return runJob<Outcome[]>("voteClient.ts", { url, concurrency: CONCURRENCY, activities });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const azurite = await startAzurite({ inMemory: true });
  const connector = await stubConnector();
  try {
    const prefix = `bench${Date.now() % 100000}`;
    const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: "bench-identifier-hash-key" });
    const botStores = await createBotTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix });
    const profile = loadPolicyProfile({ preset: "dorset" });
    for (const seat of demoPanel(profile, new Date().toISOString())) await botStores.decisionBody.put(seat);
    await botStores.conversations.put({
      key: DECISION_BODY_CHANNEL_KEY,
      reference: { channelId: "msteams", serviceUrl: connector.url, conversation: { id: CHANNEL, conversationType: "channel", isGroup: true, tenantId: TENANT }, bot: { id: "28:calm-bench", name: "CALM" } },
      updatedAt: new Date().toISOString(),
    });
    const app = createApp({
      stores,
      policy: bindPolicy(profile),
      tokens: new TokenValidator({ tenantId: TENANT, audiences: ["a"], issuers: ["i"], requiredScope: "s", keys: { jwks: { keys: [] } } }),
      clock: systemClock,
      ids: uuidIds,
      logger: createLogger("warn"),
      botStores,
      // Local mode: the activities carry no Bot Framework token (as from the Agents Playground).
      bot: { allowUnauthenticated: true, roleMap: personaRoleMap(PERSONAS) },
    });
    const port = await app.start(0);
    const cw = app.services.casework!;

    // 100 cases referred by Max Manager, each posted to the channel.
    const max = PERSONAS.find((p) => p.displayName === "Max Manager")!;
    const manager: Caller = { id: max.id, tenantId: TENANT, displayName: max.displayName, roles: max.roles, serviceAreas: max.serviceAreas };
    const t0 = Date.now();
    const caseIds: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const report = await cw.incidents.report(manager, {
        subject: { new: { kind: "person", displayName: `Bench Person ${i}`, emails: [`bench.${i}@bench.example`] } },
        occurredAt: new Date(Date.now() - 3600_000).toISOString(), location: "Civic Centre", channel: "phone", serviceArea: "Housing",
        category: "verbal-abuse", description: "Bench incident.", witnesses: [], hateIncident: false, immediateAction: "call-ended",
      }, `bench-report-${i}-${prefix}`, "bot");
      if (!report.ok) throw new Error(`seed report failed: ${report.code}`);
      const referred = await cw.cases.refer(manager, { subjectId: report.incident.subjectId, incidentIds: [report.incident.id], recommendedOutcome: "add-medium", summary: `Bench case ${i}: repeated abuse by phone.` }, `bench-case-${i}-${prefix}`, "bot");
      if (!referred.ok) throw new Error(`seed referral failed: ${referred.code}`);
      caseIds.push(referred.view.case.id);
    }
    await cw.cases.settled();
    await app.services.teams.notifier.idle();
    process.stdout.write(`seeded ${CASES} cases (posted ${connector.posts} cards) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

    const voters = PERSONAS.filter((p) => ["Charlie Chair", "Pam Panel", "Petra Panel", "Percy Panel", "Polly Panel", "Paddy Panel"].includes(p.displayName));
    const expected = new Map<string, DecisionOutcome>();
    const activities: string[] = [];
    caseIds.forEach((caseId, c) => {
      voters.forEach((v, i) => {
        const choice = CHOICES[(c + i) % CHOICES.length]!;
        expected.set(`${caseId}|${v.id}`, choice);
        const activity = JSON.stringify({
          type: "invoke", name: "adaptiveCard/action", id: randomUUID(), timestamp: new Date().toISOString(), channelId: "msteams", serviceUrl: connector.url,
          from: { id: `29:${v.id}`, aadObjectId: v.id, name: v.displayName }, recipient: { id: "28:calm-bench", name: "CALM" },
          conversation: { id: `${CHANNEL};messageid=1`, conversationType: "channel", isGroup: true, tenantId: TENANT },
          channelData: { tenant: { id: TENANT } },
          value: { action: { type: "Action.Execute", verb: "vote", data: { caseId, choice } }, trigger: "manual" },
        });
        activities.push(activity);
        // A third of the votes arrive twice at once: a Teams retry, or a double click.
        if ((c * voters.length + i) % 3 === 0) activities.push(activity);
      });
    });

    const t1 = Date.now();
    const outcomes = await runClient(`http://127.0.0.1:${port}/api/messages`, activities);
    const seconds = (Date.now() - t1) / 1000;
    await cw.cases.settled();
    await app.services.teams.notifier.idle();

    // Read every ballot back from storage.
    let lost = 0;
    let doubled = 0;
    for (const caseId of caseIds) {
      const votes = await stores.cases.listVotes(caseId);
      const byVoter = new Map<string, number>();
      for (const v of votes) byVoter.set(v.voter.id, (byVoter.get(v.voter.id) ?? 0) + 1);
      for (const [, n] of byVoter) doubled += n - 1;
      for (const v of voters) {
        const stored = votes.find((x) => x.voter.id === v.id);
        if (!stored || stored.choice !== expected.get(`${caseId}|${v.id}`)) lost++;
      }
      const view = await cw.cases.channelView(caseId);
      doubled += Math.max(0, (view?.ballot.votesCast ?? 0) - voters.length);
    }
    const failed = outcomes.filter((o) => !o.acknowledged).length;
    const p95 = percentile(outcomes.map((o) => o.ms), 95);
    process.stdout.write(`sent ${outcomes.length} invokes (${activities.length - caseIds.length * voters.length} repeats), ${CONCURRENCY} at a time, in ${seconds.toFixed(1)} s (${Math.round(outcomes.length / seconds)}/s), ${failed} not acknowledged; p50 ${percentile(outcomes.map((o) => o.ms), 50).toFixed(1)} ms, p99 ${percentile(outcomes.map((o) => o.ms), 99).toFixed(1)} ms; channel card updates ${connector.updates}\n`);
    await app.stop(1000);
    process.stdout.write(`bench votes: lost=${lost} doubled=${doubled} p95_ms=${p95.toFixed(1)} (target lost=0 doubled=0 p95<=250)\n`);
  } finally {
    await connector.close();
    await azurite.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
