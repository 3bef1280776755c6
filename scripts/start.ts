// `npm start`: the whole product on this machine. Starts Azurite (tables and blobs, data in .data/, telemetry
// off), loads the fictional demo data on first start, and runs the server with local sign-in and, as in production,
// the audit spool (in .data/audit-spool/; docs/security.md "Audit spool"). Ctrl-C stops it all.
//
// Settings (all optional): CALM_PORT (default 3978), CALM_DATA_DIR (default .data), CALM_POLICY_PRESET
// (default dorset), CALM_AZURITE_TABLE_PORT / CALM_AZURITE_BLOB_PORT (default 10002 / 10000; 0 = any free port).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startAzurite, type RunningAzurite } from "./support/azurite";
import { createTableStores } from "../bot/src/adapters/tables";
import { seedDemoData } from "./demo/demoData";
import { seedDemoPanel } from "./demo/panel";
import { playgroundPanelChannelReference, startPlayground, type RunningPlayground } from "./support/playground";
import { createBotTableStores } from "../bot/src/adapters/tables/bot";
import { DECISION_BODY_CHANNEL_KEY } from "../bot/src/ports/conversations";
import { getPreset } from "../core/src/policy/presets";
import { seedLifecycleDemo } from "./demo/lifecycleDemo";
// The Graph simulator lives in the test tree (it is a test double of Microsoft Graph); locally it is the tenant.
import { startGraphSimulator, type GraphSimulator } from "../tests/support/graphSimulator/server";
import { seedDemoTenant, type DemoTenant } from "../tests/support/graphSimulator/seed";
import { buildAddinIfStale } from "../addin/scripts/build";
import { buildTabIfStale } from "../tab/scripts/build";
import { stopChild } from "./support/processes";

const ROOT = path.resolve(__dirname, "..");
const LOCAL_HASH_KEY = "calm-local-development-identifier-key";
const env = process.env;
const dataDir = path.resolve(ROOT, env.CALM_DATA_DIR ?? ".data");
const port = Number(env.CALM_PORT ?? 3978);
const preset = env.CALM_POLICY_PRESET ?? "dorset";

const children: ChildProcess[] = [];
let azurite: RunningAzurite | undefined;
let graphSim: GraphSimulator | undefined;
let graphTenant: DemoTenant | undefined;
let playground: RunningPlayground | undefined;
let stopping = false;

function say(line: string): void {
  process.stdout.write(`[calm] ${line}\n`);
}

async function startStorage(): Promise<RunningAzurite> {
  const location = path.join(dataDir, "azurite");
  mkdirSync(location, { recursive: true });
  const tablePort = Number(env.CALM_AZURITE_TABLE_PORT ?? 10002);
  const blobPort = Number(env.CALM_AZURITE_BLOB_PORT ?? 10000);
  try {
    return await startAzurite({ location, tablePort, blobPort });
  } catch (error) {
    if (tablePort === 0 && blobPort === 0) throw error;
    say(`Azurite could not use ports ${tablePort}/${blobPort} (another Azurite running?); using free ports instead.`);
    return startAzurite({ location, tablePort: 0, blobPort: 0 });
  }
}

function startServer(connectionString: string): Promise<number> {
  // Node runs the server itself (tsx as a loader, not a wrapper process), so its pid is the server's.
  const child = spawn(process.execPath, ["--max-semi-space-size=32", "--import", "tsx", path.join(ROOT, "bot/src/index.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...env,
      CALM_ENV: "local",
      CALM_DEV_SIGNIN: "true",
      PORT: String(port),
      CALM_POLICY_PRESET: preset,
      STORAGE_CONNECTION_STRING: connectionString,
      CALM_IDENTIFIER_HASH_KEY: LOCAL_HASH_KEY,
      // Next to Azurite's data: a spool's events belong to this storage, and are replayed into it on the next start.
      CALM_AUDIT_SPOOL_DIR: path.join(dataDir, "audit-spool"),
      ...graphEnv(),
      // The banner waits for the server's "listening" line, so it must log at info or finer.
      CALM_LOG_LEVEL: env.CALM_LOG_LEVEL === "debug" ? "debug" : "info",
    },
  });
  children.push(child);
  say(`Server is process ${String(child.pid)}.`);
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      process.stdout.write(text);
      buffered += text;
      const m = /"event":"server.listening","port":(\d+)/.exec(buffered);
      if (m) {
        buffered = "";
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => {
      if (!stopping) {
        say(`The server stopped (exit code ${String(code)}). See the message above.`);
        void stopAll(1);
      }
      reject(new Error(`server exited with ${String(code)}`));
    });
  });
}

/** Settings that point the server at the local Graph simulator (diverts; marking too when the port is known). */
function graphEnv(): Record<string, string> {
  if (!graphSim || !graphTenant) return {};
  return {
    GRAPH_AUTH: "simulator",
    GRAPH_BASE_URL: graphSim.baseUrl,
    GRAPH_RATE_PER_SECOND: "200",
    ...(port !== 0 ? { CALM_PUBLIC_URL: `http://127.0.0.1:${port}`, CALM_MAIL_SCOPE_GROUP: graphTenant.groups["housing-team"]! } : {}),
  };
}

