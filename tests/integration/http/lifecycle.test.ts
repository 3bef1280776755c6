// The lifecycle API over HTTP (startTestApp: the real server on 127.0.0.1, memory stores, test tokens): who may
// call what, idempotent creates, letters refused with what is missing and downloaded as .docx, reviews and
// appeals end to end, the scheduler's status and a run, the retention dry run and purge, marker subscriptions,
// reports as JSON, CSV and .docx, and entries hidden from a caller's tier answered as if they did not exist.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { bindPolicy } from "../../../bot/src/policyBinding";
import { MemoryChannelNotifier } from "../../../bot/src/adapters/memory/lifecycle";
import { httpWebhookSender } from "../../../bot/src/adapters/webhooks/http";
import { getPreset } from "../../../core/src/policy/presets";
import type { PolicyProfile } from "../../../core/src/policy/schema";
import type { Caller, RegisterEntry, Role, Subject } from "../../../core/src/domain";
import { startTestApp, type TestApp } from "../../support/testApp";
import { aDecision, aSubject, anIncident, docxText, type LifecycleHarness } from "../../support/lifecycle";

const IDS: Partial<Record<Role, string>> = {
  officer: "00000000-0000-4000-8000-00000000a001",
  manager: "00000000-0000-4000-8000-00000000a002",
  "panel-member": "00000000-0000-4000-8000-00000000a003",
  chair: "00000000-0000-4000-8000-00000000a004",
  "register-admin": "00000000-0000-4000-8000-00000000a005",
  "appeal-officer": "00000000-0000-4000-8000-00000000a008",
  auditor: "00000000-0000-4000-8000-00000000a009",
};

async function world(profile: PolicyProfile): Promise<{ t: TestApp; channel: MemoryChannelNotifier; subject: Subject; entry: RegisterEntry; as(role: Role, oid?: string): Promise<string> }> {
  const channel = new MemoryChannelNotifier();
  const t = await startTestApp({ policy: bindPolicy(profile), lifecycle: { channel, webhooks: httpWebhookSender, allowInsecureWebhooks: true } });
  const subject = await aSubject(t.stores);
  const incident = await anIncident(t.stores, subject.id, { category: "verbal-abuse", occurredAt: "2026-11-20T10:00:00.000Z" });
  const h = { stores: t.stores, profile } as unknown as LifecycleHarness;
  const manager: Caller = { id: IDS.manager!, tenantId: "t", displayName: "Max Manager", roles: ["manager"], serviceAreas: [] };
  const panel: Caller = { id: IDS["panel-member"]!, tenantId: "t", displayName: "Pam Panel", roles: ["panel-member"], serviceAreas: [] };
  const restrictions = [{ id: "r-1", kind: "single-channel" as const, params: { channel: "email" }, serviceAreas: [], startsOn: "2026-11-23", staffInstruction: "Deal with them only by email." }];
  const { entry } = await aDecision(h, { subjectId: subject.id, incidents: [incident], outcome: "add-medium", decidedAt: "2026-11-23T09:00:00.000Z", restrictions, voters: [panel], presenter: manager });
  await t.app.services.lookup.subjectChanged(subject.id);
  const as = (role: Role, oid?: string) => t.issuer.token({ oid: oid ?? IDS[role] ?? randomUUID(), name: `Test ${role}`, roles: [role] });
  return { t, channel, subject, entry, as };
}

function key(): Record<string, string> {
  return { "idempotency-key": randomUUID(), "x-calm-surface": "tab" };
}

