// Every profile field with what it means, and each profile's value of it in short words with its source: the
// comparison table in docs/policy.md (`calm policy fields` prints it) and, later, the Settings page.

import { describePeriod, type Period } from "../calendar/dates";
import type { PolicyProfile } from "./schema";
import { sourceOf } from "./sources";
import { valueAtPath } from "./paths";

export interface FieldDoc {
  path: string;
  meaning: string;
}

export const PROFILE_FIELDS: readonly FieldDoc[] = [
  { path: "register.name", meaning: "What the council calls its register (null: CALM says \"Customer Alert List\")" },
  { path: "register.shortName", meaning: "Its abbreviation" },
  { path: "decisionBody.name", meaning: "Who decides additions" },
  { path: "decisionBody.mode", meaning: "`panel` (members vote) or `single-decider` (one officer decides)" },
  { path: "decisionBody.members", meaning: "Positions on the decision body (chair marked)" },
  { path: "decisionBody.membersMaySendDeputy", meaning: "A member may send a briefed deputy" },
  { path: "decisionBody.meetsEvery", meaning: "Meeting cycle; the latest an emergency addition waits for ratification" },
  { path: "decisionBody.quorum", meaning: "Votes needed for a decision to count" },
  { path: "decisionBody.majority", meaning: "Majority rule: of votes cast, of eligible members, or unanimous; optional minimum in favour" },
  { path: "decisionBody.tieBreak", meaning: "What breaks a tie (null: back to the chair, code TIE)" },
  { path: "decisionBody.conflicts", meaning: "Who rules on excluding a member with a conflict of interest" },
  { path: "decisionBody.emergency", meaning: "Chair's emergency addition: risk levels, deputy, ratification" },
  { path: "decisionBody.complexCasesApprovedBy", meaning: "Separate approver for complex or sensitive cases" },
  { path: "decisionBody.recordHealthConsidered", meaning: "Decision record must say health issues were considered, and by whom" },
  { path: "riskLevels.levels", meaning: "Low / medium / high labels and the policy's definitions" },
  { path: "riskLevels.guidanceDefinitions", meaning: "Further definitions relied on (HSE)" },
  { path: "expiry.default", meaning: "How long an entry lasts (a period, `indefinite`, or null: no fixed expiry)" },
  { path: "expiry.byCategory", meaning: "Expiry per incident category, overriding the default" },
  { path: "review.interval", meaning: "Review cycle" },
  { path: "review.approver", meaning: "Who approves review outcomes" },
  { path: "review.extension", meaning: "Length of one extension" },
  { path: "review.afterNewIncident", meaning: "How a new incident moves the review: `reset`, `bring-forward`, `none`" },
  { path: "review.removeWhenNoNewIncidents", meaning: "Removed at review if there were no new incidents" },
  { path: "review.considerPositiveContact", meaning: "Positive or neutral contact counts towards removal" },
  { path: "review.ongoingCircumstancesNeedJustification", meaning: "Entries for ongoing circumstances need the service's justification" },
  { path: "review.tellCustomerOfRemoval", meaning: "Whether the customer is told of removal" },
  { path: "review.tellCustomerOfExtension", meaning: "Whether the customer is told of an extension" },
  { path: "warnings.steps", meaning: "Warning ladder, in order (null: no ladder)" },
  { path: "warnings.bypassCategories", meaning: "Incident categories that skip the warnings" },
  { path: "warnings.bypassTo", meaning: "Where a bypass lands: the last step or straight to restrictions" },
  { path: "immediateRestriction.grounds", meaning: "Grounds for restricting at once without warnings" },
  { path: "appeal.route", meaning: "`appeal`, or `complaints-process` (then the Ombudsman)" },
  { path: "appeal.window", meaning: "Time to appeal (working days skip weekends and England and Wales bank holidays)" },
  { path: "appeal.windowStartsFrom", meaning: "Window runs from the notification or the decision" },
  { path: "appeal.decisionDeadline", meaning: "Time to decide, from the day the appeal is received" },
  { path: "appeal.decidedBy", meaning: "Who decides appeals" },
  { path: "appeal.investigatedBy", meaning: "Who investigates, where separate" },
  { path: "appeal.deciderMustNotHaveBeenInvolved", meaning: "The decider must not have been involved in the original decision (not set: CALM enforces it anyway; only false allows it)" },
  { path: "appeal.grounds", meaning: "Grounds of appeal" },
  { path: "appeal.entryStaysInForce", meaning: "The entry stays in force during an appeal" },
  { path: "appeal.noteOnEntry", meaning: "\"Appeal in progress\" note on the entry" },
  { path: "appeal.ombudsman", meaning: "External review by the Local Government and Social Care Ombudsman" },
  { path: "retention.afterRemoval", meaning: "How long details are kept after removal, then deleted" },
  { path: "access.roles", meaning: "Per CALM role: view (full/summary/minimum) for granted tiers, and what other entries show (minimum or hidden)" },
  { path: "access.grantView", meaning: "The view an individual access grant gives" },
  { path: "access.sensitiveDataRoles", meaning: "Roles that see health, disability and vulnerability details" },
  { path: "access.grantedBy", meaning: "Who grants access" },
  { path: "access.grantRecordKept", meaning: "A record of who has access, and why, is kept" },
  { path: "access.gatekeeper", meaning: "Who checks for people without access" },
  { path: "restrictions.catalogue", meaning: "Restriction kinds offered (each with its parameter shape)" },
  { path: "restrictions.mayApplyToOneServiceArea", meaning: "A restriction may apply to one service only" },
  { path: "letters.types.warning", meaning: "Required parts of the warning letter" },
  { path: "letters.types.restriction", meaning: "Required parts of the restriction letter" },
  { path: "letters.types.legal-cease-and-desist", meaning: "Required parts of the legal letter" },
  { path: "letters.types.review-outcome", meaning: "Required parts of the review outcome letter" },
  { path: "letters.types.appeal-outcome", meaning: "Required parts of the appeal outcome letter" },
  { path: "letters.types.divert-notice", meaning: "Required parts of the divert notice" },
  { path: "letters.holdAtReceptionWhenNoFixedAddress", meaning: "Letters held at reception for a customer with no fixed address" },
  { path: "letters.legalLetterForRisk", meaning: "Risk levels that get the legal letter" },
  { path: "premises.enabled", meaning: "Premises can be entered on the register" },
  { path: "premises.indefinite", meaning: "Premises entries may be indefinite" },
  { path: "premises.ownerNotified", meaning: "The owner of premises is told" },
  { path: "markerNotifications", meaning: "Teams with their own markers are notified on add/remove" },
  { path: "emailDivert", meaning: "Email divert to the SPOC: ward councillors choose; customer told" },
  { path: "reporting.cadence", meaning: "Reporting cycle" },
  { path: "reporting.to", meaning: "Who receives reports" },
  { path: "incidentReports.multiContactCategories", meaning: "Incident categories where one report may cover many contacts (not set: one report per incident)" },
];

