// Human references (`CAL-0042`) on Azure Tables: one counter row per prefix
// (PartitionKey "counter", RowKey = prefix), advanced with an etag-guarded replace. Two instances that
// read the same value cannot both write the next one: the loser gets 412 and tries again after a short,
// random pause. Never reused, gap-free unless a caller drops the reference it was given.
import { setTimeout as sleep } from "node:timers/promises";
import { AlreadyExistsError, ConcurrencyError } from "../../ports/errors";
import type { ReferenceCounter } from "../../ports/stores";
import type { StoreErrorContext } from "./errors";
import type { TableGateway } from "./gateway";
import { assertReferencePrefix, formatReference } from "./keys";

const PARTITION = "counter";
/** Enough for dozens of instances taking references at once; each round one of them wins. */
const MAX_ATTEMPTS = 100;

export class TableReferenceCounter implements ReferenceCounter {
  constructor(private readonly table: TableGateway) {}

  async next(prefix: string): Promise<string> {
    assertReferencePrefix(prefix);
    const ctx: StoreErrorContext = { operation: "references.next", entity: "reference counter", id: prefix };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const row = await this.table.get(PARTITION, prefix, ctx);
      const value = row ? Number(row.value) + 1 : 1;
      if (row && !Number.isSafeInteger(value)) throw new Error(`The ${prefix} reference counter holds "${String(row.value)}", not a number. Fix the row in the counters table.`);
      try {
        if (row) await this.table.replace({ partitionKey: PARTITION, rowKey: prefix, value: String(value) }, row.etag, ctx);
        else await this.table.create({ partitionKey: PARTITION, rowKey: prefix, value: String(value) }, ctx);
        return formatReference(prefix, value);
      } catch (err) {
        // Someone else took this number (412), or created the counter first (409): read again.
        if (!(err instanceof ConcurrencyError) && !(err instanceof AlreadyExistsError)) throw err;
      }
      // Random pause, growing a little with each attempt, so competing instances spread out.
      await sleep(Math.floor(Math.random() * 10 * Math.min(attempt, 10)));
    }
    throw new ConcurrencyError("reference counter", prefix);
  }
}
