// SPOC divert storage on Azure Tables (docs/graph.md "Job states"):
//   <prefix>DivertJobs      PartitionKey = jobId: RowKey "job" (the job and its counters), "p|<nnnnn>" (the
//                           plan: up to 100 mailboxes and what to do in each, per row, written when the job
//                           is made) and "m|<hmac>" (one row per finished mailbox). One partition per job,
//                           so a progress save writes up to 99 mailbox rows and the job's counters in one
//                           all-or-nothing transaction. A mailbox with no "m|" row is pending: making a
//                           5,000-mailbox job is one transaction of 50 plan rows, not 5,000 inserts.
//   <prefix>DivertJobIndex  PartitionKey = entryId, RowKey = "<createdAt>|<jobId>", with the job's status
//                           copied: lists an entry's jobs and finds unfinished ones without scanning the
//                           (large) mailbox rows. Derived: readers re-check the job row itself.
//   <prefix>Diverts         PartitionKey = entryId: RowKey "state" (the divert) and "lease" (which server
//                           instance runs the entry's jobs); PartitionKey "councillors": RowKey "<hmac>"
//                           (each councillor's opt-in choice).
// Mailbox addresses appear in keys only as an HMAC (keys travel in URLs and storage logs, keys.ts).
import { createHmac } from "node:crypto";
import { odata } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import { AlreadyExistsError, ConcurrencyError, NotFoundError } from "../../ports/errors";
import type {
  CouncillorPreference,
  DivertJob,
  DivertJobStore,
  DivertMailboxRow,
  DivertState,
  DivertStore,
  MailboxRowState,
} from "../../ports/divertJobs";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { tableGateways, MAX_TRANSACTION_ACTIONS, TableGateway, transactionOf, type RetryOptions, type StoredRow } from "./gateway";
import { keyPart, prefixEnd } from "./keys";

const JOB_ROW = "job";
const MAILBOX_PREFIX = "m|";
const PLAN_PREFIX = "p|";
const PLAN_ROW_SIZE = 100;

/** One planned mailbox, as stored in a plan row. */
interface PlannedMailbox {
  mailbox: string;
  action: DivertMailboxRow["action"];
  expectedRuleId?: string;
}
const STATE_ROW = "state";
const LEASE_ROW = "lease";
const COUNCILLORS = "councillors";

/** Keys for a mailbox: an HMAC of the lower-cased address, never the address itself. */
export function mailboxKey(hashKey: Buffer, mailbox: string): string {
  return createHmac("sha256", hashKey).update(mailbox.trim().toLowerCase()).digest("base64url").slice(0, 32);
}

function ctx(operation: string, entity: string, id: string): StoreErrorContext {
  return { operation: `diverts.${operation}`, entity, id };
}

function withEtag<T>(row: StoredRow): T & { etag: string } {
  return { ...decodeRecord<T>(row), etag: row.etag };
}

export class TableDivertJobStore implements DivertJobStore {
  constructor(
    private readonly jobs: TableGateway,
    private readonly index: TableGateway,
    private readonly hashKey: Buffer,
  ) {}

  private rowKey(mailbox: string): string {
    return MAILBOX_PREFIX + mailboxKey(this.hashKey, mailbox);
  }

  private async indexJob(job: DivertJob, c: StoreErrorContext): Promise<void> {
    await this.index.upsert(
      { partitionKey: keyPart("entry", job.entryId), rowKey: `${job.createdAt}|${keyPart("divert job", job.id)}`, jobId: job.id, status: job.status },
      c,
    );
  }

