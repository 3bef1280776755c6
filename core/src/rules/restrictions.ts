// The restriction catalogue: which kinds a council offers, and whether a restriction's parameters fit the shape
// its policy entry gives (domain.ts Restriction.params).

import type { Restriction } from "../domain";
import type { ParamSpec, PolicyProfile, RestrictionOffer } from "../policy/schema";

export type RestrictionCheck = { ok: true } | { ok: false; code: "RESTRICTION_NOT_OFFERED" | "RESTRICTION_INVALID"; message: string; problems: string[] };

export function offeredRestriction(profile: PolicyProfile, kind: Restriction["kind"]): RestrictionOffer | undefined {
  return profile.restrictions.catalogue.find((r) => r.kind === kind);
}

type ParamValue = Restriction["params"][string];

function paramProblem(name: string, spec: ParamSpec, value: ParamValue | undefined): string | undefined {
  if (value === undefined) return spec.required ? `"${name}" is missing` : undefined;
  switch (spec.type) {
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return `"${name}" must be a whole number`;
      return spec.min !== null && value < spec.min ? `"${name}" must be at least ${spec.min}` : undefined;
    case "text":
      return typeof value === "string" && value.trim().length > 0 ? undefined : `"${name}" must be text`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `"${name}" must be true or false`;
    case "text-list":
      return Array.isArray(value) && value.length > 0 && value.every((v) => v.trim().length > 0) ? undefined : `"${name}" must be a list of text`;
    case "choice":
      return typeof value === "string" && spec.values.includes(value) ? undefined : `"${name}" must be one of ${spec.values.join(", ")}`;
    case "choice-list":
      return Array.isArray(value) && value.length > 0 && value.every((v) => spec.values.includes(v))
        ? undefined
        : `"${name}" must be a list drawn from ${spec.values.join(", ")}`;
  }
}

/** Checks a restriction against the council's catalogue: offered, parameters of the right shape, no unknown
 * parameters, and no open-ended use where the policy does not allow a permanent restriction. */
export function checkRestriction(profile: PolicyProfile, restriction: Pick<Restriction, "kind" | "params">): RestrictionCheck {
  const offer = offeredRestriction(profile, restriction.kind);
  if (!offer) {
    return { ok: false, code: "RESTRICTION_NOT_OFFERED", message: `The council's policy does not offer the restriction "${restriction.kind}". Choose one from the list.`, problems: [] };
  }
  const problems = Object.entries(offer.params).flatMap(([name, spec]) => paramProblem(name, spec, restriction.params[name]) ?? []);
  for (const name of Object.keys(restriction.params)) {
    if (!(name in offer.params)) problems.push(`"${name}" is not a setting of this restriction`);
  }
  if (restriction.params.permanent === true && !offer.permanentAllowed) problems.push("the policy does not allow this restriction to be permanent");
  if (problems.length === 0) return { ok: true };
  return { ok: false, code: "RESTRICTION_INVALID", message: `The restriction "${offer.label}" needs fixing: ${problems.join("; ")}.`, problems };
}
