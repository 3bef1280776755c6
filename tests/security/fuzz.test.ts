// Fuzzing (issue 8 item 5): fast-check feeds malformed and hostile requests to every route the server registers —
// wrong types, huge strings, unicode tricks, OData and markdown injection, script in names, path traversal in
// file names and path parameters, wrong content types, truncated and deeply nested JSON. Every answer must be
// below 500; every refusal a 4xx problem with a stable UPPER_SNAKE code and a plain message; a refused request
// stores nothing; nothing crashes. Seeded and bounded for CI (FUZZ_RUNS, default 10,000 requests in all;
// FUZZ_SEED); `npm run test:soak` runs far more.
import assert from "node:assert/strict";
import fc from "fast-check";
import { createMemoryStores } from "../../bot/src/adapters/memory";
import { createLogger } from "../../bot/src/adapters/system/logger";
import type { Route } from "../../bot/src/adapters/http/router";
import { expectedOutcome, PRINCIPALS, type Principal } from "../../bot/src/services/permissions";
import { countWrites, type WriteCounter } from "./support/countingStores";
import { HOSTILE_STRINGS, hostileString, hostileValue, jsonBodyArb, paramArb, pct, rawBodyArb, type FuzzBody } from "./support/hostile";
import { hintsFor, paramsOf, paramValue } from "./support/routes";
import { listRoutes, principalId, send, SECRET_KINDS, startWorld, type World } from "./support/world";
import { CARD_ACTION_PERMISSIONS, type Verb } from "../../bot/src/adapters/teams/actions";

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const TOTAL = Number(process.env.FUZZ_RUNS ?? 10_000);
const ROUTES = listRoutes();
const CARD_VERBS = Object.keys(CARD_ACTION_PERMISSIONS) as Verb[];
/** Every route and every card action gets an equal share, plus one share of made-up card actions. */
const PER_ROUTE = Math.max(25, Math.ceil(TOTAL / (ROUTES.length + CARD_VERBS.length + 1)));
const STABLE_CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{3,}$/;

/** fast-check's own report repeats the whole counterexample (paths can be 20 KB): keep it readable. */
function shortReport<Ts>(details: fc.RunDetails<Ts>): Promise<void> {
  if (!details.failed) return Promise.resolve();
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`seed ${details.seed}, path "${details.counterexamplePath ?? ""}" (rerun with FUZZ_SEED=${SEED}): ${cause.slice(0, 600)}`);
}

interface FuzzRequest {
  principal: Principal;
  path: string;
  query: string;
  body: FuzzBody;
  headers: Record<string, string>;
}

/** Header values must be Latin-1 without line breaks, or fetch refuses to send them at all. */
const headerSafe = (s: string): string => pct(s).slice(0, 2000);

function requestArb(route: Route, w: World): fc.Arbitrary<FuzzRequest> {
  const allowed = PRINCIPALS.filter((p) => route.auth === "none" || expectedOutcome(route.permission, p) === "allowed");
  const others = PRINCIPALS.filter((p) => !allowed.includes(p));
  const principal = others.length > 0 && allowed.length > 0
    ? fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...allowed) }, { weight: 1, arbitrary: fc.constantFrom(...others) })
    : fc.constantFrom(...(allowed.length > 0 ? allowed : PRINCIPALS));
  const tier = fc.constantFrom(...w.tiers);
  return fc.tuple(principal, tier).chain(([p, t]) => {
    const h = hintsFor(t);
    const params = paramsOf(route);
    const path = fc.tuple(...params.map((k) => paramArb(paramValue(route, k, h)))).map((values) => {
      let i = 0;
      return route.path.replace(/:([A-Za-z]+)/g, () => values[i++]!.encoded);
    });
    const query = fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: hostileString.map((s) => `?q=${pct(s.slice(0, 500))}&fresh=${pct(s.slice(0, 20))}`) });
    const body: fc.Arbitrary<FuzzBody & { fileName?: string }> = route.method === "GET" || route.method === "DELETE"
      ? fc.constant({ body: undefined, contentType: undefined, how: "no body" })
      : route.bodyType === "raw" ? rawBodyArb() : jsonBodyArb(route, h);
    const surface = fc.constantFrom("tab", "addin", "bot", "<script>", "../../", "");
    return fc.tuple(path, query, body, surface).map(([pth, q, b, s]) => {
      const headers: Record<string, string> = { "x-calm-surface": headerSafe(s), "idempotency-key": headerSafe(`${s}-k`) };
      if (b.contentType !== undefined) headers["content-type"] = b.contentType;
      if (b.fileName !== undefined) headers["x-file-name"] = headerSafe(b.fileName);
      return { principal: p, path: pth, query: q, body: b, headers };
    });
  });
}

