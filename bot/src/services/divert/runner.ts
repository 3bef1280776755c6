// Runs divert jobs, mailbox by mailbox, so that a crash at any moment loses nothing and duplicates nothing
// (issue 6 item 1; docs/graph.md "Job states").
//
// - One server instance at a time runs an entry's jobs: it holds a lease on the entry (etag-guarded, renewed
//   while it works, expiring if the instance dies). Jobs of one entry run in the order they were made.
// - Each mailbox step reads the mailbox's rules first and finds CALM's rule by its name, so re-running a
//   step (after a crash, or after a change whose outcome was unknown) finds the rule made last time instead
//   of making a second one.
// - Finished mailboxes are saved in groups of up to 99, with the job's counters, in one transaction: the
//   progress the tab shows is always consistent with the mailbox rows.
// - A mailbox that keeps failing ends `failed` with its reason; the job finishes `completed-with-failures`
//   and "Retry failed mailboxes" makes a new job for just those.
import { ConcurrencyError } from "../../ports/errors";
import type { DivertJob, DivertJobStore, DivertMailboxRow, DivertStore, DriftKind, MailboxOutcome } from "../../ports/divertJobs";
import { GraphError, isGraphError, type GraphMail, type MessageRule } from "../../ports/graph";
import type { Clock, Logger } from "../../ports/system";
import { desiredRule, knownFolderId, ruleDrift } from "./rules";

export interface RunnerOptions {
  /** Who holds the entry lease: unique per server instance. */
  ownerId: string;
  /** Lease length; renewed at a third of it. Default 30 s. */
  leaseMs?: number;
  /** Mailboxes worked on at once (the Graph scheduler still caps requests per mailbox and per second). */
  mailboxConcurrency?: number;
  /** Save progress after this many finished mailboxes (at most 99: one transaction). */
  flushEveryRows?: number;
  /** ...or after this long. Default 1 s. */
  flushIntervalMs?: number;
  /** Re-reads of one mailbox after an unknown outcome or unreadable answer before it fails. Default 4. */
  maxStepAttempts?: number;
}

export interface RunnerDeps {
  graph: GraphMail;
  jobs: DivertJobStore;
  diverts: DivertStore;
  clock: Clock;
  logger: Logger;
}

/** Thrown inside a runner that was stopped as if killed: nothing more is written. */
class RunnerStopped extends Error {
  constructor() {
    super("The divert runner was stopped.");
  }
}

interface StepResult {
  outcome: MailboxOutcome;
  ruleId?: string;
  folderId?: string;
  drift?: DriftKind[];
}

