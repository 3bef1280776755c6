// The audit trail of a person or place: who looked at or changed their record, when, from where, and what was
// shown. Reading it is itself recorded.
import { useEffect, useState } from "react";
import { Button, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import type { AuditTrail } from "../api/types";
import { usePortal } from "../app/context";
import { DataTable } from "../components/DataTable";
import { ErrorSummary, formatWhen, Loading, PageTitle, Problem, type FieldProblem } from "../components/ui";
import { AuditChainPanel, SubjectAccessPanel } from "./AuditChain";

const useStyles = makeStyles({
  form: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap", marginBottom: tokens.spacingVerticalL },
  grow: { flex: "0 1 20rem" },
  muted: { color: tokens.colorNeutralForeground2 },
  what: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

export function AuditPage({ subjectId }: { subjectId?: string }) {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [reference, setReference] = useState("");
  const [trail, setTrail] = useState<AuditTrail | undefined>();
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const load = async (target: { subjectId: string } | { reference: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      setTrail(await api.auditTrail(target));
    } catch (e) {
      setTrail(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (subjectId) void load({ subjectId });
  }, [subjectId]);

  const submit = () => {
    const ref = reference.trim().toUpperCase();
    if (!/^[A-Z]{2,8}-\d{1,9}$/.test(ref)) {
      setProblems([{ fieldId: "audit-reference", message: "Enter a register reference, for example CAL-0042" }]);
      return;
    }
    setProblems([]);
    void load({ reference: ref });
  };

  return (
    <>
      <PageTitle lead="Every look-up, view, change, letter and decision is recorded. Opening this trail is recorded too.">Audit trail</PageTitle>
      <AuditChainPanel />
      {meta.can["sar.export"] ? <SubjectAccessPanel /> : null}
      <ErrorSummary problems={problems} />
      <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Field className={styles.grow} label="Register reference" hint="For example CAL-0042" validationMessage={problems[0]?.message}>
          <Input id="audit-reference" value={reference} onChange={(_, d) => setReference(d.value)} />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy}>Show the audit trail</Button>
      </form>
      {busy ? <Loading label="Loading the audit trail" /> : null}
      {error ? <Problem error={error} title="We could not show the audit trail" /> : null}
      {trail ? (
        <section aria-labelledby="trail-heading">
          <h2 id="trail-heading">{trail.references.length ? `Audit trail for ${trail.references.join(", ")}` : "Audit trail"}</h2>
          {!trail.directoryAvailable ? <p className={styles.muted}>Staff names could not be looked up in the directory just now, so some people are shown by their id.</p> : null}
          <DataTable
            caption="Audit events, newest first"
            rows={trail.events}
            rowKey={(e) => e.id}
            emptyText="Nothing has been recorded for this record yet."
            filterLabel="Filter events"
            columns={[
              { id: "when", label: "When", render: (e) => formatWhen(e.at), text: (e) => formatWhen(e.at), sortValue: (e) => e.at },
              { id: "who", label: "Who", render: (e) => e.actorName, text: (e) => e.actorName },
              { id: "action", label: "What they did", render: (e) => e.actionText, text: (e) => e.actionText },
              { id: "where", label: "Where", render: (e) => e.surfaceText, text: (e) => e.surfaceText },
              { id: "what", label: "Details", render: (e) => <span className={styles.what}>{e.what.join(" · ")}</span>, text: (e) => e.what.join(" ") },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}
