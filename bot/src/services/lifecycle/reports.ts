// The quarterly report (Tamworth 4 and revision history: quarterly to the Leadership Team and CMT; East Suffolk
// 3.2: to the Health and Safety Committee): incidents by category, service, channel and month; hate incidents;
// entries by risk; reviews due and overdue; appeals and outcomes; time from report to decision. Counts only: no
// names, no references to people. Shown in the tab with charts, exported as .docx or .csv.
import type { Caller, IncidentCategory, IsoDate, RiskLevel } from "../../../../core/src/domain";
import { CASE_STATUSES, CONTACT_CHANNELS, INCIDENT_CATEGORIES, RISK_LEVELS } from "../../../../core/src/domain";
import { addCalendarMonths, addDays, compareIsoDates } from "../../../../core/src/calendar/dates";
import { formatDate } from "../../../../core/src/present/entryCard";
import { reportPeriodEnd } from "../../../../core/src/rules/lifecycle";
import { sourceOf } from "../../../../core/src/policy/sources";
import type { ReportDocument } from "../../ports/lifecycle";
import { londonDate, ok, refuse, type LifecycleContext, type Result } from "./context";
import { CATEGORY_NAMES } from "../../../../core/src/present/outcomes";

export interface Count {
  key: string;
  label: string;
  count: number;
}

export interface QuarterlyReport {
  from: IsoDate;
  /** The last day of the period. */
  to: IsoDate;
  generatedAt: string;
  council: string;
  reportTo: string | null;
  source?: string;
  incidents: {
    total: number;
    hate: number;
    byCategory: Count[];
    byService: Count[];
    byChannel: Count[];
    byMonth: Count[];
  };
  entries: { current: number; byRisk: Count[]; addedInPeriod: number; removedInPeriod: number };
  reviews: { overdue: number; dueInPeriod: number; decidedInPeriod: number; byOutcome: Count[] };
  appeals: { receivedInPeriod: number; open: number; byOutcome: Count[]; ombudsmanReferrals: number; decidedLate: number };
  decisions: { count: number; medianDays: number | null; meanDays: number | null; longestDays: number | null };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, " ");

/** The quarter a date falls in: 1 January, 1 April, 1 July or 1 October. */
export function quarterStart(date: IsoDate): IsoDate {
  const [y, m] = date.split("-").map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  return `${y}-${String(q).padStart(2, "0")}-01`;
}

function within(date: IsoDate, from: IsoDate, toExclusive: IsoDate): boolean {
  return date >= from && date < toExclusive;
}

function counted(map: Map<string, number>, labels: (k: string) => string, keys?: readonly string[]): Count[] {
  const all = keys ?? [...map.keys()].sort();
  return all.map((key) => ({ key, label: labels(key), count: map.get(key) ?? 0 }));
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round(((s[mid - 1]! + s[mid]!) / 2) * 10) / 10;
}

export class ReportService {
  constructor(private readonly ctx: LifecycleContext) {}

