// Subjects on Azure Tables. One partition (`subjects`) holds each subject row and its identifier rows, so
// a subject and its index change together in one transaction (docs/storage.md "Subjects"):
//   s|<subjectId>                         the subject
//   k|<kind>|<hmac of identifier>|<subjectId>   one per normalised email, phone and name token
// Identifiers are HMAC-SHA256'd with the deployment's key: keys appear in request URLs and storage logs,
// and a name or email address must never be in either.
import { createHmac } from "node:crypto";
import { odata } from "@azure/data-tables";
import type { Subject } from "../../../../core/src/domain";
import { ConcurrencyError, NotFoundError } from "../../ports/errors";
import type { IdentifierKind, SubjectStore } from "../../ports/stores";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { MAX_TRANSACTION_ACTIONS, transactionOf, type TableGateway } from "./gateway";
import { subjectIdentifiers, type SubjectIdentifier } from "./identifiers";
import { keyPart, prefixEnd } from "./keys";

const PARTITION = "subjects";
const SUBJECT_PREFIX = "s|";
const IDENTIFIER_KINDS: readonly IdentifierKind[] = ["email", "phone", "name"];

export class TableSubjectStore implements SubjectStore {
  constructor(private readonly table: TableGateway, private readonly identifierHashKey: Buffer) {}

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `subjects.${operation}`, entity: "subject", id };
  }

  private subjectRowKey(id: string): string {
    return SUBJECT_PREFIX + keyPart("subject", id);
  }

  /** `k|email|<base64url HMAC>|` — the HMAC covers the kind too, so equal values of different kinds differ. */
  private identifierPrefix(kind: IdentifierKind, value: string): string {
    const mac = createHmac("sha256", this.identifierHashKey).update(`${kind}\u0000${value}`).digest("base64url");
    return `k|${kind}|${mac}|`;
  }

  private identifierRowKey(i: SubjectIdentifier, subjectId: string): string {
    return this.identifierPrefix(i.kind, i.value) + keyPart("subject", subjectId);
  }

  async get(id: string): Promise<Subject | undefined> {
    const row = await this.table.get(PARTITION, this.subjectRowKey(id), this.ctx("get", id));
    return row ? { ...decodeRecord<Subject>(row), etag: row.etag } : undefined;
  }

  async create(subject: Subject): Promise<Subject> {
    const ctx = this.ctx("create", subject.id);
    const identifiers = subjectIdentifiers(subject);
    const props = encodeRecord("subject", subject.id, subject);
    const subjectRow = { partitionKey: PARTITION, rowKey: this.subjectRowKey(subject.id), ...props };
    const indexRows = identifiers.map((i) => ({ partitionKey: PARTITION, rowKey: this.identifierRowKey(i, subject.id), subjectId: subject.id }));
    let etag: string | undefined;
    if (1 + indexRows.length <= MAX_TRANSACTION_ACTIONS) {
      [etag] = await this.table.transaction(transactionOf((t) => {
        t.createEntity(subjectRow);
        for (const row of indexRows) t.upsertEntity(row, "Replace");
      }), ctx);
    } else {
      // Too many identifiers for one transaction: index rows first (idempotent upserts), then the subject.
      // A failure in between leaves index rows that point at a missing subject; callers re-check
      // (SubjectStore.findIdsByIdentifier), and a retry converges.
      await this.upsertInChunks(indexRows, ctx);
      etag = await this.table.create(subjectRow, ctx);
    }
    return { ...decodeRecord<Subject>(props), etag: etag ?? (await this.readEtag(subject.id, ctx)) };
  }

  async update(subject: Subject): Promise<Subject> {
    const ctx = this.ctx("update", subject.id);
    const expected = requireEtag("subject", subject.id, subject.etag);
    const identifiers = subjectIdentifiers(subject);
    const props = encodeRecord("subject", subject.id, subject);
    const current = await this.table.get(PARTITION, this.subjectRowKey(subject.id), ctx);
    if (!current) throw new NotFoundError("subject", subject.id);
    if (current.etag !== expected) throw new ConcurrencyError("subject", subject.id);

    const before = new Set(subjectIdentifiers(decodeRecord<Subject>(current)).map((i) => this.identifierRowKey(i, subject.id)));
    const after = new Set(identifiers.map((i) => this.identifierRowKey(i, subject.id)));
    const added = [...after].filter((k) => !before.has(k)).map((rowKey) => ({ partitionKey: PARTITION, rowKey, subjectId: subject.id }));
    const removed = [...before].filter((k) => !after.has(k));
    const subjectRow = { partitionKey: PARTITION, rowKey: this.subjectRowKey(subject.id), ...props };

    let etag: string | undefined;
    if (1 + added.length + removed.length <= MAX_TRANSACTION_ACTIONS) {
      // The etag-guarded replace comes first: if another writer got there, the whole change is refused
      // (412 → ConcurrencyError) and the index is untouched.
      [etag] = await this.table.transaction(transactionOf((t) => {
        t.updateEntity(subjectRow, "Replace", { etag: expected });
        for (const row of added) t.upsertEntity(row, "Replace");
        for (const rowKey of removed) t.deleteEntity(PARTITION, rowKey);
      }), ctx);
    } else {
      // Rare (a wholesale change of hundreds of identifiers): new index rows, then the guarded replace with
      // as many removals as fit, then the remaining removals. Each step converges when retried; until the
      // last one finishes a lookup may find a stale id, which callers re-check.
      await this.upsertInChunks(added, ctx);
      const first = removed.slice(0, MAX_TRANSACTION_ACTIONS - 1);
      [etag] = await this.table.transaction(transactionOf((t) => {
        t.updateEntity(subjectRow, "Replace", { etag: expected });
        for (const rowKey of first) t.deleteEntity(PARTITION, rowKey);
      }), ctx);
      for (const rowKey of removed.slice(first.length)) await this.table.delete(PARTITION, rowKey, ctx);
    }
    return { ...decodeRecord<Subject>(props), etag: etag ?? (await this.readEtag(subject.id, ctx)) };
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
    for await (const row of this.table.query(filter, this.ctx("list", "*"))) {
      yield { ...decodeRecord<Subject>(row), etag: row.etag };
    }
  }

  private async upsertInChunks(rows: { partitionKey: string; rowKey: string; subjectId: string }[], ctx: StoreErrorContext): Promise<void> {
    for (let i = 0; i < rows.length; i += MAX_TRANSACTION_ACTIONS) {
      const chunk = rows.slice(i, i + MAX_TRANSACTION_ACTIONS);
      await this.table.transaction(transactionOf((t) => { for (const row of chunk) t.upsertEntity(row, "Replace"); }), ctx);
    }
  }

  /** Fallback if a transaction response carried no etag: read it. */
  private async readEtag(id: string, ctx: StoreErrorContext): Promise<string> {
    const row = await this.table.get(PARTITION, this.subjectRowKey(id), ctx);
    if (!row) throw new NotFoundError("subject", id);
    return row.etag;
  }
}
