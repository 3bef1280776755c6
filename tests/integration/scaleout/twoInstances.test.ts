// Issue 9 item 4 / issue 2 item 5: two server instances over one Azurite stay consistent. A listing made through
// one instance is seen by the other within a second, and a removal likewise — no instance keeps a stale index.
import assert from "node:assert/strict";
import { startAzurite, type RunningAzurite } from "../../../scripts/support/azurite";
import { createTableStores } from "../../../bot/src/adapters/tables";
import { startTestApp, type TestApp } from "../../support/testApp";
import { anEntry, aSubject } from "../../support/fixtures";

describe("Scale-out: two instances against one Azurite", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let a: TestApp;
  let b: TestApp;

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
    const options = { connectionString: azurite.connectionString, tablePrefix: `scale${Date.now() % 100000}`, identifierHashKey: "scale-out-test-hash-key" };
    a = await startTestApp({ stores: await createTableStores(options), indexPollMs: 200 });
    b = await startTestApp({ stores: await createTableStores(options), indexPollMs: 200 });
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    await azurite?.stop();
  });

  async function listedOn(app: TestApp, address: string): Promise<boolean> {
    const res = await app.call("/api/senders/check", { body: { addresses: [address] } });
    assert.equal(res.status, 200);
    return (res.json.results as { listed: boolean }[])[0]!.listed;
  }

  async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      if (await check()) return Date.now() - started;
      if (Date.now() - started > ms) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`not seen within ${ms} ms`);
  }

  it("a listing made on instance A is seen by instance B within 1 s", async () => {
    const subject = await a.stores.subjects.create(aSubject({ emails: ["scale.out@example.org"], phones: [] }));
    await a.stores.register.create(anEntry(subject.id, "medium"));
    await a.app.services.lookup.subjectChanged(subject.id);
    assert.equal(await listedOn(a, "scale.out@example.org"), true, "visible at once on the instance that wrote it");
    const took = await within(1000, () => listedOn(b, "scale.out@example.org"));
    assert.ok(took <= 1000, `took ${took} ms`);
  });

  it("a removal made on instance B stops matches on instance A within 1 s", async () => {
    const ids = await b.stores.subjects.findIdsByIdentifier("email", "scale.out@example.org");
    assert.equal(ids.length, 1);
    const [entry] = await b.stores.register.listBySubject(ids[0]!);
    await b.stores.register.update({ ...entry!, status: "removed", removedOn: "2026-11-23" });
    await b.app.services.lookup.subjectChanged(ids[0]!);
    assert.equal(await listedOn(b, "scale.out@example.org"), false);
    await within(1000, async () => !(await listedOn(a, "scale.out@example.org")));
  });
});