  async createJob(job: DivertJob, rows: DivertMailboxRow[]): Promise<DivertJob> {
    const c = ctx("createJob", "divert job", job.id);
    const pk = keyPart("divert job", job.id);
    const jobProps = encodeRecord("divert job", job.id, job);
    if (await this.jobs.get(pk, JOB_ROW, c)) throw new AlreadyExistsError("divert job", job.id);
    const plans: PlannedMailbox[][] = [];
    for (let i = 0; i < rows.length; i += PLAN_ROW_SIZE) {
      plans.push(rows.slice(i, i + PLAN_ROW_SIZE).map((r) => ({ mailbox: r.mailbox, action: r.action, ...(r.expectedRuleId ? { expectedRuleId: r.expectedRuleId } : {}) })));
    }
    // The plan first, the job row last: a job is only visible once its whole plan is there.
    for (let i = 0; i < plans.length; i += MAX_TRANSACTION_ACTIONS) {
      const batch = plans.slice(i, i + MAX_TRANSACTION_ACTIONS);
      await this.jobs.transaction(
        transactionOf((t) => {
          batch.forEach((mailboxes, n) => {
            const index = String(i + n).padStart(5, "0");
            t.createEntity({ partitionKey: pk, rowKey: PLAN_PREFIX + index, ...encodeRecord("divert job plan", `${job.id}/${index}`, { mailboxes }) });
          });
        }),
        c,
      );
    }
    await this.indexJob(job, c);
    const etag = await this.jobs.create({ partitionKey: pk, rowKey: JOB_ROW, ...jobProps }, c);
    return { ...decodeRecord<DivertJob>(jobProps), etag };
  }

  async getJob(jobId: string): Promise<DivertJob | undefined> {
    const row = await this.jobs.get(keyPart("divert job", jobId), JOB_ROW, ctx("getJob", "divert job", jobId));
    return row ? withEtag<DivertJob>(row) : undefined;
  }

  async updateJob(job: DivertJob): Promise<DivertJob> {
    const c = ctx("updateJob", "divert job", job.id);
    const expected = requireEtag("divert job", job.id, job.etag);
    const props = encodeRecord("divert job", job.id, job);
    const etag = await this.jobs.replace({ partitionKey: keyPart("divert job", job.id), rowKey: JOB_ROW, ...props }, expected, c);
    await this.indexJob(job, c);
    return { ...decodeRecord<DivertJob>(props), etag };
  }

  async saveProgress(job: DivertJob, rows: DivertMailboxRow[]): Promise<{ job: DivertJob; rows: DivertMailboxRow[] }> {
    const c = ctx("saveProgress", "divert job", job.id);
    const pk = keyPart("divert job", job.id);
    const jobProps = encodeRecord("divert job", job.id, job);
    let jobEtag = requireEtag("divert job", job.id, job.etag);
    const saved: DivertMailboxRow[] = [];
    const per = MAX_TRANSACTION_ACTIONS - 1;
    const chunks = rows.length === 0 ? [[]] : Array.from({ length: Math.ceil(rows.length / per) }, (_, i) => rows.slice(i * per, (i + 1) * per));
    for (const chunk of chunks) {
      const encoded = chunk.map((row) => {
        const { etag, ...rest } = row;
        return { row, etag, props: encodeRecord("divert mailbox row", `${job.id}/${row.mailbox}`, rest) };
      });
      let etags: (string | undefined)[];
      try {
        etags = await this.jobs.transaction(
          transactionOf((t) => {
            for (const e of encoded) {
              const entity = { partitionKey: pk, rowKey: this.rowKey(e.row.mailbox), ...e.props };
              // A pending row is inserted (409 if another writer saved it first); a saved one is replaced
              // only if unchanged (412).
              if (e.etag === undefined) t.createEntity(entity);
              else t.updateEntity(entity, "Replace", { etag: e.etag });
            }
            t.updateEntity({ partitionKey: pk, rowKey: JOB_ROW, ...jobProps }, "Replace", { etag: jobEtag });
          }),
          c,
        );
      } catch (error) {
        if (error instanceof AlreadyExistsError || error instanceof NotFoundError) throw new ConcurrencyError("divert job", job.id);
        throw error;
      }
      encoded.forEach((e, i) => saved.push({ ...decodeRecord<DivertMailboxRow>(e.props), etag: etags[i] ?? "" }));
      jobEtag = etags[etags.length - 1] ?? "";
    }
    if (saved.some((r) => !r.etag) || !jobEtag) {
      throw new Error("The store did not return etags for a divert progress save; read the job again before the next save.");
    }
    // The index only needs the status; while a job runs, saves do not change it.
    if (job.status !== "running") await this.indexJob(job, c);
    return { job: { ...decodeRecord<DivertJob>(jobProps), etag: jobEtag }, rows: saved };
  }

