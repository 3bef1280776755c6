// Cases, votes and conflict declarations on Azure Tables (docs/storage.md "Cases"):
//   <prefix>Cases          PartitionKey = caseId: RowKey "case" (the case), "v|<voterId>" (one vote per
//                          member: a repeat replaces), "c|<memberId>" (one declaration per member)
//   <prefix>CasesByStatus  PartitionKey = status, RowKey = caseId   (listByStatus)
// The status index is kept like the incidents' subject index: new row before the write, old row after,
// readers check the case's status (convergent, see incidents.ts).
import { odata } from "@azure/data-tables";
import type { Case, CaseStatus, ConflictDeclaration, Vote } from "../../../../core/src/domain";
import { AlreadyExistsError, ConcurrencyError, NotFoundError } from "../../ports/errors";
import type { Ballot, BallotChange, CaseStore } from "../../ports/stores";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { transactionOf, type StoredRow, type TableGateway } from "./gateway";
import { readMany, removeStaleIndexRow } from "./incidents";
import { keyPart, prefixEnd } from "./keys";

const CASE_ROW = "case";
/** The ballot's guard: the row exists while ballot writes are accepted (each write merges it with If-Match *). */
const GUARD_ROW = "ballot";
const VOTE_PREFIX = "v|";
const CONFLICT_PREFIX = "c|";

export class TableCaseStore implements CaseStore {
  constructor(private readonly cases: TableGateway, private readonly byStatus: TableGateway) {}

  private ctx(operation: string, entity: string, id: string): StoreErrorContext {
    return { operation: `cases.${operation}`, entity, id };
  }

  async get(id: string): Promise<Case | undefined> {
    const row = await this.cases.get(keyPart("case", id), CASE_ROW, this.ctx("get", "case", id));
    return row ? { ...decodeRecord<Case>(row), etag: row.etag } : undefined;
  }

  async create(c: Case): Promise<Case> {
    const ctx = this.ctx("create", "case", c.id);
    keyPart("subject", c.subjectId);
    const props = encodeRecord("case", c.id, c);
    const pk = keyPart("case", c.id);
    await this.byStatus.upsert({ partitionKey: c.status, rowKey: pk, caseId: c.id }, ctx);
    if (c.status !== "voting") {
      const etag = await this.cases.create({ partitionKey: pk, rowKey: CASE_ROW, ...props }, ctx);
      return { ...decodeRecord<Case>(props), etag };
    }
    // A case open for a vote gets its ballot guard in the same transaction.
    const [etag] = await this.cases.transaction(transactionOf((t) => {
      t.createEntity({ partitionKey: pk, rowKey: CASE_ROW, ...props });
      t.createEntity({ partitionKey: pk, rowKey: GUARD_ROW, open: true });
    }), ctx);
    if (!etag) throw new Error(`The store did not return an etag for cases.create; read the case ${c.id} again.`);
    return { ...decodeRecord<Case>(props), etag };
  }

  async update(c: Case): Promise<Case> {
    const ctx = this.ctx("update", "case", c.id);
    const expected = requireEtag("case", c.id, c.etag);
    keyPart("subject", c.subjectId);
    const props = encodeRecord("case", c.id, c);
    const pk = keyPart("case", c.id);
    const current = await this.cases.get(pk, CASE_ROW, ctx);
    if (!current) throw new NotFoundError("case", c.id);
    if (current.etag !== expected) throw new ConcurrencyError("case", c.id);
    const previousStatus = decodeRecord<Case>(current).status;
    if (previousStatus !== c.status) await this.byStatus.upsert({ partitionKey: c.status, rowKey: pk, caseId: c.id }, ctx);
    const etag = await this.cases.replace({ partitionKey: pk, rowKey: CASE_ROW, ...props }, expected, ctx);
    if (previousStatus !== c.status) await removeStaleIndexRow(this.byStatus, previousStatus, pk, ctx);
    return { ...decodeRecord<Case>(props), etag };
  }

  async listByStatus(status: CaseStatus): Promise<Case[]> {
    const ctx = this.ctx("listByStatus", "case", status);
    const ids: string[] = [];
    for await (const row of this.byStatus.query(odata`PartitionKey eq ${status}`, ctx, ["caseId"])) {
      if (typeof row.caseId === "string") ids.push(row.caseId);
    }
    return (await readMany(ids, (id) => this.get(id))).filter((c) => c.status === status);
  }

