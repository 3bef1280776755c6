// The bot's store contract: the decision body, conversation references, and the ETag-guarded ballot write on
// the case store (bot/src/ports/{decisionBody,conversations,stores}.ts). Memory and Azure Tables run it alike.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ConcurrencyError, NotFoundError } from "../../bot/src/ports/errors";
import type { CaseStore } from "../../bot/src/ports/stores";
import type { ConversationStore } from "../../bot/src/ports/conversations";
import type { DecisionBodySeat, DecisionBodyStore } from "../../bot/src/ports/decisionBody";
import { AT, LATER, TRICKY_TEXT, aConflict, aVote, fullCase, withoutEtag } from "../support/storeFixtures";

export interface BotContractStores {
  decisionBody: DecisionBodyStore;
  conversations: ConversationStore;
  cases: CaseStore;
}

export function aSeat(over: Partial<DecisionBodySeat> = {}): DecisionBodySeat {
  return { userId: randomUUID(), displayName: "Pam Panel", email: "pam.panel@calm-demo.example", capacity: "member", positionId: "health-and-safety-manager", updatedAt: AT, ...over };
}

export function botStoreContract(name: string, fresh: () => Promise<BotContractStores>): void {
  describe(`bot store contract: ${name}`, function () {
    let s: BotContractStores;
    beforeEach(async () => {
      s = await fresh();
    });

    describe("decision body (Dorset 4.3: who sits on the panel)", () => {
      it("puts, reads and lists seats, with an etag, as copies", async () => {
        const chair = aSeat({ capacity: "chair", displayName: TRICKY_TEXT, positionId: "service-manager-assurance" });
        const member = aSeat();
        const put = await s.decisionBody.put(chair);
        assert.ok(put.etag);
        assert.deepEqual(withoutEtag(put), chair);
        await s.decisionBody.put(member);
        const read = await s.decisionBody.get(chair.userId);
        assert.ok(read);
        assert.deepEqual(withoutEtag(read), chair);
        read.displayName = "changed";
        assert.equal((await s.decisionBody.get(chair.userId))?.displayName, TRICKY_TEXT, "reads are copies");
        const all = await s.decisionBody.list();
        assert.deepEqual(all.map((x) => x.userId).sort(), [chair.userId, member.userId].sort());
      });

      it("replaces the seat of the same user (the latest word wins) and removes idempotently", async () => {
        const seat = aSeat();
        await s.decisionBody.put(seat);
        await s.decisionBody.put({ ...seat, capacity: "emergency-deputy", positionId: undefined, updatedAt: LATER });
        const read = await s.decisionBody.get(seat.userId);
        assert.equal(read?.capacity, "emergency-deputy");
        assert.equal(read?.positionId, undefined);
        assert.equal((await s.decisionBody.list()).length, 1);
        await s.decisionBody.remove(seat.userId);
        await s.decisionBody.remove(seat.userId);
        assert.equal(await s.decisionBody.get(seat.userId), undefined);
        assert.deepEqual(await s.decisionBody.list(), []);
      });
    });

    describe("conversation references", () => {
      const reference = () => ({ channelId: "msteams", serviceUrl: "https://smba.example/uk/", conversation: { id: "19:abc@thread.tacv2;messageid=1", isGroup: true }, bot: { id: "28:bot" } });

      it("round-trips a reference with its activity id and state", async () => {
        const rec = { key: `card:${randomUUID()}`, reference: reference(), activityId: "1700000000000", state: { lastIncidentId: "inc-1" }, updatedAt: AT };
        const put = await s.conversations.put(rec);
        assert.ok(put.etag);
        assert.deepEqual(withoutEtag(put), rec);
        const read = await s.conversations.get(rec.key);
        assert.ok(read);
        assert.deepEqual(withoutEtag(read), rec);
        (read.reference as { channelId: string }).channelId = "changed";
        assert.equal(((await s.conversations.get(rec.key))?.reference as { channelId: string }).channelId, "msteams");
      });

      it("replaces by key, keeps kinds apart, and deletes idempotently", async () => {
        const id = randomUUID();
        await s.conversations.put({ key: `user:${id}`, reference: reference(), updatedAt: AT });
        await s.conversations.put({ key: `card:${id}`, reference: reference(), activityId: "1", updatedAt: AT });
        await s.conversations.put({ key: `user:${id}`, reference: { ...reference(), serviceUrl: "https://smba.example/emea/" }, updatedAt: LATER });
        assert.equal(((await s.conversations.get(`user:${id}`))?.reference as { serviceUrl: string }).serviceUrl, "https://smba.example/emea/");
        assert.equal((await s.conversations.get(`card:${id}`))?.activityId, "1");
        await s.conversations.delete(`user:${id}`);
        await s.conversations.delete(`user:${id}`);
        assert.equal(await s.conversations.get(`user:${id}`), undefined);
        assert.ok(await s.conversations.get(`card:${id}`));
      });

      it("takes ids with characters a table key cannot hold", async () => {
        const key = "channel:19:abc/def#ghi?x@thread.tacv2";
        await s.conversations.put({ key, reference: reference(), updatedAt: AT });
        assert.ok(await s.conversations.get(key));
      });

      it("refuses a malformed key", async () => {
        await assert.rejects(() => s.conversations.get("nokind"), TypeError);
        await assert.rejects(() => s.conversations.put({ key: "other:1", reference: {}, updatedAt: AT }), TypeError);
      });
    });

    describe("the ballot: open, frozen by the chair's close, reopened (issue 3 item 4)", () => {
      it("a case created for a vote has an open ballot, read whole in one go", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "voting" }));
        await s.cases.writeBallot(c.id, { vote: aVote(c.id, "m1"), at: LATER });
        await s.cases.writeBallot(c.id, { conflict: aConflict(c.id, "m2"), at: LATER });
        const b = await s.cases.getBallot(c.id);
        assert.ok(b);
        assert.equal(b.open, true);
        assert.deepEqual(withoutEtag(b.case), withoutEtag(c));
        assert.equal(b.case.etag, c.etag, "ballot writes do not change the case row");
        assert.deepEqual(b.votes.map((v) => v.voter.id), ["m1"]);
        assert.deepEqual(b.conflicts.map((x) => x.member.id), ["m2"]);
        assert.equal(await s.cases.getBallot(randomUUID()), undefined);
      });

      it("members writing at the same moment never hold each other up", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "voting" }));
        const members = ["a", "b", "c", "d", "e", "f"];
        await Promise.all(members.map((m) => s.cases.writeBallot(c.id, { vote: aVote(c.id, m), at: LATER })));
        assert.deepEqual((await s.cases.getBallot(c.id))?.votes.map((v) => v.voter.id).sort(), members);
      });

      it("keeps one vote per member: a second write replaces the first", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "voting" }));
        await s.cases.writeBallot(c.id, { vote: aVote(c.id, "m1", "add-low"), at: AT });
        await s.cases.writeBallot(c.id, { vote: aVote(c.id, "m1", "add-high", LATER), at: LATER });
        const votes = (await s.cases.getBallot(c.id))!.votes;
        assert.equal(votes.length, 1);
        assert.equal(votes[0]!.choice, "add-high");
      });

      it("a frozen ballot refuses every write and writes nothing; reopening accepts them again", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "voting" }));
        await s.cases.freezeBallot(c.id);
        await s.cases.freezeBallot(c.id);
        assert.equal((await s.cases.getBallot(c.id))?.open, false);
        await assert.rejects(() => s.cases.writeBallot(c.id, { vote: aVote(c.id, "m1"), at: LATER }), ConcurrencyError);
        await assert.rejects(() => s.cases.writeBallot(c.id, { conflict: aConflict(c.id, "m2"), at: LATER }), ConcurrencyError);
        assert.deepEqual((await s.cases.getBallot(c.id))?.votes, []);
        assert.deepEqual((await s.cases.getBallot(c.id))?.conflicts, []);
        await s.cases.reopenBallot(c.id);
        await s.cases.reopenBallot(c.id);
        await s.cases.writeBallot(c.id, { vote: aVote(c.id, "m1"), at: LATER });
        assert.equal((await s.cases.getBallot(c.id))?.votes.length, 1);
      });

      it("writes racing a freeze either land before it (and are read after it) or are refused", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "voting" }));
        const members = Array.from({ length: 12 }, (_, i) => `m${i}`);
        const writes = members.map((m) => s.cases.writeBallot(c.id, { vote: aVote(c.id, m), at: LATER }).then(() => m, () => undefined));
        await s.cases.freezeBallot(c.id);
        const read = (await s.cases.getBallot(c.id))!.votes.map((v) => v.voter.id).sort();
        const acknowledged = (await Promise.all(writes)).filter((m): m is string => m !== undefined).sort();
        assert.deepEqual(read, acknowledged, "every acknowledged write is in the read after the freeze, and nothing else");
      });

      it("a case created without a vote has no open ballot", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "pending-ratification" }));
        assert.equal((await s.cases.getBallot(c.id))?.open, false);
        await assert.rejects(() => s.cases.writeBallot(c.id, { vote: aVote(c.id, "m1"), at: LATER }), ConcurrencyError);
      });

      it("deleting a case removes its ballot too", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "voting" }));
        await s.cases.writeBallot(c.id, { vote: aVote(c.id, "m1"), at: LATER });
        await s.cases.delete(c.id);
        assert.equal(await s.cases.getBallot(c.id), undefined);
        await assert.rejects(() => s.cases.reopenBallot(c.id), NotFoundError);
      });

      it("refuses a vote for another case (a programming error)", async () => {
        const c = await s.cases.create(fullCase(randomUUID(), { status: "voting" }));
        await assert.rejects(() => s.cases.writeBallot(c.id, { vote: aVote("other", "m1"), at: LATER }), TypeError);
      });
    });
  });
}
