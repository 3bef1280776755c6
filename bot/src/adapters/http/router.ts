// A small router on node:http: the REST API for the tab and add-in, the bot endpoint and static pages share one
// server. Kept framework-free so the hot path (sender checks) costs little more than a bare Node server.
//
// Every route declares its permission (services/permissions.ts); authentication and authorisation happen here,
// before any handler runs, so a handler cannot forget them. Errors are JSON problem details (RFC 9457) with a
// stable `code`; nothing internal (stack, SDK message) reaches the client.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Caller } from "../../../../core/src/domain";
import { allows, isPermissionId, PERMISSIONS, type PermissionId } from "../../services/permissions";
import { AlreadyExistsError, ConcurrencyError, NotFoundError, StoreLimitError, StoreUnavailableError } from "../../ports/errors";
import type { RateLimiter, RateLimitClass } from "../../services/rateLimit";
import type { Logger } from "../../ports/system";
import type { TokenResult } from "./auth";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestContext<B = unknown> {
  method: Method;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: B;
  rawBody: Buffer;
  caller: Caller | undefined;
  requestId: string;
  req: IncomingMessage;
  res: ServerResponse;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  buffer?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** The handler wrote the response itself (e.g. the bot adapter). */
  handled?: boolean;
}

export interface Route<S extends z.ZodType = z.ZodType> {
  /** Stable id used by the authorisation matrix and logs, e.g. `senders.check`. */
  id: string;
  method: Method;
  /** `/api/subjects/:id`. */
  path: string;
  permission: PermissionId;
  /** `user`: an Entra bearer token is required (default unless the permission is public). `none`: no token
   * is read (public routes, or routes that authenticate themselves, like the bot endpoint). */
  auth?: "user" | "none";
  body?: S;
  /** Largest body accepted, in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Body content types accepted (default JSON). `raw` skips parsing. */
  bodyType?: "json" | "raw";
  /** For `raw` bodies: the content types accepted (`image/png`, `message/rfc822`…); anything else is 415 before the
   * handler runs. A raw route without it must check the type itself (tests/security/uploads.test.ts holds every
   * raw route to answering 415 for a type it does not take). */
  accept?: readonly string[];
  /** Tokens this request takes from the caller's rate-limit bucket (default 1), e.g. one per address checked.
   * Only used when the route's permission names a `rateLimit`. */
  rateCost?(body: z.infer<S>): number;
  /** May answer synchronously (the sender check does when it finds nobody): one turn of the event loop fewer. */
  handler(ctx: RequestContext<z.infer<S>>): Promise<Reply> | Reply;
}

/** A request as a handler sees it. A class (not an object literal with a getter) keeps its shape cheap to make
 * on every request; the query string is parsed only for a handler that reads it. */
