import assert from "node:assert/strict";
import { createMemoryStores } from "../../../bot/src/adapters/memory";
import { FakeClock } from "../../../bot/src/adapters/system/clock";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { LookupService } from "../../../bot/src/services/lookup";
import type { Stores } from "../../../bot/src/ports/stores";
import type { Caller, EntryView, RiskLevel } from "../../../core/src/domain";
import { aCaller, anEntry, aSubject } from "../../support/fixtures";

// A stand-in access rule for these tests: officers see everything in full, home visitors medium and high only,
// councillors the minimum. The real, per-policy rule is tested in tests/unit/core.
function viewFor(caller: Caller, entry: { riskLevel: RiskLevel; isPremises: boolean }): EntryView {
  if (caller.roles.includes("officer")) return "full";
  if (caller.roles.includes("contractor")) return entry.riskLevel === "low" ? "hidden" : "minimum";
  if (caller.roles.includes("councillor")) return "minimum";
  return "hidden";
}

describe("Lookup: is this person on the list?", () => {
  let stores: Stores;
  let lookup: LookupService;
  let counter = 0;
  const clock = new FakeClock("2026-11-23T10:00:00Z");

  async function list(over: Parameters<typeof aSubject>[0] = {}, risk: RiskLevel = "medium", entryOver: Parameters<typeof anEntry>[2] = {}) {
    const subject = await stores.subjects.create(aSubject(over));
    const entry = await stores.register.create(anEntry(subject.id, risk, entryOver));
    await lookup.subjectChanged(subject.id);
    return { subject, entry };
  }

  beforeEach(async () => {
    stores = createMemoryStores();
    lookup = new LookupService({ stores, clock, ids: { next: () => `id-${++counter}` }, logger: silentLogger, registerName: "Customer Alert List", viewFor });
    await lookup.load();
  });

  it("finds a listed person by email however it is typed, as a certain match", async () => {
    const { entry } = await list();
    const out = await lookup.lookup(aCaller(), "  Alex.Example+council@EXAMPLE.org ", "bot");
    assert.ok(out.ok);
    assert.equal(out.result.matches.length, 1);
    const m = out.result.matches[0]!;
    assert.equal(m.certainty, "exact");
    assert.equal(m.matchedOn, "email");
    assert.equal(m.card.reference, entry.reference);
    assert.equal(m.card.statusLine, "On the Customer Alert List — Medium risk");
  });

  it("finds a listed person by phone in any UK format", async () => {
    await list();
    for (const typed of ["07700900123", "+44 7700 900123", "0044 (0)7700-900-123"]) {
      const out = await lookup.lookup(aCaller(), typed, "bot");
      assert.ok(out.ok && out.result.matches.length === 1, typed);
      assert.equal(out.ok && out.result.matches[0]!.certainty, "exact");
    }
  });

  it("shows a name-only match as possible, never certain, including aliases and a typo", async () => {
    await list({ displayName: "Jordan Placeholder", aliases: ["J. Sample"], emails: [], phones: [] });
    for (const typed of ["jordan placeholder", "Jordan Placehlder", "J Sample"]) {
      const out = await lookup.lookup(aCaller(), typed, "tab");
      assert.ok(out.ok);
      assert.equal(out.result.matches.length, 1, typed);
      assert.equal(out.result.matches[0]!.certainty, "possible");
    }
  });

  it("does not match a different person who only shares a first name", async () => {
    await list({ displayName: "Jordan Placeholder", emails: [], phones: [] });
    const out = await lookup.lookup(aCaller(), "Jordan Someone", "tab");
    assert.ok(out.ok);
    assert.equal(out.result.matches.length, 0);
  });

  it("gives a councillor only the 'take care' lines: no name, restrictions, review date or history", async () => {
    await list({}, "high");
    const out = await lookup.lookup(aCaller(["councillor"]), "alex.example@example.org", "bot");
    assert.ok(out.ok);
    const card = out.result.matches[0]!.card;
    assert.equal(card.view, "minimum");
    assert.match(card.statusLine, /^Take care — high risk$/);
    assert.equal(card.subjectName, undefined);
    assert.deepEqual(card.restrictions, []);
    assert.equal(card.nextReviewOn, undefined);
    assert.equal(card.historyAvailable, false);
    assert.ok(card.whatToDo.some((l) => l.includes("single point of contact (SPOC)")));
  });

  it("never reveals an entry hidden from the caller: it answers exactly like no match", async () => {
    await list({}, "low");
    const hidden = await lookup.lookup(aCaller(["contractor"]), "alex.example@example.org", "bot");
    const nobody = await lookup.lookup(aCaller(["contractor"]), "nobody@example.org", "bot");
    assert.deepEqual(hidden.ok && hidden.result.matches, []);
    assert.deepEqual(nobody.ok && nobody.result.matches, []);
    const senders = await lookup.checkSenders(aCaller(["contractor"]), ["alex.example@example.org"], "addin");
    assert.equal(senders[0]!.listed, false);
  });

  it("audits every lookup that finds someone, and nothing for one that finds nobody", async () => {
    const { subject } = await list();
    await lookup.lookup(aCaller(), "nobody@example.org", "bot");
    assert.deepEqual(await stores.audit.listBySubject(subject.id), []);
    await lookup.lookup(aCaller(), "alex.example@example.org", "bot");
    const events = await stores.audit.listBySubject(subject.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.action, "lookup");
    assert.equal(events[0]!.surface, "bot");
    assert.equal(events[0]!.actorId, aCaller().id);
  });

  it("checks many senders at once and says which address is not an email address", async () => {
    await list();
    const results = await lookup.checkSenders(aCaller(), ["ALEX.EXAMPLE@example.org", "someone@example.com", "not an address"], "addin");
    assert.deepEqual(results.map((r) => [r.listed, r.valid]), [[true, true], [false, true], [false, false]]);
  });

  it("stops matching as soon as an entry is removed on this instance", async () => {
    const { subject, entry } = await list();
    await stores.register.update({ ...entry, status: "removed", removedOn: "2026-11-23" });
    await lookup.subjectChanged(subject.id);
    assert.equal(lookup.isListedAddress("alex.example@example.org").listed, false);
  });

  it("sees a listing made by another instance after one poll of the change feed", async () => {
    const other = new LookupService({ stores, clock, ids: { next: () => `o-${++counter}` }, logger: silentLogger, registerName: "Customer Alert List", viewFor });
    await other.load();
    await list({ emails: ["new.person@example.org"] });
    assert.equal(other.isListedAddress("new.person@example.org").listed, false);
    await other.pollOnce();
    assert.equal(other.isListedAddress("new.person@example.org").listed, true);
  });

  it("refuses a query that is neither an email, a phone number nor a name", async () => {
    const out = await lookup.lookup(aCaller(), "  !! ", "bot");
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(out.code, "LOOKUP_QUERY_INVALID");
  });

  it("shows the highest-risk entry the caller may see", async () => {
    const subject = await stores.subjects.create(aSubject());
    await stores.register.create(anEntry(subject.id, "low"));
    await stores.register.create(anEntry(subject.id, "high"));
    await lookup.subjectChanged(subject.id);
    const out = await lookup.lookup(aCaller(), "alex.example@example.org", "bot");
    assert.equal(out.ok && out.result.matches[0]!.card.riskLevel, "high");
  });
});
