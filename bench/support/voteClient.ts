// Vote client for `npm run bench:votes`, run as its own process so it does not share the server's event loop.
// Reads a JSON job (argv[2]): the bot endpoint, the activities to send and how many may be in flight at once.
// Sends them in order through a pool, times each from send to answer, and prints one JSON line of results.
import { readFileSync } from "node:fs";
import http from "node:http";

interface Job {
  url: string;
  concurrency: number;
  activities: string[];
}

interface Outcome {
  status: number;
  ms: number;
  /** The answer was an invoke response with a card saying the vote counts (or had already counted). */
  acknowledged: boolean;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as Job;
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
const target = new URL(job.url);

function send(body: string): Promise<Outcome> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        resolve({ status: res.statusCode ?? 0, ms, acknowledged: res.statusCode === 200 && /Your vote is counted|You had already voted/.test(text) });
      });
    });
    req.on("error", () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6, acknowledged: false }));
    req.setTimeout(30_000, () => req.destroy());
    req.end(body);
  });
}

async function main(): Promise<void> {
  const outcomes: Outcome[] = new Array<Outcome>(job.activities.length);
  let next = 0;
  await Promise.all(Array.from({ length: job.concurrency }, async () => {
    while (next < job.activities.length) {
      const i = next++;
      outcomes[i] = await send(job.activities[i]!);
    }
  }));
  agent.destroy();
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

void main();
