// What a letter must contain (Dorset 4.13.1 and 4.13.3, East Suffolk 4.5, West Lindsey 11.4, Tamworth 9): the
// product refuses to issue a letter that lacks a required part.

import type { LetterType, RiskLevel } from "../domain";
import { LETTER_PART_LABELS, type LetterPart, type PolicyProfile } from "../policy/schema";
import { sourceOf } from "../policy/sources";

/** Parts the policy requires in this letter; empty where the policy sets no contents for it. */
export function requiredParts(profile: PolicyProfile, letterType: LetterType): LetterPart[] {
  return [...(profile.letters.types[letterType]?.required ?? [])];
}

/** Required parts missing from a letter that has `presentParts`. Empty means it may be issued. */
export function missingParts(profile: PolicyProfile, letterType: LetterType, presentParts: readonly string[]): LetterPart[] {
  const present = new Set(presentParts);
  return requiredParts(profile, letterType).filter((part) => !present.has(part));
}

export interface LetterRequirements {
  letterType: LetterType;
  /** Whether the policy sets contents for this letter at all. */
  defined: boolean;
  required: { part: LetterPart; label: string }[];
  ifRelevant: { part: LetterPart; label: string }[];
  equalityQuestionnaire: boolean;
  holdAtReception: boolean;
  sender: string | null;
  source?: string;
}

/** A letter type as the letter form shows it (the `types` of GET /api/lifecycle/letters): its requirements and
 * the policy's note on it. The server builds it and the tab reads it, from this one definition. */
export type LetterTypeSummary = Pick<LetterRequirements, "defined" | "required" | "ifRelevant" | "equalityQuestionnaire" | "sender" | "source"> & {
  type: LetterType;
  note?: string;
};

const labelled = (parts: readonly LetterPart[]) => parts.map((part) => ({ part, label: LETTER_PART_LABELS[part] }));

/** Everything the letter needs: parts, whether an Equality and Diversity questionnaire goes with it (Dorset
 * 4.13.1) and whether it is held at reception for a customer with no fixed address (West Lindsey 11.3). */
export function letterRequirements(
  profile: PolicyProfile,
  letterType: LetterType,
  recipient: { noFixedAddress?: boolean } = {},
): LetterRequirements {
  const spec = profile.letters.types[letterType];
  const source = sourceOf(profile, `letters.types.${letterType}`);
  return {
    letterType,
    defined: spec !== null,
    required: labelled(spec?.required ?? []),
    ifRelevant: labelled(spec?.ifRelevant ?? []),
    equalityQuestionnaire: spec?.equalityQuestionnaire === true,
    holdAtReception: recipient.noFixedAddress === true && profile.letters.holdAtReceptionWhenNoFixedAddress === true,
    sender: spec?.sender ?? null,
    ...(source === undefined ? {} : { source }),
  };
}

/** The letter that tells a customer they have been added at this risk level: the legal letter with a cease and
 * desist requirement where the policy says so (Dorset 4.13.3: high risk), otherwise the restriction letter. */
export function additionLetterType(profile: PolicyProfile, riskLevel: RiskLevel): LetterType {
  return profile.letters.legalLetterForRisk?.includes(riskLevel) ? "legal-cease-and-desist" : "restriction";
}
