// Runs a bench client (the load generator, the vote client) as its own process, so it does not share the event
// loop of the server it measures: the job goes in as a JSON file, the answer comes back as the last line it prints.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Runs `bench/support/<script>` with `job`; resolves to the JSON of its last line of output. */
export function runJob<T>(script: string, job: unknown): Promise<T> {
  const jobDir = mkdtempSync(path.join(tmpdir(), "calm-bench-"));
  const jobFile = path.join(jobDir, "job.json");
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, script), jobFile], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) => {
      rmSync(jobDir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`${script} exited with ${String(code)}`));
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "null") as T);
    });
  });
}
