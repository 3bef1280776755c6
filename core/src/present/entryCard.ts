// One shape for a register entry, everywhere: bot card, tab, add-in pane (EXPERIENCE.md).
// 1 status line (risk as text, not colour alone) · 2 what to do (≤3 lines) · 3 restrictions in force, each one
// sentence with its end date · 4 review date and "Appeal in progress" · 5 history, only where the tier allows.
// People without register access see lines 1–2 only, worded as "Take care" guidance.
import type { EntryView, IsoDate, RegisterEntry, RiskLevel, Subject } from "../domain";

export interface EntryCardModel {
  /** Opaque reference, safe anywhere (`CAL-0042`). */
  reference: string;
  view: Exclude<EntryView, "hidden">;
  /** Line 1, e.g. "On the Customer Alert List — Medium risk" or "Take care — high risk". */
  statusLine: string;
  riskLevel: RiskLevel;
  /** "Low risk" / "Medium risk" / "High risk": the text that goes with the colour. */
  riskLabel: string;
  isPremises: boolean;
  /** The subject's name or premises label; absent for the minimum view. */
  subjectName?: string;
  /** Line 2: what to do, most important first, at most three lines. */
  whatToDo: string[];
  /** Line 3. */
  restrictions: { text: string; endsOn?: IsoDate; endsOnText?: string }[];
  /** Line 4. */
  nextReviewOn?: IsoDate;
  nextReviewText?: string;
  appealInProgress: boolean;
  pendingRatification: boolean;
  /** Line 5: whether "Show history" is offered. */
  historyAvailable: boolean;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** GOV.UK date style: `2027-03-03` → `3 March 2027`. */
export function formatDate(date: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : date;
}

export function riskLabel(level: RiskLevel): string {
  return `${level[0]!.toUpperCase()}${level.slice(1)} risk`;
}

/** "single point of contact (SPOC)" is spelled out once, then "SPOC" (EXPERIENCE.md "Voice"). */
function spocLine(entry: RegisterEntry): string | undefined {
  const spoc = entry.spoc;
  if (!spoc) return undefined;
  const who = [spoc.displayName, spoc.serviceArea].filter(Boolean).join(", ");
  return `Only the single point of contact (SPOC) deals with them: ${who} (${spoc.mailbox}).`;
}

/** Lines of "what to do": the entry's own guidance first, then the SPOC, never more than three. */
function whatToDo(entry: RegisterEntry): string[] {
  const lines = entry.guidance.map((g) => g.trim()).filter((g) => g.length > 0);
  const spoc = spocLine(entry);
  if (spoc && !lines.some((l) => l.includes(entry.spoc?.mailbox ?? "\u0000"))) lines.splice(Math.min(1, lines.length), 0, spoc);
  return lines.slice(0, 3);
}

export function buildEntryCard(input: {
  registerName: string;
  subject: Pick<Subject, "displayName" | "kind">;
  entry: RegisterEntry;
  view: Exclude<EntryView, "hidden">;
  /** Today, to leave out restrictions that have ended. */
  today: IsoDate;
}): EntryCardModel {
  const { registerName, subject, entry, view, today } = input;
  const isPremises = subject.kind === "premises";
  const label = riskLabel(entry.riskLevel);
  const minimum = view === "minimum";
  const statusLine = minimum
    ? `Take care — ${label.toLowerCase()}`
    : `On the ${registerName} — ${label}${entry.status === "pending-ratification" ? " (pending ratification)" : ""}`;
  const lines = whatToDo(entry);
  const restrictions = minimum
    ? []
    : entry.restrictions
        .filter((r) => !r.endsOn || r.endsOn >= today)
        .map((r) => ({ text: r.staffInstruction, endsOn: r.endsOn, endsOnText: r.endsOn ? `Until ${formatDate(r.endsOn)}` : undefined }));
  return {
    reference: entry.reference,
    view,
    statusLine,
    riskLevel: entry.riskLevel,
    riskLabel: label,
    isPremises,
    subjectName: minimum ? undefined : subject.displayName,
    whatToDo: minimum && lines.length === 0 ? ["Take care when you contact them. Ask your manager before any visit."] : lines,
    restrictions,
    nextReviewOn: minimum ? undefined : entry.nextReviewOn,
    nextReviewText: minimum || !entry.nextReviewOn ? undefined : `Review due ${formatDate(entry.nextReviewOn)}`,
    appealInProgress: minimum ? false : entry.appealInProgress,
    pendingRatification: entry.status === "pending-ratification",
    historyAvailable: view === "full",
  };
}
