// The server routes the Outlook add-in needs (bot/src/adapters/http/routes/addin.ts): settings, the compose-time
// recipient check (contact restrictions, the SPOC never stopped) and the audited "send anyway".
import assert from "node:assert/strict";
import { simplePolicy, startTestApp, type TestApp } from "../../support/testApp";
import { getPreset } from "../../../core/src/policy/presets";
import type { Incident } from "../../../core/src/domain";
import { anEntry, aSubject } from "../../support/fixtures";
import type { RecipientGuard } from "../../../bot/src/services/composeGuard";

const SPOC = "spoc.housing@calm-demo.example";

describe("Add-in API: recipients, the SPOC and send anyway", () => {
  let t: TestApp;
  let restrictedRef: string;
  let warnOnlyRef: string;

  before(async () => {
    t = await startTestApp();
    const alex = await t.stores.subjects.create(aSubject({ emails: ["alex.example@example.org"] }));
    restrictedRef = (await t.stores.register.create(anEntry(alex.id, "medium"))).reference;
    const jamie = await t.stores.subjects.create(aSubject({ displayName: "Jamie Sample", emails: ["jamie.sample@example.org"], phones: [] }));
    warnOnlyRef = (await t.stores.register.create(anEntry(jamie.id, "low", {
      spoc: undefined,
      restrictions: [{ id: "r-closed", kind: "no-further-correspondence-on-matter", params: {}, serviceAreas: [], startsOn: "2026-11-01", staffInstruction: "Do not reply about the closed parking complaint." }],
    }))).reference;
    await t.app.services.lookup.subjectChanged(alex.id);
    await t.app.services.lookup.subjectChanged(jamie.id);
  });
  after(() => t.stop());

  const tokenFor = (email: string, roles: string[] = ["officer"], services: string[] = ["Housing"]) =>
    t.issuer.token({ roles, claims: { preferred_username: email, calm_services: services } });

  it("gives the add-in the register's name and the reasons it may offer", async () => {
    const res = await t.call("/api/addin/settings");
    assert.equal(res.status, 200);
    assert.equal(res.json.registerName, "Customer Alert List");
    const reasons = res.json.sendAnywayReasons as { id: string; label: string }[];
    assert.ok(reasons.some((r) => r.id === "spoc-asked"));
    assert.ok(reasons.every((r) => r.label.length > 10));
  });

  it("stops a non-SPOC writing to a person whose contact goes through a SPOC, and says who the SPOC is", async () => {
    const res = await t.call("/api/addin/recipients/check", { token: await tokenFor("ola.officer@calm-demo.example"), body: { addresses: ["Alex.Example@example.org", "someone@example.com"] } });
    assert.equal(res.status, 200);
    const [alex, stranger] = res.json.results as RecipientGuard[];
    assert.equal(alex!.listed, true);
    assert.equal(alex!.stopsSend, true);
    assert.equal(alex!.youAreSpoc, false);
    assert.equal(alex!.reference, restrictedRef);
    assert.deepEqual(alex!.spoc, { displayName: "Sam Spoc", mailbox: SPOC });
    assert.match(alex!.restrictions[0]!.text!, /SPOC/);
    assert.equal(alex!.address, "Alex.Example@example.org", "answers with the address as typed");
    assert.deepEqual(stranger, { address: "someone@example.com", valid: true, listed: false, whatToDo: [], restrictions: [], youAreSpoc: false, stopsSend: false, warns: false });
    assert.equal("subjectId" in alex!, false, "no internal ids in the answer");
  });

  it("never stops the SPOC: signed in as the SPOC, or sending from the SPOC's shared inbox", async () => {
    const asSpoc = await t.call("/api/addin/recipients/check", { token: await tokenFor(SPOC), body: { addresses: ["alex.example@example.org"] } });
    const [a] = asSpoc.json.results as RecipientGuard[];
    assert.equal(a!.youAreSpoc, true);
    assert.equal(a!.stopsSend, false);
    const fromInbox = await t.call("/api/addin/recipients/check", { token: await tokenFor("ola.officer@calm-demo.example"), body: { addresses: ["alex.example@example.org"], from: "SPOC.Housing@calm-demo.example" } });
    const [b] = fromInbox.json.results as RecipientGuard[];
    assert.equal(b!.youAreSpoc, true);
    assert.equal(b!.stopsSend, false);
  });

  it("only warns where a restriction does not stop an email", async () => {
    const res = await t.call("/api/addin/recipients/check", { token: await tokenFor("ola.officer@calm-demo.example"), body: { addresses: ["jamie.sample@example.org"] } });
    const [j] = res.json.results as RecipientGuard[];
    assert.equal(j!.reference, warnOnlyRef);
    assert.equal(j!.warns, true);
    assert.equal(j!.stopsSend, false);
  });

  it("gives a councillor the minimum view: guidance and the stop, never the restriction's wording", async () => {
    const res = await t.call("/api/addin/recipients/check", { token: await tokenFor("carys.councillor@calm-demo.example", ["councillor"], []), body: { addresses: ["alex.example@example.org"] } });
    const [a] = res.json.results as RecipientGuard[];
    assert.equal(a!.view, "minimum");
    assert.equal(a!.stopsSend, true);
    assert.equal(a!.restrictions[0]!.text, undefined);
    assert.match(a!.statusLine!, /^Take care/);
  });

  it("does not reveal an entry hidden from the caller (a contractor and a low-risk entry)", async () => {
    const res = await t.call("/api/addin/recipients/check", { token: await tokenFor("connor@calm-demo.example", ["contractor"], []), body: { addresses: ["jamie.sample@example.org"] } });
    const [j] = res.json.results as RecipientGuard[];
    assert.equal(j!.listed, false);
    assert.equal(j!.reference, undefined);
  });

  it("answers malformed addresses as not valid, without failing the others", async () => {
    const res = await t.call("/api/addin/recipients/check", { body: { addresses: ["not an address", "", "<alex.example@example.org", "alex.example@example.org"] } });
    assert.equal(res.status, 200);
    const results = res.json.results as RecipientGuard[];
    assert.deepEqual(results.map((r) => [r.valid, r.listed]), [[false, false], [false, false], [false, false], [true, true]]);
  });

  it("records send anyway with its reason against the entry, in the audit, and says which entries", async () => {
    const res = await t.call("/api/addin/send-anyway", {
      token: await tokenFor("ola.officer@calm-demo.example"),
      body: { addresses: ["alex.example@example.org", "someone@example.com"], reason: "spoc-asked", note: "Sam asked me to  confirm\nthe date." },
    });
    assert.equal(res.status, 201);
    const recorded = res.json.recorded as { reference: string; auditId: string }[];
    assert.deepEqual(recorded.map((r) => r.reference), [restrictedRef]);
    const subject = (await t.app.services.lookup.lookup({ id: "x", tenantId: "t", displayName: "x", roles: ["officer"], serviceAreas: [] }, "alex.example@example.org", "api"));
    assert.ok(subject.ok);
    const events = await t.stores.audit.listBySubject(subject.result.matches[0]!.subjectId);
    const event = events.find((e) => e.action === "send-anyway");
    assert.ok(event, "an audit event");
    assert.equal(event.id, recorded[0]!.auditId);
    assert.equal(event.surface, "addin");
    assert.deepEqual(event.what, [restrictedRef, "reason:spoc-asked", "restriction:single-point-of-contact", "note:Sam asked me to confirm the date."]);
  });

  it("refuses to record send anyway when nothing stops the send (the SPOC, or nobody restricted)", async () => {
    for (const [email, addresses] of [[SPOC, ["alex.example@example.org"]], ["ola.officer@calm-demo.example", ["jamie.sample@example.org"]]] as const) {
      const res = await t.call("/api/addin/send-anyway", { token: await tokenFor(email), body: { addresses: [...addresses], reason: "other" } });
      assert.equal(res.status, 409);
      assert.equal(res.json.code, "SEND_ANYWAY_NOT_NEEDED");
      assert.match(String(res.json.detail), /You can send the email/);
    }
  });

  const bad: [string, unknown, string][] = [
    ["an unknown reason", { addresses: ["alex.example@example.org"], reason: "because" }, "INVALID_BODY"],
    ["no reason", { addresses: ["alex.example@example.org"] }, "INVALID_BODY"],
    ["a very long note", { addresses: ["alex.example@example.org"], reason: "other", note: "x".repeat(501) }, "INVALID_BODY"],
    ["no addresses", { addresses: [], reason: "other" }, "INVALID_BODY"],
  ];
  for (const [what, body, code] of bad) {
    it(`refuses send anyway with ${what}`, async () => {
      const res = await t.call("/api/addin/send-anyway", { body });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, code);
    });
  }

  it("needs a CALM role for every add-in route", async () => {
    for (const [path, body] of [["/api/addin/settings", undefined], ["/api/addin/recipients/check", { addresses: ["a@example.org"] }], ["/api/addin/send-anyway", { addresses: ["a@example.org"], reason: "other" }]] as const) {
      assert.equal((await t.call(path, { token: null, body })).status, 401, path);
      assert.equal((await t.call(path, { roles: [], body })).status, 403, path);
    }
  });
});

