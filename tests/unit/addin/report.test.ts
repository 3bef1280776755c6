// "Report this email" against Outlook hosts made with office-addin-mock and the real incident API (docs/api.md,
// "Incidents"): the sender as subject, the email as evidence (EML on Mailbox 1.14; before that, copied by the server
// from the mailbox through Graph — the simulator here — and only failing that, the headers and text Outlook gives),
// several emails from one person in one persistent-contact report where the policy allows (East Suffolk 4.2),
// very long subjects, the API down, validation errors, and a failed attachment that does not lose the report.
import assert from "node:assert/strict";
import sinon from "sinon";
import { createApi, type Api } from "../../../addin/src/api";
import { attachEmail, buildIncident, contactSummary, evidenceSentence, fileReport, findOpenReport, newKey, type ReportDraft } from "../../../addin/src/handlers/report";
import { graphMessageRef, readMessage } from "../../../addin/src/outlook";
import { PERSONAS } from "../../../bot/src/adapters/http/devSignIn";
import { getPreset } from "../../../core/src/policy/presets";
import { simplePolicy, startTestApp, type TestApp } from "../../support/testApp";
import { anEntry, aSubject } from "../../support/fixtures";
import type { GraphSimulator } from "../../support/graphSimulator/server";
import { DEMO_DOMAIN } from "../../support/graphSimulator/seed";
import { startSimulatedMail, type SimulatedMail } from "../../support/simulatedMail";
import { readHost, restIdOf, uninstall, type Addr } from "./officeMock";

const ALEX: Addr = { displayName: "Alex Example", emailAddress: "alex.example@example.org" };
const ROBIN: Addr = { displayName: "Robin Referral", emailAddress: "robin.referral@example.org" };
const REPORTER = "77777777-7777-4777-8777-777777777777";

const draft = (over: Partial<ReportDraft> = {}): ReportDraft => ({
  category: "verbal-abuse", description: "Called me useless and said they would keep emailing every hour.", hateIncident: false, serviceArea: "Housing", ...over,
});

