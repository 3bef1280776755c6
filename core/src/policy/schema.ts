// The policy profile: every rule that differs between councils, as data (DOMAIN.md "Rules that differ by
// council"). Rules in core/src/rules read these fields; nothing anywhere asks which council it is.
//
// Conventions
// - `null` means the council's policy is silent on the point. The preset then says so in `notes` (keyed by the
//   field's path) and the product does not invent a rule: a date comes back as null, a vote asks the chair.
// - `sources` maps a field path ("appeal.window", "expiry.byCategory.physical-assault") to the policy section it
//   comes from ("Dorset 6.1"), so `explain` and the Settings page can cite it. A path with no entry falls back
//   to its nearest parent ("expiry.byCategory" → "expiry"); see sources.ts.
// - Durations are `Period`s: { count, unit } with units days, working-days, weeks, months, years.

import { z } from "zod";
import { PERIOD_UNITS } from "../calendar/dates";
import { pathExists } from "./paths";
import {
  INCIDENT_CATEGORIES,
  LETTER_TYPES,
  RESTRICTION_KINDS,
  RISK_LEVELS,
  ROLES,
  WARNING_STEPS,
} from "../domain";

// ---------------------------------------------------------------------------------------------------------
// Vocabularies the profile uses
// ---------------------------------------------------------------------------------------------------------

/** Parts a letter can be required to contain (Dorset 4.13.1 and 4.13.3, East Suffolk 4.5, West Lindsey 11.4,
 * Tamworth 9). A letter records which parts it has by these ids (domain.ts `Letter.parts`). */
export const LETTER_PARTS = [
  "incident-details",
  "why-unreasonable",
  "examples-of-behaviour",
  "expected-behaviour",
  "cease-request",
  "cease-and-desist",
  "single-point-of-contact",
  "contact-restrictions",
  "service-restrictions",
  "proposed-duration",
  "monitoring-period",
  "breach-consequences",
  "register-entry-and-removal",
  "review-date",
  "review-outcome",
  "appeal-rights",
  "reasonable-adjustments-check",
  "complaints-and-ombudsman",
  "divert-in-place",
  "appeal-outcome",
] as const;
export type LetterPart = (typeof LETTER_PARTS)[number];

/** How each part reads in a checklist ("The letter must …"). */
export const LETTER_PART_LABELS: Readonly<Record<LetterPart, string>> = {
  "incident-details": "describe the incident or incidents: what happened, where, the date and time",
  "why-unreasonable": "explain why the behaviour is considered unreasonable",
  "examples-of-behaviour": "give examples of the behaviour considered unreasonable",
  "expected-behaviour": "set out the behaviour the council expects",
  "cease-request": "ask the customer to stop the behaviour",
  "cease-and-desist": "include a cease and desist requirement",
  "single-point-of-contact": "name the single point of contact (SPOC) and how to reach them",
  "contact-restrictions": "list the restrictions on contact that are in place",
  "service-restrictions": "list any restrictions to the services provided",
  "proposed-duration": "say how long the restrictions are proposed to last",
  "monitoring-period": "say how long behaviour will be monitored, when, how and by whom",
  "breach-consequences": "explain what will happen if the customer does not keep to the restrictions",
  "register-entry-and-removal": "say the customer has been added to the register and when the record will be removed",
  "review-date": "say when the decision will be reviewed",
  "review-outcome": "give the outcome of the review",
  "appeal-rights": "explain the right of appeal, how to appeal and to whom",
  "reasonable-adjustments-check": "ask whether the customer needs reasonable adjustments under the Equality Act 2010",
  "complaints-and-ombudsman": "explain the council's complaints process and the Ombudsman",
  "divert-in-place": "tell the customer their emails are redirected to the single point of contact",
  "appeal-outcome": "give the outcome of the appeal and the reasons",
};

export const TELLING = ["never", "where-possible", "where-appropriate", "always"] as const;
export type Telling = (typeof TELLING)[number];

export const NEW_INCIDENT_EFFECTS = ["reset", "bring-forward", "none"] as const;
/** How a new incident moves an entry's next review date:
 * - `reset`: the review is due one full interval after the new incident;
 * - `bring-forward`: the review is due now (on the incident date), if that is sooner;
 * - `none`: the review date stays where it is. */
