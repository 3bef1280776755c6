// The lifecycle scheduler: runs inside the server on an interval and does what falls due — opens reviews and
// posts them to the decision body's channel, removes entries whose period has ended, reminds about appeal
// deadlines, keeps service markers in step, sends and retries webhooks, and purges details whose retention has
// passed. Safe with several server instances: each piece of work is claimed with an etag-guarded lease
// (`review-due:<entry>:<date>`), so it runs on one instance, and once done it never runs again. Its last result
// and next run are readable (GET /api/lifecycle/scheduler) so the tab can show them.
import { AlreadyExistsError, ConcurrencyError } from "../../ports/errors";
import type { JobLease, JobResult, SchedulerRunRecord } from "../../ports/lifecycle";
import type { LifecycleContext } from "./context";
import type { LifecycleService } from "./index";

export const SCHEDULER_JOBS = ["review-due", "expiry", "appeal-reminder", "register-watch", "webhook-delivery", "retention-purge", "housekeeping"] as const;
export type SchedulerJob = (typeof SCHEDULER_JOBS)[number];

export interface SchedulerOptions {
  /** How often a run starts. */
  intervalMs: number;
  /** This instance's name in leases (host name and process id in production). */
  instanceId: string;
  /** How long a claim holds before another instance may take the work over (a crashed instance's work). */
  leaseMs?: number;
  /** Attempts at one piece of work before it is left as failed (shown in the last result). */
  maxAttempts?: number;
}

export interface SchedulerStatus {
  instanceId: string;
  intervalMs: number;
  running: boolean;
  /** When this instance runs next; null when stopped. */
  nextRunAt: string | null;
  lastRun: Omit<SchedulerRunRecord, "etag"> | null;
  /** Work that failed every attempt, to look into. */
  failed: { id: string; job: string; attempts: number; result?: string }[];
}

const LATEST = "latest";
const DONE_KEPT_MS = 90 * 86_400_000;

