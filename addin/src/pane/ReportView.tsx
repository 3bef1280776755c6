// "Report this email": category, what was unreasonable, hate incident, service; the email goes with the report as
// evidence. Errors follow GOV.UK's pattern: a summary at the top that takes focus, each linked to its field.
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Body1, Button, Caption1, Checkbox, Field, Input, Link, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Select, Spinner, Textarea,
  makeStyles, tokens,
} from "@fluentui/react-components";
import type { Api, IncidentSummary } from "../api";
import { attachEmail, DESCRIPTION_MAX, EMAIL_CATEGORIES, evidenceSentence, fileReport, findOpenReport, newKey, type EmailCategory, type FileOutcome } from "../handlers/report";
import { onItemChanged, readMessage, type ReadMessage } from "../outlook";
import { formatDateTime } from "../words";

const useStyles = makeStyles({
  heading: { fontSize: tokens.fontSizeBase500, margin: `0 0 ${tokens.spacingVerticalM}` },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  about: { padding: tokens.spacingVerticalM, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground2, overflowWrap: "anywhere" },
  summary: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  next: { margin: `${tokens.spacingVerticalS} 0`, paddingLeft: tokens.spacingHorizontalXL },
});

type Api4Report = Pick<Api, "checkSenders" | "openReport" | "createIncident" | "addContacts" | "addEvidence" | "attachEmailFromMailbox">;

interface FieldErrors { category?: string; description?: string; serviceArea?: string }

