// Runs the Graph simulator on its own, for `npm start` and manual trials: `npm run graph:sim`.
// Prints the base URL to give CALM as GRAPH_BASE_URL. Options (all optional):
//   --port <n>            fixed port (default: any free one; env GRAPH_SIM_PORT)
//   --staff <n>           extra fictional housing officers in the demo tenant (default 24)
//   --retry-after <s>     Retry-After on a concurrency 429 (default 1)
//   --latency <min-max>   time each request takes, in ms (default 5-20)
//   --token <t>           require this bearer token (default: any)
// Inspection: GET /_sim/stats, /_sim/users, /_sim/rules?mailbox=… or ?prefix=…, /_sim/subscriptions;
// POST /_sim/deliver {"to","from","subject"} delivers a message (rules run, subscribers are notified).
import { GraphSimulator } from "./server";
import { seedDemoTenant } from "./seed";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const latency = (arg("latency") ?? "5-20").split("-").map(Number);
  const sim = new GraphSimulator({
    port: Number(arg("port") ?? process.env.GRAPH_SIM_PORT ?? 0),
    throttleRetryAfterSeconds: Number(arg("retry-after") ?? 1),
    latencyMs: { min: latency[0] ?? 5, max: latency[1] ?? latency[0] ?? 20 },
    ...(arg("token") ? { expectedToken: arg("token") } : {}),
  });
  const base = await sim.start();
  const demo = seedDemoTenant(sim, { extraStaff: Number(arg("staff") ?? 24), demoMail: true });
  process.stdout.write(`Graph simulator listening at ${base} (set GRAPH_BASE_URL=${base})\n`);
  process.stdout.write(`  ${demo.staff.length} staff mailboxes, groups ${Object.values(demo.groups).join(", ")}, SPOC ${demo.spoc}\n`);
  const stop = (): void => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The Graph simulator could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