function isPeriod(value: unknown): value is Period {
  return typeof value === "object" && value !== null && "count" in value && "unit" in value;
}

function short(value: unknown): string {
  if (value === null || value === undefined) return "not set";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  if (isPeriod(value)) return describePeriod(value);
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(shortItem).join(", ");
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k}: ${short(v)}`).join("; ");
}

function shortItem(item: unknown): string {
  if (typeof item !== "object" || item === null) return short(item);
  const record = item as Record<string, unknown>;
  if (typeof record.kind === "string") return record.kind;
  if (typeof record.step === "string") return record.step;
  if (typeof record.title === "string") return record.chair === true ? `${record.title} (chair)` : record.title;
  if (typeof record.id === "string") return record.id;
  if (typeof record.term === "string") return record.term;
  return short(item);
}

function fieldValue(profile: PolicyProfile, path: string): string {
  if (path === "access.roles") {
    return Object.entries(profile.access.roles)
      .map(([role, a]) => `${role}: ${a.tiers.length === 0 ? a.otherwise : `${a.view}${a.tiers.length < 3 ? ` (${a.tiers.join("/")}; else ${a.otherwise})` : ""}`}`)
      .join("; ");
  }
  if (path === "riskLevels.levels") {
    const defined = Object.values(profile.riskLevels.levels).some((l) => l.definition !== null);
    return defined ? "defined" : "not defined";
  }
  if (path.startsWith("letters.types.")) {
    const spec = valueAtPath(profile, path) as PolicyProfile["letters"]["types"]["warning"];
    if (spec === null) return "not set";
    const extra = spec.ifRelevant.length > 0 ? `; if relevant: ${spec.ifRelevant.join(", ")}` : "";
    return `${spec.required.join(", ")}${extra}${spec.equalityQuestionnaire ? "; with E&D questionnaire" : ""}`;
  }
  const parent = path.split(".")[0]!;
  if (valueAtPath(profile, parent) === null) return "not set";
  return short(valueAtPath(profile, path));
}

/** A profile's value of a field in short words, with the section it comes from. */
export function fieldSummary(profile: PolicyProfile, path: string): string {
  const value = fieldValue(profile, path);
  const source = value === "not set" ? undefined : sourceOf(profile, path);
  if (source === undefined) return value;
  const section = source.startsWith(profile.citeAs) ? source.slice(profile.citeAs.length).replace(/^,?\s*/, "") : source;
  return `${value} (§${section})`;
}

/** The comparison table as Markdown: one row per field, one column per profile. */
export function profileFieldTable(profiles: readonly PolicyProfile[]): string[] {
  const escape = (s: string) => s.replace(/\|/g, "\\|");
  const header = `| Field | Meaning | ${profiles.map((p) => p.citeAs).join(" | ")} |`;
  const rule = `|---|---|${profiles.map(() => "---").join("|")}|`;
  const rows = PROFILE_FIELDS.map((f) => `| \`${f.path}\` | ${escape(f.meaning)} | ${profiles.map((p) => escape(fieldSummary(p, f.path))).join(" | ")} |`);
  return [header, rule, ...rows];
}
