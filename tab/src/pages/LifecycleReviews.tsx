// Review decisions: reviews overdue, due and coming up; for one review, what has happened since the last decision
// (new incidents, breaches, positive or neutral contact), what the policy suggests, and the outcome form for the
// body the policy names (Dorset 5.1, East Suffolk 4.7, West Lindsey 13, West Oxfordshire Monitoring and Review).
import { useCallback, useEffect, useState } from "react";
import { Button, Field, Input, makeStyles, Radio, RadioGroup, Select, Textarea, tokens } from "@fluentui/react-components";
import { usePortal } from "../app/context";
import type { RegisterRow } from "../api/types";
import type { LifecycleApi, ReviewEvidenceView, ReviewList, ReviewListItem } from "../api/lifecycle";
import { DataTable, type Column } from "../components/DataTable";
import { Done, formatDate, formatWhen, Loading, Problem, RiskBadge, ukToday } from "../components/ui";

const useStyles = makeStyles({
  panel: { marginTop: tokens.spacingVerticalXL, padding: tokens.spacingHorizontalL, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, maxWidth: "52rem" },
  form: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "40rem", marginTop: tokens.spacingVerticalL },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalL },
  inline: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalL },
});

const STATE_WORDS: Record<ReviewListItem["state"], string> = { overdue: "Overdue", due: "Due now", upcoming: "Coming up", decided: "Decided" };
const OUTCOME_WORDS = { remove: "Remove from the register", extend: "Keep in place (extend)", vary: "Change the arrangements (vary)" } as const;

export function LifecycleReviews({ lc, can }: { lc: LifecycleApi; can: Record<string, boolean> }) {
  const styles = useStyles();
  const [list, setList] = useState<ReviewList | undefined>();
  const [error, setError] = useState<unknown>();
  const [selected, setSelected] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const load = useCallback(() => {
    lc.reviews().then(setList, setError);
  }, [lc]);
  useEffect(load, [load]);

  const start = async (entryId: string) => {
    setError(undefined);
    try {
      const r = await lc.startReview(entryId);
      setSelected(r.review.id);
      load();
    } catch (e) {
      setError(e);
    }
  };

  const columns: Column<ReviewListItem>[] = [
    { id: "ref", label: "Reference", render: (r) => r.reference, text: (r) => r.reference },
    { id: "risk", label: "Risk", render: (r) => <RiskBadge level={r.riskLevel} />, text: (r) => r.riskLevel },
    { id: "state", label: "State", render: (r) => <span className={r.state === "overdue" ? styles.overdue : undefined}>{STATE_WORDS[r.state]}</span>, text: (r) => STATE_WORDS[r.state] },
    { id: "due", label: "Review date", render: (r) => formatDate(r.dueOn), text: (r) => formatDate(r.dueOn), sortValue: (r) => r.dueOn },
    { id: "posted", label: "Posted to the channel", render: (r) => (r.reviewId ? (r.postedToChannel ? "Yes" : "Not yet") : ""), sortable: false },
    {
      id: "action",
      label: "Action",
      sortable: false,
      render: (r) =>
        r.reviewId ? (
          <Button size="small" onClick={() => { setDone(undefined); setSelected(r.reviewId); }} aria-label={`Open the review of ${r.reference}`}>
            {r.state === "decided" ? "See the decision" : "Open the review"}
          </Button>
        ) : can["reviews.start"] ? (
          <Button size="small" onClick={() => void start(r.entryId)} aria-label={`Start the review of ${r.reference} now`}>
            Start now
          </Button>
        ) : null,
    },
  ];

  if (error && !list) return <Problem error={error} />;
  if (!list) return <Loading label="Loading reviews" />;
  return (
    <>
      <p>
        {`Outcomes are approved by ${list.approver.approver}${list.approver.interval ? `; entries are reviewed every ${list.approver.interval}` : "; the policy sets no review cycle"}${list.approver.sources.length ? ` (${list.approver.sources.join(", ")})` : ""}.`}
      </p>
      {error ? <Problem error={error} /> : null}
      {done ? <Done title="Review decided">{done}</Done> : null}
      {can["reviews.start"] ? <StartEarly onStart={(entryId) => void start(entryId)} /> : null}
      <DataTable caption="Reviews" rows={list.items} rowKey={(r) => r.reviewId ?? `${r.entryId}:${r.dueOn}`} emptyText="No reviews are due, overdue or coming up in the next 30 days." columns={columns} filterLabel="Filter reviews" />
      {selected ? (
        <ReviewPanel
          key={selected}
          lc={lc}
          reviewId={selected}
          canDecide={can["reviews.decide"] === true}
          onDecided={(text) => {
            setDone(text);
            setSelected(undefined);
            load();
          }}
        />
      ) : null}
    </>
  );
}

/** Brings a review forward for any current entry (a new incident, or a request to remove it). */
function StartEarly({ onStart }: { onStart: (entryId: string) => void }) {
  const styles = useStyles();
  const { api } = usePortal();
  const [rows, setRows] = useState<RegisterRow[]>([]);
  const [entryId, setEntryId] = useState("");
  useEffect(() => {
    api.searchRegister({}).then((r) => setRows(r.rows.filter((x) => x.entryId)), () => setRows([]));
  }, [api]);
  return (
    <form className={styles.inline} onSubmit={(e) => { e.preventDefault(); if (entryId) onStart(entryId); }}>
      <Field label="Start a review early">
        <Select value={entryId} onChange={(_, d) => setEntryId(d.value)}>
          <option value="">Choose an entry</option>
          {rows.map((r) => <option key={r.entryId} value={r.entryId}>{`${r.reference ?? ""} — ${r.name}`}</option>)}
        </Select>
      </Field>
      <Button type="submit" disabled={!entryId}>Start the review now</Button>
    </form>
  );
}

