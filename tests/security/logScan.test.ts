// No personal data in logs (issue 8 item 7): every log line and everything written to stdout/stderr during a
// full flow over the demo data — every route as every persona, lookups by name, email and phone, bad requests
// carrying personal data, rate limits, storage failures, a subject access export — is captured and searched for
// the demo people's names, emails, phones, addresses and incident text, and for the staff personas'. None may
// appear.
import assert from "node:assert/strict";
import { createMemoryStores } from "../../bot/src/adapters/memory";
import { createLogger } from "../../bot/src/adapters/system/logger";
import { PERSONAS } from "../../bot/src/adapters/http/devSignIn";
import { StoreUnavailableError } from "../../bot/src/ports/errors";
import { PRINCIPALS } from "../../bot/src/services/permissions";
import { normalisePhone } from "../../core/src/normalise";
import { buildDemoData, seedDemoData } from "../../scripts/demo/demoData";
import { exampleBody, fillPath, paramValue, type Hints } from "./support/routes";
import { listRoutes, startWorld, type World } from "./support/world";

const TODAY = "2026-11-23";

/** Every piece of personal data in the demo set and the personas, in the forms it could be logged in. */
function personalData(): string[] {
  const demo = buildDemoData(TODAY);
  const out = new Set<string>();
  const add = (s: string | undefined) => {
    if (s && s.trim().length >= 4) out.add(s.trim().toLowerCase());
  };
  for (const s of demo.subjects) {
    add(s.displayName);
    s.aliases.forEach(add);
    for (const e of s.emails) {
      add(e);
      add(e.split("@")[0]);
    }
    for (const p of s.phones) {
      add(p);
      add(p.replace(/\s/g, ""));
      add(normalisePhone(p));
    }
    for (const a of s.addresses) {
      a.lines.forEach(add);
      add(a.postcode);
    }
  }
  for (const i of demo.incidents) {
    add(i.description.slice(0, 40));
    i.witnesses.forEach((w) => { add(w.name); add(w.statement.slice(0, 30)); });
  }
  for (const e of demo.entries) e.guidance.forEach((g) => add(g.slice(0, 40)));
  for (const p of PERSONAS) {
    add(p.displayName);
    add(p.email);
  }
  return [...out];
}

