// SPOC email diverts (Dorset 4.11-4.12; DOMAIN.md "SPOC and email divert"; issue 6 item 1).
//
// Applying a divert puts an inbox rule in each target mailbox (the staff and groups the decision names, plus
// councillors who opted in) that redirects mail from the customer's addresses to the SPOC mailbox and moves
// the original to a named folder. Lifting it, or a councillor opting out, removes exactly the rules CALM
// made. Every change is a job (runner.ts) whose progress the tab and the bot read with getJobProgress.
// The customer is told a divert is in place (Dorset 4.11); recordCustomerTold keeps when and how.
import type { AuditStore } from "../../ports/stores";
import type { AuditEvent, IsoDateTime, Surface } from "../../../../core/src/domain";
import { normaliseEmail } from "../../../../core/src/normalise";
import { ConcurrencyError } from "../../ports/errors";
import type {
  CustomerToldInput,
  DivertAction,
  DivertDesired,
  DivertJob,
  DivertJobKind,
  DivertJobStore,
  DivertMailboxRow,
  DivertState,
  DivertStore,
  DivertTarget,
  DriftKind,
  MailboxOutcome,
} from "../../ports/divertJobs";
import { isGraphError, type GraphMail } from "../../ports/graph";
import type { Clock, IdGenerator, Logger } from "../../ports/system";
import { DEFAULT_FOLDER_NAME, isOpaqueReference, ruleNameFor } from "./rules";
import { DivertRunner, type RunnerOptions } from "./runner";

export type DivertErrorCode =
  | "DIVERT_INVALID_INPUT"
  | "DIVERT_NO_TARGETS"
  | "DIVERT_NOT_FOUND"
  | "DIVERT_NOT_ACTIVE"
  | "DIVERT_JOB_NOT_FOUND"
  | "DIVERT_NOTHING_TO_RETRY"
  | "DIVERT_DIRECTORY_UNAVAILABLE";

export type DivertResult<T> = ({ ok: true } & T) | { ok: false; code: DivertErrorCode; message: string };

export interface ApplyDivertInput {
  entryId: string;
  /** The entry's opaque reference (`CAL-0042`): the only thing about the entry the rule's name carries. */
  reference: string;
  spocMailbox: string;
  /** The customer's email addresses (the rule's "from" condition). */
  senderAddresses: string[];
  /** The staff and groups the decision names. */
  targets: DivertTarget[];
  actorId: string;
  surface?: Surface;
}

export interface SkippedTarget {
  target: DivertTarget;
  code: "DIVERT_TARGET_NOT_FOUND" | "DIVERT_TARGET_HAS_NO_MAILBOX";
  message: string;
}

export interface JobFailure {
  mailbox: string;
  code: string;
  message: string;
}

export interface JobProgress {
  jobId: string;
  entryId: string;
  reference: string;
  kind: DivertJobKind;
  status: DivertJob["status"];
  total: number;
  done: number;
  failed: number;
  pending: number;
  /** 0-100, finished mailboxes (done or failed) over all. */
  percent: number;
  failures: JobFailure[];
  /** Reconcile jobs: what was found different, per mailbox. */
  drift?: { mailbox: string; kinds: DriftKind[]; outcome?: MailboxOutcome }[];
  createdAt: IsoDateTime;
  startedAt?: IsoDateTime;
  finishedAt?: IsoDateTime;
  updatedAt: IsoDateTime;
}

/** DivertRecord (core/src/domain.ts) with what the tab shows beside it. */
export interface DivertView {
  entryId: string;
  reference: string;
  status: DivertState["status"];
  spocMailbox: string;
  /** Mailboxes where CALM's rule is in place (or may be, while a job is unfinished). */
  targetMailboxes: string[];
  customerToldOn?: string;
  customerToldHow?: DivertState["customerToldHow"];
  /** Dorset 4.11: the customer is told. True while nobody has recorded that they were. */
  customerNotYetTold: boolean;
  appliedAt: IsoDateTime;
  liftedAt?: IsoDateTime;
  jobs: JobProgress[];
}

