// Emergency additions (Dorset 4.13.2): the chair may add a high risk individual at once, for ratification at
// the next meeting; when the chair is absent the named deputy decides. And immediate restriction without
// warnings on named grounds (West Lindsey 12.3).

import { addPeriod, assertIsoDate } from "../calendar/dates";
import type { IsoDate, RiskLevel } from "../domain";
import type { PolicyProfile } from "../policy/schema";
import { sourceOf } from "../policy/sources";

export interface EmergencyRequest {
  riskLevel: RiskLevel;
  /** In what capacity the person is acting. */
  actingAs: "chair" | "deputy";
  /** Whether the chair is available; the deputy may act only when they are not. */
  chairAvailable: boolean;
  on: IsoDate;
  /** The date of the next meeting, if one is booked. */
  nextMeetingOn?: IsoDate;
}

export type EmergencyResult =
  | {
      ok: true;
      status: "pending-ratification";
      capacity: "chair" | "deputy";
      /** Who acts as deputy, from the policy (Dorset: the Director for Legal and Democratic). */
      deputy: string | null;
      ratifyAt: "next-meeting";
      /** The next meeting if booked, else the latest it can be under the body's meeting cycle; null if unknown. */
      ratifyBy: IsoDate | null;
      source?: string;
    }
  | { ok: false; code: "NO_EMERGENCY_POWER" | "RISK_NOT_ELIGIBLE" | "CHAIR_AVAILABLE" | "NO_DEPUTY"; message: string };

export function emergencyAddition(profile: PolicyProfile, request: EmergencyRequest): EmergencyResult {
  const emergency = profile.decisionBody.emergency;
  const on = assertIsoDate(request.on);
  if (emergency === null) {
    return { ok: false, code: "NO_EMERGENCY_POWER", message: `The policy gives nobody the power to add someone before ${profile.decisionBody.name} decides. Refer the case in the usual way.` };
  }
  if (!emergency.riskLevels.includes(request.riskLevel)) {
    return { ok: false, code: "RISK_NOT_ELIGIBLE", message: `An emergency addition is only for ${emergency.riskLevels.join(" or ")} risk. Refer this case to the next meeting.` };
  }
  if (request.actingAs === "deputy" && emergency.deputy === null) {
    return { ok: false, code: "NO_DEPUTY", message: "The policy names no deputy for emergency additions. Only the chair can make one." };
  }
  if (request.actingAs === "deputy" && request.chairAvailable) {
    return { ok: false, code: "CHAIR_AVAILABLE", message: "The chair is available, so the chair makes this decision. Ask the chair." };
  }
  const meetsEvery = profile.decisionBody.meetsEvery;
  const ratifyBy = request.nextMeetingOn !== undefined ? assertIsoDate(request.nextMeetingOn) : meetsEvery === null ? null : addPeriod(on, meetsEvery);
  const source = sourceOf(profile, "decisionBody.emergency");
  return {
    ok: true,
    status: "pending-ratification",
    capacity: request.actingAs,
    deputy: emergency.deputy,
    ratifyAt: emergency.ratification,
    ratifyBy,
    ...(source === undefined ? {} : { source }),
  };
}

/** Grounds on which contact may be restricted at once, without warnings; empty where the policy has none. */
export function immediateRestrictionGrounds(profile: PolicyProfile): { id: string; description: string }[] {
  return profile.immediateRestriction?.grounds ?? [];
}

/** Whether contact may be restricted at once on this ground (West Lindsey 12.3). */
export function mayRestrictImmediately(profile: PolicyProfile, groundId: string): boolean {
  return immediateRestrictionGrounds(profile).some((g) => g.id === groundId);
}
