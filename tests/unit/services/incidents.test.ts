import assert from "node:assert/strict";
import { StoreUnavailableError } from "../../../bot/src/ports/errors";
import type { Failure, ReportResult } from "../../../bot/src/services/incidents";
import { INCIDENT_LIMITS } from "../../../bot/src/services/incidents";
import { anEntry, aSubject } from "../../support/fixtures";
import { aCasework, aKey, aReport, persona, type CaseworkHarness } from "../../support/casework";

const ola = persona("Ola Officer");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function ok(out: ReportResult | Failure): ReportResult {
  if (!out.ok) assert.fail(`expected ok, got ${out.code}: ${out.message} ${JSON.stringify(out.problems)}`);
  return out;
}
function failed(out: { ok: boolean }): Failure {
  assert.equal(out.ok, false, "expected a failure");
  return out as Failure;
}
const codes = (f: Failure) => (f.problems ?? []).map((p) => p.code).sort();

describe("IncidentService: reporting an incident (issue 3 item 1)", () => {
  let h: CaseworkHarness;
  beforeEach(async () => {
    h = await aCasework();
  });

  it("saves every field of DOMAIN.md 'Incident' with a reference, and creates the new subject", async () => {
    const out = ok(await h.cw.incidents.report(ola, aReport({
      witnesses: [
        { name: "Wendy Witness", statement: "Heard the shouting.", isStaff: true },
        { name: "Walter Witness", statement: "Saw them push the door.", isStaff: false },
      ],
      policeReference: "CAD-1234/23",
      hateIncident: true,
      immediateAction: "other",
      immediateActionNote: "Moved colleagues to the back office",
      externalEvidence: [{ kind: "cctv", reference: "Camera 3, 09:25-09:40" }],
    }), aKey(), "tab"));
    const i = out.incident;
    assert.equal(i.reference, "INC-0001");
    assert.equal(out.subjectCreated, true);
    assert.equal(out.duplicate, false);
    assert.equal(i.reporter.id, ola.id);
    assert.equal(i.witnesses.length, 2, "several witness statements (East Suffolk 4.1)");
    assert.equal(i.hateIncident, true, "hate-incident flag (Dorset 3.2, Tamworth 4)");
    assert.equal(i.immediateAction, "other", "immediate action taken (West Lindsey 8.5)");
    assert.equal(i.immediateActionNote, "Moved colleagues to the back office");
    assert.equal(i.policeReference, "CAD-1234/23");
    assert.equal(i.evidence[0]?.kind, "cctv");
    const subject = await h.stores.subjects.get(i.subjectId);
    assert.equal(subject?.displayName, "Alex Example");
    assert.deepEqual(await h.stores.incidents.get(i.id).then((x) => x?.reference), "INC-0001");
    assert.deepEqual(h.changedSubjects, [i.subjectId], "the lookup index is told about the new subject");
  });

  it("says what happens next under the policy, citing the section (Dorset 4.3)", async () => {
    const out = ok(await h.cw.incidents.report(ola, aReport(), aKey(), "bot"));
    assert.match(out.whatHappensNext[0]!, /Unreasonable Behaviours Panel.*\(Dorset 4\.3\)\.$/);
  });

  it("makes one incident from a double submit with the same key (idempotent)", async () => {
    const key = aKey();
    const first = ok(await h.cw.incidents.report(ola, aReport(), key, "tab"));
    const again = ok(await h.cw.incidents.report(ola, aReport(), key, "tab"));
    assert.equal(again.duplicate, true);
    assert.equal(again.incident.id, first.incident.id);
    assert.equal(again.incident.reference, "INC-0001");
    assert.equal((await h.stores.incidents.listBySubject(first.incident.subjectId)).length, 1);
    assert.equal(await h.stores.references.next("INC"), "INC-0002", "the repeat drew no new reference");
  });

  it("keys are per reporter: another person's same key makes their own report", async () => {
    const key = aKey();
    const a = ok(await h.cw.incidents.report(ola, aReport(), key, "tab"));
    const b = ok(await h.cw.incidents.report(persona("Max Manager"), aReport(), key, "tab"));
    assert.notEqual(a.incident.id, b.incident.id);
  });

  it("converges when retried after a failure half-way: one subject, one incident", async () => {
    const key = aKey();
    const create = h.stores.incidents.create.bind(h.stores.incidents);
    let failOnce = true;
    h.stores.incidents.create = async (i) => {
      if (failOnce) { failOnce = false; throw new StoreUnavailableError("incidents.create"); }
      return create(i);
    };
    await assert.rejects(() => h.cw.incidents.report(ola, aReport(), key, "tab"), StoreUnavailableError);
    const out = ok(await h.cw.incidents.report(ola, aReport(), key, "tab"));
    assert.equal(out.duplicate, false);
    const subjects = [];
    for await (const s of h.stores.subjects.list()) subjects.push(s);
    assert.equal(subjects.length, 1, "the retry found the subject the first attempt made");
    assert.equal((await h.stores.incidents.listBySubject(out.incident.subjectId)).length, 1);
  });

  it("lists every problem at once with a stable code, and saves nothing", async () => {
    const out = failed(await h.cw.incidents.report(ola, {
      subject: { new: { kind: "person", displayName: " ", emails: ["not-an-email"], phones: ["12"] } },
      occurredAt: "yesterday",
      channel: "pigeon",
      category: "rudeness",
      witnesses: [{ name: "Wendy Witness" }, { statement: "I saw it" }, {}],
      policeReference: "<script>",
      immediateAction: "other",
      externalEvidence: [{ kind: "cctv" }],
    }, aKey(), "tab"));
    assert.equal(out.code, "INCIDENT_INVALID");
    assert.deepEqual(codes(out), [
      "CATEGORY_INVALID", "CHANNEL_INVALID", "DESCRIPTION_REQUIRED", "EVIDENCE_REFERENCE_REQUIRED", "IMMEDIATE_ACTION_NOTE_REQUIRED",
      "LOCATION_REQUIRED", "OCCURRED_AT_INVALID", "POLICE_REFERENCE_INVALID", "SERVICE_AREA_REQUIRED", "SUBJECT_EMAIL_INVALID",
      "SUBJECT_NAME_REQUIRED", "SUBJECT_PHONE_INVALID", "WITNESS_NAME_REQUIRED", "WITNESS_STATEMENT_REQUIRED",
    ].sort());
    for (const p of out.problems!) assert.ok(p.message.length > 10 && !/undefined/.test(p.message), p.message);
    const subjects = [];
    for await (const s of h.stores.subjects.list()) subjects.push(s);
    assert.equal(subjects.length, 0);
    assert.equal(await h.stores.references.next("INC"), "INC-0001", "no reference was used");
  });

  it("refuses a date in the future: 'Check the date and try again'", async () => {
    const out = failed(await h.cw.incidents.report(ola, aReport({ occurredAt: "2026-11-24T09:00:00.000Z" }), aKey(), "bot"));
    assert.deepEqual(codes(out), ["OCCURRED_IN_FUTURE"]);
    assert.match(out.message, /future\. Check the date and try again/);
  });

  it("needs a subject, and an existing one must exist", async () => {
    assert.deepEqual(codes(failed(await h.cw.incidents.report(ola, aReport({ subject: undefined }), aKey(), "bot"))), ["SUBJECT_REQUIRED"]);
    assert.deepEqual(codes(failed(await h.cw.incidents.report(ola, aReport({ subject: { existingId: "nobody" } }), aKey(), "bot"))), ["SUBJECT_NOT_FOUND"]);
  });

  it("reports about an existing subject without touching it", async () => {
    const s = await h.stores.subjects.create(aSubject());
    const out = ok(await h.cw.incidents.report(ola, aReport({ subject: { existingId: s.id } }), aKey(), "bot"));
    assert.equal(out.incident.subjectId, s.id);
    assert.equal(out.subjectCreated, false);
  });

  it("refuses an address as subject where the policy has no premises risks (East Suffolk 3)", async () => {
    const es = await aCasework({ preset: "east-suffolk" });
    const out = failed(await es.cw.incidents.report(ola, aReport({ subject: { new: { kind: "premises", displayName: "4 Imaginary Close" } } }), aKey(), "bot"));
    assert.deepEqual(codes(out), ["SUBJECT_KIND_NOT_ALLOWED"]);
    ok(await h.cw.incidents.report(ola, aReport({ subject: { new: { kind: "premises", displayName: "4 Imaginary Close" } } }), aKey(), "bot"));
  });

  it("refuses a bad idempotency key", async () => {
    assert.equal(failed(await h.cw.incidents.report(ola, aReport(), "short", "bot")).code, "IDEMPOTENCY_KEY_INVALID");
  });

  it("brings the review of a listed subject forward and says so (Dorset 8.1)", async () => {
    const s = await h.stores.subjects.create(aSubject());
    const entry = await h.stores.register.create(anEntry(s.id, "medium", { nextReviewOn: "2027-05-01" }));
    const out = ok(await h.cw.incidents.report(ola, aReport({ subject: { existingId: s.id }, occurredAt: "2026-11-20T10:00:00.000Z" }), aKey(), "bot"));
    assert.equal((await h.stores.register.get(entry.id))?.nextReviewOn, "2026-11-20");
    assert.match(out.whatHappensNext.join("\n"), /already on the Unreasonable Behaviours schedule/);
    assert.match(out.whatHappensNext.join("\n"), /brings their review forward \(Dorset 8\.1\)/);
    assert.ok(h.changedSubjects.includes(s.id));
  });

  it("who may read a report: the reporter and managers, not another officer", async () => {
    const out = ok(await h.cw.incidents.report(ola, aReport(), aKey(), "bot"));
    assert.ok(await h.cw.incidents.get(ola, out.incident.id));
    assert.ok(await h.cw.incidents.get(persona("Max Manager"), out.incident.id));
    assert.equal(await h.cw.incidents.get({ ...ola, id: "someone-else" }, out.incident.id), undefined);
    assert.equal(await h.cw.incidents.get(persona("Connor Contractor"), out.incident.id), undefined);
  });

  describe("many contacts in one report (East Suffolk 4.2)", () => {
    const contacts = [
      { at: "2026-11-20T10:00:00.000Z", channel: "phone", summary: "Same closed complaint" },
      { at: "2026-11-18T10:00:00.000Z", channel: "email", summary: "Same closed complaint, again" },
      { at: "2026-11-21T16:00:00.000Z", channel: "phone", summary: "Demanded a call back" },
    ];

    it("East Suffolk 4.2: one report covers many contacts of unreasonably persistent contact", async () => {
      const es = await aCasework({ preset: "east-suffolk" });
      const out = ok(await es.cw.incidents.report(ola, aReport({ category: "unreasonably-persistent-contact", contacts }), aKey(), "bot"));
      assert.equal(out.incident.contactCount, 3);
      assert.equal(out.incident.occurredAt, "2026-11-18T10:00:00.000Z");
      assert.equal(out.incident.occurredUntil, "2026-11-23T09:30:00.000Z");
      assert.match(out.whatHappensNext.join("\n"), /add the contacts to INC-0001.*\(East Suffolk 4\.2\)/);

      const more = await es.cw.incidents.addContacts(ola, out.incident.id, [contacts[0]!, { at: "2026-11-22T11:00:00.000Z", channel: "letter", summary: "Letter about the same matter" }]);
      assert.ok(more.ok);
      assert.equal(more.incident.contactCount, 4, "a contact already on the report is not added twice");
      assert.equal(more.added, 1);
      const again = await es.cw.incidents.addContacts(ola, out.incident.id, [contacts[0]!]);
      assert.ok(again.ok);
      assert.equal(again.added, 0);
    });

    it("East Suffolk 4.2 only for persistent contact: a verbal abuse report cannot carry many contacts", async () => {
      const es = await aCasework({ preset: "east-suffolk" });
      const out = failed(await es.cw.incidents.report(ola, aReport({ category: "verbal-abuse", contacts }), aKey(), "bot"));
      assert.deepEqual(codes(out), ["CONTACTS_NOT_ALLOWED"]);
    });

    it("Dorset is silent on it: every contact is its own report", async () => {
      const out = failed(await h.cw.incidents.report(ola, aReport({ category: "unreasonably-persistent-contact", contacts }), aKey(), "bot"));
      assert.deepEqual(codes(out), ["CONTACTS_NOT_ALLOWED"]);
      assert.match(out.problems![0]!.message, /Report each contact on its own/);
    });

    it("checks each contact", async () => {
      const es = await aCasework({ preset: "east-suffolk" });
      const out = failed(await es.cw.incidents.report(ola, aReport({ category: "unreasonably-persistent-contact", contacts: [{ at: "2030-01-01T00:00:00Z", channel: "fax" }] }), aKey(), "bot"));
      assert.deepEqual(codes(out), ["CONTACT_INVALID", "CONTACT_INVALID", "CONTACT_INVALID"]);
    });
  });

  describe("evidence files", () => {
    let incidentId: string;
    beforeEach(async () => {
      incidentId = ok(await h.cw.incidents.report(ola, aReport(), aKey(), "bot")).incident.id;
    });

    it("stores a file in the blob store under ids only, and records it on the incident", async () => {
      const out = await h.cw.incidents.addEvidence(ola, incidentId, { data: PNG, contentType: "image/png", fileName: "C:\\Users\\ola\\photo of door.png" });
      assert.ok(out.ok);
      assert.equal(out.duplicate, false);
      assert.equal(out.evidence.fileName, "photo of door.png", "no path kept");
      assert.match(out.evidence.blobName!, /^evidence\/inc-[0-9a-f]+\/ev-[0-9a-f]+$/);
      assert.deepEqual((await h.blobs.get(out.evidence.blobName!))?.data, PNG);
      assert.equal((await h.stores.incidents.get(incidentId))?.evidence.length, 1);
    });

    it("the same file twice makes one evidence item", async () => {
      const a = await h.cw.incidents.addEvidence(ola, incidentId, { data: PNG, contentType: "image/png", fileName: "a.png" });
      const b = await h.cw.incidents.addEvidence(ola, incidentId, { data: PNG, contentType: "image/png", fileName: "a.png" });
      assert.ok(a.ok && b.ok);
      assert.equal(b.duplicate, true);
      assert.equal((await h.stores.incidents.get(incidentId))?.evidence.length, 1);
      assert.equal((await h.blobs.list("evidence/")).length, 1);
    });

    it("keeps the original email from Outlook as email evidence", async () => {
      const out = await h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.from("From: a@example.org\r\nSubject: x\r\n\r\nbody"), contentType: "message/rfc822" });
      assert.ok(out.ok);
      assert.equal(out.evidence.kind, "email");
    });

    it("refuses a type not on the list, an empty file, a file too large, and bytes that are not what they claim", async () => {
      assert.equal(failed(await h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.from("MZ"), contentType: "application/x-msdownload" })).code, "EVIDENCE_TYPE_NOT_ALLOWED");
      assert.equal(failed(await h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.alloc(0), contentType: "text/plain" })).code, "EVIDENCE_EMPTY");
      assert.equal(failed(await h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.alloc(INCIDENT_LIMITS.evidenceBytes + 1, 0x20), contentType: "text/plain" })).code, "EVIDENCE_TOO_LARGE");
      assert.equal(failed(await h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.from("not a png"), contentType: "image/png" })).code, "EVIDENCE_CONTENT_MISMATCH");
      assert.equal((await h.stores.incidents.get(incidentId))?.evidence.length, 0);
      assert.deepEqual(await h.blobs.list(""), []);
    });

    it("only the reporter (or a manager) adds evidence; to anyone else the report does not exist", async () => {
      assert.equal(failed(await h.cw.incidents.addEvidence({ ...ola, id: "someone-else" }, incidentId, { data: PNG, contentType: "image/png" })).code, "NOT_FOUND");
      assert.ok((await h.cw.incidents.addEvidence(persona("Max Manager"), incidentId, { data: PNG, contentType: "image/png" })).ok);
    });

    it("caps the files on one report", async () => {
      for (let i = 0; i < INCIDENT_LIMITS.evidenceFiles; i++) {
        assert.ok((await h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.from(`note ${i}`), contentType: "text/plain" })).ok);
      }
      assert.equal(failed(await h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.from("one more"), contentType: "text/plain" })).code, "TOO_MANY_EVIDENCE_FILES");
    });

    it("two files added at once both land (ETag retry)", async () => {
      const [a, b] = await Promise.all([
        h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.from("first"), contentType: "text/plain" }),
        h.cw.incidents.addEvidence(ola, incidentId, { data: Buffer.from("second"), contentType: "text/plain" }),
      ]);
      assert.ok(a.ok && b.ok);
      assert.equal((await h.stores.incidents.get(incidentId))?.evidence.length, 2);
    });
  });
});