export type NewIncidentEffect = (typeof NEW_INCIDENT_EFFECTS)[number];

export const MAJORITY_BASES = ["votes-cast", "eligible-members", "unanimous"] as const;
export type MajorityBasis = (typeof MAJORITY_BASES)[number];

// ---------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------

const text = z.string().trim().min(1, { error: "must not be empty" });
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
  error: "must be lower-case letters, digits and hyphens, e.g. my-council",
});

export const periodSchema = z.strictObject({
  count: z.number().int().min(1),
  unit: z.enum(PERIOD_UNITS),
});

const riskLevel = z.enum(RISK_LEVELS);
const role = z.enum(ROLES);
const incidentCategory = z.enum(INCIDENT_CATEGORIES);
const letterPart = z.enum(LETTER_PARTS);

function uniqueList<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).refine((list) => new Set(list).size === list.length, { error: `must not list the same ${what} twice` });
}

// ---------------------------------------------------------------------------------------------------------
// Sections of the profile
// ---------------------------------------------------------------------------------------------------------

const registerSchema = z.strictObject({
  /** What the council calls its register; null where the policy names none (West Lindsey, Tamworth). */
  name: text.nullable(),
  shortName: text.nullable(),
});

const riskLevelDefinition = z.strictObject({
  label: text,
  /** The policy's definition of the level (Dorset 4.9); null where the policy defines none. */
  definition: text.nullable(),
});

const riskLevelsSchema = z.strictObject({
  levels: z.record(riskLevel, riskLevelDefinition),
  /** Further definitions the policy relies on (Dorset Appendix A: the HSE's violence, aggression, harassment). */
  guidanceDefinitions: z.array(z.strictObject({ term: text, definition: text })).nullable(),
});

const memberSchema = z.strictObject({
  id: slug,
  title: text,
  /** The CALM role the holder of this position uses. */
  role,
  chair: z.boolean(),
});

const majoritySchema = z.strictObject({
  /** `votes-cast`: more than half of the votes cast; `eligible-members`: more than half of the members
   * entitled to vote; `unanimous`: every vote cast for the same outcome. */
  basis: z.enum(MAJORITY_BASES),
  /** A floor on the winning outcome's votes, for a policy that names one; null for none. */
  minimumInFavour: z.number().int().min(1).nullable(),
});

const emergencySchema = z.strictObject({
  /** Risk levels the chair may add at once, before the body meets. */
  riskLevels: uniqueList(riskLevel, "risk level").min(1, { error: "must list at least one risk level" }),
  /** Who acts when the chair is absent; null if nobody may. */
  deputy: text.nullable(),
  /** When the addition must be ratified: at the next meeting of the decision body. */
  ratification: z.literal("next-meeting"),
});

const decisionBodySchema = z
  .strictObject({
    name: text,
    /** `panel`: members vote; `single-decider`: one named officer decides each case. */
    mode: z.enum(["panel", "single-decider"]),
    members: z.array(memberSchema).min(1, { error: "must list at least one member" }),
    /** Whether a member may send a briefed deputy in their place (Dorset 4.4). */
    membersMaySendDeputy: z.boolean().nullable(),
    /** How often the body meets; the latest date an emergency addition can wait for ratification. */
    meetsEvery: periodSchema.nullable(),
    quorum: z.number().int().min(1).nullable(),
    majority: majoritySchema.nullable(),
    /** What breaks a tie. null: the policy says nothing, so a tie goes back to the chair to resolve. */
    tieBreak: z.literal("chair-casting-vote").nullable(),
    /** Who rules whether a member with a conflict of interest is excluded (Dorset 4.5). */
    conflicts: z.strictObject({ ruledBy: text, inTheirAbsence: text.nullable() }).nullable(),
    emergency: emergencySchema.nullable(),
    /** Who approves complex or sensitive cases, where that differs from the usual decider (East Suffolk 3.2). */
    complexCasesApprovedBy: text.nullable(),
    /** Whether the decision record must say underlying health issues were considered, and by whom (Dorset 4.10). */
    recordHealthConsidered: z.boolean().nullable(),
  })
  .superRefine((body, ctx) => {
    const ids = body.members.map((m) => m.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: ["members"], message: "must not list the same member id twice" });
    const chairs = body.members.filter((m) => m.chair).length;
    if (chairs > 1) ctx.addIssue({ code: "custom", path: ["members"], message: "must have at most one chair" });
    if (body.quorum !== null && body.quorum > body.members.length) {
      ctx.addIssue({ code: "custom", path: ["quorum"], message: `is ${body.quorum}, more than the ${body.members.length} members listed` });
    }
    if (body.emergency !== null && chairs === 0) {
      ctx.addIssue({ code: "custom", path: ["emergency"], message: "needs a chair: mark one member with \"chair\": true" });
    }
    if (body.tieBreak === "chair-casting-vote" && chairs === 0) {
      ctx.addIssue({ code: "custom", path: ["tieBreak"], message: "is a chair's casting vote, but no member is marked as chair" });
    }
  });

