// "Reporting several emails from the same person adds to one persistent-contact report where the policy allows"
// (issue 5 item 2; East Suffolk 4.2: "a single report can be completed covering multiple individual contacts").
// Finds the caller's own open report on a sender: one they filed, in a category the policy lets cover many
// contacts (profile incidentReports.multiContactCategories), not yet referred to the decision body. Only the
// caller's own reports are ever returned, so this reveals nothing about other people's reports or subjects.
import type { Caller, IncidentCategory } from "../../../core/src/domain";
import { normaliseEmail } from "../../../core/src/normalise";
import type { Stores } from "../ports/stores";

export interface OpenReport {
  id: string;
  reference: string;
  category: IncidentCategory;
  contactCount: number;
  reportedAt: string;
}

export interface OpenReportAnswer {
  /** The subject the report is about, when there is one (null otherwise). */
  subjectId: string | null;
  report: OpenReport | null;
}

export class OpenReportFinder {
  constructor(
    private readonly deps: {
      stores: Pick<Stores, "subjects" | "incidents">;
      /** The categories the policy lets one report cover many contacts in; null or empty: none. */
      multiContactCategories: readonly IncidentCategory[] | null;
    },
  ) {}

  async find(caller: Caller, input: { subjectId?: string; email?: string }): Promise<OpenReportAnswer> {
    const categories = this.deps.multiContactCategories ?? [];
    const none: OpenReportAnswer = { subjectId: input.subjectId ?? null, report: null };
    if (categories.length === 0) return none;
    let candidates: string[] = [];
    if (input.subjectId) candidates = [input.subjectId];
    else if (input.email) {
      const email = normaliseEmail(input.email);
      if (email) candidates = (await this.deps.stores.subjects.findIdsByIdentifier("email", email)).slice(0, 20);
    }
    let best: { subjectId: string; report: OpenReport } | undefined;
    for (const subjectId of candidates) {
      for (const incident of await this.deps.stores.incidents.listBySubject(subjectId)) {
        if (incident.reporter.id !== caller.id || incident.caseId || !categories.includes(incident.category)) continue;
        if (best && best.report.reportedAt >= incident.reportedAt) continue;
        best = {
          subjectId,
          report: {
            id: incident.id,
            reference: incident.reference,
            category: incident.category,
            contactCount: incident.contactCount ?? incident.contacts?.length ?? 1,
            reportedAt: incident.reportedAt,
          },
        };
      }
    }
    return best ?? none;
  }
}
