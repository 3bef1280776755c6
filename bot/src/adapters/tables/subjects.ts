// Subjects on Azure Tables. One partition (`subjects`) holds each subject row and its identifier rows, so
// a subject and its index change together in one transaction (docs/storage.md "Subjects"):
//   s|<subjectId>                                the subject
//   k|<kind>|<HMAC of identifier>|<subjectId>    one per normalised email, phone and name token
// Identifiers are HMAC-SHA256'd with the deployment's key: keys appear in request URLs and storage logs,
// and a name or email address must never be in either.
// The subject row also remembers the identifier row keys it was written with (`indexKeys`), so an update
// deletes exactly the rows that exist, even after the normalising rules or the hash key have changed.
import { createHmac } from "node:crypto";
import { odata, type TableTransaction } from "@azure/data-tables";
import type { Subject } from "../../../../core/src/domain";
import { ConcurrencyError, NotFoundError } from "../../ports/errors";
import type { IdentifierKind, SubjectStore } from "../../ports/stores";
import { decodeRecord, encodeRecord, type EntityProps } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { MAX_TRANSACTION_ACTIONS, transactionOf, type StoredRow, type TableGateway } from "./gateway";
import { subjectIdentifiers } from "./identifiers";
import { keyPart, prefixEnd } from "./keys";

const PARTITION = "subjects";
const SUBJECT_PREFIX = "s|";
const IDENTIFIER_KINDS: readonly IdentifierKind[] = ["email", "phone", "name"];
/** Stored next to the subject's fields; never part of the Subject handed out. */
const INDEX_FIELD = "indexKeys";

