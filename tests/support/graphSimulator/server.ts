// A Microsoft Graph simulator for the tests, the benchmark and `npm start` (ARCHITECTURE.md "Real parts,
// locally"): node:http on 127.0.0.1, port 0 by default. CALM's Graph adapter talks to it exactly as it talks
// to graph.microsoft.com; only the base URL differs.
//
// What it implements (v1.0 paths): users and groups (transitive members, paged), mail folders (list with
// $filter on displayName, create), inbox messageRules CRUD, messages GET/PATCH (If-Match) and inbox listing,
// a message's MIME (`…/messages/{id}/$value`) and `$select` (internetMessageHeaders, body as text with
// `Prefer: outlook.body-content-type="text"`), `/me/…` for delegated (user) tokens with Mail.Read, and other
// mailboxes for a user only with Mail.Read.Shared and access granted by that mailbox,
// subscriptions (create with the validation handshake against the notification and lifecycle URLs,
// renew, delete), JSON $batch (at most 20 requests, dependsOn, 424 for a failed dependency, at most four
// sub-requests dispatched at once), change and lifecycle notifications, and Outlook's limits: at most four
// concurrent requests per mailbox and a request budget per mailbox over a window, both answered with 429
// and Retry-After. Faults can be injected: any status with Retry-After, dropped connections (before or
// after the change is made), malformed bodies, delays and random 429/503 storms.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { SimHttpError, SimTenant, type SimMailbox, type SimMessage, type SimRule, type SimSubscription, type SimUser } from "./tenant";

export interface GraphSimulatorOptions {
  host?: string;
  port?: number;
  /** Time each request takes inside the "service", uniformly in [min, max] ms. Default 1-3 ms. */
  latencyMs?: { min: number; max: number };
  /** Outlook's limit: concurrent requests per mailbox per app. Default 4. */
  mailboxConcurrency?: number;
  /** Outlook's limit: requests per mailbox per window. Default 10,000 per 10 minutes. */
  mailboxRate?: { limit: number; windowMs: number };
  /** Retry-After sent with a concurrency 429 (seconds; fractions allowed for fast tests). Default 1. */
  throttleRetryAfterSeconds?: number;
  /** Sub-requests of one $batch dispatched at once (Graph dispatches four). */
  batchParallelism?: number;
  maxBatchSize?: number;
  /** When set, requests must carry `Authorization: Bearer <token>`; otherwise any bearer token is accepted. */
  expectedToken?: string;
  /** Longest subscription Graph accepts for Outlook messages: 10,080 minutes (under 7 days). */
  maxSubscriptionMinutes?: number;
  /** Test knob: grant subscriptions at most this long, whatever was asked (the client must plan renewal
   * from the expirationDateTime returned, not the one it asked for). */
  subscriptionLifetimeCapMs?: number;
  /** Graph waits 10 seconds for the validation answer. */
  validationTimeoutMs?: number;
  storm?: StormOptions;
  /** Seed for the simulator's random choices (latency, storms), so a run can be repeated. */
  seed?: number;
  now?: () => number;
  /** Public base URL used in @odata.nextLink (default: the listening address). */
  publicBaseUrl?: string;
}

export interface StormOptions {
  /** Share of mailbox requests answered 429 (0-1). */
  rate429?: number;
  /** Share of mailbox requests answered 503 (0-1). */
  rate503?: number;
  retryAfterSeconds?: number;
  /** Only these mailboxes (addresses); default all. */
  mailboxes?: string[];
}

export interface FaultMatch {
  method?: string;
  /** Substring of, or pattern for, the path after /v1.0 (e.g. "/messageRules", "/$batch"). */
  path?: string | RegExp;
  /** Mailbox address or id the request is for. */
  mailbox?: string;
}

export interface Fault {
  match?: FaultMatch;
  kind: "status" | "drop" | "malformed" | "delay";
  status?: number;
  retryAfterSeconds?: number;
  graphCode?: string;
  /** `after`: the change is made first, then the answer is replaced (the client cannot tell it happened). */
  when?: "before" | "after";
  /** How many requests it hits; default 1. `Infinity` for all. */
  times?: number;
  delayMs?: number;
  /** For `malformed`: the raw body (default: JSON cut off half way). */
  body?: string;
}

export interface SimStats {
  httpRequests: number;
  batches: number;
  /** Direct requests plus batch sub-requests, whatever their answer. */
  operations: number;
  /** Operations answered 2xx. */
  successes: number;
  throttled: number;
  faultsInjected: number;
  dropped: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
  /** The most requests ever in flight at once for one mailbox (accepted ones: at most the limit). */
  maxMailboxConcurrency: number;
  /** The most requests a client ever tried to have in flight for one mailbox, refused ones included:
   * above the limit means the client broke Outlook's concurrency rule. */
  maxMailboxConcurrencyAttempted: number;
  /** The largest $batch seen. */
  maxBatchSize: number;
}

export interface NotificationDelivery {
  subscriptionId: string;
  kind: "change" | "lifecycle";
  status: number;
  ms: number;
}

interface SimOp {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

interface SimResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  /** Raw text instead of JSON (malformed answers). */
  raw?: string;
  drop?: boolean;
}

interface ActiveFault extends Fault {
  remaining: number;
}

/** Small fast PRNG (mulberry32) so runs repeat with a seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function errorBody(code: string, message: string): unknown {
  return { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": "sim" } } };
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** What a delegated (user) token says: who, and the scopes granted. The simulator reads a JWT's payload without
 * checking its signature (it is a test double, like Graph's own check it stands in for); app tokens stay opaque. */
