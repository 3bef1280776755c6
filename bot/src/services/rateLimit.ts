// Per-user rate limits on lookups and sender checks (issue 8 item 7): a token bucket per person and kind of
// request, in this server's memory. Taking a token is a Map lookup and a little arithmetic (well under a
// microsecond), so the sender-check hot path does not feel it (`npm run bench:lookup`).
//
// Why in memory and not in storage: the limit is there to slow bulk lookups ("scraping" the register). With N
// instances behind the load balancer a person could get at most N times the limit, which still stops
// scraping; a shared counter would put a storage round trip on every request. Where counting across instances
// does matter — noticing one person looking up unusually many people — LookupWatch reads the audit log,
// which every instance writes (lookupWatch.ts).

/** A bucket holds up to `capacity` tokens and gains `refillPerSecond`; each request takes its cost. */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

/** The kinds of request that are limited. A permission names one (permissions.ts `rateLimit`). */
export const RATE_LIMIT_CLASSES = ["lookup", "senders"] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

/** Defaults: generous for a person at work, tight for a script.
 * - lookup: a burst of 60 people, then one every 2 seconds (30 a minute) — a busy contact-centre officer looks
 *   up a few dozen people a day;
 * - senders: addresses checked as email arrives or is opened: a burst of 600, then 10 a second. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitClass, BucketSpec>> = {
  lookup: { capacity: 60, refillPerSecond: 0.5 },
  senders: { capacity: 600, refillPerSecond: 10 },
};

export type RateDecision = { ok: true } | { ok: false; retryAfterSec: number };

interface Bucket {
  tokens: number;
  /** Milliseconds, from `now()`. */
  at: number;
}

/** Beyond this many buckets of one kind, full (idle) ones are dropped: memory stays bounded whatever the traffic. */
const MAX_BUCKETS = 50_000;

export class RateLimiter {
  /** One map per kind of request, keyed by user id: no key string is built per request. */
  private readonly buckets = new Map<RateLimitClass, Map<string, Bucket>>(RATE_LIMIT_CLASSES.map((c) => [c, new Map()]));
  private readonly specs: Record<RateLimitClass, BucketSpec | undefined>;

  constructor(
    limits: Partial<Record<RateLimitClass, BucketSpec | false>> = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.specs = {} as Record<RateLimitClass, BucketSpec | undefined>;
    for (const cls of RATE_LIMIT_CLASSES) {
      const given = limits[cls];
      const spec = given === false ? undefined : given ?? DEFAULT_RATE_LIMITS[cls];
      if (spec && (!(spec.capacity > 0) || !(spec.refillPerSecond > 0))) {
        throw new RangeError(`Rate limit "${cls}" needs a capacity and a refill rate above zero.`);
      }
      this.specs[cls] = spec;
    }
  }

  /** Takes `cost` tokens from the person's bucket for this kind of request, if they have them. */
  take(userId: string, cls: RateLimitClass, cost = 1): RateDecision {
    const spec = this.specs[cls];
    if (!spec) return { ok: true };
    const buckets = this.buckets.get(cls)!;
    const now = this.now();
    let bucket = buckets.get(userId);
    if (!bucket) {
      if (buckets.size >= MAX_BUCKETS) this.sweep(buckets, spec, now);
      bucket = { tokens: spec.capacity, at: now };
      buckets.set(userId, bucket);
    } else {
      bucket.tokens = Math.min(spec.capacity, bucket.tokens + ((now - bucket.at) / 1000) * spec.refillPerSecond);
      bucket.at = now;
    }
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    // A request bigger than the whole bucket can never pass: say how long until a full bucket.
    const needed = Math.min(cost, spec.capacity) - bucket.tokens;
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil(needed / spec.refillPerSecond)) };
  }

  /** Buckets held (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const m of this.buckets.values()) n += m.size;
    return n;
  }

  private sweep(buckets: Map<string, Bucket>, spec: BucketSpec, now: number): void {
    // A full bucket is the same as no bucket: drop those first.
    for (const [user, bucket] of buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * spec.refillPerSecond >= spec.capacity) buckets.delete(user);
    }
    // Everyone is mid-burst: drop the oldest half rather than grow without bound.
    if (buckets.size >= MAX_BUCKETS) {
      let drop = Math.floor(buckets.size / 2);
      for (const user of buckets.keys()) {
        if (drop-- <= 0) break;
        buckets.delete(user);
      }
    }
  }
}
