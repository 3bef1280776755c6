// Storage that misbehaves on purpose, for the fault suites: Azurite that can be killed and brought back on the
// same ports with the same data folder, and a TCP proxy in front of it that can slow every byte down or stop
// answering altogether.
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { azuriteConnectionString, startAzurite, type RunningAzurite } from "../../../scripts/support/azurite";

export class KillableAzurite {
  private running: RunningAzurite | undefined;
  readonly location = mkdtempSync(path.join(tmpdir(), "calm-faults-azurite-"));
  tablePort = 0;
  blobPort = 0;

  async start(): Promise<void> {
    this.running = await startAzurite({ location: this.location, tablePort: this.tablePort, blobPort: this.blobPort });
    this.tablePort = Number(new URL(this.running.tableUrl).port);
    this.blobPort = Number(new URL(this.running.blobUrl).port);
  }

  get connectionString(): string {
    return azuriteConnectionString(this.tablePort, this.blobPort);
  }

  /** SIGTERM: Azurite stops at once (open connections drop) but saves what it acknowledged. SIGKILL: it also
   * loses up to its 5 s autosave interval, which real Azure Storage never does. */
  async kill(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const child = this.running?.process;
    this.running = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Same ports, same data folder. */
  async restart(): Promise<void> {
    await this.start();
  }

  /** Stops it for good: its data folder goes too. */
  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
    rmSync(this.location, { recursive: true, force: true });
  }
}

export type ProxyMode = { kind: "pass" } | { kind: "delay"; ms: number } | { kind: "blackhole" };

/** A TCP proxy on 127.0.0.1 to `target`. `mode` applies to connections from then on (and, for a black hole, to
 * bytes already in flight). */
export class FaultProxy {
  mode: ProxyMode = { kind: "pass" };
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      this.sockets.add(client);
      const upstream = net.connect(this.targetPort, "127.0.0.1");
      this.sockets.add(upstream);
      const forward = (from: net.Socket, to: net.Socket) => {
        from.on("data", (chunk: Buffer) => {
          const mode = this.mode;
          if (mode.kind === "blackhole") return; // swallowed: the other side waits for ever
          if (mode.kind === "delay") setTimeout(() => to.writable && to.write(chunk), mode.ms);
          else if (to.writable) to.write(chunk);
        });
      };
      forward(client, upstream);
      forward(upstream, client);
      const close = () => { client.destroy(); upstream.destroy(); };
      client.on("close", close);
      upstream.on("close", close);
      client.on("error", close);
      upstream.on("error", close);
      client.on("close", () => this.sockets.delete(client));
      upstream.on("close", () => this.sockets.delete(upstream));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
