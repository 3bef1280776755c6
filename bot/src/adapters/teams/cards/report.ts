// The report flow (issue 3 item 1): one form card with every field of DOMAIN.md "Incident", shown again with the
// person's values and an error under each field when something needs fixing, and a confirmation with the reference
// and what happens next under the council's policy.
import { CONTACT_CHANNELS, IMMEDIATE_ACTIONS, INCIDENT_CATEGORIES, type Incident } from "../../../../../core/src/domain";
import { CATEGORY_LABELS, CHANNEL_LABELS, IMMEDIATE_ACTION_LABELS } from "../../../../../core/src/present/outcomes";
import { londonDisplay } from "../time";
import { banner, card, choiceInput, container, dateInput, execute, fieldError, labelled, plain, text, textInput, timeInput, toggleInput, type Action, type AdaptiveCard, type Element } from "./common";

export const WITNESS_ROWS = 3;

/** The form's input ids. */
export const REPORT_INPUTS = [
  "subjectKind", "subjectName", "subjectEmail", "subjectPhone", "subjectAddress",
  "occurredDate", "occurredTime", "location", "channel", "serviceArea", "category", "description",
  ...Array.from({ length: WITNESS_ROWS }, (_, i) => [`witness${i + 1}Name`, `witness${i + 1}Statement`]).flat(),
  "policeReference", "hateIncident", "immediateAction", "immediateActionNote",
] as const;

export interface ReportFormState {
  /** One key per form, so a double click makes one report. */
  key: string;
  /** Reporting about someone found by a lookup: their subject id (no name travels in the card data). */
  subjectId?: string;
  /** The reference of the entry they were found under, to show instead of a name. */
  subjectReference?: string;
  premisesAllowed: boolean;
  values: Partial<Record<string, string>>;
  /** Input id → the error to show under it. */
  errors: Partial<Record<string, string>>;
  /** Shown at the top: what happened and what to do next. */
  message?: string;
  today: string;
}

const choices = <T extends string>(ids: readonly T[], labels: Readonly<Record<T, string>>) => ids.map((id) => ({ title: labels[id], value: id }));