interface DelegatedToken {
  oid?: string;
  upn?: string;
  scopes: Set<string>;
}

function delegatedToken(authorization: string | undefined): DelegatedToken | undefined {
  const parts = (authorization ?? "").replace(/^Bearer\s+/i, "").split(".");
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
    if (typeof payload.scp !== "string") return undefined;
    return {
      ...(typeof payload.oid === "string" ? { oid: payload.oid } : {}),
      ...(typeof payload.preferred_username === "string" ? { upn: payload.preferred_username } : {}),
      scopes: new Set(payload.scp.split(" ").filter(Boolean)),
    };
  } catch {
    return undefined;
  }
}

const READ_OWN_MAIL = ["Mail.Read", "Mail.ReadWrite", "Mail.Read.Shared", "Mail.ReadWrite.Shared"];
const READ_SHARED_MAIL = ["Mail.Read.Shared", "Mail.ReadWrite.Shared"];

function odataString(filter: string, property: string): string | undefined {
  const m = new RegExp(`${property}\\s+eq\\s+'((?:[^']|'')*)'`, "i").exec(filter);
  return m ? m[1]!.replace(/''/g, "'") : undefined;
}

export class GraphSimulator {
  readonly tenant: SimTenant;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private base = "";
  private readonly opts: Required<Omit<GraphSimulatorOptions, "expectedToken" | "subscriptionLifetimeCapMs" | "storm" | "publicBaseUrl" | "host" | "port">> &
    Pick<GraphSimulatorOptions, "expectedToken" | "subscriptionLifetimeCapMs" | "storm" | "publicBaseUrl" | "host" | "port">;
  private readonly random: () => number;
  private faults: ActiveFault[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly windows = new Map<string, number[]>();
  private stat: SimStats = GraphSimulator.emptyStats();
  readonly notificationLog: NotificationDelivery[] = [];

  constructor(options: GraphSimulatorOptions = {}) {
    this.opts = {
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 0,
      latencyMs: options.latencyMs ?? { min: 1, max: 3 },
      mailboxConcurrency: options.mailboxConcurrency ?? 4,
      mailboxRate: options.mailboxRate ?? { limit: 10_000, windowMs: 600_000 },
      throttleRetryAfterSeconds: options.throttleRetryAfterSeconds ?? 1,
      batchParallelism: options.batchParallelism ?? 4,
      maxBatchSize: options.maxBatchSize ?? 20,
      expectedToken: options.expectedToken,
      maxSubscriptionMinutes: options.maxSubscriptionMinutes ?? 10_080,
      subscriptionLifetimeCapMs: options.subscriptionLifetimeCapMs,
      validationTimeoutMs: options.validationTimeoutMs ?? 10_000,
      storm: options.storm,
      seed: options.seed ?? 42,
      now: options.now ?? Date.now,
      publicBaseUrl: options.publicBaseUrl,
    };
    this.random = seededRandom(this.opts.seed);
    this.tenant = new SimTenant(this.opts.now);
  }

  private static emptyStats(): SimStats {
    return {
      httpRequests: 0, batches: 0, operations: 0, successes: 0, throttled: 0, faultsInjected: 0, dropped: 0,
      byStatus: {}, byRoute: {}, maxMailboxConcurrency: 0, maxMailboxConcurrencyAttempted: 0, maxBatchSize: 0,
    };
  }

  /** Base URL without the version, e.g. `http://127.0.0.1:43123` (what GRAPH_BASE_URL is set to). */
  get baseUrl(): string {
    return this.base;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => { void this.handle(req, res); });
    server.keepAliveTimeout = 30_000;
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.base = this.opts.publicBaseUrl ?? `http://${this.opts.host}:${address.port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ------------------------------------------------------------------ test controls and inspection

  addFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  setStorm(storm: StormOptions | undefined): void {
    this.opts.storm = storm;
  }

  stats(): SimStats {
    return structuredClone(this.stat);
  }

  resetStats(): void {
    this.stat = GraphSimulator.emptyStats();
  }

  rules(mailbox: string): SimRule[] {
    return this.tenant.listRules(this.tenant.mailbox(mailbox)).map((r) => structuredClone(r));
  }

  /** Every rule in every mailbox whose name starts with `prefix`. */
  rulesNamed(prefix: string): { mailbox: string; rule: SimRule }[] {
    const out: { mailbox: string; rule: SimRule }[] = [];
    for (const user of this.tenant.listUsers()) {
      if (!this.tenant.hasMailbox(user.id)) continue;
      for (const rule of this.tenant.listRules(this.tenant.mailbox(user.id))) {
        if (rule.displayName.startsWith(prefix)) out.push({ mailbox: user.mail, rule: structuredClone(rule) });
      }
    }
    return out;
  }

  /** Rules created while a rule of the same name was already in that mailbox: a divert made twice. */
  duplicateCreations(prefix = ""): number {
    return this.tenant.ruleEvents.filter((e) => e.kind === "created" && e.sameNameBefore > 0 && e.displayName.startsWith(prefix)).length;
  }

  messages(mailbox: string): SimMessage[] {
    return [...this.tenant.mailbox(mailbox).messages.values()].map((m) => structuredClone(m));
  }

  folderName(mailbox: string, folderId: string): string | undefined {
    return this.tenant.mailbox(mailbox).folders.get(folderId)?.displayName;
  }

  subscriptions(): SimSubscription[] {
    this.tenant.expireSubscriptions();
    return [...this.tenant.subscriptions.values()].map((s) => structuredClone(s));
  }

  // ------------------------------------------------------------------ notifications

  private async post(url: string, payload: unknown): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return { status: res.status, ms: Date.now() - started };
    } catch {
      // The endpoint did not answer: Graph records a failed delivery; so do we.
      return { status: 0, ms: Date.now() - started };
    }
  }

  private changePayload(sub: SimSubscription, user: SimUser, message: SimMessage, clientState?: string): unknown {
    const resource = `Users/${user.id}/Messages/${message.id}`;
    return {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
          changeType: "created",
          resource,
          resourceData: {
            "@odata.type": "#Microsoft.Graph.Message",
            "@odata.id": resource,
            "@odata.etag": this.tenant.etagOf(message),
            id: message.id,
          },
          clientState: clientState ?? sub.clientState ?? null,
          tenantId: this.tenant.tenantId,
        },
      ],
    };
  }

  /** New mail arrives for `to`: rules run, then each subscription on an inbox the message (or a redirected
   * copy) landed in is notified, `duplicates` extra times as Graph sometimes does. */
  async deliverMessage(
    to: string,
    input: { from: string; sender?: string; subject?: string; categories?: string[] },
    options: { duplicates?: number; clientState?: string } = {},
  ): Promise<{ messageId: string; folder: string; copies: { mailbox: string; messageId: string }[]; deliveries: NotificationDelivery[] }> {
    this.tenant.expireSubscriptions();
    const delivered = this.tenant.deliver(to, input);
    const deliveries: NotificationDelivery[] = [];
    const all = [{ mailbox: delivered.mailbox, message: delivered.message }, ...delivered.deliveredCopies];
    const sends: Promise<void>[] = [];
    for (const { mailbox, message } of all) {
      if (message.folderId !== this.tenant.inbox(mailbox).id) continue;
      for (const sub of this.tenant.subscriptions.values()) {
        if (sub.mailboxUserId !== mailbox.user.id) continue;
        for (let i = 0; i <= (options.duplicates ?? 0); i++) {
          sends.push(
            this.post(sub.notificationUrl, this.changePayload(sub, mailbox.user, message, options.clientState)).then((r) => {
              const d: NotificationDelivery = { subscriptionId: sub.id, kind: "change", status: r.status, ms: r.ms };
              deliveries.push(d);
              this.notificationLog.push(d);
            }),
          );
        }
      }
    }
    await Promise.all(sends);
    return {
      messageId: delivered.message.id,
      folder: delivered.mailbox.folders.get(delivered.message.folderId)?.displayName ?? "(deleted)",
      copies: delivered.deliveredCopies.map((c) => ({ mailbox: c.mailbox.user.mail, messageId: c.message.id })),
      deliveries,
    };
  }

  /** Sends a lifecycle notification. `subscriptionRemoved` also removes the subscription, as Graph does. */
  async sendLifecycle(
    subscriptionId: string,
    event: "reauthorizationRequired" | "subscriptionRemoved" | "missed",
    options: { clientState?: string } = {},
  ): Promise<NotificationDelivery> {
    const sub = this.tenant.subscriptions.get(subscriptionId);
    if (!sub?.lifecycleNotificationUrl) throw new Error(`No subscription ${subscriptionId} with a lifecycle URL.`);
    if (event === "subscriptionRemoved") this.tenant.subscriptions.delete(subscriptionId);
    if (event === "reauthorizationRequired") sub.needsReauthorization = true;
    const payload = {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
          tenantId: this.tenant.tenantId,
          clientState: options.clientState ?? sub.clientState ?? null,
          lifecycleEvent: event,
        },
      ],
    };
    const r = await this.post(sub.lifecycleNotificationUrl, payload);
    const d: NotificationDelivery = { subscriptionId, kind: "lifecycle", status: r.status, ms: r.ms };
    this.notificationLog.push(d);
    return d;
  }

  // ------------------------------------------------------------------ HTTP

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  private write(res: ServerResponse, result: SimResult): void {
    if (result.drop) {
      this.stat.dropped += 1;
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = { ...result.headers };
    let text = "";
    if (result.raw !== undefined) {
      text = result.raw;
      headers["content-type"] ??= "application/json";
    } else if (result.body !== undefined) {
      text = JSON.stringify(result.body);
      headers["content-type"] = "application/json; odata.metadata=minimal";
    }
    res.writeHead(result.status, headers);
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const text = await this.readBody(req);
      const url = new URL(req.url ?? "/", "http://sim.local");
      if (url.pathname.startsWith("/_sim/")) {
        this.write(res, await this.inspectRoute(req.method ?? "GET", url, text));
        return;
      }
      this.stat.httpRequests += 1;
      if (!url.pathname.startsWith("/v1.0/")) {
        this.write(res, { status: 404, headers: {}, body: errorBody("BadRequest", "Invalid version: use /v1.0.") });
        return;
      }
      const auth = req.headers.authorization;
      // A user's (delegated) token names a user of this tenant; the app's own token is the expected one, if set.
      const delegated = delegatedToken(auth);
      const knownUser = delegated !== undefined && this.delegatedUser(delegated) !== undefined;
      if (typeof auth !== "string" || !auth.startsWith("Bearer ") || (delegated !== undefined && !knownUser)
        || (!knownUser && this.opts.expectedToken !== undefined && auth !== `Bearer ${this.opts.expectedToken}`)) {
        this.write(res, { status: 401, headers: {}, body: errorBody("InvalidAuthenticationToken", "Access token is empty or invalid.") });
        return;
      }
      let body: unknown;
      if (text.length > 0) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          this.write(res, { status: 400, headers: {}, body: errorBody("BadRequest", "Unable to read JSON request payload.") });
          return;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k.toLowerCase()] = v;
      const op: SimOp = { method: (req.method ?? "GET").toUpperCase(), path: url.pathname.slice(5) + url.search, headers, body };
      if (url.pathname === "/v1.0/$batch" && op.method === "POST") {
        this.write(res, await this.batch(op, res));
      } else {
        this.write(res, await this.execute(op));
      }
    } catch (error) {
      if (!res.headersSent) {
        this.write(res, { status: 500, headers: {}, body: errorBody("InternalServerError", error instanceof Error ? error.message : String(error)) });
      }
    }
  }

  private takeFault(op: SimOp, mailbox: string | undefined, when: "before" | "after"): ActiveFault | undefined {
    for (const fault of this.faults) {
      if (fault.remaining <= 0 || (fault.when ?? "before") !== when) continue;
      const m = fault.match ?? {};
      if (m.method && m.method.toUpperCase() !== op.method) continue;
      const path = op.path.split("?")[0]!;
      if (m.path !== undefined && (typeof m.path === "string" ? !decodeURIComponent(path).includes(m.path) : !m.path.test(decodeURIComponent(path)))) continue;
      if (m.mailbox !== undefined) {
        const target = this.tenant.resolveUser(m.mailbox);
        if (!mailbox || !target || target.id !== mailbox) continue;
      }
      fault.remaining -= 1;
      this.stat.faultsInjected += 1;
      return fault;
    }
    return undefined;
  }

  private faultResult(fault: ActiveFault): SimResult {
    if (fault.kind === "drop") return { status: 0, headers: {}, drop: true };
    if (fault.kind === "malformed") return { status: 200, headers: {}, raw: fault.body ?? '{"value": [{"id": "AQAAAJ0001=", "displayName": ' };
    const status = fault.status ?? 503;
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) headers["Retry-After"] = String(fault.retryAfterSeconds);
    return { status, headers, body: errorBody(fault.graphCode ?? (status === 429 ? "TooManyRequests" : "ServiceUnavailable"), "Injected fault.") };
  }

  /** The mailbox a request is for: `/users/{id}/<something>` (a bare `/users/{id}` is a directory read). */
  private mailboxOf(path: string): string | undefined {
    const segments = path.split("?")[0]!.split("/").filter(Boolean);
    if (segments[0]?.toLowerCase() !== "users" || segments.length < 3) return undefined;
    const raw = decodeURIComponent(segments[1]!);
    return this.tenant.resolveUser(raw)?.id ?? raw.toLowerCase();
  }

  private routeKey(op: SimOp): string {
    const segments = op.path.split("?")[0]!.split("/").filter(Boolean);
    const known = new Set(["users", "groups", "mailFolders", "messageRules", "messages", "subscriptions", "inbox", "transitiveMembers", "members", "microsoft.graph.user", "reauthorize", "$value"]);
    return `${op.method} /${segments.map((s) => (known.has(s) ? s : "{id}")).join("/")}`;
  }

  private count(op: SimOp, result: SimResult): void {
    const status = result.drop ? "dropped" : String(result.status);
    this.stat.byStatus[status] = (this.stat.byStatus[status] ?? 0) + 1;
    const key = this.routeKey(op);
    this.stat.byRoute[key] = (this.stat.byRoute[key] ?? 0) + 1;
    if (!result.drop && result.status >= 200 && result.status < 300) this.stat.successes += 1;
    if (result.status === 429) this.stat.throttled += 1;
  }

  private throttle(retryAfterSeconds: number, message: string): SimResult {
    return { status: 429, headers: { "Retry-After": String(retryAfterSeconds) }, body: errorBody("ApplicationThrottled", message) };
  }

  /** One operation (a direct request or one sub-request of a batch), with limits and faults around it. */
  private async execute(op: SimOp): Promise<SimResult> {
    this.stat.operations += 1;
    if (/^\/me(\/|\?|$)/i.test(op.path)) {
      // `/me` is the signed-in user: only a delegated token has one.
      const token = delegatedToken(op.headers.authorization);
      const me = token ? this.delegatedUser(token) : undefined;
      if (!me) {
        const r: SimResult = { status: 400, headers: {}, body: errorBody("BadRequest", "/me request is only valid with delegated authentication flow.") };
        this.count(op, r);
        return r;
      }
      op = { ...op, path: `/users/${encodeURIComponent(me.id)}${op.path.slice(3)}` };
    }
    const mailbox = this.mailboxOf(op.path);
    const before = this.takeFault(op, mailbox, "before");
    if (before?.kind === "delay") await sleep(before.delayMs ?? 100);
    else if (before) {
      const r = this.faultResult(before);
      this.count(op, r);
      return r;
    }
    if (mailbox !== undefined) {
      const now = this.opts.now();
      const window = this.windows.get(mailbox) ?? [];
      while (window.length > 0 && window[0]! <= now - this.opts.mailboxRate.windowMs) window.shift();
      if (window.length >= this.opts.mailboxRate.limit) {
        const wait = Math.max(1, Math.ceil((window[0]! + this.opts.mailboxRate.windowMs - now) / 1000));
        const r = this.throttle(wait, "Application is over its MailboxRequests limit.");
        this.count(op, r);
        return r;
      }
      const current = this.inFlight.get(mailbox) ?? 0;
      this.stat.maxMailboxConcurrencyAttempted = Math.max(this.stat.maxMailboxConcurrencyAttempted, current + 1);
      if (current >= this.opts.mailboxConcurrency) {
        const r = this.throttle(this.opts.throttleRetryAfterSeconds, "Application is over its MailboxConcurrency limit.");
        this.count(op, r);
        return r;
      }
      const storm = this.opts.storm;
      if (storm && (!storm.mailboxes || storm.mailboxes.some((m) => this.tenant.resolveUser(m)?.id === mailbox))) {
        const roll = this.random();
        const retryAfter = String(storm.retryAfterSeconds ?? this.opts.throttleRetryAfterSeconds);
        if (roll < (storm.rate429 ?? 0)) {
          const r: SimResult = { status: 429, headers: { "Retry-After": retryAfter }, body: errorBody("ApplicationThrottled", "Storm.") };
          this.count(op, r);
          return r;
        }
        if (roll < (storm.rate429 ?? 0) + (storm.rate503 ?? 0)) {
          const r: SimResult = { status: 503, headers: { "Retry-After": retryAfter }, body: errorBody("ServiceUnavailable", "Storm.") };
          this.count(op, r);
          return r;
        }
      }
      window.push(now);
      this.windows.set(mailbox, window);
      this.inFlight.set(mailbox, current + 1);
      this.stat.maxMailboxConcurrency = Math.max(this.stat.maxMailboxConcurrency, current + 1);
    }
    let result: SimResult;
    try {
      const { min, max } = this.opts.latencyMs;
      await sleep(min + (max - min) * this.random());
      try {
        result = await this.route(op);
      } catch (error) {
        if (error instanceof SimHttpError) result = { status: error.status, headers: {}, body: errorBody(error.graphCode, error.message) };
        else throw error;
      }
      const after = this.takeFault(op, mailbox, "after");
      if (after && after.kind !== "delay") result = this.faultResult(after);
    } finally {
      if (mailbox !== undefined) this.inFlight.set(mailbox, (this.inFlight.get(mailbox) ?? 1) - 1);
    }
    this.count(op, result);
    return result;
  }

  private async batch(envelope: SimOp, res: ServerResponse): Promise<SimResult> {
    this.stat.batches += 1;
    const fault = this.takeFault(envelope, undefined, "before");
    if (fault?.kind === "delay") await sleep(fault.delayMs ?? 100);
    else if (fault) return this.faultResult(fault);

    const body = envelope.body as { requests?: unknown } | undefined;
    const requests = body?.requests;
    if (!Array.isArray(requests) || requests.length === 0) {
      return { status: 400, headers: {}, body: errorBody("BadRequest", "Invalid batch payload: requests is required.") };
    }
    if (requests.length > this.opts.maxBatchSize) {
      return { status: 400, headers: {}, body: errorBody("BadRequest", `Invalid batch payload format: a batch may contain at most ${this.opts.maxBatchSize} requests.`) };
    }
    this.stat.maxBatchSize = Math.max(this.stat.maxBatchSize, requests.length);
    interface Sub { id: string; method: string; url: string; headers: Record<string, string>; body: unknown; dependsOn: string[] }
    const subs: Sub[] = [];
    const ids = new Set<string>();
    for (const r of requests as Record<string, unknown>[]) {
      const id = r?.id;
      if (typeof id !== "string" || ids.has(id) || typeof r.method !== "string" || typeof r.url !== "string") {
        return { status: 400, headers: {}, body: errorBody("BadRequest", "Each batch request needs a unique id, a method and a url.") };
      }
      ids.add(id);
      const dependsOn = Array.isArray(r.dependsOn) ? (r.dependsOn as unknown[]).map(String) : [];
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((r.headers as Record<string, unknown> | undefined) ?? {})) headers[k.toLowerCase()] = String(v);
      subs.push({ id, method: r.method.toUpperCase(), url: r.url.startsWith("/") ? r.url : `/${r.url}`, headers, body: r.body, dependsOn });
    }
    for (const s of subs) {
      if (s.dependsOn.some((d) => !ids.has(d) || d === s.id)) {
        return { status: 400, headers: {}, body: errorBody("BadRequest", "dependsOn refers to a request that is not in the batch.") };
      }
    }
    const results = new Map<string, SimResult>();
    const done = new Map<string, Promise<void>>();
    let slots = this.opts.batchParallelism;
    const waiters: (() => void)[] = [];
    const acquire = async (): Promise<void> => {
      if (slots > 0) { slots -= 1; return; }
      await new Promise<void>((r) => waiters.push(r));
    };
    const release = (): void => {
      const next = waiters.shift();
      if (next) next();
      else slots += 1;
    };
    let dropped = false;
    const run = (s: Sub, visiting: Set<string>): Promise<void> => {
      const existing = done.get(s.id);
      if (existing) return existing;
      if (visiting.has(s.id)) {
        results.set(s.id, { status: 400, headers: {}, body: errorBody("BadRequest", "dependsOn forms a cycle.") });
        return Promise.resolve();
      }
      visiting.add(s.id);
      const p = (async () => {
        await Promise.all(s.dependsOn.map((d) => run(subs.find((x) => x.id === d)!, visiting)));
        const failedDep = s.dependsOn.some((d) => { const r = results.get(d); return !r || r.drop || r.status >= 400; });
        if (failedDep) {
          results.set(s.id, { status: 424, headers: {}, body: errorBody("FailedDependency", "A request this one depends on failed.") });
          return;
        }
        await acquire();
        try {
          // Every sub-request runs as the batch's caller (Graph takes no Authorization from inside a batch).
          const headers = { ...s.headers, authorization: envelope.headers.authorization ?? "" };
          const r = await this.execute({ method: s.method, path: s.url, headers, body: s.body });
          results.set(s.id, r);
          if (r.drop && !dropped) {
            // The connection goes down with the whole batch; the other sub-requests still complete
            // inside the service, so the client cannot know which changes were made.
            dropped = true;
            res.socket?.destroy();
          }
        } finally {
          release();
        }
      })();
      done.set(s.id, p);
      return p;
    };
    await Promise.all(subs.map((s) => run(s, new Set())));
    if (dropped) return { status: 0, headers: {}, drop: true };
    const responses = subs.map((s) => {
      const r = results.get(s.id)!;
      let sbody: unknown = r.body;
      if (r.raw !== undefined) sbody = r.raw;
      return { id: s.id, status: r.status, headers: { ...r.headers, ...(sbody !== undefined ? { "Content-Type": "application/json" } : {}) }, ...(sbody !== undefined ? { body: sbody } : {}) };
    });
    // Graph answers in completion order, not request order; shuffle a little so clients do not rely on it.
    responses.sort(() => (this.random() < 0.5 ? -1 : 1));
    return { status: 200, headers: {}, body: { responses } };
  }

  private nextLink(path: string, params: Record<string, string>): string {
    const q = new URLSearchParams(params).toString();
    return `${this.base}/v1.0${path}?${q}`;
  }

  private page<T>(items: T[], query: URLSearchParams, path: string, defaultTop: number, maxTop: number, extra: Record<string, string> = {}): SimResult {
    const top = Math.min(maxTop, Math.max(1, Number(query.get("$top") ?? defaultTop) || defaultTop));
    const skip = Math.max(0, Number(query.get("$skiptoken") ?? 0) || 0);
    const slice = items.slice(skip, skip + top);
    const body: Record<string, unknown> = { value: slice };
    if (skip + top < items.length) body["@odata.nextLink"] = this.nextLink(path, { ...extra, $top: String(top), $skiptoken: String(skip + top) });
    return { status: 200, headers: {}, body };
  }

  private userJson(u: SimUser): unknown {
    return { id: u.id, mail: u.hasMailbox ? u.mail : null, userPrincipalName: u.userPrincipalName, displayName: u.displayName };
  }

  private messageJson(m: SimMessage): unknown {
    return {
      "@odata.etag": this.tenant.etagOf(m),
      id: m.id,
      receivedDateTime: m.receivedDateTime,
      subject: m.subject,
      parentFolderId: m.folderId,
      categories: [...m.categories],
      from: { emailAddress: { address: m.from, name: m.from } },
      sender: { emailAddress: { address: m.sender, name: m.sender } },
    };
  }

  /** A message with `$select`: only the properties asked for (and the id), as Graph answers. The body is HTML
   * unless `Prefer: outlook.body-content-type="text"` asks for text. */
  private selectedMessageJson(mb: SimMailbox, m: SimMessage, select: string, text: boolean): Record<string, unknown> {
    const plain = m.body;
    const all: Record<string, unknown> = {
      ...(this.messageJson(m) as Record<string, unknown>),
      from: { emailAddress: { address: m.from, name: m.fromName ?? m.from } },
      toRecipients: (m.to ?? []).map((a) => ({ emailAddress: { address: a, name: a } })),
      ccRecipients: (m.cc ?? []).map((a) => ({ emailAddress: { address: a, name: a } })),
      internetMessageId: m.internetMessageId,
      internetMessageHeaders: this.tenant.internetHeaders(mb, m),
      body: text ? { contentType: "text", content: plain } : { contentType: "html", content: `<html><body><p>${escapeHtml(plain).replace(/\r?\n/g, "<br>")}</p></body></html>` },
    };
    const out: Record<string, unknown> = { "@odata.etag": all["@odata.etag"], id: m.id };
    for (const field of select.split(",").map((f) => f.trim()).filter(Boolean)) {
      if (!(field in all)) throw new SimHttpError(400, "RequestBroker--ParseUri", `Could not find a property named '${field}' on type 'microsoft.graph.message'.`);
      out[field] = all[field];
    }
    return out;
  }

  /** The tenant's user a delegated token is for (by object id, else by user principal name). */
  private delegatedUser(token: DelegatedToken): SimUser | undefined {
    return (token.oid ? this.tenant.resolveUser(token.oid) : undefined) ?? (token.upn ? this.tenant.resolveUser(token.upn) : undefined);
  }

  /** A user reads their own mail with Mail.Read, and another mailbox only with Mail.Read.Shared and that mailbox's
   * permission (Exchange decides the second; Graph answers ErrorAccessDenied either way). */
  private checkDelegatedRead(op: SimOp, mb: SimMailbox): void {
    const token = delegatedToken(op.headers.authorization);
    if (!token) return; // the app's own token: application permissions
    const user = this.delegatedUser(token);
    const own = user?.id === mb.user.id;
    const scoped = (own ? READ_OWN_MAIL : READ_SHARED_MAIL).some((p) => token.scopes.has(p));
    if (!user || !scoped || !this.tenant.canRead(user.id, mb)) {
      throw new SimHttpError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }
  }

  private subscriptionJson(s: SimSubscription): unknown {
    return {
      id: s.id,
      resource: s.resource,
      changeType: s.changeType,
      notificationUrl: s.notificationUrl,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
      expirationDateTime: new Date(s.expirationMs).toISOString(),
      clientState: s.clientState ?? null,
      applicationId: "00000000-0000-4000-8000-00000000ca1a",
      latestSupportedTlsVersion: "v1_2",
    };
  }

  private async validateEndpoint(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${Math.floor(this.random() * 1e9)}`;
    try {
      const res = await fetch(`${url}${url.includes("?") ? "&" : "?"}validationToken=${encodeURIComponent(token)}`, {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: "",
        signal: AbortSignal.timeout(this.opts.validationTimeoutMs),
      });
      const text = await res.text();
      const type = res.headers.get("content-type") ?? "";
      return res.status === 200 && text === token && type.startsWith("text/plain");
    } catch {
      return false;
    }
  }

