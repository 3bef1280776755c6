// The email contact rule behind the Outlook compose warning and the send-time alert (core/src/rules/emailContact.ts).
import assert from "node:assert/strict";
import { checkEmailContact, emailEffectOf } from "../../../core/src/rules/emailContact";
import type { Restriction } from "../../../core/src/domain";
import { anEntry, aSubject } from "../../support/fixtures";

const today = "2026-11-23";
const restriction = (over: Partial<Restriction>): Restriction => ({
  id: "r1", kind: "single-point-of-contact", params: {}, serviceAreas: [], startsOn: "2026-11-01", endsOn: "2027-05-01",
  staffInstruction: "Only the Housing SPOC replies.", ...over,
});
const SAM = { displayName: "Sam Spoc", mailbox: "spoc.housing@calm-demo.example" };
const entry = (restrictions: Restriction[], spoc: typeof SAM | null = SAM) => ({ ...anEntry(aSubject().id), restrictions, spoc: spoc ?? undefined });
const officer = { addresses: ["ola.officer@calm-demo.example"], serviceAreas: ["Housing"], today };

describe("Email contact rule (compose warning and Smart Alert)", () => {
  it("stops a non-SPOC replying to someone with a SPOC restriction (Dorset 4.11)", () => {
    const check = checkEmailContact(entry([restriction({})]), officer);
    assert.equal(check.stopsSend, true);
    assert.equal(check.senderIsSpoc, false);
    assert.deepEqual(check.restrictions.map((r) => [r.kind, r.effect]), [["single-point-of-contact", "stop"]]);
    assert.deepEqual(check.spoc, { displayName: "Sam Spoc", mailbox: "spoc.housing@calm-demo.example" });
  });

  it("never stops the SPOC: their own address, the shared SPOC inbox they send from, however it is typed", () => {
    for (const addresses of [["Spoc.Housing@CALM-demo.example"], ["ola.officer@calm-demo.example", " spoc.housing+reply@calm-demo.example "]]) {
      const check = checkEmailContact(entry([restriction({})]), { ...officer, addresses });
      assert.equal(check.senderIsSpoc, true, addresses.join());
      assert.equal(check.stopsSend, false, addresses.join());
      assert.equal(check.restrictions.length, 1, "the SPOC still sees the restriction");
    }
  });

  it("counts the mailbox named by a SPOC restriction or a divert as the SPOC, even without entry.spoc", () => {
    const spocRestriction = restriction({ params: { displayName: "Tenancy Team", mailbox: "tenancy@calm-demo.example" } });
    const byRestriction = checkEmailContact(entry([spocRestriction], null), { ...officer, addresses: ["tenancy@calm-demo.example"] });
    assert.equal(byRestriction.senderIsSpoc, true);
    assert.deepEqual(byRestriction.spoc, { displayName: "Tenancy Team", mailbox: "tenancy@calm-demo.example" });
    const divert = restriction({ kind: "email-divert", params: { spocMailbox: "divert.spoc@calm-demo.example" } });
    const byDivert = checkEmailContact(entry([divert], null), { ...officer, addresses: ["divert.spoc@calm-demo.example"] });
    assert.equal(byDivert.senderIsSpoc, true);
    assert.equal(byDivert.stopsSend, false);
    assert.equal(checkEmailContact(entry([divert], null), officer).stopsSend, true);
  });

  it("stops email under one channel only unless email is that channel", () => {
    assert.equal(emailEffectOf({ kind: "single-channel", params: { channel: "letter" } }), "stop");
    assert.equal(emailEffectOf({ kind: "single-channel", params: { channel: "email" } }), undefined);
  });

  it("stops a reply where correspondence is filed without acknowledgement (East Suffolk 4.5.2) or goes via a support worker", () => {
    assert.equal(emailEffectOf({ kind: "correspondence-filed-without-acknowledgement", params: {} }), "stop");
    assert.equal(emailEffectOf({ kind: "contact-via-support-worker", params: {} }), "stop");
  });

  it("only warns for a closed matter or a contact limit that covers email; ignores restrictions about visits and buildings", () => {
    assert.equal(emailEffectOf({ kind: "no-further-correspondence-on-matter", params: {} }), "warn");
    assert.equal(emailEffectOf({ kind: "contact-limit", params: { contacts: 1, per: "week" } }), "warn");
    assert.equal(emailEffectOf({ kind: "contact-limit", params: { contacts: 1, per: "week", channel: "phone" } }), undefined);
    assert.equal(emailEffectOf({ kind: "home-visits-in-pairs", params: {} }), undefined);
    assert.equal(emailEffectOf({ kind: "building-ban", params: { buildings: ["Civic Centre"] } }), undefined);
    const warnOnly = checkEmailContact(entry([restriction({ kind: "no-further-correspondence-on-matter" })]), officer);
    assert.equal(warnOnly.stopsSend, false);
    assert.equal(warnOnly.restrictions.length, 1);
  });

  it("leaves out restrictions not yet in force or already ended", () => {
    const ended = restriction({ endsOn: "2026-11-22" });
    const future = restriction({ id: "r2", startsOn: "2026-12-01" });
    const check = checkEmailContact(entry([ended, future]), officer);
    assert.deepEqual(check.restrictions, []);
    assert.equal(check.stopsSend, false);
    assert.equal(checkEmailContact(entry([restriction({ endsOn: today })]), officer).stopsSend, true, "in force on its last day");
  });

  it("applies a restriction for one service area only to staff of that service (East Suffolk 4.5)", () => {
    const planningOnly = restriction({ kind: "correspondence-filed-without-acknowledgement", serviceAreas: ["Planning"] });
    assert.equal(checkEmailContact(entry([planningOnly]), officer).stopsSend, false);
    assert.equal(checkEmailContact(entry([planningOnly]), { ...officer, serviceAreas: [" planning "] }).stopsSend, true);
  });

  it("ignores malformed sender addresses rather than matching them", () => {
    const check = checkEmailContact(entry([restriction({})]), { ...officer, addresses: ["", "not an address", "@@"] });
    assert.equal(check.senderIsSpoc, false);
    assert.equal(check.stopsSend, true);
  });
});
