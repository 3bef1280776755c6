// The register as the portal browses it: every subject with its entries (removed ones too) and the service areas
// of its incidents, held in memory so a search with filters answers without a table scan.
//
// Freshness: loaded on first use; before a search, the register's change feed is read (at most once a second)
// and each changed subject is re-read; the whole index is rebuilt every few minutes, which also picks up
// incidents reported by services that wrote no change-feed row. Writes made through the portal refresh their
// subject at once.
import type { Incident, RegisterEntry, Subject } from "../../../../core/src/domain";
import type { Stores } from "../../ports/stores";

export interface IndexedSubject {
  subject: Subject;
  /** Every entry, removed ones included. */
  entries: RegisterEntry[];
  incidentServiceAreas: string[];
  incidentCount: number;
  lastIncidentAt?: string;
}

export interface RegisterIndexDeps {
  stores: Pick<Stores, "subjects" | "register" | "incidents">;
  /** Monotonic milliseconds, for freshness only (not the domain clock, which tests freeze). */
  monotonicMs?: () => number;
  syncEveryMs?: number;
  reloadEveryMs?: number;
  /** Parallel reads while loading. */
  concurrency?: number;
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

export class RegisterIndex {
  private subjects = new Map<string, IndexedSubject>();
  private cursor: string | undefined;
  private loadedAt = -Infinity;
  private syncedAt = -Infinity;
  private loading: Promise<void> | undefined;
  private syncing: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: RegisterIndexDeps) {
    this.now = deps.monotonicMs ?? (() => performance.now());
  }

  /** Loads or catches up as needed, then returns every indexed subject. */
  async all(): Promise<IndexedSubject[]> {
    await this.ensureFresh();
    return [...this.subjects.values()];
  }

  async ensureFresh(): Promise<void> {
    const now = this.now();
    if (now - this.loadedAt > (this.deps.reloadEveryMs ?? 300_000)) {
      await this.reload();
      return;
    }
    // Default 0: every search first reads the change feed (one cheap query), so a report made a moment ago
    // through any service on any instance is already findable. A busy deployment may set a few hundred ms.
    if (now - this.syncedAt >= (this.deps.syncEveryMs ?? 0)) await this.sync();
  }

  /** Rebuilds the index from the store. Concurrent callers share one rebuild. */
  reload(): Promise<void> {
    this.loading ??= this.doReload().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async doReload(): Promise<void> {
    // Cursor first, so a change made during the scan is seen by the next sync.
    const { cursor } = await this.deps.stores.register.changesSince(undefined);
    const subjects: Subject[] = [];
    for await (const s of this.deps.stores.subjects.list()) subjects.push(s);
    const fresh = new Map<string, IndexedSubject>();
    await mapLimit(subjects, this.deps.concurrency ?? 8, async (subject) => {
      fresh.set(subject.id, await this.read(subject));
    });
    this.subjects = fresh;
    this.cursor = cursor;
    this.loadedAt = this.now();
    this.syncedAt = this.loadedAt;
  }

  private sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => { this.syncing = undefined; });
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    const { subjectIds, cursor } = await this.deps.stores.register.changesSince(this.cursor);
    for (const id of new Set(subjectIds)) await this.refresh(id);
    this.cursor = cursor;
    this.syncedAt = this.now();
  }

  /** Re-reads one subject (after a write on this instance). */
  async refresh(subjectId: string): Promise<void> {
    const subject = await this.deps.stores.subjects.get(subjectId);
    if (!subject) {
      this.subjects.delete(subjectId);
      return;
    }
    this.subjects.set(subjectId, await this.read(subject));
  }

  private async read(subject: Subject): Promise<IndexedSubject> {
    const [entries, incidents] = await Promise.all([
      this.deps.stores.register.listBySubject(subject.id),
      this.deps.stores.incidents.listBySubject(subject.id),
    ]);
    return { subject, entries, ...incidentFacts(incidents) };
  }
}

function incidentFacts(incidents: Incident[]): Pick<IndexedSubject, "incidentServiceAreas" | "incidentCount" | "lastIncidentAt"> {
  const areas = [...new Set(incidents.map((i) => i.serviceArea).filter((a) => a.trim().length > 0))].sort();
  const last = incidents.map((i) => i.occurredAt).sort().at(-1);
  return { incidentServiceAreas: areas, incidentCount: incidents.length, ...(last ? { lastIncidentAt: last } : {}) };
}