describe("Report this email (office-addin-mock and the incident API)", () => {
  for (const preset of ["east-suffolk", "dorset"] as const) {
    describe(`under the ${preset} policy`, () => {
      let t: TestApp;
      let api: Api;
      let alexId: string;

      before(async () => {
        t = await startTestApp({ policy: { ...simplePolicy, profile: getPreset(preset)! } });
        const alex = await t.stores.subjects.create(aSubject({ emails: [ALEX.emailAddress] }));
        alexId = alex.id;
        await t.stores.register.create(anEntry(alex.id, "medium"));
        await t.app.services.lookup.subjectChanged(alex.id);
        const token = await t.issuer.token({ oid: REPORTER, name: "Ola Officer", roles: ["officer"], claims: { preferred_username: "ola.officer@calm-demo.example" } });
        api = createApi({ baseUrl: t.url, getToken: async () => ({ ok: true, token }) });
      });
      after(async () => {
        uninstall();
        await t.stop();
      });

      const settings = async () => (await api.settings()).ok ? ((await api.settings()) as { value: { multiContactCategories?: string[] | null } }).value.multiContactCategories : undefined;

      it("files a report about a listed sender with the original email (EML) attached", async () => {
        readHost({ from: ALEX, subject: "You are useless", eml: Buffer.from("From: alex.example@example.org\r\nSubject: You are useless\r\n\r\nUseless.").toString("base64") });
        const message = readMessage()!;
        const out = await fileReport(api, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: await settings(), idempotencyKey: newKey(), now: new Date("2026-11-23T10:00:00Z") });
        assert.ok(out.ok, JSON.stringify(out));
        assert.match(out.reference, /^INC-\d{4}$/);
        assert.deepEqual(out.evidence, { ok: true, kind: "eml" });
        assert.ok(out.whatHappensNext.length > 0);
        const incident = (await t.stores.incidents.get(out.incidentId))!;
        assert.equal(incident.subjectId, alexId);
        assert.equal(incident.reporter.id, REPORTER, "the reporter is the signed-in mailbox user");
        assert.equal(incident.channel, "email");
        assert.equal(incident.location, "the mailbox ola.officer@calm-demo.example", "the mailbox it arrived in");
        assert.equal(incident.occurredAt, "2026-11-23T09:30:00.000Z", "when the email arrived");
        assert.match(incident.description, /^Called me useless/);
        assert.match(incident.description, /Reported from Outlook: an email received 23 November 2026 at 9:30am, subject "You are useless"/);
        assert.deepEqual(incident.evidence.map((e) => [e.kind, e.contentType, e.fileName]), [["email", "message/rfc822", "Reported email 2026-11-23.eml"]]);
      });

      it("files a report about someone not listed, as a new subject with their address, and flags a hate incident", async () => {
        readHost({ from: { displayName: "Pat Public", emailAddress: "pat.public@example.com" } });
        const message = readMessage()!;
        const out = await fileReport(api, { message, sender: message.from!, draft: draft({ category: "hate-incident", hateIncident: false }), multiContactCategories: await settings(), idempotencyKey: newKey(), now: new Date("2026-11-23T10:00:00Z") });
        assert.ok(out.ok, JSON.stringify(out));
        const incident = (await t.stores.incidents.get(out.incidentId))!;
        assert.equal(incident.hateIncident, true, "Dorset 3.2: the hate incident category is always flagged");
        const subject = (await t.stores.subjects.get(incident.subjectId))!;
        assert.deepEqual(subject.emails, ["pat.public@example.com"]);
      });

      it("keeps headers and text as evidence where Outlook cannot copy the email (Mailbox 1.8), and makes headers up before that (1.5)", async () => {
        readHost({ from: ALEX, mailboxVersion: "1.8", headers: "From: alex.example@example.org\r\nSubject: Hi", body: "The abusive text." });
        let message = readMessage()!;
        let out = await fileReport(api, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: null, idempotencyKey: newKey(), now: new Date() });
        assert.ok(out.ok && out.evidence.ok && out.evidence.kind === "text");
        let evidence = (await t.stores.incidents.get(out.incidentId))!.evidence[0]!;
        assert.equal(evidence.contentType, "text/plain");
        assert.equal(evidence.fileName, "Reported email 2026-11-23.txt");
        uninstall();
        readHost({ from: ALEX, mailboxVersion: "1.5", subject: "Old Outlook" });
        message = readMessage()!;
        out = await fileReport(api, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: null, idempotencyKey: newKey(), now: new Date() });
        assert.ok(out.ok && out.evidence.ok && out.evidence.kind === "text");
        evidence = (await t.stores.incidents.get(out.incidentId))!.evidence[0]!;
        assert.equal(evidence.contentType, "text/plain");
      });

      it("copes with a very long subject: the log line and the description are cut short, the file name carries none of it", async () => {
        const subject = `RE: ${"why has nobody answered my emails about the boiler ".repeat(40)}`;
        readHost({ from: ALEX, subject });
        const message = readMessage()!;
        assert.ok(contactSummary(message).length <= 200);
        const body = buildIncident(message, draft(), message.from!, alexId, true, new Date("2026-11-23T10:00:00Z"));
        assert.ok(body.description.length < 600);
        assert.ok(body.contacts![0]!.summary.endsWith("…"));
        const out = await fileReport(api, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: await settings(), idempotencyKey: newKey(), now: new Date() });
        assert.ok(out.ok, JSON.stringify(out));
      });

      it(preset === "east-suffolk"
        ? "adds a second email from the same person to one persistent-contact report (East Suffolk 4.2)"
        : "files each email as its own report where the policy has no multi-contact reports (Dorset)", async () => {
        const multi = await settings();
        const first = readHost({ from: ROBIN, subject: "Email one", itemId: "one" });
        void first;
        let message = readMessage()!;
        const persistent = draft({ category: "unreasonably-persistent-contact", description: "The fifth email today about the same closed matter." });
        const one = await fileReport(api, { message, sender: ROBIN, draft: persistent, multiContactCategories: multi, idempotencyKey: newKey(), now: new Date("2026-11-23T10:00:00Z") });
        assert.ok(one.ok, JSON.stringify(one));
        uninstall();
        readHost({ from: ROBIN, subject: "Email two", itemId: "two", receivedAt: "2026-11-23T09:45:00.000Z" });
        message = readMessage()!;
        const open = await findOpenReport(api, { email: ROBIN.emailAddress });
        if (preset === "east-suffolk") {
          assert.deepEqual(multi, ["unreasonably-persistent-contact"]);
          assert.equal(open.report?.reference, one.reference);
          const two = await fileReport(api, { message, sender: ROBIN, subjectId: open.subjectId, draft: { ...persistent, addToReportId: open.report?.id }, multiContactCategories: multi, idempotencyKey: newKey(), now: new Date("2026-11-23T10:00:00Z") });
          assert.ok(two.ok, JSON.stringify(two));
          assert.equal(two.addedToExisting, true);
          assert.equal(two.reference, one.reference);
          assert.equal(two.contactCount, 2);
          const incident = (await t.stores.incidents.get(one.incidentId))!;
          assert.deepEqual(incident.contacts?.map((c) => c.summary), ["Email: Email one", "Email: Email two — The fifth email today about the same closed matter."]);
          assert.equal(incident.evidence.length, 2, "both emails are attached");
        } else {
          assert.equal(multi, null);
          assert.deepEqual(open.report, undefined);
          const two = await fileReport(api, { message, sender: ROBIN, subjectId: open.subjectId, draft: persistent, multiContactCategories: multi, idempotencyKey: newKey(), now: new Date("2026-11-23T10:00:00Z") });
          assert.ok(two.ok && !two.addedToExisting && two.reference !== one.reference);
        }
      });

      it("files once however often the form is sent (one idempotency key per form)", async () => {
        readHost({ from: ALEX });
        const message = readMessage()!;
        const key = newKey();
        const input = { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: null, idempotencyKey: key, now: new Date() };
        const [a, b] = [await fileReport(api, input), await fileReport(api, input)];
        assert.ok(a.ok && b.ok);
        assert.equal(a.incidentId, b.incidentId);
      });

      it("passes the API's field errors through when something is missing, and files nothing", async () => {
        readHost({ from: ALEX });
        const message = readMessage()!;
        const before = (await t.stores.incidents.listBySubject(alexId)).length;
        const out = await fileReport(api, { message, sender: message.from!, subjectId: alexId, draft: draft({ serviceArea: "  " }), multiContactCategories: null, idempotencyKey: newKey(), now: new Date() });
        assert.ok(!out.ok);
        assert.equal(out.code, "INCIDENT_INVALID");
        assert.ok(out.fieldErrors.some((e) => e.field === "serviceArea"), JSON.stringify(out.fieldErrors));
        assert.equal((await t.stores.incidents.listBySubject(alexId)).length, before);
      });

      it("falls back to headers and text when Outlook fails to copy the whole email", async () => {
        readHost({ from: ALEX, failEml: true });
        const message = readMessage()!;
        const out = await fileReport(api, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: null, idempotencyKey: newKey(), now: new Date() });
        assert.ok(out.ok && out.evidence.ok);
        assert.equal(out.evidence.kind, "text");
        assert.match(out.evidence.note ?? "", /not set up to copy emails from Microsoft 365/, "this server cannot copy it from the mailbox either, and the pane says so");
      });

      it("keeps the report when the upload fails, and attaches the email on a retry", async () => {
        readHost({ from: ALEX });
        const message = readMessage()!;
        const failing: Api = { ...api, addEvidence: async () => ({ ok: false as const, code: "API_UNREACHABLE", message: "CALM could not be reached. Check your connection and try again; if it keeps happening, tell IT." }) };
        const out = await fileReport(failing, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: null, idempotencyKey: newKey(), now: new Date() });
        assert.ok(out.ok && !out.evidence.ok);
        assert.match(out.evidence.message, /CALM could not be reached/);
        assert.equal((await t.stores.incidents.get(out.incidentId))!.evidence.length, 0);
        assert.deepEqual(await attachEmail(api, out.incidentId, message, newKey()), { ok: true, kind: "eml" });
        assert.equal((await t.stores.incidents.get(out.incidentId))!.evidence.length, 1);
      });

      it("refuses to file when the reader has moved to another email, so the wrong email is never attached", async () => {
        const { mock } = readHost({ from: ALEX, itemId: "the-one-reported" });
        const message = readMessage()!;
        (mock as unknown as { context: { mailbox: { item: { itemId: string } } } }).context.mailbox.item.itemId = "another-email";
        const before = (await t.stores.incidents.listBySubject(alexId)).length;
        const out = await fileReport(api, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: null, idempotencyKey: newKey(), now: new Date() });
        assert.ok(!out.ok && out.code === "EMAIL_CHANGED");
        assert.match(out.message, /You moved to another email before the report was sent/);
        assert.equal((await t.stores.incidents.listBySubject(alexId)).length, before);
      });

      it("says CALM could not be reached when the API is down, and does not throw", async () => {
        readHost({ from: ALEX });
        const message = readMessage()!;
        const downApi = createApi({ baseUrl: "http://127.0.0.1:9", getToken: async () => ({ ok: true, token: "x" }) });
        const out = await fileReport(downApi, { message, sender: message.from!, subjectId: alexId, draft: draft(), multiContactCategories: null, idempotencyKey: newKey(), now: new Date() });
        assert.deepEqual(out, { ok: false, code: "API_UNREACHABLE", message: "CALM could not be reached. Check your connection and try again; if it keeps happening, tell IT.", fieldErrors: [] });
      });
    });
  }
});

