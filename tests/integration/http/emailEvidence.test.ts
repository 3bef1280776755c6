// POST /api/incidents/:id/evidence/email over real HTTP (docs/api.md): where Outlook cannot copy the email, the
// server reads it from Microsoft Graph as the signed-in person (the Graph simulator here, through the real adapter
// and the local on-behalf-of stand-in) and keeps it like an uploaded file: the whole .eml, else its headers and text.
// Unknown emails, refusals, consent missing and Graph down change nothing; a retry attaches once; nothing about the
// email is logged.
import assert from "node:assert/strict";
import { MemoryBlobStore } from "../../../bot/src/adapters/memory/blobs";
import { PERSONAS } from "../../../bot/src/adapters/http/devSignIn";
import { createLogger } from "../../../bot/src/adapters/system/logger";
import { getPreset } from "../../../core/src/policy/presets";
import { demoMessages } from "../../../addin/src/dev/demoMailbox";
import { simplePolicy, startTestApp, type TestApp } from "../../support/testApp";
import { aKey, aReport, NOW } from "../../support/casework";
import type { GraphSimulator } from "../../support/graphSimulator/server";
import { DEMO_DOMAIN } from "../../support/graphSimulator/seed";
import { startSimulatedMail, type SimulatedMail } from "../../support/simulatedMail";

const P = (name: string) => PERSONAS.find((p) => p.displayName === name)!;
const SPOC = `housing.spoc@${DEMO_DOMAIN}`;
const ALEX_MAIL = demoMessages()[0]!;

interface Evidence { id: string; kind: string; fileName?: string; contentType?: string; sizeBytes?: number; blobName?: string }

