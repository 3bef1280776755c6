// The audit log is an append-only hash chain (issue 8 item 3): tampering with one stored event, in Azure Table
// Storage itself (Azurite), is detected, and the check names the event. Several instances appending at once
// keep one unbroken chain.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { createTableStores, type TableStores } from "../../bot/src/adapters/tables";
import { auditEventHash } from "../../bot/src/adapters/tables/auditChain";
import type { AuditEvent } from "../../core/src/domain";
import { startAzurite, type RunningAzurite } from "../../scripts/support/azurite";
import { ConfigError, loadConfig } from "../../bot/src/config";
import { deleteChainBlock, garbleChainBlock, rewriteChainedEvent } from "../support/auditRows";
import { anAuditEvent, freshPrefix } from "../support/storeFixtures";

const HASH_KEY = "audit-chain-test-identifier-key";

describe("security: the audit log is a tamper-evident hash chain (Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  async function fresh(): Promise<{ stores: TableStores; table: TableClient; prefix: string; events: AuditEvent[]; subjectId: string }> {
    const prefix = freshPrefix();
    const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY });
    const subjectId = randomUUID();
    const events: AuditEvent[] = [];
    for (let i = 0; i < 12; i++) {
      const e = anAuditEvent({ subjectId, actorId: `officer-${i % 3}`, at: new Date(Date.UTC(2026, 10, 2, 9, 0, i)).toISOString(), what: ["CAL-0042", "view:full"] });
      events.push(e);
      await stores.audit.append(e);
    }
    const table = TableClient.fromConnectionString(azurite.connectionString, stores.tableNames.audit, { allowInsecureConnection: true });
    return { stores, table, prefix, events, subjectId };
  }

  it("an untouched log verifies as intact", async () => {
    const { stores } = await fresh();
    const check = await stores.audit.verify();
    assert.equal(check.intact, true, JSON.stringify(check.problems));
    assert.equal(check.events, 12);
  });

  it("names the event whose stored content was changed (e.g. who looked someone up)", async () => {
    const { stores, table, events } = await fresh();
    await rewriteChainedEvent(table, 5, (e) => ({ ...e, actorId: "someone-else" }));
    const check = await stores.audit.verify();
    assert.equal(check.intact, false);
    const altered = check.problems.filter((p) => p.kind === "altered");
    assert.deepEqual(altered.map((p) => [p.seq, p.eventId]), [[5, events[4]!.id]]);
    assert.match(altered[0]!.message, new RegExp(`event ${events[4]!.id}.*seq 5.*changed`));
  });

  it("names the event when an attacker also rewrites its hash: the chain breaks at the next link", async () => {
    const { stores, table, events } = await fresh();
    await rewriteChainedEvent(table, 7, (e) => {
      const forged = { ...e, what: ["nothing to see"] };
      return { ...forged, hash: auditEventHash(forged) };
    });
    const check = await stores.audit.verify();
    assert.equal(check.intact, false);
    const broken = check.problems.find((p) => p.kind === "broken-link");
    assert.ok(broken, JSON.stringify(check.problems));
    assert.equal(broken.seq, 8);
    assert.equal(broken.eventId, events[7]!.id);
    assert.match(broken.message, /event 7 \(or its hash\) was changed/);
    assert.ok(check.problems.some((p) => p.kind === "index-altered" && p.eventId === events[6]!.id), "the listing copies no longer match either");
  });

  it("notices a deleted event, and events cut off the end", async () => {
    const { stores, table } = await fresh();
    // Appended one at a time, so each block holds one event.
    await deleteChainBlock(table, 3);
    await deleteChainBlock(table, 12);
    const check = await stores.audit.verify();
    const kinds = check.problems.map((p) => `${p.kind}:${String(p.seq)}`);
    assert.ok(kinds.includes("missing:3"), kinds.join(" "));
    assert.ok(kinds.includes("head-mismatch:12"), kinds.join(" "));
  });

  it("reports the events of a block whose text was garbled as missing, and checks the rest", async () => {
    const { stores, table } = await fresh();
    await garbleChainBlock(table, 4);
    const check = await stores.audit.verify();
    assert.equal(check.intact, false);
    assert.deepEqual(check.problems.filter((p) => p.kind === "missing").map((p) => p.seq), [4]);
    assert.equal(check.events, 11);
  });

  it("notices a listing copy that was edited, deleted or forged, and repairs only what the chain can restore", async () => {
    const { stores, table, events, subjectId } = await fresh();
    const copies: Record<string, unknown>[] = [];
    // The subject's copies: a row-key range in the chain's partition (docs/storage.md "Audit").
    for await (const r of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq 'c|main'` } })) {
      if (String(r.rowKey).startsWith(`s|${subjectId}|`)) copies.push(r);
    }
    const edited = copies.find((r) => r.id === events[2]!.id)!;
    await table.updateEntity({ ...strip(edited), partitionKey: edited.partitionKey as string, rowKey: edited.rowKey as string, action: "view" }, "Replace");
    const deleted = copies.find((r) => r.id === events[9]!.id)!;
    await table.deleteEntity(deleted.partitionKey as string, deleted.rowKey as string);
    const forgedId = randomUUID();
    await table.createEntity({ ...strip(edited), partitionKey: edited.partitionKey as string, rowKey: `s|${subjectId}|0000000000000001|${forgedId}`, id: forgedId, seq__j: "999" });

    const check = await stores.audit.verify();
    const byKind = (k: string) => check.problems.filter((p) => p.kind === k).map((p) => p.eventId);
    assert.deepEqual(byKind("index-altered"), [events[2]!.id]);
    assert.deepEqual(byKind("index-missing"), [events[9]!.id]);
    assert.deepEqual(byKind("not-chained"), [forgedId]);

    const repaired = await stores.audit.verify({ repair: true });
    assert.equal(repaired.repaired, 1);
    const after = await stores.audit.verify();
    assert.deepEqual(after.problems.map((p) => p.kind).sort(), ["index-altered", "not-chained"], "the deleted copy is back; forgery and edit are still reported");
  });

  it("keeps one unbroken chain when three instances append at once", async () => {
    const prefix = freshPrefix();
    const open = () => createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY });
    const instances = [await open(), await open(), await open()];
    const subjectId = randomUUID();
    const started = Date.now();
    await Promise.all(instances.flatMap((s, n) =>
      Array.from({ length: 40 }, (_, i) => s.audit.append(anAuditEvent({ subjectId, actorId: `instance-${n}`, at: new Date(Date.UTC(2026, 10, 2, 9, n, i)).toISOString() }))),
    ));
    const elapsed = Date.now() - started;
    const check = await instances[0]!.audit.verify();
    assert.equal(check.intact, true, JSON.stringify(check.problems));
    assert.equal(check.events, 120);
    const seqs = (await instances[1]!.audit.listBySubject(subjectId)).map((e) => e.seq!).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 120 }, (_, i) => i + 1));
    assert.ok(elapsed < 20_000, `120 contended appends took ${elapsed} ms`);
  });

  it("lets each instance keep its own chain, and verifies them all", async () => {
    const prefix = freshPrefix();
    const a = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY, auditChainId: "instance-a" });
    const b = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY, auditChainId: "instance-b" });
    await Promise.all([a.audit.append(anAuditEvent()), b.audit.append(anAuditEvent()), b.audit.append(anAuditEvent())]);
    const check = await a.audit.verify();
    assert.equal(check.intact, true, JSON.stringify(check.problems));
    assert.deepEqual(check.chains.map((c) => [c.chainId, c.events]).sort(), [["instance-a", 1], ["instance-b", 2]]);
  });
});

describe("security: choosing the audit chain in configuration", () => {
  it("uses one shared chain by default, one per App Service instance on request, and refuses a bad id", () => {
    assert.equal(loadConfig({}).auditChainId, "main");
    assert.equal(loadConfig({ CALM_AUDIT_CHAIN: "council-a" }).auditChainId, "council-a");
    const perInstance = loadConfig({ CALM_AUDIT_CHAIN: "per-instance", WEBSITE_INSTANCE_ID: "a".repeat(64) }).auditChainId;
    assert.equal(perInstance, `i-${"a".repeat(32)}`);
    assert.throws(() => loadConfig({ CALM_AUDIT_CHAIN: "no|pipes" }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith("CALM_AUDIT_CHAIN")));
  });
});

/** A stored row's own properties, without the SDK's extras. */
function strip(row: Record<string, unknown>): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(row)) {
    if (["partitionKey", "rowKey", "etag", "timestamp"].includes(k) || k.includes("@")) continue;
    if (typeof v === "string" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

