// The incident and case routes over real HTTP (docs/api.md): shapes, codes, idempotency, permissions.
import assert from "node:assert/strict";
import { createMemoryBotStores } from "../../../bot/src/adapters/memory/bot";
import { MemoryBlobStore } from "../../../bot/src/adapters/memory/blobs";
import { PERSONAS } from "../../../bot/src/adapters/http/devSignIn";
import { getPreset } from "../../../core/src/policy/presets";
import { demoPanel } from "../../../scripts/demo/panel";
import { simplePolicy, startTestApp, type TestApp } from "../../support/testApp";
import { aKey, aReport, NOW } from "../../support/casework";

const dorset = getPreset("dorset")!;
const P = (name: string) => PERSONAS.find((p) => p.displayName === name)!;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);

describe("HTTP: incidents and cases (issue 3)", function () {
  this.timeout(30_000);
  let t: TestApp;
  let blobs: MemoryBlobStore;
  const token = async (name: string, extraRoles: string[] = []) => {
    const p = P(name);
    return t.issuer.token({ oid: p.id, name: p.displayName, roles: [...p.roles, ...extraRoles] });
  };
  const as = async (name: string, path: string, init: { body?: unknown; method?: string; key?: string | null; extraRoles?: string[] } = {}) =>
    t.call(path, { ...init, token: await token(name, init.extraRoles), headers: init.key === null ? {} : { "idempotency-key": init.key ?? aKey() } });

  before(async () => {
    const botStores = createMemoryBotStores();
    for (const seat of demoPanel(dorset, NOW)) await botStores.decisionBody.put(seat);
    blobs = new MemoryBlobStore();
    t = await startTestApp({ policy: { ...simplePolicy, profile: dorset }, botStores, blobs, ballotSleep: async () => undefined });
    t.clock.set(NOW);
  });
  after(async () => {
    await t?.stop();
  });

  async function report(name = "Ola Officer") {
    const res = await as(name, "/api/incidents", { body: aReport() });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json.incident as { id: string; subjectId: string; reference: string };
  }

  describe("POST /api/incidents", () => {
    it("201 with the incident, a reference and what happens next; a repeat with the same key is 200 duplicate", async () => {
      const key = aKey();
      const first = await as("Ola Officer", "/api/incidents", { body: aReport(), key });
      assert.equal(first.status, 201);
      assert.match((first.json.incident as { reference: string }).reference, /^INC-\d{4}$/);
      assert.equal(first.json.duplicate, false);
      assert.ok(Array.isArray(first.json.whatHappensNext) && (first.json.whatHappensNext as string[]).length > 0);
      assert.equal((first.json.evidenceUpload as { maxBytes: number }).maxBytes, 10 * 1024 * 1024);
      const again = await as("Ola Officer", "/api/incidents", { body: aReport(), key });
      assert.equal(again.status, 200);
      assert.equal(again.json.duplicate, true);
      assert.equal((again.json.incident as { id: string }).id, (first.json.incident as { id: string }).id);
    });

    it("400 IDEMPOTENCY_KEY_REQUIRED without a key", async () => {
      const res = await as("Ola Officer", "/api/incidents", { body: aReport(), key: null });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, "IDEMPOTENCY_KEY_REQUIRED");
    });

    it("400 INCIDENT_INVALID with a code per field; 400 INVALID_BODY for wrong types", async () => {
      const res = await as("Ola Officer", "/api/incidents", { body: aReport({ occurredAt: "2030-01-01T00:00:00Z", description: "" }) });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, "INCIDENT_INVALID");
      assert.deepEqual((res.json.errors as { code: string }[]).map((e) => e.code).sort(), ["DESCRIPTION_REQUIRED", "OCCURRED_IN_FUTURE"]);
      const types = await as("Ola Officer", "/api/incidents", { body: { ...aReport(), hateIncident: "yes" } });
      assert.equal(types.status, 400);
      assert.equal(types.json.code, "INVALID_BODY");
    });

    it("403 for a role that may not report (auditor)", async () => {
      const res = await as("Audrey Auditor", "/api/incidents", { body: aReport() });
      assert.equal(res.status, 403);
    });
  });

  describe("evidence and reading", () => {
    it("uploads raw bytes with the type and file name; checks type and content; other people get 404", async () => {
      const incident = await report();
      const tok = await token("Ola Officer");
      const up = (body: Buffer, type: string, name = "door%20photo.png", auth = tok) =>
        fetch(`${t.url}/api/incidents/${incident.id}/evidence`, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": type, "x-file-name": name }, body: new Uint8Array(body) });
      const ok = await up(PNG, "image/png");
      assert.equal(ok.status, 201);
      const json = (await ok.json()) as { evidence: { fileName: string; sizeBytes: number; blobName?: string } };
      assert.equal(json.evidence.fileName, "door photo.png");
      assert.equal(json.evidence.blobName, undefined, "blob names stay on the server");
      assert.equal((await up(PNG, "image/png")).status, 200, "the same file again is a duplicate");
      const bad = await up(Buffer.from("#!/bin/sh"), "application/x-sh");
      assert.equal(bad.status, 415);
      assert.equal(((await bad.json()) as { code: string }).code, "EVIDENCE_TYPE_NOT_ALLOWED");
      const fake = await up(Buffer.from("plain text"), "application/pdf");
      assert.equal(((await fake.json()) as { code: string }).code, "EVIDENCE_CONTENT_MISMATCH");
      const other = await up(PNG, "image/png", "x.png", await t.issuer.token({ oid: "another-officer", roles: ["officer"] }));
      assert.equal(other.status, 404);
      assert.equal((await blobs.list(`evidence/${incident.id}/`)).length, 1);

      const mine = await as("Ola Officer", `/api/incidents/${incident.id}`, { method: "GET", key: null });
      assert.equal(mine.status, 200);
      assert.equal(((mine.json.incident as { evidence: unknown[] }).evidence).length, 1);
      const theirs = await t.call(`/api/incidents/${incident.id}`, { token: await t.issuer.token({ oid: "another-officer", roles: ["officer"] }) });
      assert.equal(theirs.status, 404);
    });

    it("POST /api/incidents/:id/contacts: CONTACTS_NOT_ALLOWED under Dorset (the policy is silent)", async () => {
      const incident = await report();
      const res = await as("Ola Officer", `/api/incidents/${incident.id}/contacts`, { body: { contacts: [{ at: "2026-11-20T10:00:00Z", channel: "phone", summary: "again" }] } });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, "CONTACTS_NOT_ALLOWED");
    });
  });

  describe("cases", () => {
    async function refer() {
      const incident = await report();
      const res = await as("Max Manager", "/api/cases", { body: { subjectId: incident.subjectId, incidentIds: [incident.id], recommendedOutcome: "add-medium", summary: "Repeated verbal abuse at reception; two incidents." } });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json.case as { id: string; reference: string };
    }
    const member = (name: string) => (name === "Charlie Chair" ? ["chair", "panel-member"] : ["panel-member"]);

    it("refer, vote, see the ballot as each may, close to a decision", async () => {
      const c = await refer();
      const notMember = await as("Max Manager", `/api/cases/${c.id}/votes`, { body: { choice: "add-low" }, key: null });
      assert.equal(notMember.status, 403, "the manager's role may not vote at all");
      for (const name of ["Pam Panel", "Petra Panel", "Percy Panel"]) {
        const v = await as(name, `/api/cases/${c.id}/votes`, { body: { choice: "add-medium" }, key: null, extraRoles: member(name) });
        assert.equal(v.status, 200, JSON.stringify(v.json));
      }
      const early = await as("Charlie Chair", `/api/cases/${c.id}/close`, { body: { healthConsidered: { considered: true } }, key: null, extraRoles: member("Charlie Chair") });
      assert.equal(early.status, 409);
      assert.equal(early.json.code, "QUORUM_NOT_MET");
      assert.equal((early.json.ballot as { progressText: string }).progressText, "3 of 6 voted · quorum not yet reached (4 needed)");
      const fourth = await as("Polly Panel", `/api/cases/${c.id}/votes`, { body: { choice: "add-high" }, key: null, extraRoles: member("Polly Panel") });
      assert.equal((fourth.json.ballot as { progressText: string }).progressText, "4 of 6 voted · quorum reached");
      assert.equal((fourth.json.ballot as { yourVote: string }).yourVote, "add-high");

      const seen = await as("Pam Panel", `/api/cases/${c.id}`, { method: "GET", key: null, extraRoles: member("Pam Panel") });
      assert.equal(seen.status, 200);
      assert.equal((seen.json.ballot as { yourVote: string }).yourVote, "add-medium");
      const manager = await as("Max Manager", `/api/cases/${c.id}`, { method: "GET", key: null });
      assert.equal((manager.json.ballot as { tally: unknown }).tally, null);
      const list = await as("Pam Panel", "/api/cases?status=voting", { method: "GET", key: null, extraRoles: member("Pam Panel") });
      assert.ok((list.json.cases as { case: { id: string } }[]).some((x) => x.case.id === c.id));

      const closed = await as("Charlie Chair", `/api/cases/${c.id}/close`, { body: { healthConsidered: { considered: true, note: "None known" } }, key: null, extraRoles: member("Charlie Chair") });
      assert.equal(closed.status, 200, JSON.stringify(closed.json));
      assert.equal((closed.json.decision as { outcome: string }).outcome, "add-medium");
      assert.match((closed.json.entry as { reference: string }).reference, /^CAL-\d{4}$/);
      const late = await as("Paddy Panel", `/api/cases/${c.id}/votes`, { body: { choice: "add-low" }, key: null, extraRoles: member("Paddy Panel") });
      assert.equal(late.status, 409);
      assert.equal(late.json.code, "VOTE_CLOSED");
    });

    it("conflicts: declare, the chair rules; only the chair may rule", async () => {
      const c = await refer();
      const declared = await as("Petra Panel", `/api/cases/${c.id}/conflicts`, { body: { reason: "Lives on my street" }, key: null, extraRoles: member("Petra Panel") });
      assert.equal(declared.status, 200);
      assert.equal((declared.json.conflict as { reason: string }).reason, "Lives on my street");
      const petra = P("Petra Panel").id;
      const byMember = await as("Pam Panel", `/api/cases/${c.id}/conflicts/${petra}/ruling`, { body: { excluded: true }, key: null, extraRoles: member("Pam Panel") });
      assert.equal(byMember.status, 403);
      const ruled = await as("Charlie Chair", `/api/cases/${c.id}/conflicts/${petra}/ruling`, { body: { excluded: true }, key: null, extraRoles: member("Charlie Chair") });
      assert.equal(ruled.status, 200);
      assert.equal((ruled.json.ballot as { eligible: number }).eligible, 5);
    });

    it("emergency addition by the chair: 201 with the entry pending ratification and the ratification case", async () => {
      const incident = await report();
      const res = await as("Charlie Chair", "/api/cases/emergency", { body: { subjectId: incident.subjectId, incidentIds: [incident.id], summary: "Threat with a weapon at the depot.", reason: "Credible threat", actingAs: "chair" }, extraRoles: member("Charlie Chair") });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      assert.equal((res.json.entry as { status: string }).status, "pending-ratification");
      assert.equal((res.json.ratificationCase as { status: string }).status, "voting");
      const byMember = await as("Pam Panel", "/api/cases/emergency", { body: { subjectId: incident.subjectId, incidentIds: [incident.id], summary: "Threat with a weapon at the depot.", reason: "x", actingAs: "chair" }, extraRoles: member("Pam Panel") });
      assert.equal(byMember.status, 403);
      assert.equal(byMember.json.code, "NOT_CHAIR");
    });

    it("404 for a case the caller may not see, and for one that does not exist", async () => {
      const c = await refer();
      const officer = await t.call(`/api/cases/${c.id}`, { roles: ["manager"] });
      assert.equal(officer.status, 404);
      assert.equal((await as("Pam Panel", "/api/cases/nope", { method: "GET", key: null, extraRoles: ["panel-member"] })).status, 404);
    });
  });

  it("503 POLICY_NOT_LOADED on a server built without a profile", async () => {
    const bare = await startTestApp();
    try {
      const res = await bare.call("/api/incidents", { body: aReport(), headers: { "idempotency-key": aKey() } });
      assert.equal(res.status, 503);
      assert.equal(res.json.code, "POLICY_NOT_LOADED");
    } finally {
      await bare.stop();
    }
  });
});
