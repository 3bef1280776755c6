// Appeals and their deadlines: the policy's window and decider, appeals waiting with their decision dates, and the
// forms to record an appeal as it arrives (the window is checked), decide it (by an appeal officer who took no
// part in the decision, where the policy says so) and record an Ombudsman referral.
import { useCallback, useEffect, useMemo, useState } from "react";
import { Button, Field, Input, makeStyles, Radio, RadioGroup, Select, Textarea, tokens } from "@fluentui/react-components";
import type { AppealList, AppealRecord, LifecycleApi } from "../api/lifecycle";
import { newIdempotencyKey } from "../api/client";
import { usePortal } from "../app/context";
import type { RegisterRow } from "../api/types";
import { DataTable, type Column } from "../components/DataTable";
import { Done, formatDate, Loading, Problem, ukToday } from "../components/ui";

const useStyles = makeStyles({
  form: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "40rem", marginTop: tokens.spacingVerticalL },
  section: { marginTop: tokens.spacingVerticalXL },
  late: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

const STATUS_WORDS: Record<AppealRecord["status"], string> = { received: "Waiting for a decision", decided: "Decided", withdrawn: "Withdrawn", referred: "Referred to the Ombudsman" };

export function LifecycleAppeals({ lc, can }: { lc: LifecycleApi; can: Record<string, boolean> }) {
  const styles = useStyles();
  const { api } = usePortal();
  const [list, setList] = useState<AppealList | undefined>();
  const [entries, setEntries] = useState<RegisterRow[]>([]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const [deciding, setDeciding] = useState<AppealRecord | undefined>();
  const load = useCallback(() => {
    lc.appeals().then(setList, setError);
  }, [lc]);
  useEffect(load, [load]);
  useEffect(() => {
    if (can["appeals.record"]) api.searchRegister({}).then((r) => setEntries(r.rows.filter((x) => x.entryId)), setError);
  }, [api, can]);

  const today = list?.today ?? ukToday();
  const columns: Column<AppealRecord>[] = [
    { id: "ref", label: "Reference", render: (a) => a.reference, text: (a) => a.reference },
    { id: "received", label: "Received", render: (a) => formatDate(a.receivedOn), text: (a) => formatDate(a.receivedOn), sortValue: (a) => a.receivedOn },
    { id: "window", label: "In time", render: (a) => (a.inTime === null ? "No window set" : a.inTime ? "Yes" : <span className={styles.late}>{`Late, accepted: ${a.lateAcceptedReason ?? ""}`}</span>), sortable: false },
    {
      id: "due",
      label: "Decide by",
      render: (a) => (a.decisionDueOn ? <span className={a.status === "received" && a.decisionDueOn < today ? styles.late : undefined}>{`${formatDate(a.decisionDueOn)}${a.status === "received" && a.decisionDueOn < today ? " (overdue)" : ""}`}</span> : "No deadline set"),
      text: (a) => formatDate(a.decisionDueOn),
      sortValue: (a) => a.decisionDueOn ?? "9999",
    },
    { id: "status", label: "Status", render: (a) => `${STATUS_WORDS[a.status]}${a.outcome ? `: ${a.outcome}` : ""}${a.ombudsmanReferralOn ? ` · Ombudsman ${formatDate(a.ombudsmanReferralOn)}` : ""}`, text: (a) => STATUS_WORDS[a.status] },
    {
      id: "action",
      label: "Action",
      sortable: false,
      render: (a) =>
        a.status === "received" && can["appeals.decide"] ? (
          <Button size="small" onClick={() => { setDone(undefined); setDeciding(a); }} aria-label={`Decide the appeal on ${a.reference}`}>Decide</Button>
        ) : a.status === "decided" && can["appeals.record"] && list?.policy.ombudsman && !a.ombudsmanReferralOn ? (
          <Button size="small" onClick={() => void referral(a)} aria-label={`Record that the appeal on ${a.reference} went to the Ombudsman`}>Ombudsman referral</Button>
        ) : null,
    },
  ];

  const referral = async (a: AppealRecord) => {
    setError(undefined);
    try {
      await lc.ombudsman({ appealId: a.id, referredOn: ukToday() });
      setDone(`Recorded that the appeal on ${a.reference} went to the Local Government and Social Care Ombudsman today.`);
      load();
    } catch (e) {
      setError(e);
    }
  };

  if (error && !list) return <Problem error={error} />;
  if (!list) return <Loading label="Loading appeals" />;
  const p = list.policy;
  return (
    <>
      {p.route === "appeal" ? (
        <p>
          {`Appeals go to ${p.decidedBy.join(" or ")}${p.window ? `, within ${p.window} of the ${p.from ?? "decision"}` : "; the policy sets no window"}${p.decisionDeadline ? `, and are decided within ${p.decisionDeadline}` : ""}.${p.independentDecider ? " The decider must not have taken part in the original decision." : ""}${p.sources.length ? ` (${p.sources.join(", ")})` : ""}`}
        </p>
      ) : (
        <p>{`The policy has no appeal: a customer who disagrees uses the council's complaints process, then the Ombudsman${p.sources.length ? ` (${p.sources.join(", ")})` : ""}.`}</p>
      )}
      {error ? <Problem error={error} /> : null}
      {done ? <Done title="Saved">{done}</Done> : null}
      <DataTable caption="Appeals" rows={list.appeals} rowKey={(a) => a.id} emptyText="No appeals have been recorded." columns={columns} filterLabel="Filter appeals" />
      {deciding ? (
        <DecideForm
          key={deciding.id}
          lc={lc}
          appeal={deciding}
          onDone={(text) => {
            setDeciding(undefined);
            setDone(text);
            load();
          }}
        />
      ) : null}
      {can["appeals.record"] && p.route === "appeal" ? (
        <ReceiveForm
          lc={lc}
          entries={entries}
          onDone={(text) => {
            setDone(text);
            load();
          }}
        />
      ) : null}
    </>
  );
}

function ReceiveForm({ lc, entries, onDone }: { lc: LifecycleApi; entries: RegisterRow[]; onDone: (text: string) => void }) {
  const styles = useStyles();
  const key = useMemo(() => newIdempotencyKey(), []);
  const [entryId, setEntryId] = useState("");
  const [receivedOn, setReceivedOn] = useState(ukToday());
  const [grounds, setGrounds] = useState("");
  const [late, setLate] = useState("");
  const [error, setError] = useState<unknown>();
  const [outOfTime, setOutOfTime] = useState(false);
  const submit = async () => {
    setError(undefined);
    try {
      const r = await lc.receiveAppeal(entryId, { receivedOn, grounds, ...(late.trim() ? { acceptLateReason: late.trim() } : {}) }, key);
      onDone(`Appeal on ${r.appeal.reference} recorded${r.appeal.decisionDueOn ? `; it must be decided by ${formatDate(r.appeal.decisionDueOn)}` : ""}. The entry stays in force with an "appeal in progress" note.`);
      setGrounds("");
      setLate("");
      setOutOfTime(false);
    } catch (e) {
      setError(e);
      setOutOfTime((e as { code?: string }).code === "APPEAL_OUT_OF_TIME");
    }
  };
  return (
    <section className={styles.section} aria-labelledby="receive-heading">
      <h2 id="receive-heading">Record an appeal as it arrives</h2>
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        {error ? <Problem error={error} /> : null}
        <Field label="Register entry" required>
          <Select value={entryId} onChange={(_, d) => setEntryId(d.value)}>
            <option value="">Choose the entry</option>
            {entries.map((r) => <option key={r.entryId} value={r.entryId}>{`${r.reference ?? ""} — ${r.name}`}</option>)}
          </Select>
        </Field>
        <Field label="Date the appeal was received" required>
          <Input type="date" value={receivedOn} max={ukToday()} onChange={(_, d) => setReceivedOn(d.value)} />
        </Field>
        <Field label="Grounds, as the customer gave them" required>
          <Textarea value={grounds} onChange={(_, d) => setGrounds(d.value)} resize="vertical" />
        </Field>
        {outOfTime ? (
          <Field label="Why accept it although it is late" required>
            <Textarea value={late} onChange={(_, d) => setLate(d.value)} resize="vertical" />
          </Field>
        ) : null}
        <Button appearance="primary" type="submit" disabled={!entryId}>Record the appeal</Button>
      </form>
    </section>
  );
}

function DecideForm({ lc, appeal, onDone }: { lc: LifecycleApi; appeal: AppealRecord; onDone: (text: string) => void }) {
  const styles = useStyles();
  const [outcome, setOutcome] = useState<"upheld" | "varied" | "overturned">("upheld");
  const [reasons, setReasons] = useState("");
  const [error, setError] = useState<unknown>();
  const submit = async () => {
    setError(undefined);
    try {
      await lc.decideAppeal(appeal.id, { outcome, reasons });
      onDone(`The appeal on ${appeal.reference} is decided: ${outcome}. Produce the appeal outcome letter from the Letters tab.`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="decide-heading">
      <h2 id="decide-heading">{`Decide the appeal on ${appeal.reference}`}</h2>
      <p>{`Received ${formatDate(appeal.receivedOn)}. Grounds: ${appeal.grounds}`}</p>
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        {error ? <Problem error={error} /> : null}
        <Field label="Outcome" required>
          <RadioGroup value={outcome} onChange={(_, d) => setOutcome(d.value as "upheld" | "varied" | "overturned")}>
            <Radio value="upheld" label="Upheld: the decision stands" />
            <Radio value="varied" label="Varied: change the restrictions on the person's page first" />
            <Radio value="overturned" label="Overturned: the entry is removed" />
          </RadioGroup>
        </Field>
        <Field label="Reasons" required hint="These go in the appeal outcome letter.">
          <Textarea value={reasons} onChange={(_, d) => setReasons(d.value)} resize="vertical" />
        </Field>
        <Button appearance="primary" type="submit">{`Record: ${outcome}`}</Button>
      </form>
    </section>
  );
}
