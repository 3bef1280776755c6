// The request scheduler: every Graph call CALM makes goes through here (issue 6 item 3, "throttling done
// right"). It keeps four promises:
//
// 1. Batching. Calls issued together are sent as one JSON $batch of at most 20 sub-requests; a lone call is
//    sent on its own.
// 2. At most four requests in flight per mailbox (Outlook's MailboxConcurrency limit), counting batch
//    sub-requests, so CALM never earns a 429 for concurrency.
// 3. A global rate budget: a token bucket of `ratePerSecond` requests, where each sub-request of a batch
//    costs one token (that is how Graph counts them), retries included.
// 4. Retries that honour Graph: 429, 503 and 504 wait for Retry-After (plus jitter, so a crowd of waiters
//    does not return in lockstep) or, without it, for jittered exponential backoff; a 429 pauses that whole
//    mailbox. Retries are bounded: the call then fails with a GraphError naming the reason, which the divert
//    job records against the mailbox. A change (POST) is only re-sent blindly after a 429, which Graph
//    guarantees was not carried out; after a dropped connection, 5xx or unreadable answer its outcome is
//    unknown, so the caller is told (GRAPH_OUTCOME_UNKNOWN) and re-reads before trying again.
import { GraphError, type GraphErrorCode } from "../../ports/graph";
import { parseRetryAfter } from "../http/retryAfter";

export type GraphMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface GraphOperation {
  method: GraphMethod;
  /** Relative to the version root and starting with "/", query included (already encoded). */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The mailbox the call touches (for the per-mailbox limit); undefined for tenant-wide calls. */
  mailbox?: string;
  /** Whether sending it twice is harmless (GET, DELETE, a PATCH to a fixed state). POST is not. */
  idempotent: boolean;
}

export interface GraphReply {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  /** The body was not valid JSON. */
  malformed?: boolean;
}

/** A dropped connection, a refused connection or a timeout: no HTTP answer at all. */
export class TransportFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportFailure";
  }
}

export type BatchReply =
  /** The $batch request itself failed or could not be read: applies to every sub-request. */
  | { kind: "envelope"; reply: GraphReply }
  /** Per sub-request answers by id; an id missing from the map is treated as an unreadable answer. */
  | { kind: "items"; items: Map<string, GraphReply> };

export interface GraphTransport {
  send(op: GraphOperation): Promise<GraphReply>;
  sendBatch(items: { id: string; op: GraphOperation }[]): Promise<BatchReply>;
}

export interface SchedulerOptions {
  /** Global budget, requests per second (batch sub-requests count one each). */
  ratePerSecond: number;
  /** Bucket size; at least the batch size so full batches can be sent. Default max(20, rate / 10). */
  burst?: number;
  /** Outlook's MailboxConcurrency limit. Default 4. */
  maxPerMailbox?: number;
  /** Graph's $batch limit. Default 20. */
  maxBatchSize?: number;
  /** HTTP requests in flight at once (each a batch or a single call). Default 16. */
  maxInFlightRequests?: number;
  /** Attempts per call before it fails. Default 6. */
  maxAttempts?: number;
  /** First backoff without Retry-After. Default 500 ms; doubles each attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured (a larger one is capped, the call still counts the attempt). Default 120 s. */
  maxRetryAfterMs?: number;
  /** Extra share of a Retry-After added at random (0.2 = up to 20 % more). */
  retryAfterJitter?: number;
  random?: () => number;
  now?: () => number;
}

export interface SchedulerStats {
  /** Attempts sent (sub-requests counted one each). */
  attempts: number;
  httpRequests: number;
  batches: number;
  retries: number;
  throttled: number;
  failures: number;
  maxMailboxInFlight: number;
  queued: number;
}

interface Pending {
  op: GraphOperation;
  mailboxKey?: string;
  attempts: number;
  notBefore: number;
  resolve: (reply: GraphReply) => void;
  reject: (error: unknown) => void;
  lastCode?: GraphErrorCode;
  lastStatus?: number;
}