export function ReportView({ api, multiContactCategories, defaultServiceArea, onDone }: {
  api: Api4Report;
  multiContactCategories: readonly string[] | null | undefined;
  defaultServiceArea: string;
  onDone?: () => void;
}) {
  const styles = useStyles();
  const [message, setMessage] = useState<ReadMessage | undefined>(() => readMessage());
  const [key, setKey] = useState(newKey);
  const [category, setCategory] = useState<EmailCategory | "">("");
  const [description, setDescription] = useState("");
  const [hate, setHate] = useState(false);
  const [serviceArea, setServiceArea] = useState(defaultServiceArea);
  const [subjectId, setSubjectId] = useState<string>();
  const [openReport, setOpenReport] = useState<IncidentSummary>();
  const [addToOpen, setAddToOpen] = useState<"add" | "new">("add");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Extract<FileOutcome, { ok: true }>>();
  const [retrying, setRetrying] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const sender = message?.from;

  useEffect(() => setServiceArea((current) => current || defaultServiceArea), [defaultServiceArea]);

  // The reader moved to another email while the form was open (a pinned pane): the form is now about that one.
  const sent = useRef(false);
  sent.current = !!done;
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    onItemChanged(() => {
      if (sent.current) return;
      setMessage(readMessage());
      setSubjectId(undefined);
      setOpenReport(undefined);
      setErrors({});
      setFailure(undefined);
      setKey(newKey());
    }).then((s) => { if (live) stop = s; else s(); }, () => undefined);
    return () => { live = false; stop?.(); };
  }, []);

  // Is the sender known (listed, or already in one of my persistent-contact reports)? Either way the report
  // attaches to that subject instead of creating another.
  useEffect(() => {
    if (!sender?.emailAddress) return;
    let live = true;
    void (async () => {
      const checked = await api.checkSenders([sender.emailAddress]);
      const listedId = checked.ok ? checked.value.results[0]?.matches[0]?.subjectId : undefined;
      const found = await findOpenReport(api, { subjectId: listedId, email: sender.emailAddress });
      if (!live) return;
      setSubjectId(found.subjectId);
      setOpenReport(found.report);
    })();
    return () => { live = false; };
  }, [api, sender?.emailAddress]);

  const multiContact = !!category && !!multiContactCategories?.includes(category);
  const canAddToOpen = multiContact && !!openReport && openReport.category === category;

  const errorList = useMemo(() => Object.entries(errors).filter(([, m]) => !!m) as [keyof FieldErrors, string][], [errors]);

  if (!message || !sender) {
    return (
      <div>
        <h1 className={styles.heading}>Report this email</h1>
        <Body1>Open the email you want to report, then choose Report this email again.</Body1>
      </div>
    );
  }

  if (done) {
    return (
      <div>
        <h1 className={styles.heading}>Report sent</h1>
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{done.addedToExisting ? `This email is added to report ${done.reference}` : `Your reference is ${done.reference}`}</MessageBarTitle>
            {done.addedToExisting && done.contactCount ? `The report now covers ${done.contactCount} contacts. ` : ""}
            You can find it in CALM in Teams, under your reports.
          </MessageBarBody>
        </MessageBar>
        {done.evidence.ok && done.evidence.kind !== "text" && <p><Body1>{evidenceSentence(done.evidence)}</Body1></p>}
        {done.evidence.ok && done.evidence.kind === "text" && (
          <MessageBar intent="warning" layout="multiline" style={{ marginTop: 12 }}>
            <MessageBarBody>
              <MessageBarTitle>Only part of the email is attached</MessageBarTitle>
              {evidenceSentence(done.evidence)}
            </MessageBarBody>
          </MessageBar>
        )}
        {!done.evidence.ok && (
          <MessageBar intent="warning" layout="multiline" style={{ marginTop: 12 }}>
            <MessageBarBody>
              <MessageBarTitle>The email is not attached yet</MessageBarTitle>
              {done.evidence.message}
              <div style={{ marginTop: 8 }}>
                <Button disabled={retrying} onClick={() => {
                  setRetrying(true);
                  void attachEmail(api, done.incidentId, message, key).then((evidence) => { setDone({ ...done, evidence }); setRetrying(false); });
                }}>{retrying ? "Attaching…" : "Attach the email again"}</Button>
              </div>
            </MessageBarBody>
          </MessageBar>
        )}
        {done.whatHappensNext.length > 0 && (
          <>
            <h2 style={{ fontSize: tokens.fontSizeBase400 }}>What happens next</h2>
            <ul className={styles.next}>{done.whatHappensNext.map((line) => <li key={line}><Body1>{line}</Body1></li>)}</ul>
          </>
        )}
        <div className={styles.actions}>
          <Button onClick={() => { setDone(undefined); setDescription(""); setCategory(""); setHate(false); setKey(newKey()); }}>Report another email</Button>
          {onDone && <Button appearance="subtle" onClick={onDone}>Back to the sender check</Button>}
        </div>
      </div>
    );
  }

  const validate = (): FieldErrors => ({
    category: category ? undefined : "Choose what the email did",
    description: !description.trim()
      ? "Say what was unreasonable about the email"
      : description.length > DESCRIPTION_MAX ? `Keep it to ${DESCRIPTION_MAX.toLocaleString("en-GB")} characters or fewer` : undefined,
    serviceArea: serviceArea.trim() ? undefined : "Enter the service you work in, for example Housing",
  });

  const submit = async () => {
    const found = validate();
    setErrors(found);
    setFailure(undefined);
    if (Object.values(found).some(Boolean)) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    const outcome = await fileReport(api, {
      message,
      sender,
      subjectId,
      draft: { category: category as EmailCategory, description, hateIncident: hate, serviceArea, addToReportId: canAddToOpen && addToOpen === "add" ? openReport.id : undefined },
      multiContactCategories,
      idempotencyKey: key,
      now: new Date(),
    });
    setBusy(false);
    if (outcome.ok) {
      setDone(outcome);
      return;
    }
    setFailure(outcome.fieldErrors.length > 0 ? `${outcome.message} ${outcome.fieldErrors.map((e) => e.message).join(" ")}` : outcome.message);
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  return (
    <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h1 className={styles.heading}>Report this email</h1>
      {(errorList.length > 0 || failure) && (
        <div ref={summaryRef} tabIndex={-1} role="alert" aria-labelledby="report-problem-title">
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle id="report-problem-title">{failure ? "The report was not sent" : "There is a problem"}</MessageBarTitle>
              {failure ?? (
                <ul className={styles.summary}>
                  {errorList.map(([field, text]) => <li key={field}><Link href={`#report-${field}`}>{text}</Link></li>)}
                </ul>
              )}
            </MessageBarBody>
          </MessageBar>
        </div>
      )}
      <div className={styles.about}>
        <Body1>From <strong>{sender.displayName}</strong> ({sender.emailAddress})</Body1>
        <br />
        <Caption1>{message.receivedAt ? `Received ${formatDateTime(message.receivedAt)}` : "Date not known"} · The email is attached to the report as evidence.</Caption1>
      </div>
      <Field label="What did the email do?" required validationMessage={errors.category}>
        <Select id="report-category" value={category} onChange={(_, d) => setCategory(d.value as EmailCategory | "")}>
          <option value="">Choose one</option>
          {EMAIL_CATEGORIES.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
        </Select>
      </Field>
      {canAddToOpen && (
        <Field label={`You already have a report of persistent contact from this sender (${openReport.reference}${openReport.contactCount ? `, ${openReport.contactCount} contact${openReport.contactCount === 1 ? "" : "s"} so far` : ""})`}>
          <RadioGroup value={addToOpen} onChange={(_, d) => setAddToOpen(d.value as "add" | "new")}>
            <Radio value="add" label={`Add this email to ${openReport.reference}`} />
            <Radio value="new" label="Start a new report" />
          </RadioGroup>
        </Field>
      )}
      <Field
        label="What was unreasonable about it?"
        required
        hint="Describe the behaviour, not the person: what was said, and how it affected you or others."
        validationMessage={errors.description}
      >
        <Textarea id="report-description" value={description} resize="vertical" rows={6} maxLength={DESCRIPTION_MAX} onChange={(_, d) => setDescription(d.value)} />
      </Field>
      <Checkbox
        checked={hate}
        onChange={(_, d) => setHate(d.checked === true)}
        label="It targeted someone because of who they are (for example their race, religion, disability, sexual orientation or gender identity): a hate incident"
      />
      <Field label="Your service" required validationMessage={errors.serviceArea}>
        <Input id="report-serviceArea" value={serviceArea} onChange={(_, d) => setServiceArea(d.value)} />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>{busy ? "Sending…" : "Send report"}</Button>
        {onDone && <Button appearance="subtle" onClick={onDone} disabled={busy}>Cancel</Button>}
      </div>
      <div role="status" aria-live="polite">{busy && <Spinner size="tiny" label="Sending the report and attaching the email…" labelPosition="after" />}</div>
    </form>
  );
}
