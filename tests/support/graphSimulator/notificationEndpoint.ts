// A small node:http server that hands Graph's notification requests to CALM's framework-free handlers,
// the way the product's router does. Used by the tests, the benchmark and the simulator's standalone mode.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphNotificationReply, GraphNotificationRequest } from "../../../bot/src/services/mailMarking";

export type NotificationHandlerFn = (req: GraphNotificationRequest) => Promise<GraphNotificationReply>;

export interface NotificationEndpoint {
  baseUrl: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  /** Every request and how long the handler took (ms). */
  log: { path: string; status: number; ms: number }[];
  stop(): Promise<void>;
}

export async function startNotificationEndpoint(handlers: { change: NotificationHandlerFn; lifecycle: NotificationHandlerFn }): Promise<NotificationEndpoint> {
  const log: NotificationEndpoint["log"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const started = Date.now();
      const url = new URL(req.url ?? "/", "http://localhost");
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = rawBody.length > 0 && (req.headers["content-type"] ?? "").includes("json") ? (JSON.parse(rawBody) as unknown) : undefined;
      } catch {
        body = undefined;
      }
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(",") : v;
      const handler = url.pathname === "/api/graph/lifecycle" ? handlers.lifecycle : url.pathname === "/api/graph/notifications" ? handlers.change : undefined;
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      handler({ query: url.searchParams, headers, body, rawBody })
        .then((reply) => {
          log.push({ path: url.pathname, status: reply.status, ms: Date.now() - started });
          res.writeHead(reply.status, reply.headers ?? {});
          res.end(reply.body ?? "");
        })
        .catch(() => {
          log.push({ path: url.pathname, status: 500, ms: Date.now() - started });
          res.writeHead(500).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: base,
    notificationUrl: `${base}/api/graph/notifications`,
    lifecycleNotificationUrl: `${base}/api/graph/lifecycle`,
    log,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
