// The quarterly report (Tamworth 4: quarterly to the Leadership Team; East Suffolk 3.2: to the Health and Safety
// Committee): incidents by category, service, channel and month, hate incidents, entries by risk, reviews due and
// overdue, appeals and outcomes, time from report to decision. Charts are drawn as SVG bars, each with the same
// figures in a table beside it (a chart alone is not accessible). Exported as .docx or .csv.
import { useEffect, useMemo, useState } from "react";
import { Button, Field, makeStyles, Select, tokens } from "@fluentui/react-components";
import { saveFile, type LifecycleApi, type QuarterlyReport } from "../api/lifecycle";
import { DataTable } from "../components/DataTable";
import { formatDate, Loading, Problem, ukToday } from "../components/ui";

interface Count {
  key: string;
  label: string;
  count: number;
}

const useStyles = makeStyles({
  bar: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "flex-end", marginBottom: tokens.spacingVerticalL },
  figures: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(12rem, 1fr))", gap: tokens.spacingHorizontalL, margin: `${tokens.spacingVerticalL} 0` },
  figure: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalM },
  number: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, display: "block" },
  chartBlock: { display: "grid", gridTemplateColumns: "minmax(16rem, 28rem) minmax(14rem, 1fr)", gap: tokens.spacingHorizontalXL, alignItems: "start", marginBottom: tokens.spacingVerticalXL },
  svgText: { fill: tokens.colorNeutralForeground1, fontSize: "12px" },
  svgBar: { fill: tokens.colorBrandBackground },
  picker: { minWidth: "14rem" },
});

/** The quarters to offer: this one and the seven before it. */
function quarters(today: string): { from: string; label: string }[] {
  const [y, m] = today.split("-").map(Number) as [number, number];
  let year = y;
  let q = Math.floor((m - 1) / 3);
  const out: { from: string; label: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const month = q * 3 + 1;
    const from = `${year}-${String(month).padStart(2, "0")}-01`;
    out.push({ from, label: `${["January to March", "April to June", "July to September", "October to December"][q]} ${year}` });
    q -= 1;
    if (q < 0) {
      q = 3;
      year -= 1;
    }
  }
  return out;
}

function BarChart({ title, data }: { title: string; data: Count[] }) {
  const styles = useStyles();
  const rows = data.filter((d) => d.count > 0);
  const max = Math.max(1, ...rows.map((d) => d.count));
  const rowHeight = 24;
  const labelWidth = 190;
  const width = 440;
  const height = Math.max(1, rows.length) * rowHeight + 8;
  const summary = rows.length ? rows.map((d) => `${d.label} ${d.count}`).join(", ") : "none";
  return (
    <svg role="img" aria-label={`${title}: ${summary}`} width="100%" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMinYMin meet">
      {rows.length === 0 ? <text x="0" y="16" className={styles.svgText}>None in this period</text> : null}
      {rows.map((d, i) => {
        const w = Math.max(2, ((width - labelWidth - 40) * d.count) / max);
        const y = i * rowHeight + 4;
        return (
          <g key={d.key}>
            <text x="0" y={y + 15} className={styles.svgText}>{d.label.length > 28 ? `${d.label.slice(0, 27)}…` : d.label}</text>
            <rect x={labelWidth} y={y + 3} width={w} height={rowHeight - 8} className={styles.svgBar} />
            <text x={labelWidth + w + 6} y={y + 15} className={styles.svgText}>{d.count}</text>
          </g>
        );
      })}
    </svg>
  );
}

function Chart({ id, title, data }: { id: string; title: string; data: Count[] }) {
  const styles = useStyles();
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{title}</h3>
      <div className={styles.chartBlock}>
        <BarChart title={title} data={data} />
        <DataTable caption={title} rows={data} rowKey={(r) => r.key} emptyText="None in this period." columns={[{ id: "label", label: "What", render: (r) => r.label, text: (r) => r.label }, { id: "count", label: "Number", render: (r) => r.count, sortValue: (r) => r.count }]} />
      </div>
    </section>
  );
}

export function LifecycleReports({ lc }: { lc: LifecycleApi }) {
  const styles = useStyles();
  const options = useMemo(() => quarters(ukToday()), []);
  const [from, setFrom] = useState(options[0]!.from);
  const [report, setReport] = useState<QuarterlyReport | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setReport(undefined);
    lc.report(from).then(setReport, setError);
  }, [lc, from]);
  const download = async (format: "csv" | "docx") => {
    setError(undefined);
    try {
      saveFile(await lc.reportFile(from, format));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <div className={styles.bar}>
        <Field label="Quarter" className={styles.picker}>
          <Select value={from} onChange={(_, d) => setFrom(d.value)}>
            {options.map((o) => <option key={o.from} value={o.from}>{o.label}</option>)}
          </Select>
        </Field>
        <Button onClick={() => void download("docx")}>Download as Word (.docx)</Button>
        <Button onClick={() => void download("csv")}>Download as a spreadsheet (.csv)</Button>
      </div>
      {error ? <Problem error={error} /> : null}
      {!report ? (
        <Loading label="Working out the report" />
      ) : (
        <>
          <p>{`${formatDate(report.from)} to ${formatDate(report.to)}${report.reportTo ? `, for ${report.reportTo}` : ""}${report.source ? ` (${report.source})` : ""}. Counts only: no person is named.`}</p>
          <div className={styles.figures}>
            {[
              ["Incidents reported", report.incidents.total],
              ["Hate incidents", report.incidents.hate],
              ["Current register entries", report.entries.current],
              ["Reviews overdue now", report.reviews.overdue],
              ["Appeals waiting", report.appeals.open],
              ["Median days from report to decision", report.decisions.medianDays ?? "—"],
            ].map(([label, n]) => (
              <div key={String(label)} className={styles.figure}>
                <span className={styles.number}>{n}</span>
                {label}
              </div>
            ))}
          </div>
          <Chart id="cat" title="Incidents by category" data={report.incidents.byCategory} />
          <Chart id="svc" title="Incidents by service" data={report.incidents.byService} />
          <Chart id="chan" title="Incidents by channel" data={report.incidents.byChannel} />
          <Chart id="month" title="Incidents by month" data={report.incidents.byMonth} />
          <Chart id="risk" title="Register entries by risk" data={report.entries.byRisk} />
          <Chart id="rev" title="Review outcomes in the period" data={report.reviews.byOutcome} />
          <Chart id="app" title="Appeal outcomes in the period" data={report.appeals.byOutcome} />
          <p>{`Decisions in the period: ${report.decisions.count}; mean ${report.decisions.meanDays ?? "—"} days, longest ${report.decisions.longestDays ?? "—"} days from the first report. Appeals decided after their deadline: ${report.appeals.decidedLate}. Ombudsman referrals: ${report.appeals.ombudsmanReferrals}.`}</p>
        </>
      )}
    </>
  );
}
