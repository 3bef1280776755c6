// Per-user rate limits on lookups and sender checks, and the audit-log alert when one person looks up unusually
// many people (issue 8 item 7). The limiter must cost microseconds: it sits on the sender-check hot path.
import assert from "node:assert/strict";
import { createMemoryStores } from "../../bot/src/adapters/memory";
import { FakeClock } from "../../bot/src/adapters/system/clock";
import { silentLogger } from "../../bot/src/adapters/system/logger";
import type { Stores } from "../../bot/src/ports/stores";
import { LookupWatch } from "../../bot/src/services/lookupWatch";
import { DEFAULT_RATE_LIMITS, RateLimiter } from "../../bot/src/services/rateLimit";
import type { AuditEvent } from "../../core/src/domain";
import { anEntry, aSubject } from "../support/fixtures";
import { startTestApp, type TestApp } from "../support/testApp";

async function listPeople(stores: Stores, n: number): Promise<string[]> {
  const emails: string[] = [];
  for (let i = 0; i < n; i++) {
    const email = `rate.person.${i}@example.org`;
    const s = await stores.subjects.create(aSubject({ id: `rate-subject-${i}`, displayName: `Rate Person${i}`, emails: [email], phones: [] }));
    await stores.register.create(anEntry(s.id, "high"));
    emails.push(email);
  }
  return emails;
}

const alerts = async (stores: Stores, actorId: string): Promise<AuditEvent[]> =>
  (await stores.audit.listByActor(actorId)).filter((e) => e.action === "lookup-alert");

