// `npm run test:soak`: the fuzz suite with far more inputs and a fresh seed each run (printed, so a failure can be
// replayed with FUZZ_SEED), then the fault suites. Settings: FUZZ_RUNS (default 200,000), FUZZ_SEED (default: new).
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
const runs = process.env.FUZZ_RUNS ?? "200000";
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
process.stdout.write(`soak: ${runs} fuzz inputs, seed ${seed} (replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run test:soak)\n`);

const mocha = require.resolve("mocha/bin/mocha.js");
const run = (files: string[]) =>
  spawnSync(process.execPath, [mocha, "--no-config", "--require", "tsx/cjs", "--extension", "ts", "--timeout", "0", "--exit", ...files], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
  }).status ?? 1;

const fuzz = run(["tests/security/fuzz.test.ts"]);
const faults = run(["tests/faults/storageOutage.test.ts", "tests/faults/slowStorage.test.ts", "tests/faults/shutdown.test.ts"]);
process.exitCode = fuzz !== 0 ? fuzz : faults;
