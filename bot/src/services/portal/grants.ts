// Access grants: which groups, roles or people may see the register beyond their role's default, at which tiers,
// why, and who granted it (Dorset 7.1-7.2, West Oxfordshire UCBR). The grants feed the access rule
// (core entryViewFor's 4th argument) on every surface: lookups, sender checks and the portal.
//
// The rule runs on the hot path (every sender check), so the grants are held in memory: loaded at start, reloaded
// at once after a change on this instance, and every `refreshMs` to see changes made on another instance.
// A revoked or expired grant is kept in the store (the record of who had access stays) but never counts.
import type { AccessGrant, Caller, IsoDate, RiskLevel, StaffRef } from "../../../../core/src/domain";
import type { TierGrant } from "../../../../core/src/rules/access";
import type { AccessGrantStore } from "../../ports/portal";
import type { AuditStore } from "../../ports/stores";
import type { Clock, IdGenerator, Logger } from "../../ports/system";

export interface GrantInput {
  principal: AccessGrant["principal"];
  tiers: RiskLevel[];
  includesPremises: boolean;
  rationale: string;
  expiresOn?: IsoDate;
}

export type GrantOutcome =
  | { ok: true; grant: AccessGrant }
  | { ok: false; code: "GRANT_NOT_FOUND" | "GRANT_ALREADY_REVOKED" | "GRANT_EXPIRY_IN_PAST" | "GRANT_NO_TIERS"; message: string };

export interface AccessGrantDeps {
  store: AccessGrantStore;
  audit: AuditStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** How often to re-read the grants for changes made on other instances. Default 30 s. */
  refreshMs?: number;
}

export function staffRef(caller: Caller): StaffRef {
  return { id: caller.id, displayName: caller.displayName, ...(caller.email ? { email: caller.email } : {}) };
}

export class AccessGrantService {
  private grants: AccessGrant[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  private lastError: string | undefined;

  constructor(private readonly deps: AccessGrantDeps) {}

  async load(): Promise<void> {
    this.grants = await this.deps.store.list();
  }

  startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.reloading) return;
      this.reloading = this.load()
        .then(() => { this.lastError = undefined; })
        .catch((error: unknown) => {
          const name = error instanceof Error ? error.name : "UnknownError";
          if (this.lastError !== name) this.deps.logger.warn("grants.reload_failed", { error: name });
          this.lastError = name;
        })
        .finally(() => { this.reloading = undefined; });
    }, this.deps.refreshMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reloading;
  }

  private today(): IsoDate {
    return this.deps.clock.now().toISOString().slice(0, 10);
  }

  private isActive(grant: AccessGrant, today: IsoDate): boolean {
    return !grant.revokedAt && (!grant.expiresOn || grant.expiresOn >= today);
  }

  /** The grants that apply to this caller now: made to them, to one of their roles, or to one of their groups. */
  grantsFor(caller: Caller): TierGrant[] {
    if (this.grants.length === 0) return [];
    const today = this.today();
    const groups = new Set(caller.groups ?? []);
    const roles = new Set<string>(caller.roles);
    const out: TierGrant[] = [];
    for (const g of this.grants) {
      if (!this.isActive(g, today)) continue;
      const p = g.principal;
      const applies = (p.kind === "user" && p.id === caller.id) || (p.kind === "role" && roles.has(p.id)) || (p.kind === "group" && groups.has(p.id));
      if (applies) out.push({ tiers: g.tiers, includesPremises: g.includesPremises });
    }
    return out;
  }

  /** Every grant, newest first, read from the store (not the cache), with whether it is in force today. */
  async list(): Promise<(AccessGrant & { active: boolean })[]> {
    const all = await this.deps.store.list();
    this.grants = all;
    const today = this.today();
    return all.map((g) => ({ ...g, active: this.isActive(g, today) })).reverse();
  }

  async grant(caller: Caller, input: GrantInput): Promise<GrantOutcome> {
    if (input.tiers.length === 0) {
      return { ok: false, code: "GRANT_NO_TIERS", message: "Choose at least one risk level this grant lets them see." };
    }
    if (input.expiresOn && input.expiresOn < this.today()) {
      return { ok: false, code: "GRANT_EXPIRY_IN_PAST", message: "The end date is in the past. Choose a date from today onwards, or leave it empty." };
    }
    const now = this.deps.clock.now().toISOString();
    const grant: AccessGrant = {
      id: this.deps.ids.next(),
      principal: input.principal,
      tiers: [...new Set(input.tiers)],
      includesPremises: input.includesPremises,
      rationale: input.rationale.trim(),
      grantedBy: staffRef(caller),
      grantedAt: now,
      ...(input.expiresOn ? { expiresOn: input.expiresOn } : {}),
    };
    const created = await this.deps.store.create(grant);
    await this.audit(caller, created, "granted");
    await this.load();
    return { ok: true, grant: created };
  }

  async revoke(caller: Caller, id: string, reason: string): Promise<GrantOutcome> {
    const current = await this.deps.store.get(id);
    if (!current) return { ok: false, code: "GRANT_NOT_FOUND", message: "There is no access grant with that id. Reload the list and try again." };
    if (current.revokedAt) return { ok: false, code: "GRANT_ALREADY_REVOKED", message: "This grant has already been revoked. Reload the list to see who revoked it." };
    const updated = await this.deps.store.update({ ...current, revokedAt: this.deps.clock.now().toISOString(), revokedBy: staffRef(caller), revocationReason: reason.trim() });
    await this.audit(caller, updated, "revoked");
    await this.load();
    return { ok: true, grant: updated };
  }

  private async audit(caller: Caller, grant: AccessGrant, what: "granted" | "revoked"): Promise<void> {
    // By id and tiers only: the principal's name and the rationale stay in the grant record.
    await this.deps.audit.append({
      id: this.deps.ids.next(),
      at: this.deps.clock.now().toISOString(),
      actorId: caller.id,
      action: "access-grant",
      surface: "tab",
      what: [`grant:${grant.id}`, what, `principal:${grant.principal.kind}`, `tiers:${grant.tiers.join("+")}`, grant.includesPremises ? "premises" : "people-only"],
    });
  }
}
