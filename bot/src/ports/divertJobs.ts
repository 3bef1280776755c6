// Storage ports for SPOC email diverts (Dorset 4.11-4.12; issue 6 item 1).
//
// A divert is kept per register entry (DivertState: what is diverted to whom, and when and how the customer
// was told). Every change to the mailboxes is a job: the job row, its plan (which mailboxes, what to do) and
// one row per finished mailbox, all in one partition in Table Storage, so a progress save writes up to 99
// mailbox rows and the job's counters in one all-or-nothing transaction. A crash loses at most the last
// unsaved rows; those mailboxes are still `pending` and are checked again (finding CALM's rule by name), so
// nothing is made twice.
//
// Rules the implementations keep (as in stores.ts): create never overwrites (AlreadyExistsError); updates
// carry the etag they read (ConcurrencyError if stale); reads return copies; an unreachable store is
// StoreUnavailableError.
import type { DivertRecord, IsoDate, IsoDateTime } from "../../../core/src/domain";

/** What the decision names as the divert's recipients: staff mailboxes and groups (DOMAIN.md "SPOC and
 * email divert"). Councillors are not named here: they opt in themselves (Dorset 4.12). */
export interface DivertTarget {
  kind: "user" | "group";
  /** Entra object id, or the user's / group's primary address. */
  id: string;
}

/** The rule CALM wants in each target mailbox. Neutral names only: the rule carries the entry's opaque
 * reference, never the customer's name (EXPERIENCE.md "Notifications and anything that leaves the register"). */
export interface DivertDesired {
  /** `CALM divert CAL-0042`: how CALM finds its own rule again. */
  ruleName: string;
  spocMailbox: string;
  senderAddresses: string[];
  /** The mail folder the original is moved to (a redirect leaves the original in the Inbox otherwise). */
  folderName: string;
}

export type CustomerToldHow = NonNullable<DivertRecord["customerToldHow"]>;

/** The divert of one entry. `DivertRecord` (core/src/domain.ts) plus what CALM needs to run it; the
 * current target mailboxes are not stored here (a group may hold thousands) but in the job rows. */
export interface DivertState extends Omit<DivertRecord, "targetMailboxes"> {
  reference: string;
  status: "active" | "lifted";
  desired: DivertDesired;
  targets: DivertTarget[];
  /** How many mailboxes the latest apply resolved to (councillors included). */
  targetCount: number;
  appliedAt: IsoDateTime;
  appliedBy: string;
  liftedAt?: IsoDateTime;
  liftedBy?: string;
  customerToldRecordedAt?: IsoDateTime;
  customerToldRecordedBy?: string;
  updatedAt: IsoDateTime;
  etag?: string;
}

export const DIVERT_JOB_KINDS = ["apply", "lift", "councillor-opt-in", "councillor-opt-out", "reconcile", "retry"] as const;
export type DivertJobKind = (typeof DIVERT_JOB_KINDS)[number];

/** queued → running → completed | completed-with-failures; a running or queued job may be cancelled
 * (a lift supersedes an apply still in progress). */
export type DivertJobStatus = "queued" | "running" | "completed" | "completed-with-failures" | "cancelled";

/** What to do in one mailbox: make sure CALM's rule is there and right (`ensure`), take CALM's rule away
 * (`remove`), or compare it with what it should be (`check`, the reconciler). */
export type DivertAction = "ensure" | "remove" | "check";

export type MailboxRowState = "pending" | "done" | "failed";

/** How a mailbox ended. */
export type MailboxOutcome =
  | "created" // rule made
  | "in-place" // rule already there and right
  | "restored" // rule was there but changed by hand; put back
  | "removed" // CALM's rule(s) deleted
  | "absent" // nothing of CALM's there to remove
  | "drift-reported"; // check in report mode: differences recorded, nothing changed

export type DriftKind = "missing" | "disabled" | "changed" | "renamed" | "duplicate" | "leftover";

