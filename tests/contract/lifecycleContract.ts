// The lifecycle store contract (bot/src/ports/lifecycle.ts): memory and Azure Tables run this same suite.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { AlreadyExistsError, ConcurrencyError, NotFoundError, StoreLimitError } from "../../bot/src/ports/errors";
import type { LifecycleStores, ReviewRecord } from "../../bot/src/ports/lifecycle";
import { LIFECYCLE_COLLECTIONS } from "../../bot/src/ports/lifecycle";
import { TRICKY_TEXT, longText, staff, withoutEtag } from "../support/storeFixtures";

export interface LifecycleContractHarness {
  fresh(): Promise<LifecycleStores>;
  /** Another set of stores over the same storage: a second server instance. */
  sibling(stores: LifecycleStores): Promise<LifecycleStores>;
}

function aReview(over: Partial<ReviewRecord> = {}): ReviewRecord {
  return {
    id: randomUUID(),
    entryId: randomUUID(),
    subjectId: randomUUID(),
    reference: "CAL-0042",
    dueOn: "2027-05-23",
    status: "open",
    openedAt: "2027-05-23T07:00:00.000Z",
    approverName: "the Health and Safety Committee",
    newIncidentIds: ["i-1", "i-2"],
    contactNotes: [{ at: "2027-01-02T09:00:00.000Z", kind: "positive", note: TRICKY_TEXT, by: staff("s-1") }],
    suggestion: { outcome: "remove", reasons: ["No new incidents since the entry was made."], sources: ["East Suffolk 4.7"] },
    ...over,
  };
}

