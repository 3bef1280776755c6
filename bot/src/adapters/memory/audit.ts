// In-memory AuditStore: same ordering (newest first, by the table's inverted-tick row keys), limits and
// idempotent append as TableAuditStore (tests/contract).
import type { AuditEvent } from "../../../../core/src/domain";
import type { AuditStore } from "../../ports/stores";
import { invertedTicks, keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryAuditStore implements AuditStore {
  /** Keyed like the table's rows: `<inverted ticks>|<event id>`. */
  private readonly events = new MemoryRecords<AuditEvent>("audit event");
  private readonly ids = new Set<string>();

  async append(event: AuditEvent): Promise<void> {
    const key = auditRowKey(event);
    if (event.subjectId !== undefined) keyPart("subject", event.subjectId);
    keyPart("actor", event.actorId);
    // Appending the same event twice is a retry, not a second event (the table store converges the same way).
    if (this.ids.has(event.id)) return Promise.resolve();
    this.events.create(key, event.id, event);
    this.ids.add(event.id);
    return Promise.resolve();
  }

  async listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return Promise.resolve(take(this.events.list("", (e) => e.subjectId === subjectId), limit).map(stripEtag));
  }

  async listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return Promise.resolve(take(this.events.list("", (e) => e.actorId === actorId), limit).map(stripEtag));
  }
}

export function auditRowKey(event: AuditEvent): string {
  return `${invertedTicks("audit event", event.id, event.at)}|${keyPart("audit event", event.id)}`;
}

export function assertLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new TypeError(`An audit listing limit must be a positive whole number, got ${String(limit)}.`);
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