  /** The report for the period starting `from` (default: the current quarter), ending by the policy's cadence. */
  async quarterly(input: { from?: IsoDate; to?: IsoDate } = {}): Promise<Result<QuarterlyReport>> {
    const today = this.ctx.today();
    const from = input.from ?? quarterStart(today);
    const end = input.to !== undefined ? addDays(input.to, 1) : reportPeriodEnd(this.ctx.profile, from);
    if (compareIsoDates(end, from) <= 0) return refuse("REPORT_PERIOD_INVALID", "The report period ends before it starts. Check the dates.");
    if (compareIsoDates(end, addCalendarMonths(from, 24)) > 0) return refuse("REPORT_PERIOD_TOO_LONG", "A report covers at most two years. Choose a shorter period.");
    const { stores, lifecycle } = this.ctx.deps;

    const byCategory = new Map<string, number>();
    const byService = new Map<string, number>();
    const byChannel = new Map<string, number>();
    const byMonth = new Map<string, number>();
    let total = 0;
    let hate = 0;
    const reportedAt = new Map<string, string>();
    for await (const subject of stores.subjects.list()) {
      for (const i of await stores.incidents.listBySubject(subject.id)) {
        reportedAt.set(i.id, i.reportedAt);
        const on = londonDate(new Date(i.occurredAt));
        if (!within(on, from, end)) continue;
        total++;
        if (i.hateIncident || i.category === "hate-incident") hate++;
        bump(byCategory, i.category);
        bump(byService, i.serviceArea || "Not recorded");
        bump(byChannel, i.channel);
        bump(byMonth, on.slice(0, 7));
      }
    }
    const months: string[] = [];
    for (let m = from.slice(0, 7); `${m}-01` < end; m = addCalendarMonths(`${m}-01`, 1).slice(0, 7)) months.push(m);

    const byRisk = new Map<string, number>();
    let current = 0;
    let added = 0;
    for await (const e of stores.register.listCurrent()) {
      current++;
      bump(byRisk, e.riskLevel);
      if (within(e.startsOn, from, end)) added++;
    }
    const retention = await lifecycle.retention.find();
    const removed = retention.filter((r) => within(r.removedOn, from, end)).length;
    for (const r of retention) {
      const e = await stores.register.get(r.id);
      if (e && within(e.startsOn, from, end)) added++;
    }

    const reviews = await lifecycle.reviews.find();
    let overdue = 0;
    for (const r of reviews) if (r.status === "open" && r.dueOn < today) overdue++;
    for (const e of await stores.register.listDueForReview(today)) {
      if (e.nextReviewOn !== undefined && e.nextReviewOn < today && !reviews.some((r) => r.entryId === e.id && r.status === "open")) overdue++;
    }
    const reviewOutcomes = new Map<string, number>();
    let decidedReviews = 0;
    for (const r of reviews) {
      if (r.status === "decided" && r.decidedAt && within(londonDate(new Date(r.decidedAt)), from, end)) {
        decidedReviews++;
        bump(reviewOutcomes, r.outcome ?? "remove");
      }
    }
    const dueInPeriod = reviews.filter((r) => within(r.dueOn, from, end)).length;

    const appeals = (await lifecycle.appeals.find()).filter((a) => a.route === "appeal" || a.status === "referred");
    const appealOutcomes = new Map<string, number>();
    let late = 0;
    for (const a of appeals) {
      if (a.status === "decided" && a.decidedOn && within(a.decidedOn, from, end)) {
        bump(appealOutcomes, a.outcome ?? "upheld");
        if (a.decisionDueOn && a.decidedOn > a.decisionDueOn) late++;
      }
    }

    const days: number[] = [];
    for (const status of CASE_STATUSES) {
      for (const c of await stores.cases.listByStatus(status)) {
        if (!c.decision || !within(londonDate(new Date(c.decision.decidedAt)), from, end)) continue;
        const reports = c.incidentIds.map((id) => reportedAt.get(id)).filter((x): x is string => x !== undefined).sort();
        const first = reports[0] ?? c.referredAt;
        days.push(Math.max(0, Math.round((Date.parse(c.decision.decidedAt) - Date.parse(first)) / 86_400_000)));
      }
    }

    const source = sourceOf(this.ctx.profile, "reporting");
    return ok({
      from,
      to: addDays(end, -1),
      generatedAt: this.ctx.nowIso(),
      council: this.ctx.profile.council,
      reportTo: this.ctx.profile.reporting.to,
      ...(source === undefined ? {} : { source }),
      incidents: {
        total,
        hate,
        byCategory: counted(byCategory, (k) => CATEGORY_NAMES[k as IncidentCategory] ?? k, INCIDENT_CATEGORIES),
        byService: counted(byService, (k) => k),
        byChannel: counted(byChannel, cap, CONTACT_CHANNELS),
        byMonth: counted(byMonth, (k) => formatDate(`${k}-01`).replace(/^1 /, ""), months),
      },
      entries: { current, byRisk: counted(byRisk, (k) => `${cap(k)} risk`, RISK_LEVELS as readonly RiskLevel[]), addedInPeriod: added, removedInPeriod: removed },
      reviews: { overdue, dueInPeriod, decidedInPeriod: decidedReviews, byOutcome: counted(reviewOutcomes, cap, ["remove", "extend", "vary"]) },
      appeals: {
        receivedInPeriod: appeals.filter((a) => a.route === "appeal" && within(a.receivedOn, from, end)).length,
        open: appeals.filter((a) => a.status === "received").length,
        byOutcome: counted(appealOutcomes, cap, ["upheld", "varied", "overturned"]),
        ombudsmanReferrals: appeals.filter((a) => a.ombudsmanReferralOn !== undefined && within(a.ombudsmanReferralOn, from, end)).length,
        decidedLate: late,
      },
      decisions: {
        count: days.length,
        medianDays: median(days),
        meanDays: days.length === 0 ? null : Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10,
        longestDays: days.length === 0 ? null : Math.max(...days),
      },
    });
  }