export function reportFormCard(s: ReportFormState): AdaptiveCard {
  const v = (id: string) => s.values[id];
  const field = (el: Element, id: string): Element[] => [el, ...fieldError(s.errors[id])];
  const body: Element[] = [text("Report an incident", { size: "Medium", weight: "Bolder", style: "heading" })];
  if (s.message) body.push(banner(s.message, "error"));
  body.push(text("If anyone is hurt or in danger, call 999 first. Then tell us what happened.", { isSubtle: true }));

  body.push(text("Who was it?", { weight: "Bolder" }));
  if (s.subjectId) {
    body.push(plain(`About the person or address you looked up${s.subjectReference ? ` (${s.subjectReference})` : ""}.`));
    body.push(...fieldError(s.errors.subjectName));
  } else {
    const kinds = [{ title: "A person", value: "person" }, { title: "Someone acting for a person", value: "representative" }, ...(s.premisesAllowed ? [{ title: "An address (premises)", value: "premises" }] : [])];
    body.push(choiceInput("subjectKind", "This is about", kinds, { value: v("subjectKind") ?? "person" }), ...fieldError(s.errors.subjectKind));
    body.push(...field(textInput("subjectName", "Name (or the address)", { value: v("subjectName"), maxLength: 200, isRequired: true, errorMessage: "Give their name as you know it." }), "subjectName"));
    body.push(...field(textInput("subjectEmail", "Email address, if you know it", { value: v("subjectEmail"), style: "Email", maxLength: 320 }), "subjectEmail"));
    body.push(...field(textInput("subjectPhone", "Phone number, if you know it", { value: v("subjectPhone"), style: "Tel", maxLength: 40 }), "subjectPhone"));
    body.push(textInput("subjectAddress", "Postal address, if you know it", { value: v("subjectAddress"), maxLength: 300 }));
  }

  body.push(text("What happened?", { weight: "Bolder" }));
  body.push(...field(dateInput("occurredDate", "Date", v("occurredDate") ?? s.today, s.today), "occurredDate"));
  body.push(timeInput("occurredTime", "Time (roughly)", v("occurredTime")));
  body.push(...field(textInput("location", "Where", { value: v("location"), placeholder: "For example: Civic Centre reception, or by phone", maxLength: 200, isRequired: true, errorMessage: "Say where it happened." }), "location"));
  body.push(...field(choiceInput("channel", "How they made contact", choices(CONTACT_CHANNELS, CHANNEL_LABELS), { value: v("channel"), isRequired: true, errorMessage: "Choose how they made contact." }), "channel"));
  body.push(...field(textInput("serviceArea", "Your service area", { value: v("serviceArea"), maxLength: 200, isRequired: true, errorMessage: "Say which service you work in." }), "serviceArea"));
  body.push(...field(choiceInput("category", "What kind of behaviour", choices(INCIDENT_CATEGORIES, CATEGORY_LABELS), { value: v("category"), isRequired: true, errorMessage: "Choose what kind of behaviour it was." }), "category"));
  body.push(...field(textInput("description", "What was said or done, in your own words", { value: v("description"), isMultiline: true, maxLength: 10_000, isRequired: true, errorMessage: "Describe what happened." }), "description"));

  body.push(text("Witnesses (if any)", { weight: "Bolder" }));
  for (let i = 1; i <= WITNESS_ROWS; i++) {
    body.push(...field(textInput(`witness${i}Name`, `Witness ${i}: name`, { value: v(`witness${i}Name`), maxLength: 200 }), `witness${i}Name`));
    body.push(...field(textInput(`witness${i}Statement`, `Witness ${i}: what they saw or heard`, { value: v(`witness${i}Statement`), isMultiline: true, maxLength: 5000 }), `witness${i}Statement`));
  }

  body.push(text("After the incident", { weight: "Bolder" }));
  body.push(...field(textInput("policeReference", "Police reference, if the police were told", { value: v("policeReference"), maxLength: 50 }), "policeReference"));
  body.push(toggleInput("hateIncident", "It was a hate incident (targeted because of who someone is)", v("hateIncident") === "true"));
  body.push(...field(choiceInput("immediateAction", "What you did at the time", choices(IMMEDIATE_ACTIONS, IMMEDIATE_ACTION_LABELS), { value: v("immediateAction") ?? "none" }), "immediateAction"));
  body.push(...field(textInput("immediateActionNote", "If something else, what", { value: v("immediateActionNote"), maxLength: 1000 }), "immediateActionNote"));
  body.push(text("You can add photos, documents or the original email after you send the report: attach them in this chat.", { isSubtle: true, size: "Small" }));

  return card(body, [execute("Send report", "submitReport", { formKey: s.key, subjectId: s.subjectId }, { style: "positive" })]);
}

/** The confirmation: the reference, what happens next, and what the reporter can do from here. */
export function reportDoneCard(input: { incident: Incident; whatHappensNext: string[]; duplicate: boolean; actions: Action[]; evidenceHint: boolean }): AdaptiveCard {
  const i = input.incident;
  const body: Element[] = [
    text(`Report sent: ${i.reference}`, { size: "Medium", weight: "Bolder", style: "heading" }),
    banner(input.duplicate ? `We already had this report as ${i.reference}. Nothing was saved twice.` : `Thank you. Your report is saved as ${i.reference}. Quote it if you add anything.`, "done"),
    text("What happens next", { weight: "Bolder" }),
    ...input.whatHappensNext.map((line) => plain(`• ${line}`)),
  ];
  if (input.evidenceHint) body.push(text(`To add evidence, attach photos, documents or the original email in this chat. They are added to ${i.reference}.`, { isSubtle: true }));
  body.push(container([labelled("Category", CATEGORY_LABELS[i.category]), labelled("When", londonDisplay(i.occurredAt)), labelled("Witness statements", String(i.witnesses.length))], { spacing: "Medium" }));
  return card(body, input.actions);
}

export function evidenceDoneCard(input: { reference: string; added: { fileName: string; ok: boolean; message: string }[] }): AdaptiveCard {
  const allOk = input.added.every((a) => a.ok);
  return card([
    text(`Evidence for ${input.reference}`, { size: "Medium", weight: "Bolder", style: "heading" }),
    banner(allOk ? `Added ${input.added.length === 1 ? "1 file" : `${input.added.length} files`} to ${input.reference}.` : "Some files could not be added. See below for what to do.", allOk ? "done" : "error"),
    ...input.added.map((a) => plain(`${a.ok ? "Added" : "Not added"}: ${a.fileName}${a.ok ? "" : ` — ${a.message}`}`, a.ok ? {} : { color: "Attention" })),
  ]);
}
