// The Graph request scheduler on a scripted transport: batching, the per-mailbox limit, the global budget,
// Retry-After, bounded retries and the "outcome unknown" rule for creates (issue 6 item 3).
import assert from "node:assert/strict";
import { GraphScheduler, TransportFailure, type BatchReply, type GraphOperation, type GraphReply, type GraphTransport } from "../../../bot/src/adapters/graph";
import { GraphError } from "../../../bot/src/ports/graph";

type Script = (op: GraphOperation, attempt: number) => GraphReply | "drop" | Promise<GraphReply | "drop">;

/** A transport that answers from a script, with a small delay, and records what it saw. */
class FakeTransport implements GraphTransport {
  readonly attempts = new Map<string, number>();
  readonly sent: { at: number; ops: GraphOperation[] }[] = [];
  readonly inFlight = new Map<string, number>();
  maxInFlight = 0;
  constructor(private readonly script: Script, private readonly delayMs = 5) {}

  private async one(op: GraphOperation): Promise<GraphReply | "drop"> {
    const key = `${op.method} ${op.path}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const mb = op.mailbox ?? "";
    const now = (this.inFlight.get(mb) ?? 0) + 1;
    this.inFlight.set(mb, now);
    if (op.mailbox) this.maxInFlight = Math.max(this.maxInFlight, now);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight.set(mb, (this.inFlight.get(mb) ?? 1) - 1);
    return this.script(op, attempt);
  }

  async send(op: GraphOperation): Promise<GraphReply> {
    this.sent.push({ at: Date.now(), ops: [op] });
    const r = await this.one(op);
    if (r === "drop") throw new TransportFailure("dropped");
    return r;
  }

  async sendBatch(items: { id: string; op: GraphOperation }[]): Promise<BatchReply> {
    this.sent.push({ at: Date.now(), ops: items.map((i) => i.op) });
    const replies = await Promise.all(items.map((i) => this.one(i.op)));
    if (replies.includes("drop")) throw new TransportFailure("dropped");
    return { kind: "items", items: new Map(items.map((i, n) => [i.id, replies[n] as GraphReply])) };
  }
}

const ok = (body: unknown = { ok: true }): GraphReply => ({ status: 200, headers: {}, body });
const get = (mailbox: string, n = 0): GraphOperation => ({ method: "GET", path: `/users/${mailbox}/x/${n}`, mailbox, idempotent: true });
const post = (mailbox: string, n = 0): GraphOperation => ({ method: "POST", path: `/users/${mailbox}/y/${n}`, body: {}, mailbox, idempotent: false });

describe("Graph scheduler", () => {
  it("sends calls made together as one $batch of at most 20, and a lone call on its own", async () => {
    const t = new FakeTransport(() => ok());
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, random: () => 0.5 });
    await Promise.all(Array.from({ length: 45 }, (_, i) => s.execute(get(`m${i}@example.org`))));
    assert.ok(t.sent.every((b) => b.ops.length <= 20));
    assert.equal(t.sent.reduce((n, b) => n + b.ops.length, 0), 45);
    assert.ok(t.sent.length <= 4, `expected few requests, got ${t.sent.length}`);
    await s.execute(get("solo@example.org"));
    assert.equal(t.sent.at(-1)!.ops.length, 1);
    assert.equal(s.stats().batches, t.sent.length - 1);
  });

  it("never has more than four calls in flight for one mailbox", async () => {
    const t = new FakeTransport(() => ok(), 10);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => s.execute(get("busy@example.org", i))));
    assert.equal(t.maxInFlight, 4);
    assert.equal(s.stats().maxMailboxInFlight, 4);
  });

  it("keeps to the global budget: N calls at R per second take about (N - burst) / R", async () => {
    const t = new FakeTransport(() => ok(), 1);
    const s = new GraphScheduler(t, { ratePerSecond: 400, burst: 20 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 220 }, (_, i) => s.execute(get(`m${i}@example.org`))));
    const elapsed = Date.now() - started;
    // 200 calls beyond the first bucketful at 400/s: at least 500 ms.
    assert.ok(elapsed >= 480, `took ${elapsed} ms`);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });

  it("waits out Retry-After on 429, holds the whole mailbox back meanwhile, and re-sends even a create", async () => {
    const seen: { path: string; at: number }[] = [];
    const t = new FakeTransport((op, attempt) => {
      seen.push({ path: op.path, at: Date.now() });
      if (op.path.endsWith("/y/0") && attempt === 1) return { status: 429, headers: { "retry-after": "0.2" }, body: {} };
      return ok();
    }, 1);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, random: () => 0 });
    const first = s.execute(post("slow@example.org"));
    // Once the 429 has come back, the mailbox is paused: a new call for it must wait too.
    for (let i = 0; i < 200 && s.stats().throttled === 0; i++) await new Promise((r) => setTimeout(r, 2));
    const started = Date.now();
    await Promise.all([first, s.execute(get("slow@example.org", 1))]);
    assert.ok(Date.now() - started >= 120, "the second call to the paused mailbox waited");
    const retries = seen.filter((x) => x.path.endsWith("/y/0"));
    assert.equal(retries.length, 2);
    assert.ok(retries[1]!.at - retries[0]!.at >= 195, "Retry-After honoured");
    assert.equal(s.stats().throttled, 1);
  });

  it("adds jitter to Retry-After so waiters do not come back in lockstep", async () => {
    const times: number[] = [];
    let n = 0;
    const t = new FakeTransport((op, attempt) => {
      if (attempt === 1) return { status: 429, headers: { "retry-after": "0.1" }, body: {} };
      times.push(Date.now());
      return ok();
    }, 1);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, retryAfterJitter: 1, random: () => [0, 0.9][n++ % 2]! });
    await Promise.all([s.execute(get("a@example.org")), s.execute(get("b@example.org"))]);
    assert.ok(Math.abs(times[1]! - times[0]!) >= 50, `spread ${Math.abs(times[1]! - times[0]!)} ms`);
  });

  it("retries 503 and dropped connections for reads, but reports a create's outcome as unknown", async () => {
    const t = new FakeTransport((op, attempt) => {
      if (op.path.includes("/x/1") && attempt <= 2) return "drop";
      if (op.path.includes("/x/2") && attempt === 1) return { status: 503, headers: { "retry-after": "0" }, body: {} };
      if (op.path.includes("/y/")) return attempt === 1 ? { status: 503, headers: {}, body: {} } : ok();
      return ok();
    }, 1);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, baseBackoffMs: 5 });
    await s.execute(get("r@example.org", 1));
    await s.execute(get("r@example.org", 2));
    await assert.rejects(s.execute(post("w@example.org", 3)), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_OUTCOME_UNKNOWN" && e.outcomeUnknown);
    const dropped = new FakeTransport(() => "drop", 1);
    const s2 = new GraphScheduler(dropped, { ratePerSecond: 10_000, baseBackoffMs: 5 });
    await assert.rejects(s2.execute(post("w@example.org")), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_OUTCOME_UNKNOWN");
    assert.equal(dropped.attempts.size, 1, "a create is never re-sent after a dropped connection");
  });

  it("gives up after the bounded number of attempts with a clear code", async () => {
    const t = new FakeTransport(() => ({ status: 429, headers: { "retry-after": "0" }, body: {} }), 1);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, maxAttempts: 4 });
    await assert.rejects(s.execute(get("x@example.org")), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_THROTTLED" && e.attempts === 4 && e.retryable);
    const u = new FakeTransport(() => ({ status: 504, headers: {}, body: {} }), 1);
    const s2 = new GraphScheduler(u, { ratePerSecond: 10_000, maxAttempts: 3, baseBackoffMs: 2 });
    await assert.rejects(s2.execute(get("x@example.org")), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_UNAVAILABLE" && e.status === 504);
  });

  it("treats an unreadable answer as retryable for reads and unknown for creates", async () => {
    const t = new FakeTransport((op, attempt) => (attempt === 1 ? { status: 200, headers: {}, body: undefined, malformed: true } : ok()), 1);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, baseBackoffMs: 2 });
    assert.deepEqual((await s.execute(get("m@example.org"))).body, { ok: true });
    await assert.rejects(s.execute(post("m@example.org")), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_OUTCOME_UNKNOWN");
  });

  it("passes final answers (4xx) through for the client to interpret", async () => {
    const t = new FakeTransport(() => ({ status: 404, headers: {}, body: { error: { code: "ErrorItemNotFound" } } }), 1);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000 });
    assert.equal((await s.execute(get("m@example.org"))).status, 404);
  });

  it("a whole-batch 429 pauses everything for its Retry-After", async () => {
    let calls = 0;
    const t: GraphTransport = {
      send: () => Promise.resolve(ok()),
      sendBatch: (items) => {
        calls += 1;
        return Promise.resolve<BatchReply>(
          calls === 1
            ? { kind: "envelope", reply: { status: 429, headers: { "retry-after": "0.15" }, body: {} } }
            : { kind: "items", items: new Map(items.map((i) => [i.id, ok()])) },
        );
      },
    };
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, random: () => 0 });
    const started = Date.now();
    await Promise.all([s.execute(get("a@example.org")), s.execute(get("b@example.org"))]);
    assert.ok(Date.now() - started >= 140);
    assert.equal(calls, 2);
  });

  it("close() fails queued calls with GRAPH_CLOSED and refuses new ones", async () => {
    const t = new FakeTransport(() => ok(), 20);
    const s = new GraphScheduler(t, { ratePerSecond: 10_000, maxInFlightRequests: 1 });
    const calls = Array.from({ length: 30 }, (_, i) => s.execute(get("m@example.org", i)).then(() => "ok", (e: unknown) => (e as GraphError).code));
    await new Promise((r) => setTimeout(r, 5));
    s.close();
    const results = await Promise.all(calls);
    assert.ok(results.includes("GRAPH_CLOSED"));
    await assert.rejects(s.execute(get("m@example.org")), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_CLOSED");
  });
});
