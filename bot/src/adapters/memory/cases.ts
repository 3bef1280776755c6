// In-memory CaseStore: same keys, limits, copies and errors as TableCaseStore (tests/contract).
import type { Case, CaseStatus, ConflictDeclaration, Vote } from "../../../../core/src/domain";
import { ConcurrencyError, NotFoundError } from "../../ports/errors";
import type { Ballot, BallotChange, CaseStore } from "../../ports/stores";
import { encodeRecord } from "../tables/codec";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryCaseStore implements CaseStore {
  private readonly cases = new MemoryRecords<Case>("case");
  /** Keyed `<caseId>|<voterId>`: one vote per member per case. */
  private readonly votes = new MemoryRecords<Vote>("vote");
  private readonly conflicts = new MemoryRecords<ConflictDeclaration>("conflict declaration");
  /** Cases whose ballot is open, like the table's "ballot" guard rows. */
  private readonly open = new Set<string>();

  async get(id: string): Promise<Case | undefined> {
    return Promise.resolve(this.cases.read(keyPart("case", id)));
  }

  async create(c: Case): Promise<Case> {
    keyPart("subject", c.subjectId);
    const key = keyPart("case", c.id);
    const created = this.cases.create(key, c.id, c);
    if (c.status === "voting") this.open.add(key);
    return Promise.resolve(created);
  }

  async update(c: Case): Promise<Case> {
    keyPart("subject", c.subjectId);
    return Promise.resolve(this.cases.replace(keyPart("case", c.id), c.id, c, c.etag));
  }

  async listByStatus(status: CaseStatus): Promise<Case[]> {
    return Promise.resolve(this.cases.list("", (c) => c.status === status));
  }

  async putVote(vote: Vote): Promise<{ created: boolean; vote: Vote }> {
    const key = `${keyPart("case", vote.caseId)}|${keyPart("voter", vote.voter.id)}`;
    const { created, record } = this.votes.upsert(key, `${vote.caseId}/${vote.voter.id}`, vote);
    return Promise.resolve({ created, vote: record });
  }

  async listVotes(caseId: string): Promise<Vote[]> {
    return Promise.resolve(this.votes.list(`${keyPart("case", caseId)}|`));
  }

  async putConflict(conflict: ConflictDeclaration): Promise<ConflictDeclaration> {
    const key = `${keyPart("case", conflict.caseId)}|${keyPart("member", conflict.member.id)}`;
    const { record } = this.conflicts.upsert(key, `${conflict.caseId}/${conflict.member.id}`, conflict);
    return Promise.resolve(withoutEtag(record));
  }

  async listConflicts(caseId: string): Promise<ConflictDeclaration[]> {
    return Promise.resolve(this.conflicts.list(`${keyPart("case", caseId)}|`).map(withoutEtag));
  }

  async getBallot(caseId: string): Promise<Ballot | undefined> {
    const key = keyPart("case", caseId);
    const c = this.cases.read(key);
    if (!c) return Promise.resolve(undefined);
    return Promise.resolve({ case: c, votes: this.votes.list(`${key}|`), conflicts: this.conflicts.list(`${key}|`).map(withoutEtag), open: this.open.has(key) });
  }

  async writeBallot(caseId: string, change: BallotChange): Promise<void> {
    const key = keyPart("case", caseId);
    const ballotCaseId = change.vote ? change.vote.caseId : change.conflict.caseId;
    if (ballotCaseId !== caseId) throw new TypeError(`A ballot write for case ${caseId} carries case ${ballotCaseId}.`);
    // Everything that can fail is checked before anything is written (one transaction, like the table's).
    if (change.vote) encodeRecord("vote", `${caseId}/${change.vote.voter.id}`, change.vote);
    else encodeRecord("conflict declaration", `${caseId}/${change.conflict.member.id}`, change.conflict);
    if (!this.open.has(key)) throw new ConcurrencyError("ballot", caseId);
    if (change.vote) this.votes.upsert(`${key}|${keyPart("voter", change.vote.voter.id)}`, `${caseId}/${change.vote.voter.id}`, change.vote);
    else this.conflicts.upsert(`${key}|${keyPart("member", change.conflict.member.id)}`, `${caseId}/${change.conflict.member.id}`, change.conflict);
    return Promise.resolve();
  }

  async freezeBallot(caseId: string): Promise<void> {
    this.open.delete(keyPart("case", caseId));
    return Promise.resolve();
  }

  async reopenBallot(caseId: string): Promise<void> {
    const key = keyPart("case", caseId);
    if (!this.cases.has(key)) throw new NotFoundError("case", caseId);
    this.open.add(key);
    return Promise.resolve();
  }

  async delete(id: string): Promise<void> {
    const key = keyPart("case", id);
    for (const v of this.votes.list(`${key}|`)) this.votes.delete(`${key}|${keyPart("voter", v.voter.id)}`);
    for (const c of this.conflicts.list(`${key}|`)) this.conflicts.delete(`${key}|${keyPart("member", c.member.id)}`);
    this.open.delete(key);
    this.cases.delete(key);
    return Promise.resolve();
  }
}

/** A conflict declaration has no etag: the member's latest declaration (and the chair's ruling) replaces it. */
export function withoutEtag(record: ConflictDeclaration & { etag?: string }): ConflictDeclaration {
  const { etag: _etag, ...rest } = record;
  return rest;
}
