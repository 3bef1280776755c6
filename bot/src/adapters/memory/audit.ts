// In-memory AuditStore: same ordering (newest first, by the table's inverted-tick row keys), limits and
// idempotent append as TableAuditStore (tests/contract).
import type { AuditEvent } from "../../../../core/src/domain";
import type { AuditStore } from "../../ports/stores";
import { assertLimit, auditRowKey, keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryAuditStore implements AuditStore {
  /** Keyed like the table's rows: `<inverted ticks>|<event id>`. */
  private readonly events = new MemoryRecords<AuditEvent>("audit event");

  async append(event: AuditEvent): Promise<void> {
    const key = auditRowKey(event);
    if (event.subjectId !== undefined) keyPart("subject", event.subjectId);
    keyPart("actor", event.actorId);
    // Appending the same event (same instant and id) twice is a retry, not a second event: the table
    // store converges the same way.
    if (!this.events.has(key)) this.events.create(key, event.id, event);
    return Promise.resolve();
  }

  async listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return Promise.resolve(take(this.events.list("", (e) => e.subjectId === subjectId), limit).map(stripEtag));
  }

  async listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return Promise.resolve(take(this.events.list("", (e) => e.actorId === actorId), limit).map(stripEtag));
  }
}

function take<T>(list: T[], limit: number | undefined): T[] {
  assertLimit(limit);
  return limit === undefined ? list : list.slice(0, limit);
}

function stripEtag(event: AuditEvent & { etag?: string }): AuditEvent {
  const { etag: _etag, ...rest } = event;
  return rest;
}
