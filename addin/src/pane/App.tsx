// The task pane: signs in, loads the add-in's settings, then shows the view for its mode (read: check sender;
// report: report this email; compose: contact guidance). Data and callbacks come in as props.
import { useCallback, useEffect, useState } from "react";
import { Body1, Button, Caption1, Link, MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import type { AddinSettings, Api, Me, Persona } from "../api";
import { ComposeView } from "./ComposeView";
import { ReadView } from "./ReadView";
import { ReportView } from "./ReportView";
import { PersonaPicker, SignInProblem } from "./SignIn";

export type PaneMode = "read" | "report" | "compose";

export interface PaneAuth {
  /** The locally chosen persona's token (developer machines only). */
  devToken(): string | undefined;
  setDevToken(token: string | undefined): void;
}

const useStyles = makeStyles({
  main: { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`, maxWidth: "40rem" },
  footer: { marginTop: tokens.spacingVerticalXXL, color: tokens.colorNeutralForeground3, display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "baseline" },
});

type Boot =
  | { state: "loading" }
  | { state: "ready"; settings: AddinSettings; me?: Me }
  | { state: "sign-in"; message: string; personas?: Persona[] }
  | { state: "error"; message: string };

const SIGN_IN_CODES = /^(SIGN_IN_|CONSENT_|ACCOUNT_NOT_SUPPORTED|SSO_NOT_SUPPORTED|TOKEN_)/;

export function App({ mode: initialMode, api, auth }: { mode: PaneMode; api: Api; auth: PaneAuth }) {
  const styles = useStyles();
  const [boot, setBoot] = useState<Boot>({ state: "loading" });
  const [mode, setMode] = useState(initialMode);
  const [persona, setPersona] = useState<string>();

  const load = useCallback(async () => {
    setBoot({ state: "loading" });
    const settings = await api.settings();
    if (settings.ok) {
      const me = await api.me();
      setBoot({ state: "ready", settings: settings.value, me: me.ok ? me.value : undefined });
      if (me.ok && auth.devToken()) setPersona(me.value.displayName);
      return;
    }
    if (SIGN_IN_CODES.test(settings.code) || settings.status === 401) {
      auth.setDevToken(undefined);
      const personas = await api.devPersonas();
      setBoot({ state: "sign-in", message: settings.message, personas: personas.ok ? personas.value.personas : undefined });
      return;
    }
    setBoot({ state: "error", message: settings.message });
  }, [api, auth]);

  useEffect(() => { void load(); }, [load]);

  let body: React.ReactNode;
  if (boot.state === "loading") {
    body = <div role="status" aria-live="polite"><Spinner size="small" label="Opening CALM…" labelPosition="after" /></div>;
  } else if (boot.state === "sign-in") {
    body = boot.personas ? (
      <PersonaPicker
        personas={boot.personas}
        problem={boot.message}
        onSignIn={async (personaId) => {
          const signed = await api.devSignIn(personaId);
          if (!signed.ok) return signed.message;
          auth.setDevToken(signed.value.token);
          await load();
          return undefined;
        }}
      />
    ) : (
      <>
        <h1 style={{ fontSize: tokens.fontSizeBase500, marginTop: 0 }}>CALM</h1>
        <SignInProblem message={boot.message} onRetry={() => void load()} />
      </>
    );
  } else if (boot.state === "error") {
    body = (
      <>
        <h1 style={{ fontSize: tokens.fontSizeBase500, marginTop: 0 }}>CALM</h1>
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>CALM is not available</MessageBarTitle>
            {boot.message}
            <div style={{ marginTop: 8 }}><Button onClick={() => void load()}>Try again</Button></div>
          </MessageBarBody>
        </MessageBar>
      </>
    );
  } else if (mode === "compose") {
    body = <ComposeView api={api} settings={boot.settings} />;
  } else if (mode === "report") {
    body = (
      <ReportView
        api={api}
        multiContactCategories={boot.settings.multiContactCategories}
        defaultServiceArea={boot.me?.serviceAreas[0] ?? ""}
        onDone={initialMode === "read" ? () => setMode("read") : undefined}
      />
    );
  } else {
    body = <ReadView api={api} registerName={boot.settings.registerName} onReport={() => setMode("report")} />;
  }

  return (
    <main className={styles.main}>
      {body}
      {boot.state === "ready" && (
        <footer className={styles.footer}>
          <Caption1>CALM · {boot.settings.registerName}</Caption1>
          {persona && (
            <>
              <Caption1>Signed in locally as {persona}.</Caption1>
              <Link as="button" onClick={() => { auth.setDevToken(undefined); setPersona(undefined); void load(); }}>Switch persona</Link>
            </>
          )}
        </footer>
      )}
    </main>
  );
}

/** Shown when the page is opened outside Outlook (no Office.js): where to go instead. */
export function NotInOutlook() {
  return (
    <main style={{ padding: 16, maxWidth: "40rem" }}>
      <h1 style={{ fontSize: tokens.fontSizeBase500, marginTop: 0 }}>Open CALM from Outlook</h1>
      <Body1>
        This page is CALM's Outlook add-in. Open an email in Outlook and choose Check sender or Report this email on the ribbon. To try it on a
        developer machine, open <Link href="dev.html">the local Outlook stand-in</Link>.
      </Body1>
    </main>
  );
}