  async listRows(jobId: string, state?: MailboxRowState): Promise<DivertMailboxRow[]> {
    const c = ctx("listRows", "divert job", jobId);
    const pk = keyPart("divert job", jobId);
    const finished = new Map<string, DivertMailboxRow>();
    const rowFilter = state === undefined || state === "pending"
      ? odata`PartitionKey eq ${pk} and RowKey ge ${MAILBOX_PREFIX} and RowKey lt ${prefixEnd(MAILBOX_PREFIX)}`
      : odata`PartitionKey eq ${pk} and RowKey ge ${MAILBOX_PREFIX} and RowKey lt ${prefixEnd(MAILBOX_PREFIX)} and state eq ${state}`;
    for await (const row of this.jobs.query(rowFilter, c)) {
      const r = withEtag<DivertMailboxRow>(row);
      finished.set(r.mailbox, r);
    }
    if (state === "done" || state === "failed") return [...finished.values()];
    // Pending rows come from the plan: every planned mailbox without a saved row.
    const job = await this.jobs.get(pk, JOB_ROW, c);
    const createdAt = typeof job?.createdAt === "string" ? job.createdAt : new Date(0).toISOString();
    const out: DivertMailboxRow[] = [];
    for await (const plan of this.jobs.query(odata`PartitionKey eq ${pk} and RowKey ge ${PLAN_PREFIX} and RowKey lt ${prefixEnd(PLAN_PREFIX)}`, c)) {
      for (const p of decodeRecord<{ mailboxes: PlannedMailbox[] }>(plan).mailboxes) {
        const saved = finished.get(p.mailbox);
        if (saved) {
          if (state === undefined) out.push(saved);
          continue;
        }
        out.push({ jobId, mailbox: p.mailbox, action: p.action, state: "pending", ...(p.expectedRuleId ? { expectedRuleId: p.expectedRuleId } : {}), attempts: 0, updatedAt: createdAt });
      }
    }
    return out;
  }

  private async jobsFromIndex(filter: string, c: StoreErrorContext): Promise<DivertJob[]> {
    const ids: string[] = [];
    for await (const row of this.index.query(filter, c, ["jobId"])) if (typeof row.jobId === "string") ids.push(row.jobId);
    const jobs = await Promise.all(ids.map((id) => this.getJob(id)));
    return jobs.filter((j): j is DivertJob => j !== undefined).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  }

  async listJobsForEntry(entryId: string): Promise<DivertJob[]> {
    return this.jobsFromIndex(odata`PartitionKey eq ${keyPart("entry", entryId)}`, ctx("listJobsForEntry", "divert", entryId));
  }

  async listUnfinishedJobs(): Promise<DivertJob[]> {
    const jobs = await this.jobsFromIndex(odata`status eq ${"queued"} or status eq ${"running"}`, ctx("listUnfinishedJobs", "divert job", "*"));
    return jobs.filter((j) => j.status === "queued" || j.status === "running");
  }
}

export class TableDivertStore implements DivertStore {
  constructor(private readonly table: TableGateway, private readonly hashKey: Buffer) {}

  async get(entryId: string): Promise<DivertState | undefined> {
    const row = await this.table.get(keyPart("entry", entryId), STATE_ROW, ctx("get", "divert", entryId));
    return row ? withEtag<DivertState>(row) : undefined;
  }

  async create(state: DivertState): Promise<DivertState> {
    const props = encodeRecord("divert", state.entryId, state);
    const etag = await this.table.create({ partitionKey: keyPart("entry", state.entryId), rowKey: STATE_ROW, ...props }, ctx("create", "divert", state.entryId));
    return { ...decodeRecord<DivertState>(props), etag };
  }

  async update(state: DivertState): Promise<DivertState> {
    const expected = requireEtag("divert", state.entryId, state.etag);
    const props = encodeRecord("divert", state.entryId, state);
    const etag = await this.table.replace({ partitionKey: keyPart("entry", state.entryId), rowKey: STATE_ROW, ...props }, expected, ctx("update", "divert", state.entryId));
    return { ...decodeRecord<DivertState>(props), etag };
  }

