// Letters: choose a register entry, see each letter type with what the policy says it must contain, produce one
// (refused with the list of what is missing, which staff can then write in), and open any letter produced as a
// Word document. Letters hold personal details: producing and opening each is audited.
import { useCallback, useEffect, useState } from "react";
import { Button, Field, makeStyles, Select, Textarea, tokens } from "@fluentui/react-components";
import { ApiError, newIdempotencyKey } from "../api/client";
import { LETTER_TITLES, saveFile, type LetterRecord, type LetterTypeSummary, type LifecycleApi } from "../api/lifecycle";
import type { RegisterRow } from "../api/types";
import { usePortal } from "../app/context";
import { DataTable, type Column } from "../components/DataTable";
import { Done, formatWhen, Loading, Problem } from "../components/ui";

const useStyles = makeStyles({
  types: { display: "grid", gap: tokens.spacingVerticalL, gridTemplateColumns: "repeat(auto-fill, minmax(20rem, 1fr))", marginTop: tokens.spacingVerticalL },
  card: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalL },
  h3: { marginTop: 0 },
  small: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalL },
  form: { display: "grid", gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalM },
  picker: { maxWidth: "32rem" },
});

export function LifecycleLetters({ lc, can }: { lc: LifecycleApi; can: Record<string, boolean> }) {
  const styles = useStyles();
  const { api } = usePortal();
  const [entries, setEntries] = useState<RegisterRow[] | undefined>();
  const [entryId, setEntryId] = useState("");
  const [letters, setLetters] = useState<{ letters: LetterRecord[]; types: LetterTypeSummary[] } | undefined>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  useEffect(() => {
    api.searchRegister({}).then((r) => {
      const rows = r.rows.filter((x) => x.entryId);
      setEntries(rows);
      if (rows[0]?.entryId) setEntryId(rows[0].entryId);
    }, setError);
  }, [api]);
  const load = useCallback(() => {
    if (!entryId) return;
    setLetters(undefined);
    lc.letters(entryId).then(setLetters, setError);
  }, [lc, entryId]);
  useEffect(load, [load]);

  const open = async (l: LetterRecord) => {
    setError(undefined);
    try {
      saveFile(await lc.letterDocument(l.id));
    } catch (e) {
      setError(e);
    }
  };

  const columns: Column<LetterRecord>[] = [
    { id: "ref", label: "Letter", render: (l) => `${l.reference}: ${LETTER_TITLES[l.type]}`, text: (l) => `${l.reference} ${LETTER_TITLES[l.type]}` },
    { id: "when", label: "Produced", render: (l) => `${formatWhen(l.issuedAt)} by ${l.issuedBy.displayName}`, text: (l) => l.issuedAt, sortValue: (l) => l.issuedAt },
    { id: "notes", label: "Notes", render: (l) => [l.heldAtReception ? "Held at reception" : "", l.equalityQuestionnaireAttached ? "With the equality and diversity form" : ""].filter(Boolean).join("; "), sortable: false },
    { id: "open", label: "Document", sortable: false, render: (l) => <Button size="small" onClick={() => void open(l)} aria-label={`Open letter ${l.reference} as a Word document`}>Open (.docx)</Button> },
  ];

  if (error && !entries) return <Problem error={error} />;
  if (!entries) return <Loading label="Loading the register" />;
  return (
    <>
      <Field label="Register entry" className={styles.picker}>
        <Select value={entryId} onChange={(_, d) => { setDone(undefined); setEntryId(d.value); }}>
          {entries.map((r) => <option key={r.entryId} value={r.entryId}>{`${r.reference ?? ""} — ${r.name}${r.riskLabel ? ` (${r.riskLabel})` : ""}`}</option>)}
        </Select>
      </Field>
      {error ? <Problem error={error} /> : null}
      {done ? <Done title="Letter produced">{done}</Done> : null}
      {!letters ? (
        entryId ? <Loading label="Loading letters" /> : <p>There are no register entries to write about.</p>
      ) : (
        <>
          <DataTable caption="Letters produced for this entry" rows={letters.letters} rowKey={(l) => l.id} emptyText="No letters have been produced for this entry." columns={columns} />
          {can["letters.produce"] ? (
            <div className={styles.types}>
              {letters.types.map((t) => (
                <LetterCard
                  key={`${entryId}:${t.type}`}
                  lc={lc}
                  entryId={entryId}
                  summary={t}
                  onProduced={(l) => {
                    setDone(`${l.reference} is ready. Open it from the table above.`);
                    load();
                    void open(l);
                  }}
                />
              ))}
            </div>
          ) : null}
        </>
      )}
    </>
  );
}

function LetterCard({ lc, entryId, summary, onProduced }: { lc: LifecycleApi; entryId: string; summary: LetterTypeSummary; onProduced: (l: LetterRecord) => void }) {
  const styles = useStyles();
  const [key, setKey] = useState(() => newIdempotencyKey());
  const [missing, setMissing] = useState<{ part: string; message: string }[]>([]);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const produce = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await lc.produceLetter({ type: summary.type, entryId, ...(Object.keys(texts).length ? { texts } : {}) }, key);
      setMissing([]);
      setKey(newIdempotencyKey()); // the next letter of this type is a new letter
      onProduced(r.letter);
    } catch (e) {
      if (e instanceof ApiError && e.code === "LETTER_INCOMPLETE") {
        setMissing(e.errors.map((x) => ({ part: x.field.replace(/^texts\./, ""), message: x.message })));
      }
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const headingId = `letter-${summary.type}`;
  return (
    <section className={styles.card} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.h3}>{LETTER_TITLES[summary.type]}</h3>
      {summary.defined ? (
        <>
          <p className={styles.small}>{`The policy says it must${summary.source ? ` (${summary.source})` : ""}:`}</p>
          <ul className={styles.list}>{summary.required.map((p) => <li key={p.part}>{p.label}</li>)}</ul>
          {summary.ifRelevant.length ? <p className={styles.small}>{`If relevant: ${summary.ifRelevant.map((p) => p.label).join("; ")}.`}</p> : null}
          {summary.equalityQuestionnaire ? <p className={styles.small}>Sent with an equality and diversity monitoring form.</p> : null}
        </>
      ) : (
        <p className={styles.small}>{summary.note ?? "The policy sets no contents for this letter: CALM uses its standard wording."}</p>
      )}
      {error ? <Problem error={error} title={missing.length ? "Something the policy requires is missing" : "The letter was not produced"} /> : null}
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void produce(); }}>
        {missing.map((m) => (
          <Field key={m.part} label={m.message} required>
            <Textarea value={texts[m.part] ?? ""} onChange={(_, d) => setTexts({ ...texts, [m.part]: d.value })} resize="vertical" />
          </Field>
        ))}
        <Button type="submit" appearance="primary" disabled={busy}>{busy ? "Producing…" : `Produce the ${LETTER_TITLES[summary.type].toLowerCase().replace(/ \(.*\)$/, "")}`}</Button>
      </form>
    </section>
  );
}
