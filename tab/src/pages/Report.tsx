// Report an incident: the same fields as the bot's form (docs/api.md "POST /api/incidents"), plus several evidence
// files checked for type and size before anything is sent. One idempotency key per form, so a double click or a
// retry after a timeout never makes two reports.
import { useMemo, useState } from "react";
import {
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
import { ApiError, newIdempotencyKey } from "../api/client";
import type { IncidentDraft, LookupMatch, ReportResponse } from "../api/types";
import { usePortal } from "../app/context";
import { href } from "../app/router";
import { Done, ErrorSummary, Loading, PageTitle, Problem, problemsFrom, ukToday, type FieldProblem } from "../components/ui";

/** docs/api.md "POST /api/incidents/:id/evidence": what the server accepts. Checked here first so a person hears
 * about a wrong file before the report is sent. */
export const EVIDENCE_TYPES: Record<string, string> = {
  "image/jpeg": "JPEG picture",
  "image/png": "PNG picture",
  "image/gif": "GIF picture",
  "image/webp": "WebP picture",
  "application/pdf": "PDF",
  "text/plain": "Text file",
  "message/rfc822": "Email (.eml)",
  "application/vnd.ms-outlook": "Outlook email (.msg)",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
  "audio/mpeg": "MP3 recording",
  "audio/mp4": "M4A recording",
  "audio/wav": "WAV recording",
  "video/mp4": "MP4 video",
};
const BY_EXTENSION: Record<string, string> = {
  eml: "message/rfc822", msg: "application/vnd.ms-outlook", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp",
  pdf: "application/pdf", txt: "text/plain", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", mp3: "audio/mpeg", m4a: "audio/mp4", wav: "audio/wav", mp4: "video/mp4",
};
const MAX_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 25;

export function typeOf(file: File): string | undefined {
  const byName = BY_EXTENSION[file.name.split(".").pop()?.toLowerCase() ?? ""];
  if (file.type && EVIDENCE_TYPES[file.type]) return file.type;
  return byName;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const useStyles = makeStyles({
  form: { maxWidth: "42rem", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  fieldset: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalL, margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  legend: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  grow: { flex: "1 1 12rem" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  witness: { borderLeft: `3px solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  hint: { color: tokens.colorNeutralForeground2, margin: 0 },
  fileInput: { padding: tokens.spacingVerticalS, border: `1px dashed ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center" },
  match: { marginBottom: tokens.spacingVerticalXS },
});

interface Witness { name: string; statement: string; isStaff: boolean }
interface Contact { date: string; time: string; channel: string; summary: string }

function nowParts(): { date: string; time: string } {
  const t = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Europe/London" }).format(new Date());
  return { date: ukToday(), time: t };
}

/** A UK wall-clock date and time as an instant (handles British Summer Time). */
function toInstant(date: string, time: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const guess = new Date(`${date}T${time}:00Z`);
  const shown = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hour12: false }).format(guess);
  const [h, m] = shown.split(":").map(Number);
  const offsetMin = ((h! * 60 + m!) - (guess.getUTCHours() * 60 + guess.getUTCMinutes()) + 1440) % 1440;
  const adjust = offsetMin > 720 ? offsetMin - 1440 : offsetMin;
  return new Date(guess.getTime() - adjust * 60_000).toISOString();
}

export function ReportPage() {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [key, setKey] = useState(newIdempotencyKey);
  const start = useMemo(nowParts, [key]);
  const [who, setWho] = useState<"existing" | "new">("new");
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<LookupMatch[] | undefined>();
  const [looking, setLooking] = useState(false);
  const [lookupError, setLookupError] = useState<unknown>();
  const [existingId, setExistingId] = useState("");
  const [kind, setKind] = useState<"person" | "representative" | "premises">("person");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [addressLine, setAddressLine] = useState("");
  const [town, setTown] = useState("");
  const [postcode, setPostcode] = useState("");
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const [location, setLocation] = useState("");
  const [channel, setChannel] = useState("");
  const [serviceArea, setServiceArea] = useState(meta.me.serviceAreas[0] ?? "");
  const [category, setCategory] = useState("");
  const [description, setDescription] = useState("");
  const [hate, setHate] = useState(false);
  const [action, setAction] = useState("none");
  const [actionNote, setActionNote] = useState("");
  const [police, setPolice] = useState("");
  const [cctv, setCctv] = useState("");
  const [witnesses, setWitnesses] = useState<Witness[]>([]);
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState<string | undefined>();
  // One report may cover many contacts only where the policy says so for this category (East Suffolk 4.2).
  const manyContactsAllowed = category !== "" && meta.choices.multiContactCategories.includes(category);
  const [result, setResult] = useState<{ report: ReportResponse; uploads: { name: string; ok: boolean; message: string }[] } | undefined>();

  const fieldIds: Record<string, string> = {
    subject: who === "existing" ? "lookup-query" : "new-name",
    "subject.existingId": "lookup-query",
    "subject.new.displayName": "new-name",
    "subject.new.kind": "new-kind",
    "subject.new.emails": "new-email",
    "subject.new.phones": "new-phone",
    "subject.new.addresses": "new-address",
    occurredAt: "occurred-date",
    location: "location",
    channel: "channel",
    serviceArea: "service-area",
    category: "category",
    description: "description",
    witnesses: "add-witness",
    contacts: "add-contact",
    policeReference: "police-reference",
    immediateAction: "immediate-action",
    immediateActionNote: "immediate-action-note",
    externalEvidence: "cctv-reference",
    hateIncident: "hate",
  };

  const find = async () => {
    if (query.trim().length < 2) {
      setLookupError(new Error("Enter an email address, a phone number or at least two letters of a name."));
      return;
    }
    setLooking(true);
    setLookupError(undefined);
    try {
      const res = await api.lookup(query.trim());
      setMatches(res.matches);
      setExistingId(res.matches.length === 1 ? res.matches[0]!.subjectId : "");
    } catch (e) {
      setLookupError(e);
    } finally {
      setLooking(false);
    }
  };

  const fileProblems = (list: File[]): FieldProblem[] => {
    const out: FieldProblem[] = [];
    if (list.length > MAX_FILES) out.push({ fieldId: "evidence", message: `Attach at most ${MAX_FILES} files to one report` });
    for (const f of list) {
      if (!typeOf(f)) out.push({ fieldId: "evidence", message: `${f.name} is not a type CALM can keep. Attach a picture, PDF, email, Word document, text file, recording or video` });
      else if (f.size > MAX_BYTES) out.push({ fieldId: "evidence", message: `${f.name} is ${sizeText(f.size)}: files must be 10 MB or smaller. For larger CCTV, give a reference instead` });
      else if (f.size === 0) out.push({ fieldId: "evidence", message: `${f.name} is empty. Choose the file again` });
    }
    return out;
  };

  const validate = (): FieldProblem[] => {
    const out: FieldProblem[] = [];
    if (who === "existing" && !existingId) out.push({ fieldId: "lookup-query", message: "Find and choose the person or place, or choose \"Someone new\"" });
    if (who === "new" && !name.trim()) out.push({ fieldId: "new-name", message: kind === "premises" ? "Enter the address of the premises" : "Enter the person's name" });
    const at = toInstant(date, time);
    if (!at) out.push({ fieldId: "occurred-date", message: "Enter the date and time it happened" });
    else if (Date.parse(at) > Date.now() + 5 * 60_000) out.push({ fieldId: "occurred-date", message: "The date and time it happened must be in the past" });
    if (!location.trim()) out.push({ fieldId: "location", message: "Enter where it happened" });
    if (!channel) out.push({ fieldId: "channel", message: "Choose how they contacted the council" });
    if (!serviceArea.trim()) out.push({ fieldId: "service-area", message: "Enter the service area" });
    if (!category) out.push({ fieldId: "category", message: "Choose what kind of incident it was" });
    if (!description.trim()) out.push({ fieldId: "description", message: "Describe what happened" });
    if (action === "other" && !actionNote.trim()) out.push({ fieldId: "immediate-action-note", message: "Say what was done at the time" });
    if (manyContactsAllowed) {
      contacts.forEach((c, i) => {
        const at = toInstant(c.date, c.time);
        if (!at) out.push({ fieldId: `contact-${i}-date`, message: `Enter the date and time of contact ${i + 1}` });
        else if (Date.parse(at) > Date.now() + 5 * 60_000) out.push({ fieldId: `contact-${i}-date`, message: `Contact ${i + 1} must be in the past` });
        if (!c.channel) out.push({ fieldId: `contact-${i}-channel`, message: `Choose how contact ${i + 1} came in` });
        if (!c.summary.trim()) out.push({ fieldId: `contact-${i}-summary`, message: `Say briefly what contact ${i + 1} was about` });
      });
    }
    witnesses.forEach((w, i) => {
      if (!w.name.trim()) out.push({ fieldId: `witness-${i}-name`, message: `Enter the name of witness ${i + 1}` });
      if (!w.statement.trim()) out.push({ fieldId: `witness-${i}-statement`, message: `Enter what witness ${i + 1} saw or heard` });
    });
    return [...out, ...fileProblems(files)];
  };

  const submit = async () => {
    const found = validate();
    setProblems(found);
    setFailure(undefined);
    if (found.length > 0) return;
    const draft: IncidentDraft = {
      subject: who === "existing"
        ? { existingId }
        : {
            new: {
              kind,
              displayName: name.trim(),
              ...(email.trim() ? { emails: [email.trim()] } : {}),
              ...(phone.trim() ? { phones: [phone.trim()] } : {}),
              ...(addressLine.trim() || postcode.trim() ? { addresses: [{ lines: addressLine.trim() ? [addressLine.trim()] : [], ...(town.trim() ? { town: town.trim() } : {}), ...(postcode.trim() ? { postcode: postcode.trim() } : {}) }] } : {}),
            },
          },
      occurredAt: toInstant(date, time)!,
      location: location.trim(),
      channel,
      serviceArea: serviceArea.trim(),
      category,
      description: description.trim(),
      witnesses: witnesses.map((w) => ({ name: w.name.trim(), statement: w.statement.trim(), isStaff: w.isStaff })),
      ...(police.trim() ? { policeReference: police.trim() } : {}),
      hateIncident: hate,
      immediateAction: action,
      ...(action === "other" ? { immediateActionNote: actionNote.trim() } : {}),
      ...(cctv.trim() ? { externalEvidence: [{ kind: "cctv", reference: cctv.trim() }] } : {}),
      ...(manyContactsAllowed && contacts.length > 0 ? { contacts: contacts.map((c) => ({ at: toInstant(c.date, c.time)!, channel: c.channel, summary: c.summary.trim() })) } : {}),
    };
    setBusy("Sending the report…");
    let report: ReportResponse;
    try {
      report = await api.reportIncident(draft, key);
    } catch (e) {
      const fromServer = problemsFrom(e, fieldIds, "description");
      setProblems(fromServer);
      setFailure(fromServer.length > 0 ? undefined : e);
      setBusy(undefined);
      return;
    }
    const uploads: { name: string; ok: boolean; message: string }[] = [];
    for (const [i, f] of files.entries()) {
      setBusy(`Uploading evidence ${i + 1} of ${files.length}…`);
      try {
        const type = typeOf(f)!;
        await api.uploadEvidence(report.incident.id, f, type, type === "message/rfc822" || type === "application/vnd.ms-outlook" ? "email" : "file");
        uploads.push({ name: f.name, ok: true, message: "Uploaded" });
      } catch (e) {
        uploads.push({ name: f.name, ok: false, message: e instanceof ApiError ? e.message : "Could not be uploaded. Try again from the incident later." });
      }
    }
    setBusy(undefined);
    setResult({ report, uploads });
  };

  const reset = () => {
    setKey(newIdempotencyKey());
    setResult(undefined);
    setProblems([]);
    setFailure(undefined);
    setWho("new"); setQuery(""); setMatches(undefined); setExistingId("");
    setName(""); setEmail(""); setPhone(""); setAddressLine(""); setTown(""); setPostcode("");
    setLocation(""); setChannel(""); setCategory(""); setDescription(""); setHate(false); setAction("none"); setActionNote("");
    setPolice(""); setCctv(""); setWitnesses([]); setContacts([]); setFiles([]);
  };

  if (result) {
    const { report, uploads } = result;
    const failed = uploads.filter((u) => !u.ok);
    return (
      <>
        <PageTitle>Report sent</PageTitle>
        <Done title={`Your reference is ${report.incident.reference}`}>
          {report.duplicate ? "This report had already been sent; nothing new was saved." : "Thank you. The report is saved and your manager can see it."}
        </Done>
        {failed.length > 0 ? <Problem error={new Error(`${failed.length} file${failed.length === 1 ? "" : "s"} could not be uploaded: ${failed.map((f) => `${f.name} (${f.message})`).join("; ")}`)} title="Some evidence was not saved" /> : null}
        {uploads.length > 0 ? (
          <>
            <h2>Evidence</h2>
            <ul className={styles.list}>{uploads.map((u) => <li key={u.name}>{u.name}: {u.ok ? "uploaded" : "not uploaded"}</li>)}</ul>
          </>
        ) : null}
        <h2>What happens next</h2>
        <ul className={styles.list}>{report.whatHappensNext.map((line) => <li key={line}>{line}</li>)}</ul>
        <p className={styles.actions}>
          {meta.can["subjects.read"] ? <Link href={href({ page: "subject", id: report.incident.subjectId })}>Open their page</Link> : null}
          <Button onClick={reset}>Report another incident</Button>
        </p>
      </>
    );
  }

  const premisesAllowed = meta.choices.premisesEnabled;
  return (
    <>
      <PageTitle lead="Tell us what happened. Describe behaviour, not character: the customer may one day read this.">Report an incident</PageTitle>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="The report was not sent" /> : null}
      <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Who was it?</legend>
          <RadioGroup value={who} onChange={(_, d) => setWho(d.value as "existing" | "new")} aria-label="Who was it?">
            <Radio id="who-new" value="new" label="Someone new to CALM" />
            <Radio id="who-existing" value="existing" label="Someone already on CALM" />
          </RadioGroup>
          {who === "existing" ? (
            <>
              <div className={styles.row}>
                <Field className={styles.grow} label="Email, phone number or name" hint="We check the register for them." validationMessage={problems.find((p) => p.fieldId === "lookup-query")?.message}>
                  <Input id="lookup-query" value={query} onChange={(_, d) => setQuery(d.value)} onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); void find(); } }} />
                </Field>
                <div style={{ alignSelf: "flex-end" }}><Button onClick={() => void find()} disabled={looking}>Find</Button></div>
              </div>
              {looking ? <Loading label="Looking them up" /> : null}
              {lookupError ? <Problem error={lookupError} title="We could not look them up" /> : null}
              {matches && matches.length === 0 ? <p role="status">Nobody on CALM matches. Check the spelling, or choose "Someone new to CALM".</p> : null}
              {matches && matches.length > 0 ? (
                <RadioGroup value={existingId} onChange={(_, d) => setExistingId(d.value)} aria-label="Choose who it was">
                  {matches.map((m) => (
                    <Radio
                      key={m.subjectId}
                      value={m.subjectId}
                      className={styles.match}
                      label={`${m.card.subjectName ?? m.card.reference} — ${m.certainty === "exact" ? `matches ${m.matchedValue}` : "possible match: check the address or date of contact before choosing"} (${m.card.riskLabel})`}
                    />
                  ))}
                </RadioGroup>
              ) : null}
            </>
          ) : (
            <>
              <Field label="Who or what is it?">
                <Select id="new-kind" value={kind} onChange={(_, d) => setKind(d.value as typeof kind)}>
                  <option value="person">A person</option>
                  <option value="representative">Someone acting for another person</option>
                  {premisesAllowed ? <option value="premises">A place (premises risk)</option> : null}
                </Select>
              </Field>
              <Field label={kind === "premises" ? "Address of the premises" : "Full name"} required validationMessage={problems.find((p) => p.fieldId === "new-name")?.message}>
                <Input id="new-name" value={name} onChange={(_, d) => setName(d.value)} autoComplete="off" />
              </Field>
              {kind !== "premises" ? (
                <div className={styles.row}>
                  <Field className={styles.grow} label="Email address (optional)" validationMessage={problems.find((p) => p.fieldId === "new-email")?.message}>
                    <Input id="new-email" type="email" value={email} onChange={(_, d) => setEmail(d.value)} autoComplete="off" />
                  </Field>
                  <Field className={styles.grow} label="Phone number (optional)" validationMessage={problems.find((p) => p.fieldId === "new-phone")?.message}>
                    <Input id="new-phone" type="tel" value={phone} onChange={(_, d) => setPhone(d.value)} autoComplete="off" />
                  </Field>
                </div>
              ) : null}
              <Field label="Address, first line (optional)">
                <Input id="new-address" value={addressLine} onChange={(_, d) => setAddressLine(d.value)} autoComplete="off" />
              </Field>
              <div className={styles.row}>
                <Field className={styles.grow} label="Town (optional)"><Input id="new-town" value={town} onChange={(_, d) => setTown(d.value)} autoComplete="off" /></Field>
                <Field className={styles.grow} label="Postcode (optional)"><Input id="new-postcode" value={postcode} onChange={(_, d) => setPostcode(d.value)} autoComplete="off" /></Field>
              </div>
            </>
          )}
        </fieldset>

        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>What happened</legend>
          <div className={styles.row}>
            <Field className={styles.grow} label="Date" required validationMessage={problems.find((p) => p.fieldId === "occurred-date")?.message}>
              <Input id="occurred-date" type="date" value={date} max={ukToday()} onChange={(_, d) => setDate(d.value)} />
            </Field>
            <Field className={styles.grow} label="Time" required>
              <Input id="occurred-time" type="time" value={time} onChange={(_, d) => setTime(d.value)} />
            </Field>
          </div>
          <Field label="Where did it happen?" hint="For example: Civic Centre reception, or the caller's home address" required validationMessage={problems.find((p) => p.fieldId === "location")?.message}>
            <Input id="location" value={location} onChange={(_, d) => setLocation(d.value)} />
          </Field>
          <div className={styles.row}>
            <Field className={styles.grow} label="How did they contact the council?" required validationMessage={problems.find((p) => p.fieldId === "channel")?.message}>
              <Select id="channel" value={channel} onChange={(_, d) => setChannel(d.value)}>
                <option value="">Choose one</option>
                {meta.choices.channels.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
              </Select>
            </Field>
            <Field className={styles.grow} label="Service area" required validationMessage={problems.find((p) => p.fieldId === "service-area")?.message}>
              <Input id="service-area" value={serviceArea} onChange={(_, d) => setServiceArea(d.value)} list="service-areas" />
            </Field>
            <datalist id="service-areas">{meta.choices.serviceAreas.map((a) => <option key={a} value={a} />)}</datalist>
          </div>
          <Field label="What kind of incident was it?" required validationMessage={problems.find((p) => p.fieldId === "category")?.message}>
            <Select id="category" value={category} onChange={(_, d) => setCategory(d.value)}>
              <option value="">Choose one</option>
              {meta.choices.categories.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
            </Select>
          </Field>
          <Field label="Describe what happened" hint="What was said and done, in order. Quote words used where you can." required validationMessage={problems.find((p) => p.fieldId === "description")?.message}>
            <Textarea id="description" value={description} onChange={(_, d) => setDescription(d.value)} rows={6} resize="vertical" maxLength={10_000} />
          </Field>
          <Checkbox id="hate" checked={hate} onChange={(_, d) => setHate(d.checked === true)} label="It was a hate incident (targeted at someone because of who they are)" />
          <div className={styles.row}>
            <Field className={styles.grow} label="What was done at the time?" validationMessage={problems.find((p) => p.fieldId === "immediate-action")?.message}>
              <Select id="immediate-action" value={action} onChange={(_, d) => setAction(d.value)}>
                {meta.choices.immediateActions.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
              </Select>
            </Field>
            <Field className={styles.grow} label="Police reference (optional)" validationMessage={problems.find((p) => p.fieldId === "police-reference")?.message}>
              <Input id="police-reference" value={police} onChange={(_, d) => setPolice(d.value)} maxLength={50} />
            </Field>
          </div>
          {action === "other" ? (
            <Field label="Say what was done" required validationMessage={problems.find((p) => p.fieldId === "immediate-action-note")?.message}>
              <Input id="immediate-action-note" value={actionNote} onChange={(_, d) => setActionNote(d.value)} />
            </Field>
          ) : null}
        </fieldset>

        {manyContactsAllowed ? (
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>Other contacts this report covers</legend>
            <p className={styles.hint}>The council's policy lets one report cover repeated contact of this kind. Add each contact, or add more to this report later.</p>
            {contacts.map((c, i) => (
              <div key={i} className={styles.witness}>
                <div className={styles.row}>
                  <Field className={styles.grow} label={`Contact ${i + 1}: date`} required validationMessage={problems.find((p) => p.fieldId === `contact-${i}-date`)?.message}>
                    <Input id={`contact-${i}-date`} type="date" value={c.date} max={ukToday()} onChange={(_, d) => setContacts(contacts.map((x, j) => (j === i ? { ...x, date: d.value } : x)))} />
                  </Field>
                  <Field className={styles.grow} label={`Contact ${i + 1}: time`} required>
                    <Input id={`contact-${i}-time`} type="time" value={c.time} onChange={(_, d) => setContacts(contacts.map((x, j) => (j === i ? { ...x, time: d.value } : x)))} />
                  </Field>
                  <Field className={styles.grow} label={`Contact ${i + 1}: how it came in`} required validationMessage={problems.find((p) => p.fieldId === `contact-${i}-channel`)?.message}>
                    <Select id={`contact-${i}-channel`} value={c.channel} onChange={(_, d) => setContacts(contacts.map((x, j) => (j === i ? { ...x, channel: d.value } : x)))}>
                      <option value="">Choose one</option>
                      {meta.choices.channels.map((ch) => <option key={ch.id} value={ch.id}>{ch.label}</option>)}
                    </Select>
                  </Field>
                </div>
                <Field label={`Contact ${i + 1}: what it was about`} required validationMessage={problems.find((p) => p.fieldId === `contact-${i}-summary`)?.message}>
                  <Input id={`contact-${i}-summary`} value={c.summary} maxLength={500} onChange={(_, d) => setContacts(contacts.map((x, j) => (j === i ? { ...x, summary: d.value } : x)))} />
                </Field>
                <div><Button onClick={() => setContacts(contacts.filter((_, j) => j !== i))}>{`Remove contact ${i + 1}`}</Button></div>
              </div>
            ))}
            <div><Button id="add-contact" onClick={() => setContacts([...contacts, { date: ukToday(), time: "", channel: "", summary: "" }])} disabled={contacts.length >= 100}>Add a contact</Button></div>
          </fieldset>
        ) : null}

        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Witnesses</legend>
          {witnesses.length === 0 ? <p className={styles.hint}>Add anyone who saw or heard it, staff or not.</p> : null}
          {witnesses.map((w, i) => (
            <div key={i} className={styles.witness}>
              <Field label={`Witness ${i + 1}: name`} required validationMessage={problems.find((p) => p.fieldId === `witness-${i}-name`)?.message}>
                <Input id={`witness-${i}-name`} value={w.name} onChange={(_, d) => setWitnesses(witnesses.map((x, j) => (j === i ? { ...x, name: d.value } : x)))} />
              </Field>
              <Field label={`Witness ${i + 1}: what they saw or heard`} required validationMessage={problems.find((p) => p.fieldId === `witness-${i}-statement`)?.message}>
                <Textarea id={`witness-${i}-statement`} value={w.statement} onChange={(_, d) => setWitnesses(witnesses.map((x, j) => (j === i ? { ...x, statement: d.value } : x)))} />
              </Field>
              <Checkbox checked={w.isStaff} onChange={(_, d) => setWitnesses(witnesses.map((x, j) => (j === i ? { ...x, isStaff: d.checked === true } : x)))} label={`Witness ${i + 1} works for the council`} />
              <div><Button onClick={() => setWitnesses(witnesses.filter((_, j) => j !== i))}>{`Remove witness ${i + 1}`}</Button></div>
            </div>
          ))}
          <div><Button id="add-witness" onClick={() => setWitnesses([...witnesses, { name: "", statement: "", isStaff: true }])} disabled={witnesses.length >= 20}>Add a witness</Button></div>
        </fieldset>

        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Evidence</legend>
          <p className={styles.hint}>Pictures, PDFs, emails (.eml or .msg), Word documents, text, recordings or video. Up to {MAX_FILES} files, each 10 MB or smaller.</p>
          <label htmlFor="evidence">Files (optional)</label>
          <input
            id="evidence"
            className={styles.fileInput}
            type="file"
            multiple
            accept={[...Object.keys(EVIDENCE_TYPES), ".eml", ".msg"].join(",")}
            onChange={(e) => {
              const chosen = [...(e.target.files ?? [])];
              const all = [...files, ...chosen.filter((c) => !files.some((f) => f.name === c.name && f.size === c.size))];
              setFiles(all);
              setProblems(fileProblems(all));
              e.target.value = "";
            }}
          />
          {files.length > 0 ? (
            <ul className={styles.list} aria-label="Files to upload">
              {files.map((f) => (
                <li key={`${f.name}:${f.size}`}>
                  {f.name} ({EVIDENCE_TYPES[typeOf(f) ?? ""] ?? "type not accepted"}, {sizeText(f.size)}){" "}
                  <Button size="small" appearance="subtle" onClick={() => { const left = files.filter((x) => x !== f); setFiles(left); setProblems(fileProblems(left)); }}>{`Remove ${f.name}`}</Button>
                </li>
              ))}
            </ul>
          ) : null}
          <Field label="CCTV or other evidence held elsewhere (optional)" hint="For example: Camera 3, 09:25 to 09:40" validationMessage={problems.find((p) => p.fieldId === "cctv-reference")?.message}>
            <Input id="cctv-reference" value={cctv} onChange={(_, d) => setCctv(d.value)} />
          </Field>
        </fieldset>

        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={!!busy}>Send report</Button>
          {busy ? <Loading label={busy} /> : null}
        </div>
      </form>
    </>
  );
}