interface MailboxState {
  inFlight: number;
  pausedUntil: number;
}

type Outcome =
  | { kind: "done"; reply: GraphReply }
  | { kind: "retry"; code: GraphErrorCode; status?: number; retryAfterMs?: number; pauseMailbox: boolean }
  | { kind: "unknown"; code: GraphErrorCode; status?: number; retryAfterMs?: number }
  | { kind: "fatal"; error: GraphError };

export class GraphScheduler {
  private readonly rate: number;
  private readonly burst: number;
  private readonly maxPerMailbox: number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly maxAttempts: number;
  private readonly baseBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxRetryAfter: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly now: () => number;

  private queue: Pending[] = [];
  private readonly mailboxes = new Map<string, MailboxState>();
  private tokens: number;
  private lastRefill: number;
  private inFlightRequests = 0;
  private globalPausedUntil = 0;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private pumpQueued = false;
  private closed = false;
  private readonly counters: Omit<SchedulerStats, "queued"> = {
    attempts: 0, httpRequests: 0, batches: 0, retries: 0, throttled: 0, failures: 0, maxMailboxInFlight: 0,
  };

  constructor(private readonly transport: GraphTransport, options: SchedulerOptions) {
    if (!(options.ratePerSecond > 0)) throw new TypeError("The Graph rate budget must be a positive number of requests per second.");
    this.rate = options.ratePerSecond;
    this.maxBatch = Math.min(20, Math.max(1, options.maxBatchSize ?? 20));
    this.burst = Math.max(this.maxBatch, options.burst ?? Math.max(20, Math.ceil(this.rate / 10)));
    this.maxPerMailbox = options.maxPerMailbox ?? 4;
    this.maxInFlight = options.maxInFlightRequests ?? 16;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.baseBackoff = options.baseBackoffMs ?? 500;
    this.maxBackoff = options.maxBackoffMs ?? 30_000;
    this.maxRetryAfter = options.maxRetryAfterMs ?? 120_000;
    this.jitter = options.retryAfterJitter ?? 0.2;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.tokens = this.maxBatch;
    this.lastRefill = this.now();
  }

  /** Sends one Graph call and resolves with Graph's final answer (any status that is not retried), or
   * rejects with GraphError when retries ran out, the outcome of a change is unknown, or it was closed. */
  execute(op: GraphOperation): Promise<GraphReply> {
    if (this.closed) return Promise.reject(new GraphError("GRAPH_CLOSED"));
    return new Promise<GraphReply>((resolve, reject) => {
      const mailboxKey = op.mailbox?.toLowerCase();
      this.queue.push({ op, mailboxKey, attempts: 0, notBefore: 0, resolve, reject });
      this.schedulePump();
    });
  }

  stats(): SchedulerStats {
    return { ...this.counters, queued: this.queue.length };
  }

