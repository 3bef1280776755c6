// The store and blob contracts against Azure Table and Blob Storage, on Azurite started for this file.
// Plus what only a networked store can get wrong: failing fast when storage is down, and keeping personal
// identifiers out of partition and row keys.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer, type Socket } from "node:net";
import { TableClient } from "@azure/data-tables";
import { createAzureBlobStore } from "../../bot/src/adapters/blobs";
import { createTableStores, type TableStores } from "../../bot/src/adapters/tables";
import { StoreUnavailableError } from "../../bot/src/ports/errors";
import type { Stores } from "../../bot/src/ports/stores";
import { azuriteConnectionString, startAzurite, type RunningAzurite } from "../../scripts/support/azurite";
import { freshPrefix, fullEntry, fullSubject } from "../support/storeFixtures";
import { blobContract } from "./blobContract";
import { storeContract } from "./storeContract";

const HASH_KEY = "contract-test-identifier-hash-key";

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A local server that answers every request with `status`, or (status 0) accepts and never answers. */
async function misbehavingServer(status: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createHttpServer((_req, res) => {
    if (status === 0) return; // hold the request open: a hung store
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ "odata.error": { code: "ServerBusy", message: { value: "busy" } } }));
  });
  server.on("connection", (socket) => { sockets.add(socket); socket.on("close", () => sockets.delete(socket)); });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

describe("Azure Table and Blob stores (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  const prefixes = new WeakMap<Stores, string>();

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  const open = async (tablePrefix: string): Promise<TableStores> => {
    const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix, identifierHashKey: HASH_KEY });
    prefixes.set(stores, tablePrefix);
    return stores;
  };

  storeContract("Azure Tables", {
    fresh: () => open(freshPrefix()),
    sibling: (stores) => open(prefixes.get(stores)!),
  });

  blobContract("Azure Blob Storage", {
    fresh: () => createAzureBlobStore({ connectionString: azurite.connectionString, containerName: `c-${randomUUID().slice(0, 18)}` }),
  });

  describe("table-only guarantees", () => {
    it("creating the stores twice over the same tables is fine (tables exist: 409 is not an error)", async () => {
      const prefix = freshPrefix();
      await open(prefix);
      const again = await open(prefix);
      assert.equal(await again.subjects.get(randomUUID()), undefined);
    });

    it("no email, phone or name appears in any partition or row key", async () => {
      const stores = await open(freshPrefix());
      const subject = await stores.subjects.create(fullSubject());
      await stores.register.create(fullEntry(subject.id));
      await stores.register.markChanged(subject.id, new Date().toISOString());
      const forbidden = ["alex", "example", "zoe", "smith", "7700", "900123", "@"];
      for (const table of Object.values(stores.tableNames)) {
        const client = TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
        for await (const row of client.listEntities()) {
          const keys = `${row.partitionKey ?? ""} ${row.rowKey ?? ""}`.toLowerCase();
          for (const word of forbidden) assert.ok(!keys.includes(word), `${table} key "${keys}" contains "${word}"`);
        }
      }
    });

    it("after the identifier hash key is rotated, reindex() makes every subject findable again and updates drop the old rows", async () => {
      const prefix = freshPrefix();
      const before = await open(prefix);
      const subject = await before.subjects.create(fullSubject());
      const after = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: "a-new-identifier-hash-key-after-rotation" });
      assert.deepEqual(await after.subjects.findIdsByIdentifier("email", "alex.example@example.org"), [], "old rows are useless under the new key");
      assert.equal(await after.subjects.reindex(), 1);
      assert.equal(await after.subjects.reindex(), 0, "nothing left to do");
      assert.deepEqual(await after.subjects.findIdsByIdentifier("email", "alex.example@example.org"), [subject.id]);

      const current = (await after.subjects.get(subject.id))!;
      await after.subjects.update({ ...current, emails: ["only.one@example.org"] });
      const client = TableClient.fromConnectionString(azurite.connectionString, after.tableNames.subjects, { allowInsecureConnection: true });
      let identifierRows = 0;
      for await (const row of client.listEntities()) if (row.rowKey?.startsWith("k|")) identifierRows += 1;
      // 1 email + 2 phones + name tokens alex, example, zoe, exampleton, a, smith.
      assert.equal(identifierRows, 9, "no rows left over from the old key or the old email");
    });

    it("an unreachable table store fails fast with StoreUnavailableError (bounded retries)", async () => {
      const port = await closedPort();
      const connectionString = azuriteConnectionString(port, port);
      let started = Date.now();
      await assert.rejects(
        createTableStores({ connectionString, tablePrefix: freshPrefix(), identifierHashKey: HASH_KEY }),
        (err: unknown) => err instanceof StoreUnavailableError && err.cause !== undefined && err.code === "STORE_UNAVAILABLE",
      );
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);

      const stores = await createTableStores({ connectionString, tablePrefix: freshPrefix(), identifierHashKey: HASH_KEY, createTables: false });
      started = Date.now();
      await assert.rejects(stores.subjects.get(randomUUID()), StoreUnavailableError);
      await assert.rejects(stores.register.changesSince(undefined), StoreUnavailableError);
      await assert.rejects(stores.references.next("CAL"), StoreUnavailableError);
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    });

    it("a store that answers 503 every time fails with StoreUnavailableError after bounded retries", async () => {
      const server = await misbehavingServer(503);
      try {
        const stores = await createTableStores({
          connectionString: azuriteConnectionString(server.port, server.port), tablePrefix: freshPrefix(), identifierHashKey: HASH_KEY,
          createTables: false, retry: { maxRetries: 2, retryDelayInMs: 50, maxRetryDelayInMs: 100 },
        });
        const started = Date.now();
        await assert.rejects(stores.register.get(randomUUID()), (err: unknown) => err instanceof StoreUnavailableError && (err.cause as { statusCode?: number }).statusCode === 503);
        assert.ok(Date.now() - started < 5000);
      } finally {
        await server.close();
      }
    });

    it("a store that accepts the connection and never answers times out as StoreUnavailableError", async () => {
      const server = await misbehavingServer(0);
      try {
        const stores = await createTableStores({
          connectionString: azuriteConnectionString(server.port, server.port), tablePrefix: freshPrefix(), identifierHashKey: HASH_KEY,
          createTables: false, retry: { maxRetries: 1, retryDelayInMs: 50, requestTimeoutMs: 300 },
        });
        const started = Date.now();
        await assert.rejects(stores.cases.get(randomUUID()), StoreUnavailableError);
        assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      } finally {
        await server.close();
      }
    });

    it("an unreachable blob store fails fast with StoreUnavailableError", async () => {
      const port = await closedPort();
      const started = Date.now();
      await assert.rejects(
        createAzureBlobStore({ connectionString: azuriteConnectionString(port, port), containerName: "evidence", retry: { maxTries: 3, retryDelayInMs: 100 } }),
        StoreUnavailableError,
      );
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    });

    it("a missing table is a surprise, not 'not found'", async () => {
      const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: freshPrefix(), identifierHashKey: HASH_KEY, createTables: false });
      await assert.rejects(stores.subjects.get(randomUUID()), (err: unknown) => !(err instanceof StoreUnavailableError) && (err as { statusCode?: number }).statusCode === 404);
    });

    it("refuses a short identifier hash key and a bad table prefix", async () => {
      await assert.rejects(createTableStores({ connectionString: azurite.connectionString, identifierHashKey: "short" }), TypeError);
      await assert.rejects(createTableStores({ connectionString: azurite.connectionString, identifierHashKey: HASH_KEY, tablePrefix: "bad-prefix" }), TypeError);
    });
  });
});