export interface DivertServiceDeps {
  graph: GraphMail;
  jobs: DivertJobStore;
  diverts: DivertStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  audit?: AuditStore;
  /** Folder for the diverted originals. Default "Diverted to single point of contact". */
  folderName?: string;
  runner?: Partial<RunnerOptions>;
  /** Start jobs in the background as soon as they are made. Default true (tests may run them by hand). */
  autoRun?: boolean;
}

export interface DivertService {
  applyDivert(input: ApplyDivertInput): Promise<DivertResult<{ jobId: string; total: number; skipped: SkippedTarget[] }>>;
  liftDivert(input: { entryId: string; actorId: string; surface?: Surface }): Promise<DivertResult<{ jobId: string; total: number }>>;
  /** Dorset 4.12: a councillor chooses whether diverts apply to their own mailbox. */
  councillorOptIn(input: { councillorMailbox: string; actorId: string; surface?: Surface }): Promise<DivertResult<{ jobIds: string[] }>>;
  councillorOptOut(input: { councillorMailbox: string; actorId: string; surface?: Surface }): Promise<DivertResult<{ jobIds: string[] }>>;
  /** Dorset 4.11: record when and how the customer was told the divert is in place. */
  recordCustomerTold(input: { entryId: string; actorId: string; surface?: Surface } & CustomerToldInput): Promise<DivertResult<{ divert: DivertView }>>;
  /** Compares every mailbox's rule with what it should be; `repair` puts it right, `report` only records. */
  reconcile(input: { entryId?: string; mode: "repair" | "report"; actorId: string }): Promise<DivertResult<{ jobIds: string[] }>>;
  retryFailed(input: { jobId: string; actorId: string }): Promise<DivertResult<{ jobId: string; total: number }>>;
  getJobProgress(jobId: string): Promise<JobProgress | undefined>;
  getDivert(entryId: string): Promise<DivertView | undefined>;
  /** Resumes every unfinished job whose entry is free (at start-up, then now and then). */
  runPending(): Promise<void>;
  /** Background work: resumes unfinished jobs now and every `resumeEveryMs` (default 30 s), and runs the
   * reconciler over every active divert every `reconcileEveryMs` (default daily; 0 = never) in
   * `reconcileMode` (default "repair"). Returns a stop function. */
  start(options?: { resumeEveryMs?: number; reconcileEveryMs?: number; reconcileMode?: "repair" | "report" }): () => void;
  /** Waits for all running jobs (tests, graceful shutdown). */
  idle(): Promise<void>;
  stop(mode?: "graceful" | "crash"): Promise<void>;
}

const ACTIVE_JOB = new Set(["queued", "running"]);

function fail(code: DivertErrorCode, message: string): { ok: false; code: DivertErrorCode; message: string } {
  return { ok: false, code, message };
}

function address(value: string): string | undefined {
  // Rule conditions match the exact address; only case and spaces are folded (no +tag stripping).
  const trimmed = value.trim().toLowerCase();
  return normaliseEmail(trimmed) !== undefined ? trimmed : undefined;
}

/** Per mailbox: whether CALM's rule is there (`present`), may be (`maybe`: a step unfinished or failed) or is
 * not (`absent`), and whether the divert wants it there (`wanted`: the last job asked for the rule). */
type Ledger = Map<string, { status: "present" | "maybe" | "absent"; wanted: boolean; ruleId?: string }>;

