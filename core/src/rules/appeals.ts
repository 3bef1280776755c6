// Who may decide an appeal. West Oxfordshire (Appeal): "an Officer who was not involved in the original decision".
// Where a policy is silent the check passes, with a note recommending the same good practice.

import type { Role } from "../domain";
import type { PolicyProfile } from "../policy/schema";
import { sourceOf } from "../policy/sources";

export type AppealDeciderCheck =
  | { ok: true; note?: string; source?: string }
  | { ok: false; code: "NOT_AN_APPEAL_OFFICER" | "INVOLVED_IN_DECISION" | "NO_APPEAL_ROUTE"; message: string; source?: string };

export function canDecideAppeal(profile: PolicyProfile, input: { roles: Role[]; involvedInDecision: boolean }): AppealDeciderCheck {
  const source = sourceOf(profile, "appeal.deciderMustNotHaveBeenInvolved") ?? sourceOf(profile, "appeal");
  const cited = source === undefined ? {} : { source };
  if (profile.appeal.route !== "appeal") {
    return { ok: false, code: "NO_APPEAL_ROUTE", message: "The policy sends challenges through the council's complaints process, not an appeal. Use the complaints process.", ...cited };
  }
  if (!input.roles.includes("appeal-officer")) {
    const who = profile.appeal.decidedBy.length > 0 ? profile.appeal.decidedBy.join(" or ") : "an appeal officer";
    return { ok: false, code: "NOT_AN_APPEAL_OFFICER", message: `Appeals are decided by ${who}. Ask them to decide it.`, ...cited };
  }
  // Safe by default: an appeal is decided by someone who took no part in the decision (West Oxfordshire, Appeal;
  // DOMAIN.md "appeal officer"). Where a policy is silent (null) that still holds; only a profile that says
  // `false` in so many words lets an involved officer decide, and then with a note.
  if (input.involvedInDecision && profile.appeal.deciderMustNotHaveBeenInvolved !== false) {
    return { ok: false, code: "INVOLVED_IN_DECISION", message: "You were involved in the original decision, so you cannot decide the appeal. Ask another appeal officer.", ...cited };
  }
  if (input.involvedInDecision) {
    return { ok: true, note: "The policy lets someone involved in the original decision decide the appeal, but an uninvolved decider is good practice.", ...cited };
  }
  return { ok: true, ...cited };
}