export function lifecycleContract(name: string, h: LifecycleContractHarness): void {
  describe(`lifecycle store contract: ${name}`, function () {
    let stores: LifecycleStores;
    beforeEach(async () => {
      stores = await h.fresh();
    });

    it("has every collection", () => {
      for (const c of LIFECYCLE_COLLECTIONS) assert.equal(typeof stores[c].find, "function", c);
    });

    it("round-trips a record exactly (unicode, nested objects, booleans) and sets an etag", async () => {
      const review = aReview({ serviceJustification: longText(40_000) });
      const created = await stores.reviews.create(review);
      assert.ok(created.etag);
      assert.deepEqual(withoutEtag(created), review);
      const read = await stores.reviews.get(review.id);
      assert.deepEqual(withoutEtag(read!), review);
      assert.equal(read!.etag, created.etag);
    });

    it("create never overwrites", async () => {
      const review = aReview();
      await stores.reviews.create(review);
      await assert.rejects(stores.reviews.create({ ...review, status: "decided" }), AlreadyExistsError);
      assert.equal((await stores.reviews.get(review.id))?.status, "open");
    });

    it("update needs the etag it read: a stale one is a ConcurrencyError, a missing record NotFoundError", async () => {
      const created = await stores.reviews.create(aReview());
      const first = await stores.reviews.update({ ...created, status: "decided" });
      assert.notEqual(first.etag, created.etag);
      await assert.rejects(stores.reviews.update({ ...created, status: "closed" }), ConcurrencyError);
      assert.equal((await stores.reviews.get(created.id))?.status, "decided");
      await assert.rejects(stores.reviews.update({ ...aReview(), etag: first.etag }), (e: unknown) => e instanceof NotFoundError || e instanceof ConcurrencyError);
      await assert.rejects(stores.reviews.update({ ...first, etag: undefined }), TypeError);
    });

    it("of two concurrent updates from the same read, exactly one wins", async () => {
      const created = await stores.leases.create({ id: "review-due:e1:2027-05-23", job: "review-due", owner: "a", leaseUntil: "2027-05-23T07:01:00.000Z", status: "running", attempts: 1 });
      const results = await Promise.allSettled([
        stores.leases.update({ ...created, owner: "a", status: "done" }),
        stores.leases.update({ ...created, owner: "b" }),
      ]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      assert.ok(results.some((r) => r.status === "rejected" && r.reason instanceof ConcurrencyError));
    });

    it("find matches text and true/false fields, in id order; {} lists everything", async () => {
      const entryId = randomUUID();
      await stores.reviews.create(aReview({ id: "b", entryId, status: "open" }));
      await stores.reviews.create(aReview({ id: "a", entryId, status: "decided" }));
      await stores.reviews.create(aReview({ id: "c", status: "open" }));
      assert.deepEqual((await stores.reviews.find({ entryId })).map((r) => r.id), ["a", "b"]);
      assert.deepEqual((await stores.reviews.find({ entryId, status: "open" })).map((r) => r.id), ["b"]);
      assert.deepEqual((await stores.reviews.find()).map((r) => r.id), ["a", "b", "c"]);
      await stores.subscriptions.create({ id: "s1", serviceArea: "Housing", events: ["added"], target: { kind: "webhook", url: "https://example.org/hook" }, active: true, createdBy: "x", createdAt: "2027-01-01T00:00:00.000Z" });
      await stores.subscriptions.create({ id: "s2", serviceArea: "Planning", events: ["removed"], target: { kind: "webhook", url: "https://example.org/hook" }, active: false, createdBy: "x", createdAt: "2027-01-01T00:00:00.000Z" });
      assert.deepEqual((await stores.subscriptions.find({ active: true })).map((s) => s.id), ["s1"]);
      assert.deepEqual(await stores.subscriptions.find({ serviceArea: "O'Brien's" }), [], "quotes are escaped");
      await assert.rejects(stores.reviews.find({ "bad field": "x" }), TypeError);
    });

    it("collections are separate: the same id in two collections is two records", async () => {
      await stores.settings.create({ id: "x", value: "1", updatedAt: "2027-01-01T00:00:00.000Z" });
      await stores.markers.create({ id: "x", subjectId: "s", reference: "CAL-0001", listed: true, changedAt: "2027-01-01T00:00:00.000Z" });
      assert.equal((await stores.settings.find()).length, 1);
      assert.equal((await stores.markers.find()).length, 1);
    });

    it("delete removes the record; deleting again is fine", async () => {
      const review = await stores.reviews.create(aReview());
      await stores.reviews.delete(review.id);
      assert.equal(await stores.reviews.get(review.id), undefined);
      await stores.reviews.delete(review.id);
      assert.deepEqual(await stores.reviews.find({ entryId: review.entryId }), []);
    });

    it("ids with characters keys forbid (/ \\ # ?) work", async () => {
      const id = "appeal-reminder:a/b#c?d\\e";
      await stores.leases.create({ id, job: "appeal-reminder", owner: "o", leaseUntil: "2027-01-01T00:00:00.000Z", status: "running", attempts: 0 });
      assert.equal((await stores.leases.get(id))?.id, id);
    });

    it("returns copies", async () => {
      const review = aReview();
      const created = await stores.reviews.create(review);
      created.newIncidentIds.push("changed");
      review.newIncidentIds.push("changed too");
      assert.deepEqual((await stores.reviews.get(review.id))?.newIncidentIds, ["i-1", "i-2"]);
    });

    it("refuses a record over the entity limit with StoreLimitError", async () => {
      await assert.rejects(stores.reviews.create(aReview({ serviceJustification: "x".repeat(600_000) })), StoreLimitError);
    });

    it("another instance sees the same records and the same etags", async () => {
      const other = await h.sibling(stores);
      const created = await stores.appeals.create({
        id: randomUUID(), entryId: "e", subjectId: "s", reference: "CAL-0001", receivedOn: "2027-01-04", grounds: "The decision was unreasonable.",
        status: "received", route: "appeal", windowEndsOn: "2027-02-10", inTime: true, involvedIds: ["p1"], recordedBy: staff("a"), createdAt: "2027-01-04T10:00:00.000Z", remindersSent: [],
      });
      const seen = await other.appeals.get(created.id);
      assert.equal(seen?.etag, created.etag);
      await other.appeals.update({ ...seen!, status: "decided", outcome: "upheld" });
      await assert.rejects(stores.appeals.update({ ...created, status: "withdrawn" }), ConcurrencyError);
    });
  });
}
