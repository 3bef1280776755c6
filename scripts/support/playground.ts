// Starts the Microsoft 365 Agents Playground (npm `@microsoft/m365agentsplayground`) pointed at the local bot, with
// the mock users, team and channel in `.m365agentsplayground.yml`. For `npm start` and the end-to-end tests.
// It runs offline: no browser is opened (TEAMSAPPTESTER_BROWSER=none), telemetry is off, its log goes to a temporary
// folder, and it serves its own web client from the installed package.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stopChild } from "./processes";

export interface PlaygroundOptions {
  /** The bot endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Port for the Playground (default 56150; 0 picks a free one). */
  port?: number;
  /** The mock Teams file (default: the repository's `.m365agentsplayground.yml`). */
  configPath?: string;
  startTimeoutMs?: number;
}

export interface RunningPlayground {
  url: string;
  port: number;
  process: ChildProcess;
  /** What the Playground printed (for diagnosing a failed run). */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, "..", "..");

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const cli = require.resolve("@microsoft/m365agentsplayground/cli.js");
  const logDir = mkdtempSync(path.join(tmpdir(), "calm-playground-"));
  const args = [cli, "start", "--app-endpoint", options.botEndpoint, "--channel-id", "msteams", "--port", String(options.port ?? 56150), "--disable-telemetry"];
  const child = spawn(process.execPath, args, {
    cwd: logDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath ?? path.join(ROOT, ".m365agentsplayground.yml"),
      M365_AGENTS_PLAYGROUND_LOGFILE: path.join(logDir, "m365agentsplayground.log"),
      TEAMSAPPTESTER_BROWSER: "none",
      // --disable-telemetry stops the Playground's own events, but the Application Insights SDK it bundles still
      // probes the Azure instance metadata service and resolves its statsbeat endpoint unless told not to.
      APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
    },
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => { out += c.toString(); });
  child.stderr?.on("data", (c: Buffer) => { out += c.toString(); });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The Agents Playground did not start within ${options.startTimeoutMs ?? 30_000} ms. Output: ${out.slice(-800)}`));
    }, options.startTimeoutMs ?? 30_000);
    const check = () => {
      const m = /Listening on (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      rmSync(logDir, { recursive: true, force: true });
      reject(new Error(`The Agents Playground exited with code ${String(code)} before it was ready. Output: ${out.slice(-800)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    output: () => out,
    stop: async () => {
      await stopChild(child);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** The decision body's channel in `.m365agentsplayground.yml`, as the bot stores a conversation reference to it:
 * `npm start` sets it so cases are posted there without the chair first typing "panel channel". */
export function playgroundPanelChannelReference(port: number): Record<string, unknown> {
  return {
    channelId: "msteams",
    serviceUrl: `http://localhost:${port}/_connector`,
    conversation: { id: "19:calm-panel@thread.tacv2", conversationType: "channel", isGroup: true, tenantId: "00000000-0000-4000-8000-00000000c41a", name: "Unreasonable Behaviours Panel" },
    bot: { id: "28:calm-local-bot", name: "CALM" },
  };
}
