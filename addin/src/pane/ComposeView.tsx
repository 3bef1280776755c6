// Compose mode pane ("Contact guidance", and where the Smart Alert's "Give a reason" lands): who on this email
// has guidance or a contact restriction, who their SPOC is, and the audited "send anyway" with a reason.
import { useCallback, useEffect, useState } from "react";
import {
  Body1, Button, Caption1, Field, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, Textarea, makeStyles, tokens,
} from "@fluentui/react-components";
import type { AddinSettings, Api, RecipientGuard } from "../api";
import { checkCompose, recordSendAnyway, type ComposeCheck } from "../handlers/compose";
import { onRecipientsChangedInPane } from "../outlook";
import { RiskBadge } from "./EntryCard";

const useStyles = makeStyles({
  heading: { fontSize: tokens.fontSizeBase500, margin: `0 0 ${tokens.spacingVerticalM}` },
  person: { borderLeftWidth: "6px", borderLeftStyle: "solid", borderLeftColor: tokens.colorPaletteDarkOrangeBorderActive, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, marginBottom: tokens.spacingVerticalM, backgroundColor: tokens.colorNeutralBackground2, borderRadius: tokens.borderRadiusMedium, overflowWrap: "anywhere" },
  stop: { borderLeftColor: tokens.colorPaletteRedBorderActive },
  h2: { fontSize: tokens.fontSizeBase400, margin: 0, display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalXL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalL },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", marginTop: tokens.spacingVerticalM },
});

const STOP_WORDS: Record<string, string> = {
  "single-point-of-contact": "Only their single point of contact (SPOC) deals with them.",
  "email-divert": "Their email goes to their single point of contact (SPOC).",
  "correspondence-filed-without-acknowledgement": "Their emails are read and filed without a reply.",
  "contact-via-support-worker": "Contact goes through their support worker.",
  "single-channel": "They may be contacted one way only, and it is not email.",
  "no-further-correspondence-on-matter": "There is no further correspondence on a closed matter.",
  "contact-limit": "Contact with them is limited.",
};

function Person({ guard }: { guard: RecipientGuard }) {
  const styles = useStyles();
  return (
    <section className={`${styles.person} ${guard.stopsSend ? styles.stop : ""}`} aria-label={guard.address}>
      <h2 className={styles.h2}>
        <span>{guard.address}</span>
        {guard.view !== "minimum" && guard.riskLevel && guard.riskLabel && <RiskBadge level={guard.riskLevel} label={guard.riskLabel} />}
      </h2>
      {guard.statusLine && <Caption1>{guard.statusLine}{guard.reference && guard.view !== "minimum" ? ` · ${guard.reference}` : ""}</Caption1>}
      {guard.youAreSpoc && (
        <MessageBar intent="success" style={{ marginTop: 8 }}>
          <MessageBarBody>You are their single point of contact (SPOC), so you can write to them.</MessageBarBody>
        </MessageBar>
      )}
      {guard.restrictions.length > 0 && (
        <ul className={styles.list}>
          {guard.restrictions.map((r) => <li key={r.kind + (r.text ?? "")}><Body1>{r.text ?? STOP_WORDS[r.kind] ?? "Contact with them is restricted."}</Body1></li>)}
        </ul>
      )}
      {guard.whatToDo.length > 0 && (
        <ul className={styles.list}>
          {guard.whatToDo.map((line) => <li key={line}><Body1>{line}</Body1></li>)}
        </ul>
      )}
    </section>
  );
}

export function ComposeView({ api, settings }: { api: Pick<Api, "checkRecipients" | "sendAnyway">; settings: AddinSettings }) {
  const styles = useStyles();
  const [check, setCheck] = useState<ComposeCheck>();
  const [busy, setBusy] = useState(true);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string[]>();
  const [error, setError] = useState<string>();

  const refresh = useCallback(() => {
    setBusy(true);
    void checkCompose(api)
      .then((c) => setCheck(c))
      .catch((e: unknown) => setCheck({ state: "failed", code: "OUTLOOK_FAILED", error: e instanceof Error ? e.message : "Outlook could not give the recipients." }))
      .finally(() => setBusy(false));
  }, [api]);

  useEffect(() => {
    refresh();
    onRecipientsChangedInPane(() => { setSaved(undefined); refresh(); }).catch(() => undefined);
  }, [refresh]);

  const stopping = check?.state === "checked" ? check.stopping : [];

  return (
    <div>
      <h1 className={styles.heading}>Contact guidance</h1>
      <div role="status" aria-live="polite">{busy && <Spinner size="small" label="Checking who you are writing to…" labelPosition="after" />}</div>
      {!busy && check?.state === "no-recipients" && <Body1>Add recipients, and CALM checks them as you write.</Body1>}
      {!busy && check?.state === "failed" && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The recipients were not checked</MessageBarTitle>
            {check.error}
          </MessageBarBody>
        </MessageBar>
      )}
      {!busy && check?.state === "checked" && check.listed.length === 0 && <Body1>No one you are writing to has guidance in CALM.</Body1>}
      {!busy && check?.state === "checked" && check.listed.map((g) => <Person key={g.address} guard={g} />)}
      {!busy && stopping.length > 0 && !saved && (
        <form className={styles.form} onSubmit={(e) => {
          e.preventDefault();
          if (!reason) { setError("Choose why you need to send this email."); return; }
          if (check?.state !== "checked") return;
          setSaving(true);
          setError(undefined);
          void recordSendAnyway(api, { check, reason, note, now: new Date() }).then((outcome) => {
            setSaving(false);
            if (outcome.ok) setSaved(outcome.references);
            else setError(outcome.message);
          });
        }}>
          <h2 style={{ fontSize: tokens.fontSizeBase400, margin: 0 }}>Send anyway</h2>
          <Body1>The best way is to remove them and pass your email to their SPOC. If you must send it yourself, say why: your reason is recorded against their entry.</Body1>
          <Field label="Why do you need to send it?" required validationMessage={error}>
            <RadioGroup value={reason} onChange={(_, d) => { setReason(d.value); setError(undefined); }}>
              {settings.sendAnywayReasons.map((r) => <Radio key={r.id} value={r.id} label={r.label} />)}
            </RadioGroup>
          </Field>
          <Field label="Anything to add (optional)" hint="Do not include the customer's personal details. Up to 500 characters.">
            <Textarea value={note} maxLength={500} onChange={(_, d) => setNote(d.value)} />
          </Field>
          <div className={styles.actions}>
            <Button appearance="primary" type="submit" disabled={saving}>{saving ? "Recording…" : "Record my reason"}</Button>
            <Button onClick={refresh} disabled={saving}>Check again</Button>
          </div>
        </form>
      )}
      {saved && (
        <MessageBar intent="success" layout="multiline" style={{ marginTop: 12 }}>
          <MessageBarBody>
            <MessageBarTitle>Your reason is recorded</MessageBarTitle>
            It is recorded against {saved.join(", ")}. Select Send again to send the email.
          </MessageBarBody>
        </MessageBar>
      )}
      {!busy && stopping.length === 0 && check?.state !== "failed" && (
        <div className={styles.actions}><Button onClick={refresh}>Check again</Button></div>
      )}
    </div>
  );
}