describe("security: no personal data in logs", function () {
  this.timeout(180_000);
  const captured: string[] = [];
  let w: World;
  let failStorage = false;
  const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr), log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug };

  before(async () => {
    // Everything the process prints from here on is captured (and still printed).
    const tap = (original: typeof process.stdout.write) =>
      ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof process.stdout.write;
    process.stdout.write = tap(originals.out);
    process.stderr.write = tap(originals.err);
    for (const level of ["log", "error", "warn", "info", "debug"] as const) {
      console[level] = (...args: unknown[]) => void captured.push(args.map(String).join(" "));
    }
    const stores = createMemoryStores();
    // A switch to make the audit log fail as if storage had gone, for the error paths.
    const append = stores.audit.append.bind(stores.audit);
    stores.audit.append = async (e) => {
      if (failStorage) throw new StoreUnavailableError("audit.append");
      return append(e);
    };
    w = await startWorld({ stores, logger: createLogger("debug", (line) => captured.push(line)), rateLimits: { lookup: { capacity: 30, refillPerSecond: 0.01 } } });
    await seedDemoData(w.stores, TODAY, (id) => w.t.app.services.lookup.subjectChanged(id));
  });
  after(async () => {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
    Object.assign(console, { log: originals.log, error: originals.error, warn: originals.warn, info: originals.info, debug: originals.debug });
    await w?.stop();
  });

  it("runs every route as every persona over the demo data, with good and bad requests", async () => {
    const demo = buildDemoData(TODAY);
    const routes = listRoutes();
    let requests = 0;
    for (const subject of demo.subjects) {
      const entry = demo.entries.find((e) => e.subjectId === subject.id);
      const incident = demo.incidents.find((i) => i.subjectId === subject.id);
      const h: Hints = {
        email: subject.emails[0] ?? "nobody@example.org",
        phone: subject.phones[0] ?? "07700 900999",
        name: subject.displayName,
        subjectId: subject.id,
        entryId: entry?.id ?? "demo-entry-0001",
        incidentId: incident?.id ?? "demo-incident-0001",
        caseId: "demo-case-0001",
        reference: entry?.reference ?? "CAL-0001",
      };
      for (const route of routes) {
        const path = fillPath(route, (k) => paramValue(route, k, h));
        const body = route.bodyType === "raw" ? undefined : exampleBody(route, h);
        for (const p of PRINCIPALS) {
          await w.request(p, route.method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { "x-file-name": encodeURIComponent(subject.displayName) } });
          requests += 1;
        }
        // Personal data where it does not belong: in the URL, in a body that is not valid.
        await w.request("register-admin", route.method, `${route.path.replace(/:([A-Za-z]+)/g, encodeURIComponent(h.email))}?q=${encodeURIComponent(subject.displayName)}`, { body: `{"query": "${h.email}", ` });
        await w.request("officer", "POST", route.path.replace(/:([A-Za-z]+)/g, "x"), { body: JSON.stringify({ query: h.phone, unexpected: subject.displayName }) });
        requests += 2;
      }
      // Lookups in every form, and sender checks.
      for (const q of [subject.displayName, ...subject.aliases, ...subject.emails, ...subject.phones]) {
        await w.request("officer", "POST", "/api/lookup", { body: JSON.stringify({ query: q }) });
        await w.request("councillor", "POST", "/api/lookup", { body: JSON.stringify({ query: q }) });
        requests += 2;
      }
      await w.request("officer", "POST", "/api/senders/check", { body: JSON.stringify({ addresses: subject.emails.length > 0 ? subject.emails : ["x@example.org"] }) });
      await w.request("auditor", "POST", "/api/sar/export", { body: JSON.stringify({ subject: subject.emails[0] ?? subject.id }) });
      requests += 2;
    }
    // Storage failing in the middle of lookups, and a person running into the rate limit.
    failStorage = true;
    await w.request("officer", "POST", "/api/lookup", { body: JSON.stringify({ query: "Alex Example" }) });
    failStorage = false;
    for (let i = 0; i < 40; i++) await w.request("contractor", "POST", "/api/lookup", { body: JSON.stringify({ query: "jamie.sample@example.org" }) });
    await w.t.app.services.security.lookupWatch.flush();
    assert.ok(requests > 500, `${requests} requests`);
    assert.ok(captured.length > 100, `${captured.length} log lines captured`);
  });

  it("none of it appears in any log line or console output", () => {
    const haystack = captured.join("\n").toLowerCase();
    const found = personalData().filter((needle) => haystack.includes(needle));
    const examples = found.slice(0, 10).map((needle) => {
      const line = captured.find((l) => l.toLowerCase().includes(needle)) ?? "";
      return `"${needle}" in: ${line.slice(0, 200)}`;
    });
    assert.deepEqual(examples, [], `personal data in the logs:\n  ${examples.join("\n  ")}`);
  });

  it("the scan would catch a leak: it looks for every form of the data, and the logger redacts what slips into a field", () => {
    const needles = personalData();
    for (const n of ["alex example", "alex.example@example.org", "+447700900001", "07700 900001", "1 fictional lane", "ex1 1aa", "wendy witness", "ola officer"]) {
      assert.ok(needles.includes(n), `the scan looks for "${n}"`);
    }
    const lines: string[] = [];
    const logger = createLogger("info", (l) => lines.push(l));
    logger.info("probe", { who: "alex.example@example.org", phone: "07700 900001", requestId: "4f057bcb-25bc-4d68-9a7c-7350584bc8a6" });
    assert.match(lines[0]!, /"who":"\[redacted\]","phone":"\[redacted\]","requestId":"4f057bcb-25bc-4d68-9a7c-7350584bc8a6"/);
  });

  it("the logs do say what happened (events, routes, status codes), so they stay useful", () => {
    const joined = captured.join("\n");
    assert.match(joined, /"event":"http"/);
    assert.match(joined, /"event":"lookup"/);
    assert.match(joined, /"status":503/);
    assert.match(joined, /"event":"lookup.rate_limited"/);
  });
});
