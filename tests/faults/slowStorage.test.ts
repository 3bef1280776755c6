// Faults (issue 8 item 6): slow storage. A store that stops answering fails the operation within its deadline
// (retries included), the request answers 503 instead of hanging, other requests are not held up, and a store
// that is merely slow still gets its answers through.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createTableStores, type TableStores } from "../../bot/src/adapters/tables";
import { DEFAULT_OPERATION_TIMEOUT_MS } from "../../bot/src/adapters/tables/gateway";
import { StoreUnavailableError } from "../../bot/src/ports/errors";
import { azuriteConnectionString } from "../../scripts/support/azurite";
import { fullEntry, fullSubject } from "../support/storeFixtures";
import { startTestApp, type TestApp } from "../support/testApp";
import { FaultProxy, KillableAzurite } from "./support/storage";

describe("faults: slow and hung storage", function () {
  this.timeout(60_000);
  const azurite = new KillableAzurite();
  let proxy: FaultProxy;
  let stores: TableStores;
  let t: TestApp;
  const prefix = `slow${Date.now() % 100000}`;

  before(async () => {
    await azurite.start();
    proxy = new FaultProxy(azurite.tablePort);
    await proxy.start();
    stores = await createTableStores({
      connectionString: azuriteConnectionString(proxy.port, azurite.blobPort),
      tablePrefix: prefix,
      identifierHashKey: "slow-storage-identifier-key",
      // Per attempt 400 ms and five retries would add up to several seconds; the operation deadline cuts it at 1 s.
      retry: { maxRetries: 5, retryDelayInMs: 50, maxRetryDelayInMs: 100, requestTimeoutMs: 400, operationTimeoutMs: 1000 },
    });
    const s = await stores.subjects.create(fullSubject({ id: "slow-subject", displayName: "Slow Person", emails: ["slow.person@example.org"], phones: [], aliases: [] }));
    await stores.register.create(fullEntry(s.id, { id: "slow-entry", status: "active" }));
    t = await startTestApp({ stores });
  });
  after(async () => {
    await t?.stop();
    await proxy?.stop();
    await azurite.stop();
  });
  afterEach(() => {
    proxy.mode = { kind: "pass" };
  });

  it("has a deadline on every storage operation by default, under the HTTP request timeout", () => {
    assert.ok(DEFAULT_OPERATION_TIMEOUT_MS > 0 && DEFAULT_OPERATION_TIMEOUT_MS < 30_000);
  });

  it("a store that stops answering fails the operation by its deadline, retries included", async () => {
    // Attempts of 10 s each would hang for ever as far as a person is concerned; the 800 ms deadline decides.
    const deadlineOnly = await createTableStores({
      connectionString: azuriteConnectionString(proxy.port, azurite.blobPort), tablePrefix: prefix, identifierHashKey: "slow-storage-identifier-key",
      createTables: false, retry: { maxRetries: 3, requestTimeoutMs: 10_000, operationTimeoutMs: 800 },
    });
    proxy.mode = { kind: "blackhole" };
    const t0 = Date.now();
    await assert.rejects(deadlineOnly.register.get(randomUUID()), StoreUnavailableError);
    assert.ok(Date.now() - t0 < 1500, `the deadline did not hold: ${Date.now() - t0} ms`);
    for (const op of [() => stores.subjects.get(randomUUID()), () => stores.audit.append({ id: randomUUID(), at: new Date().toISOString(), actorId: "a", action: "lookup", surface: "api", what: [] })]) {
      const started = Date.now();
      await assert.rejects(op(), StoreUnavailableError);
      const ms = Date.now() - started;
      assert.ok(ms < 2600, `took ${ms} ms`);
    }
  });

  it("the request answers 503 within the deadline instead of hanging, and other requests are not held up", async () => {
    proxy.mode = { kind: "blackhole" };
    const started = Date.now();
    const stuck = t.call("/api/lookup", { roles: ["officer"], body: { query: "slow.person@example.org" } });
    const quickStarted = Date.now();
    const quick = await t.call("/api/lookup", { roles: ["officer"], body: { query: "not.listed@example.org" } });
    assert.equal(quick.status, 200);
    assert.ok(Date.now() - quickStarted < 500, "a lookup that needs no storage is not queued behind one that does");
    const res = await stuck;
    const ms = Date.now() - started;
    assert.equal(res.status, 503);
    assert.equal(res.json.code, "STORE_UNAVAILABLE");
    assert.ok(ms < 3000, `answered after ${ms} ms`);
  });

  it("slow but working storage still answers, just later", async () => {
    proxy.mode = { kind: "delay", ms: 120 };
    const started = Date.now();
    const res = await t.call("/api/lookup", { roles: ["officer"], body: { query: "slow.person@example.org" } });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.ok(Date.now() - started >= 120);
    proxy.mode = { kind: "pass" };
    assert.ok((await stores.audit.verify()).intact);
  });
});
