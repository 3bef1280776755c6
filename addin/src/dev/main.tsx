// The local Outlook stand-in (dev.html): a fictional mailbox on the left, the open message or a draft in the
// middle, and the real CALM pane on the right in its own frame, exactly as Outlook frames it. The event-based
// handlers (recipients changed, Smart Alerts on send) run in this page, as Outlook's event runtime would.
// For developer machines: sign-in is the local persona picker (npm start turns local sign-in on).
import { StrictMode, useEffect, useState, useSyncExternalStore } from "react";
import { createRoot } from "react-dom/client";
import {
  Body1, Button, Caption1, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, FluentProvider, Input, Link,
  MessageBar, MessageBarBody, Select, Textarea, makeStyles, mergeClasses, tokens, webLightTheme,
} from "@fluentui/react-components";
import { createApi } from "../api";
import { getToken } from "../auth";
import { registerCommands } from "../commands";
import type { SmartAlertCompletion } from "../officeTypes";
import { formatDateTime } from "../words";
import { demoMessages, ME, SPOC_INBOX } from "./demoMailbox";
import { FakeOutlook, parseAddressList } from "./fakeOutlook";

declare global {
  interface Window { __calmFakeOutlook?: FakeOutlook }
}

const useStyles = makeStyles({
  page: { display: "grid", gridTemplateColumns: "16rem minmax(20rem, 1fr) 26rem", gridTemplateRows: "auto 1fr", height: "100vh", fontFamily: tokens.fontFamilyBase },
  header: { gridColumn: "1 / 4", padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`, backgroundColor: tokens.colorBrandBackground, color: tokens.colorNeutralForegroundOnBrand },
  headerTitle: { margin: 0, fontSize: tokens.fontSizeBase400 },
  headerLink: { color: tokens.colorNeutralForegroundOnBrand },
  nav: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, overflowY: "auto", padding: tokens.spacingVerticalS },
  navList: { listStyle: "none", margin: 0, padding: 0 },
  navItem: { display: "block", width: "100%", textAlign: "left", padding: tokens.spacingVerticalS, border: "none", borderRadius: tokens.borderRadiusMedium, backgroundColor: "transparent", cursor: "pointer", color: tokens.colorNeutralForeground1, fontFamily: "inherit" },
  navSelected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  navFrom: { display: "block", fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
  navSubject: { display: "block", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  main: { overflowY: "auto", padding: tokens.spacingHorizontalL },
  ribbon: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", paddingBottom: tokens.spacingVerticalM, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, marginBottom: tokens.spacingVerticalM },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalM },
  subject: { fontSize: tokens.fontSizeBase500, margin: `0 0 ${tokens.spacingVerticalS}`, overflowWrap: "anywhere" },
  headers: { display: "grid", gridTemplateColumns: "auto 1fr", columnGap: tokens.spacingHorizontalM, margin: `0 0 ${tokens.spacingVerticalM}` },
  body: { whiteSpace: "pre-wrap" },
  compose: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "40rem" },
  pane: { borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, display: "flex", flexDirection: "column" },
  paneTitle: { margin: 0, padding: tokens.spacingVerticalS, fontSize: tokens.fontSizeBase300, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  frame: { border: "none", flexGrow: 1, width: "100%" },
});

type PaneMode = "read" | "report" | "compose";

function useFake(fake: FakeOutlook): number {
  return useSyncExternalStore(fake.subscribe, () => fake.version);
}

function Host({ fake }: { fake: FakeOutlook }) {
  const styles = useStyles();
  useFake(fake);
  const [pane, setPane] = useState<{ mode: PaneMode; n: number } | undefined>();
  const [alert, setAlert] = useState<SmartAlertCompletion>();
  const [sentNote, setSentNote] = useState<string>();
  const [to, setTo] = useState("");
  const [cc, setCc] = useState("");
  const openPane = (mode: PaneMode) => setPane((p) => ({ mode, n: (p?.n ?? 0) + 1 }));
  const message = fake.mode === "read" ? fake.messages[fake.selected] : undefined;
  const draft = fake.mode === "compose" ? fake.draft : undefined;

  useEffect(() => { fake.select(0); }, [fake]);
  // While the Smart Alert is open, the page behind it is inert, not only hidden from screen readers: nothing behind
  // a modal dialog can take focus. The dialog hides the page (aria-hidden) a moment after it opens and shows it
  // again a moment after it closes, so the page also stays inert for as long as it is hidden.
  useEffect(() => {
    const root = document.getElementById("root");
    if (!root) return;
    const sync = () => { root.inert = !!alert || root.getAttribute("aria-hidden") === "true"; };
    sync();
    const watch = new MutationObserver(sync);
    watch.observe(root, { attributes: true, attributeFilter: ["aria-hidden"] });
    return () => {
      watch.disconnect();
      root.inert = false;
    };
  }, [alert]);

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.headerTitle}>Local Outlook stand-in for CALM</h1>
        <Caption1>
          A fictional mailbox on this machine; the pane on the right is the real CALM add-in. Reports you send go to this server: see them in the{" "}
          <Link className={styles.headerLink} href="/tab/" target="_blank">staff portal</Link>.
        </Caption1>
      </header>
      <nav className={styles.nav} aria-label="Mailbox">
        <Button appearance="primary" style={{ width: "100%", marginBottom: 8 }} onClick={() => { setTo(""); setCc(""); setSentNote(undefined); fake.compose(); if (pane) openPane("compose"); }}>New email</Button>
        <h2 style={{ fontSize: tokens.fontSizeBase300, margin: "8px 0" }}>Inbox</h2>
        <ul className={styles.navList}>
          {fake.messages.map((m, i) => (
            <li key={m.id}>
              <button
                type="button"
                className={mergeClasses(styles.navItem, fake.mode === "read" && fake.selected === i ? styles.navSelected : undefined)}
                aria-current={fake.mode === "read" && fake.selected === i ? "true" : undefined}
                onClick={() => { setSentNote(undefined); fake.select(i); if (pane?.mode === "compose") setPane(undefined); }}
              >
                <span className={styles.navFrom}>{m.from.displayName}</span>
                <span className={styles.navSubject}>{m.subject}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className={styles.main}>
        {sentNote && <MessageBar intent="success" style={{ marginBottom: 12 }}><MessageBarBody>{sentNote}</MessageBarBody></MessageBar>}
        <div className={styles.ribbon} role="toolbar" aria-label="CALM on the ribbon">
          {message && <Button onClick={() => openPane("read")}>Check sender</Button>}
          {message && <Button onClick={() => openPane("report")}>Report this email</Button>}
          {draft && <Button onClick={() => openPane("compose")}>Contact guidance</Button>}
        </div>
        <div className={styles.bars} aria-live="polite">
          {fake.barsNow().map((b) => (
            <MessageBar key={b.key} intent="info"><MessageBarBody>{b.message}</MessageBarBody></MessageBar>
          ))}
        </div>
        {message && (
          <article aria-labelledby="message-subject">
            <h2 id="message-subject" className={styles.subject}>{message.subject}</h2>
            <dl className={styles.headers}>
              <dt>From</dt><dd style={{ margin: 0 }}>{message.from.displayName} &lt;{message.from.emailAddress}&gt;</dd>
              <dt>To</dt><dd style={{ margin: 0 }}>{message.to.map((a) => a.emailAddress).join(", ")}</dd>
              {message.cc.length > 0 && (<><dt>Cc</dt><dd style={{ margin: 0 }}>{message.cc.map((a) => a.emailAddress).join(", ")}</dd></>)}
              <dt>Received</dt><dd style={{ margin: 0 }}>{formatDateTime(message.receivedAt)}</dd>
            </dl>
            <Body1 className={styles.body}>{message.body}</Body1>
          </article>
        )}
        {draft && (
          <form className={styles.compose} aria-label="New email" onSubmit={(e) => {
            e.preventDefault();
            void fake.send().then((result) => {
              if (result.sent) { setSentNote("Sent (nothing really leaves this machine)."); setPane(undefined); fake.select(0); }
              else setAlert(result.alert);
            });
          }}>
            <h2 className={styles.subject}>New email</h2>
            <Field label="From">
              <Select value={draft.from.emailAddress} onChange={(_, d) => fake.setFrom(d.value === SPOC_INBOX.emailAddress ? SPOC_INBOX : ME)}>
                <option value={ME.emailAddress}>{ME.displayName} ({ME.emailAddress})</option>
                <option value={SPOC_INBOX.emailAddress}>{SPOC_INBOX.displayName} ({SPOC_INBOX.emailAddress})</option>
              </Select>
            </Field>
            <Field label="To" hint="Separate addresses with commas. Try alex.example@example.org">
              <Input value={to} onChange={(_, d) => setTo(d.value)} onBlur={() => void fake.setRecipients("to", parseAddressList(to))} />
            </Field>
            <Field label="Cc">
              <Input value={cc} onChange={(_, d) => setCc(d.value)} onBlur={() => void fake.setRecipients("cc", parseAddressList(cc))} />
            </Field>
            <Field label="Subject"><Input defaultValue={draft.subject} /></Field>
            <Field label="Message"><Textarea rows={6} defaultValue={draft.body} /></Field>
            <div><Button appearance="primary" type="submit">Send</Button></div>
          </form>
        )}
        {!message && !draft && !sentNote && <Body1>Select an email in the inbox.</Body1>}
      </main>
      <section className={styles.pane} aria-label="CALM add-in pane">
        {pane ? (
          <>
            <h2 className={styles.paneTitle}>CALM</h2>
            <iframe key={pane.n} className={styles.frame} title="CALM add-in" src={`dev-pane.html?mode=${pane.mode}`} />
          </>
        ) : (
          <Body1 style={{ padding: 16 }}>Choose Check sender, Report this email or Contact guidance to open CALM here.</Body1>
        )}
      </section>
      <Dialog open={!!alert} onOpenChange={(_, d) => { if (!d.open) setAlert(undefined); }} modalType="alert">
        <DialogSurface>
          <DialogBody>
            <DialogTitle>CALM is checking this email</DialogTitle>
            <DialogContent>{alert?.errorMessage}</DialogContent>
            <DialogActions>
              {alert?.commandId && <Button appearance="primary" onClick={() => { setAlert(undefined); openPane("compose"); }}>{alert.cancelLabel ?? "Take action"}</Button>}
              <Button onClick={() => setAlert(undefined)}>Don&apos;t send</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}

// `?mailbox=1.13` pretends to be an Outlook without getAsFileAsync (Mailbox 1.14): "Report this email" then has the
// server copy the email from the mailbox (the Graph simulator locally).
const mailboxVersion = new URLSearchParams(window.location.search).get("mailbox") ?? undefined;
const fake = new FakeOutlook({ messages: demoMessages(), user: ME, ...(mailboxVersion && /^1\.\d{1,2}$/.test(mailboxVersion) ? { mailboxVersion } : {}) }).install();
window.__calmFakeOutlook = fake;
// Outlook's event runtime for this stand-in: the same handlers commands.js registers in Outlook.
registerCommands(createApi({ baseUrl: "", getToken, timeoutMs: 6000 }));

const element = document.getElementById("root");
if (element) {
  createRoot(element).render(
    <StrictMode>
      <FluentProvider theme={webLightTheme}>
        <Host fake={fake} />
      </FluentProvider>
    </StrictMode>,
  );
}
