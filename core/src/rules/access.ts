// Who sees how much of a register entry (Dorset 7.1-7.2, West Oxfordshire UCBR, East Suffolk 3.3).
//
// The four views (domain.ts EntryView):
// - full: everything, with history behind "Show history";
// - summary: status, guidance, restrictions, review date; no history;
// - minimum: "Take care" guidance only: for people without register access (councillors, contractors), who
//   still need to know how to deal with the person safely; never the history;
// - hidden: nothing. The caller's role is granted only some tiers (Dorset 7.1: home visitors see Medium/High
//   only) and this entry is outside them. A lookup must answer exactly as if there were no entry, so a hidden
//   entry cannot be inferred from the answer.
// A caller with several roles gets the most generous view any of them gives.

import type { EntryView, RiskLevel, Role } from "../domain";
import type { PolicyProfile, RoleAccess } from "../policy/schema";

export interface EntryTier {
  riskLevel: RiskLevel;
  isPremises: boolean;
}

/** An individual access grant (domain.ts AccessGrant): the tiers a group or person may see. */
export interface TierGrant {
  tiers: RiskLevel[];
  includesPremises: boolean;
}

const GENEROSITY: Record<EntryView, number> = { hidden: 0, minimum: 1, summary: 2, full: 3 };

function mostGenerous(views: EntryView[]): EntryView {
  return views.reduce<EntryView>((best, v) => (GENEROSITY[v] > GENEROSITY[best] ? v : best), "hidden");
}

function covers(tiers: RiskLevel[], includesPremises: boolean, entry: EntryTier): boolean {
  return tiers.includes(entry.riskLevel) && (!entry.isPremises || includesPremises);
}

function viewForRole(access: RoleAccess, entry: EntryTier): EntryView {
  return covers(access.tiers, access.premises, entry) ? access.view : access.otherwise;
}

/** How much of this entry a caller with these roles (and any individual grants) may see. */
export function entryViewFor(profile: PolicyProfile, roles: Role[], entry: EntryTier, grants: TierGrant[] = []): EntryView {
  if (entry.isPremises && !profile.premises.enabled) return "hidden";
  const fromRoles = roles.map((role) => viewForRole(profile.access.roles[role], entry));
  const fromGrants = grants.filter((g) => covers(g.tiers, g.includesPremises, entry)).map(() => profile.access.grantView);
  return mostGenerous([...fromRoles, ...fromGrants]);
}

/** Whether the caller may see special-category data (health, disability, vulnerability): the decision body
 * only (Dorset 4.10). */
export function canSeeSensitive(profile: PolicyProfile, roles: Role[]): boolean {
  return roles.some((role) => profile.access.sensitiveDataRoles.includes(role));
}

/** Whether the caller can see the register at all beyond "take care" guidance, for any tier. */
export function hasRegisterAccess(profile: PolicyProfile, roles: Role[], grants: TierGrant[] = []): boolean {
  const viaRole = roles.some((role) => {
    const access = profile.access.roles[role];
    return access.tiers.length > 0 && access.view !== "minimum";
  });
  return viaRole || grants.some((g) => g.tiers.length > 0);
}
