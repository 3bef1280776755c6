// The scheduler and the retention purge: when the scheduler runs next, what its last run did, work that keeps
// failing; the retention rule in force, what the next purge would delete (a dry run) and, where the policy sets no
// period, purging a removed entry by hand with a reason.
import { useCallback, useEffect, useState } from "react";
import { Button, Checkbox, Field, makeStyles, Textarea, tokens } from "@fluentui/react-components";
import type { JobResult, LifecycleApi, PurgePlan, SchedulerView } from "../api/lifecycle";
import { DataTable } from "../components/DataTable";
import { Done, formatDate, formatWhen, Loading, Problem } from "../components/ui";

const JOB_WORDS: Record<string, string> = {
  "review-due": "Reviews due: opened and posted to the decision body's channel",
  expiry: "Entries whose period has ended",
  "appeal-reminder": "Appeal deadline reminders",
  "register-watch": "Register changes: retention records and service markers",
  "webhook-delivery": "Notifications to services (webhooks and channels)",
  "retention-purge": "Retention purge",
  housekeeping: "Housekeeping",
};

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXL },
  form: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "40rem", marginTop: tokens.spacingVerticalM },
  bad: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

export function LifecycleScheduler({ lc, can }: { lc: LifecycleApi; can: Record<string, boolean> }) {
  const styles = useStyles();
  const [status, setStatus] = useState<SchedulerView | undefined>();
  const [plan, setPlan] = useState<PurgePlan | undefined>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const [running, setRunning] = useState(false);
  const load = useCallback(() => {
    lc.scheduler().then(setStatus, setError);
    if (can["retention.read"]) lc.retention().then(setPlan, setError);
  }, [lc, can]);
  useEffect(load, [load]);

  const runNow = async () => {
    setRunning(true);
    setError(undefined);
    try {
      const run = await lc.runScheduler();
      setDone(`Ran at ${formatWhen(run.finishedAt)}: ${run.results.reduce((n, r) => n + r.ran, 0)} piece(s) of work done, ${run.results.reduce((n, r) => n + r.failed, 0)} failed.`);
      load();
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };

  if (error && !status) return <Problem error={error} />;
  if (!status) return <Loading label="Loading the scheduler" />;
  const last = status.lastRun;
  return (
    <>
      {error ? <Problem error={error} /> : null}
      {done ? <Done title="Scheduler run">{done}</Done> : null}
      <section aria-labelledby="sched-h">
        <h2 id="sched-h">Scheduler</h2>
        <p>
          {`It runs every ${Math.round(status.intervalMs / 1000)} seconds on each server; each piece of work is claimed by one server at a time. `}
          {status.nextRunAt ? `Next run on this server: ${formatWhen(status.nextRunAt)}.` : "It is not running on this server."}
        </p>
        <p>
          {last
            ? `Last run: ${formatWhen(last.finishedAt)} on ${last.instanceId}, ${last.ok ? "with no failures" : "with failures (see below)"}. Next expected by ${formatWhen(last.nextRunAt)}.`
            : "It has not run yet."}
        </p>
        {can["scheduler.run"] ? <Button onClick={() => void runNow()} disabled={running}>{running ? "Running…" : "Run now"}</Button> : null}
        {last ? (
          <DataTable<JobResult>
            caption="What the last run did"
            rows={last.results}
            rowKey={(r) => r.job}
            emptyText="Nothing."
            columns={[
              { id: "job", label: "Work", render: (r) => JOB_WORDS[r.job] ?? r.job, text: (r) => JOB_WORDS[r.job] ?? r.job },
              { id: "found", label: "Due", render: (r) => r.found, sortValue: (r) => r.found },
              { id: "ran", label: "Done", render: (r) => r.ran, sortValue: (r) => r.ran },
              { id: "skipped", label: "Left to another server or already done", render: (r) => r.skipped, sortValue: (r) => r.skipped },
              { id: "failed", label: "Failed", render: (r) => (r.failed ? <span className={styles.bad}>{r.failed}</span> : 0), sortValue: (r) => r.failed },
              { id: "notes", label: "Notes", render: (r) => r.notes.join("; "), sortable: false },
            ]}
          />
        ) : null}
        {status.failed.length ? (
          <>
            <h3>Work that failed every attempt</h3>
            <ul>{status.failed.map((f) => <li key={f.id}>{`${JOB_WORDS[f.job] ?? f.job}: ${f.attempts} attempts. ${f.result ?? ""}`}</li>)}</ul>
          </>
        ) : null}
      </section>
      <section className={styles.section} aria-labelledby="purge-h">
        <h2 id="purge-h">Retention purge</h2>
        <p>{`${status.purge.rule}${status.purge.source ? ` (${status.purge.source})` : ""}`}</p>
        <p>
          {`Due now: ${status.purge.dueNow}. Removed entries waiting: ${status.purge.waiting}.${status.purge.nextPurgeOn ? ` Next purge: ${formatDate(status.purge.nextPurgeOn)}.` : ""}`}
          {status.purge.lastResult ? ` Last purge run: ${status.purge.lastResult.ran} purged, ${status.purge.lastResult.failed} failed.` : ""}
        </p>
        {plan ? <PurgePlanView lc={lc} plan={plan} canPurge={can["retention.purge"] === true} onPurged={(text) => { setDone(text); load(); }} /> : null}
      </section>
    </>
  );
}

function PurgePlanView({ lc, plan, canPurge, onPurged }: { lc: LifecycleApi; plan: PurgePlan; canPurge: boolean; onPurged: (text: string) => void }) {
  const styles = useStyles();
  const [chosen, setChosen] = useState<string | undefined>();
  const [reason, setReason] = useState("");
  const [early, setEarly] = useState(false);
  const [error, setError] = useState<unknown>();
  const target = plan.waiting.find((w) => w.entryId === chosen);
  const purge = async () => {
    if (!target) return;
    setError(undefined);
    try {
      const r = await lc.purge(target.entryId, { reason, ...(early ? { early: true } : {}) });
      onPurged(`${target.reference} purged: ${r.counts.incidents} incident(s), ${r.counts.letters} letter(s), ${r.counts.evidenceFiles + r.counts.letterFiles} file(s) deleted. A tombstone is in the audit log.`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h3>Dry run: what the purge would delete today</h3>
      {plan.due.length === 0 ? <p>Nothing is due for deletion today.</p> : null}
      {plan.due.map((d) => (
        <p key={d.entryId}>{`${d.reference} (removed ${formatDate(d.removedOn)}): ${d.counts.incidents} incident(s) with ${d.counts.evidenceFiles} evidence file(s), ${d.counts.cases} case(s) with ${d.counts.votes} vote(s), ${d.counts.letters} letter(s), ${d.counts.reviews} review(s), ${d.counts.appeals} appeal(s), ${d.counts.warnings} warning(s)${d.subjectDeleted ? ", and the person's record" : ""}.`}</p>
      ))}
      <DataTable
        caption="Removed entries waiting"
        rows={plan.waiting}
        rowKey={(w) => w.entryId}
        emptyText="No removed entries are waiting."
        columns={[
          { id: "ref", label: "Reference", render: (w) => w.reference, text: (w) => w.reference },
          { id: "removed", label: "Removed", render: (w) => formatDate(w.removedOn), sortValue: (w) => w.removedOn },
          { id: "after", label: "Purge after", render: (w) => (w.purgeAfter ? formatDate(w.purgeAfter) : "No period set"), sortValue: (w) => w.purgeAfter ?? "9999" },
          { id: "act", label: "Action", sortable: false, render: (w) => (canPurge ? <Button size="small" onClick={() => setChosen(w.entryId)} aria-label={`Purge ${w.reference} by hand`}>Purge by hand</Button> : null) },
        ]}
      />
      {target ? (
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void purge(); }}>
          <h3>{`Purge ${target.reference} now`}</h3>
          {error ? <Problem error={error} /> : null}
          <Field label="Why now (for example the council's retention schedule, or an erasure request)" required>
            <Textarea value={reason} onChange={(_, d) => setReason(d.value)} resize="vertical" />
          </Field>
          {target.purgeAfter ? <Checkbox checked={early} onChange={(_, d) => setEarly(d.checked === true)} label={`Purge before ${formatDate(target.purgeAfter)}, when the policy would`} /> : null}
          <Button appearance="primary" type="submit">Delete everything about this entry</Button>
        </form>
      ) : null}
    </>
  );
}
