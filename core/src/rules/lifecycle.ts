// What happens after someone is listed (issue 7): what a review should conclude, the dates an outcome sets,
// whether the customer is told, whether an appeal arrived in time, when an entry has run its course, and when
// an appeal needs a reminder. Pure: dates come in as arguments; where the policy is silent the answer says so
// instead of inventing a rule.

import { addDays, addPeriod, compareIsoDates, describePeriod, laterOf } from "../calendar/dates";
import type { IsoDate, ReviewOutcome } from "../domain";
import type { PolicyProfile, Telling } from "../policy/schema";
import { sourceOf, sourcesOf } from "../policy/sources";
import { appealDeadline, nextReviewDate, reviewDateAfterExtension } from "./dates";

export interface ReviewEvidence {
  /** Incidents reported since the entry was made or last reviewed. */
  newIncidents: number;
  /** Contacts logged as breaching a restriction in the same period. */
  breaches: number;
  /** Positive or neutral contacts logged (East Suffolk 4.7). */
  positiveContacts: number;
  /** The entry was made for ongoing personal circumstances. */
  ongoingCircumstances: boolean;
  /** The raising service's justification for keeping it, if given. */
  serviceJustification?: string;
}

export interface ReviewSuggestion {
  /** `keep`: the policy gives no rule that points either way; the approver decides. */
  outcome: "remove" | "extend" | "keep";
  reasons: string[];
  sources: string[];
  /** East Suffolk 4.7: an entry kept for ongoing circumstances needs the raising service's justification. */
  needsJustification: boolean;
}

/** What the review should conclude on the evidence, as the policy reads (Dorset 4.13.1, East Suffolk 4.2 and
 * 4.7, West Lindsey 13.1, West Oxfordshire Monitoring and Review). A suggestion only: the approver decides. */
export function suggestReviewOutcome(profile: PolicyProfile, evidence: ReviewEvidence): ReviewSuggestion {
  const review = profile.review;
  const sources = sourcesOf(profile, ["review.removeWhenNoNewIncidents", "review.considerPositiveContact", "review.ongoingCircumstancesNeedJustification"]);
  const reasons: string[] = [];
  const repeat = evidence.newIncidents + evidence.breaches;
  const needsJustification = evidence.ongoingCircumstances && review.ongoingCircumstancesNeedJustification === true;
  const justified = (evidence.serviceJustification ?? "").trim().length > 0;

  if (repeat > 0) {
    if (evidence.newIncidents > 0) reasons.push(`${evidence.newIncidents} new incident${evidence.newIncidents === 1 ? "" : "s"} since the last decision.`);
    if (evidence.breaches > 0) reasons.push(`${evidence.breaches} contact${evidence.breaches === 1 ? "" : "s"} breached a restriction.`);
    if (needsJustification && !justified) reasons.push("The raising service has not yet justified keeping an entry for ongoing circumstances.");
    return { outcome: "extend", reasons, sources, needsJustification };
  }
  reasons.push("No new incidents and no breaches since the last decision.");
  if (review.considerPositiveContact === true && evidence.positiveContacts > 0) {
    reasons.push(`${evidence.positiveContacts} positive or neutral contact${evidence.positiveContacts === 1 ? "" : "s"} logged, which count towards removal.`);
  }
  if (needsJustification) {
    if (justified) {
      reasons.push("The raising service has justified keeping the entry for ongoing circumstances.");
      return { outcome: "extend", reasons, sources, needsJustification };
    }
    reasons.push("Kept for ongoing circumstances without the raising service's justification, so it should come off.");
    return { outcome: "remove", reasons, sources, needsJustification };
  }
  if (review.removeWhenNoNewIncidents === true) {
    reasons.push("The policy removes an entry when there has been no repeat behaviour.");
    return { outcome: "remove", reasons, sources, needsJustification };
  }
  if (review.removeWhenNoNewIncidents === false) {
    reasons.push("The policy keeps restrictions until there is a significant change in behaviour or circumstances.");
    return { outcome: "keep", reasons, sources, needsJustification };
  }
  reasons.push("The policy does not say what a review without new incidents concludes; the approver decides.");
  return { outcome: "keep", reasons, sources, needsJustification };
}

export interface OutcomeDates {
  nextReviewOn: IsoDate | null;
  /** Unchanged for `vary` (unless the expiry would fall before the next review); null where indefinite. */
  expiresOn: IsoDate | null;
}

/** The entry's dates after a review outcome decided on `reviewedOn`:
 * - extend: the next review one extension period later (West Lindsey 13.2: a further 3 months; Dorset 4.2:
 *   twelve-monthly renewals), else one review interval; the expiry moves with it;
 * - vary: the next review one interval later; the expiry stays, but never before that review;
 * - remove: nothing further. */