async function stopAll(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("Stopping…");
  await Promise.all(children.map((c) => stopChild(c, 12_000)));
  await playground?.stop();
  await graphSim?.stop();
  await azurite?.stop();
  say("Stopped.");
  process.exit(code);
}

async function main(): Promise<void> {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  say("Starting Azurite (local Azure Storage)…");
  azurite = await startStorage();
  say(`Azurite is process ${String(azurite.process.pid)}.`);
  say(`Azurite tables at ${azurite.tableUrl}, blobs at ${azurite.blobUrl} (data in ${path.relative(ROOT, azurite.location) || "."})`);

  const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: "calm", identifierHashKey: LOCAL_HASH_KEY });
  const today = new Date().toISOString().slice(0, 10);
  const { seeded } = await seedDemoData(stores, today, (id) => stores.register.markChanged(id, new Date().toISOString()));
  say(seeded ? "Loaded the fictional demo data (5 subjects, 4 register entries, 2 incidents)." : "Demo data already loaded.");
  // The lifecycle's demo history (issue 7): a warning, a review and appeals decided, a divert, so every letter type
  // can be produced for the demo people.
  const history = await seedLifecycleDemo({ stores, connectionString: azurite.connectionString, tablePrefix: "calm", preset, today });
  if (history.seeded) say(`Loaded the lifecycle demo history (a warning, a review, appeals, an email divert).${history.notes.length ? ` ${history.notes.join(" ")}` : ""}`);

  // The Outlook add-in's pages (addin/dist), built only when their sources are newer than the last build.
  await buildAddinIfStale().catch((error: unknown) => {
    say(`The Outlook add-in could not be built (${error instanceof Error ? error.message : String(error)}); the rest of CALM runs. Fix it, then run npm run build:addin.`);
  });

  // The staff portal's pages (tab/dist), built only when tab/src is newer than the last build.
  try {
    buildTabIfStale();
  } catch (error) {
    say(`The staff portal could not be built (${error instanceof Error ? error.message : String(error)}); the rest of CALM runs. Fix it, then run npm run build:tab.`);
  }

  // The Graph simulator stands in for Microsoft Graph (diverts, mail marking, and the Outlook stand-in's inbox for
  // "Report this email" where Outlook cannot copy an email) with a fictional tenant.
  if (env.CALM_START_GRAPH !== "0") {
    graphSim = await startGraphSimulator({ latencyMs: { min: 2, max: 8 } });
    graphTenant = seedDemoTenant(graphSim, { extraStaff: 24, demoMail: true });
    say(`Graph simulator at ${graphSim.baseUrl} (${graphTenant.staff.length} fictional mailboxes).`);
  }

  // The decision body (issue 3): fictional personas in the policy's positions, so a case can be voted on.
  const botStores = await createBotTableStores({ connectionString: azurite.connectionString, tablePrefix: "calm" });
  const profile = getPreset(preset);
  if (profile) {
    const seated = await seedDemoPanel(botStores.decisionBody, profile, new Date().toISOString());
    if (seated > 0) say(`Seated the demo panel: ${seated} fictional people for ${profile.decisionBody.name}.`);
  }

  const bound = await startServer(azurite.connectionString);
  const base = `http://127.0.0.1:${bound}`;

  // Teams on this machine: the Microsoft 365 Agents Playground, pointed at the bot, with the mock users and the
  // panel's channel from .m365agentsplayground.yml. Cases are posted to that channel (unless a real one is set).
  if (env.CALM_START_PLAYGROUND !== "0") {
    try {
      playground = await startPlayground({ botEndpoint: `${base}/api/messages`, port: Number(env.CALM_PLAYGROUND_PORT ?? 56150) });
      const current = await botStores.conversations.get(DECISION_BODY_CHANNEL_KEY);
      const serviceUrl = typeof current?.reference.serviceUrl === "string" ? current.reference.serviceUrl : "";
      if (!current || serviceUrl.startsWith("http://localhost:") || serviceUrl.startsWith("http://127.0.0.1:")) {
        await botStores.conversations.put({ key: DECISION_BODY_CHANNEL_KEY, reference: playgroundPanelChannelReference(playground.port), updatedAt: new Date().toISOString() });
      }
    } catch (error) {
      say(`The Agents Playground could not start (${error instanceof Error ? error.message : String(error)}); the rest of CALM runs.`);
    }
  }
  say("");
  say(`CALM is running at ${base}  (policy: ${preset})`);
  say(`  Staff portal:        ${base}/tab/`);
  say(`  Outlook add-in:      ${base}/addin/dev.html  (a local Outlook stand-in with a fictional mailbox)`);
  say(`  Health:              ${base}/healthz`);
  if (playground) {
    say(`  Teams (Playground):  ${playground.url}  — you are Max Manager; cases are voted on in the "Unreasonable Behaviours Panel" channel`);
  }
  say("  Sign in as a fictional persona from the portal. Try looking up alex.example@example.org.");
  if (graphSim && graphTenant) {
    say(`  Email diverts go to the Graph simulator: see its rules at ${graphSim.baseUrl}/_sim/rules?prefix=CALM`);
  }
  say("Press Ctrl-C to stop everything.");
}

main().catch((error: unknown) => {
  say(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