  /** The report as CSV: one row per figure, `section,item,count`, RFC 4180 quoting. */
  csv(report: QuarterlyReport): string {
    const rows: (string | number)[][] = [["section", "item", "count"]];
    const add = (section: string, list: Count[]) => list.forEach((c) => rows.push([section, c.label, c.count]));
    rows.push(["period", `${report.from} to ${report.to}`, ""]);
    rows.push(["incidents", "Total", report.incidents.total], ["incidents", "Hate incidents", report.incidents.hate]);
    add("incidents by category", report.incidents.byCategory);
    add("incidents by service", report.incidents.byService);
    add("incidents by channel", report.incidents.byChannel);
    add("incidents by month", report.incidents.byMonth);
    rows.push(["entries", "Current", report.entries.current], ["entries", "Added in period", report.entries.addedInPeriod], ["entries", "Removed in period", report.entries.removedInPeriod]);
    add("entries by risk", report.entries.byRisk);
    rows.push(["reviews", "Overdue", report.reviews.overdue], ["reviews", "Due in period", report.reviews.dueInPeriod], ["reviews", "Decided in period", report.reviews.decidedInPeriod]);
    add("review outcomes", report.reviews.byOutcome);
    rows.push(["appeals", "Received in period", report.appeals.receivedInPeriod], ["appeals", "Waiting for a decision", report.appeals.open], ["appeals", "Decided after the deadline", report.appeals.decidedLate], ["appeals", "Ombudsman referrals", report.appeals.ombudsmanReferrals]);
    add("appeal outcomes", report.appeals.byOutcome);
    rows.push(
      ["report to decision", "Decisions", report.decisions.count],
      ["report to decision", "Median days", report.decisions.medianDays ?? ""],
      ["report to decision", "Mean days", report.decisions.meanDays ?? ""],
      ["report to decision", "Longest days", report.decisions.longestDays ?? ""],
    );
    return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  /** The report as a document for the .docx writer. */
  document(report: QuarterlyReport): ReportDocument {
    const table = (title: string, list: Count[]) => ({ title, columns: ["", "Number"], rows: list.map((c) => [c.label, c.count]) });
    return {
      title: `${report.council}: unreasonable customer behaviour report`,
      subtitle: `${formatDate(report.from)} to ${formatDate(report.to)}${report.reportTo ? ` — for ${report.reportTo}` : ""}`,
      generatedText: `Produced by CALM on ${formatDate(londonDate(new Date(report.generatedAt)))}${report.source ? `. Reporting: ${report.source}` : ""}. Counts only: no person is named.`,
      tables: [
        { title: "Incidents", columns: ["", "Number"], rows: [["Incidents reported", report.incidents.total], ["Hate incidents", report.incidents.hate]] },
        table("Incidents by category", report.incidents.byCategory.filter((c) => c.count > 0)),
        table("Incidents by service", report.incidents.byService),
        table("Incidents by channel", report.incidents.byChannel.filter((c) => c.count > 0)),
        table("Incidents by month", report.incidents.byMonth),
        { title: "Register entries", columns: ["", "Number"], rows: [["Current entries", report.entries.current], ["Added in the period", report.entries.addedInPeriod], ["Removed in the period", report.entries.removedInPeriod], ...report.entries.byRisk.map((c) => [c.label, c.count])] },
        { title: "Reviews", columns: ["", "Number"], rows: [["Overdue now", report.reviews.overdue], ["Due in the period", report.reviews.dueInPeriod], ["Decided in the period", report.reviews.decidedInPeriod], ...report.reviews.byOutcome.map((c) => [`Outcome: ${c.label.toLowerCase()}`, c.count])] },
        { title: "Appeals", columns: ["", "Number"], rows: [["Received in the period", report.appeals.receivedInPeriod], ["Waiting for a decision", report.appeals.open], ["Decided after the deadline", report.appeals.decidedLate], ["Referred to the Ombudsman", report.appeals.ombudsmanReferrals], ...report.appeals.byOutcome.map((c) => [`Outcome: ${c.label.toLowerCase()}`, c.count])] },
        {
          title: "Time from first report to decision",
          columns: ["", "Days"],
          rows: [["Decisions in the period", report.decisions.count], ["Median", report.decisions.medianDays ?? "—"], ["Mean", report.decisions.meanDays ?? "—"], ["Longest", report.decisions.longestDays ?? "—"]],
        },
      ],
      notes: ["Removed entries drop out of these figures once their details are deleted under the retention policy."],
    };
  }

  async export(caller: Caller, report: QuarterlyReport, format: "csv" | "docx"): Promise<{ data: Buffer; contentType: string; fileName: string }> {
    await this.ctx.audit(this.ctx.actor(caller), "export", { what: ["report", `${report.from}..${report.to}`, format] });
    const base = `calm-report-${report.from}-to-${report.to}`;
    if (format === "csv") return { data: Buffer.from(this.csv(report), "utf8"), contentType: "text/csv; charset=utf-8", fileName: `${base}.csv` };
    return {
      data: await this.ctx.deps.reports.renderDocx(this.document(report)),
      contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      fileName: `${base}.docx`,
    };
  }
}

function csvCell(value: string | number): string {
  const s = String(value);
  // Quote when needed, and defuse formula injection in spreadsheet programs.
  const safe = /^[=+\-@]/.test(s) && typeof value === "string" ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
