// The audit trail on Azure Tables (docs/storage.md "Audit"). Append-only; each event is written once per
// way it is read, newest first by an inverted-tick row key:
//   PartitionKey "s|<subjectId>", RowKey "<inverted ms>|<eventId>"   (listBySubject)
//   PartitionKey "a|<actorId>",   RowKey "<inverted ms>|<eventId>"   (listByActor)
// The two rows are in different partitions; appending again after a failure converges (a row that is
// already there is the same event: 409 counts as done).
import { odata } from "@azure/data-tables";
import type { AuditEvent } from "../../../../core/src/domain";
import { AlreadyExistsError } from "../../ports/errors";
import type { AuditStore } from "../../ports/stores";
import { decodeRecord, encodeRecord } from "./codec";
import type { StoreErrorContext } from "./errors";
import type { TableGateway } from "./gateway";
import { assertLimit, auditRowKey, keyPart } from "./keys";

export class TableAuditStore implements AuditStore {
  constructor(private readonly table: TableGateway) {}

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `audit.${operation}`, entity: "audit event", id };
  }

  async append(event: AuditEvent): Promise<void> {
    const ctx = this.ctx("append", event.id);
    const rowKey = auditRowKey(event);
    const props = encodeRecord("audit event", event.id, event);
    const partitions = [`a|${keyPart("actor", event.actorId)}`];
    if (event.subjectId !== undefined) partitions.push(`s|${keyPart("subject", event.subjectId)}`);
    await Promise.all(partitions.map(async (partitionKey) => {
      try {
        await this.table.create({ partitionKey, rowKey, ...props }, ctx);
      } catch (err) {
        // Already there: an earlier attempt at this same append got this far.
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }));
  }

  listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(`s|${keyPart("subject", subjectId)}`, limit, this.ctx("listBySubject", subjectId));
  }

  listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return this.list(`a|${keyPart("actor", actorId)}`, limit, this.ctx("listByActor", actorId));
  }

  private async list(partitionKey: string, limit: number | undefined, ctx: StoreErrorContext): Promise<AuditEvent[]> {
    assertLimit(limit);
    const rows = await this.table.first(odata`PartitionKey eq ${partitionKey}`, limit, ctx);
    return rows.map((row) => decodeRecord<AuditEvent>(row));
  }
}