function ReviewPanel({ lc, reviewId, canDecide, onDecided }: { lc: LifecycleApi; reviewId: string; canDecide: boolean; onDecided: (text: string) => void }) {
  const styles = useStyles();
  const [view, setView] = useState<ReviewEvidenceView | undefined>();
  const [error, setError] = useState<unknown>();
  const [outcome, setOutcome] = useState<"remove" | "extend" | "vary">("extend");
  const [approvedOn, setApprovedOn] = useState(ukToday());
  const [reference, setReference] = useState("");
  const [reasons, setReasons] = useState("");
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    lc.review(reviewId).then((v) => {
      setView(v);
      if (v.suggestion.outcome === "remove") setOutcome("remove");
    }, setError);
  }, [lc, reviewId]);

  if (error && !view) return <div className={styles.panel}><Problem error={error} /></div>;
  if (!view) return <div className={styles.panel}><Loading label="Loading the review" /></div>;
  const r = view.review;
  const decide = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await lc.decideReview(reviewId, { outcome, approvedOn, reasons, ...(reference.trim() ? { approvalReference: reference.trim() } : {}) });
      onDecided(`${r.reference}: ${OUTCOME_WORDS[outcome].toLowerCase()}, approved by ${view.approverName} on ${formatDate(approvedOn)}. Produce the review outcome letter from the Letters tab if the customer is told.`);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <section className={styles.panel} aria-labelledby="review-heading">
      <h2 id="review-heading">{`Review of ${r.reference}, due ${formatDate(r.dueOn)}`}</h2>
      <p>{`Since ${formatDate(view.since)}: ${view.newIncidents.length} new incident(s), ${view.contacts.filter((c) => c.kind === "breach").length} breach(es) of a restriction, ${view.contacts.filter((c) => c.kind !== "breach").length} positive or neutral contact(s).`}</p>
      {view.newIncidents.length > 0 ? (
        <ul className={styles.list}>
          {view.newIncidents.map((i) => <li key={i.id}>{`${i.reference}: ${formatWhen(i.occurredAt)}, ${i.category.replace(/-/g, " ")}, ${i.serviceArea}`}</li>)}
        </ul>
      ) : null}
      {view.contacts.length > 0 ? (
        <ul className={styles.list}>
          {view.contacts.map((c) => <li key={c.id}>{`${formatWhen(c.at)} — ${c.kind}: ${c.note}`}</li>)}
        </ul>
      ) : null}
      <p>
        <strong>What the policy suggests: </strong>
        {`${OUTCOME_WORDS[view.suggestion.outcome === "keep" ? "extend" : view.suggestion.outcome]}. ${view.suggestion.reasons.join(" ")}`}
        {view.sources.length ? ` (${view.sources.join(", ")})` : ""}
      </p>
      <p>{`Removal is ${view.tellCustomer.remove === "never" ? "never told to the customer" : view.tellCustomer.remove ? `told to the customer ${view.tellCustomer.remove.replace("-", " ")}` : "not covered by the policy: decide whether to tell the customer"}.`}</p>
      {r.status === "decided" ? (
        <p>{`Decided: ${r.outcome ? OUTCOME_WORDS[r.outcome].toLowerCase() : ""}, approved by ${r.approverName}${r.approvedOn ? ` on ${formatDate(r.approvedOn)}` : ""}. ${r.reasons ?? ""}`}</p>
      ) : canDecide ? (
        <form
          className={styles.form}
          onSubmit={(e) => {
            e.preventDefault();
            void decide();
          }}
        >
          {error ? <Problem error={error} /> : null}
          <Field label="Outcome" required>
            <RadioGroup value={outcome} onChange={(_, d) => setOutcome(d.value as "remove" | "extend" | "vary")}>
              <Radio value="remove" label={OUTCOME_WORDS.remove} />
              <Radio value="extend" label={OUTCOME_WORDS.extend} />
              <Radio value="vary" label={OUTCOME_WORDS.vary} />
            </RadioGroup>
          </Field>
          {outcome === "vary" ? <p>Change the restrictions on the person's page first, then record the review here as varied with the reasons.</p> : null}
          <Field label={`Date ${view.approverName} approved it`} required>
            <Input type="date" value={approvedOn} max={ukToday()} onChange={(_, d) => setApprovedOn(d.value)} />
          </Field>
          <Field label="Minute or meeting reference (optional)">
            <Input value={reference} onChange={(_, d) => setReference(d.value)} />
          </Field>
          <Field label="Reasons" required hint="These go in the review outcome letter where the customer is told.">
            <Textarea value={reasons} onChange={(_, d) => setReasons(d.value)} resize="vertical" />
          </Field>
          <Button appearance="primary" type="submit" disabled={saving}>
            {saving ? "Recording…" : `Record: ${OUTCOME_WORDS[outcome].toLowerCase()}`}
          </Button>
        </form>
      ) : (
        <p>Your role can see this review but not record its outcome.</p>
      )}
    </section>
  );
}