const immediateRestrictionSchema = z.strictObject({
  /** Grounds on which contact may be restricted at once, without warnings (West Lindsey 12.3). */
  grounds: z.array(z.strictObject({ id: slug, description: text })).min(1, { error: "must list at least one ground" }),
});

const expiryValue = z.union([periodSchema, z.literal("indefinite")], {
  error: 'must be a period such as {"count": 6, "unit": "months"}, or "indefinite"',
});

const expirySchema = z.strictObject({
  /** Expiry for any category not listed below; null where the policy sets none. */
  default: expiryValue.nullable(),
  byCategory: z.partialRecord(incidentCategory, expiryValue),
});

const reviewSchema = z.strictObject({
  interval: periodSchema.nullable(),
  approver: text.nullable(),
  /** How long one extension lasts (West Lindsey 13.2). */
  extension: periodSchema.nullable(),
  afterNewIncident: z.enum(NEW_INCIDENT_EFFECTS).nullable(),
  /** The entry is removed at review when no new incident has been reported (East Suffolk 4.2, 4.7). */
  removeWhenNoNewIncidents: z.boolean().nullable(),
  /** Positive or neutral contact counts towards removal (East Suffolk 4.7). */
  considerPositiveContact: z.boolean().nullable(),
  /** Entries kept for ongoing circumstances need the raising service's justification (East Suffolk 4.7). */
  ongoingCircumstancesNeedJustification: z.boolean().nullable(),
  tellCustomerOfRemoval: z.enum(TELLING).nullable(),
  tellCustomerOfExtension: z.enum(TELLING).nullable(),
});

const warningStepSchema = z.strictObject({
  step: z.enum(WARNING_STEPS),
  label: text,
  withRestrictions: z.boolean(),
});

const warningsSchema = z
  .strictObject({
    steps: z.array(warningStepSchema).min(1, { error: "must list at least one warning step" }),
    /** Categories that skip the warnings (violence or serious threats). */
    bypassCategories: uniqueList(incidentCategory, "category"),
    /** Where a bypass lands: the last warning step (West Oxfordshire step 3) or straight to restrictions. */
    bypassTo: z.enum(["last-step", "restriction"]),
  })
  .superRefine((ladder, ctx) => {
    const order = ladder.steps.map((s) => WARNING_STEPS.indexOf(s.step));
    if (order.some((v, i) => i > 0 && v <= (order[i - 1] ?? -1))) {
      ctx.addIssue({ code: "custom", path: ["steps"], message: `must be in the order ${WARNING_STEPS.join(", ")}, each at most once` });
    }
  });

