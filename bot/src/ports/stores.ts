// Store ports: what the services need from storage. Two implementations pass one contract suite
// (tests/contract): Memory* for unit tests and Table* on Azure Table Storage (Azurite locally).
//
// Rules every implementation keeps:
// - `create` fails with AlreadyExistsError if the id is taken; it never overwrites.
// - `update` takes the record with the `etag` it was read with and fails with ConcurrencyError if the
//   stored record has changed since; it returns the record with its new etag. Nothing is lost.
// - Reads return copies: mutating a returned object never changes the store.
// - Unreachable storage surfaces as StoreUnavailableError; nothing is half-written.
import type {
  AuditEvent,
  Case,
  CaseStatus,
  ConflictDeclaration,
  Incident,
  IsoDate,
  RegisterEntry,
  Subject,
  Vote,
} from "../../../core/src/domain";

export type IdentifierKind = "email" | "phone" | "name";

export interface SubjectStore {
  get(id: string): Promise<Subject | undefined>;
  create(subject: Subject): Promise<Subject>;
  update(subject: Subject): Promise<Subject>;
  /** Ids of subjects with this identifier. `value` is already normalised (core/src/normalise.ts):
   * a normalised email, an E.164 phone, or one normalised name token. The caller re-checks the subject. */
  findIdsByIdentifier(kind: IdentifierKind, value: string): Promise<string[]>;
  /** Every subject, for building the lookup index. */
  list(): AsyncIterable<Subject>;
  /** Deletes the subject and its identifier index (retention purge, issue 7). A missing subject is not an error. */
  delete(id: string): Promise<void>;
}

export interface RegisterStore {
  get(id: string): Promise<RegisterEntry | undefined>;
  listBySubject(subjectId: string): Promise<RegisterEntry[]>;
  create(entry: RegisterEntry): Promise<RegisterEntry>;
  update(entry: RegisterEntry): Promise<RegisterEntry>;
  /** Entries whose status is not `removed`. */
  listCurrent(): AsyncIterable<RegisterEntry>;
  /** Current entries whose `nextReviewOn` is on or before the date. */
  listDueForReview(onOrBefore: IsoDate): Promise<RegisterEntry[]>;
  /** Subjects whose entries (or identifiers) changed after `cursor` (opaque; undefined = from now).
   * Lets every instance keep its lookup index fresh without a full reload. */
  changesSince(cursor: string | undefined): Promise<{ subjectIds: string[]; cursor: string }>;
  /** Record that a subject's listing changed (called by services after a subject or entry write). */
  markChanged(subjectId: string, at: string): Promise<void>;
  /** Deletes the entry and its index rows (retention purge, issue 7). A missing entry is not an error. */
  delete(id: string): Promise<void>;
}

export interface IncidentStore {
  get(id: string): Promise<Incident | undefined>;
  create(incident: Incident): Promise<Incident>;
  update(incident: Incident): Promise<Incident>;
  listBySubject(subjectId: string): Promise<Incident[]>;
  /** Deletes the incident and its index row (retention purge, issue 7). A missing incident is not an error. */
  delete(id: string): Promise<void>;
}

export interface CaseStore {
  get(id: string): Promise<Case | undefined>;
  create(c: Case): Promise<Case>;
  update(c: Case): Promise<Case>;
  listByStatus(status: CaseStatus): Promise<Case[]>;
  /** Record or change a member's vote. One vote per member per case: a repeat replaces, never adds.
   * Returns whether this call created the vote (false = it replaced or repeated one). */
  putVote(vote: Vote): Promise<{ created: boolean; vote: Vote }>;
  listVotes(caseId: string): Promise<Vote[]>;
  putConflict(conflict: ConflictDeclaration): Promise<ConflictDeclaration>;
  listConflicts(caseId: string): Promise<ConflictDeclaration[]>;
  /** The case with its whole ballot, read in one go (one partition): the votes, the conflict declarations, and
   * whether the ballot is open. A case created with status `voting` has an open ballot. Undefined if no such case. */
  getBallot(caseId: string): Promise<Ballot | undefined>;
  /** Writes a vote (one per member: it replaces theirs) or a conflict declaration, only while the ballot is open:
   * one transaction with the ballot's guard row (If-Match *), so members voting at once never hold each other up.
   * ConcurrencyError if the ballot is frozen or closed (re-read to see which). */
  writeBallot(caseId: string, change: BallotChange): Promise<void>;
  /** Stops all ballot writes (removes the guard). The chair's close freezes first, then reads the ballot: every
   * write either landed before the freeze (and is read) or fails after it, so no counted vote is ever missed.
   * Idempotent. */
  freezeBallot(caseId: string): Promise<void>;
  /** Opens the ballot again after a close that could not decide (quorum not met, a tie). Idempotent. */
  reopenBallot(caseId: string): Promise<void>;
  /** Deletes the case with its votes, conflict declarations and status index row (retention purge, issue 7).
   * A missing case is not an error. */
  delete(id: string): Promise<void>;
}

export type BallotChange = { at: string } & ({ vote: Vote; conflict?: undefined } | { conflict: ConflictDeclaration; vote?: undefined });

export interface Ballot {
  case: Case;
  votes: Vote[];
  conflicts: ConflictDeclaration[];
  /** Whether ballot writes are accepted (false while the chair is closing the vote, and once it is closed). */
  open: boolean;
}

export interface AuditStore {
  /** Append-only, hash-chained (docs/security.md "Audit chain"): the store sets `chainId`, `seq`, `prevHash`
   * and `hash`; whatever the caller put there is replaced. Appending the same event id again is a retry and
   * adds nothing. Safe when several instances append at once. */
  append(event: AuditEvent): Promise<void>;
  /** Newest first. */
  listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]>;
  /** Newest first. */
  listByActor(actorId: string, limit?: number): Promise<AuditEvent[]>;
  /** Reads every chain from its first event and every listing copy: whether the log is intact, and which
   * events are not. `repair` rewrites listing copies that are missing (a crash between the chain write and the
   * listing writes); it never changes the chain. */
  verify(options?: { repair?: boolean }): Promise<AuditVerification>;
}

export interface AuditChainProblem {
  /** altered: content differs from its hash · broken-link: prevHash does not match the event before ·
   * missing: seq gap · head-mismatch: events cut off the end · index-altered / index-missing / not-chained:
   * a listing copy differs from, is missing from, or is not in the chain. */
  kind: "altered" | "broken-link" | "missing" | "head-mismatch" | "index-altered" | "index-missing" | "not-chained";
  chainId?: string;
  seq?: number;
  eventId?: string;
  /** Plain words, naming the event by chain, seq and id only. */
  message: string;
}

export interface AuditVerification {
  intact: boolean;
  checkedAt: string;
  chains: { chainId: string; events: number; headSeq: number; headHash: string }[];
  /** Chained events read. */
  events: number;
  /** All problems found; `problems` lists the first hundred. */
  problemCount: number;
  problems: AuditChainProblem[];
  /** Listing copies rewritten from the chain (with `repair`). */
  repaired?: number;
}

/** Human references: `CAL-0042`, `INC-0042`, `CASE-0042`. Never reused, safe under concurrency. */
export interface ReferenceCounter {
  next(prefix: string): Promise<string>;
}

export interface Stores {
  subjects: SubjectStore;
  register: RegisterStore;
  incidents: IncidentStore;
  cases: CaseStore;
  audit: AuditStore;
  references: ReferenceCounter;
}
