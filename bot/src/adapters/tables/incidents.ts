// Incidents on Azure Tables (docs/storage.md "Incidents"):
//   <prefix>Incidents           PartitionKey = incidentId, RowKey = "incident"   (get by id)
//   <prefix>IncidentsBySubject  PartitionKey = subjectId,  RowKey = incidentId   (listBySubject)
// Two partitions cannot share a transaction, so writes are ordered to converge instead: the index row is
// written before the incident and an old one removed only after; readers check each incident's subjectId,
// so a leftover index row (a crash between steps) is ignored, and a retry finishes the job.
import { odata } from "@azure/data-tables";
import type { Incident } from "../../../../core/src/domain";
import { ConcurrencyError, NotFoundError } from "../../ports/errors";
import type { IncidentStore } from "../../ports/stores";
import { decodeRecord, encodeRecord } from "./codec";
import { isUnavailable, requireEtag, type StoreErrorContext } from "./errors";
import type { TableGateway } from "./gateway";
import { keyPart } from "./keys";

const ROW = "incident";
const READ_CONCURRENCY = 16;

export class TableIncidentStore implements IncidentStore {
  constructor(private readonly incidents: TableGateway, private readonly bySubject: TableGateway) {}

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `incidents.${operation}`, entity: "incident", id };
  }

  async get(id: string): Promise<Incident | undefined> {
    const row = await this.incidents.get(keyPart("incident", id), ROW, this.ctx("get", id));
    return row ? { ...decodeRecord<Incident>(row), etag: row.etag } : undefined;
  }

  async create(incident: Incident): Promise<Incident> {
    const ctx = this.ctx("create", incident.id);
    const props = encodeRecord("incident", incident.id, incident);
    const pk = keyPart("incident", incident.id);
    await this.bySubject.upsert({ partitionKey: keyPart("subject", incident.subjectId), rowKey: pk, incidentId: incident.id }, ctx);
    const etag = await this.incidents.create({ partitionKey: pk, rowKey: ROW, ...props }, ctx);
    return { ...decodeRecord<Incident>(props), etag };
  }

  async update(incident: Incident): Promise<Incident> {
    const ctx = this.ctx("update", incident.id);
    const expected = requireEtag("incident", incident.id, incident.etag);
    const props = encodeRecord("incident", incident.id, incident);
    const pk = keyPart("incident", incident.id);
    const current = await this.incidents.get(pk, ROW, ctx);
    if (!current) throw new NotFoundError("incident", incident.id);
    if (current.etag !== expected) throw new ConcurrencyError("incident", incident.id);
    const previousSubject = decodeRecord<Incident>(current).subjectId;
    const subjectKey = keyPart("subject", incident.subjectId);
    if (previousSubject !== incident.subjectId) {
      await this.bySubject.upsert({ partitionKey: subjectKey, rowKey: pk, incidentId: incident.id }, ctx);
    }
    const etag = await this.incidents.replace({ partitionKey: pk, rowKey: ROW, ...props }, expected, ctx);
    if (previousSubject !== incident.subjectId) {
      await removeStaleIndexRow(this.bySubject, keyPart("subject", previousSubject), pk, ctx);
    }
    return { ...decodeRecord<Incident>(props), etag };
  }

  async listBySubject(subjectId: string): Promise<Incident[]> {
    const ctx = this.ctx("listBySubject", subjectId);
    const filter = odata`PartitionKey eq ${keyPart("subject", subjectId)}`;
    const ids: string[] = [];
    for await (const row of this.bySubject.query(filter, ctx, ["incidentId"])) {
      if (typeof row.incidentId === "string") ids.push(row.incidentId);
    }
    const found = await readMany(ids, (id) => this.get(id));
    return found.filter((i) => i.subjectId === subjectId);
  }

  /** The incident first, then its index row: a leftover index row is ignored by readers (they check the record). */
  async delete(id: string): Promise<void> {
    const ctx = this.ctx("delete", id);
    const pk = keyPart("incident", id);
    const current = await this.incidents.get(pk, ROW, ctx);
    await this.incidents.delete(pk, ROW, ctx);
    if (current) await removeStaleIndexRow(this.bySubject, keyPart("subject", decodeRecord<Incident>(current).subjectId), pk, ctx);
  }
}

/** Point reads for ids from an index, a few at a time, in index order; ids whose record is gone are dropped. */
export async function readMany<T>(ids: string[], read: (id: string) => Promise<T | undefined>): Promise<T[]> {
  const out: (T | undefined)[] = [];
  for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
    out.push(...(await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map(read))));
  }
  return out.filter((x): x is T => x !== undefined);
}

/** The last step of a convergent write: the record is already saved, so failing the call now would make
 * the caller retry a write that succeeded. If the store is unreachable the stale row stays; readers check
 * the record and ignore it. Any other failure is a surprise and is rethrown. */
export async function removeStaleIndexRow(table: TableGateway, partitionKey: string, rowKey: string, ctx: StoreErrorContext): Promise<void> {
  try {
    await table.delete(partitionKey, rowKey, ctx);
  } catch (err) {
    if (!isUnavailable((err as { cause?: unknown }).cause ?? err)) throw err;
  }
}
