// The profile in plain English (GOV.UK style), for `calm policy describe` and the tab's Settings page. Each
// line cites the policy section it comes from; where the policy is silent the line says so, with the note.

import { describePeriod, type Period } from "../calendar/dates";
import { INCIDENT_CATEGORIES, type Role } from "../domain";
import type { ExpiryValue, PolicyProfile, RoleAccess, Telling } from "./schema";
import { LETTER_PART_LABELS } from "./schema";
import { noteOf, sourceOf } from "./sources";
import { CATEGORY_NAMES } from "../present/outcomes";

export interface ProfileSection {
  heading: string;
  lines: string[];
}

/** What CALM calls the register where the policy names none. */
export const DEFAULT_REGISTER_NAME = "Customer Alert List";

export function registerName(profile: PolicyProfile): string {
  return profile.register.name ?? DEFAULT_REGISTER_NAME;
}

const ROLE_WORDS: Record<Role, string> = {
  officer: "Staff",
  manager: "Managers",
  "panel-member": "Decision body members",
  chair: "Chairs",
  "register-admin": "Register administrators",
  councillor: "Councillors",
  contractor: "Contractors and partners",
  "appeal-officer": "Appeal officers",
  auditor: "Auditors",
};

const TELLING_WORDS: Record<Telling, string> = {
  never: "is never told",
  "where-possible": "is told where possible",
  "where-appropriate": "is told where appropriate",
  always: "is always told",
};

/** Appends " (Dorset 6.1)" where the field is cited. */
function cited(profile: PolicyProfile, path: string, sentence: string): string {
  const source = sourceOf(profile, path);
  return source === undefined ? sentence : `${sentence} (${source})`;
}

/** For a field the policy leaves unset: the preset's note, which says why, or "The policy does not set …". */
function silent(profile: PolicyProfile, path: string, what: string): string {
  return noteOf(profile, path) ?? `The policy does not set ${what}.`;
}

/** A CALM default rather than a policy rule carries its note instead of a citation. */
function citedOrNoted(profile: PolicyProfile, path: string, sentence: string): string {
  const note = noteOf(profile, path);
  return note === undefined ? cited(profile, path, sentence) : `${sentence} ${note}`;
}

function period(p: Period): string {
  return p.unit === "months" && p.count === 1 ? "1 calendar month" : describePeriod(p);
}

