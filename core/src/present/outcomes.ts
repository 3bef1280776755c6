// The words for decision outcomes and incident vocabularies, shared by the bot's cards, the tab and the add-in
// (EXPERIENCE.md "Cards": a button says the action, "Vote: add at medium risk").
import type { ContactChannel, DecisionOutcome, ImmediateAction, IncidentCategory } from "../domain";

/** What an outcome does, as a short phrase that reads after "Vote: " and on its own. */
export const OUTCOME_LABELS: Readonly<Record<DecisionOutcome, string>> = {
  "add-low": "Add at low risk",
  "add-medium": "Add at medium risk",
  "add-high": "Add at high risk",
  "warning-letter": "Warning letter only",
  // Dorset 4.11: a SPOC can be put in place without a finding of unreasonable behaviour.
  "spoc-only": "Single point of contact (SPOC) only",
  "no-action": "No action",
};

/** What a vote button says (one job per button: "Vote: add at medium risk"). */
export const VOTE_BUTTON_TEXT: Readonly<Record<DecisionOutcome, string>> = {
  "add-low": "Vote: add at low risk",
  "add-medium": "Vote: add at medium risk",
  "add-high": "Vote: add at high risk",
  "warning-letter": "Vote: warning letter only",
  "spoc-only": "Vote: SPOC only",
  "no-action": "Vote: no action",
};

/** A category's name, for lists, reports and the policy's own words ("Verbal abuse: entries expire after…"). */
export const CATEGORY_NAMES: Readonly<Record<IncidentCategory, string>> = {
  "warning-letter": "Warning letter",
  "unreasonably-persistent-contact": "Unreasonably persistent contact",
  "ongoing-personal-circumstances": "Ongoing personal circumstances",
  "verbal-abuse": "Verbal abuse",
  "verbal-threat": "Verbal threat",
  "physical-violence-no-injury": "Physical violence without injury",
  "physical-assault": "Physical assault",
  "hate-incident": "Hate incident",
  "staff-details-published": "Publishing staff details online",
  "recording-misuse": "Misuse of recordings",
  "premises-risk": "Premises risk",
};

/** A category said in full, where it stands alone in a sentence or on a card: its name, said longer where the
 * name alone would not be clear. */
export const CATEGORY_LABELS: Readonly<Record<IncidentCategory, string>> = {
  ...CATEGORY_NAMES,
  "warning-letter": "Behaviour that needs a warning letter",
  "ongoing-personal-circumstances": "Ongoing personal circumstances posing a risk",
  "premises-risk": "Risk at an address (premises)",
};

export const CHANNEL_LABELS: Readonly<Record<ContactChannel, string>> = {
  phone: "Phone",
  email: "Email",
  "face-to-face": "Face to face",
  letter: "Letter",
  "online-form": "Online form",
  "social-media": "Social media",
  "home-visit": "Home visit",
};

export const IMMEDIATE_ACTION_LABELS: Readonly<Record<ImmediateAction, string>> = {
  none: "None",
  "call-ended": "Ended the call",
  "asked-to-leave": "Asked them to leave",
  "meeting-ended": "Ended the meeting",
  "police-called": "Called the police",
  "security-called": "Called security",
  other: "Something else (say what)",
};