class Context implements RequestContext {
  private parsedQuery: URLSearchParams | undefined;
  constructor(
    readonly method: Method,
    readonly path: string,
    readonly params: Record<string, string>,
    private readonly search: string,
    readonly body: unknown,
    readonly rawBody: Buffer,
    readonly caller: Caller | undefined,
    readonly requestId: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  get headers(): IncomingHttpHeaders {
    return this.req.headers;
  }

  get query(): URLSearchParams {
    return (this.parsedQuery ??= new URLSearchParams(this.search));
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { field: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

// Widens a typed route for the route table (the handler still sees its own body type).
export function defineRoute<S extends z.ZodType>(route: Route<S>): Route {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed when S is narrower than ZodType
  return route as unknown as Route;
}

interface Compiled {
  route: Route;
  pattern: RegExp | undefined;
  keys: string[];
}

export interface RouterOptions {
  logger: Logger;
  /** May answer synchronously for a token it has already validated. */
  authenticate(authorization: string | undefined): Promise<TokenResult> | TokenResult;
  /** Extra headers on every response (security headers). */
  headers?: Record<string, string>;
  /** Fallback for requests no route matches (static pages). Return false to answer 404. */
  fallback?(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Per-user token buckets for permissions that name a `rateLimit` (services/rateLimit.ts). */
  rateLimiter?: RateLimiter;
  /** Told when a caller is refused for going over a rate limit (the lookup watch audits it). */
  onRateLimited?(caller: Caller, cls: RateLimitClass, routeId: string): void;
  /** True once the server is shutting down: answers then say `Connection: close`. */
  closing?(): boolean;
}

const JSON_TYPE = "application/json; charset=utf-8";
const PROBLEM_TYPE = "application/problem+json; charset=utf-8";

export class Router {
  private readonly exact = new Map<string, Compiled>();
  private readonly patterned: Compiled[] = [];
  private readonly all: Route[] = [];

  private readonly baseHeaders: string[];

  constructor(private readonly options: RouterOptions) {
    this.baseHeaders = Object.entries(options.headers ?? {}).flat();
  }

  add(route: Route): this {
    if (!isPermissionId(route.permission)) throw new Error(`Route ${route.id} names unknown permission ${String(route.permission)}`);
    if (this.all.some((r) => r.id === route.id)) throw new Error(`Duplicate route id ${route.id}`);
    const keys: string[] = [];
    const hasParams = route.path.includes(":");
    const pattern = hasParams
      ? new RegExp(`^${route.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:([A-Za-z]+)/g, (_m, k: string) => { keys.push(k); return "([^/]+)"; })}$`)
      : undefined;
    const compiled = { route, pattern, keys };
    if (pattern) this.patterned.push(compiled);
    else this.exact.set(`${route.method} ${route.path}`, compiled);
    this.all.push(route);
    return this;
  }

  routes(): readonly Route[] {
    return this.all;
  }

  /** The node:http request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res);
  };

  private match(method: string, path: string): { compiled: Compiled; params: Record<string, string> } | "method" | undefined {
    const hit = this.exact.get(`${method} ${path}`);
    if (hit) return { compiled: hit, params: {} };
    let pathMatched = false;
    for (const c of this.patterned) {
      const m = c.pattern!.exec(path);
      if (!m) continue;
      if (c.route.method !== method) { pathMatched = true; continue; }
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => {
        params[k] = decodePathPart(m[i + 1] ?? "");
      });
      return { compiled: c, params };
    }
    if (pathMatched) return "method";
    for (const key of this.exact.keys()) if (key.endsWith(` ${path}`)) return "method";
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    let routeId = "unmatched";
    let status = 500;
    try {
      const rawUrl = req.url ?? "/";
      const q = rawUrl.indexOf("?");
      const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
      const method = (req.method ?? "GET").toUpperCase();
      const found = this.match(method, pathname);
      if (found === undefined) {
        if (this.options.fallback && (method === "GET" || method === "HEAD") && (await this.options.fallback(req, res))) {
          status = res.statusCode;
          routeId = "static";
          return;
        }
        throw new HttpError(404, "NOT_FOUND", "There is nothing at this address. Check the link and try again.");
      }
      if (found === "method") throw new HttpError(405, "METHOD_NOT_ALLOWED", "This address does not accept that kind of request.");
      const { route } = found.compiled;
      routeId = route.id;

      let caller: Caller | undefined;
      const needsToken = route.auth !== "none" && PERMISSIONS[route.permission].audience !== "public";
      if (needsToken) {
        const pending = this.options.authenticate(req.headers.authorization);
        const auth = pending instanceof Promise ? await pending : pending;
        if (!auth.ok) throw new HttpError(401, auth.code, auth.message, undefined, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
        caller = auth.caller;
        if (!allows(route.permission, caller)) {
          throw new HttpError(403, "FORBIDDEN", "Your role does not allow this. Ask a register administrator if you need access.");
        }
      }

      const rawBody = method === "GET" || method === "HEAD" || method === "DELETE" ? Buffer.alloc(0) : await readBody(req, route.bodyLimit ?? 65_536);
      let body: unknown = undefined;
      if (route.bodyType === "raw" && rawBody.length > 0 && route.accept) {
        const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
        if (!route.accept.includes(type)) {
          throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `This kind of file cannot be uploaded here. Send one of: ${route.accept.join(", ")}.`);
        }
      }
      if (route.bodyType !== "raw" && (route.body || rawBody.length > 0)) {
        const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
        if (rawBody.length > 0 && type !== "application/json") {
          throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request as JSON (Content-Type: application/json).");
        }
        try {
          body = rawBody.length > 0 ? (JSON.parse(rawBody.toString("utf8")) as unknown) : undefined;
        } catch {
          throw new HttpError(400, "INVALID_JSON", "The request body is not valid JSON. Check it and try again.");
        }
        if (route.body) {
          const parsed = route.body.safeParse(body);
          if (!parsed.success) {
            const errors = parsed.error.issues.slice(0, 20).map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
            throw new HttpError(400, "INVALID_BODY", `Some of what was sent is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}.`, errors);
          }
          body = parsed.data;
        }
      }

      const limit = PERMISSIONS[route.permission] as { rateLimit?: RateLimitClass };
      if (limit.rateLimit && caller && this.options.rateLimiter) {
        const decision = this.options.rateLimiter.take(caller.id, limit.rateLimit, route.rateCost ? route.rateCost(body) : 1);
        if (!decision.ok) {
          this.options.onRateLimited?.(caller, limit.rateLimit, route.id);
          throw new HttpError(
            429,
            "RATE_LIMITED",
            `You have made a lot of ${limit.rateLimit === "lookup" ? "lookups" : "checks"} in a short time. Wait ${decision.retryAfterSec} seconds and try again; if your work needs more, ask a register administrator.`,
            undefined,
            { "Retry-After": String(decision.retryAfterSec) },
          );
        }
      }

      const answer = route.handler(new Context(method as Method, pathname, found.params, q < 0 ? "" : rawUrl.slice(q + 1), body, rawBody, caller, requestId, req, res));
      const reply = answer instanceof Promise ? await answer : answer;
      status = reply.status;
      if (!reply.handled) this.send(res, reply, requestId);
      else status = res.statusCode;
    } catch (error) {
      const problem = this.toProblem(error, requestId, routeId);
      status = problem.status;
      if (!res.headersSent) this.send(res, problem, requestId);
      else res.destroy();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (status >= 500 || routeId !== "senders.check") {
        this.options.logger.info("http", { route: routeId, status, ms: Math.round(ms * 10) / 10, requestId });
      }
    }
  }

  private send(res: ServerResponse, reply: Reply, requestId: string): void {
    let payload: string | Buffer = "";
    if (reply.buffer) payload = reply.buffer;
    else if (reply.text !== undefined) payload = reply.text;
    else if (reply.json !== undefined) payload = JSON.stringify(reply.json);
    // One flat header list handed to writeHead: cheaper than a setHeader call per header on the hot path.
    let headers: string[];
    if (reply.headers) {
      // A reply's own header replaces the default of the same name.
      const own = new Set(Object.keys(reply.headers).map((n) => n.toLowerCase()));
      headers = [];
      for (let i = 0; i < this.baseHeaders.length; i += 2) {
        if (!own.has(this.baseHeaders[i]!.toLowerCase())) headers.push(this.baseHeaders[i]!, this.baseHeaders[i + 1]!);
      }
      for (const name of Object.keys(reply.headers)) headers.push(name, reply.headers[name]!);
      headers.push("X-Request-Id", requestId);
    } else {
      headers = [...this.baseHeaders, "X-Request-Id", requestId];
    }
    const type = reply.contentType ?? (reply.json !== undefined ? JSON_TYPE : undefined);
    if (type) headers.push("Content-Type", type);
    if (this.options.closing?.()) headers.push("Connection", "close");
    headers.push("Content-Length", String(Buffer.byteLength(payload)));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private toProblem(error: unknown, requestId: string, routeId: string): Reply {
    const problem = (status: number, code: string, detail: string, extra?: Record<string, unknown>, headers?: Record<string, string>): Reply => ({
      status,
      contentType: PROBLEM_TYPE,
      headers,
      json: { type: `urn:calm:problem:${code.toLowerCase().replace(/_/g, "-")}`, title: titleFor(status), status, code, detail, requestId, ...extra },
    });
    if (error instanceof HttpError) return problem(error.status, error.code, error.message, error.errors ? { errors: error.errors } : undefined, error.headers);
    if (error instanceof ConcurrencyError) return problem(409, error.code, error.message);
    if (error instanceof NotFoundError) return problem(404, error.code, error.message);
    if (error instanceof AlreadyExistsError) return problem(409, error.code, error.message);
    if (error instanceof StoreUnavailableError) return problem(503, error.code, error.message, undefined, { "Retry-After": "5" });
    if (error instanceof StoreLimitError) return problem(413, error.code, error.message);
    this.options.logger.error("http.unhandled", { route: routeId, requestId, error: error instanceof Error ? error.name : typeof error });
    return problem(500, "INTERNAL_ERROR", `Something went wrong on our side and nothing was changed. Try again; if it keeps happening, tell IT and quote ${requestId}.`);
  }
}

function titleFor(status: number): string {
  switch (status) {
    case 400: return "The request is not valid";
    case 401: return "Sign-in needed";
    case 403: return "Not allowed";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 409: return "Conflict";
    case 413: return "Too large";
    case 415: return "Unsupported media type";
    case 429: return "Too many requests";
    case 503: return "Service unavailable";
    default: return status >= 500 ? "Server error" : "Request failed";
  }
}

/** A path segment, percent-decoded; a malformed escape (`%E0%A4%A`) is the client's mistake, not ours. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, "INVALID_PATH", "The address has a malformed %-escape in it. Check the link and try again.");
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    return Promise.reject(new HttpError(413, "BODY_TOO_LARGE", `The request is larger than ${Math.round(limit / 1024)} KB. Send less and try again.`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, "BODY_TOO_LARGE", `The request is larger than ${Math.round(limit / 1024)} KB. Send less and try again.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on("error", (e) => { if (!failed) { failed = true; reject(e); } });
  });
}

/** For node:http's `clientError`: a request Node could not even parse (headers or URL too large, malformed
 * request line) gets the same kind of answer as everything else — a problem document with a stable code —
 * instead of a bare status line, and the connection is closed. */
export function answerClientError(error: Error & { code?: string }, socket: import("node:stream").Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const code = tooLarge ? "REQUEST_HEADERS_TOO_LARGE" : "BAD_REQUEST";
  const detail = tooLarge
    ? "The address or headers of the request are too long. Shorten them (send search terms in the body) and try again."
    : "The request could not be read. Check the client sending it, then try again.";
  const body = JSON.stringify({ type: `urn:calm:problem:${code.toLowerCase().replace(/_/g, "-")}`, title: tooLarge ? "Request headers too large" : "The request is not valid", status, code, detail });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      `Content-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
      `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
