// Sends the scheduler's calls with @microsoft/microsoft-graph-client: single calls through `client.api()`,
// groups through the SDK's BatchRequestContent (which enforces Graph's 20-request limit and dependsOn rules)
// posted to /$batch. Answers are read raw so the scheduler sees every status and header, and so a body that
// is not JSON becomes a `malformed` answer instead of an exception.
import { BatchRequestContent, Client, ResponseType, type BatchRequestStep } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { GraphError } from "../../ports/graph";
import { BearerTokenHandler, TimeoutFetchHandler, type TokenFunction } from "./middleware";
import { TransportFailure, type BatchReply, type GraphOperation, type GraphReply, type GraphTransport } from "./scheduler";

export interface SdkTransportOptions {
  /** Without the version: `https://graph.microsoft.com`, or the simulator's `http://127.0.0.1:<port>`. */
  baseUrl: string;
  getToken: TokenFunction;
  /** Per HTTP request. Default 30 s. */
  timeoutMs?: number;
  version?: string;
}

/** BatchRequestContent strips scheme and host from each step's URL; any absolute origin works here. */
const STEP_ORIGIN = "https://graph.microsoft.com";

const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.unknown()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

function lowerHeaders(headers: Headers | Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((value, key) => { out[key.toLowerCase()] = value; });
  } else {
    for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = String(value);
  }
  return out;
}

async function readReply(response: Response): Promise<GraphReply> {
  const headers = lowerHeaders(response.headers);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The connection dropped while the body was streaming in.
    throw new TransportFailure("The connection closed while the answer was being read.", { cause: error });
  }
  if (text.length === 0) return { status: response.status, headers, body: undefined };
  try {
    return { status: response.status, headers, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, headers, body: undefined, malformed: true };
  }
}

export class SdkGraphTransport implements GraphTransport {
  private readonly client: Client;

  constructor(options: SdkTransportOptions) {
    this.client = Client.initWithMiddleware({
      baseUrl: options.baseUrl.replace(/\/+$/, "") + "/",
      defaultVersion: options.version ?? "v1.0",
      middleware: [new BearerTokenHandler(options.getToken), new TimeoutFetchHandler(options.timeoutMs ?? 30_000)],
    });
  }

  private async call(op: GraphOperation, path: string, body: unknown): Promise<Response> {
    let request = this.client.api(path).responseType(ResponseType.RAW);
    for (const [name, value] of Object.entries(op.headers ?? {})) request = request.header(name, value);
    try {
      switch (op.method) {
        case "GET":
          return (await request.get()) as Response;
        case "POST":
          return (await request.post(body ?? {})) as Response;
        case "PATCH":
          return (await request.patch(body ?? {})) as Response;
        case "DELETE":
          return (await request.delete()) as Response;
      }
    } catch (error) {
      if ((error as { code?: unknown }).code === "GraphCredentialError") {
        throw new GraphError("GRAPH_UNAUTHORIZED", { retryable: false, cause: error });
      }
      // With a RAW response type the SDK only throws when no HTTP answer came back at all.
      throw new TransportFailure("No answer from Microsoft Graph (connection dropped, refused or timed out).", { cause: error });
    }
  }

  async send(op: GraphOperation): Promise<GraphReply> {
    return readReply(await this.call(op, op.path, op.body));
  }

  async sendBatch(items: { id: string; op: GraphOperation }[]): Promise<BatchReply> {
    const steps: BatchRequestStep[] = items.map(({ id, op }) => {
      const headers: Record<string, string> = { ...(op.headers ?? {}) };
      const hasBody = op.method === "POST" || op.method === "PATCH";
      if (hasBody) headers["content-type"] = "application/json";
      return {
        id,
        request: new Request(STEP_ORIGIN + op.path, {
          method: op.method,
          headers,
          body: hasBody ? JSON.stringify(op.body ?? {}) : undefined,
        }),
      };
    });
    const content = await new BatchRequestContent(steps).getContent();
    const envelope = await readReply(await this.call({ method: "POST", path: "/$batch", idempotent: false }, "/$batch", content));
    if (envelope.status !== 200 || envelope.malformed) return { kind: "envelope", reply: envelope };
    const parsed = batchResponseSchema.safeParse(envelope.body);
    if (!parsed.success) return { kind: "envelope", reply: { ...envelope, malformed: true } };
    const map = new Map<string, GraphReply>();
    for (const r of parsed.data.responses) {
      // A sub-answer's body is JSON already; a string body where an object belongs is left for the
      // client's schema check to reject (Graph base64-encodes only non-JSON content).
      map.set(r.id, { status: r.status, headers: lowerHeaders(r.headers), body: r.body });
    }
    return { kind: "items", items: map };
  }
}