describe("HTTP: attach an email from the mailbox as evidence (Graph as the signed-in user)", function () {
  this.timeout(30_000);
  let sim: GraphSimulator;
  let t: TestApp;
  let blobs: MemoryBlobStore;
  let spocMessageId: string;
  const logs: string[] = [];
  let mail: SimulatedMail;

  const token = (name: string) => t.issuer.token({ oid: P(name).id, name, roles: P(name).roles, claims: { preferred_username: P(name).email } });
  const report = async (name = "Ola Officer") => {
    const res = await t.call("/api/incidents", { body: aReport(), token: await token(name), headers: { "idempotency-key": aKey() } });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json.incident as { id: string; reference: string };
  };
  const attach = async (incidentId: string, body: unknown, init: { name?: string; key?: string | null; tokenOverride?: string } = {}) =>
    t.call(`/api/incidents/${incidentId}/evidence/email`, {
      body,
      token: init.tokenOverride ?? (await token(init.name ?? "Ola Officer")),
      headers: init.key === null ? {} : { "idempotency-key": init.key ?? aKey(), "x-calm-surface": "addin" },
    });
  const evidenceOf = async (incidentId: string) => (await t.stores.incidents.get(incidentId))!.evidence;
  const valueReads = () => Object.entries(sim.stats().byRoute).filter(([k]) => k.endsWith("/$value")).reduce((n, [, v]) => n + v, 0);

  before(async () => {
    mail = await startSimulatedMail({ extraStaff: 2, demoMail: true });
    sim = mail.sim;
    spocMessageId = sim.tenant.addMessage(SPOC, { from: "jamie.sample@example.org", fromName: "Jamie Sample", subject: "Threats to the housing team", body: "Sent to the shared inbox." }).id;
    blobs = new MemoryBlobStore();
    t = await startTestApp({
      policy: { ...simplePolicy, profile: getPreset("dorset")! },
      blobs,
      logger: createLogger("info", (line) => logs.push(line)),
      userMail: mail.userMail,
    });
    t.clock.set(NOW);
  });
  afterEach(() => mail.reset());
  after(async () => {
    await t?.stop();
    await mail?.stop();
  });

  it("attaches the whole email (.eml) copied from the reporter's own mailbox", async () => {
    const incident = await report();
    const res = await attach(incident.id, { messageId: ALEX_MAIL.id });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.equal(res.json.source, "mime");
    assert.equal(res.json.duplicate, false);
    const evidence = res.json.evidence as Evidence;
    assert.equal(evidence.blobName, undefined, "blob names stay on the server");
    assert.deepEqual([evidence.kind, evidence.contentType, evidence.fileName], ["email", "message/rfc822", `Reported email ${ALEX_MAIL.receivedAt.slice(0, 10)}.eml`]);
    const [stored] = await evidenceOf(incident.id);
    const blob = (await blobs.get(stored!.blobName!))!;
    const mailbox = sim.tenant.mailbox(P("Ola Officer").email);
    assert.equal(blob.data.toString("utf8"), sim.tenant.mimeOf(mailbox, sim.tenant.message(mailbox, ALEX_MAIL.id)), "exactly the MIME Graph gave");
    assert.equal(blob.contentType, "message/rfc822");
    assert.equal(stored!.sizeBytes, blob.data.length);
    const audit = await t.stores.audit.listBySubject((await t.stores.incidents.get(incident.id))!.subjectId);
    assert.ok(audit.some((e) => e.surface === "addin" && e.what.includes("email-from-mailbox")), "audited as evidence from the mailbox");
  });

  it("copies from a shared mailbox the reporter can open (Mail.Read.Shared), and refuses one they cannot", async () => {
    const incident = await report();
    const ok = await attach(incident.id, { messageId: spocMessageId, mailbox: SPOC });
    assert.equal(ok.status, 201, JSON.stringify(ok.json));
    assert.equal(ok.json.source, "mime");
    const pams = await report("Pam Panel");
    const refused = await attach(pams.id, { messageId: spocMessageId, mailbox: SPOC }, { name: "Pam Panel" });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.code, "MAIL_ACCESS_DENIED");
    assert.deepEqual(await evidenceOf(pams.id), [], "nothing attached");
  });

  it("falls back to the headers and text when Graph cannot give the whole email", async () => {
    const incident = await report();
    sim.addFault({ match: { path: "/$value" }, kind: "status", status: 503 });
    const res = await attach(incident.id, { messageId: ALEX_MAIL.id });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.equal(res.json.source, "headers-and-text");
    const evidence = res.json.evidence as Evidence;
    assert.deepEqual([evidence.kind, evidence.contentType, evidence.fileName], ["email", "text/plain", `Reported email ${ALEX_MAIL.receivedAt.slice(0, 10)}.txt`]);
    const text = (await blobs.get((await evidenceOf(incident.id))[0]!.blobName!))!.data.toString("utf8");
    assert.match(text, /^CALM copied this email from the mailbox through Microsoft 365\. The whole email could not be copied, so these are its headers and text\./);
    assert.match(text, /\r\nFrom: "Alex Example" <alex\.example@example\.org>\r\n/);
    assert.match(text, /\r\nSubject: Still waiting for my repair AGAIN\r\n/);
    assert.match(text, /\r\nMessage-ID: <alex-1@example\.org>\r\n/);
    assert.ok(text.endsWith(ALEX_MAIL.body), "then the text of the email");
  });

  it("an unknown email is MAIL_NOT_FOUND, and nothing is written", async () => {
    const incident = await report();
    const before = (await blobs.list(`evidence/${incident.id}/`)).length;
    const res = await attach(incident.id, { messageId: "AAMkADno-such-message=" });
    assert.equal(res.status, 404);
    assert.equal(res.json.code, "MAIL_NOT_FOUND");
    assert.match(String(res.json.detail), /could not find that email/);
    assert.deepEqual(await evidenceOf(incident.id), []);
    assert.equal((await blobs.list(`evidence/${incident.id}/`)).length, before);
  });

  it("refuses a caller without the permission (403) and someone else's report (404), before reading any mail", async () => {
    const incident = await report();
    const reads = valueReads();
    const auditor = await attach(incident.id, { messageId: ALEX_MAIL.id }, { tokenOverride: await t.issuer.token({ oid: P("Audrey Auditor").id, roles: ["auditor"] }) });
    assert.equal(auditor.status, 403);
    assert.equal(auditor.json.code, "FORBIDDEN");
    const other = await attach(incident.id, { messageId: ALEX_MAIL.id }, { name: "Connor Contractor" });
    assert.equal(other.status, 404);
    assert.equal(other.json.code, "NOT_FOUND");
    assert.equal(valueReads(), reads, "Graph was never asked");
    assert.deepEqual(await evidenceOf(incident.id), []);
  });

  it("a retry with the same key attaches once and does not read the mailbox again", async () => {
    const incident = await report();
    const key = aKey();
    const reads = valueReads();
    const first = await attach(incident.id, { messageId: ALEX_MAIL.id }, { key });
    const second = await attach(incident.id, { messageId: ALEX_MAIL.id }, { key });
    assert.equal(first.status, 201);
    assert.equal(second.status, 200);
    assert.equal(second.json.duplicate, true);
    assert.equal(second.json.source, "mime");
    assert.equal((second.json.evidence as Evidence).id, (first.json.evidence as Evidence).id);
    assert.equal((await evidenceOf(incident.id)).length, 1);
    assert.equal((await blobs.list(`evidence/${incident.id}/`)).length, 1);
    assert.equal(valueReads() - reads, 1, "one read of the MIME");
    const racing = await report();
    const raceKey = aKey();
    const both = await Promise.all([attach(racing.id, { messageId: ALEX_MAIL.id }, { key: raceKey }), attach(racing.id, { messageId: ALEX_MAIL.id }, { key: raceKey })]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 201]);
    assert.equal((await evidenceOf(racing.id)).length, 1);
    assert.equal((await blobs.list(`evidence/${racing.id}/`)).length, 1, "no file left behind unrecorded");
  });

  it("consent missing is OBO_CONSENT_REQUIRED with what to ask IT; Graph down is GRAPH_UNAVAILABLE with Retry-After; nothing changes", async () => {
    const incident = await report();
    mail.withoutConsent();
    const consent = await attach(incident.id, { messageId: ALEX_MAIL.id });
    assert.equal(consent.status, 503);
    assert.equal(consent.json.code, "OBO_CONSENT_REQUIRED");
    assert.match(String(consent.json.detail), /Ask your IT team to grant admin consent for CALM's Microsoft Graph mail permissions/);
    mail.reset();
    sim.addFault({ match: { path: "/messages/" }, kind: "status", status: 503, retryAfterSeconds: 12, times: 2 });
    const down = await attach(incident.id, { messageId: ALEX_MAIL.id });
    assert.equal(down.status, 503);
    assert.equal(down.json.code, "GRAPH_UNAVAILABLE");
    assert.equal(down.headers.get("retry-after"), "12");
    assert.deepEqual(await evidenceOf(incident.id), []);
    assert.equal((await blobs.list(`evidence/${incident.id}/`)).length, 0);
  });

  it("needs an Idempotency-Key and a REST id; a server without Graph says so", async () => {
    const incident = await report();
    assert.equal((await attach(incident.id, { messageId: ALEX_MAIL.id }, { key: null })).json.code, "IDEMPOTENCY_KEY_REQUIRED");
    const ews = await attach(incident.id, { messageId: "AAMkAD/ews+id" });
    assert.equal(ews.status, 400);
    assert.equal(ews.json.code, "INVALID_BODY");
    assert.equal((await attach(incident.id, { messageId: ALEX_MAIL.id, mailbox: "not an address" })).json.code, "INVALID_BODY");
    assert.equal((await attach(incident.id, { messageId: ALEX_MAIL.id, folder: "Inbox" })).json.code, "INVALID_BODY");
    const bare = await startTestApp({ policy: { ...simplePolicy, profile: getPreset("dorset")! } });
    try {
      const made = await bare.call("/api/incidents", { body: aReport(), roles: ["officer"], headers: { "idempotency-key": aKey() } });
      const res = await bare.call(`/api/incidents/${(made.json.incident as { id: string }).id}/evidence/email`, { body: { messageId: ALEX_MAIL.id }, roles: ["officer"], headers: { "idempotency-key": aKey() } });
      assert.equal(res.status, 503);
      assert.equal(res.json.code, "GRAPH_NOT_CONFIGURED");
    } finally {
      await bare.stop();
    }
    assert.deepEqual(await evidenceOf(incident.id), []);
  });

  it("logs nothing about the email: no id, subject, address or content", () => {
    const text = logs.join("\n");
    assert.ok(text.includes("incident.mailbox_email_attached"), "the attachments were logged");
    for (const secret of [ALEX_MAIL.id, spocMessageId, "AAMkADno-such-message", ALEX_MAIL.subject, "alex.example", "Threats to the housing team", SPOC, "boiler", ALEX_MAIL.internetMessageId]) {
      assert.ok(!text.includes(secret), `the log holds "${secret}"`);
    }
  });
});
