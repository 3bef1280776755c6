// What every lifecycle service needs, and the small helpers they share: today's date in the council's calendar,
// audit, refusals as values, etag-guarded entry updates.
import type { AuditAction, Caller, EntryView, IsoDate, RegisterEntry, RiskLevel, StaffRef, Surface } from "../../../../core/src/domain";
import type { PolicyProfile } from "../../../../core/src/policy/schema";
import type { BlobStore } from "../../ports/blobs";
import { ConcurrencyError } from "../../ports/errors";
import type { ChannelNotifier, LetterWriter, LifecycleStores, ReportWriter, WebhookSender } from "../../ports/lifecycle";
import type { Stores } from "../../ports/stores";
import type { Clock, IdGenerator, Logger } from "../../ports/system";

export interface LifecycleDeps {
  profile: PolicyProfile;
  registerName: string;
  stores: Stores;
  lifecycle: LifecycleStores;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  letters: LetterWriter;
  reports: ReportWriter;
  /** The decision body's channel (and marker subscribers' channels). */
  channel: ChannelNotifier;
  webhooks: WebhookSender;
  /** Refreshes the lookup index everywhere after a write to a subject or entry (LookupService.subjectChanged). */
  subjectChanged(subjectId: string): Promise<void>;
  /** The policy's access rule, with the caller's access grants (PolicyBinding.viewFor). */
  viewFor(caller: Caller, entry: { riskLevel: RiskLevel; isPremises: boolean }): EntryView;
  /** Allow http:// webhook addresses (local development and tests only). */
  allowInsecureWebhooks?: boolean;
}

/** An expected outcome that is not a success: a stable code, plain words, and an HTTP status for the API. */
export interface Refusal {
  ok: false;
  code: string;
  message: string;
  status: number;
  /** Extra detail for the caller, e.g. the parts a letter is missing. */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | Refusal;

export function refuse(code: string, message: string, status = 400, details?: Record<string, unknown>): Refusal {
  return details === undefined ? { ok: false, code, message, status } : { ok: false, code, message, status, details };
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Who acts when no person does: the scheduler, in the audit log and on records. */
export const SCHEDULER_ACTOR: StaffRef = { id: "calm-scheduler", displayName: "CALM scheduler" };

export type Actor = { caller: Caller; surface: Surface } | { caller?: undefined; surface: "scheduler" };

export function staffRef(caller: Caller): StaffRef {
  return caller.email === undefined ? { id: caller.id, displayName: caller.displayName } : { id: caller.id, displayName: caller.displayName, email: caller.email };
}

export function actorRef(actor: Actor): StaffRef {
  return actor.caller ? staffRef(actor.caller) : SCHEDULER_ACTOR;
}

const LONDON_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/** The calendar date in England and Wales at this instant (policy dates are local dates). */
export function londonDate(at: Date): IsoDate {
  return LONDON_DATE.format(at);
}

export class LifecycleContext {
  /** The surface each request came from (set by the HTTP layer), for the audit log. */
  readonly surfaces = new WeakMap<Caller, Surface>();

  constructor(readonly deps: LifecycleDeps) {}

  actor(caller: Caller): Actor {
    return { caller, surface: this.surfaces.get(caller) ?? "api" };
  }

  /** How much of an entry the caller may see under the policy (and their access grants). */
  async viewOf(caller: Caller, entry: RegisterEntry): Promise<EntryView> {
    const subject = await this.deps.stores.subjects.get(entry.subjectId);
    return this.deps.viewFor(caller, { riskLevel: entry.riskLevel, isPremises: subject?.kind === "premises" });
  }

  get profile(): PolicyProfile {
    return this.deps.profile;
  }

  now(): Date {
    return this.deps.clock.now();
  }

  nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  today(): IsoDate {
    return londonDate(this.deps.clock.now());
  }

  async audit(actor: Actor, action: AuditAction, input: { subjectId?: string; entryId?: string; what: string[] }): Promise<void> {
    await this.deps.stores.audit.append({
      id: this.deps.ids.next(),
      at: this.nowIso(),
      actorId: actor.caller?.id ?? SCHEDULER_ACTOR.id,
      action,
      surface: actor.surface,
      ...(input.subjectId === undefined ? {} : { subjectId: input.subjectId }),
      ...(input.entryId === undefined ? {} : { entryId: input.entryId }),
      what: input.what,
    });
  }

  /** Reads, changes and saves an entry, retrying on a concurrent write (each retry re-reads and re-applies). The
   * change may refuse; a refusal is returned as it is. Refreshes the lookup index afterwards. */
  async changeEntry(entryId: string, change: (entry: RegisterEntry) => RegisterEntry | Refusal): Promise<Result<RegisterEntry>> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.deps.stores.register.get(entryId);
      if (!current) return refuse("ENTRY_NOT_FOUND", "There is no register entry with that id. Check the link and try again.", 404);
      const next = change(current);
      if ("ok" in next && next.ok === false) return next;
      try {
        const saved = await this.deps.stores.register.update({ ...(next as RegisterEntry), updatedAt: this.nowIso(), etag: current.etag });
        await this.deps.subjectChanged(saved.subjectId);
        return ok(saved);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= 4) throw error;
      }
    }
  }

  async entry(entryId: string): Promise<Result<RegisterEntry>> {
    const entry = await this.deps.stores.register.get(entryId);
    return entry ? ok(entry) : refuse("ENTRY_NOT_FOUND", "There is no register entry with that id. Check the link and try again.", 404);
  }
}

/** Whether an instant (ISO) falls on or after a calendar date, in the council's calendar. */
export function onOrAfter(instant: string, date: IsoDate): boolean {
  return londonDate(new Date(instant)) >= date;
}