  /** Stops sending: queued calls fail with GRAPH_CLOSED; calls already on the wire finish. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const queued = this.queue;
    this.queue = [];
    for (const p of queued) p.reject(new GraphError("GRAPH_CLOSED", { attempts: p.attempts }));
  }

  private mailbox(key: string): MailboxState {
    let state = this.mailboxes.get(key);
    if (!state) {
      state = { inFlight: 0, pausedUntil: 0 };
      this.mailboxes.set(key, state);
    }
    return state;
  }

  private schedulePump(): void {
    if (this.pumpQueued || this.closed) return;
    this.pumpQueued = true;
    // setImmediate lets every call issued in the same turn join the same batch.
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private wakeAt(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - this.now()));
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.lastRefill);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000);
    this.lastRefill = now;
  }

  private pump(): void {
    if (this.closed) return;
    while (this.inFlightRequests < this.maxInFlight && this.queue.length > 0) {
      const now = this.now();
      if (this.globalPausedUntil > now) {
        this.wakeAt(this.globalPausedUntil);
        return;
      }
      // Which calls could go now: not waiting out a backoff, their mailbox not paused and not full.
      const eligible: Pending[] = [];
      const room = new Map<string, number>();
      let nextWake = Infinity;
      for (const p of this.queue) {
        if (eligible.length >= this.maxBatch) break;
        if (p.notBefore > now) {
          nextWake = Math.min(nextWake, p.notBefore);
          continue;
        }
        if (p.mailboxKey !== undefined) {
          const state = this.mailbox(p.mailboxKey);
          if (state.pausedUntil > now) {
            nextWake = Math.min(nextWake, state.pausedUntil);
            continue;
          }
          const free = room.get(p.mailboxKey) ?? this.maxPerMailbox - state.inFlight;
          if (free <= 0) continue; // a completion will pump again
          room.set(p.mailboxKey, free - 1);
        }
        eligible.push(p);
      }
      if (eligible.length === 0) {
        if (nextWake < Infinity) this.wakeAt(nextWake);
        return;
      }
      this.refill(now);
      if (this.tokens < eligible.length) {
        // Wait for enough budget to send them together rather than dribbling out small batches.
        const waitMs = Math.ceil(((eligible.length - this.tokens) * 1000) / this.rate);
        this.wakeAt(now + Math.max(1, waitMs));
        return;
      }
      this.tokens -= eligible.length;
      const picked = new Set(eligible);
      this.queue = this.queue.filter((p) => !picked.has(p));
      for (const p of eligible) {
        p.attempts += 1;
        if (p.attempts > 1) this.counters.retries += 1;
        if (p.mailboxKey !== undefined) {
          const state = this.mailbox(p.mailboxKey);
          state.inFlight += 1;
          this.counters.maxMailboxInFlight = Math.max(this.counters.maxMailboxInFlight, state.inFlight);
        }
      }
      this.counters.attempts += eligible.length;
      this.counters.httpRequests += 1;
      this.inFlightRequests += 1;
      void this.dispatch(eligible);
    }
  }

  private async dispatch(batch: Pending[]): Promise<void> {
    const outcomes = new Map<Pending, Outcome>();
    try {
      if (batch.length === 1) {
        const p = batch[0]!;
        try {
          outcomes.set(p, this.classify(p, await this.transport.send(p.op)));
        } catch (error) {
          outcomes.set(p, this.failure(p, error));
        }
      } else {
        this.counters.batches += 1;
        const items = batch.map((p, i) => ({ id: String(i + 1), op: p.op }));
        let reply: BatchReply | undefined;
        let failure: unknown;
        try {
          reply = await this.transport.sendBatch(items);
        } catch (error) {
          failure = error;
        }
        batch.forEach((p, i) => {
          if (reply === undefined) outcomes.set(p, this.failure(p, failure));
          else if (reply.kind === "envelope") {
            const o = this.classify(p, reply.reply);
            // A whole-batch answer that is not a batch (200 with garbage, or a 4xx) cannot be the call's own
            // answer: treat it as unreadable.
            outcomes.set(p, o.kind === "done" ? this.unreadable(p) : o);
            if (reply.reply.status === 429) {
              const wait = parseRetryAfter(reply.reply.headers["retry-after"], this.now()) ?? this.backoff(p.attempts);
              this.globalPausedUntil = Math.max(this.globalPausedUntil, this.now() + Math.min(wait, this.maxRetryAfter));
            }
          } else {
            const item = reply.items.get(String(i + 1));
            outcomes.set(p, item === undefined ? this.unreadable(p) : this.classify(p, item));
          }
        });
      }
    } finally {
      this.inFlightRequests -= 1;
      for (const p of batch) {
        if (p.mailboxKey !== undefined) this.mailbox(p.mailboxKey).inFlight -= 1;
      }
    }
    // One "now" for the whole batch, so calls that failed together are retried together.
    const now = this.now();
    for (const p of batch) this.settle(p, outcomes.get(p)!, now);
    this.schedulePump();
  }

  private unreadable(p: Pending): Outcome {
    return p.op.idempotent
      ? { kind: "retry", code: "GRAPH_MALFORMED_RESPONSE", pauseMailbox: false }
      : { kind: "unknown", code: "GRAPH_MALFORMED_RESPONSE" };
  }

  private failure(p: Pending, error: unknown): Outcome {
    if (error instanceof GraphError) return { kind: "fatal", error };
    if (!(error instanceof TransportFailure)) {
      // Not a network problem: a bug or an unexpected SDK error. Surface it as unknown rather than loop.
      return { kind: "unknown", code: "GRAPH_NETWORK" };
    }
    return p.op.idempotent ? { kind: "retry", code: "GRAPH_NETWORK", pauseMailbox: false } : { kind: "unknown", code: "GRAPH_NETWORK" };
  }

  private classify(p: Pending, reply: GraphReply): Outcome {
    const retryAfterMs = parseRetryAfter(reply.headers["retry-after"], this.now());
    if (reply.status === 429) {
      this.counters.throttled += 1;
      // Throttled requests are not carried out, so even a create may be re-sent.
      return { kind: "retry", code: "GRAPH_THROTTLED", status: 429, retryAfterMs, pauseMailbox: true };
    }
    if (reply.status === 503 || reply.status === 504 || reply.status === 500 || reply.status === 502) {
      const code: GraphErrorCode = "GRAPH_UNAVAILABLE";
      return p.op.idempotent
        ? { kind: "retry", code, status: reply.status, retryAfterMs, pauseMailbox: reply.status === 503 && retryAfterMs !== undefined }
        : { kind: "unknown", code, status: reply.status, retryAfterMs };
    }
    if (reply.malformed && reply.status !== 204) return this.unreadable(p);
    return { kind: "done", reply };
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.maxBackoff, this.baseBackoff * 2 ** Math.max(0, attempt - 1));
    // "Equal jitter": half fixed, half random, so the wait grows but waiters spread out.
    return exp / 2 + (exp / 2) * this.random();
  }

  private settle(p: Pending, outcome: Outcome, now: number): void {
    if (outcome.kind === "done") {
      p.resolve(outcome.reply);
      return;
    }
    if (outcome.kind === "fatal") {
      this.counters.failures += 1;
      p.reject(outcome.error);
      return;
    }
    const wait =
      outcome.retryAfterMs !== undefined
        ? Math.min(outcome.retryAfterMs, this.maxRetryAfter) * (1 + this.jitter * this.random())
        : this.backoff(p.attempts);
    if (outcome.kind === "unknown") {
      // Hold the mailbox back for the wait so the caller's re-read does not hit the same trouble at once.
      if (p.mailboxKey !== undefined) {
        const state = this.mailbox(p.mailboxKey);
        state.pausedUntil = Math.max(state.pausedUntil, now + wait);
      }
      this.counters.failures += 1;
      p.reject(new GraphError("GRAPH_OUTCOME_UNKNOWN", { status: outcome.status, attempts: p.attempts, retryAfterMs: wait, outcomeUnknown: true }));
      return;
    }
    p.lastCode = outcome.code;
    p.lastStatus = outcome.status;
    if (p.attempts >= this.maxAttempts) {
      this.counters.failures += 1;
      p.reject(new GraphError(outcome.code, { status: outcome.status, attempts: p.attempts, retryAfterMs: outcome.retryAfterMs }));
      return;
    }
    if (this.closed) {
      p.reject(new GraphError("GRAPH_CLOSED", { attempts: p.attempts }));
      return;
    }
    p.notBefore = now + wait;
    if (outcome.pauseMailbox && p.mailboxKey !== undefined) {
      const state = this.mailbox(p.mailboxKey);
      state.pausedUntil = Math.max(state.pausedUntil, p.notBefore);
    }
    this.queue.push(p);
    this.wakeAt(p.notBefore);
  }
}