  private expirationFor(value: unknown): number {
    const ms = typeof value === "string" ? Date.parse(value) : NaN;
    const now = this.opts.now();
    if (Number.isNaN(ms) || ms <= now) throw new SimHttpError(400, "ExtensionError", "expirationDateTime must be a time in the future.");
    if (ms > now + this.opts.maxSubscriptionMinutes * 60_000) {
      throw new SimHttpError(400, "ExtensionError", `Subscription expiration can only be ${this.opts.maxSubscriptionMinutes} minutes in the future.`);
    }
    return this.opts.subscriptionLifetimeCapMs === undefined ? ms : Math.min(ms, now + this.opts.subscriptionLifetimeCapMs);
  }

  private async route(op: SimOp): Promise<SimResult> {
    const [pathPart, queryPart] = [op.path.split("?")[0]!, op.path.includes("?") ? op.path.slice(op.path.indexOf("?") + 1) : ""];
    const query = new URLSearchParams(queryPart);
    const s = pathPart.split("/").filter(Boolean).map((x) => decodeURIComponent(x));
    const body = (op.body ?? {}) as Record<string, unknown>;
    const ok = (status: number, b?: unknown): SimResult => ({ status, headers: {}, body: b });
    const t = this.tenant;
    const m = op.method;

    if (s[0] === "subscriptions") {
      t.expireSubscriptions();
      if (s.length === 1 && m === "GET") return ok(200, { value: [...t.subscriptions.values()].map((x) => this.subscriptionJson(x)) });
      if (s.length === 1 && m === "POST") {
        if (typeof body.changeType !== "string" || typeof body.notificationUrl !== "string" || typeof body.resource !== "string") {
          throw new SimHttpError(400, "InvalidRequest", "changeType, notificationUrl and resource are required.");
        }
        if (typeof body.clientState === "string" && body.clientState.length > 128) throw new SimHttpError(400, "InvalidRequest", "clientState is longer than 128 characters.");
        const user = t.subscriptionMailbox(body.resource);
        const expirationMs = this.expirationFor(body.expirationDateTime);
        const lifecycle = typeof body.lifecycleNotificationUrl === "string" ? body.lifecycleNotificationUrl : undefined;
        if (!(await this.validateEndpoint(body.notificationUrl))) {
          throw new SimHttpError(400, "ValidationError", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
        }
        if (lifecycle !== undefined && !(await this.validateEndpoint(lifecycle))) {
          throw new SimHttpError(400, "ValidationError", "Subscription validation request failed for the lifecycle notification endpoint.");
        }
        const sub: SimSubscription = {
          id: t.newSubscriptionId(),
          resource: body.resource,
          mailboxUserId: user.id,
          changeType: body.changeType,
          notificationUrl: body.notificationUrl,
          lifecycleNotificationUrl: lifecycle,
          clientState: typeof body.clientState === "string" ? body.clientState : undefined,
          expirationMs,
          needsReauthorization: false,
        };
        t.subscriptions.set(sub.id, sub);
        return ok(201, this.subscriptionJson(sub));
      }
      const sub = s[1] ? t.subscriptions.get(s[1]) : undefined;
      if (!sub) throw new SimHttpError(404, "ResourceNotFound", "The object was not found.");
      if (s.length === 2 && m === "GET") return ok(200, this.subscriptionJson(sub));
      if (s.length === 2 && m === "PATCH") {
        sub.expirationMs = this.expirationFor(body.expirationDateTime);
        sub.needsReauthorization = false;
        return ok(200, this.subscriptionJson(sub));
      }
      if (s.length === 2 && m === "DELETE") {
        t.subscriptions.delete(sub.id);
        return ok(204);
      }
      if (s.length === 3 && s[2] === "reauthorize" && m === "POST") {
        sub.needsReauthorization = false;
        return ok(204);
      }
    }

    if (s[0] === "groups") {
      if (s.length === 1 && m === "GET") {
        const mail = odataString(query.get("$filter") ?? "", "mail");
        const g = mail !== undefined ? t.resolveGroup(mail) : undefined;
        return ok(200, { value: g ? [{ id: g.id, mail: g.mail, displayName: g.displayName }] : [] });
      }
      const g = s[1] ? t.resolveGroup(s[1]) : undefined;
      if (!g) throw new SimHttpError(404, "Request_ResourceNotFound", "Resource does not exist.");
      if (m === "GET" && (s[2] === "transitiveMembers" || s[2] === "members")) {
        const users = s[2] === "members" ? g.members.map((id) => t.resolveUser(id)).filter((u): u is SimUser => u !== undefined) : t.transitiveUsers(g);
        return this.page(users.map((u) => this.userJson(u)), query, pathPart, 100, 999);
      }
    }

    if (s[0] === "users") {
      if (s.length === 2 && m === "GET") {
        const u = t.resolveUser(s[1]!);
        if (!u) throw new SimHttpError(404, "Request_ResourceNotFound", `Resource '${"user"}' does not exist or one of its queried reference-property objects are not present.`);
        return ok(200, this.userJson(u));
      }
      const mb: SimMailbox = t.mailbox(s[1] ?? "");
      // /users/{u}/mailFolders...
      if (s[2] === "mailFolders") {
        if (s.length === 3 && m === "GET") {
          const name = odataString(query.get("$filter") ?? "", "displayName");
          const folders = [...mb.folders.values()].filter((f) => name === undefined || f.displayName.toLowerCase() === name.toLowerCase());
          return this.page(folders.map((f) => ({ id: f.id, displayName: f.displayName })), query, pathPart, 10, 999, query.get("$filter") ? { $filter: query.get("$filter")! } : {});
        }
        if (s.length === 3 && m === "POST") {
          const f = t.createFolder(mb, body.displayName as string);
          return ok(201, { id: f.id, displayName: f.displayName });
        }
        const folder = t.folder(mb, s[3] ?? "");
        if (s[4] === "messageRules") {
          if (folder.wellKnownName !== "inbox") throw new SimHttpError(400, "ErrorInvalidRequest", "Rules live on the Inbox only.");
          if (s.length === 5 && m === "GET") return ok(200, { value: t.listRules(mb) });
          if (s.length === 5 && m === "POST") return ok(201, t.createRule(mb, body));
          const ruleId = s[5] ?? "";
          if (s.length === 6 && m === "GET") return ok(200, t.rule(mb, ruleId));
          if (s.length === 6 && m === "PATCH") return ok(200, t.updateRule(mb, ruleId, body));
          if (s.length === 6 && m === "DELETE") {
            t.deleteRule(mb, ruleId);
            return ok(204);
          }
        }
        if (s[4] === "messages" && s.length === 5 && m === "GET") {
          const since = /receivedDateTime\s+ge\s+([0-9T:.Z+-]+)/i.exec(query.get("$filter") ?? "")?.[1];
          const sinceMs = since ? Date.parse(since) : -Infinity;
          const list = [...mb.messages.values()]
            .filter((x) => x.folderId === folder.id && Date.parse(x.receivedDateTime) >= sinceMs)
            .sort((a, b) => (a.receivedDateTime < b.receivedDateTime ? 1 : -1))
            .map((x) => this.messageJson(x));
          return this.page(list, query, pathPart, 10, 1000, query.get("$filter") ? { $filter: query.get("$filter")! } : {});
        }
      }
      if (s[2] === "messages" && s.length === 5 && s[4] === "$value" && m === "GET") {
        this.checkDelegatedRead(op, mb);
        return { status: 200, headers: { "content-type": "text/plain" }, raw: t.mimeOf(mb, t.message(mb, s[3]!)) };
      }
      if (s[2] === "messages" && s.length === 4) {
        if (m === "GET") {
          this.checkDelegatedRead(op, mb);
          const message = t.message(mb, s[3]!);
          const select = query.get("$select");
          if (!select) return ok(200, this.messageJson(message));
          const text = /outlook\.body-content-type\s*=\s*"?text"?/i.test(op.headers.prefer ?? "");
          return { status: 200, headers: text ? { "Preference-Applied": 'outlook.body-content-type="text"' } : {}, body: this.selectedMessageJson(mb, message, select, text) };
        }
        if (m === "PATCH") return ok(200, this.messageJson(t.updateMessage(mb, s[3]!, body, op.headers["if-match"])));
      }
    }
    throw new SimHttpError(400, "BadRequest", `Unsupported request ${m} ${pathPart} in the Graph simulator.`);
  }

  // ------------------------------------------------------------------ inspection over HTTP (for npm start)

  private async inspectRoute(method: string, url: URL, text: string): Promise<SimResult> {
    const ok = (b: unknown): SimResult => ({ status: 200, headers: {}, body: b });
    try {
      if (method === "GET" && url.pathname === "/_sim/stats") return ok(this.stats());
      if (method === "GET" && url.pathname === "/_sim/users") return ok(this.tenant.listUsers().map((u) => ({ id: u.id, mail: u.mail })));
      if (method === "GET" && url.pathname === "/_sim/rules") {
        const mailbox = url.searchParams.get("mailbox");
        return ok(mailbox ? this.rules(mailbox) : this.rulesNamed(url.searchParams.get("prefix") ?? ""));
      }
      if (method === "GET" && url.pathname === "/_sim/subscriptions") return ok(this.subscriptions());
      if (method === "POST" && url.pathname === "/_sim/deliver") {
        const b = JSON.parse(text || "{}") as { to?: string; from?: string; subject?: string };
        if (!b.to || !b.from) return { status: 400, headers: {}, body: errorBody("BadRequest", "to and from are required.") };
        return ok(await this.deliverMessage(b.to, { from: b.from, subject: b.subject }));
      }
      return { status: 404, headers: {}, body: errorBody("NotFound", "Unknown simulator inspection route.") };
    } catch (error) {
      const status = error instanceof SimHttpError ? error.status : 500;
      return { status, headers: {}, body: errorBody("SimulatorError", error instanceof Error ? error.message : String(error)) };
    }
  }
}

/** Starts a simulator; stop it with `sim.stop()`. */
export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const sim = new GraphSimulator(options);
  await sim.start();
  return sim;
}
