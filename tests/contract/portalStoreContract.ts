// The portal store contract (bot/src/ports/portal.ts): access grants and recorded contact behave the same on
// every implementation (memory for unit tests, Azure Tables in production). Recorded contact is the portal's view
// of the lifecycle `contacts` collection.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { AccessGrant } from "../../core/src/domain";
import { AlreadyExistsError, ConcurrencyError, StoreLimitError } from "../../bot/src/ports/errors";
import type { PortalStores, RecordedContact } from "../../bot/src/ports/portal";
import { TRICKY_TEXT, longText, staff, withoutEtag } from "../support/storeFixtures";

export function aGrant(over: Partial<AccessGrant> = {}): AccessGrant {
  return {
    id: randomUUID(),
    principal: { kind: "group", id: randomUUID(), displayName: "Home visiting officers" },
    tiers: ["medium", "high"],
    includesPremises: true,
    rationale: "Staff who visit homes need to know about medium and high risks (Dorset 7.1).",
    grantedBy: staff("granter-1", "Ada Admin"),
    grantedAt: "2026-11-02T09:30:00.000Z",
    ...over,
  };
}

export function aContact(entryId: string, over: Partial<RecordedContact> = {}): RecordedContact {
  return {
    id: randomUUID(),
    entryId,
    subjectId: randomUUID(),
    at: "2026-11-02T09:30:00.000Z",
    kind: "positive",
    note: "Polite phone call about the repair; thanked the officer.",
    by: staff("officer-1", "Ola Officer"),
    createdAt: "2026-11-02T09:45:00.000Z",
    ...over,
  };
}

export function portalStoreContract(name: string, fresh: () => Promise<PortalStores>): void {
  describe(`portal store contract: ${name}`, function () {
    let stores: PortalStores;
    beforeEach(async () => {
      stores = await fresh();
    });

    describe("access grants", () => {
      it("round-trips every field, unicode included, and sets an etag", async () => {
        const grant = aGrant({ rationale: TRICKY_TEXT, expiresOn: "2027-11-02", principal: { kind: "user", id: "oid-1", displayName: TRICKY_TEXT } });
        const created = await stores.grants.create(grant);
        assert.ok(created.etag);
        assert.deepEqual(withoutEtag(created), grant);
        const read = await stores.grants.get(grant.id);
        assert.ok(read);
        assert.equal(read.etag, created.etag);
        assert.deepEqual(withoutEtag(read), grant);
      });

      it("answers undefined for a grant that does not exist", async () => {
        assert.equal(await stores.grants.get(randomUUID()), undefined);
      });

      it("never overwrites on create", async () => {
        const grant = aGrant();
        await stores.grants.create(grant);
        await assert.rejects(stores.grants.create({ ...grant, rationale: "other" }), AlreadyExistsError);
        assert.equal((await stores.grants.get(grant.id))?.rationale, grant.rationale);
      });

      it("revokes with the etag it read; a stale etag is a ConcurrencyError and changes nothing", async () => {
        const created = await stores.grants.create(aGrant());
        const revoked = await stores.grants.update({ ...created, revokedAt: "2026-11-03T10:00:00.000Z", revokedBy: staff("granter-2"), revocationReason: "Moved team" });
        assert.notEqual(revoked.etag, created.etag);
        await assert.rejects(stores.grants.update({ ...created, rationale: "stale" }), ConcurrencyError);
        const read = await stores.grants.get(created.id);
        assert.equal(read?.revokedAt, "2026-11-03T10:00:00.000Z");
        assert.equal(read?.rationale, created.rationale);
      });

      it("lists every grant oldest first, revoked ones included, as copies", async () => {
        const later = await stores.grants.create(aGrant({ grantedAt: "2026-11-05T09:00:00.000Z" }));
        const earlier = await stores.grants.create(aGrant({ grantedAt: "2026-11-01T09:00:00.000Z" }));
        await stores.grants.update({ ...later, revokedAt: "2026-11-06T09:00:00.000Z" });
        const list = await stores.grants.list();
        assert.deepEqual(list.map((g) => g.id), [earlier.id, later.id]);
        list[0]!.tiers.push("low");
        assert.deepEqual((await stores.grants.get(earlier.id))?.tiers, ["medium", "high"]);
      });

      it("refuses a rationale too large to store rather than truncating it", async () => {
        await assert.rejects(stores.grants.create(aGrant({ rationale: longText(600_000) })), StoreLimitError);
      });
    });

    describe("recorded contact", () => {
      it("round-trips a note and lists an entry's notes oldest first", async () => {
        const entryId = randomUUID();
        const second = aContact(entryId, { at: "2026-11-04T09:00:00.000Z", kind: "neutral", note: TRICKY_TEXT });
        const first = aContact(entryId, { at: "2026-11-01T09:00:00.000Z" });
        const other = aContact(randomUUID());
        await stores.contacts.add(second);
        await stores.contacts.add(first);
        await stores.contacts.add(other);
        assert.deepEqual((await stores.contacts.listByEntry(entryId)).map(withoutEtag), [first, second]);
        assert.deepEqual(await stores.contacts.listByEntry(randomUUID()), []);
      });

      it("never overwrites a note", async () => {
        const note = aContact(randomUUID());
        await stores.contacts.add(note);
        await assert.rejects(stores.contacts.add({ ...note, note: "changed" }), AlreadyExistsError);
        assert.equal((await stores.contacts.listByEntry(note.entryId))[0]?.note, note.note);
      });

      it("keeps a long note exactly (chunked, never truncated)", async () => {
        const note = aContact(randomUUID(), { note: longText(70_000) });
        await stores.contacts.add(note);
        assert.equal((await stores.contacts.listByEntry(note.entryId))[0]?.note, note.note);
      });
    });
  });
}
