// In-memory SubjectStore: same keys, limits, copies and errors as TableSubjectStore (tests/contract).
import type { Subject } from "../../../../core/src/domain";
import type { IdentifierKind, SubjectStore } from "../../ports/stores";
import { encodeRecord } from "../tables/codec";
import { identifierKey, subjectIdentifiers, type SubjectIdentifier } from "../tables/identifiers";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemorySubjectStore implements SubjectStore {
  private readonly records = new MemoryRecords<Subject>("subject");
  /** identifier key (`email:…`) → subject ids; kept in step with every write, like the table's index rows. */
  private readonly index = new Map<string, Set<string>>();

  async get(id: string): Promise<Subject | undefined> {
    return Promise.resolve(this.records.read(keyPart("subject", id)));
  }

  async create(subject: Subject): Promise<Subject> {
    const identifiers = subjectIdentifiers(subject);
    checkSizeWithIndex(subject, identifiers);
    const created = this.records.create(keyPart("subject", subject.id), subject.id, subject);
    for (const i of identifiers) this.addToIndex(identifierKey(i), subject.id);
    return Promise.resolve(created);
  }

  async update(subject: Subject): Promise<Subject> {
    const key = keyPart("subject", subject.id);
    const identifiers = subjectIdentifiers(subject);
    checkSizeWithIndex(subject, identifiers);
    const before = this.records.read(key);
    const updated = this.records.replace(key, subject.id, subject, subject.etag);
    if (before) {
      for (const i of subjectIdentifiers(before)) this.index.get(identifierKey(i))?.delete(subject.id);
    }
    for (const i of identifiers) this.addToIndex(identifierKey(i), subject.id);
    return Promise.resolve(updated);
  }

  async findIdsByIdentifier(kind: IdentifierKind, value: string): Promise<string[]> {
    if (!["email", "phone", "name"].includes(kind)) throw new TypeError(`Unknown identifier kind "${String(kind)}"; use email, phone or name.`);
    const ids = [...(this.index.get(identifierKey({ kind, value })) ?? [])];
    return Promise.resolve(ids.sort(byKey));
  }

  async *list(): AsyncIterable<Subject> {
    for (const subject of this.records.list()) {
      await Promise.resolve();
      yield subject;
    }
  }

  async delete(id: string): Promise<void> {
    const key = keyPart("subject", id);
    const before = this.records.read(key);
    if (before) for (const i of subjectIdentifiers(before)) this.index.get(identifierKey(i))?.delete(id);
    this.records.delete(key);
    return Promise.resolve();
  }

  private addToIndex(key: string, id: string): void {
    const ids = this.index.get(key) ?? new Set<string>();
    ids.add(id);
    this.index.set(key, ids);
  }
}

/** Ids in the order the table's row keys put them. */
export function byKey(a: string, b: string): number {
  const ka = keyPart("id", a);
  const kb = keyPart("id", b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The table row also carries the subject's identifier row keys (TableSubjectStore `indexKeys`); count
 * them the same way here so a subject near the 1 MiB limit fails in both stores alike. */
function checkSizeWithIndex(subject: Subject, identifiers: SubjectIdentifier[]): void {
  const id = keyPart("subject", subject.id);
  const indexKeys = identifiers.map((i) => `k|${i.kind}|${"x".repeat(43)}|${id}`);
  const { etag: _etag, ...fields } = subject;
  encodeRecord("subject", subject.id, { ...fields, indexKeys });
}
