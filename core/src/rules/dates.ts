// The dates a policy sets: when an entry expires, when it is reviewed, how a new incident moves the review,
// when an appeal must arrive and be decided, when removed details are purged. Every function takes the dates it
// needs (no clock) and returns null where the policy sets no date, never a guess.

import { addPeriod, assertIsoDate, earlierOf, laterOf, type Period } from "../calendar/dates";
import type { IncidentCategory, IsoDate } from "../domain";
import type { ExpiryValue, NewIncidentEffect, PolicyProfile } from "../policy/schema";
import { sourceOf, sourcesOf } from "../policy/sources";

export interface ExpiryRule {
  /** A period, "indefinite" (may stay until the risk ends), or null (the policy sets no expiry). */
  value: ExpiryValue | null;
  /** The profile field it came from, for citing. */
  path: string;
}

/** The expiry rule for an incident category: its own row where the policy has one (East Suffolk 4.5.1),
 * otherwise the profile's default. */
export function expiryRuleFor(profile: PolicyProfile, category?: IncidentCategory): ExpiryRule {
  const own = category === undefined ? undefined : profile.expiry.byCategory[category];
  if (own !== undefined) return { value: own, path: `expiry.byCategory.${category}` };
  return { value: profile.expiry.default, path: "expiry.default" };
}

/** When an entry made on `from` for this category expires; null if indefinite or the policy sets none. */
export function expiryDate(profile: PolicyProfile, from: IsoDate, category?: IncidentCategory): IsoDate | null {
  const { value } = expiryRuleFor(profile, category);
  return value === null || value === "indefinite" ? null : addPeriod(from, value);
}

export interface EntryExpiry {
  /** The latest expiry among the incidents; null if indefinite or none of them has an expiry. */
  expiresOn: IsoDate | null;
  /** An incident's category may stay indefinitely (West Oxfordshire: premises risks). */
  indefinite: boolean;
}

/** An entry covering several incidents lasts as long as its longest-lasting one. */
export function entryExpiry(profile: PolicyProfile, incidents: { category: IncidentCategory; from: IsoDate }[]): EntryExpiry {
  let latest: IsoDate | null = null;
  for (const { category, from } of incidents) {
    const { value } = expiryRuleFor(profile, category);
    if (value === "indefinite") return { expiresOn: null, indefinite: true };
    if (value === null) continue;
    const date = addPeriod(from, value);
    latest = latest === null ? date : laterOf(latest, date);
  }
  return { expiresOn: latest, indefinite: false };
}

/** The first review of an entry decided on `decided`; null where the policy sets no review cycle (Tamworth). */
export function nextReviewDate(profile: PolicyProfile, decided: IsoDate): IsoDate | null {
  const interval = profile.review.interval;
  return interval === null ? null : addPeriod(decided, interval);
}

/** The review date after an extension at review on `reviewedOn`: one extension period (West Lindsey 13.2),
 * else one review interval; null if the policy sets neither. */
export function reviewDateAfterExtension(profile: PolicyProfile, reviewedOn: IsoDate): IsoDate | null {
  const period: Period | null = profile.review.extension ?? profile.review.interval;
  return period === null ? null : addPeriod(reviewedOn, period);
}

export interface ReviewAfterIncident {
  nextReviewOn: IsoDate | null;
  changed: boolean;
  /** The effect applied; null where the policy is silent (the date then stays as it was). */
  effect: NewIncidentEffect | null;
  source?: string;
}

/** How a new incident on `incidentOn` moves an entry's next review (profile `review.afterNewIncident`):
 * reset → one interval after the incident; bring-forward → due on the incident date if that is sooner;
 * none or silent → unchanged. */
export function reviewDateAfterIncident(
  profile: PolicyProfile,
  input: { currentReviewOn: IsoDate | null; incidentOn: IsoDate },
): ReviewAfterIncident {
  const { currentReviewOn, incidentOn } = input;
  const effect = profile.review.afterNewIncident;
  const source = sourceOf(profile, "review.afterNewIncident");
  const result = (next: IsoDate | null): ReviewAfterIncident => ({
    nextReviewOn: next,
    changed: next !== currentReviewOn,
    effect,
    ...(source === undefined ? {} : { source }),
  });
  assertIsoDate(incidentOn);
  if (effect === "reset") return result(nextReviewDate(profile, incidentOn) ?? currentReviewOn);
  if (effect === "bring-forward") return result(currentReviewOn === null ? incidentOn : earlierOf(currentReviewOn, incidentOn));
  return result(currentReviewOn);
}

/** The last day to appeal. The window runs from the day the customer was notified (Dorset 6.1, Tamworth 10) or
 * from the decision (West Oxfordshire, Appeal); with no notification date, the decision date is used. Null where
 * the policy sets no window. */
export function appealDeadline(profile: PolicyProfile, input: { decided: IsoDate; notified?: IsoDate }): IsoDate | null {
  const { window, windowStartsFrom } = profile.appeal;
  if (window === null) return null;
  const start = windowStartsFrom === "notification" ? (input.notified ?? input.decided) : input.decided;
  return addPeriod(start, window);
}

/** The date an appeal received on `received` must be decided by (Tamworth 10: 6 weeks); null if none is set. */
export function appealDecisionDeadline(profile: PolicyProfile, received: IsoDate): IsoDate | null {
  const deadline = profile.appeal.decisionDeadline;
  return deadline === null ? null : addPeriod(received, deadline);
}

/** When details of an entry removed on `removedOn` are deleted (East Suffolk 4.7: after 6 months); null where
 * the policy sets no retention period. */
export function purgeDate(profile: PolicyProfile, removedOn: IsoDate): IsoDate | null {
  const period = profile.retention.afterRemoval;
  return period === null ? null : addPeriod(removedOn, period);
}

export interface ExplainDatesInput {
  decided: IsoDate;
  category?: IncidentCategory;
  notified?: IsoDate;
  appealReceived?: IsoDate;
}

export interface DateExplanation {
  expiresOn: IsoDate | null;
  nextReviewOn: IsoDate | null;
  appealBy: IsoDate | null;
  appealDecisionBy: IsoDate | null;
  /** The policy sections the dates come from, e.g. ["Dorset 4.13.1", "Dorset 5.1", "Dorset 6.1"]. */
  sources: string[];
}

/** Every date the policy sets for one decision, with the sections they come from (`calm policy explain`).
 * Throws InvalidDateError for a date that is not real, CalendarRangeError beyond the bank holiday data. */
export function explainDates(profile: PolicyProfile, input: ExplainDatesInput): DateExplanation {
  const decided = assertIsoDate(input.decided);
  const notified = input.notified === undefined ? undefined : assertIsoDate(input.notified);
  const received = input.appealReceived === undefined ? undefined : assertIsoDate(input.appealReceived);

  const expiry = expiryRuleFor(profile, input.category);
  const expiresOn = expiryDate(profile, decided, input.category);
  const nextReviewOn = nextReviewDate(profile, decided);
  const appealBy = appealDeadline(profile, { decided, ...(notified === undefined ? {} : { notified }) });
  const appealDecisionBy = received === undefined ? null : appealDecisionDeadline(profile, received);

  const used: string[] = [];
  if (expiry.value !== null) used.push(expiry.path);
  if (nextReviewOn !== null) used.push("review.interval");
  if (appealBy !== null) used.push("appeal.window");
  if (appealDecisionBy !== null) used.push("appeal.decisionDeadline");
  return { expiresOn, nextReviewOn, appealBy, appealDecisionBy, sources: sourcesOf(profile, used) };
}
