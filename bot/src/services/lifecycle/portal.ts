// What the lifecycle adds to the staff portal (issue 4's extension points): its records on a subject's timeline
// (warnings, immediate restrictions, reviews, appeals, letters) and its work on the "Reviews and appeals" page
// (reviews waiting for a decision, appeal deadlines). Breaches and positive contact are already on the timeline:
// they live in the contacts collection the portal reads.
import { formatDate } from "../../../../core/src/present/entryCard";
import type { TimelineItem, TimelineSource } from "../portal/timeline";
import type { RegisterRow, WorkSection } from "../portal/portal";
import type { Caller } from "../../../../core/src/domain";
import type { LifecycleService } from "./index";

const STEP_WORDS: Record<string, string> = { verbal: "Verbal warning", "informal-written": "Informal written warning", "formal-written": "Formal written warning" };
const LETTER_WORDS: Record<string, string> = {
  warning: "Warning letter",
  restriction: "Restriction letter",
  "legal-cease-and-desist": "Legal letter (cease and desist)",
  "review-outcome": "Review outcome letter",
  "appeal-outcome": "Appeal outcome letter",
  "divert-notice": "Divert notice",
};

/** Timeline sources over the lifecycle's records. `get` is late-bound: the portal is built before the lifecycle. */
export function lifecycleTimelineSources(get: () => LifecycleService | undefined): TimelineSource[] {
  return [
    {
      name: "lifecycle",
      async items({ subject, entries }) {
        const s = get();
        if (!s) return [];
        const store = s.ctx.deps.lifecycle;
        const items: TimelineItem[] = [];
        for (const w of await store.warnings.find({ subjectId: subject.id })) {
          items.push({
            id: `warning:${w.id}`,
            at: w.givenOn,
            kind: "warning",
            title: `${STEP_WORDS[w.step] ?? w.step} given by ${w.givenBy.displayName}`,
            detail: [...(w.note ? [w.note] : []), ...(w.departureReason ? [`Not the step the policy suggested: ${w.departureReason}`] : [])],
          });
        }
        const refs = new Map(entries.map((e) => [e.id, e.reference]));
        for (const r of await store.immediateRestrictions.find({ subjectId: subject.id })) {
          items.push({ id: `immediate:${r.id}`, at: r.at, kind: "restriction", title: `Contact restricted at once: ${r.groundDescription} (${r.reference})`, detail: [r.reason, `By ${r.by.displayName}.`], reference: r.reference, entryId: r.entryId });
        }
        for (const r of await store.reviews.find({ subjectId: subject.id })) {
          if (!refs.has(r.entryId)) continue;
          if (r.status === "decided" && r.decidedAt) {
            items.push({
              id: `review:${r.id}`,
              at: r.decidedAt,
              kind: "review",
              title: `Review: ${r.outcome === "remove" ? "removed" : r.outcome === "extend" ? "kept in place" : "changed"} (${r.reference})`,
              detail: [`Approved by ${r.approverName}${r.approvedOn ? ` on ${formatDate(r.approvedOn)}` : ""}.`, ...(r.reasons ? [r.reasons] : [])],
              reference: r.reference,
              entryId: r.entryId,
            });
          } else if (r.status === "open") {
            items.push({ id: `review:${r.id}`, at: r.dueOn, kind: "review", title: `Review due ${formatDate(r.dueOn)} (${r.reference})`, reference: r.reference, entryId: r.entryId, upcoming: true });
          }
        }
        for (const a of await store.appeals.find({ subjectId: subject.id })) {
          if (!refs.has(a.entryId)) continue;
          items.push({
            id: `appeal:${a.id}`,
            at: a.receivedOn,
            kind: "appeal",
            title: a.route === "appeal" ? `Appeal received (${a.reference})` : `Referred to the Ombudsman (${a.reference})`,
            detail: [...(a.decisionDueOn ? [`To be decided by ${formatDate(a.decisionDueOn)}.`] : []), ...(a.inTime === false ? [`Accepted after the window: ${a.lateAcceptedReason ?? ""}`] : [])],
            reference: a.reference,
            entryId: a.entryId,
          });
          if (a.status === "decided" && a.decidedOn) {
            items.push({ id: `appeal:${a.id}:decided`, at: a.decidedOn, kind: "appeal", title: `Appeal ${a.outcome ?? "decided"} by ${a.decider?.displayName ?? "the appeal officer"} (${a.reference})`, detail: a.reasons ? [a.reasons] : [], reference: a.reference, entryId: a.entryId });
          }
          if (a.route === "appeal" && a.ombudsmanReferralOn) {
            items.push({ id: `appeal:${a.id}:ombudsman`, at: a.ombudsmanReferralOn, kind: "appeal", title: `Referred to the Ombudsman (${a.reference})`, reference: a.reference, entryId: a.entryId });
          }
        }
        for (const l of await store.letters.find({ subjectId: subject.id })) {
          if (l.entryId && !refs.has(l.entryId)) continue;
          items.push({
            id: `letter:${l.id}`,
            at: l.issuedAt,
            kind: "letter",
            title: `${LETTER_WORDS[l.type] ?? l.type} produced by ${l.issuedBy.displayName} (${l.reference})`,
            detail: [...(l.heldAtReception ? ["Held at reception: no postal address."] : []), ...(l.equalityQuestionnaireAttached ? ["Sent with the equality and diversity form."] : [])],
            reference: l.reference,
            ...(l.entryId ? { entryId: l.entryId } : {}),
          });
        }
        return items;
      },
    },
  ];
}

/** Sections for the "Reviews and appeals" page: reviews opened and waiting, and appeal deadlines, for the rows the
 * caller can see. */
export function lifecycleWorkSections(get: () => LifecycleService | undefined): (caller: Caller, visible: RegisterRow[]) => Promise<WorkSection[]> {
  return async (_caller, visible) => {
    const s = get();
    if (!s) return [];
    const byEntry = new Map(visible.filter((r) => r.entryId).map((r) => [r.entryId!, r]));
    const reviews = await s.ctx.deps.lifecycle.reviews.find({ status: "open" });
    const appeals = await s.ctx.deps.lifecycle.appeals.find({ status: "received" });
    const today = s.ctx.today();
    return [
      {
        id: "lifecycle-reviews",
        heading: "Reviews waiting for a decision",
        emptyText: "No review is waiting for a decision.",
        rows: reviews.flatMap((r) => {
          const row = byEntry.get(r.entryId);
          return row ? [{ ...row, dueOn: r.dueOn, dueText: `${r.dueOn < today ? "Overdue since" : "Due"} ${formatDate(r.dueOn)}`, note: `Approved by ${r.approverName}.` }] : [];
        }),
      },
      {
        id: "lifecycle-appeals",
        heading: "Appeals and their deadlines",
        emptyText: "No appeal is waiting for a decision.",
        rows: appeals.flatMap((a) => {
          const row = byEntry.get(a.entryId);
          if (!row) return [];
          return [{ ...row, ...(a.decisionDueOn ? { dueOn: a.decisionDueOn, dueText: `Decide by ${formatDate(a.decisionDueOn)}` } : {}), note: `Received ${formatDate(a.receivedOn)}. The entry stays in force meanwhile.` }];
        }),
      },
    ];
  };
}
