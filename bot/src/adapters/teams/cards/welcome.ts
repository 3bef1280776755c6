// The welcome card, the referral form and the emergency addition form.
import { DECISION_OUTCOMES, type Incident } from "../../../../../core/src/domain";
import { CATEGORY_LABELS, OUTCOME_LABELS } from "../../../../../core/src/present/outcomes";
import { banner, card, choiceInput, execute, fieldError, plain, text, textInput, toggleInput, type Action, type AdaptiveCard, type Element } from "./common";

export function welcomeCard(input: { registerName: string; name?: string; canVote: boolean; isChannel: boolean; canSetChannel: boolean; known: boolean }): AdaptiveCard {
  if (!input.known) {
    return card([
      text("CALM", { size: "Medium", weight: "Bolder", style: "heading" }),
      banner("CALM does not know your role yet, so it cannot show you anything. Ask your manager or a register administrator to give you access."),
    ]);
  }
  if (input.isChannel) {
    return card([
      text("CALM in this channel", { size: "Medium", weight: "Bolder", style: "heading" }),
      plain(input.canSetChannel
        ? "Cases for the decision body are posted to the channel the chair chooses. To use this channel, mention CALM and type: panel channel"
        : "The chair can choose this channel for the decision body's cases. Reports and lookups work in a personal chat with CALM."),
    ]);
  }
  const body: Element[] = [
    text(`Hello${input.name ? `, ${input.name.split(" ")[0]}` : ""}`, { size: "Medium", weight: "Bolder", style: "heading" }),
    plain(`CALM helps you report unreasonable, abusive or violent behaviour, and check the ${input.registerName} before you make contact.`),
    text("Type an email address, phone number or name to look someone up, or **report** to report an incident.", { isSubtle: true }),
    textInput("query", "Look someone up", { placeholder: "Email, phone number or name", maxLength: 320 }),
  ];
  const actions: Action[] = [execute("Look up", "lookup", {}), execute("Report an incident", "showReport", {}, { style: "positive", associatedInputs: "none" })];
  if (input.canVote) actions.push(execute("Open cases", "listCases", {}, { associatedInputs: "none" }));
  return card(body, actions);
}

export function helpCard(registerName: string): AdaptiveCard {
  return card([
    text("What you can ask CALM", { size: "Medium", weight: "Bolder", style: "heading" }),
    plain(`• An email address, phone number or name: checks the ${registerName}.`),
    plain("• report: report an incident."),
    plain("• Attach files: they are added to the report you sent last (or type evidence INC-0042 with the files)."),
    plain("• cases: the cases waiting for your vote, if you sit on the decision body."),
  ], [execute("Report an incident", "showReport", {}, { associatedInputs: "none" })]);
}

export interface ReferFormState {
  key: string;
  incident: Incident;
  bodyName: string;
  values: Partial<Record<string, string>>;
  errors: Partial<Record<string, string>>;
  message?: string;
}

export function referFormCard(s: ReferFormState): AdaptiveCard {
  const v = (id: string) => s.values[id];
  const body: Element[] = [text(`Refer to ${s.bodyName}`, { size: "Medium", weight: "Bolder", style: "heading" })];
  if (s.message) body.push(banner(s.message, "error"));
  body.push(plain(`About ${s.incident.reference} (${CATEGORY_LABELS[s.incident.category].toLowerCase()}). The case is posted to the decision body's channel for a vote.`));
  body.push(choiceInput("recommendedOutcome", "What you recommend", DECISION_OUTCOMES.map((o) => ({ title: OUTCOME_LABELS[o], value: o })), { value: v("recommendedOutcome") ?? "add-medium", isRequired: true }), ...fieldError(s.errors.recommendedOutcome));
  body.push(textInput("summary", "Summary for the vote card (no names: it shows in notifications)", { value: v("summary"), isMultiline: true, maxLength: 300, isRequired: true, errorMessage: "Write a short summary." }), ...fieldError(s.errors.summary));
  body.push(textInput("papersUrl", "Link to the papers (https://…)", { value: v("papersUrl"), maxLength: 2000 }), ...fieldError(s.errors.papersUrl));
  body.push(textInput("guidance", "Guidance for staff, if added (one line)", { value: v("guidance"), maxLength: 200 }), ...fieldError(s.errors.guidance));
  return card(body, [execute("Refer the case", "submitRefer", { formKey: s.key, incidentId: s.incident.id }, { style: "positive" })]);
}

export function emergencyFormCard(s: ReferFormState & { asDeputy: boolean }): AdaptiveCard {
  const v = (id: string) => s.values[id];
  const body: Element[] = [text("Emergency addition at high risk", { size: "Medium", weight: "Bolder", style: "heading" })];
  if (s.message) body.push(banner(s.message, "error"));
  body.push(plain(`About ${s.incident.reference}. The entry is in force at once as "pending ratification", and ${s.bodyName} votes on it at its next meeting.`));
  if (s.asDeputy) body.push(toggleInput("chairAbsent", "The chair is absent, so I act as the named deputy", v("chairAbsent") === "true"), ...fieldError(s.errors.chairAbsent));
  body.push(textInput("reason", "Why this cannot wait for the next meeting", { value: v("reason"), isMultiline: true, maxLength: 1000, isRequired: true, errorMessage: "Say why it cannot wait." }), ...fieldError(s.errors.reason));
  body.push(textInput("summary", "Summary for the ratification card (no names)", { value: v("summary"), isMultiline: true, maxLength: 300, isRequired: true }), ...fieldError(s.errors.summary));
  body.push(textInput("guidance", "Guidance for staff (one line)", { value: v("guidance"), maxLength: 200 }), ...fieldError(s.errors.guidance));
  return card(body, [execute("Add at high risk now", "submitEmergency", { formKey: s.key, incidentId: s.incident.id }, { style: "destructive" })]);
}
