// Starts the real server on 127.0.0.1 with memory stores (or given stores) and a test token issuer.
import { createMemoryStores } from "../../bot/src/adapters/memory";
import { TokenValidator } from "../../bot/src/adapters/http/auth";
import { FakeClock } from "../../bot/src/adapters/system/clock";
import { silentLogger } from "../../bot/src/adapters/system/logger";
import { staticPages } from "../../bot/src/adapters/http/staticPages";
import { createApp, type App, type AppDeps, type PolicyBinding } from "../../bot/src/app";
import type { Stores } from "../../bot/src/ports/stores";
import type { Caller, EntryView, RiskLevel } from "../../core/src/domain";
import { createTestIssuer, TEST_AUDIENCE, TEST_CLIENT_ID, TEST_ISSUER, TEST_TENANT, type TestIssuer } from "./tokens";

export const simplePolicy: PolicyBinding = {
  presetId: "test",
  registerName: "Customer Alert List",
  viewFor(caller: Caller, entry: { riskLevel: RiskLevel; isPremises: boolean }): EntryView {
    if (caller.roles.some((r) => r === "officer" || r === "register-admin" || r === "manager")) return "full";
    if (caller.roles.includes("councillor") || caller.roles.includes("contractor")) return entry.riskLevel === "low" ? "hidden" : "minimum";
    return "summary";
  },
};

export interface TestApp {
  app: App;
  url: string;
  issuer: TestIssuer;
  stores: Stores;
  clock: FakeClock;
  /** fetch with a bearer token for these roles. */
  call(path: string, init?: { method?: string; body?: unknown; roles?: string[]; token?: string | null; headers?: Record<string, string>; rawBody?: string }): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startTestApp(over: Partial<AppDeps> & { stores?: Stores } = {}): Promise<TestApp> {
  const issuer = await createTestIssuer();
  const stores = over.stores ?? createMemoryStores();
  const clock = new FakeClock("2026-11-23T10:00:00Z");
  let id = 0;
  const app = createApp({
    stores,
    policy: simplePolicy,
    tokens: new TokenValidator({ tenantId: TEST_TENANT, audiences: [TEST_CLIENT_ID, TEST_AUDIENCE], issuers: [TEST_ISSUER], requiredScope: "access_as_user", keys: { jwks: issuer.jwks } }),
    clock,
    ids: { next: () => `test-${++id}` },
    logger: silentLogger,
    indexPollMs: 100,
    staticFallback: staticPages({ devSignIn: false }),
    // Every test caller shares one user id, so per-user rate limits would couple unrelated tests; the limits
    // have their own tests (tests/security/rateLimits.test.ts), which turn them on.
    rateLimits: { lookup: false, senders: false },
    ...over,
  });
  const port = await app.start(0);
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    issuer,
    stores,
    clock,
    async call(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token !== null) headers.authorization = `Bearer ${init.token ?? (await issuer.token({ roles: init.roles ?? ["officer"] }))}`;
      let body: string | undefined = init.rawBody;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await fetch(url + path, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try { json = text ? (JSON.parse(text) as Record<string, unknown>) : {}; } catch { json = { text }; }
      return { status: res.status, json, headers: res.headers };
    },
    stop: () => app.stop(1000),
  };
}
