// A subject's history as one timeline: incidents, warnings, referrals, votes and decisions, register entries and
// their restrictions, reviews, appeals, letters, diverts and recorded contact — whatever CALM keeps.
//
// Each kind of record is a TimelineSource; the built-in ones read what the foundation's stores hold. Features
// that add stores (reviews, appeals, letters, warnings) add a source through PortalDeps.timelineSources, and
// the page shows them with no change here.
import type { Case, Caller, Incident, IsoDate, RegisterEntry, Subject, Vote } from "../../../../core/src/domain";
import { formatDate, riskLabel } from "../../../../core/src/present/entryCard";
import type { RecordedContact } from "../../ports/portal";
import { IMMEDIATE_ACTION_WORDS, OUTCOME_WORDS, outcomeShort } from "./words";
import { CATEGORY_NAMES, CHANNEL_LABELS } from "../../../../core/src/present/outcomes";

export const TIMELINE_KINDS = [
  "incident",
  "warning",
  "referral",
  "vote",
  "decision",
  "emergency",
  "entry",
  "restriction",
  "review",
  "appeal",
  "letter",
  "divert",
  "contact",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineItem {
  /** Unique within the page: `<kind>:<record id>[:<what>]`. */
  id: string;
  /** When: an ISO instant, or a `YYYY-MM-DD` date for things that happen on a day. */
  at: string;
  kind: TimelineKind;
  /** One plain sentence. No personal data beyond what the caller's view already shows. */
  title: string;
  detail?: string[];
  /** The opaque reference the item is about (`INC-0042`, `CASE-0007`, `CAL-0042`). */
  reference?: string;
  caseId?: string;
  incidentId?: string;
  entryId?: string;
  /** A date still to come (a review that is due), shown as "upcoming". */
  upcoming?: boolean;
}

export interface CaseWithVotes {
  case: Case;
  votes: Vote[];
}

export interface TimelineContext {
  caller: Caller;
  subject: Subject;
  registerName: string;
  entries: RegisterEntry[];
  incidents: Incident[];
  cases: CaseWithVotes[];
  contacts: RecordedContact[];
  today: IsoDate;
}

export interface TimelineSource {
  /** For logs when a source fails: the page still shows the others. */
  name: string;
  items(ctx: TimelineContext): Promise<TimelineItem[]> | TimelineItem[];
}

const incidents: TimelineSource = {
  name: "incidents",
  items: ({ incidents: list }) =>
    list.map((i) => {
      const detail = [
        `${CHANNEL_LABELS[i.channel]}, ${i.serviceArea}, at ${i.location}.`,
        i.description,
        `Reported by ${i.reporter.displayName}.`,
      ];
      if (i.contactCount && i.contactCount > 1) detail.splice(1, 0, `Covers ${i.contactCount} contacts.`);
      if (i.hateIncident) detail.push("Recorded as a hate incident.");
      if (i.immediateAction !== "none") detail.push(`At the time: ${IMMEDIATE_ACTION_WORDS[i.immediateAction].toLowerCase()}.`);
      if (i.witnesses.length > 0) detail.push(`${i.witnesses.length} witness statement${i.witnesses.length === 1 ? "" : "s"}.`);
      if (i.evidence.length > 0) detail.push(`${i.evidence.length} piece${i.evidence.length === 1 ? "" : "s"} of evidence.`);
      if (i.policeReference) detail.push(`Police reference ${i.policeReference}.`);
      return {
        id: `incident:${i.id}`,
        at: i.occurredAt,
        kind: "incident" as const,
        title: `Incident: ${CATEGORY_NAMES[i.category].toLowerCase()} (${i.reference})`,
        detail,
        reference: i.reference,
        incidentId: i.id,
        ...(i.caseId ? { caseId: i.caseId } : {}),
      };
    }),
};

const cases: TimelineSource = {
  name: "cases",
  items: ({ cases: list, caller }) =>
    list.flatMap(({ case: c, votes }) => {
      const out: TimelineItem[] = [
        {
          id: `referral:${c.id}`,
          at: c.referredAt,
          kind: c.emergency ? "emergency" : "referral",
          title: c.emergency
            ? `Emergency addition at high risk by the ${c.emergency.capacity} (${c.reference})`
            : `Referred to the decision body (${c.reference}): recommended ${outcomeShort(c.recommendedOutcome)}`,
          detail: [c.summary, `Presented by ${c.presentingManager.displayName}.`, ...(c.emergency ? [c.emergency.reason] : [])],
          reference: c.reference,
          caseId: c.id,
        },
      ];
      const decided = c.decision !== undefined;
      for (const v of votes) {
        // EXPERIENCE.md "Cards": your own vote is shown only to you; others' choices stay private.
        const mine = v.voter.id === caller.id;
        out.push({
          id: `vote:${c.id}:${v.voter.id}`,
          at: v.castAt,
          kind: "vote",
          title: mine ? `You voted: ${OUTCOME_WORDS[v.choice].toLowerCase()} (${c.reference})` : `${v.voter.displayName} voted (${c.reference})`,
          reference: c.reference,
          caseId: c.id,
        });
      }
      if (decided) {
        const d = c.decision!;
        const detail = [`${d.votesFor} of ${d.votesCast} votes cast, ${d.eligibleVoters} eligible; quorum ${d.quorumMet ? "met" : "not met"}.`];
        if (d.healthConsidered) detail.push(d.healthConsidered.considered ? `Underlying health issues were considered${d.healthConsidered.by ? ` by ${d.healthConsidered.by.displayName}` : ""}.` : "Underlying health issues were not considered.");
        if (d.rationale) detail.push(d.rationale);
        out.push({ id: `decision:${c.id}`, at: d.decidedAt, kind: "decision", title: `Decision: ${OUTCOME_WORDS[d.outcome].toLowerCase()} (${c.reference})`, detail, reference: c.reference, caseId: c.id });
      }
      if (c.emergency?.ratifiedAt) {
        out.push({ id: `ratified:${c.id}`, at: c.emergency.ratifiedAt, kind: "decision", title: `Emergency addition ratified (${c.reference})`, reference: c.reference, caseId: c.id });
      }
      if (c.status === "withdrawn") {
        out.push({ id: `withdrawn:${c.id}`, at: c.referredAt, kind: "referral", title: `Referral withdrawn (${c.reference})`, reference: c.reference, caseId: c.id });
      }
      return out;
    }),
};

const entries: TimelineSource = {
  name: "entries",
  items: ({ entries: list, registerName, today }) =>
    list.flatMap((e) => {
      const out: TimelineItem[] = [
        {
          id: `entry:${e.id}`,
          at: e.startsOn,
          kind: "entry",
          title: `Added to the ${registerName} at ${riskLabel(e.riskLevel).toLowerCase()} (${e.reference})${e.status === "pending-ratification" ? ", pending ratification" : ""}`,
          detail: [
            ...(e.expiresOn ? [`Ends ${formatDate(e.expiresOn)} unless extended at review.`] : ["No end date under the policy."]),
            `Record owner: ${e.recordOwner.displayName}.`,
          ],
          reference: e.reference,
          entryId: e.id,
          ...(e.caseId ? { caseId: e.caseId } : {}),
        },
      ];
      for (const r of e.restrictions) {
        out.push({ id: `restriction:${e.id}:${r.id}:start`, at: r.startsOn, kind: "restriction", title: `Restriction from ${formatDate(r.startsOn)}: ${r.staffInstruction}`, reference: e.reference, entryId: e.id });
        if (r.endsOn && r.endsOn < today) {
          out.push({ id: `restriction:${e.id}:${r.id}:end`, at: r.endsOn, kind: "restriction", title: `Restriction ended: ${r.staffInstruction}`, reference: e.reference, entryId: e.id });
        }
      }
      if (e.nextReviewOn && e.status !== "removed") {
        const overdue = e.nextReviewOn < today;
        out.push({
          id: `review-due:${e.id}`,
          at: e.nextReviewOn,
          kind: "review",
          title: overdue ? `Review overdue since ${formatDate(e.nextReviewOn)} (${e.reference})` : `Review due ${formatDate(e.nextReviewOn)} (${e.reference})`,
          reference: e.reference,
          entryId: e.id,
          upcoming: !overdue,
        });
      }
      if (e.appealInProgress) {
        out.push({ id: `appeal:${e.id}`, at: e.updatedAt, kind: "appeal", title: `Appeal in progress; the entry stays in force meanwhile (${e.reference})`, reference: e.reference, entryId: e.id });
      }
      if (e.status === "removed" && e.removedOn) {
        out.push({
          id: `removed:${e.id}`,
          at: e.removedOn,
          kind: "entry",
          title: `Removed from the ${registerName} (${e.reference})`,
          detail: [...(e.removalReason ? [e.removalReason] : []), ...(e.purgeAfter ? [`Details are deleted after ${formatDate(e.purgeAfter)}.`] : [])],
          reference: e.reference,
          entryId: e.id,
        });
      }
      return out;
    }),
};

const contacts: TimelineSource = {
  name: "contacts",
  items: ({ contacts: list, entries: all }) =>
    list.map((n) => ({
      id: `contact:${n.id}`,
      at: n.at,
      kind: "contact" as const,
      title: `${n.kind === "positive" ? "Positive" : n.kind === "neutral" ? "Neutral" : "Breach of restrictions:"} contact recorded by ${n.by.displayName}`,
      detail: [n.note],
      reference: all.find((e) => e.id === n.entryId)?.reference,
      entryId: n.entryId,
    })),
};

export const BUILT_IN_SOURCES: readonly TimelineSource[] = [incidents, cases, entries, contacts];

/** Newest first; upcoming dates (reviews due) on top. Items compare by their date, then their id. */
export function sortTimeline(items: TimelineItem[]): TimelineItem[] {
  return [...items].sort((a, b) => {
    if (!!a.upcoming !== !!b.upcoming) return a.upcoming ? -1 : 1;
    const ka = a.at.length === 10 ? `${a.at}T23:59:59.999Z` : a.at;
    const kb = b.at.length === 10 ? `${b.at}T23:59:59.999Z` : b.at;
    return ka < kb ? 1 : ka > kb ? -1 : a.id < b.id ? -1 : 1;
  });
}
