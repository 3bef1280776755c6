// The SPOC divert through the server's API (issue 6, Dorset 4.11-4.12): a register administrator applies it to a
// team, watches the job's progress, every mailbox gets exactly one CALM rule, and lifting removes them all.
import assert from "node:assert/strict";
import { createMemoryStores } from "../../../bot/src/adapters/memory";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { systemClock } from "../../../bot/src/adapters/system/clock";
import { divertRoutes } from "../../../bot/src/adapters/http/routes/diverts";
import { createMailProtection, type MailProtection } from "../../../bot/src/mailProtection";
import { startGraphSimulator, type GraphSimulator } from "../../support/graphSimulator/server";
import { seedDemoTenant, type DemoTenant } from "../../support/graphSimulator/seed";
import { startTestApp, type TestApp } from "../../support/testApp";
import { anEntry, aSubject } from "../../support/fixtures";

describe("SPOC diverts over the API, against the Graph simulator", function () {
  this.timeout(60_000);
  let sim: GraphSimulator;
  let tenant: DemoTenant;
  let mail: MailProtection;
  let t: TestApp;
  let entryId = "";
  let counter = 0;

  before(async () => {
    sim = await startGraphSimulator({ latencyMs: { min: 0, max: 1 }, throttleRetryAfterSeconds: 0.05 });
    tenant = seedDemoTenant(sim, { extraStaff: 6 });
    const stores = createMemoryStores();
    mail = await createMailProtection({
      graphBaseUrl: sim.baseUrl,
      credentials: { kind: "static", token: "test" },
      ratePerSecond: 500,
      storage: { kind: "memory" },
      identifierHashKey: "divert-route-test-hash-key",
      isListedAddress: () => ({ listed: false }),
      audit: stores.audit,
      clock: systemClock,
      ids: { next: () => `d-${++counter}` },
      logger: silentLogger,
    });
    t = await startTestApp({ stores, extraRoutes: () => divertRoutes(mail, stores) });
    const subject = await stores.subjects.create(aSubject({ emails: ["alex.example@example.org", "a.example.alt@example.net"] }));
    const entry = await stores.register.create(anEntry(subject.id, "medium", { spoc: { displayName: "Housing SPOC", mailbox: tenant.spoc, serviceArea: "Housing" } }));
    entryId = entry.id;
  });

  after(async () => {
    await t?.stop();
    await mail?.stop();
    await sim?.stop();
  });

  async function finished(jobId: string, roles: string[] = ["register-admin"]) {
    for (let i = 0; i < 200; i++) {
      const res = await t.call(`/api/divert-jobs/${jobId}`, { roles });
      assert.equal(res.status, 200);
      if (res.json.percent === 100) return res.json;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail("the divert job did not finish in 10 s");
  }

  it("refuses an officer: only register administrators and the chair apply diverts", async () => {
    const res = await t.call(`/api/entries/${entryId}/divert`, { roles: ["officer"], body: { targets: [{ kind: "group", id: tenant.groups["housing-team"]! }] } });
    assert.equal(res.status, 403);
  });

  it("refuses an empty target list with a field error and starts nothing", async () => {
    const res = await t.call(`/api/entries/${entryId}/divert`, { roles: ["register-admin"], body: { targets: [] } });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, "INVALID_BODY");
    assert.equal(sim.rulesNamed("CALM").length, 0);
  });

  it("applies the divert to a team: one neutral rule per mailbox, progress visible to 100%", async () => {
    const res = await t.call(`/api/entries/${entryId}/divert`, { roles: ["register-admin"], body: { targets: [{ kind: "group", id: tenant.groups["housing-team"]! }] } });
    assert.equal(res.status, 202, JSON.stringify(res.json));
    const progress = await finished(String(res.json.jobId));
    assert.equal(progress.failed, 0);
    const rules = sim.rulesNamed("CALM");
    assert.equal(rules.length, progress.total);
    assert.ok(rules.length >= 8);
    for (const { rule } of rules) {
      assert.doesNotMatch(JSON.stringify(rule.displayName), /alex|example\.org/i, "rule names carry no personal data");
    }
    const view = await t.call(`/api/entries/${entryId}/divert`, { roles: ["manager"] });
    assert.equal(view.json.customerNotYetTold, true);
  });

  it("records how the customer was told (Dorset 4.11)", async () => {
    const res = await t.call(`/api/entries/${entryId}/divert/customer-told`, { roles: ["register-admin"], body: { on: "2026-11-23", how: "letter" } });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const view = await t.call(`/api/entries/${entryId}/divert`, { roles: ["register-admin"] });
    assert.equal(view.json.customerNotYetTold, false);
  });

  it("lifting removes every rule CALM made", async () => {
    const res = await t.call(`/api/entries/${entryId}/divert/lift`, { roles: ["register-admin"], method: "POST" });
    assert.equal(res.status, 202, JSON.stringify(res.json));
    await finished(String(res.json.jobId));
    assert.equal(sim.rulesNamed("CALM").length, 0);
  });

  it("only a councillor chooses for their own mailbox", async () => {
    const res = await t.call("/api/diverts/councillor/opt-in", { roles: ["officer"], body: {} });
    assert.equal(res.status, 403);
    const other = await t.call("/api/diverts/councillor/opt-in", { roles: ["councillor"], body: { councillorMailbox: "someone.else@calm-demo.example" } });
    assert.equal(other.status, 403);
  });
});