describe("security: rate limits and the lookup alert", function () {
  this.timeout(60_000);

  describe("the token bucket", () => {
    it("allows a burst up to its capacity, then refills at its rate, and says how long to wait", () => {
      let now = 0;
      const limiter = new RateLimiter({ lookup: { capacity: 3, refillPerSecond: 0.5 } }, () => now);
      for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take("u1", "lookup"), { ok: true });
      assert.deepEqual(limiter.take("u1", "lookup"), { ok: false, retryAfterSec: 2 });
      assert.deepEqual(limiter.take("u2", "lookup"), { ok: true }, "each person has their own bucket");
      now += 2000;
      assert.deepEqual(limiter.take("u1", "lookup"), { ok: true }, "one token back after 2 s");
      assert.equal(limiter.take("u1", "lookup").ok, false);
      now += 3_600_000;
      for (let i = 0; i < 3; i++) assert.equal(limiter.take("u1", "lookup").ok, true, "refills only up to capacity");
      assert.equal(limiter.take("u1", "lookup").ok, false);
    });

    it("charges by cost (one token per address checked), and a request bigger than the bucket waits for a full one", () => {
      let now = 0;
      const limiter = new RateLimiter({ senders: { capacity: 10, refillPerSecond: 5 } }, () => now);
      assert.equal(limiter.take("u", "senders", 4).ok, true);
      assert.equal(limiter.take("u", "senders", 4).ok, true);
      assert.deepEqual(limiter.take("u", "senders", 4), { ok: false, retryAfterSec: 1 });
      assert.deepEqual(limiter.take("u", "senders", 50), { ok: false, retryAfterSec: 2 });
      now += 10_000;
      assert.equal(limiter.take("u", "senders", 10).ok, true);
    });

    it("can be turned off per kind, and refuses nonsense limits", () => {
      const limiter = new RateLimiter({ lookup: false });
      for (let i = 0; i < 1000; i++) assert.equal(limiter.take("u", "lookup").ok, true);
      assert.throws(() => new RateLimiter({ lookup: { capacity: 0, refillPerSecond: 1 } }), RangeError);
      assert.throws(() => new RateLimiter({ senders: { capacity: 5, refillPerSecond: Number.NaN } }), RangeError);
      assert.ok(DEFAULT_RATE_LIMITS.lookup.capacity > 0 && DEFAULT_RATE_LIMITS.senders.refillPerSecond > 0);
    });

    it("keeps memory bounded whatever the number of people", () => {
      let now = 0;
      const limiter = new RateLimiter({}, () => now);
      for (let i = 0; i < 60_000; i++) {
        limiter.take(`user-${i}`, "senders");
        now += 1;
      }
      assert.ok(limiter.size <= 50_000, `${limiter.size} buckets`);
    });

    it("costs well under a microsecond per request (it runs on every sender check)", () => {
      const limiter = new RateLimiter({ senders: { capacity: 1e12, refillPerSecond: 1e9 } });
      const users = Array.from({ length: 500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
      for (let i = 0; i < 100_000; i++) limiter.take(users[i % users.length]!, "senders");
      const n = 1_000_000;
      const started = process.hrtime.bigint();
      for (let i = 0; i < n; i++) limiter.take(users[i % users.length]!, "senders");
      const nsEach = Number(process.hrtime.bigint() - started) / n;
      assert.ok(nsEach < 2000, `${nsEach.toFixed(0)} ns per take`);
      process.stdout.write(`      rate limiter: ${nsEach.toFixed(0)} ns per request\n`);
    });
  });

  describe("over HTTP", () => {
    let t: TestApp;
    let emails: string[];
    before(async () => {
      t = await startTestApp({
        rateLimits: { lookup: { capacity: 5, refillPerSecond: 0.01 }, senders: { capacity: 10, refillPerSecond: 0.01 } },
        lookupWatch: { threshold: 1000 },
      });
      emails = await listPeople(t.stores, 3);
      for (let i = 0; i < 3; i++) await t.app.services.lookup.subjectChanged(`rate-subject-${i}`);
    });
    after(() => t.stop());

    it("answers 429 RATE_LIMITED with Retry-After once a person's lookups run out, and audits it once", async () => {
      const token = await t.issuer.token({ oid: "rate-limited-officer", roles: ["officer"] });
      for (let i = 0; i < 5; i++) assert.equal((await t.call("/api/lookup", { token, body: { query: emails[0] } })).status, 200);
      const refused = await t.call("/api/lookup", { token, body: { query: emails[0] } });
      assert.equal(refused.status, 429);
      assert.equal(refused.json.code, "RATE_LIMITED");
      assert.match(String(refused.json.detail), /Wait \d+ seconds/);
      assert.ok(Number(refused.headers.get("retry-after")) >= 1);
      assert.equal(refused.headers.get("content-type"), "application/problem+json; charset=utf-8");
      await t.call("/api/lookup", { token, body: { query: emails[0] } });

      const other = await t.call("/api/lookup", { token: await t.issuer.token({ oid: "another-officer", roles: ["officer"] }), body: { query: emails[0] } });
      assert.equal(other.status, 200, "someone else is not held back");

      await t.app.services.security.lookupWatch.flush();
      const raised = await alerts(t.stores, "rate-limited-officer");
      assert.equal(raised.length, 1, "one alert per person per window, however often they hit the limit");
      assert.deepEqual(raised[0]!.what, ["rate-limited:lookup"]);
    });

    it("charges sender checks per address, so checking many addresses at once cannot enumerate the register", async () => {
      const token = await t.issuer.token({ oid: "bulk-checker", roles: ["officer"] });
      const four = [emails[0]!, emails[1]!, emails[2]!, "stranger@example.com"];
      assert.equal((await t.call("/api/senders/check", { token, body: { addresses: four } })).status, 200);
      assert.equal((await t.call("/api/senders/check", { token, body: { addresses: four } })).status, 200);
      const third = await t.call("/api/senders/check", { token, body: { addresses: four } });
      assert.equal(third.status, 429);
      assert.equal(third.json.code, "RATE_LIMITED");
    });

    it("holds lookups from Teams (cards and typed commands) to the same bucket, and audits the refusal", async () => {
      const caller = { id: "teams-scraper", tenantId: "t", displayName: "Teams Scraper", roles: ["officer" as const], serviceAreas: [] };
      const turn = { identity: { aadObjectId: caller.id, channelUserId: "29:scraper" }, caller, conversationType: "personal" as const };
      const cards: string[] = [];
      for (let i = 0; i < 7; i++) cards.push(JSON.stringify((await t.app.services.teams.actions.run(turn, "lookup", { query: emails[i % 3] })).card));
      assert.ok(cards.slice(0, 5).every((c) => !/Code: RATE_LIMITED/.test(c)), "the first five are answered");
      assert.match(cards[5]!, /Code: RATE_LIMITED/);
      assert.match(cards[5]!, /Wait \d+ seconds/);
      await t.app.services.security.lookupWatch.flush();
      const raised = await alerts(t.stores, "teams-scraper");
      assert.deepEqual(raised.map((e) => [e.surface, e.what]), [["bot", ["rate-limited:lookup"]]]);
    });

    it("does not charge a request refused for its body", async () => {
      const token = await t.issuer.token({ oid: "clumsy-officer", roles: ["officer"] });
      for (let i = 0; i < 20; i++) assert.equal((await t.call("/api/lookup", { token, body: { query: 42 } })).status, 400);
      assert.equal((await t.call("/api/lookup", { token, body: { query: emails[1] } })).status, 200);
    });
  });

  describe("the lookup alert", () => {
    it("audits a lookup-alert once when one person looks up more people than the threshold within the window", async () => {
      const t = await startTestApp({ lookupWatch: { threshold: 5, checkEvery: 2, windowMinutes: 60 } });
      try {
        const emails = await listPeople(t.stores, 8);
        for (let i = 0; i < 8; i++) await t.app.services.lookup.subjectChanged(`rate-subject-${i}`);
        const token = await t.issuer.token({ oid: "curious-officer", roles: ["officer"] });
        for (let i = 0; i < 4; i++) await t.call("/api/lookup", { token, body: { query: emails[i] } });
        // The same person twice is one person.
        await t.call("/api/lookup", { token, body: { query: emails[0] } });
        await t.app.services.security.lookupWatch.flush();
        assert.equal((await alerts(t.stores, "curious-officer")).length, 0, "four people is below the threshold");
        for (let i = 4; i < 8; i++) await t.call("/api/lookup", { token, body: { query: emails[i] } });
        await t.app.services.security.lookupWatch.flush();
        const raised = await alerts(t.stores, "curious-officer");
        assert.equal(raised.length, 1);
        assert.equal(raised[0]!.action, "lookup-alert");
        assert.ok(raised[0]!.what.some((w) => /^distinct-people:[5-8]$/.test(w)), raised[0]!.what.join(" "));
        assert.equal(raised[0]!.subjectId, undefined, "the alert names no one looked up: the lookups themselves do");
        assert.ok((await t.stores.audit.verify()).intact);

        // A new window starts the count again.
        t.clock.advance(61 * 60_000);
        for (let i = 0; i < 3; i++) await t.call("/api/lookup", { token, body: { query: emails[i] } });
        await t.app.services.security.lookupWatch.flush();
        assert.equal((await alerts(t.stores, "curious-officer")).length, 1);
      } finally {
        await t.stop();
      }
    });

    it("counts across instances: lookups spread over two servers sharing storage still raise one alert", async () => {
      const stores = createMemoryStores();
      const clock = new FakeClock("2026-11-23T10:05:00Z");
      const emails = await listPeople(stores, 8);
      const ids = { n: 0, next() { this.n += 1; return `w-${this.n}`; } };
      const a = new LookupWatch({ audit: stores.audit, clock, ids, logger: silentLogger }, { threshold: 6, checkEvery: 2 });
      const b = new LookupWatch({ audit: stores.audit, clock, ids, logger: silentLogger }, { threshold: 6, checkEvery: 2 });
      const lookedUp = async (watch: LookupWatch, i: number) => {
        await stores.audit.append({ id: `look-${i}`, at: clock.now().toISOString(), actorId: "spread-officer", action: "lookup", surface: "api", subjectId: `rate-subject-${i}`, what: [] });
        watch.observe("spread-officer", [`rate-subject-${i}`], "api");
        await watch.flush();
      };
      // Three people on each instance: neither sees six on its own.
      for (let i = 0; i < 6; i++) await lookedUp(i % 2 === 0 ? a : b, i);
      await lookedUp(a, 6);
      await lookedUp(b, 7);
      const raised = await alerts(stores, "spread-officer");
      assert.equal(raised.length, 1, `alerts: ${raised.length}`);
      assert.ok(emails.length === 8);
    });
  });
});
