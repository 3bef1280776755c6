// The audit spool (docs/security.md "Audit spool"): a write-ahead log on this instance's disk in front of the
// audit store, so a request that must be audited (a sender check that finds someone, above all) waits for one
// local append instead of a storage round trip, and storage gets the events in large batches.
//
//   append(event)  1. the store checks the event (anything unstorable is refused here, and nothing is spooled);
//                  2. the event is appended to the current segment file with one synchronous write(2) (a few
//                     microseconds, no thread hop): from here on it survives this process dying;
//                  3. the append resolves; the file is flushed to the disk itself (fdatasync) within
//                     `syncEveryMs` in the background, so a crash of the whole machine loses at most that;
//                  4. in the background the store chains it with its listing copies (batched by the store's
//                     linger); a segment is deleted once every event in it is in storage.
//   open()         replays the segments a previous process left (crash, kill, deploy): every event in them is
//                  appended to the store again, which is a no-op for those already there (appends are
//                  idempotent by event id), then the segments are deleted.
//
// What it protects against: the process dying at any point after an append resolved loses nothing. What it
// does not: the instance's disk being lost before the events reached storage (at most the store's linger and
// one transaction, well under a second). Point CALM_AUDIT_SPOOL_DIR at storage that outlives the process (App Service: under /home).
// One process per folder: a lock file, touched every few seconds, holds the folder while the process lives.
import { close, closeSync, fdatasync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import type { AuditEvent } from "../../../../core/src/domain";
import { StoreUnavailableError } from "../../ports/errors";
import type { AuditStore, AuditVerification } from "../../ports/stores";
import type { Logger } from "../../ports/system";

export interface AuditSpoolOptions {
  /** This process's folder (created if missing). */
  dir: string;
  logger: Logger;
  /** Start a new segment after this many bytes (default 4 MiB) or this long (default 60 s). */
  segmentBytes?: number;
  segmentMs?: number;
  /** Events spooled but not yet in storage before appends are refused (503) rather than queued (default 100,000). */
  maxUnshipped?: number;
  /** Wait before retrying events storage refused (default 2 s, doubling to 60 s). */
  retryMs?: number;
  /** How soon a written event is flushed to the disk itself (default 200 ms). */
  syncEveryMs?: number;
  /** The lock file is touched every third of this; one not touched for this long was left by a process that
   * has gone (default 15 s). On a shared disk (App Service /home) a pid says nothing, so age decides. */
  lockStaleMs?: number;
}

/** What the spool needs of the store behind it. */
export type SpoolableAuditStore = AuditStore & {
  /** Throws for an event the store could never keep (the same checks its append makes), so nothing
   * unstorable is ever spooled. */
  check(event: AuditEvent): void;
  /** Writes everything waiting now, without lingering (for a quick close). */
  flush?(): Promise<void>;
};

interface Segment {
  name: string;
  fd: number;
  bytes: number;
  openedAt: number;
  /** Events in it not yet fully written to storage. */
  pending: number;
  /** Written since its last fdatasync. */
  dirty: boolean;
  /** A newer segment takes new events; this one is closed after its last flush. */
  rotated: boolean;
  fdClosed: boolean;
  retiring: boolean;
}

const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

/** How the table audit store batches behind a spool: nobody waits for it, so it gathers up to a quarter of a
 * second of events (or a full batch) per chain transaction. */
export const SPOOLED_AUDIT_BATCHING = { auditLingerMs: 250 } as const;

const SEGMENT = /^spool-(\d{13})-(\d{6})\.jsonl$/;

export class SpooledAuditStore implements AuditStore {
  private current: Segment | undefined;
  private segmentNo = 0;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private readonly unsynced = new Set<Segment>();
  private unshipped = 0;
  private readonly retries = new Map<string, { event: AuditEvent; segment: Segment | undefined }>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private readonly lockPath: string;
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(private readonly inner: SpoolableAuditStore, private readonly options: AuditSpoolOptions) {
    this.retryDelay = options.retryMs ?? 2000;
    this.lockPath = path.join(options.dir, "lock");
  }

  /** Takes the folder, replays what an earlier process left in it, and starts a new segment. */
  static async open(inner: SpoolableAuditStore, options: AuditSpoolOptions): Promise<SpooledAuditStore> {
    const spool = new SpooledAuditStore(inner, options);
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    await spool.lock();
    const left = readdirSync(options.dir).filter((f) => SEGMENT.test(f)).sort();
    spool.startSegment();
    if (left.length > 0) spool.track(spool.replay(left));
    return spool;
  }

  append(event: AuditEvent): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError("audit spool closed"));
    if (this.unshipped >= (this.options.maxUnshipped ?? 100_000)) {
      // Storage has been away for a long while: refuse rather than grow without bound.
      return Promise.reject(new StoreUnavailableError("audit spool full"));
    }
    let line: Buffer;
    try {
      this.inner.check(event);
      line = Buffer.from(`${JSON.stringify(event)}\n`, "utf8");
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new TypeError("This audit event cannot be stored."));
    }
    let segment: Segment;
    try {
      segment = this.segmentFor();
      for (let done = 0; done < line.length;) done += writeSync(segment.fd, line, done, line.length - done);
    } catch (error) {
      this.options.logger.error("audit.spool.write_failed", { code: (error as NodeJS.ErrnoException).code ?? "unknown" });
      return Promise.reject(new StoreUnavailableError("audit spool write", { cause: error }));
    }
    segment.bytes += line.length;
    segment.pending++;
    this.unshipped++;
    this.markDirty(segment);
    // Storage gets it at once (the store batches); the caller does not wait for storage.
    this.track(this.ship(event, segment).then((stored) => { if (!stored) this.scheduleRetry(); }));
    return Promise.resolve();
  }

  listBySubject(subjectId: string, limit?: number): Promise<AuditEvent[]> {
    return this.inner.listBySubject(subjectId, limit);
  }

  listByActor(actorId: string, limit?: number): Promise<AuditEvent[]> {
    return this.inner.listByActor(actorId, limit);
  }

  verify(options?: { repair?: boolean }): Promise<AuditVerification> {
    return this.inner.verify(options);
  }

  /** Events spooled but not yet fully in storage. */
  get backlog(): number {
    return this.unshipped;
  }

  /** Waits until every spooled event is in storage (or `timeoutMs` passes), then releases the folder. Segments
   * whose events did not all reach storage stay for the next process to replay. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    await this.syncNow();
    await this.inner.flush?.().catch(() => undefined);
    await this.settleInFlight(deadline);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const segment = this.current;
    this.current = undefined;
    if (segment) {
      segment.rotated = true;
      await this.closeSegment(segment);
      if (this.retries.size === 0) this.retireIfDone(segment);
    }
    await this.settleInFlight(deadline);
    if (this.unshipped > 0) this.options.logger.warn("audit.spool.left", { events: this.unshipped });
    if (this.heartbeat) clearInterval(this.heartbeat);
    try { unlinkSync(this.lockPath); } catch { /* already gone */ }
  }

  // ---- writing the log ----

  private markDirty(segment: Segment): void {
    segment.dirty = true;
    this.unsynced.add(segment);
    this.syncTimer ??= setTimeout(() => {
      this.syncTimer = undefined;
      void this.syncNow();
    }, this.options.syncEveryMs ?? 200);
    this.syncTimer.unref();
  }

  /** fdatasync of every segment written since its last flush; a rotated segment is then closed. */
  private async syncNow(): Promise<void> {
    while (this.syncing) await this.syncing;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    const segments = [...this.unsynced];
    this.unsynced.clear();
    this.syncing = (async () => {
      for (const segment of segments) {
        segment.dirty = false;
        try {
          await fdatasyncAsync(segment.fd);
        } catch (error) {
          this.options.logger.error("audit.spool.sync_failed", { code: (error as NodeJS.ErrnoException).code ?? "unknown" });
        }
        if (segment.rotated && !segment.dirty) {
          await this.closeSegment(segment);
          this.retireIfDone(segment);
        }
      }
    })().finally(() => { this.syncing = undefined; });
    await this.syncing;
  }

  /** The segment a new event goes to: a fresh one once the current is big or old enough. */
  private segmentFor(): Segment {
    const s = this.current!;
    const full = s.bytes >= (this.options.segmentBytes ?? 4 * 1024 * 1024) || Date.now() - s.openedAt >= (this.options.segmentMs ?? 60_000);
    if (!full) return s;
    this.startSegment();
    s.rotated = true;
    // Closed (and retired, once its events are in storage) after its last flush.
    if (!s.dirty) this.track(this.closeSegment(s).then(() => this.retireIfDone(s)));
    return this.current!;
  }

  private startSegment(): void {
    const name = `spool-${String(Date.now()).padStart(13, "0")}-${String(this.segmentNo++ % 1e6).padStart(6, "0")}.jsonl`;
    // Opened synchronously (once a minute at most) so an append always knows its segment at once.
    const fd = openSync(path.join(this.options.dir, name), "a", 0o600);
    this.current = { name, fd, bytes: 0, openedAt: Date.now(), pending: 0, dirty: false, rotated: false, fdClosed: false, retiring: false };
  }

  private async closeSegment(segment: Segment): Promise<void> {
    if (segment.fdClosed) return;
    segment.fdClosed = true;
    await closeAsync(segment.fd).catch(() => undefined);
  }

  // ---- shipping to storage ----

  /** Hands one event to storage: true once it is there (counted shipped, its segment perhaps retired); false when
   * storage refused or was away, and the event is held for the next retry (it is safe in its segment meanwhile).
   * The store's append starts at once, in the caller's turn. */
  private async ship(event: AuditEvent, segment: Segment | undefined): Promise<boolean> {
    try {
      await this.inner.append(event);
    } catch {
      this.retries.set(event.id, { event, segment });
      return false;
    }
    this.unshipped--;
    if (segment) {
      segment.pending--;
      this.retireIfDone(segment);
    }
    return true;
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const batch = [...this.retries.values()];
      this.retries.clear();
      this.options.logger.warn("audit.spool.retrying", { events: batch.length });
      this.track(Promise.all(batch.map(({ event, segment }) => this.ship(event, segment))).then((stored) => {
        this.retryDelay = stored.includes(false) ? Math.min(this.retryDelay * 2, 60_000) : this.options.retryMs ?? 2000;
        if (this.retries.size > 0) this.scheduleRetry();
      }));
    }, this.retryDelay);
    this.retryTimer.unref();
  }

  /** A closed segment whose events are all in storage (an append resolves once its event is chained with its
   * listing copies) is deleted. */
  private retireIfDone(segment: Segment): void {
    if (!segment.fdClosed || segment.pending > 0 || segment.retiring) return;
    segment.retiring = true;
    this.remove(segment.name);
  }

  private remove(name: string): void {
    try { unlinkSync(path.join(this.options.dir, name)); } catch { /* already gone */ }
  }

  /** Appends every event a previous process left, then deletes its segments. */
  private async replay(names: string[]): Promise<void> {
    for (const name of names) {
      const events = readSegment(path.join(this.options.dir, name), (line) => this.options.logger.warn("audit.spool.unreadable_line", { segment: name, line }));
      this.options.logger.info("audit.spool.replay", { segment: name, events: events.length });
      this.unshipped += events.length;
      const stored = await Promise.all(events.map((e) => this.ship(e, undefined)));
      const failed = stored.filter((ok) => !ok).length;
      if (failed > 0) {
        // Their events are held for retry in memory; the segment stays until a later process finds it done.
        this.options.logger.warn("audit.spool.replay_incomplete", { segment: name, failed });
        this.scheduleRetry();
        continue;
      }
      this.remove(name);
    }
  }

  /** Waits for the work in flight (storage writes, retries) until it is done or `deadline`. */
  private async settleInFlight(deadline: number): Promise<void> {
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())).unref())]);
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Takes the folder's lock file, waiting out one left by a process that died (it stops being touched). */
  private async lock(): Promise<void> {
    const staleMs = this.options.lockStaleMs ?? 15_000;
    const me = `${process.pid} ${hostname()}`;
    const deadline = Date.now() + staleMs + 1000;
    for (;;) {
      try {
        const fd = openSync(this.lockPath, "wx", 0o600);
        writeSync(fd, me);
        fsyncSync(fd);
        closeSync(fd);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      let age = Infinity;
      let holder = "";
      try {
        age = Date.now() - statSync(this.lockPath).mtimeMs;
        holder = readFileSync(this.lockPath, "utf8").trim();
      } catch { /* gone meanwhile: try again */ }
      if (age >= staleMs || holder === me) {
        try { unlinkSync(this.lockPath); } catch { /* taken meanwhile */ }
        continue;
      }
      if (Date.now() >= deadline) {
        throw new Error(`The audit spool folder ${this.options.dir} is in use by another CALM process. Give each process its own CALM_AUDIT_SPOOL_DIR.`);
      }
      this.options.logger.info("audit.spool.waiting_for_lock", { ageMs: Math.round(age) });
      await sleep(Math.min(1000, staleMs / 3));
    }
    this.heartbeat = setInterval(() => {
      try { const now = new Date(); utimesSync(this.lockPath, now, now); } catch { /* the folder went away: writes will say so */ }
    }, Math.max(50, Math.floor(staleMs / 3)));
    this.heartbeat.unref();
  }
}

/** The events in a segment. A line cut short by a crash mid-write was never acknowledged, so it is skipped;
 * so is anything else unreadable (reported by line number, never by content). */
export function readSegment(file: string, onBadLine: (line: number) => void): AuditEvent[] {
  const events: AuditEvent[] = [];
  readFileSync(file, "utf8").split("\n").forEach((text, i) => {
    if (text.trim() === "") return;
    try {
      const event = JSON.parse(text) as AuditEvent;
      if (typeof event?.id === "string" && typeof event.at === "string" && typeof event.actorId === "string") events.push(event);
      else onBadLine(i + 1);
    } catch {
      onBadLine(i + 1);
    }
  });
  return events;
}