  async listActive(): Promise<DivertState[]> {
    const out: DivertState[] = [];
    for await (const row of this.table.query(odata`RowKey eq ${STATE_ROW} and status eq ${"active"}`, ctx("listActive", "divert", "*"))) {
      out.push(withEtag<DivertState>(row));
    }
    return out;
  }

  async getCouncillor(mailbox: string): Promise<CouncillorPreference | undefined> {
    const row = await this.table.get(COUNCILLORS, mailboxKey(this.hashKey, mailbox), ctx("getCouncillor", "councillor preference", "councillor"));
    return row ? withEtag<CouncillorPreference>(row) : undefined;
  }

  async putCouncillor(preference: CouncillorPreference): Promise<CouncillorPreference> {
    const props = encodeRecord("councillor preference", "councillor", preference);
    const etag = await this.table.upsert({ partitionKey: COUNCILLORS, rowKey: mailboxKey(this.hashKey, preference.mailbox), ...props }, ctx("putCouncillor", "councillor preference", "councillor"));
    return { ...decodeRecord<CouncillorPreference>(props), etag };
  }

  async listCouncillors(): Promise<CouncillorPreference[]> {
    const out: CouncillorPreference[] = [];
    for await (const row of this.table.query(odata`PartitionKey eq ${COUNCILLORS}`, ctx("listCouncillors", "councillor preference", "*"))) {
      out.push(withEtag<CouncillorPreference>(row));
    }
    return out;
  }

  async acquireLease(entryId: string, owner: string, until: string, now: string): Promise<boolean> {
    const c = ctx("acquireLease", "divert lease", entryId);
    const pk = keyPart("entry", entryId);
    const row = { partitionKey: pk, rowKey: LEASE_ROW, owner, until };
    const current = await this.table.get(pk, LEASE_ROW, c);
    try {
      if (!current) {
        await this.table.create(row, c);
        return true;
      }
      if (current.owner !== owner && typeof current.until === "string" && current.until > now) return false;
      await this.table.replace(row, current.etag, c);
      return true;
    } catch (error) {
      // Another instance took or renewed it between our read and write.
      if (error instanceof AlreadyExistsError || error instanceof ConcurrencyError || error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async releaseLease(entryId: string, owner: string): Promise<void> {
    const c = ctx("releaseLease", "divert lease", entryId);
    const pk = keyPart("entry", entryId);
    const current = await this.table.get(pk, LEASE_ROW, c);
    if (!current || current.owner !== owner) return;
    try {
      // Expire rather than delete, so the release is etag-guarded like every other lease change.
      await this.table.replace({ partitionKey: pk, rowKey: LEASE_ROW, owner, until: new Date(0).toISOString() }, current.etag, c);
    } catch (error) {
      if (error instanceof ConcurrencyError || error instanceof NotFoundError) return;
      throw error;
    }
  }
}

export const DIVERT_TABLE_NAMES = { jobs: "DivertJobs", index: "DivertJobIndex", diverts: "Diverts" } as const;

export type DivertTableStoresOptions = {
  tablePrefix?: string;
  /** The same secret as the other table stores' identifier hash key (16+ characters). */
  identifierHashKey: string | Buffer;
  retry?: RetryOptions;
  createTables?: boolean;
  allowInsecureConnection?: boolean;
} & ({ connectionString: string } | { tableEndpoint: string; credential: TokenCredential });

export async function createDivertTableStores(options: DivertTableStoresOptions): Promise<{ jobs: TableDivertJobStore; diverts: TableDivertStore }> {
  const hashKey = typeof options.identifierHashKey === "string" ? Buffer.from(options.identifierHashKey, "utf8") : options.identifierHashKey;
  if (hashKey.length < 16) throw new TypeError("The identifier hash key is too short: use at least 16 characters.");
  const { gateway } = tableGateways(options);
  const jobs = gateway(DIVERT_TABLE_NAMES.jobs);
  const index = gateway(DIVERT_TABLE_NAMES.index);
  const diverts = gateway(DIVERT_TABLE_NAMES.diverts);
  if (options.createTables ?? true) await Promise.all([jobs.ensureTable(), index.ensureTable(), diverts.ensureTable()]);
  return { jobs: new TableDivertJobStore(jobs, index, hashKey), diverts: new TableDivertStore(diverts, hashKey) };
}