export function createDivertService(deps: DivertServiceDeps): DivertService {
  const runner = new DivertRunner(deps, { ownerId: deps.ids.next(), ...(deps.runner ?? {}) });
  const folderName = deps.folderName ?? DEFAULT_FOLDER_NAME;
  const autoRun = deps.autoRun ?? true;
  const nowIso = (): string => deps.clock.now().toISOString();

  const kick = (entryId: string): void => {
    if (!autoRun) return;
    runner.runEntry(entryId).catch((error: unknown) => {
      deps.logger.error("divert.run_failed", { entryId, code: (error as { code?: string }).code ?? "UNEXPECTED" });
    });
  };

  const audit = async (actorId: string, surface: Surface | undefined, entryId: string, what: string[]): Promise<void> => {
    if (!deps.audit) return;
    const event: AuditEvent = { id: deps.ids.next(), at: nowIso(), actorId, action: "divert", surface: surface ?? "api", entryId, what };
    await deps.audit.append(event);
  };

  /** Where CALM's rule for this entry is (or may be), from every job's rows, oldest job first. */
  const ledger = async (entryId: string): Promise<Ledger> => {
    const map: Ledger = new Map();
    for (const job of await deps.jobs.listJobsForEntry(entryId)) {
      for (const row of await deps.jobs.listRows(job.id)) {
        const wanted = row.action !== "remove";
        const before = map.get(row.mailbox);
        const ruleId = row.ruleId ?? before?.ruleId;
        if (row.state !== "done") {
          // Pending or failed: the rule may or may not be there. Keep a known rule id.
          map.set(row.mailbox, { status: "maybe", wanted, ...(ruleId ? { ruleId } : {}) });
        } else if (!wanted) {
          map.set(row.mailbox, { status: "absent", wanted });
        } else if (row.outcome === "drift-reported") {
          // Report mode changed nothing: the rule is there unless it was found missing.
          map.set(row.mailbox, { status: row.drift?.includes("missing") ? "absent" : "present", wanted, ...(ruleId ? { ruleId } : {}) });
        } else {
          map.set(row.mailbox, { status: "present", wanted, ...(row.ruleId ? { ruleId: row.ruleId } : {}) });
        }
      }
    }
    return map;
  };

  const cancelUnfinished = async (entryId: string, actorId: string, kinds: DivertJobKind[]): Promise<void> => {
    for (const job of await deps.jobs.listJobsForEntry(entryId)) {
      if (!ACTIVE_JOB.has(job.status) || !kinds.includes(job.kind)) continue;
      let current: DivertJob | undefined = job;
      for (let i = 0; i < 5 && current && ACTIVE_JOB.has(current.status); i++) {
        try {
          await deps.jobs.updateJob({ ...current, status: "cancelled", cancelledAt: nowIso(), cancelledBy: actorId, updatedAt: nowIso() });
          break;
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          current = await deps.jobs.getJob(job.id);
        }
      }
    }
  };

  const makeJob = async (
    state: Pick<DivertState, "entryId" | "reference" | "desired">,
    kind: DivertJobKind,
    rows: { mailbox: string; action: DivertAction; expectedRuleId?: string }[],
    actorId: string,
    reconcileMode?: "repair" | "report",
  ): Promise<DivertJob> => {
    const at = nowIso();
    const job: DivertJob = {
      id: deps.ids.next(),
      entryId: state.entryId,
      reference: state.reference,
      kind,
      status: "queued",
      desired: state.desired,
      ...(reconcileMode ? { reconcileMode } : {}),
      total: rows.length,
      done: 0,
      failed: 0,
      createdAt: at,
      createdBy: actorId,
      updatedAt: at,
    };
    const mailboxRows: DivertMailboxRow[] = rows.map((r) => ({
      jobId: job.id,
      mailbox: r.mailbox,
      action: r.action,
      state: "pending",
      ...(r.expectedRuleId ? { expectedRuleId: r.expectedRuleId } : {}),
      attempts: 0,
      updatedAt: at,
    }));
    const saved = await deps.jobs.createJob(job, mailboxRows);
    deps.logger.info("divert.job_created", { jobId: job.id, entryId: job.entryId, kind, total: rows.length });
    return saved;
  };

  /** Staff and groups → mailbox addresses. Unknown targets are skipped and reported, not fatal: a decision
   * naming someone who has left must not stop the divert for everyone else. */
  const resolveTargets = async (targets: DivertTarget[]): Promise<{ mailboxes: Set<string>; skipped: SkippedTarget[] }> => {
    const mailboxes = new Set<string>();
    const skipped: SkippedTarget[] = [];
    for (const target of targets) {
      if (target.kind === "user") {
        const user = await deps.graph.getUser(target.id);
        if (!user) {
          skipped.push({ target, code: "DIVERT_TARGET_NOT_FOUND", message: "No such user in Microsoft 365. Check the decision's list of staff." });
          continue;
        }
        // An account without an Exchange mailbox has no `mail` (its sign-in name is not an address to use).
        const mail = user.mail;
        if (!mail) {
          skipped.push({ target, code: "DIVERT_TARGET_HAS_NO_MAILBOX", message: "This account has no mailbox, so there is nothing to divert." });
          continue;
        }
        mailboxes.add(mail.toLowerCase());
      } else {
        let members;
        try {
          members = await deps.graph.listGroupMembers(target.id);
        } catch (error) {
          if (isGraphError(error) && error.code === "GRAPH_NOT_FOUND") {
            skipped.push({ target, code: "DIVERT_TARGET_NOT_FOUND", message: "No such group in Microsoft 365. Check the decision's list of groups." });
            continue;
          }
          throw error;
        }
        for (const m of members) if (m.mail) mailboxes.add(m.mail.toLowerCase());
      }
    }
    return { mailboxes, skipped };
  };

  const progress = async (job: DivertJob): Promise<JobProgress> => {
    const rows = job.kind === "reconcile" ? await deps.jobs.listRows(job.id) : await deps.jobs.listRows(job.id, "failed");
    const failures = rows.filter((r) => r.state === "failed").map((r) => ({ mailbox: r.mailbox, code: r.failure?.code ?? "DIVERT_UNEXPECTED", message: r.failure?.message ?? "" }));
    const finished = job.done + job.failed;
    return {
      jobId: job.id,
      entryId: job.entryId,
      reference: job.reference,
      kind: job.kind,
      status: job.status,
      total: job.total,
      done: job.done,
      failed: job.failed,
      pending: Math.max(0, job.total - finished),
      percent: job.total === 0 ? 100 : Math.floor((finished / job.total) * 100),
      failures,
      ...(job.kind === "reconcile"
        ? { drift: rows.filter((r) => (r.drift?.length ?? 0) > 0).map((r) => ({ mailbox: r.mailbox, kinds: r.drift ?? [], ...(r.outcome ? { outcome: r.outcome } : {}) })) }
        : {}),
      createdAt: job.createdAt,
      ...(job.startedAt ? { startedAt: job.startedAt } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
      updatedAt: job.updatedAt,
    };
  };

  const view = async (state: DivertState): Promise<DivertView> => {
    const map = await ledger(state.entryId);
    const jobs = await deps.jobs.listJobsForEntry(state.entryId);
    return {
      entryId: state.entryId,
      reference: state.reference,
      status: state.status,
      spocMailbox: state.spocMailbox,
      targetMailboxes: [...map].filter(([, v]) => (state.status === "active" ? v.wanted : v.status !== "absent")).map(([m]) => m).sort(),
      ...(state.customerToldOn ? { customerToldOn: state.customerToldOn } : {}),
      ...(state.customerToldHow ? { customerToldHow: state.customerToldHow } : {}),
      customerNotYetTold: state.status === "active" && !state.customerToldOn,
      appliedAt: state.appliedAt,
      ...(state.liftedAt ? { liftedAt: state.liftedAt } : {}),
      jobs: await Promise.all(jobs.map((j) => progress(j))),
    };
  };

  /** Read-modify-write of the divert with a few retries on a concurrent change. */
  const mutateState = async (entryId: string, change: (s: DivertState) => DivertState): Promise<DivertState | undefined> => {
    for (let i = 0; i < 5; i++) {
      const current = await deps.diverts.get(entryId);
      if (!current) return undefined;
      try {
        return await deps.diverts.update(change(current));
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
    throw new ConcurrencyError("divert", entryId);
  };

  const service: DivertService = {
    async applyDivert(input) {
      if (!isOpaqueReference(input.reference)) {
        return fail("DIVERT_INVALID_INPUT", "The entry reference must look like CAL-0042. Use the entry's reference, never a name.");
      }
      const spoc = address(input.spocMailbox);
      if (!spoc) return fail("DIVERT_INVALID_INPUT", "The single point of contact (SPOC) mailbox is not an email address. Check the SPOC on the entry.");
      const senders = [...new Set(input.senderAddresses.map(address).filter((a): a is string => a !== undefined))].sort();
      if (senders.length === 0) return fail("DIVERT_INVALID_INPUT", "The customer has no valid email address to divert. Add one to the subject first.");
      if (senders.length > 100) return fail("DIVERT_INVALID_INPUT", "A divert covers at most 100 addresses. Remove old addresses from the subject and try again.");

      let resolved;
      try {
        resolved = await resolveTargets(input.targets);
      } catch (error) {
        if (!isGraphError(error)) throw error;
        return fail("DIVERT_DIRECTORY_UNAVAILABLE", `CALM could not read the staff and groups from Microsoft 365 (${error.code}). Nothing was changed; try again in a few minutes.`);
      }
      // Councillors who opted in are added; one who opted out is left out even if a named group includes
      // them: the councillor's own choice decides for their mailbox (Dorset 4.12).
      for (const c of await deps.diverts.listCouncillors()) {
        if (c.optedIn) resolved.mailboxes.add(c.mailbox);
        else resolved.mailboxes.delete(c.mailbox);
      }
      // Never divert the SPOC's own mail to itself.
      resolved.mailboxes.delete(spoc);
      for (const s of senders) resolved.mailboxes.delete(s);
      if (resolved.mailboxes.size === 0) {
        return fail("DIVERT_NO_TARGETS", "None of the staff or groups named has a mailbox CALM can divert. Check the decision's list and try again.");
      }

      const desired: DivertDesired = { ruleName: ruleNameFor(input.reference), spocMailbox: spoc, senderAddresses: senders, folderName };
      const at = nowIso();
      const existing = await deps.diverts.get(input.entryId);
      await cancelUnfinished(input.entryId, input.actorId, ["apply", "reconcile", "retry", "councillor-opt-in"]);
      const previous = existing ? await ledger(input.entryId) : new Map() as Ledger;
      const rows: { mailbox: string; action: DivertAction; expectedRuleId?: string }[] = [...resolved.mailboxes].sort().map((mailbox) => ({
        mailbox,
        action: "ensure",
        ...(previous.get(mailbox)?.ruleId ? { expectedRuleId: previous.get(mailbox)!.ruleId } : {}),
      }));
      // Mailboxes that had the rule but are no longer targets (someone left a group): take it away.
      for (const [mailbox, entry] of previous) {
        if (entry.status !== "absent" && !resolved.mailboxes.has(mailbox)) rows.push({ mailbox, action: "remove", ...(entry.ruleId ? { expectedRuleId: entry.ruleId } : {}) });
      }
      const base = {
        entryId: input.entryId,
        reference: input.reference,
        status: "active" as const,
        spocMailbox: spoc,
        desired,
        targets: input.targets,
        targetCount: resolved.mailboxes.size,
        appliedAt: at,
        appliedBy: input.actorId,
        updatedAt: at,
      };
      if (existing) {
        await mutateState(input.entryId, (s) => ({ ...s, ...base, liftedAt: undefined, liftedBy: undefined }));
      } else {
        await deps.diverts.create(base);
      }
      const job = await makeJob(base, "apply", rows, input.actorId);
      await audit(input.actorId, input.surface, input.entryId, [input.reference, "divert-applied"]);
      kick(input.entryId);
      return { ok: true, jobId: job.id, total: job.total, skipped: resolved.skipped };
    },

    async liftDivert(input) {
      const state = await deps.diverts.get(input.entryId);
      if (!state) return fail("DIVERT_NOT_FOUND", "There is no divert for this entry, so there is nothing to lift.");
      await cancelUnfinished(input.entryId, input.actorId, ["apply", "reconcile", "retry", "councillor-opt-in", "councillor-opt-out"]);
      const map = await ledger(input.entryId);
      const rows = [...map]
        .filter(([, v]) => v.status !== "absent")
        .map(([mailbox, v]) => ({ mailbox, action: "remove" as const, ...(v.ruleId ? { expectedRuleId: v.ruleId } : {}) }))
        .sort((a, b) => (a.mailbox < b.mailbox ? -1 : 1));
      const at = nowIso();
      await mutateState(input.entryId, (s) => ({ ...s, status: "lifted", liftedAt: at, liftedBy: input.actorId, updatedAt: at }));
      const job = await makeJob(state, "lift", rows, input.actorId);
      await audit(input.actorId, input.surface, input.entryId, [state.reference, "divert-lifted"]);
      kick(input.entryId);
      return { ok: true, jobId: job.id, total: job.total };
    },

    async councillorOptIn(input) {
      const mailbox = address(input.councillorMailbox);
      if (!mailbox) return fail("DIVERT_INVALID_INPUT", "The councillor's mailbox is not an email address.");
      await deps.diverts.putCouncillor({ mailbox, optedIn: true, changedAt: nowIso(), changedBy: input.actorId });
      const jobIds: string[] = [];
      for (const state of await deps.diverts.listActive()) {
        if (state.spocMailbox === mailbox || state.desired.senderAddresses.includes(mailbox)) continue;
        const entry = (await ledger(state.entryId)).get(mailbox);
        if (entry?.status === "present" && entry.wanted) continue;
        const job = await makeJob(state, "councillor-opt-in", [{ mailbox, action: "ensure", ...(entry?.ruleId ? { expectedRuleId: entry.ruleId } : {}) }], input.actorId);
        jobIds.push(job.id);
        await audit(input.actorId, input.surface, state.entryId, [state.reference, "councillor-opted-in"]);
        kick(state.entryId);
      }
      return { ok: true, jobIds };
    },

    async councillorOptOut(input) {
      const mailbox = address(input.councillorMailbox);
      if (!mailbox) return fail("DIVERT_INVALID_INPUT", "The councillor's mailbox is not an email address.");
      await deps.diverts.putCouncillor({ mailbox, optedIn: false, changedAt: nowIso(), changedBy: input.actorId });
      const jobIds: string[] = [];
      for (const state of await deps.diverts.listActive()) {
        const entry = (await ledger(state.entryId)).get(mailbox);
        if (!entry || entry.status === "absent") continue;
        const job = await makeJob(state, "councillor-opt-out", [{ mailbox, action: "remove", ...(entry.ruleId ? { expectedRuleId: entry.ruleId } : {}) }], input.actorId);
        jobIds.push(job.id);
        await audit(input.actorId, input.surface, state.entryId, [state.reference, "councillor-opted-out"]);
        kick(state.entryId);
      }
      return { ok: true, jobIds };
    },

    async recordCustomerTold(input) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.on)) return fail("DIVERT_INVALID_INPUT", "Enter the date the customer was told as YYYY-MM-DD.");
      if (!["letter", "email", "in-person", "phone"].includes(input.how)) {
        return fail("DIVERT_INVALID_INPUT", "Say how the customer was told: letter, email, in person or phone.");
      }
      const at = nowIso();
      const updated = await mutateState(input.entryId, (s) => ({
        ...s,
        customerToldOn: input.on,
        customerToldHow: input.how,
        customerToldRecordedAt: at,
        customerToldRecordedBy: input.actorId,
        updatedAt: at,
      }));
      if (!updated) return fail("DIVERT_NOT_FOUND", "There is no divert for this entry. Apply the divert first, then record that the customer was told.");
      await audit(input.actorId, input.surface, input.entryId, [updated.reference, "divert-customer-told"]);
      return { ok: true, divert: await view(updated) };
    },

    async reconcile(input) {
      const states = input.entryId
        ? [await deps.diverts.get(input.entryId)].filter((s): s is DivertState => s !== undefined)
        : [...(await deps.diverts.listActive())];
      if (input.entryId && states.length === 0) return fail("DIVERT_NOT_FOUND", "There is no divert for this entry.");
      const jobIds: string[] = [];
      for (const state of states) {
        const map = await ledger(state.entryId);
        // An active divert: check every mailbox that should have the rule, and take away any left where it
        // should not. A lifted divert should have none left: any found are removed (reported as leftovers).
        const rows = [...map]
          .filter(([, v]) => (state.status === "active" && v.wanted) || v.status !== "absent")
          .map(([mailbox, v]) => {
            const action: DivertAction = state.status === "active" && v.wanted ? "check" : "remove";
            return { mailbox, action, ...(v.ruleId ? { expectedRuleId: v.ruleId } : {}) };
          });
        if (rows.length === 0) continue;
        const job = await makeJob(state, "reconcile", rows, input.actorId, input.mode);
        jobIds.push(job.id);
        kick(state.entryId);
      }
      return { ok: true, jobIds };
    },

    async retryFailed(input) {
      const job = await deps.jobs.getJob(input.jobId);
      if (!job) return fail("DIVERT_JOB_NOT_FOUND", "There is no such divert job. Refresh the page and try again.");
      const failed = await deps.jobs.listRows(job.id, "failed");
      if (failed.length === 0) return fail("DIVERT_NOTHING_TO_RETRY", "No mailbox failed in this job, so there is nothing to retry.");
      const state = await deps.diverts.get(job.entryId);
      if (state?.status === "lifted" && job.kind !== "lift" && job.kind !== "councillor-opt-out") {
        return fail("DIVERT_NOT_ACTIVE", "The divert has been lifted since this job ran, so its rules must not be put back.");
      }
      const retry = await makeJob(
        job,
        "retry",
        failed.map((r) => ({ mailbox: r.mailbox, action: r.action, ...(r.expectedRuleId ? { expectedRuleId: r.expectedRuleId } : {}) })),
        input.actorId,
        job.reconcileMode,
      );
      kick(job.entryId);
      return { ok: true, jobId: retry.id, total: retry.total };
    },

    async getJobProgress(jobId) {
      const job = await deps.jobs.getJob(jobId);
      return job ? progress(job) : undefined;
    },

    async getDivert(entryId) {
      const state = await deps.diverts.get(entryId);
      return state ? view(state) : undefined;
    },

    async runPending() {
      const jobs = await deps.jobs.listUnfinishedJobs();
      const entries = [...new Set(jobs.map((j) => j.entryId))];
      await Promise.all(entries.map((e) => runner.runEntry(e)));
    },

    start(options = {}) {
      const log = (event: string) => (error: unknown) => {
        deps.logger.error(event, { code: (error as { code?: string }).code ?? "UNEXPECTED" });
      };
      const resume = (): void => {
        service.runPending().catch(log("divert.resume_failed"));
      };
      resume();
      const timers = [setInterval(resume, options.resumeEveryMs ?? 30_000)];
      const reconcileEvery = options.reconcileEveryMs ?? 24 * 3600_000;
      if (reconcileEvery > 0) {
        timers.push(
          setInterval(() => {
            service.reconcile({ mode: options.reconcileMode ?? "repair", actorId: "system:reconciler" }).catch(log("divert.reconcile_failed"));
          }, reconcileEvery),
        );
      }
      return () => timers.forEach((t) => clearInterval(t));
    },

    idle: () => runner.idle(),
    stop: (mode) => runner.stop(mode),
  };
  return service;
}
