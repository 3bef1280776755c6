// In-memory DivertJobStore and DivertStore: same shapes, copies, etags and errors as the table stores
// (bot/src/adapters/tables/divertJobs.ts, divertState.ts), for unit tests and the demo.
import { ConcurrencyError, NotFoundError } from "../../ports/errors";
import type {
  CouncillorPreference,
  DivertJob,
  DivertJobStore,
  DivertMailboxRow,
  DivertState,
  DivertStore,
  MailboxRowState,
} from "../../ports/divertJobs";
import { AlreadyExistsError } from "../../ports/errors";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

function byCreated(a: DivertJob, b: DivertJob): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
}

export class MemoryDivertJobStore implements DivertJobStore {
  private readonly jobs = new MemoryRecords<DivertJob>("divert job");
  /** The plan: every mailbox of the job as created (pending), like the table store's plan rows. */
  private readonly plans = new Map<string, DivertMailboxRow[]>();
  /** Finished mailboxes only. */
  private readonly rows = new MemoryRecords<DivertMailboxRow>("divert mailbox row");

  private rowKey(jobId: string, mailbox: string): string {
    return `${keyPart("divert job", jobId)}|${mailbox}`;
  }

  async createJob(job: DivertJob, rows: DivertMailboxRow[]): Promise<DivertJob> {
    const key = keyPart("divert job", job.id);
    if (this.jobs.has(key)) throw new AlreadyExistsError("divert job", job.id);
    this.plans.set(job.id, rows.map((r) => ({ ...r, state: "pending" as const, etag: undefined })));
    return Promise.resolve(this.jobs.create(key, job.id, job));
  }

  async getJob(jobId: string): Promise<DivertJob | undefined> {
    return Promise.resolve(this.jobs.read(keyPart("divert job", jobId)));
  }

  async updateJob(job: DivertJob): Promise<DivertJob> {
    return Promise.resolve(this.jobs.replace(keyPart("divert job", job.id), job.id, job, job.etag));
  }

  async saveProgress(job: DivertJob, rows: DivertMailboxRow[]): Promise<{ job: DivertJob; rows: DivertMailboxRow[] }> {
    // All or nothing, like the table transaction: check every etag before writing anything.
    const jobKey = keyPart("divert job", job.id);
    const current = this.jobs.read(jobKey);
    if (!current) throw new NotFoundError("divert job", job.id);
    if (current.etag !== job.etag) throw new ConcurrencyError("divert job", job.id);
    for (const row of rows) {
      const stored = this.rows.read(this.rowKey(job.id, row.mailbox));
      // A pending row (no etag) must not have been saved by anyone else; a saved one must be unchanged.
      if (row.etag === undefined ? stored !== undefined : stored?.etag !== row.etag) {
        throw new ConcurrencyError("divert mailbox row", `${job.id}/${row.mailbox}`);
      }
    }
    const saved = rows.map((row) => {
      const key = this.rowKey(job.id, row.mailbox);
      return row.etag === undefined ? this.rows.create(key, `${job.id}/${row.mailbox}`, row) : this.rows.replace(key, `${job.id}/${row.mailbox}`, row, row.etag);
    });
    return Promise.resolve({ job: this.jobs.replace(jobKey, job.id, job, job.etag), rows: saved });
  }

  async listRows(jobId: string, state?: MailboxRowState): Promise<DivertMailboxRow[]> {
    const finished = new Map(this.rows.list(`${keyPart("divert job", jobId)}|`).map((r) => [r.mailbox, r]));
    const all = (this.plans.get(jobId) ?? []).map((p) => finished.get(p.mailbox) ?? { ...p });
    return Promise.resolve(all.filter((r) => state === undefined || r.state === state));
  }

  async listJobsForEntry(entryId: string): Promise<DivertJob[]> {
    return Promise.resolve(this.jobs.list("", (j) => j.entryId === entryId).sort(byCreated));
  }

  async listUnfinishedJobs(): Promise<DivertJob[]> {
    return Promise.resolve(this.jobs.list("", (j) => j.status === "queued" || j.status === "running").sort(byCreated));
  }
}

export class MemoryDivertStore implements DivertStore {
  private readonly states = new MemoryRecords<DivertState>("divert");
  private readonly councillors = new MemoryRecords<CouncillorPreference>("councillor preference");
  private readonly leases = new Map<string, { owner: string; until: string }>();

  async get(entryId: string): Promise<DivertState | undefined> {
    return Promise.resolve(this.states.read(keyPart("entry", entryId)));
  }

  async create(state: DivertState): Promise<DivertState> {
    return Promise.resolve(this.states.create(keyPart("entry", state.entryId), state.entryId, state));
  }

  async update(state: DivertState): Promise<DivertState> {
    return Promise.resolve(this.states.replace(keyPart("entry", state.entryId), state.entryId, state, state.etag));
  }

  async listActive(): Promise<DivertState[]> {
    return Promise.resolve(this.states.list("", (s) => s.status === "active"));
  }

  async getCouncillor(mailbox: string): Promise<CouncillorPreference | undefined> {
    return Promise.resolve(this.councillors.read(mailbox));
  }

  async putCouncillor(preference: CouncillorPreference): Promise<CouncillorPreference> {
    return Promise.resolve(this.councillors.upsert(preference.mailbox, "councillor", preference).record);
  }

  async listCouncillors(): Promise<CouncillorPreference[]> {
    return Promise.resolve(this.councillors.list());
  }

  async acquireLease(entryId: string, owner: string, until: string, now: string): Promise<boolean> {
    const current = this.leases.get(entryId);
    if (current && current.owner !== owner && current.until > now) return Promise.resolve(false);
    this.leases.set(entryId, { owner, until });
    return Promise.resolve(true);
  }

  async releaseLease(entryId: string, owner: string): Promise<void> {
    if (this.leases.get(entryId)?.owner === owner) this.leases.delete(entryId);
    return Promise.resolve();
  }
}
