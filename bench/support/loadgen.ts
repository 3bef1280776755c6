// Load generator, run as its own process so it does not share the server's event loop.
// Reads a JSON job from the file named by argv[2], fires POSTs with autocannon, prints one JSON line with the results.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

interface Job {
  url: string;
  connections: number;
  durationSec: number;
  token?: string;
  /** Bodies to cycle through, one per request. */
  bodies: string[];
}

const job = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as Job;
let i = 0;
const headers: Record<string, string> = { "content-type": "application/json" };
if (job.token) headers.authorization = `Bearer ${job.token}`;

const cpu0 = process.cpuUsage();
const instance = autocannon(
  {
    url: job.url,
    connections: job.connections,
    duration: job.durationSec,
    method: "POST",
    headers,
    requests: [
      {
        setupRequest: (req) => {
          req.body = job.bodies[i++ % job.bodies.length];
          return req;
        },
      },
    ],
  },
  (err: Error | null, result: autocannon.Result) => {
    if (err) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    process.stdout.write(
      JSON.stringify({
        requests: result.requests.total,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        // The load generator's own CPU: it shares the machine with the servers it measures.
        cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu0)),
      }) + "\n",
    );
  },
);
process.on("SIGINT", () => instance.stop());
