// The register change feed on Azure Tables, with each instance on its own (fake) clock: the hour-bucket
// boundary, clock skew between instances, a clock far ahead, a reader that paused for hours, pruning.
// The contract suite (tests/contract) covers the ordinary case on both implementations.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createTableStores, type TableStores } from "../../../bot/src/adapters/tables";
import { hourBucket } from "../../../bot/src/adapters/tables/changeFeed";
import { startAzurite, type RunningAzurite } from "../../../scripts/support/azurite";
import { freshPrefix } from "../../support/storeFixtures";

const HASH_KEY = "change-feed-test-identifier-hash-key";

/** A settable clock for one instance. */
class FakeClock {
  constructor(public ms: number) {}
  set(iso: string): void { this.ms = Date.parse(iso); }
  advance(ms: number): void { this.ms += ms; }
  now = (): Date => new Date(this.ms);
}

describe("Register change feed on Azure Tables (instances with their own clocks)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  before(async () => { azurite = await startAzurite({ inMemory: true }); });
  after(async () => { await azurite?.stop(); });

  async function instances(readerStart: string, writerStart: string, overlapMs?: number) {
    const prefix = freshPrefix();
    const readerClock = new FakeClock(Date.parse(readerStart));
    const writerClock = new FakeClock(Date.parse(writerStart));
    const open = (clock: FakeClock): Promise<TableStores> => createTableStores({
      connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: HASH_KEY,
      changeFeed: { clock: clock.now, ...(overlapMs !== undefined ? { overlapMs } : {}) },
    });
    return { reader: await open(readerClock), writer: await open(writerClock), readerClock, writerClock };
  }

  it("crosses an hour boundary without losing or repeating a change", async () => {
    const { reader, writer, readerClock, writerClock } = await instances("2026-11-23T12:59:58.000Z", "2026-11-23T12:59:58.000Z");
    const start = await reader.register.changesSince(undefined);
    const [a, b] = [randomUUID(), randomUUID()];
    writerClock.set("2026-11-23T12:59:59.500Z");
    await writer.register.markChanged(a, "2026-11-23T12:59:59.500Z");
    writerClock.set("2026-11-23T13:00:00.200Z");
    await writer.register.markChanged(b, "2026-11-23T13:00:00.200Z");
    assert.notEqual(hourBucket(Date.parse("2026-11-23T12:59:59.500Z")), hourBucket(Date.parse("2026-11-23T13:00:00.200Z")));

    readerClock.set("2026-11-23T13:00:01.000Z");
    const first = await reader.register.changesSince(start.cursor);
    assert.deepEqual(first.subjectIds, [a, b]);
    readerClock.set("2026-11-23T13:00:02.000Z");
    assert.deepEqual((await reader.register.changesSince(first.cursor)).subjectIds, []);
  });

  it("sees a change from an instance whose clock is 3 s behind, thanks to the overlap window", async () => {
    const { reader, writer, readerClock, writerClock } = await instances("2026-11-23T10:00:03.000Z", "2026-11-23T10:00:00.000Z");
    const early = randomUUID();
    await reader.register.markChanged(early, "2026-11-23T10:00:03.000Z");
    const start = await reader.register.changesSince(undefined);
    readerClock.advance(1000);
    const p1 = await reader.register.changesSince(start.cursor);
    assert.deepEqual(p1.subjectIds, [], "what was there before 'now' is not news");

    // The writer records at its own time, 10:00:00.5, before the reader's watermark.
    const late = randomUUID();
    writerClock.advance(500);
    await writer.register.markChanged(late, "2026-11-23T10:00:00.500Z");
    readerClock.advance(1000);
    const p2 = await reader.register.changesSince(p1.cursor);
    assert.deepEqual(p2.subjectIds, [late]);
    readerClock.advance(1000);
    assert.deepEqual((await reader.register.changesSince(p2.cursor)).subjectIds, []);
  });

  it("(why the overlap exists) with no overlap, the same skewed write would be missed", async () => {
    const { reader, writer, readerClock, writerClock } = await instances("2026-11-23T10:00:03.000Z", "2026-11-23T10:00:00.000Z", 0);
    await reader.register.markChanged(randomUUID(), "2026-11-23T10:00:03.000Z");
    const start = await reader.register.changesSince(undefined);
    const late = randomUUID();
    writerClock.advance(500);
    await writer.register.markChanged(late, "2026-11-23T10:00:00.500Z");
    readerClock.advance(1000);
    assert.deepEqual((await reader.register.changesSince(start.cursor)).subjectIds, []);
  });

  it("an instance with a clock an hour ahead does not push the watermark past correct clocks", async () => {
    const { reader, writer, readerClock } = await instances("2026-11-23T10:00:00.000Z", "2026-11-23T11:00:00.000Z");
    const start = await reader.register.changesSince(undefined);
    const ahead = randomUUID();
    await writer.register.markChanged(ahead, "2026-11-23T11:00:00.000Z");
    readerClock.advance(1000);
    const p1 = await reader.register.changesSince(start.cursor);
    assert.deepEqual(p1.subjectIds, [ahead]);

    // A correct-clock instance (the reader itself here) writes next; it must still be seen.
    const normal = randomUUID();
    readerClock.advance(500);
    await reader.register.markChanged(normal, "2026-11-23T10:00:01.500Z");
    readerClock.advance(500);
    const p2 = await reader.register.changesSince(p1.cursor);
    assert.deepEqual(p2.subjectIds, [normal], "seen, and the far-ahead row not repeated");
  });

  it("a reader that paused for hours gets every change since its cursor, across several buckets", async () => {
    const { reader, writer, readerClock, writerClock } = await instances("2026-11-23T08:00:00.000Z", "2026-11-23T08:00:00.000Z");
    const start = await reader.register.changesSince(undefined);
    const ids: string[] = [];
    for (let hour = 0; hour < 4; hour++) {
      writerClock.advance(55 * 60_000);
      const id = randomUUID();
      ids.push(id);
      await writer.register.markChanged(id, writerClock.now().toISOString());
    }
    readerClock.set("2026-11-23T12:00:00.000Z");
    const got = await reader.register.changesSince(start.cursor);
    assert.deepEqual(got.subjectIds, ids);
  });

  it("prunes change rows of whole hours before a date", async () => {
    const { reader, writer, writerClock } = await instances("2026-11-23T08:00:00.000Z", "2026-11-23T08:30:00.000Z");
    await writer.register.markChanged(randomUUID(), "2026-11-23T08:30:00.000Z");
    writerClock.set("2026-11-23T09:30:00.000Z");
    await writer.register.markChanged(randomUUID(), "2026-11-23T09:30:00.000Z");
    assert.equal(await reader.changeFeed.prune(new Date("2026-11-23T09:15:00.000Z")), 1);
    assert.equal(await reader.changeFeed.prune(new Date("2026-11-23T09:15:00.000Z")), 0);
  });
});
