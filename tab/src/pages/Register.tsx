// The register: search by name, email, phone, reference or address; filter by risk, service area, status, review
// due and people or premises. The server decides what this person may see (their tier and grants); the table
// sorts and filters what came back.
import { useEffect, useState } from "react";
import { Button, Checkbox, Field, Input, Link, makeStyles, Select, tokens } from "@fluentui/react-components";
import type { RegisterQuery, RegisterRow, SearchResult } from "../api/types";
import { usePortal } from "../app/context";
import { href } from "../app/router";
import { DataTable, type Column } from "../components/DataTable";
import { formatDate, Loading, PageTitle, Problem, RiskBadge } from "../components/ui";

const RISK_ORDER = { high: 3, medium: 2, low: 1 } as const;
const DEFAULT_STATUSES = ["active", "pending-ratification", "under-review"];

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "60rem", marginBottom: tokens.spacingVerticalXL },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, alignItems: "flex-start" },
  grow: { flex: "1 1 14rem" },
  fieldset: { border: "none", padding: 0, margin: 0, display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS, padding: 0 },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center" },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground2 },
});

export function RegisterPage() {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [text, setText] = useState("");
  const [risk, setRisk] = useState<string[]>([]);
  const [serviceArea, setServiceArea] = useState("");
  const [statuses, setStatuses] = useState<string[]>(DEFAULT_STATUSES);
  const [reviewDue, setReviewDue] = useState("");
  const [kind, setKind] = useState("");
  const [result, setResult] = useState<SearchResult | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const run = async (query: RegisterQuery) => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.searchRegister(query));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void run({});
    // Load the register once when the page opens; later searches come from the form.
  }, []);

  const query = (): RegisterQuery => ({
    ...(text.trim() ? { text: text.trim() } : {}),
    ...(risk.length ? { risk: risk as RegisterQuery["risk"] } : {}),
    ...(serviceArea ? { serviceArea } : {}),
    ...(statuses.length ? { status: statuses as RegisterQuery["status"] } : {}),
    ...(reviewDue ? { reviewDue: reviewDue as RegisterQuery["reviewDue"] } : {}),
    ...(kind ? { kind: kind as RegisterQuery["kind"] } : {}),
  });

  const clear = () => {
    setText(""); setRisk([]); setServiceArea(""); setStatuses(DEFAULT_STATUSES); setReviewDue(""); setKind("");
    void run({});
  };

  const toggle = (list: string[], set: (v: string[]) => void, id: string, on: boolean) => set(on ? [...list, id] : list.filter((x) => x !== id));
  const statusChoices = meta.choices.statuses.filter((s) => s.id !== "not-listed" || meta.can["register.unlisted"]);
  const areas = [...new Set([...meta.choices.serviceAreas, ...(result?.serviceAreas ?? [])])].sort((a, b) => a.localeCompare(b, "en-GB"));

  const columns: Column<RegisterRow>[] = [
    {
      id: "name",
      label: "Name or place",
      render: (r) => <Link href={href({ page: "subject", id: r.subjectId })}>{r.name}</Link>,
      text: (r) => `${r.name} ${r.kind === "premises" ? "premises" : ""}`,
    },
    { id: "reference", label: "Reference", render: (r) => r.reference ?? <span className={styles.muted}>None yet</span>, text: (r) => r.reference ?? "" },
    { id: "kind", label: "Type", render: (r) => (r.kind === "premises" ? "Premises" : r.kind === "representative" ? "Representative" : "Person"), text: (r) => r.kind },
    {
      id: "risk",
      label: "Risk",
      render: (r) => (r.riskLevel ? <RiskBadge level={r.riskLevel} label={r.riskLabel} /> : <span className={styles.muted}>Not assessed</span>),
      text: (r) => r.riskLabel ?? "",
      sortValue: (r) => (r.riskLevel ? RISK_ORDER[r.riskLevel] : 0),
    },
    { id: "status", label: "Status", render: (r) => <>{r.statusText}{r.appealInProgress ? <><br />Appeal in progress</> : null}</>, text: (r) => `${r.statusText} ${r.appealInProgress ? "appeal in progress" : ""}` },
    { id: "services", label: "Service areas", render: (r) => r.serviceAreas.join(", ") || <span className={styles.muted}>All</span>, text: (r) => r.serviceAreas.join(" ") },
    {
      id: "review",
      label: "Review due",
      render: (r) => (r.nextReviewOn ? <span className={r.reviewState === "overdue" ? styles.overdue : undefined}>{formatDate(r.nextReviewOn)}{r.reviewState === "overdue" ? " (overdue)" : ""}</span> : <span className={styles.muted}>None</span>),
      text: (r) => (r.nextReviewOn ? `${formatDate(r.nextReviewOn)} ${r.reviewState}` : ""),
      sortValue: (r) => r.nextReviewOn ?? "9999",
    },
    { id: "incidents", label: "Incidents", render: (r) => String(r.incidentCount), text: (r) => String(r.incidentCount), sortValue: (r) => r.incidentCount },
  ];

  return (
    <>
      <PageTitle lead="You see the entries your role allows. Searching for someone is recorded in the audit log.">Register</PageTitle>
      <form role="search" aria-label="Search the register" className={styles.form} onSubmit={(e) => { e.preventDefault(); void run(query()); }}>
        <Field label="Name, email, phone number, reference or address">
          <Input id="register-text" value={text} onChange={(_, d) => setText(d.value)} />
        </Field>
        <div className={styles.row}>
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>Risk</legend>
            {meta.choices.riskLevels.map((r) => (
              <Checkbox key={r.id} label={r.label} checked={risk.includes(r.id)} onChange={(_, d) => toggle(risk, setRisk, r.id, d.checked === true)} />
            ))}
          </fieldset>
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>Status</legend>
            {statusChoices.map((s) => (
              <Checkbox key={s.id} label={s.label} checked={statuses.includes(s.id)} onChange={(_, d) => toggle(statuses, setStatuses, s.id, d.checked === true)} />
            ))}
          </fieldset>
        </div>
        <div className={styles.row}>
          <Field className={styles.grow} label="Service area">
            <Select id="register-service" value={serviceArea} onChange={(_, d) => setServiceArea(d.value)}>
              <option value="">Any service area</option>
              {areas.map((a) => <option key={a} value={a}>{a}</option>)}
            </Select>
          </Field>
          <Field className={styles.grow} label="Review due">
            <Select id="register-review" value={reviewDue} onChange={(_, d) => setReviewDue(d.value)}>
              <option value="">Any time</option>
              <option value="overdue">Overdue</option>
              <option value="within-30-days">Within 30 days (and overdue)</option>
              <option value="within-90-days">Within 90 days (and overdue)</option>
            </Select>
          </Field>
          <Field className={styles.grow} label="People or premises">
            <Select id="register-kind" value={kind} onChange={(_, d) => setKind(d.value)}>
              <option value="">People and premises</option>
              <option value="people">People only</option>
              <option value="premises">Premises only</option>
            </Select>
          </Field>
        </div>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>Search</Button>
          <Button onClick={clear} disabled={busy}>Clear filters</Button>
          {busy ? <Loading label="Searching" /> : null}
        </div>
      </form>
      {error ? <Problem error={error} title="We could not search the register" /> : null}
      {result ? (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          <p role="status">
            {result.total === 0 ? "No entries match." : `${result.total} ${result.total === 1 ? "entry" : "entries"} found${result.truncated ? `; showing the first ${result.rows.length}. Narrow the search to see the rest` : ""}.`}
          </p>
          <DataTable
            caption="Register entries"
            columns={columns}
            rows={result.rows}
            rowKey={(r) => r.entryId ?? r.subjectId}
            emptyText="No entries match the search."
            filterLabel="Filter these results"
          />
        </section>
      ) : null}
    </>
  );
}
