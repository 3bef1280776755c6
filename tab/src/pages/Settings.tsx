// The policy in force, in plain English (core describeProfile), and "calm policy explain" in the page: the dates the
// policy sets for a decision, each with the section it comes from.
import { useEffect, useState } from "react";
import { Button, Field, Input, makeStyles, Select, tokens } from "@fluentui/react-components";
import type { Explanation, Settings } from "../api/types";
import { usePortal } from "../app/context";
import { ErrorSummary, Loading, PageTitle, Problem, problemsFrom, ukToday, type FieldProblem } from "../components/ui";

const useStyles = makeStyles({
  section: { maxWidth: "52rem", marginBottom: tokens.spacingVerticalXL },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  item: { marginBottom: tokens.spacingVerticalXS },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "36rem" },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  grow: { flex: "1 1 12rem" },
  dl: { display: "grid", gridTemplateColumns: "max-content 1fr", gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}` },
  dt: { fontWeight: tokens.fontWeightSemibold },
  dd: { margin: 0 },
});

export function SettingsPage() {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [settings, setSettings] = useState<Settings | undefined>();
  const [error, setError] = useState<unknown>();
  const [decided, setDecided] = useState(ukToday());
  const [category, setCategory] = useState("");
  const [notified, setNotified] = useState("");
  const [received, setReceived] = useState("");
  const [answer, setAnswer] = useState<Explanation | undefined>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();

  useEffect(() => { api.settings().then(setSettings, setError); }, [api]);

  const explain = async () => {
    if (!decided) { setProblems([{ fieldId: "explain-decided", message: "Enter the date of the decision" }]); return; }
    setProblems([]);
    setFailure(undefined);
    try {
      setAnswer(await api.explain({ decided, ...(category ? { category } : {}), ...(notified ? { notified } : {}), ...(received ? { appealReceived: received } : {}) }));
    } catch (e) {
      const fromServer = problemsFrom(e, { decided: "explain-decided", notified: "explain-notified", appealReceived: "explain-received", category: "explain-category" }, "explain-decided");
      setProblems(fromServer);
      setFailure(fromServer.length ? undefined : e);
      setAnswer(undefined);
    }
  };

  if (error) return <><PageTitle>Policy in force</PageTitle><Problem error={error} /></>;
  if (!settings) return <Loading label="Loading the policy" />;
  return (
    <>
      <PageTitle lead={`${settings.council}: ${settings.policyTitle}. CALM follows these rules; a council changes them in its policy profile, not in code.`}>Policy in force</PageTitle>
      {settings.sections.map((s) => (
        <section key={s.heading} className={styles.section} aria-labelledby={`policy-${s.heading.replace(/\W+/g, "-")}`}>
          <h2 id={`policy-${s.heading.replace(/\W+/g, "-")}`}>{s.heading}</h2>
          <ul className={styles.list}>{s.lines.map((l) => <li key={l} className={styles.item}>{l}</li>)}</ul>
        </section>
      ))}
      <section className={styles.section} aria-labelledby="explain-heading">
        <h2 id="explain-heading">Work out the dates for a decision</h2>
        <p>Enter the date of a decision to see when the entry ends, when it is reviewed and how long the customer has to appeal.</p>
        <ErrorSummary problems={problems} />
        {failure ? <Problem error={failure} title="We could not work out the dates" /> : null}
        <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); void explain(); }}>
          <div className={styles.row}>
            <Field className={styles.grow} label="Date of the decision" required validationMessage={problems.find((p) => p.fieldId === "explain-decided")?.message}>
              <Input id="explain-decided" type="date" value={decided} onChange={(_, d) => setDecided(d.value)} />
            </Field>
            <Field className={styles.grow} label="Kind of incident (optional)">
              <Select id="explain-category" value={category} onChange={(_, d) => setCategory(d.value)}>
                <option value="">Not known</option>
                {meta.choices.categories.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
              </Select>
            </Field>
          </div>
          <div className={styles.row}>
            <Field className={styles.grow} label="Date the customer was told (optional)" validationMessage={problems.find((p) => p.fieldId === "explain-notified")?.message}>
              <Input id="explain-notified" type="date" value={notified} onChange={(_, d) => setNotified(d.value)} />
            </Field>
            <Field className={styles.grow} label="Date an appeal was received (optional)" validationMessage={problems.find((p) => p.fieldId === "explain-received")?.message}>
              <Input id="explain-received" type="date" value={received} onChange={(_, d) => setReceived(d.value)} />
            </Field>
          </div>
          <div><Button appearance="primary" type="submit">Work out the dates</Button></div>
        </form>
        {answer ? (
          <div role="status">
            <h3>The dates</h3>
            <dl className={styles.dl}>
              {answer.dates.map((d) => <div key={d.id} style={{ display: "contents" }}><dt className={styles.dt}>{d.label}</dt><dd className={styles.dd}>{d.text}</dd></div>)}
            </dl>
            {answer.sources.length ? <p>{`From ${answer.sources.join(", ")}.`}</p> : null}
          </div>
        ) : null}
      </section>
    </>
  );
}
