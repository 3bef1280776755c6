// Building blocks for CALM's Adaptive Cards (schema 1.5, Universal Actions). Every card is built by pure functions
// from data: text a person typed only ever goes into a TextRun (no markdown is parsed there) or an input's value,
// never concatenated into card JSON, so nobody can inject a link, an action or formatting into a card.
//
// Every Action.Execute carries an Action.Submit fallback with the same data (plus `calmVerb`), so a client without
// Universal Actions still works: the bot receives the Submit as a message with a value and answers the same way.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };
export type Element = { [key: string]: Json | undefined };
export type Action = { [key: string]: Json | undefined };

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: Element[];
  actions?: Action[];
  refresh?: { action: Action; userIds?: string[] };
  msteams?: { width?: "Full" };
  [key: string]: Json | undefined;
}

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
export const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

/** Data every CALM action carries: which action, and the card's own fields. Values are ids, choices and keys,
 * never a person's name. */
export type ActionData = { [key: string]: string | boolean | undefined };

export function card(body: Element[], actions: Action[] = [], extra: Partial<AdaptiveCard> = {}): AdaptiveCard {
  const c: AdaptiveCard = { type: "AdaptiveCard", $schema: SCHEMA, version: "1.5", body, ...extra };
  if (actions.length > 0) c.actions = actions;
  return c;
}

function clean(data: ActionData): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) out[k] = v;
  return out;
}

/** An Action.Execute with its Action.Submit fallback. `style: "positive"` for the main action. */
export function execute(title: string, verb: string, data: ActionData = {}, options: { style?: "positive" | "destructive"; id?: string; associatedInputs?: "auto" | "none" } = {}): Action {
  const payload = clean(data);
  return {
    type: "Action.Execute",
    title,
    verb,
    data: payload,
    ...(options.id ? { id: options.id } : {}),
    ...(options.style ? { style: options.style } : {}),
    ...(options.associatedInputs ? { associatedInputs: options.associatedInputs } : {}),
    fallback: { type: "Action.Submit", title, data: { ...payload, calmVerb: verb }, ...(options.associatedInputs ? { associatedInputs: options.associatedInputs } : {}) },
  };
}

export function openUrl(title: string, url: string): Action {
  return { type: "Action.OpenUrl", title, url };
}

export function showCard(title: string, inner: AdaptiveCard): Action {
  const { $schema: _schema, ...rest } = inner;
  return { type: "Action.ShowCard", title, card: rest };
}

/** Fixed text written by CALM (may use the card's markdown subset). */
export function text(value: string, options: { size?: "Small" | "Medium" | "Large"; weight?: "Bolder"; color?: "Attention" | "Warning" | "Good" | "Accent"; isSubtle?: boolean; wrap?: boolean; spacing?: "None" | "Small" | "Medium"; style?: "heading" } = {}): Element {
  return { type: "TextBlock", text: value, wrap: options.wrap ?? true, ...stripUndefined({ size: options.size, weight: options.weight, color: options.color, isSubtle: options.isSubtle, spacing: options.spacing, style: options.style }) };
}

/** Text that may contain what a person typed: a TextRun, so no markdown is parsed. */
export function plain(value: string, options: { weight?: "Bolder"; color?: "Attention" | "Warning" | "Good"; isSubtle?: boolean; italic?: boolean } = {}): Element {
  return { type: "RichTextBlock", inlines: [{ type: "TextRun", text: value, ...stripUndefined({ weight: options.weight, color: options.color, isSubtle: options.isSubtle, italic: options.italic }) }] };
}

/** A label followed by a value a person typed. */
export function labelled(label: string, value: string): Element {
  return { type: "RichTextBlock", inlines: [{ type: "TextRun", text: `${label}: `, weight: "Bolder" }, { type: "TextRun", text: value }] };
}

export function facts(items: { title: string; value: string }[]): Element {
  return { type: "FactSet", facts: items.map((f) => ({ title: f.title, value: f.value })) };
}

export function container(items: Element[], options: { style?: "emphasis" | "attention" | "warning" | "good" | "accent"; id?: string; spacing?: "Medium" | "Large" } = {}): Element {
  return { type: "Container", items, ...stripUndefined({ style: options.style, id: options.id, spacing: options.spacing }) };
}

/** A message at the top of a card: what happened, and what to do next. */
export function banner(message: string, kind: "error" | "info" | "done" = "info"): Element {
  const style = kind === "error" ? "attention" : kind === "done" ? "good" : "emphasis";
  return container([plain(message, { weight: "Bolder", ...(kind === "error" ? { color: "Attention" as const } : {}) })], { style });
}

export function textInput(id: string, label: string, options: { value?: string; placeholder?: string; isMultiline?: boolean; maxLength?: number; isRequired?: boolean; errorMessage?: string; style?: "Email" | "Tel" } = {}): Element {
  return {
    type: "Input.Text",
    id,
    label,
    ...stripUndefined({ value: options.value, placeholder: options.placeholder, isMultiline: options.isMultiline, maxLength: options.maxLength, isRequired: options.isRequired, errorMessage: options.errorMessage, style: options.style }),
  };
}

export function choiceInput(id: string, label: string, choices: { title: string; value: string }[], options: { value?: string; isRequired?: boolean; errorMessage?: string; style?: "compact" | "expanded"; isMultiSelect?: boolean } = {}): Element {
  return {
    type: "Input.ChoiceSet",
    id,
    label,
    choices: choices.map((c) => ({ title: c.title, value: c.value })),
    ...stripUndefined({ value: options.value, isRequired: options.isRequired, errorMessage: options.errorMessage, style: options.style ?? "compact", isMultiSelect: options.isMultiSelect }),
  };
}

export function toggleInput(id: string, title: string, value: boolean, label?: string): Element {
  return { type: "Input.Toggle", id, title, value: value ? "true" : "false", valueOn: "true", valueOff: "false", ...(label ? { label } : {}) };
}

export function dateInput(id: string, label: string, value?: string, max?: string): Element {
  return { type: "Input.Date", id, label, ...stripUndefined({ value, max }) };
}

export function timeInput(id: string, label: string, value?: string): Element {
  return { type: "Input.Time", id, label, ...stripUndefined({ value }) };
}

/** A field's error under the field, in the attention colour and words (never colour alone). */
export function fieldError(message: string | undefined): Element[] {
  return message ? [plain(message, { color: "Attention" })] : [];
}

function stripUndefined<T extends Record<string, Json | undefined>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** A card with one message and nothing else to do: errors and confirmations that need no form. */
export function noticeCard(title: string, message: string, kind: "error" | "info" | "done" = "info", actions: Action[] = [], code?: string): AdaptiveCard {
  return card(
    [text(title, { size: "Medium", weight: "Bolder", style: "heading" }), banner(message, kind), ...(code ? [text(`Code: ${code}`, { isSubtle: true, size: "Small" })] : [])],
    actions,
  );
}
