// The vote card (EXPERIENCE.md "Cards"): the case reference and summary — never a full name in the title or the
// notification preview —, the papers link, the recommended action, one button per choice, the live tally
// ("4 of 6 voted · quorum reached"), who has not voted, conflicts as a separate action, and the chair's close.
//
// One base card is posted to the channel and updated in place for everyone. Members named in `refresh.userIds`
// get their own view on top of it (Universal Actions user-specific views): their own vote is shown only to them,
// and only the chair sees the close and the conflict rulings.
import { DECISION_OUTCOMES, type DecisionOutcome } from "../../../../../core/src/domain";
import { OUTCOME_LABELS, VOTE_BUTTON_TEXT } from "../../../../../core/src/present/outcomes";
import type { CaseView } from "../../../services/cases";
import { banner, card, choiceInput, container, execute, facts, openUrl, plain, showCard, text, textInput, toggleInput, type Action, type AdaptiveCard, type Element } from "./common";

export interface VoteCardInput {
  view: CaseView;
  /** The decision body's name, e.g. "the Unreasonable Behaviours Panel". */
  bodyName: string;
  /** The person this view is for; absent for the base card everyone sees. */
  viewerId?: string;
  /** Teams user ids (MRIs) of members who get their own view automatically (at most 60). */
  refreshUserIds: string[];
  /** What just happened, or why nothing did. */
  notice?: { message: string; kind: "error" | "info" | "done" };
  /** Ask the chair to record whether health issues were considered (Dorset 4.10). */
  askHealthConsidered: boolean;
  /** The policy gives no voting rule: the chair records the outcome (West Lindsey 11.2). */
  chairRecordsOutcome: boolean;
}

export function voteTitle(view: CaseView): string {
  const c = view.case;
  if (c.status === "decided" && c.decision) return `${c.reference} · Decided: ${OUTCOME_LABELS[c.decision.outcome]}`;
  if (c.status !== "voting") return `${c.reference} · Vote closed`;
  return c.ratifiesCaseId ? `${c.reference} · Ratify an emergency addition` : `${c.reference} · Vote open`;
}

/** The notification preview: reference and action only (EXPERIENCE.md "Notifications"). */
export function votePreview(view: CaseView): string {
  const c = view.case;
  if (c.status === "decided" && c.decision) return `${c.reference}: decided — ${OUTCOME_LABELS[c.decision.outcome].toLowerCase()}`;
  return c.ratifiesCaseId ? `${c.reference}: emergency addition to ratify` : `${c.reference}: vote open`;
}

function tallyLine(tally: Record<DecisionOutcome, number>): string {
  // Most votes first; ties in the order of the buttons.
  const parts = DECISION_OUTCOMES.filter((o) => tally[o] > 0).sort((a, b) => tally[b] - tally[a]).map((o) => `${OUTCOME_LABELS[o]}: ${tally[o]}`);
  return parts.length === 0 ? "No votes yet." : parts.join(" · ");
}

