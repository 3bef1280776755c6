// The Graph SDK's middleware chain as CALM builds it: bearer token → HTTP with a timeout.
//
// Why not the SDK's own AuthenticationHandler and RetryHandler:
// - AuthenticationHandler only adds the token for https URLs on Graph's own hosts (or "custom hosts", which
//   must be https too), so it would never authenticate to the local simulator. Ours adds the token to every
//   request the client sends, and the client only ever talks to the one configured base URL.
// - Retrying lives in the scheduler (scheduler.ts), which sees each $batch sub-request, pauses a throttled
//   mailbox and charges retries to the global budget; the SDK's RetryHandler sees only whole HTTP requests,
//   does not add jitter to Retry-After and would re-send a create after a 503 or 504.
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

/** Gets a Graph access token. Production: MSAL client credentials or managed identity (auth.ts). */
export type TokenFunction = () => Promise<string>;

function setHeader(context: Context, name: string, value: string): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) headers.push([name, value]);
  else options.headers = { ...(headers ?? {}), [name]: value };
}

export class BearerTokenHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly getToken: TokenFunction) {}

  async execute(context: Context): Promise<void> {
    const token = await this.getToken();
    setHeader(context, "Authorization", `Bearer ${token}`);
    if (!this.next) throw new Error("BearerTokenHandler must not be the last middleware.");
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The end of the chain: fetch with a deadline. A request that hangs is abandoned after `timeoutMs`. */
export class TimeoutFetchHandler implements Middleware {
  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    const options = { ...(context.options ?? {}), signal: AbortSignal.timeout(this.timeoutMs) };
    context.response = await fetch(context.request, options);
  }
}