const SCHEDULER_EXHAUSTED = new Set(["GRAPH_THROTTLED", "GRAPH_UNAVAILABLE", "GRAPH_NETWORK", "GRAPH_CLOSED"]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class DivertRunner {
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly flushEvery: number;
  private readonly flushIntervalMs: number;
  private readonly maxStepAttempts: number;
  private stopping = false;
  private dead = false;
  private readonly running = new Map<string, Promise<void>>();
  private readonly rerun = new Set<string>();

  constructor(private readonly deps: RunnerDeps, private readonly options: RunnerOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.concurrency = Math.max(1, options.mailboxConcurrency ?? 200);
    this.flushEvery = Math.min(99, Math.max(1, options.flushEveryRows ?? 99));
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxStepAttempts = Math.max(1, options.maxStepAttempts ?? 4);
  }

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  private leaseUntil(): string {
    return new Date(this.deps.clock.now().getTime() + this.leaseMs).toISOString();
  }

  private alive(): void {
    if (this.dead) throw new RunnerStopped();
  }

  /** Runs an entry's unfinished jobs here unless this or another instance is already on it. */
  runEntry(entryId: string): Promise<void> {
    const existing = this.running.get(entryId);
    if (existing) {
      // Already on it; it may be past its last look for new jobs, so have it look once more at the end.
      this.rerun.add(entryId);
      return existing;
    }
    const run = (async () => {
      do {
        this.rerun.delete(entryId);
        await this.runEntryNow(entryId);
      } while (this.rerun.has(entryId) && !this.stopping);
    })().finally(() => this.running.delete(entryId));
    this.running.set(entryId, run);
    return run;
  }

  /** Waits for everything this runner is doing. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Graceful: finish the mailboxes in hand, save, release leases. `crash`: stop writing at once and keep the
   * leases, as a killed process would (tests use it to prove a new instance resumes). */
  async stop(mode: "graceful" | "crash" = "graceful"): Promise<void> {
    this.stopping = true;
    if (mode === "crash") {
      this.dead = true;
      return;
    }
    await this.idle();
  }

  private async runEntryNow(entryId: string): Promise<void> {
    if (this.stopping) return;
    if (!(await this.deps.diverts.acquireLease(entryId, this.options.ownerId, this.leaseUntil(), this.nowIso()))) {
      this.deps.logger.info("divert.entry_busy", { entryId });
      return;
    }
    try {
      for (;;) {
        if (this.stopping) return;
        const next = (await this.deps.jobs.listJobsForEntry(entryId)).find((j) => j.status === "queued" || j.status === "running");
        if (!next) return;
        // Stopped, or the lease went to another instance: leave the job to whoever runs it next.
        if ((await this.runJob(next)) === "interrupted") return;
      }
    } catch (error) {
      if (error instanceof RunnerStopped) return;
      this.deps.logger.error("divert.runner_failed", { entryId, code: (error as { code?: string }).code ?? "UNEXPECTED" });
      throw error;
    } finally {
      if (!this.dead) await this.deps.diverts.releaseLease(entryId, this.options.ownerId);
    }
  }

  private async runJob(initial: DivertJob): Promise<"ended" | "interrupted"> {
    this.alive();
    let job = initial;
    if (job.status === "queued") {
      job = await this.deps.jobs.updateJob({ ...job, status: "running", startedAt: this.nowIso(), updatedAt: this.nowIso() });
    }
    this.deps.logger.info("divert.job_started", { jobId: job.id, entryId: job.entryId, kind: job.kind, total: job.total, done: job.done, failed: job.failed });
    const rows = await this.deps.jobs.listRows(job.id, "pending");
    let done = job.done;
    let failed = job.failed;
    if (rows.length === 0) {
      // Nothing left to do: count from the rows themselves so the job always finishes with true numbers.
      const all = await this.deps.jobs.listRows(job.id);
      done = all.filter((r) => r.state === "done").length;
      failed = all.filter((r) => r.state === "failed").length;
    }
    let cancelled = false;
    let leaseLost = false;
    let lastRenew = this.deps.clock.now().getTime();
    let buffer: DivertMailboxRow[] = [];
    let chain: Promise<void> = Promise.resolve();

    const save = async (final: boolean): Promise<void> => {
      this.alive();
      const now = this.deps.clock.now().getTime();
      if (now - lastRenew > this.leaseMs / 3) {
        if (!(await this.deps.diverts.acquireLease(job.entryId, this.options.ownerId, this.leaseUntil(), this.nowIso()))) {
          // Another instance has the entry (our lease ran out): stop without writing anything more.
          leaseLost = true;
          this.deps.logger.warn("divert.lease_lost", { jobId: job.id, entryId: job.entryId });
          return;
        }
        lastRenew = now;
      }
      const batch = buffer;
      buffer = [];
      if (batch.length === 0 && !final) return;
      // At most 99 rows per save, each with the counters as they stand after it: the job row and those rows
      // go in one transaction, so counters and rows can never disagree, whatever moment the process dies.
      const chunks: DivertMailboxRow[][] = [];
      for (let i = 0; i < batch.length; i += this.flushEvery) chunks.push(batch.slice(i, i + this.flushEvery));
      if (chunks.length === 0) chunks.push([]);
      for (const [index, chunk] of chunks.entries()) {
        done += chunk.filter((r) => r.state === "done").length;
        failed += chunk.filter((r) => r.state === "failed").length;
        const last = index === chunks.length - 1;
        const finished = final && last && !cancelled && !leaseLost && !this.stopping && done + failed >= job.total;
        const status = cancelled ? "cancelled" : finished ? (failed > 0 ? "completed-with-failures" : "completed") : job.status;
        const next: DivertJob = { ...job, done, failed, status, updatedAt: this.nowIso(), ...(finished ? { finishedAt: this.nowIso() } : {}) };
        try {
          job = (await this.deps.jobs.saveProgress(next, chunk)).job;
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          // Someone else changed the job row: a lift or a new apply cancelled it. Keep our counts, take theirs.
          const latest = await this.deps.jobs.getJob(job.id);
          if (!latest) throw error;
          if (latest.status === "cancelled") cancelled = true;
          const retry: DivertJob = { ...latest, done, failed, updatedAt: this.nowIso() };
          job = (await this.deps.jobs.saveProgress(retry, chunk)).job;
        }
      }
    };
    const flush = (final = false): Promise<void> => {
      chain = chain.then(() => save(final));
      return chain;
    };
    let saveError: unknown;
    const onSaveError = (error: unknown): void => {
      if (error instanceof RunnerStopped) return;
      saveError ??= error;
      this.deps.logger.error("divert.save_failed", { jobId: job.id, code: (error as { code?: string }).code ?? "UNEXPECTED" });
    };
    const timer = setInterval(() => {
      flush().catch(onSaveError);
    }, this.flushIntervalMs);

    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < rows.length && !cancelled && !leaseLost && !this.stopping && !this.dead && saveError === undefined) {
          const row = rows[next++]!;
          const result = await this.step(job, row);
          if (this.dead) return;
          buffer.push(result);
          if (buffer.length >= this.flushEvery * 10) {
            // Storage is falling behind: wait for it rather than hold ever more unsaved progress.
            await flush();
          } else if (buffer.length >= this.flushEvery) {
            // Save in the background; Graph work goes on meanwhile (saves are queued one after another).
            flush().catch(onSaveError);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, rows.length) }, () => worker()));
      clearInterval(timer);
      // A failed background save is not lost work (those mailboxes are re-checked on resume), but the job
      // must not be marked finished over it: surface it and let the next run pick the job up.
      await chain.catch(() => undefined);
      if (saveError !== undefined) throw saveError instanceof Error ? saveError : new Error("A divert progress save failed.");
      await flush(true);
    } finally {
      clearInterval(timer);
    }
    this.deps.logger.info("divert.job_stopped", { jobId: job.id, status: job.status, done, failed, total: job.total });
    return job.status === "running" || job.status === "queued" ? "interrupted" : "ended";
  }

  /** One mailbox, with re-reads after unknown outcomes. Never throws for a Graph problem: the row ends
   * `failed` with the reason instead. */
  private async step(job: DivertJob, row: DivertMailboxRow): Promise<DivertMailboxRow> {
    let attempts = 0;
    for (;;) {
      attempts += 1;
      try {
        const result =
          row.action === "ensure" ? await this.ensure(job, row, false)
          : row.action === "check" ? await this.ensure(job, row, job.reconcileMode === "report")
          : await this.remove(job, row);
        return {
          ...row,
          state: "done",
          outcome: result.outcome,
          ...(result.ruleId ? { ruleId: result.ruleId } : {}),
          ...(result.folderId ? { folderId: result.folderId } : {}),
          ...(result.drift && result.drift.length > 0 ? { drift: result.drift } : {}),
          failure: undefined,
          attempts: row.attempts + attempts,
          updatedAt: this.nowIso(),
        };
      } catch (error) {
        const graph = isGraphError(error) ? error : undefined;
        const again = graph !== undefined && graph.retryable && !SCHEDULER_EXHAUSTED.has(graph.code) && attempts < this.maxStepAttempts && !this.dead;
        if (again) {
          // The scheduler already holds the mailbox back for Graph's wait; add a little of our own.
          await sleep(Math.min(2000, 50 * 2 ** attempts));
          continue;
        }
        if (!graph) this.deps.logger.error("divert.step_unexpected", { jobId: job.id, error: error instanceof Error ? error.name : "unknown" });
        return {
          ...row,
          state: "failed",
          failure: graph
            ? { code: graph.code, message: graph.message }
            : { code: "DIVERT_UNEXPECTED", message: "Something unexpected went wrong in CALM while changing this mailbox. Choose \"Retry failed mailboxes\"; if it fails again, report it with the job reference." },
          attempts: row.attempts + attempts,
          updatedAt: this.nowIso(),
        };
      }
    }
  }

  private async ensureFolder(mailbox: string, name: string): Promise<string> {
    try {
      return (await this.deps.graph.createMailFolder(mailbox, name)).id;
    } catch (error) {
      if (!(isGraphError(error) && error.code === "GRAPH_CONFLICT")) throw error;
      const found = await this.deps.graph.findMailFolder(mailbox, name);
      if (!found) throw new GraphError("GRAPH_MALFORMED_RESPONSE", { graphCode: "FolderExistsButNotFound" });
      return found.id;
    }
  }

  /** Makes CALM's rule right (`reportOnly`: just says how it differs). */
  private async ensure(job: DivertJob, row: DivertMailboxRow, reportOnly: boolean): Promise<StepResult> {
    const { graph } = this.deps;
    const desired = job.desired;
    const mailbox = row.mailbox;
    const rules = await graph.listMessageRules(mailbox);
    const named = rules.filter((r) => r.displayName === desired.ruleName);
    const renamed = named.length === 0 && row.expectedRuleId ? rules.find((r) => r.id === row.expectedRuleId) : undefined;
    const drift: DriftKind[] = [];
    let own: MessageRule | undefined = named.find((r) => ruleDrift(r, desired).length === 0) ?? named[0] ?? renamed;
    if (renamed) drift.push("renamed");
    const extras = named.filter((r) => r !== own);
    if (extras.length > 0) drift.push("duplicate");
    if (!own) drift.push("missing");
    const ownDrift = own ? ruleDrift(own, desired) : [];
    drift.push(...ownDrift);
    const track = row.action === "check";

    if (reportOnly) {
      return { outcome: drift.length > 0 ? "drift-reported" : "in-place", ...(own ? { ruleId: own.id } : {}), drift };
    }
    for (const extra of extras) await graph.deleteMessageRule(mailbox, extra.id);

    const hadOwn = own !== undefined;
    if (own && ownDrift.includes("changed")) {
      // Put back by delete and create rather than PATCH: a PATCH might merge what was added by hand.
      await graph.deleteMessageRule(mailbox, own.id);
      own = undefined;
    } else if (own && (renamed || ownDrift.includes("disabled"))) {
      const fixed = await graph.updateMessageRule(mailbox, own.id, { displayName: desired.ruleName, isEnabled: true });
      return { outcome: "restored", ruleId: fixed.id, folderId: fixed.actions.moveToFolder, ...(track ? { drift } : {}) };
    } else if (own && extras.length === 0) {
      return { outcome: "in-place", ruleId: own.id, folderId: own.actions.moveToFolder, ...(track ? { drift } : {}) };
    } else if (own) {
      return { outcome: "restored", ruleId: own.id, folderId: own.actions.moveToFolder, ...(track ? { drift } : {}) };
    }

    let folderId = knownFolderId(rules);
    const fromOtherRule = folderId !== undefined;
    folderId ??= await this.ensureFolder(mailbox, desired.folderName);
    let created: MessageRule;
    try {
      created = await graph.createMessageRule(mailbox, desiredRule(desired, folderId));
    } catch (error) {
      // The folder another rule pointed at may have been deleted by hand: find or make ours and try once more.
      if (!(fromOtherRule && isGraphError(error) && error.code === "GRAPH_BAD_REQUEST")) throw error;
      folderId = await this.ensureFolder(mailbox, desired.folderName);
      created = await graph.createMessageRule(mailbox, desiredRule(desired, folderId));
    }
    const outcome: MailboxOutcome = hadOwn || (track && drift.length > 0) ? "restored" : "created";
    return { outcome, ruleId: created.id, folderId, ...(track ? { drift } : {}) };
  }

  /** Deletes exactly CALM's rule(s) for this entry: by name, and by the id CALM recorded (renamed by hand). */
  private async remove(job: DivertJob, row: DivertMailboxRow): Promise<StepResult> {
    const rules = await this.deps.graph.listMessageRules(row.mailbox);
    const mine = rules.filter((r) => r.displayName === job.desired.ruleName || (row.expectedRuleId !== undefined && r.id === row.expectedRuleId));
    for (const rule of mine) await this.deps.graph.deleteMessageRule(row.mailbox, rule.id);
    return { outcome: mine.length > 0 ? "removed" : "absent", ...(job.kind === "reconcile" && mine.length > 0 ? { drift: ["leftover"] as DriftKind[] } : {}) };
  }
}