export function voteCard(input: VoteCardInput): AdaptiveCard {
  const { view, viewerId } = input;
  const c = view.case;
  const b = view.ballot;
  const open = b.open;
  const forViewer = viewerId !== undefined;
  const data = (extra: Record<string, string | boolean>) => ({ caseId: c.id, ...(viewerId ? { for: viewerId } : {}), ...extra });

  const body: Element[] = [text(voteTitle(view), { size: "Medium", weight: "Bolder", style: "heading" })];
  if (input.notice) body.push(banner(input.notice.message, input.notice.kind));
  body.push(plain(c.summary));
  const f = [
    { title: "Recommended", value: OUTCOME_LABELS[c.recommendedOutcome] },
    { title: "Presented by", value: c.presentingManager.displayName },
    { title: "Decided by", value: input.bodyName.replace(/^the /, "") },
  ];
  if (c.ratifiesCaseId) f.push({ title: "Why now", value: "The chair added this person at high risk at once. The body decides whether it stands." });
  body.push(facts(f));

  if (c.status === "decided" && c.decision) {
    const d = c.decision;
    body.push(container([
      text(`Decision: ${OUTCOME_LABELS[d.outcome]}`, { weight: "Bolder", color: "Good" }),
      plain(`${d.votesFor} of ${d.votesCast} votes cast (${d.eligibleVoters} could vote${d.quorumMet ? ", quorum met" : ""}).`),
      ...(d.healthConsidered ? [plain(`Health issues considered: ${d.healthConsidered.considered ? "yes" : "no"}${d.healthConsidered.by ? ` (recorded by ${d.healthConsidered.by.displayName})` : ""}.`)] : []),
    ], { style: "good" }));
  } else {
    body.push(text(b.progressText, { weight: "Bolder", color: b.quorumMet ? "Good" : undefined }));
    if (b.tally) body.push(plain(tallyLine(b.tally)));
    if (b.notVoted.length > 0) body.push(plain(`Not voted yet: ${b.notVoted.map((m) => m.displayName).join(", ")}`, { isSubtle: true }));
    const conflicted = b.members.filter((m) => m.conflict === "declared" || m.conflict === "excluded");
    if (conflicted.length > 0) {
      body.push(plain(conflicted.map((m) => `${m.displayName}: ${m.conflict === "declared" ? "conflict declared, waiting for the chair's ruling" : "excluded by the chair (conflict of interest)"}`).join("\n"), { isSubtle: true }));
    }
  }

  if (forViewer && b.you.member) {
    const mine = b.you.conflict;
    const line = mine === "declared"
      ? "You declared a conflict of interest. Your vote does not count until the chair rules."
      : mine === "excluded"
        ? "The chair excluded you from this case because of a conflict of interest."
        : b.yourVote
          ? `Your vote: ${OUTCOME_LABELS[b.yourVote]}.${open ? " You can change it until the chair closes the vote." : ""}`
          : open ? "You have not voted yet." : "You did not vote.";
    body.push(container([plain(line, { weight: "Bolder" })], { style: "accent" }));
  }

  const actions: Action[] = [];
  if (open) {
    const canVote = !forViewer || b.you.canVote;
    if (canVote) {
      const buttons = DECISION_OUTCOMES.map((o) => execute(VOTE_BUTTON_TEXT[o], "vote", data({ choice: o }), o === c.recommendedOutcome ? { style: "positive" } : {}));
      body.push({ type: "ActionSet", actions: buttons.slice(0, 3) }, { type: "ActionSet", actions: buttons.slice(3) });
    }
    if (!forViewer || (b.you.member && b.you.conflict === null)) {
      actions.push(showCard("Declare a conflict of interest", card([
        text("The chair decides whether you are excluded from this case. Until then your vote does not count.", { isSubtle: true }),
        textInput("reason", "Why you may have a conflict", { isMultiline: true, maxLength: 1000, isRequired: true, errorMessage: "Say briefly why." }),
      ], [execute("Declare conflict", "declareConflict", data({}))])));
    }
    if (forViewer && b.you.chair) {
      for (const m of b.members.filter((x) => x.conflict === "declared" && x.id !== viewerId)) {
        body.push(container([
          plain(`${m.displayName} declared a conflict of interest. Your ruling:`, { weight: "Bolder" }),
          { type: "ActionSet", actions: [execute(`Exclude ${m.displayName}`, "ruleConflict", data({ memberId: m.id, excluded: true })), execute(`Let ${m.displayName} vote`, "ruleConflict", data({ memberId: m.id, excluded: false }))] },
        ], { style: "warning" }));
      }
      const closeBody: Element[] = [
        plain(b.result.ok ? `If you close now: ${OUTCOME_LABELS[b.result.outcome]} (${b.result.votesFor} votes).` : b.result.message),
      ];
      if (input.askHealthConsidered) closeBody.push(toggleInput("healthConsidered", "Underlying health issues were considered", false, "Health issues (the decision record must say)"));
      if (input.chairRecordsOutcome) closeBody.push(choiceInput("outcome", "The decision the body reached", DECISION_OUTCOMES.map((o) => ({ title: OUTCOME_LABELS[o], value: o }))));
      closeBody.push(textInput("rationale", "Reasons for the decision (for the record)", { isMultiline: true, maxLength: 5000 }));
      actions.push(showCard("Close the vote", card(closeBody, [execute("Close the vote and record the decision", "closeVote", data({}), { style: "destructive" })])));
    }
  }
  if (c.papersUrl) actions.push(openUrl("Open the papers", c.papersUrl));
  return card(body, actions, {
    refresh: { action: { type: "Action.Execute", title: "Refresh", verb: "refresh", data: { caseId: c.id } }, userIds: input.refreshUserIds.slice(0, 60) },
  });
}

export function caseListCard(input: { views: CaseView[]; bodyName: string }): AdaptiveCard {
  if (input.views.length === 0) return card([text("Open cases", { size: "Medium", weight: "Bolder", style: "heading" }), banner(`No cases are waiting for ${input.bodyName}.`)]);
  return card([
    text("Open cases", { size: "Medium", weight: "Bolder", style: "heading" }),
    ...input.views.map((v) => container([text(voteTitle(v), { weight: "Bolder" }), plain(v.case.summary), plain(v.ballot.progressText, { isSubtle: true })], { style: "emphasis", spacing: "Medium" })),
  ], input.views.slice(0, 5).map((v) => execute(`Open ${v.case.reference}`, "refresh", { caseId: v.case.id })));
}
