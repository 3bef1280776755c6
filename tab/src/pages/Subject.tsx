// A person's or place's page: each entry in the one shape, then (for full access) details, the timeline of
// incidents, warnings, decisions and votes, restrictions, reviews, appeals, letters and diverts, and the work:
// refer to the panel, change restrictions, record positive or neutral contact.
import { useCallback, useEffect, useMemo, useState } from "react";
import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  Link,
  makeStyles,
  Radio,
  RadioGroup,
  Select,
  Textarea,
  tokens,
} from "@fluentui/react-components";
import { newIdempotencyKey } from "../api/client";
import type { EntryPanel, RestrictionInput, SubjectPage as Page, TimelineItem } from "../api/types";
import { labelOf, usePortal } from "../app/context";
import { href, navigate } from "../app/router";
import { DataTable } from "../components/DataTable";
import { EntryCard } from "../components/EntryCard";
import { Done, ErrorSummary, formatDate, formatWhen, Loading, PageTitle, Problem, problemsFrom, ukToday, type FieldProblem } from "../components/ui";

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXXL, maxWidth: "52rem" },
  dl: { display: "grid", gridTemplateColumns: "max-content 1fr", gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`, margin: 0 },
  dt: { fontWeight: tokens.fontWeightSemibold },
  dd: { margin: 0 },
  timeline: { listStyle: "none", padding: 0, margin: 0 },
  item: { borderLeft: `3px solid ${tokens.colorNeutralStroke1}`, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, marginBottom: tokens.spacingVerticalS },
  when: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  itemTitle: { fontWeight: tokens.fontWeightSemibold, margin: `${tokens.spacingVerticalXXS} 0` },
  detail: { margin: `${tokens.spacingVerticalXXS} 0 0`, whiteSpace: "pre-wrap" },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "42rem", marginTop: tokens.spacingVerticalM },
  restriction: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  grow: { flex: "1 1 12rem" },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "center", marginTop: tokens.spacingVerticalM },
  sensitive: { borderLeft: `4px solid ${tokens.colorPaletteMarigoldBorderActive}`, paddingLeft: tokens.spacingHorizontalM },
  fieldset: { border: "none", padding: 0, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground2 },
});

const KIND_WORDS: Record<TimelineItem["kind"], string> = {
  incident: "Incident", warning: "Warning", referral: "Referral", vote: "Vote", decision: "Decision", emergency: "Emergency addition",
  entry: "Register", restriction: "Restriction", review: "Review", appeal: "Appeal", letter: "Letter", divert: "Email divert", contact: "Contact",
};

export function SubjectPage({ id }: { id: string }) {
  const { api } = usePortal();
  const styles = useStyles();
  const [page, setPage] = useState<Page | undefined>();
  const [error, setError] = useState<unknown>();
  const [showHistory, setShowHistory] = useState(true);

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setPage(await api.subject(id));
    } catch (e) {
      setError(e);
    }
  }, [api, id]);

  useEffect(() => {
    setPage(undefined);
    void load();
  }, [load]);

  if (error && !page) return <><PageTitle>Person or place not found</PageTitle><Problem error={error} /><p><Link href={href({ page: "register" })}>Back to the register</Link></p></>;
  if (!page) return <Loading label="Loading their page" />;

  const s = page.subject;
  const full = page.view === "full";
  return (
    <>
      <PageTitle lead={s.kind === "premises" ? "A place with a premises risk." : undefined}>{s.displayName}</PageTitle>
      {!page.listed ? <p>Not on the register. Incidents have been reported; a manager may refer them to the decision body.</p> : null}
      {page.entries.map((e) => (
        <EntryCard key={e.id} card={e.card} headingLevel={2} footer={e.status === "removed" ? <p className={styles.muted}>Removed from the register.</p> : null} />
      ))}
      {full ? (
        <>
          <section className={styles.section} aria-labelledby="details-heading">
            <h2 id="details-heading">Details</h2>
            <dl className={styles.dl}>
              {s.aliases && s.aliases.length > 0 ? <><dt className={styles.dt}>Also known as</dt><dd className={styles.dd}>{s.aliases.join(", ")}</dd></> : null}
              {s.emails && s.emails.length > 0 ? <><dt className={styles.dt}>Email</dt><dd className={styles.dd}>{s.emails.join(", ")}</dd></> : null}
              {s.phones && s.phones.length > 0 ? <><dt className={styles.dt}>Phone</dt><dd className={styles.dd}>{s.phones.join(", ")}</dd></> : null}
              {s.addresses && s.addresses.length > 0 ? <><dt className={styles.dt}>Address</dt><dd className={styles.dd}>{s.addresses.join("; ")}</dd></> : null}
              {s.noFixedAddress ? <><dt className={styles.dt}>Letters</dt><dd className={styles.dd}>No fixed address: letters are held at reception.</dd></> : null}
              {s.dateOfBirth ? <><dt className={styles.dt}>Date of birth</dt><dd className={styles.dd}>{formatDate(s.dateOfBirth)}</dd></> : null}
              {page.entries.filter((e) => e.recordOwner).map((e) => <div key={e.id} style={{ display: "contents" }}><dt className={styles.dt}>Record owner ({e.reference})</dt><dd className={styles.dd}>{e.recordOwner}</dd></div>)}
            </dl>
            {s.sensitiveNotes ? (
              <div className={styles.sensitive}>
                <h3>Health, disability and vulnerability</h3>
                <p>Only the decision body sees this.</p>
                <p>{s.sensitiveNotes}</p>
              </div>
            ) : null}
            {page.can.auditTrail ? <p><Link href={href({ page: "audit", subjectId: s.id })}>See who has looked at or changed this record</Link></p> : null}
          </section>

          <section className={styles.section} aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            <Button aria-expanded={showHistory} aria-controls="history-list" onClick={() => setShowHistory(!showHistory)}>{showHistory ? "Hide history" : "Show history"}</Button>
            {showHistory ? <Timeline items={page.timeline} /> : null}
          </section>

          {page.cases.length > 0 ? (
            <section className={styles.section} aria-labelledby="cases-heading">
              <h2 id="cases-heading">Cases</h2>
              <DataTable
                caption="Referrals to the decision body"
                rows={page.cases}
                rowKey={(c) => c.id}
                emptyText="No cases."
                columns={[
                  { id: "ref", label: "Case", render: (c) => <Link href={href({ page: "case", id: c.id })}>{c.reference}</Link>, text: (c) => c.reference },
                  { id: "when", label: "Referred", render: (c) => formatWhen(c.referredAt), text: (c) => c.referredAt },
                  { id: "status", label: "Status", render: (c) => c.status, text: (c) => c.status },
                  { id: "outcome", label: "Decision", render: (c) => c.outcomeText ?? "Not decided yet", text: (c) => c.outcomeText ?? "" },
                ]}
              />
            </section>
          ) : null}

          {page.can.refer && page.incidents.some((i) => !i.caseId) ? <ReferForm page={page} onReferred={(caseId) => navigate({ page: "case", id: caseId })} /> : null}
          {page.can.editRestrictions ? page.entries.filter((e) => e.view === "full" && e.status !== "removed").map((e) => <RestrictionsEditor key={e.id} entry={e} page={page} onSaved={load} />) : null}
        </>
      ) : (
        <p className={styles.muted}>Your role shows the summary of this entry. Ask a register administrator if you need its history.</p>
      )}
      {page.can.recordContact ? page.entries.filter((e) => e.status !== "removed").map((e) => <ContactForm key={e.id} entry={e} onSaved={load} />) : null}
    </>
  );
}

function Timeline({ items }: { items: TimelineItem[] }) {
  const styles = useStyles();
  if (items.length === 0) return <p id="history-list">Nothing recorded yet.</p>;
  return (
    <ol id="history-list" className={styles.timeline} aria-label="History, newest first">
      {items.map((t) => (
        <li key={t.id} className={styles.item}>
          <div className={styles.when}>
            <Badge appearance="outline" shape="rounded">{KIND_WORDS[t.kind]}</Badge>
            <span>{t.upcoming ? `Due ${formatWhen(t.at)}` : formatWhen(t.at)}</span>
          </div>
          <p className={styles.itemTitle}>
            {t.caseId && (t.kind === "referral" || t.kind === "decision" || t.kind === "emergency") ? <Link href={href({ page: "case", id: t.caseId })}>{t.title}</Link> : t.title}
          </p>
          {t.detail?.map((d, i) => <p key={i} className={styles.detail}>{d}</p>)}
        </li>
      ))}
    </ol>
  );
}

function ReferForm({ page, onReferred }: { page: Page; onReferred: (caseId: string) => void }) {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const unreferred = page.incidents.filter((i) => !i.caseId);
  const [key] = useState(newIdempotencyKey);
  const [chosen, setChosen] = useState<string[]>(unreferred.map((i) => i.id));
  const [outcome, setOutcome] = useState("");
  const [summary, setSummary] = useState("");
  const [papers, setPapers] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);

  const submit = async () => {
    const found: FieldProblem[] = [];
    if (chosen.length === 0) found.push({ fieldId: `refer-incident-${unreferred[0]!.id}`, message: "Choose at least one incident to refer" });
    if (!outcome) found.push({ fieldId: "refer-outcome", message: "Choose what you recommend" });
    if (summary.trim().length < 10) found.push({ fieldId: "refer-summary", message: "Write a short summary for the panel (at least 10 characters)" });
    if (papers.trim() && !/^https:\/\//.test(papers.trim())) found.push({ fieldId: "refer-papers", message: "The papers link must start with https://" });
    setProblems(found);
    setFailure(undefined);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const res = await api.refer({ subjectId: page.subject.id, incidentIds: chosen, recommendedOutcome: outcome, summary: summary.trim(), ...(papers.trim() ? { papersUrl: papers.trim() } : {}) }, key);
      onReferred(res.case.id);
    } catch (e) {
      const fromServer = problemsFrom(e, { incidentIds: `refer-incident-${unreferred[0]!.id}`, recommendedOutcome: "refer-outcome", summary: "refer-summary", papersUrl: "refer-papers" }, "refer-summary");
      setProblems(fromServer);
      setFailure(fromServer.length ? undefined : e);
      setBusy(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="refer-heading">
      <h2 id="refer-heading">Refer to the decision body</h2>
      <p>The panel sees the summary on the vote card in Teams: do not put the person's name in it.</p>
      {!open ? <Button aria-expanded={false} onClick={() => setOpen(true)}>Start a referral</Button> : null}
      {open ? <>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="The case was not referred" /> : null}
      <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Incidents to refer</legend>
          {unreferred.map((i) => (
            <Checkbox
              key={i.id}
              id={`refer-incident-${i.id}`}
              checked={chosen.includes(i.id)}
              onChange={(_, d) => setChosen(d.checked === true ? [...chosen, i.id] : chosen.filter((x) => x !== i.id))}
              label={`${i.reference}: ${i.categoryText}, ${formatWhen(i.occurredAt)} (${i.serviceArea})`}
            />
          ))}
        </fieldset>
        <Field label="What do you recommend?" required validationMessage={problems.find((p) => p.fieldId === "refer-outcome")?.message}>
          <Select id="refer-outcome" value={outcome} onChange={(_, d) => setOutcome(d.value)}>
            <option value="">Choose one</option>
            {meta.choices.outcomes.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
          </Select>
        </Field>
        <Field label="Summary for the panel" hint="Describe the behaviour and the incidents, without names. 10 to 300 characters." required validationMessage={problems.find((p) => p.fieldId === "refer-summary")?.message}>
          <Textarea id="refer-summary" value={summary} onChange={(_, d) => setSummary(d.value)} maxLength={300} />
        </Field>
        <Field label="Link to the papers (optional)" validationMessage={problems.find((p) => p.fieldId === "refer-papers")?.message}>
          <Input id="refer-papers" type="url" value={papers} onChange={(_, d) => setPapers(d.value)} />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>Refer to the panel</Button>
          <Button onClick={() => setOpen(false)} disabled={busy}>Cancel</Button>
          {busy ? <Loading label="Referring" /> : null}
        </div>
      </form>
      </> : null}
    </section>
  );
}

const PARAM_WORDS: Record<string, string> = {
  contacts: "Number of contacts allowed", per: "Per", maxMinutes: "Longest call or meeting, in minutes (optional)", channel: "Way of contacting the council",
  days: "Days", from: "From (time, for example 10:00)", to: "To (time, for example 12:00)", displayName: "Name of the single point of contact",
  mailbox: "Their mailbox", supportWorker: "Support worker (optional)", location: "Where meetings happen (optional)", buildings: "Buildings (separate with commas)",
  permanent: "Permanent (only where the policy allows)", accounts: "Accounts (separate with commas)", matter: "The closed matter", services: "Services (separate with commas)",
  service: "Service", spocMailbox: "SPOC mailbox",
};

type Spec = { type: string; required: boolean; min?: number | null; values?: string[] };
type ParamValue = RestrictionInput["params"][string];

function wordsFor(name: string, spec: Spec): string {
  const base = PARAM_WORDS[name] ?? name.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());
  return spec.required || /optional/.test(base) ? base : `${base} (optional)`;
}

/** The settings of a restriction, as the council's catalogue shapes them (core/src/policy/schema.ts ParamSpec). */
function ParamInputs({ idPrefix, specs, params, onChange }: { idPrefix: string; specs: Record<string, Spec>; params: RestrictionInput["params"]; onChange: (params: RestrictionInput["params"]) => void }) {
  const styles = useStyles();
  const set = (name: string, value: ParamValue | undefined) => {
    const next = { ...params };
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) delete next[name];
    else next[name] = value;
    onChange(next);
  };
  return (
    <>
      {Object.entries(specs).map(([name, spec]) => {
        const id = `${idPrefix}-${name}`;
        const value = params[name];
        const label = wordsFor(name, spec);
        switch (spec.type) {
          case "integer":
            return <Field key={name} label={label}><Input id={id} type="number" min={spec.min ?? undefined} value={typeof value === "number" ? String(value) : ""} onChange={(_, d) => set(name, d.value === "" ? undefined : Number(d.value))} /></Field>;
          case "boolean":
            return <Checkbox key={name} id={id} label={label} checked={value === true} onChange={(_, d) => set(name, d.checked === true ? true : undefined)} />;
          case "text-list":
            return <Field key={name} label={label}><Input id={id} value={Array.isArray(value) ? value.join(", ") : ""} onChange={(_, d) => set(name, d.value.split(",").map((x) => x.trim()).filter(Boolean))} /></Field>;
          case "choice":
            return (
              <Field key={name} label={label}>
                <Select id={id} value={typeof value === "string" ? value : ""} onChange={(_, d) => set(name, d.value || undefined)}>
                  <option value="">Choose one</option>
                  {(spec.values ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
                </Select>
              </Field>
            );
          case "choice-list": {
            const list = Array.isArray(value) ? value : [];
            return (
              <fieldset key={name} className={styles.fieldset}>
                <legend className={styles.legend}>{label}</legend>
                <div className={styles.row}>
                  {(spec.values ?? []).map((v) => (
                    <Checkbox key={v} label={v} checked={list.includes(v)} onChange={(_, d) => set(name, d.checked === true ? [...list, v] : list.filter((x) => x !== v))} />
                  ))}
                </div>
              </fieldset>
            );
          }
          default:
            return <Field key={name} label={label}><Input id={id} value={typeof value === "string" ? value : ""} onChange={(_, d) => set(name, d.value)} /></Field>;
        }
      })}
    </>
  );
}

interface Draft extends RestrictionInput {
  key: string;
  label: string;
}

function RestrictionsEditor({ entry, page, onSaved }: { entry: EntryPanel; page: Page; onSaved: () => Promise<void> }) {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const today = ukToday();
  const catalogue = page.restrictionCatalogue ?? [];
  const initial = useMemo<Draft[]>(() => (entry.restrictions ?? [])
    .filter((r) => !r.endsOn || r.endsOn >= today)
    .map((r) => ({ key: r.id, id: r.id, kind: r.kind, params: r.params, serviceAreas: r.serviceAreas, startsOn: r.startsOn, ...(r.endsOn ? { endsOn: r.endsOn } : {}), staffInstruction: r.staffInstruction, label: labelOf(meta.choices.restrictionKinds, r.kind) })), [entry, meta, today]);
  const [drafts, setDrafts] = useState<Draft[]>(initial);
  const [newKind, setNewKind] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => setDrafts(initial), [initial]);

  const ended = (entry.restrictions ?? []).filter((r) => r.endsOn && r.endsOn < today);
  const change = (key: string, patch: Partial<Draft>) => setDrafts(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));

  const add = () => {
    const offer = catalogue.find((o) => o.kind === newKind);
    if (!offer) {
      setProblems([{ fieldId: `new-restriction-${entry.id}`, message: "Choose a restriction to add" }]);
      return;
    }
    setDrafts([...drafts, { key: `new-${Date.now()}`, kind: offer.kind as Draft["kind"], params: {}, serviceAreas: [], startsOn: today, staffInstruction: "", label: offer.label }]);
    setNewKind("");
    setProblems([]);
  };

  const save = async () => {
    setBusy(true);
    setFailure(undefined);
    setSaved(undefined);
    try {
      const body: RestrictionInput[] = drafts.map(({ key: _key, label: _label, ...r }) => ({ ...r, ...(r.endsOn ? { endsOn: r.endsOn } : { endsOn: undefined }) }));
      const res = await api.editRestrictions(entry.id, entry.etag ?? "", body);
      const parts = [res.added ? `${res.added} added` : "", res.changed ? `${res.changed} changed` : "", res.ended ? `${res.ended} ended` : "", res.removed ? `${res.removed} removed` : ""].filter(Boolean);
      setSaved(parts.length ? `Restrictions saved: ${parts.join(", ")}.` : "Nothing had changed.");
      setProblems([]);
      setOpen(false);
      await onSaved();
    } catch (e) {
      const ids: Record<string, string> = {};
      drafts.forEach((d, i) => { ids[`restrictions.${i}`] = `restriction-${entry.id}-${i}-instruction`; ids[`restrictions.${i}.endsOn`] = `restriction-${entry.id}-${i}-ends`; ids[`restrictions.${i}.startsOn`] = `restriction-${entry.id}-${i}-starts`; ids[`restrictions.${i}.staffInstruction`] = `restriction-${entry.id}-${i}-instruction`; });
      const fromServer = problemsFrom(e, ids, `new-restriction-${entry.id}`);
      setProblems(fromServer);
      setFailure(fromServer.length ? undefined : e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby={`restrictions-heading-${entry.id}`}>
      <h2 id={`restrictions-heading-${entry.id}`}>Restrictions ({entry.reference})</h2>
      <p>Each restriction needs one sentence telling staff what to do. Removing one that has started ends it from yesterday; its history stays.</p>
      {saved ? <Done title={saved} /> : null}
      {!open ? <Button aria-expanded={false} onClick={() => { setOpen(true); setSaved(undefined); }}>Change restrictions</Button> : null}
      {open ? <>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="The restrictions were not saved" /> : null}
      <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {drafts.map((d, i) => (
          <fieldset key={d.key} className={styles.restriction}>
            <legend className={styles.legend}>{`Restriction ${i + 1}: ${d.label}`}</legend>
            {catalogue.find((o) => o.kind === d.kind) ? (
              <ParamInputs idPrefix={`restriction-${entry.id}-${i}`} specs={catalogue.find((o) => o.kind === d.kind)!.params as Record<string, Spec>} params={d.params} onChange={(params) => change(d.key, { params })} />
            ) : (
              <p className={styles.muted}>The policy no longer offers this kind of restriction: it can stay as it is or be removed, not changed.</p>
            )}
            <Field label="What staff should do" required validationMessage={problems.find((p) => p.fieldId === `restriction-${entry.id}-${i}-instruction`)?.message}>
              <Input id={`restriction-${entry.id}-${i}-instruction`} value={d.staffInstruction} onChange={(_, v) => change(d.key, { staffInstruction: v.value })} maxLength={300} />
            </Field>
            <div className={styles.row}>
              <Field className={styles.grow} label="Starts" validationMessage={problems.find((p) => p.fieldId === `restriction-${entry.id}-${i}-starts`)?.message}>
                <Input id={`restriction-${entry.id}-${i}-starts`} type="date" value={d.startsOn} onChange={(_, v) => change(d.key, { startsOn: v.value })} />
              </Field>
              <Field className={styles.grow} label="Ends (leave empty for the life of the entry)" validationMessage={problems.find((p) => p.fieldId === `restriction-${entry.id}-${i}-ends`)?.message}>
                <Input id={`restriction-${entry.id}-${i}-ends`} type="date" value={d.endsOn ?? ""} onChange={(_, v) => change(d.key, v.value ? { endsOn: v.value } : { endsOn: undefined })} />
              </Field>
            </div>
            {page.mayApplyToOneServiceArea !== false ? (
              <Field label="Only for these service areas (optional, separate with commas)">
                <Input id={`restriction-${entry.id}-${i}-areas`} value={d.serviceAreas.join(", ")} onChange={(_, v) => change(d.key, { serviceAreas: v.value.split(",").map((x) => x.trim()).filter(Boolean) })} />
              </Field>
            ) : null}
            <div><Button onClick={() => setDrafts(drafts.filter((x) => x.key !== d.key))}>{`Remove restriction ${i + 1}`}</Button></div>
          </fieldset>
        ))}
        {drafts.length === 0 ? <p>No restrictions in force.</p> : null}
        <div className={styles.row}>
          <Field className={styles.grow} label="Add a restriction the policy offers">
            <Select id={`new-restriction-${entry.id}`} value={newKind} onChange={(_, d) => setNewKind(d.value)}>
              <option value="">Choose one</option>
              {catalogue.filter((o) => o.kind !== "email-divert").map((o) => <option key={o.kind} value={o.kind}>{o.label}{o.lastResort ? " (last resort)" : ""}</option>)}
            </Select>
          </Field>
          <div style={{ alignSelf: "flex-end" }}><Button onClick={add}>Add</Button></div>
        </div>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>Save restrictions</Button>
          <Button onClick={() => { setOpen(false); setDrafts(initial); setProblems([]); }} disabled={busy}>Cancel</Button>
          {busy ? <Loading label="Saving" /> : null}
        </div>
      </form>
      </> : null}
      {ended.length > 0 ? <p className={styles.muted}>{`${ended.length} restriction${ended.length === 1 ? " has" : "s have"} ended; see the history.`}</p> : null}
    </section>
  );
}

function ContactForm({ entry, onSaved }: { entry: EntryPanel; onSaved: () => Promise<void> }) {
  const { api } = usePortal();
  const styles = useStyles();
  const [kind, setKind] = useState<"positive" | "neutral">("positive");
  const [note, setNote] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const noteId = `contact-note-${entry.id}`;

  const submit = async () => {
    if (!note.trim()) {
      setProblems([{ fieldId: noteId, message: "Say briefly what happened in the contact" }]);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      await api.recordContact(entry.id, { kind, note: note.trim() });
      setNote("");
      setSaved(true);
      setProblems([]);
      await onSaved();
    } catch (e) {
      const fromServer = problemsFrom(e, { note: noteId, at: noteId }, noteId);
      setProblems(fromServer);
      setFailure(fromServer.length ? undefined : e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby={`contact-heading-${entry.id}`}>
      <h2 id={`contact-heading-${entry.id}`}>Record positive or neutral contact ({entry.reference})</h2>
      <p>Good contact counts at the next review. Report bad behaviour as an incident instead.</p>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="The contact was not saved" /> : null}
      {saved ? <Done title="Contact recorded. It will be considered at the next review." /> : null}
      <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>How was the contact?</legend>
          <RadioGroup value={kind} onChange={(_, d) => setKind(d.value === "neutral" ? "neutral" : "positive")} aria-label="How was the contact?">
            <Radio value="positive" label="Positive" />
            <Radio value="neutral" label="Neutral" />
          </RadioGroup>
        </fieldset>
        <Field label="What happened?" required validationMessage={problems.find((p) => p.fieldId === noteId)?.message}>
          <Textarea id={noteId} value={note} onChange={(_, d) => { setNote(d.value); setSaved(false); }} maxLength={2000} />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>Record contact</Button>
          {busy ? <Loading label="Saving" /> : null}
        </div>
      </form>
    </section>
  );
}
