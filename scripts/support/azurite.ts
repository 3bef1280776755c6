// Starts Azurite (npm `azurite`) as a child process on ports the OS picks, for `npm start` and the tests.
// Tables and blobs are served; the queue service is started by Azurite too but unused.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stopChild } from "./processes";

/** Azurite's published development account. Not a secret: it is the same on every machine. */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  /** Folder for its data. Default: a new temporary folder, removed again when Azurite stops. */
  location?: string;
  /** Keep nothing on disk (fast; for tests). */
  inMemory?: boolean;
  /** Fixed ports (for `npm start`); default 0 = any free port. */
  tablePort?: number;
  blobPort?: number;
  /** Give up if Azurite has not said it is listening by then. */
  startTimeoutMs?: number;
}

export interface RunningAzurite {
  tableUrl: string;
  blobUrl: string;
  connectionString: string;
  location: string;
  process: ChildProcess;
  /** Stop it and wait for it to exit. */
  stop(): Promise<void>;
}

export function azuriteConnectionString(tablePort: number, blobPort: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${AZURITE_ACCOUNT};` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/${AZURITE_ACCOUNT};`
  );
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const location = options.location ?? mkdtempSync(path.join(tmpdir(), "calm-azurite-"));
  mkdirSync(location, { recursive: true });
  const removeOwnFolder = () => { if (options.location === undefined) rmSync(location, { recursive: true, force: true }); };
  const main = require.resolve("azurite/dist/src/azurite.js");
  const args = [
    main,
    ...(options.inMemory ? [] : ["--location", location]),
    "--tablePort", String(options.tablePort ?? 0),
    "--blobPort", String(options.blobPort ?? 0),
    "--queuePort", "0",
    "--disableTelemetry",
    "--skipApiVersionCheck",
    "--loose",
  ];
  if (options.inMemory) args.push("--inMemoryPersistence");
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], cwd: location });

  const ports = await new Promise<{ table: number; blob: number }>((resolve, reject) => {
    let out = "";
    const found: { table?: number; blob?: number } = {};
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 20000} ms. Output: ${out.slice(-500)}`));
    }, options.startTimeoutMs ?? 20000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/Azurite (Blob|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g)) {
        if (m[1] === "Table") found.table = Number(m[2]);
        if (m[1] === "Blob") found.blob = Number(m[2]);
      }
      if (found.table !== undefined && found.blob !== undefined) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve({ table: found.table, blob: found.blob });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => { out += c.toString(); });
    child.once("exit", (code) => {
      clearTimeout(timer);
      removeOwnFolder();
      reject(new Error(`Azurite exited with code ${String(code)} before it was ready. Output: ${out.slice(-500)}`));
    });
  });
  // Keep draining output so the pipe never fills and blocks Azurite.
  child.stdout?.resume();
  child.stderr?.resume();

  return {
    tableUrl: `http://127.0.0.1:${ports.table}/${AZURITE_ACCOUNT}`,
    blobUrl: `http://127.0.0.1:${ports.blob}/${AZURITE_ACCOUNT}`,
    connectionString: azuriteConnectionString(ports.table, ports.blob),
    location,
    process: child,
    stop: async () => {
      await stopChild(child);
      removeOwnFolder();
    },
  };
}
