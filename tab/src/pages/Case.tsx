// A case: the referral, its papers, and the same vote as the card in the decision body's channel (docs/api.md
// "ballot"): progress, who has not voted, your own vote only, conflict declarations, and for the chair the
// rulings and closing the vote, which records the decision.
import { useCallback, useEffect, useState } from "react";
import { Button, Checkbox, Field, Link, makeStyles, Radio, RadioGroup, Textarea, tokens } from "@fluentui/react-components";
import type { CaseView } from "../api/types";
import { labelOf, usePortal } from "../app/context";
import { href } from "../app/router";
import { Done, ErrorSummary, formatWhen, Loading, PageTitle, Problem, problemsFrom, type FieldProblem } from "../components/ui";

const STATUS_WORDS: Record<string, string> = {
  draft: "Draft",
  referred: "Referred, waiting for votes",
  voting: "Voting",
  decided: "Decided",
  "pending-ratification": "Pending ratification",
  withdrawn: "Withdrawn",
};

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXXL, maxWidth: "46rem" },
  dl: { display: "grid", gridTemplateColumns: "max-content 1fr", gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`, margin: 0 },
  dt: { fontWeight: tokens.fontWeightSemibold },
  dd: { margin: 0 },
  progress: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  fieldset: { border: "none", padding: 0, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
});

export function CasePage({ id }: { id: string }) {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [view, setView] = useState<CaseView | undefined>();
  const [error, setError] = useState<unknown>();
  /** The entry a decision just put on the register (the close answer names it). */
  const [listed, setListed] = useState<{ id: string; reference: string; status: string } | undefined>();

  const load = useCallback(async () => {
    try {
      setView(await api.caseView(id));
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, [api, id]);

  useEffect(() => { void load(); }, [load]);

  if (error && !view) return <><PageTitle>Case not found</PageTitle><Problem error={error} /><p><Link href={href({ page: "panel" })}>Back to the panel workspace</Link></p></>;
  if (!view) return <Loading label="Loading the case" />;
  const c = view.case;
  const b = view.ballot;
  const entry = c.entry ?? listed;
  const outcome = (o: string) => labelOf(meta.choices.outcomes, o);

  return (
    <>
      <PageTitle>{`Case ${c.reference}`}</PageTitle>
      <dl className={styles.dl}>
        <dt className={styles.dt}>Status</dt><dd className={styles.dd}>{STATUS_WORDS[c.status] ?? c.status}</dd>
        <dt className={styles.dt}>Summary</dt><dd className={styles.dd}>{c.summary}</dd>
        <dt className={styles.dt}>Recommended</dt><dd className={styles.dd}>{outcome(c.recommendedOutcome)}</dd>
        <dt className={styles.dt}>Presented by</dt><dd className={styles.dd}>{c.presentingManager.displayName}</dd>
        <dt className={styles.dt}>Referred</dt><dd className={styles.dd}>{formatWhen(c.referredAt)}</dd>
        <dt className={styles.dt}>Papers</dt><dd className={styles.dd}>{c.papersUrl ? <Link href={c.papersUrl} target="_blank" rel="noreferrer">Open the papers (opens in a new tab)</Link> : "No papers linked"}</dd>
        <dt className={styles.dt}>Incidents</dt><dd className={styles.dd}>{c.incidentIds.length}</dd>
      </dl>
      {meta.can["subjects.read"] ? <p><Link href={href({ page: "subject", id: c.subjectId })}>Open the person's page</Link></p> : null}
      {c.emergency ? <p>{`Emergency addition by the ${c.emergency.capacity} on ${formatWhen(c.emergency.at)}: ${c.emergency.reason}`}</p> : null}

      {c.decision ? (
        <section className={styles.section} aria-labelledby="decision-heading">
          <h2 id="decision-heading">Decision</h2>
          <Done title={outcome(c.decision.outcome)}>
            {`${c.decision.votesFor} of ${c.decision.votesCast} votes cast (${c.decision.eligibleVoters} eligible); quorum ${c.decision.quorumMet ? "met" : "not met"}. Decided ${formatWhen(c.decision.decidedAt)}.`}
          </Done>
          {entry ? <p>{`On the register as ${entry.reference}.`} {meta.can["subjects.read"] ? <Link href={href({ page: "subject", id: c.subjectId })}>See the entry</Link> : null}</p> : null}
          {c.decision.rationale ? <p>{c.decision.rationale}</p> : null}
        </section>
      ) : null}

      <section className={styles.section} aria-labelledby="vote-heading">
        <h2 id="vote-heading">The vote</h2>
        <p className={styles.progress} role="status">{b.progressText}</p>
        {b.notVoted.length > 0 && b.open ? <p>{`Not voted yet: ${b.notVoted.map((m) => m.displayName).join(", ")}.`}</p> : null}
        {b.tally ? (
          <ul className={styles.list} aria-label="Votes so far">
            {Object.entries(b.tally).filter(([, n]) => n > 0).map(([o, n]) => <li key={o}>{`${outcome(o)}: ${n}`}</li>)}
          </ul>
        ) : null}
        {b.open && !b.result.ok ? <p>{`If the chair closed the vote now: ${b.result.message}`}</p> : null}
        {b.open && b.result.ok ? <p>{`If the chair closed the vote now: ${outcome(b.result.outcome)} (${b.result.votesFor} in favour).`}</p> : null}
        {b.yourVote ? <p>{`Your vote: ${outcome(b.yourVote)}.`}</p> : null}
        {b.sources.length ? <p>{`Rules from ${b.sources.join(", ")}.`}</p> : null}
      </section>

      {b.open && b.you.canVote ? <VoteForm caseId={c.id} current={b.yourVote} onDone={load} /> : null}
      {b.open && b.you.member && !b.you.conflict ? <ConflictForm caseId={c.id} onDone={load} /> : null}
      {b.open && b.you.chair && view.conflicts?.some((x) => x.excluded === undefined) ? <Rulings view={view} onDone={load} /> : null}
      {b.open && b.you.canClose ? <CloseForm caseId={c.id} onDone={async (entryClosed) => { setListed(entryClosed ?? undefined); await load(); }} /> : null}
    </>
  );
}

function VoteForm({ caseId, current, onDone }: { caseId: string; current: string | null; onDone: () => Promise<void> }) {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [choice, setChoice] = useState(current ?? "");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!choice) { setProblems([{ fieldId: "vote-choice", message: "Choose how you vote" }]); return; }
    setBusy(true); setFailure(undefined);
    try {
      const res = await api.vote(caseId, choice);
      setDone(res.changed ? "Your vote is recorded." : "Your vote was already recorded; nothing changed.");
      setProblems([]);
      await onDone();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="cast-heading">
      <h2 id="cast-heading">{current ? "Change your vote" : "Cast your vote"}</h2>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="Your vote was not recorded" /> : null}
      {done ? <Done title={done} /> : null}
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Your vote</legend>
          <RadioGroup id="vote-choice" value={choice} onChange={(_, d) => setChoice(d.value)} aria-label="Your vote">
            {meta.choices.outcomes.map((o) => <Radio key={o.id} value={o.id} label={o.label} />)}
          </RadioGroup>
        </fieldset>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>{choice ? `Vote: ${labelOf(meta.choices.outcomes, choice).toLowerCase()}` : "Cast vote"}</Button>
          {busy ? <Loading label="Recording your vote" /> : null}
        </div>
      </form>
    </section>
  );
}

function ConflictForm({ caseId, onDone }: { caseId: string; onDone: () => Promise<void> }) {
  const { api } = usePortal();
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const submit = async () => {
    if (!reason.trim()) { setProblems([{ fieldId: "conflict-reason", message: "Say what the conflict of interest is" }]); return; }
    try {
      await api.declareConflict(caseId, reason.trim());
      setOpen(false);
      await onDone();
    } catch (e) {
      setProblems(problemsFrom(e, { reason: "conflict-reason" }, "conflict-reason"));
      setFailure(e);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">Conflict of interest</h2>
      <p>If you know the person or were involved, declare it. The chair decides whether you may vote.</p>
      {!open ? <Button onClick={() => setOpen(true)}>Declare a conflict of interest</Button> : (
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <ErrorSummary problems={problems} />
          {failure && problems.length === 0 ? <Problem error={failure} /> : null}
          <Field label="What is the conflict?" required validationMessage={problems[0]?.message}>
            <Textarea id="conflict-reason" value={reason} onChange={(_, d) => setReason(d.value)} maxLength={1000} />
          </Field>
          <div className={styles.actions}>
            <Button appearance="primary" type="submit">Declare the conflict</Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      )}
    </section>
  );
}

function Rulings({ view, onDone }: { view: CaseView; onDone: () => Promise<void> }) {
  const { api } = usePortal();
  const styles = useStyles();
  const [failure, setFailure] = useState<unknown>();
  const rule = async (memberId: string, excluded: boolean) => {
    try {
      await api.ruleConflict(view.case.id, memberId, excluded);
      await onDone();
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="rulings-heading">
      <h2 id="rulings-heading">Conflicts to rule on</h2>
      {failure ? <Problem error={failure} /> : null}
      <ul className={styles.list}>
        {view.conflicts!.filter((x) => x.excluded === undefined).map((x) => (
          <li key={x.memberId}>
            <p>{`${x.displayName}: ${x.reason}`}</p>
            <div className={styles.actions}>
              <Button onClick={() => void rule(x.memberId, true)}>{`Exclude ${x.displayName} from this vote`}</Button>
              <Button onClick={() => void rule(x.memberId, false)}>{`Let ${x.displayName} vote`}</Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CloseForm({ caseId, onDone }: { caseId: string; onDone: (entry: { id: string; reference: string; status: string } | null) => Promise<void> }) {
  const { api } = usePortal();
  const styles = useStyles();
  const [health, setHealth] = useState(false);
  const [healthNote, setHealthNote] = useState("");
  const [rationale, setRationale] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true); setFailure(undefined);
    try {
      const closed = await api.closeVote(caseId, { healthConsidered: { considered: health, ...(healthNote.trim() ? { note: healthNote.trim() } : {}) }, ...(rationale.trim() ? { rationale: rationale.trim() } : {}) });
      setProblems([]);
      await onDone(closed.entry);
    } catch (e) {
      const fromServer = problemsFrom(e, { healthConsidered: "close-health", rationale: "close-rationale" }, "close-rationale");
      setProblems(fromServer);
      setFailure(fromServer.length ? undefined : e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="close-heading">
      <h2 id="close-heading">Close the vote and record the decision</h2>
      <p>The votes cast are counted under the council's rules. If the vote is not quorate or is tied, nothing is recorded and you are told why.</p>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="The decision was not recorded" /> : null}
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Checkbox id="close-health" checked={health} onChange={(_, d) => setHealth(d.checked === true)} label="The panel considered any underlying health issues" />
        <Field label="Note about health issues (optional)">
          <Textarea id="close-health-note" value={healthNote} onChange={(_, d) => setHealthNote(d.value)} />
        </Field>
        <Field label="Reasons for the decision (optional)" validationMessage={problems.find((p) => p.fieldId === "close-rationale")?.message}>
          <Textarea id="close-rationale" value={rationale} onChange={(_, d) => setRationale(d.value)} maxLength={5000} />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>Close the vote and record the decision</Button>
          {busy ? <Loading label="Recording the decision" /> : null}
        </div>
      </form>
    </section>
  );
}