const appealSchema = z.strictObject({
  /** `appeal`: a right of appeal against the decision; `complaints-process`: challenges go through the
   * council's complaints process, then the Ombudsman (West Lindsey 11.4, 17). */
  route: z.enum(["appeal", "complaints-process"]),
  window: periodSchema.nullable(),
  windowStartsFrom: z.enum(["notification", "decision"]).nullable(),
  /** How long the council has to decide, from the day the appeal is received (Tamworth 10: 6 weeks). */
  decisionDeadline: periodSchema.nullable(),
  decidedBy: z.array(text),
  investigatedBy: text.nullable(),
  /** The decider must not have been involved in the original decision (West Oxfordshire, Appeal). */
  deciderMustNotHaveBeenInvolved: z.boolean().nullable(),
  grounds: z.array(text).nullable(),
  entryStaysInForce: z.boolean().nullable(),
  noteOnEntry: z.boolean().nullable(),
  /** External review by the Local Government and Social Care Ombudsman may follow. */
  ombudsman: z.boolean().nullable(),
});

const VIEWS = ["full", "summary", "minimum"] as const;

const roleAccessSchema = z.strictObject({
  /** What the role sees of an entry in a tier it is granted. */
  view: z.enum(VIEWS),
  tiers: uniqueList(riskLevel, "risk level"),
  /** Whether the grant covers premises entries as well as people. */
  premises: z.boolean(),
  /** What the role sees of any other entry: `minimum` ("take care" guidance) or `hidden` (nothing at all). */
  otherwise: z.enum(["minimum", "hidden"]),
});

const accessSchema = z.strictObject({
  /** Default access per CALM role; every role must be listed so nothing is implied. */
  roles: z.record(role, roleAccessSchema),
  /** The view an individual access grant (domain.ts AccessGrant) gives for the tiers it names. */
  grantView: z.enum(["full", "summary"]),
  /** Roles that may see special-category data (health, disability, vulnerability): the decision body only. */
  sensitiveDataRoles: uniqueList(role, "role").min(1, { error: "must list at least one role" }),
  grantedBy: text.nullable(),
  /** A record of who has access and why is kept (Dorset 7.2). */
  grantRecordKept: z.boolean().nullable(),
  /** Who checks the register for people without access (East Suffolk 3.3.1: Democratic Services). */
  gatekeeper: text.nullable(),
});

const paramSpecSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("integer"), required: z.boolean(), min: z.number().int().nullable() }),
  z.strictObject({ type: z.literal("text"), required: z.boolean() }),
  z.strictObject({ type: z.literal("text-list"), required: z.boolean() }),
  z.strictObject({ type: z.literal("boolean"), required: z.boolean() }),
  z.strictObject({ type: z.literal("choice"), required: z.boolean(), values: z.array(text).min(1) }),
  z.strictObject({ type: z.literal("choice-list"), required: z.boolean(), values: z.array(text).min(1) }),
]);
export type ParamSpec = z.infer<typeof paramSpecSchema>;

const restrictionOfferSchema = z.strictObject({
  kind: z.enum(RESTRICTION_KINDS),
  /** How the restriction is worded in the council's policy. */
  label: text,
  params: z.record(z.string().regex(/^[a-z][a-zA-Z]*$/, { error: "parameter names are camelCase words" }), paramSpecSchema),
  /** May be imposed without an end date (Tamworth 8: exclusions permanent in extreme cases). */
  permanentAllowed: z.boolean(),
  /** Only as a last resort (West Lindsey 15.4: withdrawing a mandatory service). */
  lastResort: z.boolean(),
});

const restrictionsSchema = z.strictObject({
  catalogue: z.array(restrictionOfferSchema).refine((list) => new Set(list.map((r) => r.kind)).size === list.length, {
    error: "must not offer the same restriction kind twice",
  }),
  /** Restrictions may apply to one service area only (East Suffolk 4.5). */
  mayApplyToOneServiceArea: z.boolean().nullable(),
});

const letterSpecSchema = z.strictObject({
  required: uniqueList(letterPart, "part"),
  /** Parts the policy asks for "if relevant" (Dorset 4.13.1: "a SPOC (if relevant)"). */
  ifRelevant: uniqueList(letterPart, "part"),
  /** Sent with an Equality and Diversity questionnaire (Dorset 4.13.1). */
  equalityQuestionnaire: z.boolean().nullable(),
  sender: text.nullable(),
});

