// Building blocks the presets share: the parameter shapes of each restriction kind, and short helpers for
// role access. Shapes are CALM's (the policies name restrictions, not their fields); each preset decides which
// kinds it offers and how its policy words them.

import { CONTACT_CHANNELS, RISK_LEVELS, type RestrictionKind, type RiskLevel } from "../../domain";
import type { ParamSpec, RestrictionOffer, RoleAccess } from "../schema";

const required = true;
const optional = false;

const channel = (isRequired: boolean): ParamSpec => ({ type: "choice", required: isRequired, values: [...CONTACT_CHANNELS] });

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** The parameters each restriction kind takes (domain.ts `Restriction.params`). */
export const RESTRICTION_PARAMS: Readonly<Record<RestrictionKind, Record<string, ParamSpec>>> = {
  "contact-limit": {
    contacts: { type: "integer", required, min: 1 },
    per: { type: "choice", required, values: ["week", "month"] },
    maxMinutes: { type: "integer", required: optional, min: 1 },
    channel: channel(optional),
  },
  "fixed-time-slot": {
    days: { type: "choice-list", required, values: WEEKDAYS },
    from: { type: "text", required },
    to: { type: "text", required },
  },
  "single-channel": { channel: channel(required) },
  "single-point-of-contact": {
    displayName: { type: "text", required },
    mailbox: { type: "text", required },
  },
  "home-visits-in-pairs": {},
  "contact-via-support-worker": { supportWorker: { type: "text", required: optional } },
  "meetings-with-witness": { location: { type: "text", required: optional } },
  "building-ban": {
    buildings: { type: "text-list", required },
    permanent: { type: "boolean", required: optional },
  },
  "social-media-blocked": { accounts: { type: "text-list", required: optional } },
  "no-further-correspondence-on-matter": { matter: { type: "text", required } },
  "correspondence-filed-without-acknowledgement": { channel: channel(optional) },
  "discretionary-services-restricted": { services: { type: "text-list", required } },
  "mandatory-service-withdrawn": { service: { type: "text", required } },
  "email-divert": { spocMailbox: { type: "text", required } },
};

/** A restriction the council offers, worded as its policy words it. */
export function offer(
  kind: RestrictionKind,
  label: string,
  options: { permanentAllowed?: boolean; lastResort?: boolean } = {},
): RestrictionOffer {
  return {
    kind,
    label,
    params: RESTRICTION_PARAMS[kind],
    permanentAllowed: options.permanentAllowed ?? false,
    lastResort: options.lastResort ?? false,
  };
}

const ALL_TIERS: RiskLevel[] = [...RISK_LEVELS];

/** Sees entries of every tier (and premises) at `view`. */
export function sees(view: RoleAccess["view"]): RoleAccess {
  return { view, tiers: ALL_TIERS, premises: true, otherwise: view === "minimum" ? "minimum" : "hidden" };
}

/** Sees the named tiers at `view`; anything else at `otherwise`. */
export function seesTiers(view: RoleAccess["view"], tiers: RiskLevel[], otherwise: RoleAccess["otherwise"]): RoleAccess {
  return { view, tiers, premises: true, otherwise };
}

/** No register access: "take care" guidance only, never the history (East Suffolk 3.3). */
export const TAKE_CARE_ONLY: RoleAccess = { view: "minimum", tiers: ALL_TIERS, premises: true, otherwise: "minimum" };

/** Not a lookup role: sees nothing through a lookup (auditors work through the audit log and SAR export). */
export const NO_LOOKUP: RoleAccess = { view: "minimum", tiers: [], premises: false, otherwise: "hidden" };

/** Risk levels with labels and no definitions, for policies that define none. */
export function undefinedRiskLevels(): Record<RiskLevel, { label: string; definition: null }> {
  return {
    low: { label: "Low risk", definition: null },
    medium: { label: "Medium risk", definition: null },
    high: { label: "High risk", definition: null },
  };
}