export function datesAfterReview(
  profile: PolicyProfile,
  input: { outcome: ReviewOutcome; reviewedOn: IsoDate; expiresOn?: IsoDate },
): OutcomeDates {
  if (input.outcome === "remove") return { nextReviewOn: null, expiresOn: null };
  const next = input.outcome === "extend" ? reviewDateAfterExtension(profile, input.reviewedOn) : nextReviewDate(profile, input.reviewedOn);
  if (input.expiresOn === undefined) return { nextReviewOn: next, expiresOn: null };
  // No review cycle (Tamworth): the expiry stays; the decision maker sets a new one by varying the entry.
  if (next === null) return { nextReviewOn: null, expiresOn: input.expiresOn };
  // An entry kept at review must not lapse before its next review.
  return { nextReviewOn: next, expiresOn: laterOf(input.expiresOn, next) };
}

export interface ReviewTelling {
  telling: Telling | null;
  /** Whether a letter may go: false only where the policy says never (Dorset 5.1). */
  mayTell: boolean;
  source?: string;
}

/** Whether the customer is told of a review outcome (Dorset 5.1: never of removal; West Lindsey 13.1-13.2:
 * where possible; West Oxfordshire: where appropriate). */
export function tellingForReview(profile: PolicyProfile, outcome: ReviewOutcome): ReviewTelling {
  const path = outcome === "remove" ? "review.tellCustomerOfRemoval" : "review.tellCustomerOfExtension";
  const telling = outcome === "remove" ? profile.review.tellCustomerOfRemoval : profile.review.tellCustomerOfExtension;
  const source = sourceOf(profile, path);
  return { telling, mayTell: telling !== "never", ...(source === undefined ? {} : { source }) };
}

export interface AppealTiming {
  /** The last day to appeal; null where the policy sets no window (East Suffolk: in appendices not published). */
  windowEndsOn: IsoDate | null;
  /** Null where there is no window to be in or out of. */
  inTime: boolean | null;
  windowText: string | null;
  source?: string;
}

/** Whether an appeal received on `received` is within the policy's window (Dorset 6.1: 28 working days of the
 * notification; West Oxfordshire: one month of the decision; Tamworth 10: one calendar month of notification). */
export function appealTiming(profile: PolicyProfile, input: { decided: IsoDate; notified?: IsoDate; received: IsoDate }): AppealTiming {
  const windowEndsOn = appealDeadline(profile, input.notified === undefined ? { decided: input.decided } : { decided: input.decided, notified: input.notified });
  const window = profile.appeal.window;
  const from = profile.appeal.windowStartsFrom === "notification" ? "the notification" : "the decision";
  const source = sourceOf(profile, "appeal.window");
  return {
    windowEndsOn,
    inTime: windowEndsOn === null ? null : compareIsoDates(input.received, windowEndsOn) <= 0,
    windowText: window === null ? null : `within ${describePeriod(window)} of ${from}`,
    ...(source === undefined ? {} : { source }),
  };
}

/** Reminders before an appeal's decision deadline: a week before, the day before, and once it has passed. CALM's
 * own cadence: the policies set the deadline (Tamworth 10), not the reminders. */
export function appealRemindersDue(input: { decisionDueOn: IsoDate | null; today: IsoDate; sent: readonly string[] }): ("week-before" | "day-before" | "overdue")[] {
  if (input.decisionDueOn === null) return [];
  const due = input.decisionDueOn;
  const marks: { key: "week-before" | "day-before" | "overdue"; on: IsoDate }[] = [
    { key: "week-before", on: addDays(due, -7) },
    { key: "day-before", on: addDays(due, -1) },
    { key: "overdue", on: addDays(due, 1) },
  ];
  // Only the latest mark reached is sent: a server that was down for a fortnight sends "overdue", not all three.
  const reached = marks.filter((m) => compareIsoDates(input.today, m.on) >= 0);
  const latest = reached[reached.length - 1];
  return latest === undefined || input.sent.includes(latest.key) ? [] : [latest.key];
}

/** Whether an entry has run its course: its expiry has passed and there has been no repeat behaviour since it
 * was made or last reviewed (Dorset 4.13.1, East Suffolk 4.5.1, West Lindsey 13.1). */
export function expiryOutcome(input: { expiresOn?: IsoDate; today: IsoDate; repeatBehaviour: boolean }): "not-yet" | "remove" | "hold-for-review" {
  if (input.expiresOn === undefined || compareIsoDates(input.today, input.expiresOn) < 0) return "not-yet";
  return input.repeatBehaviour ? "hold-for-review" : "remove";
}

/** The period a review outcome runs for, in words, for letters ("3 months"). */
export function reviewCycleText(profile: PolicyProfile): string | null {
  return profile.review.interval === null ? null : describePeriod(profile.review.interval);
}

/** Who approves review outcomes: the body the policy names, else the decision body (`review.approver`). */
export function reviewApprover(profile: PolicyProfile): string {
  return profile.review.approver ?? profile.decisionBody.name;
}

/** When a report period ends: quarters by default (Tamworth: quarterly to the Leadership Team), or the
 * profile's cadence. Returns the first day after the period starting `from`. */
export function reportPeriodEnd(profile: PolicyProfile, from: IsoDate): IsoDate {
  return addPeriod(from, profile.reporting.cadence ?? { count: 3, unit: "months" });
}
