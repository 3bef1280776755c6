// The Graph adapter (SDK middleware chain + scheduler + response checks) against the simulator, and the
// simulator's own Graph behaviour: limits, $batch, validation handshake. Only the base URL differs from
// production.
import assert from "node:assert/strict";
import { GraphError } from "../../../bot/src/ports/graph";
import type { GraphSimulator } from "../../support/graphSimulator/server";
import { graphFor, seedTenant, startSim } from "../../support/graphSimulator/harness";

const RULE = {
  displayName: "CALM divert CAL-0001",
  sequence: 1,
  isEnabled: true,
  conditions: { fromAddresses: [{ emailAddress: { address: "alex.example@example.com" } }] },
  actions: { redirectTo: [{ emailAddress: { address: "housing.spoc@example.org" } }], stopProcessingRules: true },
};

async function raw(sim: GraphSimulator, method: string, path: string, body?: unknown, token = "t"): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(`${sim.baseUrl}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe("Graph adapter against the simulator", () => {
  let sim: GraphSimulator;
  before(async () => {
    sim = await startSim();
    seedTenant(sim, 30);
  });
  after(async () => {
    await sim.stop();
  });
  afterEach(() => {
    sim.clearFaults();
    sim.setStorm(undefined);
  });

  it("creates, lists, updates and deletes inbox rules (ids with '=' survive the URL)", async () => {
    const graph = graphFor(sim);
    const folder = await graph.createMailFolder("officer0001@example.org", "Diverted to single point of contact");
    const created = await graph.createMessageRule("officer0001@example.org", { ...RULE, actions: { ...RULE.actions, moveToFolder: folder.id } });
    assert.match(created.id, /=$/);
    assert.equal(created.actions.moveToFolder, folder.id);
    const listed = await graph.listMessageRules("officer0001@example.org");
    assert.deepEqual(listed.map((r) => r.id), [created.id]);
    assert.equal(listed[0]!.conditions.fromAddresses?.[0]?.emailAddress.address, "alex.example@example.com");
    const updated = await graph.updateMessageRule("officer0001@example.org", created.id, { isEnabled: false });
    assert.equal(updated.isEnabled, false);
    assert.deepEqual(await graph.deleteMessageRule("officer0001@example.org", created.id), { deleted: true });
    assert.deepEqual(await graph.deleteMessageRule("officer0001@example.org", created.id), { deleted: false }, "deleting twice is fine");
    graph.close();
  });

  it("finds a folder by name, and says GRAPH_CONFLICT when creating one that exists", async () => {
    const graph = graphFor(sim);
    const folder = await graph.createMailFolder("officer0002@example.org", "Team's \"odd\" name & more");
    assert.equal((await graph.findMailFolder("officer0002@example.org", "Team's \"odd\" name & more"))?.id, folder.id);
    assert.equal(await graph.findMailFolder("officer0002@example.org", "Nope"), undefined);
    await assert.rejects(graph.createMailFolder("officer0002@example.org", "team's \"odd\" name & more"), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_CONFLICT");
    graph.close();
  });

  it("resolves users and pages through a group's members", async () => {
    const big = await startSim();
    for (let i = 0; i < 1100; i++) big.tenant.addUser({ mail: `p${i}@example.org` });
    big.tenant.addGroup({ mail: "everyone@example.org", members: big.tenant.listUsers().map((u) => u.id) });
    const graph = graphFor(big);
    const members = await graph.listGroupMembers("everyone@example.org");
    assert.equal(members.length, 1100);
    assert.equal(new Set(members.map((m) => m.mail)).size, 1100);
    assert.equal((await graph.getUser("p7@example.org"))?.mail, "p7@example.org");
    assert.equal(await graph.getUser("nobody@example.org"), undefined);
    await assert.rejects(graph.listGroupMembers("no-such-group@example.org"), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_NOT_FOUND");
    graph.close();
    await big.stop();
  });

  it("reads and categorises a message, and an If-Match with an old etag fails with GRAPH_PRECONDITION_FAILED", async () => {
    const graph = graphFor(sim);
    const { messageId } = await sim.deliverMessage("officer0003@example.org", { from: "alex.example@example.com" });
    const msg = await graph.getMessage("officer0003@example.org", messageId);
    assert.equal(msg?.from, "alex.example@example.com");
    await graph.setMessageCategories("officer0003@example.org", messageId, ["Customer Alert List"], msg.etag);
    await assert.rejects(graph.setMessageCategories("officer0003@example.org", messageId, ["x"], msg.etag), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_PRECONDITION_FAILED");
    assert.deepEqual(sim.messages("officer0003@example.org")[0]!.categories, ["Customer Alert List"]);
    assert.equal(await graph.getMessage("officer0003@example.org", "AAMkNOPE="), undefined);
    graph.close();
  });

  it("turns a wrong token into GRAPH_UNAUTHORIZED and a missing mailbox into GRAPH_NOT_FOUND", async () => {
    const strict = await startSim({ expectedToken: "right" });
    seedTenant(strict, 1);
    const wrong = graphFor(strict, { getToken: () => Promise.resolve("wrong") });
    await assert.rejects(wrong.listMessageRules("officer0001@example.org"), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_UNAUTHORIZED" && !e.retryable);
    const right = graphFor(strict, { getToken: () => Promise.resolve("right") });
    assert.deepEqual(await right.listMessageRules("officer0001@example.org"), []);
    await assert.rejects(right.listMessageRules("no.mailbox@example.org"), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_NOT_FOUND" && e.graphCode === "MailboxNotEnabledForRESTAPI");
    wrong.close();
    right.close();
    await strict.stop();
  });

  it("survives malformed answers: unreadable JSON is retried, a wrong shape is GRAPH_MALFORMED_RESPONSE, never a crash", async () => {
    const graph = graphFor(sim);
    sim.addFault({ kind: "malformed", match: { path: "/messageRules" }, times: 2 });
    assert.deepEqual(await graph.listMessageRules("officer0004@example.org"), []);
    sim.addFault({ kind: "malformed", match: { path: "/messageRules" }, body: JSON.stringify({ value: "not a list" }) });
    await assert.rejects(graph.listMessageRules("officer0004@example.org"), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_MALFORMED_RESPONSE");
    sim.addFault({ kind: "malformed", match: { path: "/messageRules" }, body: JSON.stringify({ value: [{ id: 7, displayName: null }] }) });
    await assert.rejects(graph.listMessageRules("officer0004@example.org"), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_MALFORMED_RESPONSE");
    sim.addFault({ kind: "malformed", match: { path: "/$batch" }, body: "<html>gateway</html>" });
    const results = await Promise.all(["officer0005@example.org", "officer0006@example.org"].map((m) => graph.listMessageRules(m)));
    assert.deepEqual(results, [[], []], "a garbled $batch answer is retried for reads");
    graph.close();
  });

  it("retries dropped connections for reads; a dropped create is reported as outcome unknown, not re-sent", async () => {
    const graph = graphFor(sim);
    sim.addFault({ kind: "drop", match: { path: "/messageRules", method: "GET" }, times: 2 });
    assert.deepEqual(await graph.listMessageRules("officer0007@example.org"), []);
    sim.addFault({ kind: "drop", match: { path: "/messageRules", method: "POST" }, when: "after" });
    await assert.rejects(graph.createMessageRule("officer0007@example.org", RULE), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_OUTCOME_UNKNOWN");
    assert.equal(sim.rules("officer0007@example.org").length, 1, "the rule was made before the connection dropped");
    graph.close();
  });

  it("batches at most 20 and keeps within four concurrent requests per mailbox", async () => {
    const graph = graphFor(sim);
    sim.resetStats();
    await Promise.all(Array.from({ length: 60 }, () => graph.listMessageRules("officer0008@example.org")));
    await Promise.all(Array.from({ length: 25 }, (_, i) => graph.listMessageRules(`officer${String(i + 1).padStart(4, "0")}@example.org`)));
    const stats = sim.stats();
    assert.ok(stats.maxBatchSize <= 20 && stats.maxBatchSize > 1);
    assert.ok(stats.maxMailboxConcurrencyAttempted <= 4, "CALM never tries a fifth request for a mailbox");
    assert.equal(stats.throttled, 0, "CALM never earns a concurrency 429");
    graph.close();
  });
});

describe("Graph simulator: Outlook limits, $batch and subscriptions", () => {
  let sim: GraphSimulator;
  before(async () => {
    sim = await startSim({ latencyMs: { min: 30, max: 30 }, mailboxRate: { limit: 10, windowMs: 60_000 } });
    seedTenant(sim, 3);
  });
  after(async () => {
    await sim.stop();
  });

  it("answers the fifth concurrent request to a mailbox with 429 and Retry-After", async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, () => raw(sim, "GET", "/users/officer0001@example.org/mailFolders/inbox/messageRules")));
    const throttled = replies.filter((r) => r.status === 429);
    assert.equal(throttled.length, 2);
    assert.equal(sim.stats().maxMailboxConcurrencyAttempted, 5, "a fifth arrived while four were in flight");
    assert.equal(throttled[0]!.headers.get("retry-after"), "0.02");
  });

  it("throttles a mailbox over its request budget for the window", async () => {
    let last = 0;
    for (let i = 0; i < 20 && last !== 429; i++) last = (await raw(sim, "GET", "/users/officer0002@example.org/mailFolders")).status;
    assert.equal(last, 429);
  });

  it("runs $batch with dependsOn (424 after a failed dependency) and refuses more than 20", async () => {
    const batch = await raw(sim, "POST", "/$batch", {
      requests: [
        { id: "1", method: "POST", url: "/users/officer0003@example.org/mailFolders", body: { displayName: "A" }, headers: { "content-type": "application/json" } },
        { id: "2", method: "POST", url: "/users/officer0003@example.org/mailFolders", body: { displayName: "A" }, headers: { "content-type": "application/json" }, dependsOn: ["1"] },
        { id: "3", method: "GET", url: "/users/officer0003@example.org/mailFolders", dependsOn: ["2"] },
      ],
    });
    const byId = new Map((batch.json as { responses: { id: string; status: number }[] }).responses.map((r) => [r.id, r.status]));
    assert.deepEqual([byId.get("1"), byId.get("2"), byId.get("3")], [201, 409, 424]);
    const tooBig = await raw(sim, "POST", "/$batch", { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/users/officer0003@example.org" })) });
    assert.equal(tooBig.status, 400);
  });

  it("refuses a subscription whose notification URL does not echo the validation token", async () => {
    const r = await raw(sim, "POST", "/subscriptions", {
      changeType: "created",
      notificationUrl: "http://127.0.0.1:9/nothing-here",
      resource: "users/officer0001@example.org/mailFolders('Inbox')/messages",
      expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
      clientState: "x",
    });
    assert.equal(r.status, 400);
    const tooLong = await raw(sim, "POST", "/subscriptions", {
      changeType: "created",
      notificationUrl: "http://127.0.0.1:9/x",
      resource: "users/officer0001@example.org/mailFolders('Inbox')/messages",
      expirationDateTime: new Date(Date.now() + 10_081 * 60_000).toISOString(),
    });
    assert.equal(tooLong.status, 400, "Outlook message subscriptions last at most 10,080 minutes");
  });

  it("runs inbox rules on delivery: a redirect keeps the sender and the original moves to the folder", async () => {
    const mb = sim.tenant.mailbox("officer0003@example.org");
    const folder = sim.tenant.createFolder(mb, "Diverted");
    sim.tenant.createRule(mb, { ...RULE, actions: { ...RULE.actions, moveToFolder: folder.id } });
    const d = await sim.deliverMessage("officer0003@example.org", { from: "alex.example@example.com" });
    assert.equal(d.folder, "Diverted");
    assert.deepEqual(d.copies.map((c) => c.mailbox), ["housing.spoc@example.org"]);
    assert.equal(sim.messages("housing.spoc@example.org")[0]!.from, "alex.example@example.com");
  });
});
