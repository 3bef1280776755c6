// The lookup card: the one shape of a register entry (core/src/present/entryCard.ts, EXPERIENCE.md "One shape"):
// status line with risk as text and colour, what to do, restrictions with end dates, review date and "Appeal in
// progress". Only what the asker's view allows; people without register access see the "Take care" lines only and
// never history. A name-only match says "Possible match" (EXPERIENCE.md "Matching").
import type { EntryCardModel } from "../../../../../core/src/present/entryCard";
import type { LookupMatch } from "../../../services/lookup";
import { banner, card, container, execute, openUrl, plain, text, textInput, type Action, type AdaptiveCard, type Element } from "./common";

const RISK_COLOUR = { high: "Attention", medium: "Warning", low: "Accent" } as const;

/** The entry, as one container (several matches stack in one card). */
export function entryElements(model: EntryCardModel, match?: Pick<LookupMatch, "certainty" | "matchedOn" | "matchedValue">): Element[] {
  const items: Element[] = [text(model.statusLine, { weight: "Bolder", color: RISK_COLOUR[model.riskLevel], size: "Medium" })];
  if (match) {
    items.push(match.certainty === "exact"
      ? plain(`Matches ${match.matchedValue}`, { isSubtle: true })
      : plain("Possible match — check the address or date of contact before acting", { color: "Warning" }));
  }
  if (model.subjectName) items.push(plain(model.subjectName, { weight: "Bolder" }));
  if (model.whatToDo.length > 0) {
    items.push(text(model.view === "minimum" ? "Take care" : "What to do", { weight: "Bolder", spacing: "Small" }));
    for (const line of model.whatToDo) items.push(plain(`• ${line}`));
  }
  if (model.restrictions.length > 0) {
    items.push(text("Restrictions in force", { weight: "Bolder", spacing: "Small" }));
    for (const r of model.restrictions) items.push(plain(`• ${r.text}${r.endsOnText ? ` ${r.endsOnText}.` : ""}`));
  }
  const notes: string[] = [];
  if (model.nextReviewText) notes.push(model.nextReviewText);
  if (model.appealInProgress) notes.push("Appeal in progress");
  if (model.pendingRatification) notes.push("Pending ratification by the decision body");
  if (notes.length > 0) items.push(plain(notes.join(" · "), { isSubtle: true }));
  items.push(text(`Reference ${model.reference}`, { isSubtle: true, size: "Small" }));
  return [container(items, { style: "emphasis", spacing: "Medium" })];
}

export function lookupCard(input: { matches: LookupMatch[]; registerName: string; historyUrl?: (m: LookupMatch) => string | undefined; reportAbout?: (m: LookupMatch) => Action | undefined }): AdaptiveCard {
  if (input.matches.length === 0) {
    // Never hints that a hidden entry exists: the same words whether there is none or the asker may not see it.
    return card([
      text("No match", { size: "Medium", weight: "Bolder", style: "heading" }),
      banner(`Nobody on the ${input.registerName} matches what you typed. That does not mean there is no risk: if you are worried, talk to your manager before you make contact.`),
    ], [lookupAgain()]);
  }
  const body: Element[] = [text(input.matches.length === 1 ? "1 match" : `${input.matches.length} matches`, { size: "Medium", weight: "Bolder", style: "heading" })];
  const actions: Action[] = [];
  input.matches.forEach((m) => {
    body.push(...entryElements(m.card, m));
  });
  const first = input.matches[0]!;
  const history = input.historyUrl?.(first);
  if (history && first.card.historyAvailable) actions.push(openUrl("Show history", history));
  const report = input.reportAbout?.(first);
  if (report) actions.push(report);
  actions.push(lookupAgain());
  return card(body, actions);
}

function lookupAgain(): Action {
  return { type: "Action.ShowCard", title: "Look up someone else", card: { type: "AdaptiveCard", version: "1.5", body: [textInput("query", "Email, phone number or name", { maxLength: 320 })], actions: [execute("Look up", "lookup", {})] } };
}
