// The store contract (bot/src/ports/stores.ts): every implementation of Stores runs this same suite, so
// the memory stores used by unit tests behave like the table stores used in production.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { AuditEvent, RegisterEntry, Subject } from "../../core/src/domain";
import { AlreadyExistsError, ConcurrencyError, NotFoundError, StoreLimitError } from "../../bot/src/ports/errors";
import type { Stores } from "../../bot/src/ports/stores";
import {
  AT,
  LATER,
  TRICKY_TEXT,
  aConflict,
  aVote,
  anAuditEvent,
  fullCase,
  fullEntry,
  fullIncident,
  fullSubject,
  longText,
  staff,
  withoutEtag,
} from "../support/storeFixtures";

export interface StoreContractHarness {
  /** Fresh, empty stores for one test. */
  fresh(): Promise<Stores>;
  /** Another Stores over the same storage as `stores`: what a second server instance would have. */
  sibling(stores: Stores): Promise<Stores>;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const sortIds = (ids: string[]) => [...ids].sort();

/** An audit event without the fields the store sets (the hash chain). */
function withoutChain(e: AuditEvent): Omit<AuditEvent, "chainId" | "seq" | "prevHash" | "hash"> {
  const { chainId: _c, seq: _s, prevHash: _p, hash: _h, ...rest } = e;
  return rest;
}

export function storeContract(name: string, h: StoreContractHarness): void {
  describe(`store contract: ${name}`, function () {
    let stores: Stores;
    beforeEach(async () => {
      stores = await h.fresh();
    });

    describe("subjects", () => {
      it("round-trips every field, including unicode, and sets an etag", async () => {
        const subject = fullSubject();
        const created = await stores.subjects.create(subject);
        assert.ok(created.etag, "create returns the etag");
        assert.deepEqual(withoutEtag(created), subject);
        const read = await stores.subjects.get(subject.id);
        assert.ok(read);
        assert.equal(read.etag, created.etag);
        assert.deepEqual(withoutEtag(read), subject);
      });

      it("keeps text longer than one table property exactly (chunked, never truncated)", async () => {
        const notes = longText(100_000);
        const subject = fullSubject({ sensitiveNotes: notes, aliases: [TRICKY_TEXT] });
        await stores.subjects.create(subject);
        const read = await stores.subjects.get(subject.id);
        assert.equal(read?.sensitiveNotes, notes);
        assert.deepEqual(read?.aliases, [TRICKY_TEXT]);
      });

      it("refuses a record over the 1 MiB entity limit with StoreLimitError and writes nothing", async () => {
        const subject = fullSubject({ sensitiveNotes: "x".repeat(600_000) });
        await assert.rejects(stores.subjects.create(subject), StoreLimitError);
        assert.equal(await stores.subjects.get(subject.id), undefined);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "alex.example@example.org"), []);
      });

      it("returns copies: changing what was read or written never changes the store", async () => {
        const subject = fullSubject();
        const created = await stores.subjects.create(subject);
        subject.aliases.push("Changed After Create");
        created.emails.push("changed@example.org");
        const read = await stores.subjects.get(subject.id);
        assert.ok(read);
        read.addresses[0]!.lines.push("Mutated");
        read.displayName = "Mutated";
        const again = await stores.subjects.get(subject.id);
        assert.equal(again?.displayName, "Alex Example");
        assert.deepEqual(again?.aliases, ["Zoë Exampleton", "A. Example-Smith"]);
        assert.deepEqual(again?.addresses[0]?.lines, ["1 Fictional Lane", "Flat 2"]);
        assert.equal(again?.emails.length, 2);
      });

      it("a second create with the same id fails with AlreadyExistsError and keeps the first", async () => {
        const subject = fullSubject();
        await stores.subjects.create(subject);
        await assert.rejects(stores.subjects.create({ ...subject, displayName: "Other Example" }), AlreadyExistsError);
        assert.equal((await stores.subjects.get(subject.id))?.displayName, "Alex Example");
      });

      it("get of an unknown id is undefined; update of one is NotFoundError", async () => {
        assert.equal(await stores.subjects.get(randomUUID()), undefined);
        await assert.rejects(stores.subjects.update({ ...fullSubject(), etag: 'W/"x"' }), NotFoundError);
      });

      it("update without the etag it was read with is refused", async () => {
        const created = await stores.subjects.create(fullSubject());
        await assert.rejects(stores.subjects.update({ ...created, etag: undefined }), TypeError);
      });

      it("two concurrent updates: one wins, the other gets ConcurrencyError, and nothing is lost", async () => {
        const created = await stores.subjects.create(fullSubject());
        const a = (await stores.subjects.get(created.id))!;
        const b = (await stores.subjects.get(created.id))!;
        const results = await Promise.allSettled([
          stores.subjects.update({ ...a, aliases: [...a.aliases, "Alias From A"] }),
          stores.subjects.update({ ...b, phones: [...b.phones, "07700 900777"] }),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assert.ok((lost[0] as PromiseRejectedResult).reason instanceof ConcurrencyError);
        const aWon = results[0].status === "fulfilled";

        // Re-read shows the winner's change; the loser re-applies its change to that and succeeds.
        const fresh = (await stores.subjects.get(created.id))!;
        assert.equal(fresh.aliases.includes("Alias From A"), aWon);
        assert.equal(fresh.phones.includes("07700 900777"), !aWon);
        const retried = aWon
          ? await stores.subjects.update({ ...fresh, phones: [...fresh.phones, "07700 900777"] })
          : await stores.subjects.update({ ...fresh, aliases: [...fresh.aliases, "Alias From A"] });
        const final = (await stores.subjects.get(created.id))!;
        assert.equal(final.etag, retried.etag);
        assert.ok(final.aliases.includes("Alias From A"));
        assert.ok(final.phones.includes("07700 900777"));
        // The index follows both changes.
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("phone", "+447700900777"), [created.id]);
      });

      it("a stale etag is refused even when no one else is writing at the same moment", async () => {
        const created = await stores.subjects.create(fullSubject());
        await stores.subjects.update({ ...created, displayName: "Alex Changed" });
        await assert.rejects(stores.subjects.update({ ...created, displayName: "Stale Write" }), ConcurrencyError);
        assert.equal((await stores.subjects.get(created.id))?.displayName, "Alex Changed");
      });

      it("finds ids by normalised email, phone and name token", async () => {
        const alex = await stores.subjects.create(fullSubject());
        const other = await stores.subjects.create(fullSubject({
          displayName: "Jordan Example", aliases: [], emails: ["jordan@example.com"], phones: ["07700 900321"],
        }));
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "alex.example@example.org"), [alex.id]);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "alex2@example.com"), [alex.id]);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("phone", "+447700900123"), [alex.id]);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("phone", "+447700900456"), [alex.id]);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("phone", "+447700900321"), [other.id]);
        // "Zoë" in an alias is found as "zoe"; "Example" is shared by both.
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "zoe"), [alex.id]);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "smith"), [alex.id]);
        assert.deepEqual(sortIds(await stores.subjects.findIdsByIdentifier("name", "example")), sortIds([alex.id, other.id]));
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "jordan"), [other.id]);
        // Kinds are separate indexes; unknown values find nothing.
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "zoe"), []);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "nobody@example.org"), []);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", ""), []);
      });

      it("the identifier index follows updates: removed identifiers stop matching, new ones match", async () => {
        const created = await stores.subjects.create(fullSubject());
        await stores.subjects.update({ ...created, emails: ["new.address@example.org"], aliases: [], displayName: "Alex Renamed" });
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "alex.example@example.org"), []);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "new.address@example.org"), [created.id]);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "zoe"), []);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "renamed"), [created.id]);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("phone", "+447700900123"), [created.id]);
      });

      it("handles a subject with more identifiers than one table transaction takes", async () => {
        const aliases = Array.from({ length: 130 }, (_, i) => `Alias${i}x Example`);
        const created = await stores.subjects.create(fullSubject({ aliases }));
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "alias129x"), [created.id]);
        const renamed = aliases.map((a) => a.replace("Alias", "Other"));
        await stores.subjects.update({ ...created, aliases: renamed });
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "alias129x"), []);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("name", "other129x"), [created.id]);
      });

      it("lists every subject", async () => {
        const ids = [];
        for (let i = 0; i < 5; i++) ids.push((await stores.subjects.create(fullSubject())).id);
        const listed = await collect(stores.subjects.list());
        assert.deepEqual(sortIds(listed.map((s) => s.id)), sortIds(ids));
        assert.ok(listed.every((s) => typeof s.etag === "string" && s.displayName === "Alex Example"));
      });
    });

    describe("register", () => {
      let subject: Subject;
      beforeEach(async () => {
        subject = await stores.subjects.create(fullSubject());
      });

      it("round-trips every field and returns copies", async () => {
        const entry = fullEntry(subject.id);
        const created = await stores.register.create(entry);
        assert.deepEqual(withoutEtag(created), entry);
        const read = (await stores.register.get(entry.id))!;
        assert.deepEqual(withoutEtag(read), entry);
        read.restrictions[0]!.params.perWeek = 99;
        read.guidance.pop();
        assert.deepEqual(withoutEtag((await stores.register.get(entry.id))!), entry);
      });

      it("AlreadyExists, NotFound and a stale etag behave like subjects", async () => {
        const created = await stores.register.create(fullEntry(subject.id));
        await assert.rejects(stores.register.create(fullEntry(subject.id, { id: created.id })), AlreadyExistsError);
        await assert.rejects(stores.register.update({ ...fullEntry(subject.id), etag: created.etag }), NotFoundError);
        await stores.register.update({ ...created, riskLevel: "high" });
        await assert.rejects(stores.register.update({ ...created, riskLevel: "low" }), ConcurrencyError);
        assert.equal((await stores.register.get(created.id))?.riskLevel, "high");
      });

      it("two concurrent updates of one entry: one wins, the loser retries, both changes are kept", async () => {
        const created = await stores.register.create(fullEntry(subject.id, { guidance: ["Do not visit alone."] }));
        const [a, b] = await Promise.all([stores.register.get(created.id), stores.register.get(created.id)]);
        const results = await Promise.allSettled([
          stores.register.update({ ...a!, riskLevel: "high" }),
          stores.register.update({ ...b!, guidance: [...b!.guidance, "Meet only at the Civic Centre."] }),
        ]);
        assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
        const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        assert.ok(rejected.reason instanceof ConcurrencyError);
        const fresh = (await stores.register.get(created.id))!;
        if (results[0].status === "fulfilled") {
          assert.equal(fresh.riskLevel, "high");
          await stores.register.update({ ...fresh, guidance: [...fresh.guidance, "Meet only at the Civic Centre."] });
        } else {
          assert.deepEqual(fresh.guidance, ["Do not visit alone.", "Meet only at the Civic Centre."]);
          await stores.register.update({ ...fresh, riskLevel: "high" });
        }
        const final = (await stores.register.get(created.id))!;
        assert.equal(final.riskLevel, "high");
        assert.deepEqual(final.guidance, ["Do not visit alone.", "Meet only at the Civic Centre."]);
      });

      it("lists by subject, including removed entries, and nothing of other subjects", async () => {
        const other = await stores.subjects.create(fullSubject());
        const e1 = await stores.register.create(fullEntry(subject.id));
        const e2 = await stores.register.create(fullEntry(subject.id, { status: "removed" }));
        await stores.register.create(fullEntry(other.id));
        const listed = await stores.register.listBySubject(subject.id);
        assert.deepEqual(sortIds(listed.map((e) => e.id)), sortIds([e1.id, e2.id]));
        assert.deepEqual(await stores.register.listBySubject(randomUUID()), []);
      });

      it("listCurrent excludes removed entries, including ones removed by an update", async () => {
        const active = await stores.register.create(fullEntry(subject.id));
        const review = await stores.register.create(fullEntry(subject.id, { status: "under-review" }));
        const pending = await stores.register.create(fullEntry(subject.id, { status: "pending-ratification" }));
        await stores.register.create(fullEntry(subject.id, { status: "removed" }));
        const toRemove = await stores.register.create(fullEntry(subject.id));
        await stores.register.update({ ...toRemove, status: "removed", removedOn: "2026-12-01" });
        const current = await collect(stores.register.listCurrent());
        assert.deepEqual(sortIds(current.map((e) => e.id)), sortIds([active.id, review.id, pending.id]));
      });

      it("listDueForReview: on or before the date, current entries only, and it follows updates", async () => {
        const make = (nextReviewOn: string | undefined, over: Partial<RegisterEntry> = {}) =>
          stores.register.create(fullEntry(subject.id, { nextReviewOn, ...over }));
        const before = await make("2027-01-31");
        const on = await make("2027-02-01");
        const after = await make("2027-02-02");
        await make(undefined);
        await make("2027-01-15", { status: "removed" });
        const earlier = await make("2026-12-31", { status: "under-review" });

        const due = await stores.register.listDueForReview("2027-02-01");
        assert.deepEqual(due.map((e) => e.id), [earlier.id, before.id, on.id], "ordered by review date");
        assert.deepEqual((await stores.register.listDueForReview("2027-01-31")).map((e) => e.id), [earlier.id, before.id]);
        assert.deepEqual(await stores.register.listDueForReview("2026-12-30"), []);

        // Moving the review date and removing an entry move it in and out of the due list.
        await stores.register.update({ ...after, nextReviewOn: "2027-01-01" });
        await stores.register.update({ ...before, status: "removed" });
        const due2 = await stores.register.listDueForReview("2027-02-01");
        assert.deepEqual(due2.map((e) => e.id), [earlier.id, after.id, on.id]);
        assert.equal(due2[1]!.nextReviewOn, "2027-01-01");

        await assert.rejects(stores.register.listDueForReview("1 Feb 2027"), TypeError);
        await assert.rejects(stores.register.create(fullEntry(subject.id, { nextReviewOn: "2027-2-1" })), TypeError);
      });

      it("change feed: starts empty at now, sees a change made by another instance, and does not repeat it", async () => {
        const other = await h.sibling(stores);
        const start = await stores.register.changesSince(undefined);
        assert.deepEqual(start.subjectIds, []);
        assert.equal(typeof start.cursor, "string");

        const s2 = randomUUID();
        await other.register.markChanged(subject.id, AT);
        await other.register.markChanged(s2, LATER);
        await other.register.markChanged(subject.id, LATER);
        const first = await stores.register.changesSince(start.cursor);
        assert.deepEqual(sortIds(first.subjectIds), sortIds([subject.id, s2]), "each changed subject once");

        const second = await stores.register.changesSince(first.cursor);
        assert.deepEqual(second.subjectIds, [], "nothing new, nothing repeated");

        await stores.register.markChanged(s2, LATER);
        const third = await other.register.changesSince(first.cursor);
        assert.deepEqual(third.subjectIds, [s2], "a cursor works on any instance");
        await assert.rejects(stores.register.changesSince("not-a-cursor"), TypeError);
      });
    });

    describe("incidents", () => {
      it("round-trips every field, lists by subject, follows a change of subject", async () => {
        const s1 = randomUUID();
        const s2 = randomUUID();
        const incident = fullIncident(s1, { description: longText(50_000), immediateActionNote: "", witnesses: [] });
        const created = await stores.incidents.create(incident);
        assert.deepEqual(withoutEtag(created), incident);
        assert.deepEqual(withoutEtag((await stores.incidents.get(incident.id))!), incident);
        const second = await stores.incidents.create(fullIncident(s1));
        assert.deepEqual(sortIds((await stores.incidents.listBySubject(s1)).map((i) => i.id)), sortIds([incident.id, second.id]));

        // Reported against the wrong person: moved to the right one.
        await stores.incidents.update({ ...created, subjectId: s2 });
        assert.deepEqual((await stores.incidents.listBySubject(s1)).map((i) => i.id), [second.id]);
        assert.deepEqual((await stores.incidents.listBySubject(s2)).map((i) => i.id), [incident.id]);
      });

      it("AlreadyExists, NotFound, concurrency and copies", async () => {
        const created = await stores.incidents.create(fullIncident(randomUUID()));
        await assert.rejects(stores.incidents.create(fullIncident(randomUUID(), { id: created.id })), AlreadyExistsError);
        await assert.rejects(stores.incidents.update({ ...fullIncident(randomUUID()), etag: created.etag }), NotFoundError);
        const a = (await stores.incidents.get(created.id))!;
        a.witnesses[0]!.statement = "changed in memory";
        assert.equal((await stores.incidents.get(created.id))!.witnesses[0]!.statement, "I heard it.");
        await stores.incidents.update({ ...created, policeReference: "PR/2026/0002" });
        await assert.rejects(stores.incidents.update({ ...created, policeReference: "lost" }), ConcurrencyError);
        assert.equal((await stores.incidents.get(created.id))!.policeReference, "PR/2026/0002");
      });
    });

    describe("cases, votes and conflicts", () => {
      it("round-trips every field and lists by status, following status changes", async () => {
        const c = fullCase(randomUUID());
        const created = await stores.cases.create(c);
        assert.deepEqual(withoutEtag(created), c);
        assert.deepEqual(withoutEtag((await stores.cases.get(c.id))!), c);
        const draft = await stores.cases.create(fullCase(randomUUID(), { status: "draft" }));
        assert.deepEqual((await stores.cases.listByStatus("voting")).map((x) => x.id), [c.id]);
        await stores.cases.update({ ...created, status: "decided" });
        assert.deepEqual(await stores.cases.listByStatus("voting"), []);
        assert.deepEqual((await stores.cases.listByStatus("decided")).map((x) => x.id), [c.id]);
        assert.deepEqual((await stores.cases.listByStatus("draft")).map((x) => x.id), [draft.id]);
        await assert.rejects(stores.cases.update({ ...created, status: "withdrawn" }), ConcurrencyError);
        await assert.rejects(stores.cases.create(fullCase(randomUUID(), { id: c.id })), AlreadyExistsError);
        await assert.rejects(stores.cases.update({ ...fullCase(randomUUID()), etag: created.etag }), NotFoundError);
      });

      it("one vote per member: a repeat replaces (created false), other cases are separate", async () => {
        const caseId = randomUUID();
        const otherCase = randomUUID();
        const first = await stores.cases.putVote(aVote(caseId, "member-1", "add-medium"));
        assert.equal(first.created, true);
        assert.ok(first.vote.etag);
        assert.equal((await stores.cases.putVote(aVote(caseId, "member-2", "no-action"))).created, true);
        const repeat = await stores.cases.putVote(aVote(caseId, "member-1", "add-high", LATER));
        assert.equal(repeat.created, false);
        assert.equal(repeat.vote.choice, "add-high");
        await stores.cases.putVote(aVote(otherCase, "member-1", "no-action"));

        const votes = await stores.cases.listVotes(caseId);
        assert.equal(votes.length, 2);
        const byVoter = new Map(votes.map((v) => [v.voter.id, v]));
        assert.equal(byVoter.get("member-1")?.choice, "add-high");
        assert.equal(byVoter.get("member-1")?.castAt, LATER);
        assert.deepEqual(byVoter.get("member-2")?.voter, staff("member-2", "Member member-2"));
        assert.equal((await stores.cases.listVotes(otherCase)).length, 1);
        assert.deepEqual(await stores.cases.listVotes(randomUUID()), []);
      });

      it("concurrent first votes of one member count once", async () => {
        const caseId = randomUUID();
        const results = await Promise.all([
          stores.cases.putVote(aVote(caseId, "member-9", "add-low")),
          stores.cases.putVote(aVote(caseId, "member-9", "add-low")),
        ]);
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal((await stores.cases.listVotes(caseId)).length, 1);
      });

      it("conflict declarations: one per member, the chair's ruling replaces, listed per case", async () => {
        const caseId = randomUUID();
        const declared = aConflict(caseId, "member-3");
        assert.deepEqual(await stores.cases.putConflict(declared), declared);
        await stores.cases.putConflict(aConflict(caseId, "member-4", { reason: TRICKY_TEXT }));
        const ruled = { ...declared, excluded: true, ruledBy: staff("chair-1", "Chris Chair") };
        await stores.cases.putConflict(ruled);
        await stores.cases.putConflict(aConflict(randomUUID(), "member-3"));
        const conflicts = await stores.cases.listConflicts(caseId);
        assert.equal(conflicts.length, 2);
        assert.deepEqual(conflicts.find((c) => c.member.id === "member-3"), ruled);
        assert.equal(conflicts.find((c) => c.member.id === "member-4")?.reason, TRICKY_TEXT);
        assert.deepEqual(await stores.cases.listVotes(caseId), [], "votes and conflicts are kept apart");
      });
    });

    describe("audit", () => {
      it("lists by subject and by actor, newest first, with a limit", async () => {
        const subjectId = randomUUID();
        const times = ["2026-11-02T09:00:00.000Z", "2026-11-02T11:00:00.000Z", "2026-11-02T10:00:00.000Z", "2026-11-01T23:59:59.999Z"];
        const events = times.map((at, i) => anAuditEvent({ at, subjectId, actorId: i % 2 === 0 ? "officer-a" : "officer-b" }));
        for (const e of events) await stores.audit.append(e);
        await stores.audit.append(anAuditEvent({ actorId: "officer-a", subjectId: undefined, entryId: undefined, at: "2026-11-03T08:00:00.000Z", action: "export" }));

        const bySubject = await stores.audit.listBySubject(subjectId);
        assert.deepEqual(bySubject.map((e) => e.at), [times[1], times[2], times[0], times[3]]);
        assert.deepEqual(withoutChain(bySubject[0]!), withoutChain(events[1]!), "every field kept");
        assert.deepEqual((await stores.audit.listBySubject(subjectId, 2)).map((e) => e.at), [times[1], times[2]]);

        const byA = await stores.audit.listByActor("officer-a");
        assert.deepEqual(byA.map((e) => e.at), ["2026-11-03T08:00:00.000Z", times[2], times[0]]);
        assert.equal(byA[0]!.subjectId, undefined);
        assert.deepEqual((await stores.audit.listByActor("officer-b", 1)).map((e) => e.at), [times[1]]);
        assert.deepEqual(await stores.audit.listByActor("nobody"), []);
        await assert.rejects(stores.audit.listByActor("officer-a", 0), TypeError);
      });

      it("refuses an audit event over 32 KiB with StoreLimitError and chains nothing", async () => {
        const e = anAuditEvent({ what: Array.from({ length: 400 }, (_, i) => `reference-${i}-${"x".repeat(80)}`) });
        await assert.rejects(stores.audit.append(e), (err: unknown) => err instanceof StoreLimitError && /at most 32 KiB/.test(err.message));
        assert.deepEqual(await stores.audit.listBySubject(e.subjectId!), []);
        assert.equal((await stores.audit.verify()).events, 0);
      });

      it("keeps a burst of large events (each near the 32 KiB limit): every one chained, listed and verified", async () => {
        const subjectId = randomUUID();
        const events = Array.from({ length: 30 }, (_, i) =>
          anAuditEvent({ subjectId, at: new Date(Date.parse(AT) + i * 1000).toISOString(), what: Array.from({ length: 250 }, (_, k) => `reference-${i}-${k}-${"x".repeat(100)}`) }),
        );
        await Promise.all(events.map((e) => stores.audit.append(e)));
        const listed = await stores.audit.listBySubject(subjectId);
        assert.equal(listed.length, 30);
        assert.deepEqual(listed.map((e) => e.what.length), events.map(() => 250));
        const check = await stores.audit.verify();
        assert.ok(check.intact, JSON.stringify(check.problems));
        assert.equal(check.events, 30);
      });

      it("appending the same event again (a retry) does not duplicate it", async () => {
        const e = anAuditEvent();
        await stores.audit.append(e);
        await stores.audit.append(e);
        assert.equal((await stores.audit.listBySubject(e.subjectId!)).length, 1);
        assert.equal((await stores.audit.listByActor(e.actorId)).length, 1);
        const check = await stores.audit.verify();
        assert.equal(check.events, 1, "chained once");
        assert.ok(check.intact, JSON.stringify(check.problems));
      });

      it("chains every event: seq 1, 2, 3…, each linked to the one before, whatever hash the caller sent", async () => {
        const subjectId = randomUUID();
        for (let i = 0; i < 5; i++) await stores.audit.append(anAuditEvent({ subjectId, at: `2026-11-02T09:00:0${i}.000Z` }));
        const listed = (await stores.audit.listBySubject(subjectId)).reverse();
        assert.deepEqual(listed.map((e) => e.seq), [1, 2, 3, 4, 5]);
        assert.equal(listed[0]!.prevHash, "0".repeat(64), "the first event links to the genesis hash");
        for (let i = 1; i < listed.length; i++) assert.equal(listed[i]!.prevHash, listed[i - 1]!.hash);
        for (const e of listed) {
          assert.match(e.hash ?? "", /^[0-9a-f]{64}$/);
          assert.notEqual(e.hash, "b".repeat(64), "the store sets the hash, not the caller");
          assert.equal(e.chainId, listed[0]!.chainId);
        }
        const check = await stores.audit.verify();
        assert.ok(check.intact, JSON.stringify(check.problems));
        assert.equal(check.events, 5);
        assert.equal(check.problemCount, 0);
        assert.deepEqual(check.chains.map((c) => [c.events, c.headSeq, c.headHash]), [[5, 5, listed[4]!.hash]]);
      });

      it("an empty log verifies as intact", async () => {
        const check = await stores.audit.verify();
        assert.equal(check.intact, true);
        assert.equal(check.events, 0);
      });

      it("stays one unbroken chain when many appends (and a second instance) run at once", async () => {
        const other = await h.sibling(stores);
        const subjectId = randomUUID();
        const events = Array.from({ length: 60 }, (_, i) => anAuditEvent({ subjectId, actorId: `officer-${i % 3}`, at: new Date(Date.parse(AT) + i * 1000).toISOString() }));
        await Promise.all(events.map((e, i) => (i % 2 === 0 ? stores : other).audit.append(e)));
        const check = await stores.audit.verify();
        assert.ok(check.intact, JSON.stringify(check.problems));
        assert.equal(check.events, 60);
        const listed = await stores.audit.listBySubject(subjectId);
        assert.equal(listed.length, 60);
        assert.deepEqual(listed.map((e) => e.seq).sort((a, b) => a! - b!), Array.from({ length: 60 }, (_, i) => i + 1), "no seq used twice, none skipped");
      });
    });

    describe("deleting (retention purge, issue 7)", () => {
      it("deletes a subject with its identifier index; deleting again is fine", async () => {
        const subject = await stores.subjects.create(fullSubject());
        const other = await stores.subjects.create(fullSubject({ id: randomUUID() }));
        await stores.subjects.delete(subject.id);
        assert.equal(await stores.subjects.get(subject.id), undefined);
        assert.deepEqual(await stores.subjects.findIdsByIdentifier("email", "alex2@example.com"), [other.id]);
        const listed: string[] = [];
        for await (const s of stores.subjects.list()) listed.push(s.id);
        assert.deepEqual(listed, [other.id]);
        await stores.subjects.delete(subject.id);
      });

      it("deletes a register entry with its subject and review indexes", async () => {
        const subjectId = randomUUID();
        const entry = await stores.register.create(fullEntry(subjectId, { nextReviewOn: "2027-01-05" }));
        await stores.register.delete(entry.id);
        assert.equal(await stores.register.get(entry.id), undefined);
        assert.deepEqual(await stores.register.listBySubject(subjectId), []);
        assert.deepEqual((await stores.register.listDueForReview("2030-01-01")).map((e) => e.id), []);
        await stores.register.delete(entry.id);
      });

      it("deletes an incident with its subject index", async () => {
        const subjectId = randomUUID();
        const a = await stores.incidents.create(fullIncident(subjectId));
        const b = await stores.incidents.create(fullIncident(subjectId, { id: randomUUID() }));
        await stores.incidents.delete(a.id);
        assert.equal(await stores.incidents.get(a.id), undefined);
        assert.deepEqual((await stores.incidents.listBySubject(subjectId)).map((i) => i.id), [b.id]);
        await stores.incidents.delete(a.id);
      });

      it("deletes a case with its votes, conflict declarations and status index", async () => {
        const c = await stores.cases.create(fullCase(randomUUID(), { status: "decided" }));
        await stores.cases.putVote(aVote(c.id, "member-1"));
        await stores.cases.putVote(aVote(c.id, "member-2"));
        await stores.cases.putConflict(aConflict(c.id, "member-3"));
        await stores.cases.delete(c.id);
        assert.equal(await stores.cases.get(c.id), undefined);
        assert.deepEqual(await stores.cases.listVotes(c.id), []);
        assert.deepEqual(await stores.cases.listConflicts(c.id), []);
        assert.deepEqual((await stores.cases.listByStatus("decided")).map((x) => x.id), []);
        await stores.cases.delete(c.id);
      });
    });

    describe("references", () => {
      it("counts per prefix, zero-padded to four digits", async () => {
        assert.equal(await stores.references.next("CAL"), "CAL-0001");
        assert.equal(await stores.references.next("CAL"), "CAL-0002");
        assert.equal(await stores.references.next("INC"), "INC-0001");
        assert.equal(await stores.references.next("CAL"), "CAL-0003");
        await assert.rejects(stores.references.next("CAL-"), TypeError);
      });

      it("20 concurrent calls give 20 distinct, increasing references", async function () {
        this.timeout(30_000);
        const refs = await Promise.all(Array.from({ length: 20 }, () => stores.references.next("CASE")));
        const numbers = refs.map((r) => Number(/^CASE-(\d{4,})$/.exec(r)?.[1]));
        assert.equal(new Set(refs).size, 20);
        assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
        assert.equal(await stores.references.next("CASE"), "CASE-0021");
      });

      it("another instance continues the same sequence", async () => {
        const other = await h.sibling(stores);
        assert.equal(await stores.references.next("CAL"), "CAL-0001");
        assert.equal(await other.references.next("CAL"), "CAL-0002");
      });
    });
  });
}