describe("lifecycle API (Dorset)", function () {
  this.timeout(30_000);
  let w: Awaited<ReturnType<typeof world>>;
  before(async () => {
    w = await world(getPreset("dorset")!);
  });
  after(() => w.t.stop());

  it("lets in exactly the roles the permission table names", async () => {
    assert.equal((await w.t.call("/api/lifecycle/reviews", { token: await w.as("officer") })).status, 403);
    assert.equal((await w.t.call("/api/lifecycle/reviews", { token: await w.as("manager") })).status, 200);
    assert.equal((await w.t.call("/api/lifecycle/reviews", { token: null })).status, 401);
    assert.equal((await w.t.call("/api/lifecycle/scheduler", { token: await w.as("auditor") })).status, 200);
    assert.equal((await w.t.call("/api/lifecycle/scheduler/run", { method: "POST", token: await w.as("auditor") })).status, 403);
  });

  it("records a warning once per Idempotency-Key, and asks for one", async () => {
    const token = await w.as("officer");
    const path = `/api/lifecycle/subjects/${w.subject.id}/warnings`;
    const body = { step: "formal-written", category: "verbal-abuse", note: "Warned on the phone that abuse is not acceptable." };
    const missing = await w.t.call(path, { token, body });
    assert.equal(missing.json.code, "IDEMPOTENCY_KEY_REQUIRED");
    const headers = key();
    const first = await w.t.call(path, { token, body, headers });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal(first.json.duplicate, false);
    const again = await w.t.call(path, { token, body, headers });
    assert.equal(again.status, 201);
    assert.equal(again.json.duplicate, true);
    const ladder = await w.t.call(`${path.replace("/warnings", "/ladder")}?category=verbal-abuse`, { token });
    assert.equal((ladder.json.warnings as unknown[]).length, 1, "one warning, not two");
    assert.equal((ladder.json.suggestion as { kind: string }).kind, "no-ladder", "Dorset 4.8: no ladder");
  });

  it("produces a letter, refuses one missing a part the policy requires, and serves the .docx", async () => {
    const token = await w.as("manager");
    // A divert notice needs the divert in place (Dorset 4.11-4.12): the entry has none.
    const refused = await w.t.call("/api/lifecycle/letters", { token, body: { type: "divert-notice", entryId: w.entry.id }, headers: key() });
    assert.equal(refused.status, 422);
    assert.equal(refused.json.code, "LETTER_INCOMPLETE");
    assert.deepEqual((refused.json.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]), [["texts.divert-in-place", "PART_MISSING"]]);

    const made = await w.t.call("/api/lifecycle/letters", { token, body: { type: "restriction", entryId: w.entry.id }, headers: key() });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const letter = made.json.letter as { id: string; reference: string; equalityQuestionnaireAttached: boolean };
    assert.equal(letter.equalityQuestionnaireAttached, true);
    const res = await fetch(`${w.t.url}/api/lifecycle/letters/${letter.id}/document`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="${letter.reference}-restriction.docx"`);
    const text = docxText(Buffer.from(await res.arrayBuffer()));
    assert.match(text, /Dear Alex Example/);
    assert.match(text, /Unreasonable Behaviours schedule/);
    const list = await w.t.call(`/api/lifecycle/letters?entryId=${w.entry.id}`, { token });
    assert.equal((list.json.letters as unknown[]).length, 1);
    assert.ok((list.json.types as { type: string }[]).some((x) => x.type === "legal-cease-and-desist"));
    const audit = await w.t.stores.audit.listBySubject(w.subject.id);
    assert.ok(audit.some((e) => e.action === "letter" && e.surface === "tab"));
    assert.ok(audit.some((e) => e.action === "export" && e.what.includes(letter.reference)));
  });

  it("receives an appeal in the window, refuses a decider who is not an appeal officer, and decides it", async () => {
    const admin = await w.as("register-admin");
    const received = await w.t.call(`/api/lifecycle/entries/${w.entry.id}/appeals`, { token: admin, body: { receivedOn: "2026-11-23", grounds: "The decision was unreasonable." }, headers: key() });
    assert.equal(received.status, 201, JSON.stringify(received.json));
    const appeal = received.json.appeal as { id: string; windowEndsOn: string; inTime: boolean };
    assert.equal(appeal.inTime, true);
    const list = await w.t.call("/api/lifecycle/appeals?status=received", { token: admin });
    assert.equal((list.json.appeals as unknown[]).length, 1);
    assert.equal((list.json.policy as { window: string }).window, "28 working days");
    const byChair = await w.t.call(`/api/lifecycle/appeals/${appeal.id}/decision`, { token: await w.as("chair"), body: { outcome: "upheld", reasons: "Stands." } });
    assert.equal(byChair.status, 403);
    assert.equal(byChair.json.code, "FORBIDDEN");
    const decided = await w.t.call(`/api/lifecycle/appeals/${appeal.id}/decision`, { token: await w.as("appeal-officer"), body: { outcome: "upheld", reasons: "The restrictions are in proportion." } });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    assert.equal((decided.json.appeal as { outcome: string }).outcome, "upheld");
  });

  it("runs the scheduler on request and shows its status, next run and purge state", async () => {
    const admin = await w.as("register-admin");
    const run = await w.t.call("/api/lifecycle/scheduler/run", { method: "POST", token: admin });
    assert.equal(run.status, 200);
    assert.ok(Array.isArray(run.json.results));
    const status = await w.t.call("/api/lifecycle/scheduler", { token: admin });
    const last = status.json.lastRun as { finishedAt: string; nextRunAt: string };
    assert.ok(last.finishedAt && last.nextRunAt);
    const purge = status.json.purge as { rule: string; dueNow: number };
    assert.match(purge.rule, /sets no retention period/);
    assert.equal(purge.dueNow, 0);
    assert.equal(status.json.nextRunAt, null, "the test app does not start the scheduler's timer");
  });

  it("reviews: starts one, shows its evidence, records the outcome; removal is not told (Dorset 5.1)", async () => {
    const chair = await w.as("chair");
    const started = await w.t.call(`/api/lifecycle/entries/${w.entry.id}/review`, { method: "POST", token: chair });
    assert.equal(started.status, 201, JSON.stringify(started.json));
    const review = started.json.review as { id: string };
    const list = await w.t.call("/api/lifecycle/reviews", { token: chair });
    assert.ok((list.json.items as { reviewId?: string; state: string }[]).some((i) => i.reviewId === review.id && i.state === "due"));
    const evidence = await w.t.call(`/api/lifecycle/reviews/${review.id}`, { token: chair });
    assert.equal((evidence.json.suggestion as { outcome: string }).outcome, "remove");
    assert.equal(evidence.json.approverName, "the Unreasonable Behaviours Panel");
    const decided = await w.t.call(`/api/lifecycle/reviews/${review.id}/decision`, { token: chair, body: { outcome: "remove", approvedOn: "2026-11-23", reasons: "No repeat behaviour." } });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    const letter = await w.t.call("/api/lifecycle/letters", { token: await w.as("manager"), body: { type: "review-outcome", entryId: w.entry.id }, headers: key() });
    assert.equal(letter.status, 409);
    assert.equal(letter.json.code, "CUSTOMER_NOT_TOLD");
  });

  it("retention: the dry run lists the removed entry; purging needs a reason and leaves nothing", async () => {
    const auditor = await w.as("auditor");
    const plan = await w.t.call("/api/lifecycle/retention", { token: auditor });
    assert.deepEqual((plan.json.waiting as { entryId: string; purgeAfter: null }[]).map((x) => [x.entryId, x.purgeAfter]), [[w.entry.id, null]]);
    const one = await w.t.call(`/api/lifecycle/retention/${w.entry.id}`, { token: auditor });
    assert.equal((one.json.counts as { letters: number }).letters, 1);
    const noReason = await w.t.call(`/api/lifecycle/retention/${w.entry.id}/purge`, { token: auditor, body: { reason: "" } });
    assert.equal(noReason.status, 400);
    const purged = await w.t.call(`/api/lifecycle/retention/${w.entry.id}/purge`, { token: auditor, body: { reason: "Erasure request, approved by the DPO." } });
    assert.equal(purged.status, 200, JSON.stringify(purged.json));
    assert.equal(await w.t.stores.subjects.get(w.subject.id), undefined);
    const lookup = await w.t.call("/api/lookup", { token: await w.as("manager"), body: { query: "alex.example@example.org" } });
    assert.deepEqual(lookup.json.matches, [], "gone from lookups");
  });

  it("reports: JSON, CSV and .docx, counts only", async () => {
    const token = await w.as("register-admin");
    const json = await w.t.call("/api/lifecycle/reports/quarterly?from=2026-10-01", { token });
    assert.equal(json.status, 200);
    assert.equal(json.json.to, "2026-12-31");
    const csv = await fetch(`${w.t.url}/api/lifecycle/reports/quarterly?from=2026-10-01&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type") ?? "", /text\/csv/);
    const csvText = await csv.text();
    assert.match(csvText, /^section,item,count\r\n/);
    assert.ok(!csvText.includes("Alex"));
    const docx = await fetch(`${w.t.url}/api/lifecycle/reports/quarterly?from=2026-10-01&format=docx`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(docx.status, 200);
    const text = docxText(Buffer.from(await docx.arrayBuffer()));
    assert.match(text, /Dorset Council: unreasonable customer behaviour report/);
    assert.match(text, /1 October 2026 to 31 December 2026/);
    const bad = await w.t.call("/api/lifecycle/reports/quarterly?format=pdf", { token });
    assert.equal(bad.json.code, "FORMAT_UNKNOWN");
  });
});

describe("lifecycle API: entries hidden by the policy's tiers (Dorset 7.1)", function () {
  this.timeout(30_000);
  it("an officer cannot log a breach against a low-risk entry: it answers as if there were none", async () => {
    const w = await world(getPreset("dorset")!);
    try {
      const low = await w.t.stores.register.update({ ...(await w.t.stores.register.get(w.entry.id))!, riskLevel: "low" });
      const body = { restrictionId: "r-1", note: "Phoned instead of emailing." };
      const hidden = await w.t.call(`/api/lifecycle/entries/${low.id}/breaches`, { token: await w.as("officer"), body, headers: key() });
      assert.equal(hidden.status, 404);
      await w.t.stores.register.update({ ...(await w.t.stores.register.get(w.entry.id))!, riskLevel: "medium" });
      const seen = await w.t.call(`/api/lifecycle/entries/${low.id}/breaches`, { token: await w.as("officer"), body, headers: key() });
      assert.equal(seen.status, 201, JSON.stringify(seen.json));
    } finally {
      await w.t.stop();
    }
  });
});

describe("lifecycle API: marker subscriptions (East Suffolk 3.1)", function () {
  this.timeout(30_000);
  let receiver: Server;
  const received: { body: string; signature: string }[] = [];
  before(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["x-calm-signature"]) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it("subscribes a webhook (secret shown once), notifies it of a removal, and logs the delivery", async () => {
    const w = await world(getPreset("east-suffolk")!);
    try {
      const admin = await w.as("register-admin");
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/calm`;
      const made = await w.t.call("/api/lifecycle/subscriptions", { token: admin, body: { serviceArea: "Council Tax", events: ["added", "removed"], target: { kind: "webhook", url } }, headers: key() });
      assert.equal(made.status, 201, JSON.stringify(made.json));
      assert.equal(typeof made.json.secret, "string");
      const list = await w.t.call("/api/lifecycle/subscriptions", { token: admin });
      assert.equal(JSON.stringify(list.json).includes(String(made.json.secret)), false, "the secret is not shown again");
      // Removed at review (approved by the Health and Safety Committee, East Suffolk 4.7).
      const review = (await w.t.call(`/api/lifecycle/entries/${w.entry.id}/review`, { method: "POST", token: admin })).json.review as { id: string };
      const decided = await w.t.call(`/api/lifecycle/reviews/${review.id}/decision`, { token: admin, body: { outcome: "remove", approvedOn: "2026-11-23", approvalReference: "H&S Committee minute 7", reasons: "No further incidents." } });
      assert.equal(decided.status, 200, JSON.stringify(decided.json));
      await w.t.call("/api/lifecycle/scheduler/run", { method: "POST", token: admin });
      assert.equal(received.length, 1);
      assert.equal(received[0]!.body, JSON.stringify({ reference: w.entry.reference, action: "removed" }));
      assert.match(received[0]!.signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      const log = await w.t.call("/api/lifecycle/deliveries", { token: admin });
      assert.deepEqual((log.json.deliveries as { status: string; action: string }[]).map((d) => [d.action, d.status]), [["removed", "delivered"]]);
      const insecure = await w.t.call("/api/lifecycle/subscriptions", { token: admin, body: { serviceArea: "Planning", events: ["added"], target: { kind: "webhook", url: "http://marker.example.org/hook" } }, headers: key() });
      assert.equal(insecure.json.code, "WEBHOOK_URL_INSECURE");
    } finally {
      await w.t.stop();
    }
  });
});