export interface DivertJob {
  id: string;
  entryId: string;
  reference: string;
  kind: DivertJobKind;
  status: DivertJobStatus;
  desired: DivertDesired;
  /** For `check` rows: repair drift, or only report it. */
  reconcileMode?: "repair" | "report";
  total: number;
  done: number;
  failed: number;
  createdAt: IsoDateTime;
  createdBy: string;
  startedAt?: IsoDateTime;
  finishedAt?: IsoDateTime;
  cancelledAt?: IsoDateTime;
  cancelledBy?: string;
  updatedAt: IsoDateTime;
  etag?: string;
}

export interface DivertFailure {
  /** A stable code (GraphError codes, or DIVERT_* for CALM's own checks). */
  code: string;
  /** What happened and what to do next, for the tab. No personal data. */
  message: string;
}

export interface DivertMailboxRow {
  jobId: string;
  /** The mailbox's primary address, lower case. */
  mailbox: string;
  action: DivertAction;
  state: MailboxRowState;
  outcome?: MailboxOutcome;
  ruleId?: string;
  folderId?: string;
  /** For `check`/`remove`: the rule id CALM made there last time, to spot a rule renamed by hand. */
  expectedRuleId?: string;
  drift?: DriftKind[];
  failure?: DivertFailure;
  attempts: number;
  updatedAt: IsoDateTime;
  etag?: string;
}

export interface DivertJobStore {
  /** Writes the job and its plan (every mailbox, pending). Fails with AlreadyExistsError if the id is taken.
   * The job only becomes visible once its whole plan is stored. */
  createJob(job: DivertJob, rows: DivertMailboxRow[]): Promise<DivertJob>;
  getJob(jobId: string): Promise<DivertJob | undefined>;
  /** Replaces the job row (etag-guarded). */
  updateJob(job: DivertJob): Promise<DivertJob>;
  /** Saves finished mailbox rows and the job row (with its counters) together, all or nothing, in one
   * transaction per 99 rows. A row read as pending has no etag and is saved only if no other writer has
   * saved it meanwhile; a row with an etag must still have it. Either conflict is a ConcurrencyError. */
  saveProgress(job: DivertJob, rows: DivertMailboxRow[]): Promise<{ job: DivertJob; rows: DivertMailboxRow[] }>;
  /** Mailbox rows of the job (pending ones have no etag), optionally in one state only. */
  listRows(jobId: string, state?: MailboxRowState): Promise<DivertMailboxRow[]>;
  /** Jobs of one entry, oldest first. */
  listJobsForEntry(entryId: string): Promise<DivertJob[]>;
  /** Queued or running jobs of every entry, oldest first (what a restarted server resumes). */
  listUnfinishedJobs(): Promise<DivertJob[]>;
}

export interface CouncillorPreference {
  /** The councillor's primary address, lower case. */
  mailbox: string;
  /** Dorset 4.12: the councillor chooses whether diverts apply to their mailbox. */
  optedIn: boolean;
  changedAt: IsoDateTime;
  changedBy: string;
  etag?: string;
}

export interface DivertStore {
  get(entryId: string): Promise<DivertState | undefined>;
  create(state: DivertState): Promise<DivertState>;
  update(state: DivertState): Promise<DivertState>;
  listActive(): Promise<DivertState[]>;

  getCouncillor(mailbox: string): Promise<CouncillorPreference | undefined>;
  /** A councillor's own choice: the latest one stands (no etag needed). */
  putCouncillor(preference: CouncillorPreference): Promise<CouncillorPreference>;
  /** Every councillor's choice, in and out (one read, however many mailboxes a divert covers). */
  listCouncillors(): Promise<CouncillorPreference[]>;

  /** Takes or renews the lease that lets one server instance run the jobs of an entry. True if `owner`
   * holds it until `until` afterwards; false if another owner's lease has not expired by `now`. */
  acquireLease(entryId: string, owner: string, until: IsoDateTime, now: IsoDateTime): Promise<boolean>;
  releaseLease(entryId: string, owner: string): Promise<void>;
}

/** When and how the customer was told (Dorset 4.11: the customer is told a divert is in place). */
export interface CustomerToldInput {
  on: IsoDate;
  how: CustomerToldHow;
}
