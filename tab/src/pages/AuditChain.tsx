// Two panels on the audit trail page for the DPO and auditors (issue 8):
// - whether the audit log is intact: the server re-reads the whole hash chain and names any event that was
//   changed, deleted or added (the same check as `calm audit verify`);
// - subject access: one archive of everything held about a person, by id, email address or phone number (the same
//   as `calm sar export`). Both actions are recorded in the audit log.
import { useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import type { AuditVerification } from "../api/types";
import { usePortal } from "../app/context";
import { DataTable } from "../components/DataTable";
import { ErrorSummary, formatWhen, Loading, Problem, type FieldProblem } from "../components/ui";

const useStyles = makeStyles({
  panel: { marginBottom: tokens.spacingVerticalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  grow: { flex: "0 1 22rem" },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

const KIND_WORDS: Record<string, string> = {
  altered: "Changed after it was written",
  "broken-link": "Chain broken here",
  missing: "Deleted",
  "head-mismatch": "Newest events removed",
  "index-altered": "Listing copy changed",
  "index-missing": "Listing copy missing (repairable)",
  "not-chained": "Not in the chain (added outside CALM)",
};

export function AuditChainPanel() {
  const { api } = usePortal();
  const styles = useStyles();
  const [result, setResult] = useState<AuditVerification | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const check = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.auditChain(true));
    } catch (e) {
      setResult(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.panel} aria-labelledby="chain-heading">
      <h2 id="chain-heading">Is the audit log intact?</h2>
      <p>Each event is sealed with the one before it, so a changed, deleted or added event shows up here. The check reads the whole log.</p>
      <div className={styles.row}>
        <Button appearance="secondary" onClick={() => void check()} disabled={busy}>Check the audit log now</Button>
        {busy ? <Loading label="Checking every event" /> : null}
      </div>
      {error ? <Problem error={error} title="We could not check the audit log" /> : null}
      {result ? (
        <>
          <MessageBar intent={result.intact ? "success" : "error"} role={result.intact ? "status" : "alert"}>
            <MessageBarBody>
              <MessageBarTitle>{result.intact ? "The audit log is intact" : "The audit log is NOT intact"}</MessageBarTitle>
              {result.intact
                ? `All ${result.events} events in ${result.chains.length} chain${result.chains.length === 1 ? "" : "s"} check out (${formatWhen(result.checkedAt)}).`
                : `${result.problemCount} problem${result.problemCount === 1 ? "" : "s"} found in ${result.events} events. Keep this page as evidence and tell the Information Asset Owner and IT security.`}
            </MessageBarBody>
          </MessageBar>
          {result.problems.length > 0 ? (
            <DataTable
              caption={result.problemCount > result.problems.length ? `The first ${result.problems.length} of ${result.problemCount} problems` : "Problems found"}
              rows={result.problems}
              rowKey={(p) => `${p.kind}-${p.chainId ?? ""}-${String(p.seq ?? "")}-${p.eventId ?? ""}`}
              emptyText="No problems."
              filterLabel="Filter problems"
              columns={[
                { id: "kind", label: "What", render: (p) => KIND_WORDS[p.kind] ?? p.kind, text: (p) => KIND_WORDS[p.kind] ?? p.kind },
                { id: "where", label: "Where", render: (p) => <span className={styles.mono}>{`${p.chainId ?? ""} #${String(p.seq ?? "")}`}</span>, text: (p) => `${p.chainId ?? ""} ${String(p.seq ?? "")}` },
                { id: "event", label: "Event", render: (p) => <span className={styles.mono}>{p.eventId ?? ""}</span>, text: (p) => p.eventId ?? "" },
                { id: "detail", label: "Details", render: (p) => p.message, text: (p) => p.message },
              ]}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function SubjectAccessPanel() {
  const { api } = usePortal();
  const styles = useStyles();
  const [subject, setSubject] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ fileName: string; sha256: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const exportIt = async () => {
    if (subject.trim().length === 0) {
      setProblems([{ fieldId: "sar-subject", message: "Enter the person's CALM id, or an email address or phone number held for them" }]);
      return;
    }
    setProblems([]);
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const file = await api.subjectAccessExport(subject.trim());
      const url = URL.createObjectURL(file.blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = file.fileName;
      a.click();
      URL.revokeObjectURL(url);
      setDone({ fileName: file.fileName, sha256: file.sha256 });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.panel} aria-labelledby="sar-heading">
      <h2 id="sar-heading">Subject access request</h2>
      <p>Download one archive of everything CALM holds about a person, to review before release. It contains other people&apos;s data: read its README first. The download is recorded in the audit log.</p>
      <ErrorSummary problems={problems} />
      <form className={styles.row} noValidate onSubmit={(e) => { e.preventDefault(); void exportIt(); }}>
        <Field className={styles.grow} label="The person" hint="Their CALM id, or an email address or phone number held for them (a name is not enough)" validationMessage={problems[0]?.message}>
          <Input id="sar-subject" value={subject} onChange={(_, d) => setSubject(d.value)} autoComplete="off" />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy}>Download the archive</Button>
      </form>
      {busy ? <Loading label="Gathering everything held" /> : null}
      {error ? <Problem error={error} title="We could not export that person's data" /> : null}
      {done ? (
        <MessageBar intent="success" role="status">
          <MessageBarBody>
            <MessageBarTitle>Downloaded {done.fileName}</MessageBarTitle>
            SHA-256 <span className={styles.mono}>{done.sha256}</span> — the same value is in the audit log, so the archive can be checked later.
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