describe("Report this email where Outlook cannot copy the email (before Mailbox 1.14): the server copies it from the mailbox", () => {
  const OLA = PERSONAS.find((p) => p.displayName === "Ola Officer")!;
  const SPOC = `housing.spoc@${DEMO_DOMAIN}`;
  /** An item id as classic Outlook gives it (EWS format: `/` and `+`); the mailbox knows it by its REST form. */
  const EWS_ID = "AAMkADola/report+1=";
  let sim: GraphSimulator;
  let t: TestApp;
  let api: Api;
  let mail: SimulatedMail;

  before(async () => {
    mail = await startSimulatedMail({ extraStaff: 1 });
    sim = mail.sim;
    sim.tenant.addMessage(OLA.email, { id: restIdOf(EWS_ID), from: ALEX.emailAddress, fromName: ALEX.displayName, subject: "You are useless", body: "Useless, all of you." });
    sim.tenant.addMessage(SPOC, { id: restIdOf("AAMkADspoc/1+="), from: ALEX.emailAddress, subject: "To the SPOC", body: "Shared inbox mail." });
    t = await startTestApp({ policy: { ...simplePolicy, profile: getPreset("dorset")! }, userMail: mail.userMail });
    const token = await t.issuer.token({ oid: OLA.id, name: OLA.displayName, roles: ["officer"], claims: { preferred_username: OLA.email } });
    api = createApi({ baseUrl: t.url, getToken: async () => ({ ok: true, token }) });
  });
  afterEach(() => {
    uninstall();
    sinon.restore();
    mail.reset();
  });
  after(async () => {
    await t?.stop();
    await mail?.stop();
  });

  const file = async (input: { idempotencyKey?: string; api?: Api } = {}) => {
    const message = readMessage()!;
    const out = await fileReport(input.api ?? api, { message, sender: message.from!, draft: draft(), multiContactCategories: null, idempotencyKey: input.idempotencyKey ?? newKey(), now: new Date("2026-11-23T10:00:00Z") });
    assert.ok(out.ok, JSON.stringify(out));
    return { out, evidence: (await t.stores.incidents.get(out.incidentId))!.evidence };
  };

  it("gives the server the email's REST id (convertToRestId) and, for a shared mailbox, the owner", async () => {
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: EWS_ID });
    assert.deepEqual(await graphMessageRef(), { restId: "AAMkADola-report_1=" });
    uninstall();
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: "AAMkADspoc/1+=", sharedOwner: SPOC });
    assert.deepEqual(await graphMessageRef(), { restId: "AAMkADspoc-1_=", mailbox: SPOC });
  });

  it("Mailbox 1.13: the whole email, copied from the mailbox, and the pane says so", async () => {
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: EWS_ID });
    const { out, evidence } = await file();
    assert.deepEqual(out.evidence, { ok: true, kind: "mailbox-eml" });
    assert.deepEqual(evidence.map((e) => [e.kind, e.contentType]), [["email", "message/rfc822"]]);
    assert.match(evidenceSentence(out.evidence), /^The original email is attached to the report\. This version of Outlook cannot copy it, so CALM copied it from your mailbox\.$/);
  });

  it("an email in a shared mailbox is copied from that mailbox", async () => {
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: "AAMkADspoc/1+=", sharedOwner: SPOC });
    const { out, evidence } = await file();
    assert.deepEqual(out.evidence, { ok: true, kind: "mailbox-eml" });
    assert.equal(evidence.length, 1);
  });

  it("when Graph cannot give the whole email, its headers and text from the mailbox", async () => {
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: EWS_ID });
    sim.addFault({ match: { path: "/$value" }, kind: "status", status: 503 });
    const { out, evidence } = await file();
    assert.deepEqual(out.evidence, { ok: true, kind: "mailbox-text" });
    assert.deepEqual(evidence.map((e) => e.contentType), ["text/plain"]);
    assert.match(evidenceSentence(out.evidence), /headers and text are attached to the report: CALM copied them from your mailbox/);
  });

  it("consent missing: keeps the headers and text Outlook gives, and tells the reporter why and what to ask IT", async () => {
    mail.withoutConsent();
    readHost({ from: ALEX, mailboxVersion: "1.8", itemId: EWS_ID, headers: "From: alex.example@example.org\r\nSubject: You are useless", body: "Useless, all of you." });
    const { out, evidence } = await file();
    assert.ok(out.evidence.ok && out.evidence.kind === "text");
    assert.match(out.evidence.note ?? "", /Ask your IT team to grant admin consent/);
    assert.deepEqual(evidence.map((e) => [e.contentType, e.fileName]), [["text/plain", "Reported email 2026-11-23.txt"]]);
    const sentence = evidenceSentence(out.evidence);
    assert.match(sentence, /^Only the email's headers and text, as Outlook shows them, are attached to the report/);
    assert.match(sentence, /Ask your IT team to grant admin consent .* Keep the email until the report is dealt with\.$/);
  });

  it("an email the mailbox does not have, or Graph down: Outlook's headers and text, with the reason", async () => {
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: "AAMkADnot/there=" });
    let filed = await file();
    assert.ok(filed.out.evidence.ok && filed.out.evidence.kind === "text");
    assert.match(filed.out.evidence.note ?? "", /could not find that email/);
    uninstall();
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: EWS_ID });
    sim.addFault({ match: { path: "/messages/" }, kind: "status", status: 503, times: 2 });
    filed = await file();
    assert.ok(filed.out.evidence.ok && filed.out.evidence.kind === "text");
    assert.match(filed.out.evidence.note ?? "", /Microsoft 365 did not answer/);
    assert.equal(filed.evidence.length, 1, "one file: Outlook's text");
  });

  it("attaches once however often it is retried with the form's key", async () => {
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: EWS_ID });
    const key = newKey();
    const { out } = await file({ idempotencyKey: key });
    const again = await attachEmail(api, out.incidentId, readMessage()!, key);
    assert.deepEqual(again, { ok: true, kind: "mailbox-eml" });
    assert.equal((await t.stores.incidents.get(out.incidentId))!.evidence.length, 1);
  });

  it("no answer from CALM (a timeout after the server kept the copy): asks again with the same key, never attaches twice", async () => {
    readHost({ from: ALEX, mailboxVersion: "1.13", itemId: EWS_ID });
    const real = api.attachEmailFromMailbox.bind(api);
    // The first answer is lost on the way back, though the server did the work.
    const stub = sinon.stub(api, "attachEmailFromMailbox").onFirstCall().callsFake(async (...a) => {
      await real(...a);
      return { ok: false, code: "API_TIMEOUT", message: "CALM did not answer in time." };
    });
    stub.callThrough();
    const { out, evidence } = await file();
    assert.deepEqual(out.evidence, { ok: true, kind: "mailbox-eml" });
    assert.equal(stub.callCount, 2);
    assert.equal(evidence.length, 1, "one copy of the email, not the copy and Outlook's text");

    // Still no answer the second time: nothing more is attached, and the reporter is told to try again.
    sinon.restore();
    sinon.stub(api, "attachEmailFromMailbox").resolves({ ok: false, code: "API_UNREACHABLE", message: "CALM cannot be reached." });
    const again = await file();
    assert.equal(again.out.evidence.ok, false);
    assert.match(again.out.evidence.ok ? "" : again.out.evidence.message, /The report is saved; choose Attach the email again\.$/);
    assert.equal(again.evidence.length, 0);
  });

  it("with Mailbox 1.14 Outlook's own copy is used and the server never reads the mailbox", async () => {
    readHost({ from: ALEX, itemId: EWS_ID });
    const spy = sinon.spy(api, "attachEmailFromMailbox");
    const { out } = await file();
    assert.deepEqual(out.evidence, { ok: true, kind: "eml" });
    assert.equal(spy.callCount, 0);
  });
});