export class TableSubjectStore implements SubjectStore {
  constructor(private readonly table: TableGateway, private readonly identifierHashKey: Buffer) {}

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `subjects.${operation}`, entity: "subject", id };
  }

  private subjectRowKey(id: string): string {
    return SUBJECT_PREFIX + keyPart("subject", id);
  }

  /** `k|email|<base64url HMAC>|`: the HMAC covers the kind too, so equal values of different kinds differ. */
  private identifierPrefix(kind: IdentifierKind, value: string): string {
    const mac = createHmac("sha256", this.identifierHashKey).update(`${kind}\u0000${value}`).digest("base64url");
    return `k|${kind}|${mac}|`;
  }

  /** The identifier row keys a subject should have now. */
  private indexKeysOf(subject: Subject): string[] {
    const id = keyPart("subject", subject.id);
    return subjectIdentifiers(subject).map((i) => this.identifierPrefix(i.kind, i.value) + id);
  }

  private subjectEntity(subject: Subject, indexKeys: string[]): { partitionKey: string; rowKey: string } & EntityProps {
    const { etag: _etag, ...fields } = subject;
    const props = encodeRecord("subject", subject.id, { ...fields, [INDEX_FIELD]: indexKeys });
    return { partitionKey: PARTITION, rowKey: this.subjectRowKey(subject.id), ...props };
  }

  private decode(row: StoredRow): { subject: Subject; indexKeys: string[] | undefined } {
    const { [INDEX_FIELD]: indexKeys, ...subject } = decodeRecord<Subject & { [INDEX_FIELD]?: string[] }>(row);
    return { subject: { ...subject, etag: row.etag }, indexKeys };
  }

  async get(id: string): Promise<Subject | undefined> {
    const row = await this.table.get(PARTITION, this.subjectRowKey(id), this.ctx("get", id));
    return row ? this.decode(row).subject : undefined;
  }

  async create(subject: Subject): Promise<Subject> {
    const ctx = this.ctx("create", subject.id);
    const indexKeys = this.indexKeysOf(subject);
    const entity = this.subjectEntity(subject, indexKeys);
    const etag = await this.write(subject.id, (t) => t.createEntity(entity), [], indexKeys, ctx);
    return this.decode({ ...entity, etag: etag ?? (await this.readEtag(subject.id, ctx)) }).subject;
  }

  async update(subject: Subject): Promise<Subject> {
    const ctx = this.ctx("update", subject.id);
    const expected = requireEtag("subject", subject.id, subject.etag);
    const indexKeys = this.indexKeysOf(subject);
    const entity = this.subjectEntity(subject, indexKeys);
    const current = await this.table.get(PARTITION, this.subjectRowKey(subject.id), ctx);
    if (!current) throw new NotFoundError("subject", subject.id);
    if (current.etag !== expected) throw new ConcurrencyError("subject", subject.id);
    const stored = this.decode(current);
    const before = stored.indexKeys ?? this.indexKeysOf(stored.subject);
    const etag = await this.write(subject.id, (t) => t.updateEntity(entity, "Replace", { etag: expected }), before, indexKeys, ctx);
    return this.decode({ ...entity, etag: etag ?? (await this.readEtag(subject.id, ctx)) }).subject;
  }

  async findIdsByIdentifier(kind: IdentifierKind, value: string): Promise<string[]> {
    if (!IDENTIFIER_KINDS.includes(kind)) throw new TypeError(`Unknown identifier kind "${String(kind)}"; use email, phone or name.`);
    if (typeof value !== "string" || value.length === 0) return [];
    const prefix = this.identifierPrefix(kind, value);
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`;
    const ids: string[] = [];
    for await (const row of this.table.query(filter, this.ctx("findIdsByIdentifier", kind), ["subjectId"])) {
      if (typeof row.subjectId === "string") ids.push(row.subjectId);
    }
    return ids;
  }

  async *list(): AsyncIterable<Subject> {
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${SUBJECT_PREFIX} and RowKey lt ${prefixEnd(SUBJECT_PREFIX)}`;
    for await (const row of this.table.query(filter, this.ctx("list", "*"))) yield this.decode(row).subject;
  }

  /** Deletes the subject and its identifier rows: one transaction when they fit, else identifier rows first (a
   * leftover identifier row points at a missing subject, which callers re-check) and the subject row last. */
  async delete(id: string): Promise<void> {
    const ctx = this.ctx("delete", id);
    const current = await this.table.get(PARTITION, this.subjectRowKey(id), ctx);
    if (!current) return;
    const { subject, indexKeys } = this.decode(current);
    const rows = indexKeys ?? this.indexKeysOf(subject);
    if (rows.length + 1 <= MAX_TRANSACTION_ACTIONS) {
      await this.table.transaction(transactionOf((t) => {
        t.deleteEntity(PARTITION, this.subjectRowKey(id));
        for (const rowKey of rows) t.deleteEntity(PARTITION, rowKey);
      }), ctx);
      return;
    }
    for (const rowKey of rows) await this.table.delete(PARTITION, rowKey, ctx);
    await this.table.delete(PARTITION, this.subjectRowKey(id), ctx);
  }

  /** Rewrites the identifier rows of every subject whose rows are not what the current normalising rules
   * and hash key give (after rotating the hash key, or a change in core/src/normalise.ts). Safe while the
   * service runs: a subject changed meanwhile already has fresh rows and is skipped. Returns how many
   * subjects it re-indexed. */
  async reindex(): Promise<number> {
    let changed = 0;
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${SUBJECT_PREFIX} and RowKey lt ${prefixEnd(SUBJECT_PREFIX)}`;
    for await (const row of this.table.query(filter, this.ctx("reindex", "*"))) {
      const { subject, indexKeys: stored } = this.decode(row);
      const wanted = this.indexKeysOf(subject);
      const before = stored ?? [];
      if (before.length === wanted.length && before.every((k) => wanted.includes(k))) continue;
      const entity = this.subjectEntity(subject, wanted);
      try {
        await this.write(subject.id, (t) => t.updateEntity(entity, "Replace", { etag: row.etag }), before, wanted, this.ctx("reindex", subject.id));
        changed += 1;
      } catch (err) {
        // Updated by someone else since we read it: their write indexed it with the current rules.
        if (!(err instanceof ConcurrencyError)) throw err;
      }
    }
    return changed;
  }

  /** Writes the subject row (`subjectAction`: create, or replace guarded by its etag) and moves its
   * identifier rows from `before` to `after`. Returns the subject row's new etag when the service says it.
   *
   * Normally one transaction, all or nothing: the subject action is first, so if another writer got there
   * the whole change is refused (412 → ConcurrencyError) and the index is untouched. Past 100 actions
   * (hundreds of identifiers changing at once) it runs in converging steps instead: new identifier rows
   * first (idempotent), then the subject with as many deletions as fit, then the rest of the deletions.
   * Until the last step a lookup may return a stale id, which callers re-check
   * (SubjectStore.findIdsByIdentifier); a retry of the whole update finishes the job. */
  private async write(
    subjectId: string,
    subjectAction: (t: TableTransaction) => void,
    before: string[],
    after: string[],
    ctx: StoreErrorContext,
  ): Promise<string | undefined> {
    const beforeSet = new Set(before);
    const afterSet = new Set(after);
    const added = after.filter((k) => !beforeSet.has(k)).map((rowKey) => ({ partitionKey: PARTITION, rowKey, subjectId }));
    const removed = before.filter((k) => !afterSet.has(k));

    if (1 + added.length + removed.length <= MAX_TRANSACTION_ACTIONS) {
      const [etag] = await this.table.transaction(transactionOf((t) => {
        subjectAction(t);
        for (const row of added) t.upsertEntity(row, "Replace");
        for (const rowKey of removed) t.deleteEntity(PARTITION, rowKey);
      }), ctx);
      return etag;
    }
    await this.table.upsertAll(added, ctx);
    const first = removed.slice(0, MAX_TRANSACTION_ACTIONS - 1);
    const [etag] = await this.table.transaction(transactionOf((t) => {
      subjectAction(t);
      for (const rowKey of first) t.deleteEntity(PARTITION, rowKey);
    }), ctx);
    // One by one: a row already gone is fine here, where in a transaction it would fail the batch.
    for (const rowKey of removed.slice(first.length)) await this.table.delete(PARTITION, rowKey, ctx);
    return etag;
  }

  /** Fallback if a transaction response carried no etag: read it. */
  private async readEtag(id: string, ctx: StoreErrorContext): Promise<string> {
    const row = await this.table.get(PARTITION, this.subjectRowKey(id), ctx);
    if (!row) throw new NotFoundError("subject", id);
    return row.etag;
  }
}