describe("security: fuzzing every route with hostile input", function () {
  this.timeout(300_000);
  let w: World;
  let writes: WriteCounter;
  const logs: string[] = [];
  const crashes: string[] = [];
  const onCrash = (e: unknown): void => void crashes.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  let sent = 0;
  const statuses = new Map<number, number>();
  const handled = new Set<string>();
  const started = Date.now();

  before(async () => {
    process.on("unhandledRejection", onCrash);
    process.on("uncaughtException", onCrash);
    const counted = countWrites(createMemoryStores());
    writes = counted.counter;
    w = await startWorld({ stores: counted.stores, logger: createLogger("info", (line) => logs.push(line)) });
  });
  after(async () => {
    process.off("unhandledRejection", onCrash);
    process.off("uncaughtException", onCrash);
    await w?.stop();
  });

  ROUTES.forEach((route, index) => {
    it(`${route.method} ${route.path} (${route.id}): ${PER_ROUTE} hostile requests, no 5xx, every refusal a stable 4xx, nothing stored`, async () => {
      await fc.assert(
        fc.asyncProperty(requestArb(route, w), async (r) => {
          const before = writes.records();
          const token = await w.token(r.principal);
          const headers = { ...r.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
          const res = await send(w.t.url, route.method, r.path + r.query, headers, r.body.body);
          sent += 1;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status < 400 || !["INVALID_BODY", "INVALID_JSON", "FORBIDDEN", "TOKEN_MISSING", "BODY_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "INVALID_PATH", "REQUEST_HEADERS_TOO_LARGE"].includes(String(res.json?.code))) handled.add(route.id);
          const where = `${route.method} ${r.path.slice(0, 100)}${r.path.length > 100 ? "…" : ""} as ${r.principal} (${r.body.how})`;
          assert.ok(res.status < 500, `${where}: ${res.status} ${res.text.slice(0, 300)}`);
          if (res.status >= 400) {
            assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/, `${where}: ${res.status} is not a problem document`);
            const code = typeof res.json?.code === "string" ? res.json.code : "";
            assert.match(code, STABLE_CODE, `${where}: ${res.status} code "${code}" is not a stable UPPER_SNAKE code`);
            assert.ok(typeof res.json?.detail === "string" && res.json.detail.length >= 15, `${where}: ${code} has no plain message`);
            assert.equal(writes.records() - before, 0, `${where}: refused with ${res.status} ${code} but wrote ${writes.log().slice(-3).join(", ")}`);
          }
        }),
        {
          seed: SEED + index,
          numRuns: PER_ROUTE,
          endOnFailure: true,
          asyncReporter: shortReport,
        },
      );
    });
  });

  /** Hostile card data: the payload a forged or stale Adaptive Card could carry. */
  const cardDataArb = (w: World): fc.Arbitrary<unknown> => {
    const t = w.tiers[2]!;
    const base: Record<string, unknown> = { key: "fuzz-card-key-0001", formKey: "fuzz-card-key-0001", caseId: t.case.id, incidentId: t.incident.id, subjectId: t.subject.id, memberId: principalId("panel-member"), query: t.secrets.email, choice: "add-medium", excluded: false, reason: "x" };
    return fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...Object.keys(base), "for", "witness1Name", "description", "hateIncident", "occurredDate", "papersUrl"), hostileValue).map(([k, v]) => ({ ...base, [k]: v })) },
      { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map((s) => Object.fromEntries(Object.keys(base).map((k) => [k, s]))) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, null, 42, "string", [], { __proto__: { admin: true } }, { constructor: { prototype: { roles: ["register-admin"] } } }) },
    );
  };

  const cardTargets: (Verb | "made-up")[] = [...CARD_VERBS, "made-up"];
  cardTargets.forEach((target, index) => {
    it(`card action ${target}: ${PER_ROUTE} hostile payloads, always a card, never a surprise, nothing stored when refused`, async () => {
      const verbArb: fc.Arbitrary<unknown> = target === "made-up"
        ? fc.oneof(hostileString, fc.constantFrom("constructor", "__proto__", "toString", "VOTE", "vote ", "refresh\u0000", 7, null, undefined))
        : fc.constant(target);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...PRINCIPALS), verbArb, cardDataArb(w), fc.constantFrom("personal", "channel", "groupChat"), async (p, verb, data, conversationType) => {
          const before = writes.records();
          const tenantId = "11111111-1111-4111-8111-111111111111";
          const caller = p === "anonymous" ? undefined : { id: principalId(p), tenantId, displayName: `Fuzz ${p}`, roles: [p], serviceAreas: [] };
          const result = await w.t.app.services.teams.actions.run({ identity: { aadObjectId: principalId(p), channelUserId: `29:${p}`, tenantId }, caller, conversationType: conversationType }, verb, data);
          sent += 1;
          const text = JSON.stringify(result.card);
          assert.ok(text.length > 20, "an answer card");
          assert.doesNotMatch(text, /Code: INTERNAL_ERROR/, `${String(verb)} as ${p}: a surprise`);
          const code = /Code: ([A-Z_]+)/.exec(text)?.[1];
          if (code && ["FORBIDDEN", "CARD_DATA_INVALID", "CARD_ACTION_UNKNOWN"].includes(code)) {
            assert.equal(writes.records() - before, 0, `${String(verb)} as ${p} was refused (${code}) but wrote ${writes.log().slice(-3).join(", ")}`);
          }
          // In a channel, a refresh shows the card as it was posted there (its members already see it); elsewhere,
          // someone CALM does not know sees nothing about anyone.
          if (p === "anonymous" && conversationType !== "channel") for (const kind of SECRET_KINDS) assert.ok(!text.includes(w.tiers[2]!.secrets[kind]) || JSON.stringify(data ?? null).includes(w.tiers[2]!.secrets[kind]), `someone CALM does not know was shown ${kind}`);
        }),
        { seed: SEED + 1000 + index, numRuns: PER_ROUTE, endOnFailure: true, asyncReporter: shortReport },
      );
    });
  });

  it("nothing crashed and nothing reached the server's 'unhandled' path", () => {
    assert.deepEqual(crashes, []);
    const unhandled = logs.filter((l) => l.includes("\"http.unhandled\"") || l.includes("\"bot.action_failed\""));
    assert.deepEqual(unhandled, [], "a request reached a surprise error (500)");
  });

  it(`the server still answers, its audit chain is intact, and ${TOTAL} requests ran in bounded time`, async () => {
    const health = await send(w.t.url, "GET", "/healthz", {});
    assert.equal(health.status, 200);
    const check = await w.stores.audit.verify();
    assert.ok(check.intact, JSON.stringify(check.problems.slice(0, 3)));
    assert.ok(sent >= TOTAL, `sent ${sent} of ${TOTAL}`);
    const seconds = (Date.now() - started) / 1000;
    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([st, n]) => `${st}×${n}`).join(" ");
    process.stdout.write(`      fuzz: ${sent} inputs over ${ROUTES.length} routes and ${CARD_VERBS.length} card actions in ${seconds.toFixed(1)} s (seed ${SEED}): ${byStatus}\n`);
    // Most routes must have had requests get past the schema into the handler, or the fuzz proved little.
    const shallow = ROUTES.filter((r) => !handled.has(r.id)).map((r) => r.id);
    assert.ok(shallow.length <= Math.floor(ROUTES.length / 5), `requests never got past the schema on: ${shallow.join(", ")}`);
  });
});
