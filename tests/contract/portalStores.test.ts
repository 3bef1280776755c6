// The portal store contract on memory and on Azure Tables (Azurite started for this file), plus the
// table-only guarantee that no text or name reaches a key.
import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { createMemoryPortalStores } from "../../bot/src/adapters/memory/portal";
import { createPortalTableStores } from "../../bot/src/adapters/tables/portal";
import { createLifecycleTableStores } from "../../bot/src/adapters/tables/lifecycle";
import { startAzurite, type RunningAzurite } from "../../scripts/support/azurite";
import { freshPrefix } from "../support/storeFixtures";
import { aContact, aGrant, portalStoreContract } from "./portalStoreContract";

portalStoreContract("memory", () => Promise.resolve(createMemoryPortalStores()));

describe("portal stores on Azure Tables (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  portalStoreContract("Azure Tables", () => createPortalTableStores({ connectionString: azurite.connectionString, tablePrefix: freshPrefix() }));

  it("keeps names and notes out of partition and row keys", async () => {
    const stores = await createPortalTableStores({ connectionString: azurite.connectionString, tablePrefix: freshPrefix() });
    await stores.grants.create(aGrant({ principal: { kind: "user", id: "oid-42", displayName: "Alex Example" } }));
    await stores.contacts.add(aContact("entry-1", { note: "Alex Example phoned politely" }));
    for (const table of Object.values(stores.tableNames)) {
      const client = TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
      for await (const row of client.listEntities()) {
        const keys = `${row.partitionKey ?? ""} ${row.rowKey ?? ""}`.toLowerCase();
        assert.ok(!keys.includes("alex") && !keys.includes("example"), `${table} key "${keys}"`);
      }
    }
  });

  it("a note recorded through the portal is in the lifecycle contacts collection (one store for reviews and purges)", async () => {
    const prefix = freshPrefix();
    const portal = await createPortalTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix });
    const lifecycle = await createLifecycleTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix });
    const note = await portal.contacts.add(aContact("entry-shared"));
    assert.deepEqual((await lifecycle.contacts.find({ entryId: "entry-shared" })).map((c) => c.id), [note.id]);
  });

  it("creating the stores twice over the same tables is fine", async () => {
    const prefix = freshPrefix();
    await createPortalTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix });
    const again = await createPortalTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix });
    assert.deepEqual(await again.grants.list(), []);
  });
});