function list(items: string[], conjunction = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

function registerSection(profile: PolicyProfile): ProfileSection {
  const { name, shortName } = profile.register;
  const lines = [
    name === null
      ? `${silent(profile, "register.name", "a name for the register")} CALM calls it the ${DEFAULT_REGISTER_NAME}.`
      : cited(profile, "register.name", `The register is called the ${name}${shortName ? ` (${shortName})` : ""}.`),
    `Policy: ${profile.policy.title}${profile.policy.version ? `, ${profile.policy.version}` : ""}, ${profile.council}.`,
  ];
  if (profile.premises.enabled) {
    const indefinite = profile.premises.indefinite ? " They can stay on the register indefinitely while the risk continues." : "";
    const owner = profile.premises.ownerNotified === false ? " The owner is not told." : "";
    lines.push(cited(profile, "premises.enabled", `Premises and addresses can be added, as well as people.${indefinite}${owner}`));
  } else {
    lines.push(cited(profile, "premises", "Only people are added, not premises."));
  }
  return { heading: "The register", lines };
}

function decisionSection(profile: PolicyProfile): ProfileSection {
  const body = profile.decisionBody;
  const chair = body.members.find((m) => m.chair);
  const lines = [cited(profile, "decisionBody", `${capitalise(body.name)} decides who is added. Members: ${list(body.members.map((m) => m.title))}.`)];
  if (chair) lines.push(cited(profile, "decisionBody", `The ${chair.title} chairs.`));
  if (body.membersMaySendDeputy) lines.push(cited(profile, "decisionBody.membersMaySendDeputy", "A member who cannot attend may send a briefed deputy."));
  if (body.mode === "single-decider") {
    lines.push("One person decides each case, so there is no vote.");
  } else {
    lines.push(body.quorum === null ? silent(profile, "decisionBody.quorum", "a quorum") : cited(profile, "decisionBody.quorum", `At least ${body.quorum} members must vote for a decision to count.`));
    lines.push(body.majority === null ? silent(profile, "decisionBody.majority", "how the decision is reached") : cited(profile, "decisionBody.majority", majorityWords(body.majority)));
    if (body.majority !== null) {
      lines.push(body.tieBreak === "chair-casting-vote" ? cited(profile, "decisionBody.tieBreak", "If the vote is tied, the chair has the casting vote.") : "If the vote is tied, the chair resolves it. The policy gives no casting vote.");
    }
  }
  if (body.conflicts) {
    const absence = body.conflicts.inTheirAbsence ? ` (or ${body.conflicts.inTheirAbsence} in their absence)` : "";
    lines.push(cited(profile, "decisionBody.conflicts", `Members declare any conflict of interest. ${capitalise(body.conflicts.ruledBy)}${absence} decides whether they are excluded.`));
  }
  if (body.complexCasesApprovedBy) lines.push(cited(profile, "decisionBody.complexCasesApprovedBy", `Complex or sensitive cases are approved by ${body.complexCasesApprovedBy}.`));
  if (body.emergency) {
    const deputy = body.emergency.deputy ? ` When the chair is absent, ${body.emergency.deputy} decides.` : "";
    lines.push(cited(profile, "decisionBody.emergency", `In an emergency the chair can add someone at ${list(body.emergency.riskLevels)} risk straight away. The next meeting must ratify it.${deputy}`));
  }
  if (body.recordHealthConsidered) lines.push(cited(profile, "decisionBody.recordHealthConsidered", "The decision record must say whether underlying health issues were considered, and by whom."));
  if (profile.immediateRestriction) {
    const grounds = profile.immediateRestriction.grounds.map((g) => g.description);
    lines.push(cited(profile, "immediateRestriction", `Contact can be restricted at once, without warnings, in these cases: ${grounds.join("; ")}.`));
  }
  return { heading: "Who decides", lines };
}

function majorityWords(majority: NonNullable<PolicyProfile["decisionBody"]["majority"]>): string {
  const base =
    majority.basis === "unanimous"
      ? "A decision needs every vote cast for the same outcome."
      : majority.basis === "eligible-members"
        ? "A decision needs more than half of the members who can vote."
        : "A decision needs a majority of the votes cast.";
  return majority.minimumInFavour === null ? base : `${base} At least ${majority.minimumInFavour} must vote for it.`;
}

function riskSection(profile: PolicyProfile): ProfileSection {
  const defined = Object.values(profile.riskLevels.levels).some((l) => l.definition !== null);
  if (!defined) return { heading: "Risk levels", lines: [silent(profile, "riskLevels", "risk levels")] };
  const lines = Object.values(profile.riskLevels.levels).map((l) => cited(profile, "riskLevels", `${l.label}: ${l.definition ?? "not defined."}`));
  for (const d of profile.riskLevels.guidanceDefinitions ?? []) {
    lines.push(cited(profile, "riskLevels.guidanceDefinitions", `${d.term}: ${d.definition}`));
  }
  return { heading: "Risk levels", lines };
}

function expiryWords(value: ExpiryValue): string {
  return value === "indefinite" ? "can stay indefinitely" : `end after ${period(value)}`;
}

function expirySection(profile: PolicyProfile): ProfileSection {
  const lines: string[] = [];
  const byCategory = INCIDENT_CATEGORIES.flatMap((c) => {
    const value = profile.expiry.byCategory[c];
    return value === undefined ? [] : [{ c, value }];
  });
  for (const { c, value } of byCategory) {
    lines.push(cited(profile, `expiry.byCategory.${c}`, `${CATEGORY_NAMES[c]}: entries ${expiryWords(value)}.`));
  }
  const fallback = profile.expiry.default;
  const others = byCategory.length > 0 ? "Other entries" : "Entries";
  lines.push(fallback === null ? silent(profile, "expiry.default", byCategory.length > 0 ? "an expiry for other incidents" : "a fixed expiry") : cited(profile, "expiry.default", `${others} ${expiryWords(fallback)}.`));
  return { heading: "How long entries last", lines };
}

function reviewSection(profile: PolicyProfile): ProfileSection {
  const r = profile.review;
  if (r.interval === null) return { heading: "Reviews", lines: [silent(profile, "review", "a review cycle")] };
  const by = r.approver ? ` by ${r.approver}` : "";
  const lines = [cited(profile, "review.interval", `Each entry is reviewed every ${period(r.interval)}${by}.`)];
  if (r.extension) lines.push(cited(profile, "review.extension", `An entry can be extended by ${period(r.extension)} at a time.`));
  if (r.afterNewIncident === "reset") lines.push(cited(profile, "review.afterNewIncident", `A new incident restarts the ${period(r.interval)} before the next review.`));
  if (r.afterNewIncident === "bring-forward") lines.push(cited(profile, "review.afterNewIncident", "A new incident brings the review forward."));
  if (r.afterNewIncident === null) lines.push(silent(profile, "review.afterNewIncident", "how a new incident changes the review date"));
  if (r.removeWhenNoNewIncidents === true) lines.push(cited(profile, "review.removeWhenNoNewIncidents", "If there have been no new incidents, the entry is removed at review."));
  if (r.removeWhenNoNewIncidents === false) lines.push(cited(profile, "review.removeWhenNoNewIncidents", "An entry is removed only if behaviour or circumstances have changed significantly."));
  if (r.considerPositiveContact) lines.push(cited(profile, "review.considerPositiveContact", "Positive or neutral contact with the customer counts towards removal."));
  if (r.ongoingCircumstancesNeedJustification) lines.push(cited(profile, "review.ongoingCircumstancesNeedJustification", "For entries kept because of ongoing circumstances, the service that raised them must justify keeping them."));
  lines.push(r.tellCustomerOfRemoval === null ? silent(profile, "review.tellCustomerOfRemoval", "whether the customer is told of removal") : cited(profile, "review.tellCustomerOfRemoval", `The customer ${TELLING_WORDS[r.tellCustomerOfRemoval]} when they are removed.`));
  if (r.tellCustomerOfExtension !== null) lines.push(cited(profile, "review.tellCustomerOfExtension", `The customer ${TELLING_WORDS[r.tellCustomerOfExtension]} when their entry is extended.`));
  return { heading: "Reviews", lines };
}

function warningSection(profile: PolicyProfile): ProfileSection {
  const ladder = profile.warnings;
  if (ladder === null) return { heading: "Warnings", lines: [silent(profile, "warnings", "a warning ladder")] };
  const lines = ladder.steps.map((s, i) => cited(profile, "warnings", `Step ${i + 1}: ${lowerFirst(s.label)}.`));
  const skipTo = ladder.bypassTo === "restriction" ? "go straight to restrictions" : `go straight to step ${ladder.steps.length}`;
  if (ladder.bypassCategories.length > 0) {
    lines.push(cited(profile, "warnings.bypassCategories", `Incidents of ${list(ladder.bypassCategories.map((c) => lowerFirst(CATEGORY_NAMES[c])))} skip the warnings and ${skipTo}.`));
  }
  return { heading: "Warnings", lines };
}

function appealSection(profile: PolicyProfile): ProfileSection {
  const a = profile.appeal;
  if (a.route === "complaints-process") {
    return { heading: "Appeals", lines: [cited(profile, "appeal.route", "There is no separate appeal. A customer who disagrees uses the council's complaints process, then the Ombudsman.")] };
  }
  const lines: string[] = [];
  if (a.window === null) lines.push(silent(profile, "appeal.window", "how long the customer has to appeal"));
  else {
    const from = a.windowStartsFrom === "decision" ? "the decision" : "the day they were told";
    const workingDays = a.window.unit === "working-days" ? " Weekends and bank holidays in England and Wales do not count." : "";
    lines.push(cited(profile, "appeal.window", `The customer can appeal within ${period(a.window)} of ${from}.${workingDays}`));
  }
  if (a.decidedBy.length > 0) lines.push(cited(profile, "appeal.decidedBy", `Appeals are decided by ${list(a.decidedBy, "or")}.`));
  if (a.investigatedBy) lines.push(cited(profile, "appeal.investigatedBy", `${capitalise(a.investigatedBy)} investigates.`));
  if (a.deciderMustNotHaveBeenInvolved !== false) lines.push(cited(profile, "appeal.deciderMustNotHaveBeenInvolved", a.deciderMustNotHaveBeenInvolved ? "Whoever decides must not have been involved in the original decision." : "Whoever decides must not have been involved in the original decision (the policy does not say; CALM keeps to this by default)."));
  if (a.decisionDeadline) lines.push(cited(profile, "appeal.decisionDeadline", `The appeal must be decided within ${period(a.decisionDeadline)} of being received.`));
  if (a.grounds) lines.push(cited(profile, "appeal.grounds", `Grounds: ${list(a.grounds)}.`));
  if (a.entryStaysInForce) lines.push(cited(profile, "appeal.entryStaysInForce", `The entry stays in force until the appeal is decided${a.noteOnEntry ? ", with a note that an appeal is in progress" : ""}.`));
  if (a.ombudsman) lines.push(cited(profile, "appeal.ombudsman", "The customer can then ask the Local Government and Social Care Ombudsman to review it."));
  return { heading: "Appeals", lines };
}

function accessWords(access: RoleAccess): string {
  if (access.tiers.length === 0) return access.otherwise === "hidden" ? "do not see entries through a lookup" : "see \"take care\" guidance only";
  if (access.view === "minimum") return "see \"take care\" guidance only, never the history";
  const what = access.view === "full" ? "the full entry and its history" : "a summary (guidance, restrictions and review date)";
  const tiers = access.tiers.length === 3 ? "at every risk level" : `at ${list(access.tiers)} risk`;
  const other = access.otherwise === "hidden" ? "; other entries are not shown to them" : "; \"take care\" guidance for other entries";
  return `see ${what} ${tiers}${access.tiers.length === 3 ? "" : other}`;
}

function accessSection(profile: PolicyProfile): ProfileSection {
  const a = profile.access;
  const lines = (Object.keys(a.roles) as Role[]).map((role) => citedOrNoted(profile, `access.roles.${role}`, `${ROLE_WORDS[role]} ${accessWords(a.roles[role])}.`));
  lines.push(cited(profile, "access.sensitiveDataRoles", "Health, disability and vulnerability details are seen only by the decision body."));
  if (a.grantedBy) lines.push(cited(profile, "access.grantedBy", `Other access is granted by ${a.grantedBy}${a.grantRecordKept ? ", who keep a record of who has access and why" : ""}.`));
  if (a.gatekeeper) lines.push(cited(profile, "access.gatekeeper", `People without access can ask ${a.gatekeeper} to check for them.`));
  return { heading: "Who can see the register", lines };
}

function restrictionSection(profile: PolicyProfile): ProfileSection {
  const lines = profile.restrictions.catalogue.map((r) => {
    const extra = r.permanentAllowed ? " Can be permanent." : r.lastResort ? " Only as a last resort." : "";
    return cited(profile, `restrictions.catalogue.${r.kind}`, `${r.label}.${extra}`);
  });
  if (profile.restrictions.mayApplyToOneServiceArea) lines.push(cited(profile, "restrictions.mayApplyToOneServiceArea", "A restriction can apply to one service only."));
  if (profile.emailDivert?.wardCouncillorsChoose) lines.push(cited(profile, "emailDivert", "Ward councillors choose whether an email divert applies to their mailbox; the customer is told a divert is in place."));
  return { heading: "Restrictions the council can use", lines };
}

function letterSection(profile: PolicyProfile): ProfileSection {
  const lines: string[] = [];
  for (const [type, spec] of Object.entries(profile.letters.types)) {
    if (spec === null) continue;
    const parts = spec.required.map((p) => LETTER_PART_LABELS[p]).join("; ");
    const maybe = spec.ifRelevant.length > 0 ? ` Where relevant it must also: ${spec.ifRelevant.map((p) => LETTER_PART_LABELS[p]).join("; ")}.` : "";
    const eq = spec.equalityQuestionnaire ? " It goes with an Equality and Diversity questionnaire." : "";
    const from = spec.sender ? ` It is sent by ${spec.sender}.` : "";
    lines.push(cited(profile, `letters.types.${type}`, `The ${type.replace(/-/g, " ")} letter must: ${parts}.${maybe}${eq}${from}`));
  }
  if (profile.letters.legalLetterForRisk) lines.push(cited(profile, "letters.legalLetterForRisk", `At ${list(profile.letters.legalLetterForRisk)} risk the customer gets the legal letter instead of the restriction letter.`));
  if (profile.letters.holdAtReceptionWhenNoFixedAddress) lines.push(cited(profile, "letters.holdAtReceptionWhenNoFixedAddress", "For a customer with no fixed address, the letter is held at reception."));
  if (lines.length === 0) lines.push("The policy does not set what letters must contain.");
  return { heading: "Letters", lines };
}

function recordsSection(profile: PolicyProfile): ProfileSection {
  const lines: string[] = [];
  const retention = profile.retention.afterRemoval;
  lines.push(retention === null ? silent(profile, "retention.afterRemoval", "how long details are kept after removal") : cited(profile, "retention.afterRemoval", `After removal, details are kept for ${period(retention)}, then deleted.`));
  if (profile.markerNotifications) {
    lines.push(cited(profile, "markerNotifications", `Teams that keep their own marker are told when someone is ${list(profile.markerNotifications.events, "or")}.`));
  }
  const { cadence, to } = profile.reporting;
  if (cadence) lines.push(cited(profile, "reporting", `Reports go to ${to ?? "the council"} every ${period(cadence)}.`));
  else if (to) lines.push(cited(profile, "reporting", `Reports go to ${to}.`));
  return { heading: "Records and reporting", lines };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** The profile in plain English, in sections. */
export function describeProfile(profile: PolicyProfile): ProfileSection[] {
  return [
    registerSection(profile),
    decisionSection(profile),
    riskSection(profile),
    expirySection(profile),
    reviewSection(profile),
    warningSection(profile),
    appealSection(profile),
    accessSection(profile),
    restrictionSection(profile),
    letterSection(profile),
    recordsSection(profile),
  ];
}

/** The description as text lines: each heading, then its lines as bullets. */
export function describeProfileText(profile: PolicyProfile): string[] {
  return describeProfile(profile).flatMap((section, i) => [...(i > 0 ? [""] : []), section.heading, ...section.lines.map((l) => `- ${l}`)]);
}
