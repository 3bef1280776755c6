// The warning ladder (West Oxfordshire Steps 1-3, East Suffolk 4.4, West Lindsey 10-11): the next step given
// the warnings already given, skipped for violence or serious threats.

import type { IncidentCategory, WarningStep } from "../domain";
import type { PolicyProfile } from "../policy/schema";
import { sourceOf } from "../policy/sources";

export type NextWarning =
  | { kind: "warning"; step: WarningStep; label: string; withRestrictions: boolean; bypassed: boolean; source?: string }
  | { kind: "restrict"; bypassed: boolean; source?: string }
  | { kind: "no-ladder"; source?: string };

function cite<T extends object>(value: T, source: string | undefined): T & { source?: string } {
  return source === undefined ? value : { ...value, source };
}

/** What comes next for this subject after an incident of `category`, given the steps already given. */
export function nextWarningStep(
  profile: PolicyProfile,
  input: { priorWarnings: WarningStep[]; category: IncidentCategory },
): NextWarning {
  const ladder = profile.warnings;
  if (ladder === null) return cite({ kind: "no-ladder" as const }, sourceOf(profile, "warnings"));
  const last = ladder.steps[ladder.steps.length - 1]!;

  if (ladder.bypassCategories.includes(input.category)) {
    const source = sourceOf(profile, "warnings.bypassCategories");
    const alreadyAtLast = input.priorWarnings.includes(last.step);
    if (ladder.bypassTo === "restriction" || alreadyAtLast) return cite({ kind: "restrict" as const, bypassed: true }, source);
    return cite({ kind: "warning" as const, step: last.step, label: last.label, withRestrictions: last.withRestrictions, bypassed: true }, source);
  }

  const source = sourceOf(profile, "warnings.steps");
  const given = new Set(input.priorWarnings);
  const reached = ladder.steps.reduce((highest, step, i) => (given.has(step.step) ? i : highest), -1);
  const next = ladder.steps[reached + 1];
  if (next === undefined) return cite({ kind: "restrict" as const, bypassed: false }, source);
  return cite({ kind: "warning" as const, step: next.step, label: next.label, withRestrictions: next.withRestrictions, bypassed: false }, source);
}
