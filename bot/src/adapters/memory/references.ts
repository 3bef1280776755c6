// In-memory ReferenceCounter: `CAL-0001`, `CAL-0002`, … per prefix; never reused.
import type { ReferenceCounter } from "../../ports/stores";
import { assertReferencePrefix, formatReference } from "../tables/keys";

export class MemoryReferenceCounter implements ReferenceCounter {
  private readonly counters = new Map<string, number>();

  async next(prefix: string): Promise<string> {
    assertReferencePrefix(prefix);
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return Promise.resolve(formatReference(prefix, n));
  }
}