  async putVote(vote: Vote): Promise<{ created: boolean; vote: Vote }> {
    const id = `${vote.caseId}/${vote.voter.id}`;
    const ctx = this.ctx("putVote", "vote", id);
    const props = encodeRecord("vote", id, vote);
    const row = { partitionKey: keyPart("case", vote.caseId), rowKey: VOTE_PREFIX + keyPart("voter", vote.voter.id), ...props };
    // Insert first so the answer says whether this call made the vote; a 409 means the member has voted
    // before, and their new choice replaces the old one (one vote per member per case).
    try {
      const etag = await this.cases.create(row, ctx);
      return { created: true, vote: { ...decodeRecord<Vote>(props), etag } };
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
    const etag = await this.cases.upsert(row, ctx);
    return { created: false, vote: { ...decodeRecord<Vote>(props), etag } };
  }

  async listVotes(caseId: string): Promise<Vote[]> {
    const rows = await this.listRows(caseId, VOTE_PREFIX, "listVotes");
    return rows.map((row) => ({ ...decodeRecord<Vote>(row), etag: row.etag }));
  }

  async putConflict(conflict: ConflictDeclaration): Promise<ConflictDeclaration> {
    const id = `${conflict.caseId}/${conflict.member.id}`;
    const props = encodeRecord("conflict declaration", id, conflict);
    const row = { partitionKey: keyPart("case", conflict.caseId), rowKey: CONFLICT_PREFIX + keyPart("member", conflict.member.id), ...props };
    await this.cases.upsert(row, this.ctx("putConflict", "conflict declaration", id));
    return decodeRecord<ConflictDeclaration>(props);
  }

  async listConflicts(caseId: string): Promise<ConflictDeclaration[]> {
    const rows = await this.listRows(caseId, CONFLICT_PREFIX, "listConflicts");
    return rows.map((row) => decodeRecord<ConflictDeclaration>(row));
  }

  async getBallot(caseId: string): Promise<Ballot | undefined> {
    // One partition query: the case, its guard, votes and conflict declarations as one read.
    const ctx = this.ctx("getBallot", "case", caseId);
    let c: Case | undefined;
    let open = false;
    const votes: Vote[] = [];
    const conflicts: ConflictDeclaration[] = [];
    for await (const row of this.cases.query(odata`PartitionKey eq ${keyPart("case", caseId)}`, ctx)) {
      const rowKey = row.rowKey ?? "";
      if (rowKey === CASE_ROW) c = { ...decodeRecord<Case>(row), etag: row.etag };
      else if (rowKey === GUARD_ROW) open = true;
      else if (rowKey.startsWith(VOTE_PREFIX)) votes.push({ ...decodeRecord<Vote>(row), etag: row.etag });
      else if (rowKey.startsWith(CONFLICT_PREFIX)) conflicts.push(decodeRecord<ConflictDeclaration>(row));
    }
    return c ? { case: c, votes, conflicts, open } : undefined;
  }

  async writeBallot(caseId: string, change: BallotChange): Promise<void> {
    const pk = keyPart("case", caseId);
    const ballotCaseId = change.vote ? change.vote.caseId : change.conflict.caseId;
    if (ballotCaseId !== caseId) throw new TypeError(`A ballot write for case ${caseId} carries case ${ballotCaseId}.`);
    const row = change.vote
      ? { partitionKey: pk, rowKey: VOTE_PREFIX + keyPart("voter", change.vote.voter.id), ...encodeRecord("vote", `${caseId}/${change.vote.voter.id}`, change.vote) }
      : { partitionKey: pk, rowKey: CONFLICT_PREFIX + keyPart("member", change.conflict.member.id), ...encodeRecord("conflict declaration", `${caseId}/${change.conflict.member.id}`, change.conflict) };
    // One partition, one transaction: the ballot row, and a merge of the guard with If-Match *, which fails the whole
    // transaction (404) when the guard is gone: the ballot is frozen or closed.
    const actions = transactionOf((t) => {
      t.upsertEntity(row, "Replace");
      t.updateEntity({ partitionKey: pk, rowKey: GUARD_ROW, open: true }, "Merge", { etag: "*" });
    });
    try {
      await this.cases.transaction(actions, this.ctx("writeBallot", "ballot", caseId));
    } catch (error) {
      if (error instanceof NotFoundError) throw new ConcurrencyError("ballot", caseId);
      throw error;
    }
  }

  async freezeBallot(caseId: string): Promise<void> {
    await this.cases.delete(keyPart("case", caseId), GUARD_ROW, this.ctx("freezeBallot", "ballot", caseId));
  }

  async reopenBallot(caseId: string): Promise<void> {
    const pk = keyPart("case", caseId);
    const ctx = this.ctx("reopenBallot", "ballot", caseId);
    if (!(await this.cases.get(pk, CASE_ROW, ctx))) throw new NotFoundError("case", caseId);
    await this.cases.upsert({ partitionKey: pk, rowKey: GUARD_ROW, open: true }, ctx);
  }

  async delete(id: string): Promise<void> {
    const ctx = this.ctx("delete", "case", id);
    const pk = keyPart("case", id);
    const current = await this.cases.get(pk, CASE_ROW, ctx);
    for await (const row of this.cases.query(odata`PartitionKey eq ${pk}`, ctx, ["RowKey"])) {
      if (row.rowKey !== undefined && row.rowKey !== CASE_ROW) await this.cases.delete(pk, row.rowKey, ctx);
    }
    await this.cases.delete(pk, CASE_ROW, ctx);
    if (current) await removeStaleIndexRow(this.byStatus, decodeRecord<Case>(current).status, pk, ctx);
  }

  private async listRows(caseId: string, prefix: string, operation: string): Promise<StoredRow[]> {
    const filter = odata`PartitionKey eq ${keyPart("case", caseId)} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`;
    const rows: StoredRow[] = [];
    for await (const row of this.cases.query(filter, this.ctx(operation, "case", caseId))) rows.push(row);
    return rows;
  }
}
