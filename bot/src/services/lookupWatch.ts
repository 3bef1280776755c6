// Notices one person looking up unusually many people (issue 8 item 7) and says so in the audit log, as a
// `lookup-alert` event that the DPO sees beside the lookups themselves.
//
// Counting across instances: each instance counts the distinct people a person looked up in the current window
// in memory (cheap), and every `checkEvery` new people it reads that person's recent audit events — which every
// instance writes — to count them across all instances. So a person whose lookups are spread over three
// instances is still noticed, at most `checkEvery` people late per instance, and the request path never
// waits: the check runs after the answer has gone.
//
// Also audited: being refused by the rate limiter (rateLimit.ts), once per person per window.
import type { Surface } from "../../../core/src/domain";
import type { AuditStore } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";
import type { RateLimitClass } from "./rateLimit";

export interface LookupWatchOptions {
  /** Distinct people looked up by one person within a window that raises an alert (default 50). */
  threshold?: number;
  /** Window length in minutes (default 60). Windows are fixed: 09:00-10:00, 10:00-11:00… */
  windowMinutes?: number;
  /** How many new people (on this instance) between reads of the audit log (default 10). */
  checkEvery?: number;
}

interface PersonWindow {
  window: number;
  subjects: Set<string>;
  nextCheckAt: number;
  alerted: boolean;
  rateAlerted: boolean;
}

/** People tracked at once before idle ones are dropped. */
const MAX_TRACKED = 20_000;

export class LookupWatch {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly checkEvery: number;
  private readonly people = new Map<string, PersonWindow>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: { audit: AuditStore; clock: Clock; ids: IdGenerator; logger: Logger },
    options: LookupWatchOptions = {},
  ) {
    this.threshold = options.threshold ?? 50;
    this.windowMs = (options.windowMinutes ?? 60) * 60_000;
    this.checkEvery = Math.max(1, Math.min(options.checkEvery ?? 10, this.threshold));
    if (!(this.threshold >= 1) || !(this.windowMs > 0)) throw new RangeError("The lookup alert needs a threshold of at least 1 and a window above zero.");
  }

  /** After a lookup was audited: `actorId` was shown these subjects. Returns at once. */
  observe(actorId: string, subjectIds: string[], surface: Surface): void {
    const person = this.personFor(actorId);
    for (const id of subjectIds) person.subjects.add(id);
    if (person.alerted || person.subjects.size < person.nextCheckAt) return;
    person.nextCheckAt = person.subjects.size + this.checkEvery;
    this.track(this.check(actorId, person, surface));
  }

  /** The rate limiter refused this person: audit it once per window. */
  rateLimited(actorId: string, cls: RateLimitClass, surface: Surface = "api"): void {
    const person = this.personFor(actorId);
    if (person.rateAlerted) return;
    person.rateAlerted = true;
    this.deps.logger.warn("lookup.rate_limited", { class: cls });
    this.track(this.alert(actorId, surface, [`rate-limited:${cls}`]));
  }

  /** Waits for checks and alerts in progress (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private personFor(actorId: string): PersonWindow {
    const window = Math.floor(this.deps.clock.now().getTime() / this.windowMs);
    let person = this.people.get(actorId);
    if (!person || person.window !== window) {
      if (!person && this.people.size >= MAX_TRACKED) {
        for (const [id, p] of this.people) if (p.window !== window) this.people.delete(id);
        if (this.people.size >= MAX_TRACKED) this.people.delete(this.people.keys().next().value!);
      }
      person = { window, subjects: new Set(), nextCheckAt: this.checkEvery, alerted: false, rateAlerted: false };
      this.people.set(actorId, person);
    }
    return person;
  }

  private track(work: Promise<void>): void {
    const p = work.catch((error: unknown) => {
      // The alert is a safeguard, not part of the answer: a storage hiccup is logged and the next check retries.
      this.deps.logger.warn("lookup.watch_failed", { error: error instanceof Error ? error.name : "UnknownError" });
    }).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Counts the distinct people this person looked up in the window across every instance (the audit log). */
  private async check(actorId: string, person: PersonWindow, surface: Surface): Promise<void> {
    const windowStart = person.window * this.windowMs;
    const recent = await this.deps.audit.listByActor(actorId, Math.min(this.threshold * 4, 1000));
    const seen = new Set<string>(person.subjects);
    for (const e of recent) {
      if (Date.parse(e.at) < windowStart) break; // newest first: everything after is older
      if (e.action === "lookup-alert" && !e.what.some((w) => w.startsWith("rate-limited:"))) {
        person.alerted = true; // another instance has raised it for this window
        return;
      }
      if (e.action === "lookup" && e.subjectId !== undefined) seen.add(e.subjectId);
    }
    if (seen.size < this.threshold || person.alerted) return;
    person.alerted = true;
    this.deps.logger.warn("lookup.alert", { distinct: seen.size, threshold: this.threshold });
    await this.alert(actorId, surface, [`distinct-people:${seen.size}`, `threshold:${this.threshold}`, `window-minutes:${this.windowMs / 60_000}`], `lookup-alert-${person.window}`);
  }

  private async alert(actorId: string, surface: Surface, what: string[], idSuffix?: string): Promise<void> {
    await this.deps.audit.append({
      // A fixed id per person and window for the threshold alert: instances sharing a chain append it once.
      id: idSuffix ? `${actorId.slice(0, 60)}-${idSuffix}` : this.deps.ids.next(),
      at: this.deps.clock.now().toISOString(),
      actorId,
      action: "lookup-alert",
      surface,
      what,
    });
  }
}
