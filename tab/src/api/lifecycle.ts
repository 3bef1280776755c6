// The lifecycle API (docs/api.md "Lifecycle") for the tab's pages: reviews, appeals, letters, reports, the
// scheduler and retention. Calls go through the one fetch module (ApiClient); the types are the server's own.
import type { ApiClient } from "./client";
import type { ReviewEvidenceView, ReviewListItem } from "../../../bot/src/services/lifecycle/reviews";
import type { QuarterlyReport } from "../../../bot/src/services/lifecycle/reports";
import type { PurgeCounts, PurgePlan } from "../../../bot/src/services/lifecycle/retention";
import type { SchedulerStatus } from "../../../bot/src/services/lifecycle/scheduler";
import type { AppealRecord, JobResult, LetterRecord, SchedulerRunRecord } from "../../../bot/src/ports/lifecycle";
import type { LetterType } from "../../../core/src/domain";
import type { LetterTypeSummary } from "../../../core/src/rules/letters";

export type { AppealRecord, JobResult, LetterRecord, LetterTypeSummary, PurgeCounts, PurgePlan, QuarterlyReport, ReviewEvidenceView, ReviewListItem };

export interface ReviewList {
  today: string;
  approver: { approver: string; interval: string | null; sources: string[] };
  items: ReviewListItem[];
}

export interface AppealList {
  today: string;
  policy: { route: "appeal" | "complaints-process"; window: string | null; from: string | null; decidedBy: string[]; decisionDeadline: string | null; independentDecider: boolean; ombudsman: boolean; sources: string[] };
  appeals: AppealRecord[];
}

export interface SchedulerView extends SchedulerStatus {
  purge: { rule: string; source?: string; dueNow: number; waiting: number; nextPurgeOn: string | null; lastResult: JobResult | null };
}

export const LETTER_TITLES: Record<LetterType, string> = {
  warning: "Warning letter",
  restriction: "Restriction letter (low or medium risk)",
  "legal-cease-and-desist": "Legal letter with cease and desist (high risk)",
  "review-outcome": "Review outcome letter",
  "appeal-outcome": "Appeal outcome letter",
  "divert-notice": "Email divert notice",
};

const enc = encodeURIComponent;

export function lifecycleApi(api: ApiClient) {
  return {
    reviews: () => api.call<ReviewList>("GET", "/api/lifecycle/reviews"),
    review: (id: string) => api.call<ReviewEvidenceView>("GET", `/api/lifecycle/reviews/${enc(id)}`),
    startReview: (entryId: string) => api.call<{ review: { id: string } }>("POST", `/api/lifecycle/entries/${enc(entryId)}/review`),
    justify: (reviewId: string, justification: string) => api.call<unknown>("POST", `/api/lifecycle/reviews/${enc(reviewId)}/justification`, { justification }),
    decideReview: (reviewId: string, input: { outcome: "remove" | "extend" | "vary"; approvedOn: string; approvalReference?: string; reasons: string }) =>
      api.call<unknown>("POST", `/api/lifecycle/reviews/${enc(reviewId)}/decision`, input),
    appeals: (status?: string) => api.call<AppealList>("GET", `/api/lifecycle/appeals${status ? `?status=${enc(status)}` : ""}`),
    receiveAppeal: (entryId: string, input: { receivedOn: string; grounds: string; acceptLateReason?: string }, key: string) =>
      api.call<{ appeal: AppealRecord }>("POST", `/api/lifecycle/entries/${enc(entryId)}/appeals`, input, { "idempotency-key": key }),
    decideAppeal: (appealId: string, input: { outcome: "upheld" | "varied" | "overturned"; reasons: string }) => api.call<{ appeal: AppealRecord }>("POST", `/api/lifecycle/appeals/${enc(appealId)}/decision`, input),
    ombudsman: (input: { appealId?: string; entryId?: string; referredOn: string; reference?: string }) => api.call<{ appeal: AppealRecord }>("POST", "/api/lifecycle/ombudsman-referrals", input),
    letters: (entryId: string) => api.call<{ letters: LetterRecord[]; types: LetterTypeSummary[] }>("GET", `/api/lifecycle/letters?entryId=${enc(entryId)}`),
    produceLetter: (input: { type: LetterType; entryId: string; texts?: Record<string, string> }, key: string) =>
      api.call<{ letter: LetterRecord; duplicate: boolean }>("POST", "/api/lifecycle/letters", input, { "idempotency-key": key }),
    letterDocument: (letterId: string) => api.download(`/api/lifecycle/letters/${enc(letterId)}/document`),
    report: (from?: string) => api.call<QuarterlyReport>("GET", `/api/lifecycle/reports/quarterly${from ? `?from=${enc(from)}` : ""}`),
    reportFile: (from: string, format: "csv" | "docx") => api.download(`/api/lifecycle/reports/quarterly?from=${enc(from)}&format=${format}`),
    scheduler: () => api.call<SchedulerView>("GET", "/api/lifecycle/scheduler"),
    runScheduler: () => api.call<Omit<SchedulerRunRecord, "etag">>("POST", "/api/lifecycle/scheduler/run"),
    retention: () => api.call<PurgePlan>("GET", "/api/lifecycle/retention"),
    purge: (entryId: string, input: { reason: string; early?: boolean }) => api.call<{ purged: boolean; counts: PurgeCounts }>("POST", `/api/lifecycle/retention/${enc(entryId)}/purge`, input),
  };
}

export type LifecycleApi = ReturnType<typeof lifecycleApi>;

/** Saves a downloaded file through the browser (a letter or a report). */
export function saveFile(file: { blob: Blob; fileName: string }): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