export class LifecycleScheduler {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<SchedulerRunRecord> | undefined;
  private nextRunAt: Date | null = null;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly ctx: LifecycleContext,
    private readonly service: LifecycleService,
    private readonly options: SchedulerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** Starts running every interval (the first run shortly after start). Errors are logged; the next run retries. */
  start(firstRunMs = 5_000): void {
    if (this.timer) return;
    const schedule = (ms: number) => {
      this.nextRunAt = new Date(this.ctx.now().getTime() + ms);
      this.timer = setTimeout(() => {
        this.runOnce()
          .catch((error: unknown) => this.ctx.deps.logger.error("scheduler.run_failed", { error: error instanceof Error ? error.name : "unknown" }))
          .finally(() => {
            if (this.timer) schedule(this.options.intervalMs);
          });
      }, ms);
      this.timer.unref();
    };
    schedule(firstRunMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextRunAt = null;
    await this.current?.catch(() => undefined);
  }

  /** One run of every job. Concurrent calls on one instance share the run in progress. */
  runOnce(): Promise<SchedulerRunRecord> {
    if (!this.current) {
      this.current = this.run().finally(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }

  async status(): Promise<SchedulerStatus> {
    const last = await this.ctx.deps.lifecycle.runs.get(LATEST);
    const failed = (await this.ctx.deps.lifecycle.leases.find({ status: "failed" })).filter((l) => l.attempts >= this.maxAttempts);
    let lastRun: SchedulerStatus["lastRun"] = null;
    if (last) {
      const { etag: _etag, ...rest } = last;
      lastRun = rest;
    }
    return {
      instanceId: this.options.instanceId,
      intervalMs: this.options.intervalMs,
      running: this.current !== undefined,
      nextRunAt: this.nextRunAt?.toISOString() ?? null,
      lastRun,
      failed: failed.map((l) => ({ id: l.id, job: l.job, attempts: l.attempts, ...(l.result ? { result: l.result } : {}) })),
    };
  }

  private async run(): Promise<SchedulerRunRecord> {
    const startedAt = this.ctx.nowIso();
    const today = this.ctx.today();
    const results: JobResult[] = [];
    const s = this.service;

    results.push(await this.each("review-due", (await s.reviews.due(today)).map((e) => ({ key: `review-due:${e.id}:${e.nextReviewOn ?? today}`, run: async () => describe(await s.reviews.open({ surface: "scheduler" }, e.id)) }))));
    results.push(await this.each("expiry", (await s.reviews.expired(today)).map((e) => ({ key: `expiry:${e.id}:${e.expiresOn ?? today}`, run: async () => describe(await s.reviews.expire(e.id)) }))));
    results.push(await this.each("appeal-reminder", (await s.appeals.remindersDue(today)).map(({ appeal, mark }) => ({ key: `appeal-reminder:${appeal.id}:${mark}`, run: async () => describe(await s.appeals.remind(appeal.id, mark)) }))));
    results.push(await this.recurring("register-watch", async () => {
      const r = await s.watch.sync();
      return r.baseline ? "started following the register" : `${r.subjects} changed subject(s); ${r.queued} notification(s) queued`;
    }));
    results.push(await this.deliveries());
    results.push(await this.each("retention-purge", (await s.retention.dueIds()).map((id) => ({ key: `purge:${id}`, run: async () => describe(await s.retention.purge({ surface: "scheduler" }, id)) }))));
    results.push(await this.recurring("housekeeping", () => this.housekeeping()));

    const finished = this.ctx.now();
    const record: SchedulerRunRecord = {
      id: LATEST,
      instanceId: this.options.instanceId,
      startedAt,
      finishedAt: finished.toISOString(),
      intervalMs: this.options.intervalMs,
      nextRunAt: new Date(finished.getTime() + this.options.intervalMs).toISOString(),
      ok: results.every((r) => r.failed === 0),
      results,
    };
    await this.saveRun(record);
    this.ctx.deps.logger.info("scheduler.run", { instance: this.options.instanceId, ran: results.reduce((n, r) => n + r.ran, 0), failed: results.reduce((n, r) => n + r.failed, 0) });
    return record;
  }

  private async saveRun(record: SchedulerRunRecord): Promise<void> {
    const runs = this.ctx.deps.lifecycle.runs;
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await runs.get(LATEST);
      try {
        if (!current) await runs.create(record);
        else await runs.update({ ...record, etag: current.etag });
        return;
      } catch (error) {
        // Another instance saved its run at the same moment: either result is a fair "latest".
        if (!(error instanceof AlreadyExistsError || error instanceof ConcurrencyError)) throw error;
      }
    }
  }

  /** Claims `key` for this instance: not done, not held by another instance, not failed too often. */
  async claim(key: string, job: string): Promise<JobLease | undefined> {
    const leases = this.ctx.deps.lifecycle.leases;
    const now = this.ctx.now();
    const until = new Date(now.getTime() + this.leaseMs).toISOString();
    const current = await leases.get(key);
    try {
      if (!current) return await leases.create({ id: key, job, owner: this.options.instanceId, leaseUntil: until, status: "running", attempts: 1 });
      if (current.status === "done") return undefined;
      if (current.status === "failed" && current.attempts >= this.maxAttempts) return undefined;
      if (current.status === "running" && current.owner !== this.options.instanceId && current.leaseUntil > now.toISOString()) return undefined;
      return await leases.update({ ...current, owner: this.options.instanceId, leaseUntil: until, status: "running", attempts: current.attempts + 1 });
    } catch (error) {
      // Another instance claimed it between our read and our write.
      if (error instanceof AlreadyExistsError || error instanceof ConcurrencyError) return undefined;
      throw error;
    }
  }

  private async finish(lease: JobLease, status: "done" | "failed", result: string): Promise<void> {
    try {
      await this.ctx.deps.lifecycle.leases.update({ ...lease, status, result: result.slice(0, 500), completedAt: this.ctx.nowIso(), leaseUntil: this.ctx.nowIso() });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      this.ctx.deps.logger.warn("scheduler.lease_lost", { job: lease.job });
    }
  }

  /** Runs each item once, across every instance. */
  private async each(job: SchedulerJob, items: { key: string; run: () => Promise<string> }[]): Promise<JobResult> {
    const result: JobResult = { job, found: items.length, ran: 0, skipped: 0, failed: 0, notes: [] };
    for (const item of items) {
      const lease = await this.claim(item.key, job);
      if (!lease) {
        result.skipped++;
        continue;
      }
      try {
        const note = await item.run();
        await this.finish(lease, "done", note);
        result.ran++;
        if (result.notes.length < 10) result.notes.push(note);
      } catch (error) {
        result.failed++;
        const why = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
        await this.finish(lease, "failed", why);
        this.ctx.deps.logger.warn("scheduler.item_failed", { job, attempts: lease.attempts, error: error instanceof Error ? error.name : "unknown" });
      }
    }
    return result;
  }

  /** Work done every run, by one instance at a time: the lease is released (not marked done) afterwards. */
  private async recurring(job: SchedulerJob, run: () => Promise<string>): Promise<JobResult> {
    const result: JobResult = { job, found: 1, ran: 0, skipped: 0, failed: 0, notes: [] };
    const leases = this.ctx.deps.lifecycle.leases;
    const now = this.ctx.now();
    let lease: JobLease | undefined;
    try {
      const current = await leases.get(job);
      const until = new Date(now.getTime() + this.leaseMs).toISOString();
      if (!current) lease = await leases.create({ id: job, job, owner: this.options.instanceId, leaseUntil: until, status: "running", attempts: 1 });
      else if (current.owner === this.options.instanceId || current.leaseUntil <= now.toISOString()) {
        lease = await leases.update({ ...current, owner: this.options.instanceId, leaseUntil: until, status: "running", attempts: current.attempts + 1 });
      }
    } catch (error) {
      if (!(error instanceof AlreadyExistsError || error instanceof ConcurrencyError)) throw error;
    }
    if (!lease) {
      result.skipped = 1;
      return result;
    }
    try {
      result.notes.push(await run());
      result.ran = 1;
    } catch (error) {
      result.failed = 1;
      result.notes.push(error instanceof Error ? error.name : "failed");
      this.ctx.deps.logger.warn("scheduler.item_failed", { job, error: error instanceof Error ? error.name : "unknown" });
    }
    try {
      // Released: the next run (on any instance) may take it at once.
      await leases.update({ ...lease, status: result.failed ? "failed" : "done", attempts: 0, leaseUntil: this.ctx.nowIso(), completedAt: this.ctx.nowIso(), result: result.notes[0] ?? "" });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    return result;
  }

  /** Webhook and channel deliveries: each attempt is claimed on the delivery record itself. */
  private async deliveries(): Promise<JobResult> {
    const due = await this.service.notifications.dueDeliveries(this.ctx.now());
    const result: JobResult = { job: "webhook-delivery", found: due.length, ran: 0, skipped: 0, failed: 0, notes: [] };
    for (const d of due) {
      try {
        const status = await this.service.notifications.attempt(d.id);
        if (status === "skipped") result.skipped++;
        else if (status === "delivered") result.ran++;
        else result.failed++;
      } catch (error) {
        result.failed++;
        this.ctx.deps.logger.warn("scheduler.item_failed", { job: "webhook-delivery", error: error instanceof Error ? error.name : "unknown" });
      }
    }
    if (result.failed > 0) result.notes.push(`${result.failed} delivery attempt(s) failed; they are retried with backoff.`);
    return result;
  }

  /** Drops finished claims after 90 days (their keys hold dates, so they never come round again). */
  private async housekeeping(): Promise<string> {
    const cutoff = new Date(this.ctx.now().getTime() - DONE_KEPT_MS).toISOString();
    let dropped = 0;
    for (const lease of await this.ctx.deps.lifecycle.leases.find({ status: "done" })) {
      if (lease.completedAt !== undefined && lease.completedAt < cutoff && lease.id.includes(":")) {
        await this.ctx.deps.lifecycle.leases.delete(lease.id);
        dropped++;
      }
    }
    const answers = await this.service.idempotency.prune();
    return `${dropped} old claim(s) and ${answers} old repeat-request answer(s) dropped`;
  }
}

/** A short note of what a piece of work did, for the last result: no references (the status page is read by
 * people who may not see every entry). Refusals are not failures: the work is done (an entry removed since it
 * fell due has nothing to review). */
function describe(result: { ok: true; value: unknown } | { ok: false; code: string }): string {
  if (!result.ok) return `nothing to do (${result.code})`;
  return typeof result.value === "string" ? result.value : "done";
}
