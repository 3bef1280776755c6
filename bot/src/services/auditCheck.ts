// Checks the audit log's hash chain on request (`calm audit verify`, the portal's audit page; issue 8 item 3).
// One check at a time however many people ask (they share it), and a result is reused for a short while:
// verification reads the whole log. Looking at the check is itself audited.
import type { Surface } from "../../../core/src/domain";
import type { AuditStore, AuditVerification } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";

export class AuditCheckService {
  private running: Promise<AuditVerification> | undefined;
  private last: { at: number; result: AuditVerification } | undefined;

  constructor(
    private readonly deps: { audit: AuditStore; clock: Clock; ids: IdGenerator; logger: Logger },
    /** How long a result is reused, in ms (default 30 s). */
    private readonly reuseMs = 30_000,
  ) {}

  async check(actorId: string, surface: Surface, options: { fresh?: boolean } = {}): Promise<AuditVerification> {
    const now = this.deps.clock.now().getTime();
    let result: AuditVerification;
    if (!options.fresh && this.last && now - this.last.at < this.reuseMs) result = this.last.result;
    else {
      this.running ??= this.deps.audit.verify().finally(() => { this.running = undefined; });
      result = await this.running;
      this.last = { at: now, result };
      if (!result.intact) this.deps.logger.error("audit.chain_broken", { problems: result.problemCount, events: result.events });
    }
    await this.deps.audit.append({
      id: this.deps.ids.next(),
      at: this.deps.clock.now().toISOString(),
      actorId,
      action: "view",
      surface,
      what: ["audit-chain-check", `intact:${result.intact}`, `events:${result.events}`, `problems:${result.problemCount}`],
    });
    return result;
  }
}