describe("Add-in API: the reporter's open persistent-contact report (East Suffolk 4.2)", () => {
  const ME = "44444444-4444-4444-8444-444444444444";
  const SOMEONE_ELSE = "55555555-5555-4555-8555-555555555555";
  let t: TestApp;
  let subjectId: string;

  const incident = (over: Partial<Incident>): Incident => ({
    id: `inc-${Math.random().toString(36).slice(2)}`, reference: "INC-0100", subjectId, reporter: { id: ME, displayName: "Ola Officer" },
    occurredAt: "2026-11-20T10:00:00.000Z", location: "Email", channel: "email", serviceArea: "Housing", category: "unreasonably-persistent-contact",
    description: "Emails every hour about the same closed matter.", witnesses: [], evidence: [], hateIncident: false, immediateAction: "none",
    reportedAt: "2026-11-20T10:05:00.000Z", contactCount: 3, ...over,
  });

  before(async () => {
    const eastSuffolk = getPreset("east-suffolk")!;
    t = await startTestApp({ policy: { ...simplePolicy, profile: eastSuffolk } });
    // Not on the register: an earlier report created the subject.
    subjectId = (await t.stores.subjects.create(aSubject({ displayName: "Robin Referral", emails: ["robin.referral@example.org"], phones: [] }))).id;
    await t.stores.incidents.create(incident({ id: "inc-old", reference: "INC-0101", reportedAt: "2026-11-01T09:00:00.000Z" }));
    await t.stores.incidents.create(incident({ id: "inc-mine", reference: "INC-0102" }));
    await t.stores.incidents.create(incident({ id: "inc-referred", reference: "INC-0103", caseId: "case-1", reportedAt: "2026-11-22T09:00:00.000Z" }));
    await t.stores.incidents.create(incident({ id: "inc-abuse", reference: "INC-0104", category: "verbal-abuse", reportedAt: "2026-11-22T09:00:00.000Z" }));
    await t.stores.incidents.create(incident({ id: "inc-theirs", reference: "INC-0105", reporter: { id: SOMEONE_ELSE, displayName: "Max Manager" }, reportedAt: "2026-11-23T09:00:00.000Z" }));
  });
  after(() => t.stop());

  it("tells the add-in which categories may cover many contacts", async () => {
    const res = await t.call("/api/addin/settings");
    assert.deepEqual(res.json.multiContactCategories, ["unreasonably-persistent-contact"]);
  });

  it("finds my newest open persistent-contact report on the sender, by email, however it is typed", async () => {
    const res = await t.call("/api/addin/reports/open", { token: await t.issuer.token({ oid: ME }), body: { email: " Robin.Referral@EXAMPLE.org " } });
    assert.equal(res.status, 200);
    assert.equal(res.json.subjectId, subjectId);
    assert.deepEqual(res.json.report, { id: "inc-mine", reference: "INC-0102", category: "unreasonably-persistent-contact", contactCount: 3, reportedAt: "2026-11-20T10:05:00.000Z" });
  });

  it("never returns someone else's report, nor reveals that the sender is known", async () => {
    const res = await t.call("/api/addin/reports/open", { token: await t.issuer.token({ oid: "66666666-6666-4666-8666-666666666666" }), body: { email: "robin.referral@example.org" } });
    assert.deepEqual(res.json, { subjectId: null, report: null });
  });

  it("finds nothing where the policy has one report per incident (Dorset)", async () => {
    const dorset = await startTestApp({ policy: { ...simplePolicy, profile: getPreset("dorset")! }, stores: t.stores });
    try {
      const res = await dorset.call("/api/addin/reports/open", { token: await dorset.issuer.token({ oid: ME }), body: { subjectId } });
      assert.deepEqual(res.json, { subjectId, report: null });
      assert.equal((await dorset.call("/api/addin/settings")).json.multiContactCategories, null);
    } finally {
      await dorset.stop();
    }
  });

  it("needs a subject or an email", async () => {
    const res = await t.call("/api/addin/reports/open", { body: {} });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, "INVALID_BODY");
  });
});
