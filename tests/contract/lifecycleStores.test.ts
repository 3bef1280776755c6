// The lifecycle store contract against memory and against Azure Tables on Azurite (started for this file).
import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { createMemoryLifecycleStores } from "../../bot/src/adapters/memory/lifecycle";
import { createLifecycleTableStores, type LifecycleTableStores } from "../../bot/src/adapters/tables/lifecycle";
import type { LifecycleStores } from "../../bot/src/ports/lifecycle";
import { startAzurite, type RunningAzurite } from "../../scripts/support/azurite";
import { freshPrefix } from "../support/storeFixtures";
import { lifecycleContract } from "./lifecycleContract";

lifecycleContract("memory", { fresh: () => Promise.resolve(createMemoryLifecycleStores()), sibling: (s) => Promise.resolve(s) });

describe("lifecycle stores on Azure Tables (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  const prefixes = new WeakMap<LifecycleStores, string>();

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  const open = async (tablePrefix: string): Promise<LifecycleTableStores> => {
    const stores = await createLifecycleTableStores({ connectionString: azurite.connectionString, tablePrefix });
    prefixes.set(stores, tablePrefix);
    return stores;
  };

  lifecycleContract("Azure Tables", { fresh: () => open(freshPrefix()), sibling: (s) => open(prefixes.get(s)!) });

  it("keeps each collection in its own partition of one table, keyed by id only", async () => {
    const stores = await open(freshPrefix());
    await stores.settings.create({ id: "marker-cursor", value: "x", updatedAt: "2027-01-01T00:00:00.000Z" });
    const client = TableClient.fromConnectionString(azurite.connectionString, stores.tableName, { allowInsecureConnection: true });
    const rows: string[] = [];
    for await (const row of client.listEntities()) rows.push(`${row.partitionKey}/${row.rowKey}`);
    assert.deepEqual(rows, ["settings/marker-cursor"]);
  });
});
