// Cases, votes and conflict declarations on Azure Tables (docs/storage.md "Cases"):
//   <prefix>Cases          PartitionKey = caseId: RowKey "case" (the case), "v|<voterId>" (one vote per
//                          member: a repeat replaces), "c|<memberId>" (one declaration per member)
//   <prefix>CasesByStatus  PartitionKey = status, RowKey = caseId   (listByStatus)
// The status index is kept like the incidents' subject index: new row before the write, old row after,
// readers check the case's status (convergent, see incidents.ts).
import { odata } from "@azure/data-tables";
import type { Case, CaseStatus, ConflictDeclaration, Vote } from "../../../../core/src/domain";
import { AlreadyExistsError, ConcurrencyError, NotFoundError } from "../../ports/errors";
import type { BallotChange, CaseStore } from "../../ports/stores";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { transactionOf, type StoredRow, type TableGateway } from "./gateway";
import { readMany, removeStaleIndexRow } from "./incidents";
import { keyPart, prefixEnd } from "./keys";

const CASE_ROW = "case";
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
    const etag = await this.cases.create({ partitionKey: pk, rowKey: CASE_ROW, ...props }, ctx);
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

  async writeBallot(caseId: string, caseEtag: string, change: BallotChange): Promise<{ caseEtag: string }> {
    const pk = keyPart("case", caseId);
    const ballotCaseId = change.vote ? change.vote.caseId : change.conflict.caseId;
    if (ballotCaseId !== caseId) throw new TypeError(`A ballot write for case ${caseId} carries case ${ballotCaseId}.`);
    const row = change.vote
      ? { partitionKey: pk, rowKey: VOTE_PREFIX + keyPart("voter", change.vote.voter.id), ...encodeRecord("vote", `${caseId}/${change.vote.voter.id}`, change.vote) }
      : { partitionKey: pk, rowKey: CONFLICT_PREFIX + keyPart("member", change.conflict.member.id), ...encodeRecord("conflict declaration", `${caseId}/${change.conflict.member.id}`, change.conflict) };
    // One partition, one transaction: the ballot row and an If-Match merge of the case row. A stale etag fails
    // the whole batch (412 → ConcurrencyError), so no vote is ever counted by a close that did not see it.
    const actions = transactionOf((t) => {
      t.upsertEntity(row, "Replace");
      t.updateEntity({ partitionKey: pk, rowKey: CASE_ROW, ballotChangedAt: change.at }, "Merge", { etag: caseEtag });
    });
    const etags = await this.cases.transaction(actions, this.ctx("writeBallot", "case", caseId));
    const etag = etags[1];
    if (!etag) throw new Error(`The store did not return the case's new etag for cases.writeBallot; read the case ${caseId} again.`);
    return { caseEtag: etag };
  }

  /** Ballot rows first, then the case, then its status index row: a purge cut short leaves at most an index row
   * pointing at nothing, which readers drop, and running it again finishes the job. */
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
