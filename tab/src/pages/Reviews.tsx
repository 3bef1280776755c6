// Reviews due and overdue, and appeals in progress. What the register knows today (its review dates and the
// "appeal in progress" note); features that keep reviews and appeals add their own sections with deadlines.
import { useEffect, useState } from "react";
import { Link, makeStyles, tokens } from "@fluentui/react-components";
import type { RegisterRow, WorkList } from "../api/types";
import { usePortal } from "../app/context";
import { href } from "../app/router";
import { DataTable, type Column } from "../components/DataTable";
import { formatDate, Loading, PageTitle, Problem, RiskBadge } from "../components/ui";

const RISK_ORDER = { high: 3, medium: 2, low: 1 } as const;
const useStyles = makeStyles({ section: { marginTop: tokens.spacingVerticalXL }, overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold } });

export function ReviewsPage() {
  const { api } = usePortal();
  const styles = useStyles();
  const [work, setWork] = useState<WorkList | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => { api.workList().then(setWork, setError); }, [api]);

  const columns = (dueLabel: string, extra?: Column<RegisterRow & { note?: string; dueText?: string; dueOn?: string }>): Column<RegisterRow & { note?: string; dueText?: string; dueOn?: string }>[] => [
    { id: "name", label: "Name or place", render: (r) => <Link href={href({ page: "subject", id: r.subjectId })}>{r.name}</Link>, text: (r) => r.name },
    { id: "ref", label: "Reference", render: (r) => r.reference ?? "", text: (r) => r.reference ?? "" },
    { id: "risk", label: "Risk", render: (r) => (r.riskLevel ? <RiskBadge level={r.riskLevel} label={r.riskLabel} /> : null), text: (r) => r.riskLabel ?? "", sortValue: (r) => (r.riskLevel ? RISK_ORDER[r.riskLevel] : 0) },
    { id: "due", label: dueLabel, render: (r) => <span className={r.reviewState === "overdue" ? styles.overdue : undefined}>{r.dueText ?? formatDate(r.nextReviewOn)}{r.reviewState === "overdue" && !r.dueText ? " (overdue)" : ""}</span>, text: (r) => r.dueText ?? formatDate(r.nextReviewOn), sortValue: (r) => r.nextReviewOn ?? "9999" },
    { id: "services", label: "Service areas", render: (r) => r.serviceAreas.join(", ") || "All", text: (r) => r.serviceAreas.join(" ") },
    ...(extra ? [extra] : []),
  ];

  if (error) return <><PageTitle>Reviews and appeals</PageTitle><Problem error={error} /></>;
  if (!work) return <Loading label="Loading reviews and appeals" />;
  return (
    <>
      <PageTitle lead={`Today is ${formatDate(work.today)}. Entries stay in force until their review is decided.`}>Reviews and appeals</PageTitle>
      <section className={styles.section} aria-labelledby="overdue-heading">
        <h2 id="overdue-heading">{`Reviews overdue (${work.overdue.length})`}</h2>
        <DataTable caption="Reviews overdue" rows={work.overdue} rowKey={(r) => r.entryId ?? r.subjectId} emptyText="No reviews are overdue." columns={columns("Review was due")} />
      </section>
      <section className={styles.section} aria-labelledby="soon-heading">
        <h2 id="soon-heading">{`Reviews due in the next 30 days (${work.dueSoon.length})`}</h2>
        <DataTable caption="Reviews due in the next 30 days" rows={work.dueSoon} rowKey={(r) => r.entryId ?? r.subjectId} emptyText="No reviews are due in the next 30 days." columns={columns("Review due")} />
      </section>
      <section className={styles.section} aria-labelledby="later-heading">
        <h2 id="later-heading">{`Reviews due in 31 to 90 days (${work.upcoming.length})`}</h2>
        <DataTable caption="Reviews due in 31 to 90 days" rows={work.upcoming} rowKey={(r) => r.entryId ?? r.subjectId} emptyText="No reviews are due in 31 to 90 days." columns={columns("Review due")} />
      </section>
      <section className={styles.section} aria-labelledby="appeals-heading">
        <h2 id="appeals-heading">{`Appeals in progress (${work.appeals.length})`}</h2>
        <DataTable caption="Appeals in progress" rows={work.appeals} rowKey={(r) => r.entryId ?? r.subjectId} emptyText="No appeals are in progress." columns={columns("Next review", { id: "note", label: "Appeal", render: (r) => r.note ?? "", text: (r) => r.note ?? "", sortable: false })} />
      </section>
      {work.sections.map((s) => (
        <section key={s.id} className={styles.section} aria-labelledby={`${s.id}-heading`}>
          <h2 id={`${s.id}-heading`}>{`${s.heading} (${s.rows.length})`}</h2>
          <DataTable caption={s.heading} rows={s.rows} rowKey={(r) => `${r.entryId ?? r.subjectId}:${r.dueOn ?? ""}`} emptyText={s.emptyText} columns={columns("Due", { id: "note", label: "Note", render: (r) => r.note ?? "", text: (r) => r.note ?? "", sortable: false })} />
        </section>
      ))}
    </>
  );
}
