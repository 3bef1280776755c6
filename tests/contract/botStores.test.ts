// The bot store contract on memory and on Azure Tables (Azurite started for this file), plus the table-only
// guarantee that no name reaches a key.
import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { createMemoryBotStores } from "../../bot/src/adapters/memory/bot";
import { createMemoryStores } from "../../bot/src/adapters/memory";
import { createBotTableStores } from "../../bot/src/adapters/tables/bot";
import { createTableStores } from "../../bot/src/adapters/tables";
import { startAzurite, type RunningAzurite } from "../../scripts/support/azurite";
import { freshPrefix } from "../support/storeFixtures";
import { aSeat, botStoreContract } from "./botStoreContract";

botStoreContract("memory", () => Promise.resolve({ ...createMemoryBotStores(), cases: createMemoryStores().cases }));

describe("bot stores on Azure Tables (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  botStoreContract("Azure Tables", async () => {
    const tablePrefix = freshPrefix();
    const bot = await createBotTableStores({ connectionString: azurite.connectionString, tablePrefix });
    const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix, identifierHashKey: "bot-contract-identifier-key" });
    return { decisionBody: bot.decisionBody, conversations: bot.conversations, cases: stores.cases };
  });

  it("keeps names out of partition and row keys", async () => {
    const stores = await createBotTableStores({ connectionString: azurite.connectionString, tablePrefix: freshPrefix() });
    await stores.decisionBody.put(aSeat({ userId: "oid-1", displayName: "Pam Panel" }));
    await stores.conversations.put({ key: "user:oid-1", reference: { user: { name: "Pam Panel" } }, updatedAt: "2026-11-23T10:00:00.000Z" });
    for (const table of Object.values(stores.tableNames)) {
      const client = TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
      for await (const row of client.listEntities()) {
        const keys = `${row.partitionKey ?? ""} ${row.rowKey ?? ""}`.toLowerCase();
        assert.ok(!keys.includes("pam") && !keys.includes("panel"), `${table} key "${keys}"`);
      }
    }
  });
});
