// Who a Teams user is to CALM (ports/callerDirectory.ts). Bot activities carry the user's Entra object id but not
// their app roles, so roles come from two places the council controls:
// - the decision body's seats (DecisionBodyStore): the chair gets `chair` and `panel-member`, members get
//   `panel-member` (Dorset 4.3); the emergency deputy gets no voting role (Dorset 4.13.2);
// - a role map (config `CALM_BOT_ROLES`, or the fictional personas locally): user id → roles, name, service areas,
//   plus optional default roles for anyone else in the tenant.
// Anyone CALM does not know gets no caller, and the bot answers with how to ask for access.
import type { Caller, Role } from "../../../core/src/domain";
import type { CallerDirectory, TeamsIdentity } from "../ports/callerDirectory";
import type { DecisionBodySeat, DecisionBodyStore } from "../ports/decisionBody";
import type { Clock } from "../ports/system";

export interface RoleMapEntry {
  displayName?: string;
  email?: string;
  roles: Role[];
  serviceAreas?: string[];
}

export interface SeatAndRoleDirectoryDeps {
  decisionBody: DecisionBodyStore;
  roleMap: ReadonlyMap<string, RoleMapEntry>;
  /** Roles for anyone in the tenant who is not in the map or on the body (default: none). */
  defaultRoles?: Role[];
  /** Only users of this tenant are known; undefined accepts any (local development). */
  tenantId?: string;
  clock: Clock;
  /** How long the seats are cached (default 15 s; a change of membership shows within that). */
  cacheMs?: number;
}

export class SeatAndRoleDirectory implements CallerDirectory {
  private seats: { at: number; byUser: Map<string, DecisionBodySeat> } | undefined;

  constructor(private readonly deps: SeatAndRoleDirectoryDeps) {}

  private async seatOf(userId: string): Promise<DecisionBodySeat | undefined> {
    const now = this.deps.clock.now().getTime();
    if (!this.seats || now - this.seats.at >= (this.deps.cacheMs ?? 15_000)) {
      const list = await this.deps.decisionBody.list();
      this.seats = { at: now, byUser: new Map(list.map((s) => [s.userId, s])) };
    }
    return this.seats.byUser.get(userId);
  }

  /** Forget cached seats (after the body's membership changes on this instance). */
  invalidate(): void {
    this.seats = undefined;
  }

  async resolve(identity: TeamsIdentity): Promise<Caller | undefined> {
    const id = identity.aadObjectId;
    if (!id || id.length > 100) return undefined;
    if (this.deps.tenantId && identity.tenantId !== this.deps.tenantId) return undefined;
    const seat = await this.seatOf(id);
    const mapped = this.deps.roleMap.get(id);
    const roles = new Set<Role>(mapped?.roles ?? []);
    if (seat?.capacity === "chair") { roles.add("chair"); roles.add("panel-member"); }
    if (seat?.capacity === "member") roles.add("panel-member");
    if (roles.size === 0 && !seat) for (const r of this.deps.defaultRoles ?? []) roles.add(r);
    if (roles.size === 0 && !seat) return undefined;
    return {
      id,
      tenantId: identity.tenantId ?? "",
      displayName: mapped?.displayName ?? seat?.displayName ?? identity.name ?? "CALM user",
      ...(mapped?.email ?? seat?.email ? { email: mapped?.email ?? seat?.email } : {}),
      roles: [...roles],
      serviceAreas: mapped?.serviceAreas ?? [],
    };
  }
}
