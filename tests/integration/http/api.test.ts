import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "../../support/testApp";
import { anEntry, aSubject } from "../../support/fixtures";

describe("API: sender check and lookup over HTTP", () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    const subject = await t.stores.subjects.create(aSubject());
    await t.stores.register.create(anEntry(subject.id, "high"));
    await t.app.services.lookup.subjectChanged(subject.id);
  });
  after(() => t.stop());

  it("answers health without a token, with no personal data", async () => {
    const res = await t.call("/healthz", { token: null });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, "ok");
  });

  it("flags a listed sender for an officer", async () => {
    const res = await t.call("/api/senders/check", { body: { addresses: ["alex.example@example.org", "stranger@example.com"] } });
    assert.equal(res.status, 200);
    const results = res.json.results as { listed: boolean; matches: { card: { statusLine: string } }[] }[];
    assert.equal(results[0]!.listed, true);
    assert.match(results[0]!.matches[0]!.card.statusLine, /High risk/);
    assert.equal(results[1]!.listed, false);
  });

  it("refuses a request with no token: 401 with a stable code and a plain message", async () => {
    const res = await t.call("/api/senders/check", { token: null, body: { addresses: ["a@example.org"] } });
    assert.equal(res.status, 401);
    assert.equal(res.json.code, "TOKEN_MISSING");
    assert.equal(res.headers.get("content-type"), "application/problem+json; charset=utf-8");
    assert.match(String(res.json.detail), /Sign in/);
  });

  it("refuses a signed-in user with no CALM role: 403", async () => {
    const res = await t.call("/api/senders/check", { roles: [], body: { addresses: ["a@example.org"] } });
    assert.equal(res.status, 403);
    assert.equal(res.json.code, "FORBIDDEN");
  });

  const bad: [string, Parameters<TestApp["call"]>[1], number, string][] = [
    ["a body that is not JSON", { rawBody: "{nope", headers: { "content-type": "application/json" } }, 400, "INVALID_JSON"],
    ["a body that is not JSON at all (form)", { rawBody: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["an empty list", { body: { addresses: [] } }, 400, "INVALID_BODY"],
    ["a list of numbers", { body: { addresses: [1, 2] } }, 400, "INVALID_BODY"],
    ["unknown fields", { body: { addresses: ["a@example.org"], admin: true } }, 400, "INVALID_BODY"],
    ["too many addresses", { body: { addresses: Array.from({ length: 101 }, (_, i) => `p${i}@example.org`) } }, 400, "INVALID_BODY"],
    ["a huge body", { body: { addresses: ["x".repeat(70_000)] } }, 413, "BODY_TOO_LARGE"],
  ];
  for (const [what, init, status, code] of bad) {
    it(`answers ${status} ${code} to ${what}, and audits nothing`, async () => {
      const res = await t.call("/api/senders/check", { method: "POST", ...init });
      assert.equal(res.status, status);
      assert.equal(res.json.code, code);
      assert.ok(String(res.json.detail).length > 10);
    });
  }

  it("answers 404 and 405 as problems", async () => {
    assert.equal((await t.call("/api/nothing-here")).json.code, "NOT_FOUND");
    assert.equal((await t.call("/api/senders/check", { method: "GET" })).json.code, "METHOD_NOT_ALLOWED");
  });

  it("keeps API answers out of any frame and out of caches", async () => {
    const res = await t.call("/healthz", { token: null });
    assert.equal(res.headers.get("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("cache-control"), "no-store");
  });

  it("lets Teams and Outlook frame the pages, and nothing else", async () => {
    const res = await fetch(`${t.url}/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /frame-ancestors [^;]*https:\/\/teams\.microsoft\.com/);
    assert.match(csp, /frame-ancestors [^;]*https:\/\/outlook\.office\.com/);
    assert.doesNotMatch(csp, /frame-ancestors [^;]*\*(;|\s|$)/);
  });

  for (const path of ["/tab/../../package.json", "/tab/%2e%2e/%2e%2e/package.json", "/addin/..%2f..%2fpackage.json", "/tab/%00"]) {
    it(`never serves a file outside the page folders (${path})`, async () => {
      const res = await fetch(`${t.url}${path}`);
      const text = await res.text();
      assert.doesNotMatch(text, /"name": "calm"/);
      assert.ok(res.status === 404 || res.status === 400, String(res.status));
    });
  }

  it("looks a person up by name as a possible match, with the query in the body, never the URL", async () => {
    const res = await t.call("/api/lookup", { body: { query: "Alex Example" } });
    assert.equal(res.status, 200);
    const matches = res.json.matches as { certainty: string }[];
    assert.equal(matches[0]!.certainty, "possible");
  });

  it("gives a councillor the minimum view over HTTP too", async () => {
    const res = await t.call("/api/lookup", { roles: ["councillor"], body: { query: "alex.example@example.org" } });
    const card = (res.json.matches as { card: Record<string, unknown> }[])[0]!.card;
    assert.equal(card.view, "minimum");
    assert.equal(card.subjectName, undefined);
  });
});