const lettersSchema = z.strictObject({
  /** Per letter type; null where the policy sets no contents for that letter. */
  types: z.record(z.enum(LETTER_TYPES), letterSpecSchema.nullable()),
  /** For a customer with no fixed address the letter is held at reception (West Lindsey 11.3). */
  holdAtReceptionWhenNoFixedAddress: z.boolean().nullable(),
  /** Risk levels that get the legal letter instead of the restriction letter (Dorset 4.13.3: high). */
  legalLetterForRisk: uniqueList(riskLevel, "risk level").nullable(),
});

const premisesSchema = z.strictObject({
  /** Whether premises/addresses can be entered on the register (West Oxfordshire "Premise Risk"). */
  enabled: z.boolean(),
  indefinite: z.boolean().nullable(),
  ownerNotified: z.boolean().nullable(),
});

const markerNotificationsSchema = z.strictObject({
  /** Teams that keep their own marker are told when a subject is added or removed (East Suffolk 3.1). */
  events: uniqueList(z.enum(["added", "removed"]), "event").min(1),
  /** Markers must be removable without trace (East Suffolk 3.1). */
  markersMustBeRemovable: z.boolean(),
});

const emailDivertSchema = z.strictObject({
  /** Ward councillors choose whether the divert applies to their mailbox (Dorset 4.12). */
  wardCouncillorsChoose: z.boolean().nullable(),
  customerTold: z.boolean().nullable(),
});

const incidentReportsSchema = z.strictObject({
  /** Categories where one report may cover many contacts (East Suffolk 4.2: unreasonably persistent contact);
   * null where the policy is silent, so each incident is its own report. */
  multiContactCategories: uniqueList(incidentCategory, "category").nullable(),
});

const reportingSchema = z.strictObject({
  cadence: periodSchema.nullable(),
  to: text.nullable(),
});

// ---------------------------------------------------------------------------------------------------------
// The profile
// ---------------------------------------------------------------------------------------------------------

export const policyProfileSchema = z.strictObject({
  id: slug,
  council: text,
  /** How sources are cited, e.g. "Dorset" in "Dorset 6.1". */
  citeAs: text,
  policy: z.strictObject({ title: text, version: text.nullable() }),
  register: registerSchema,
  decisionBody: decisionBodySchema,
  riskLevels: riskLevelsSchema,
  expiry: expirySchema,
  review: reviewSchema,
  warnings: warningsSchema.nullable(),
  immediateRestriction: immediateRestrictionSchema.nullable(),
  appeal: appealSchema,
  retention: z.strictObject({ afterRemoval: periodSchema.nullable() }),
  access: accessSchema,
  restrictions: restrictionsSchema,
  letters: lettersSchema,
  premises: premisesSchema,
  markerNotifications: markerNotificationsSchema.nullable(),
  emailDivert: emailDivertSchema.nullable(),
  reporting: reportingSchema,
  /** How incidents are reported. Optional in a council's own file (older files leave it out). */
  incidentReports: incidentReportsSchema.default({ multiContactCategories: null }),
  /** Field path → policy section, e.g. { "appeal.window": "Dorset 6.1" }. */
  sources: z.record(z.string(), text),
  /** Field path → a plain note: why a field is null (the policy is silent) or how a passage was read. */
  notes: z.record(z.string(), text),
}).superRefine((profile, ctx) => {
  // A citation or note must point at a real field, so a typo cannot leave a rule silently uncited.
  for (const map of ["sources", "notes"] as const) {
    for (const path of Object.keys(profile[map])) {
      if (!pathExists(profile, path)) {
        ctx.addIssue({ code: "custom", path: [map, path], message: `names "${path}", which is not a field of the profile` });
      }
    }
  }
});

export type PolicyProfile = z.infer<typeof policyProfileSchema>;
export type PolicyProfileInput = z.input<typeof policyProfileSchema>;
export type DecisionBody = PolicyProfile["decisionBody"];
export type DecisionBodyMember = DecisionBody["members"][number];
export type ExpiryValue = z.infer<typeof expiryValue>;
export type RoleAccess = z.infer<typeof roleAccessSchema>;
export type RestrictionOffer = z.infer<typeof restrictionOfferSchema>;
export type LetterSpec = z.infer<typeof letterSpecSchema>;
export type WarningLadder = NonNullable<PolicyProfile["warnings"]>;
