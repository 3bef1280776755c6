// What the pane shows when it cannot sign in: what happened and what to do next, and, on a developer machine
// with local sign-in on, a picker of fictional personas (the same personas as the tab's).
import { useState } from "react";
import { Button, Caption1, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, makeStyles, tokens } from "@fluentui/react-components";
import type { Persona } from "../api";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalL },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

export function SignInProblem({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>CALM could not sign you in</MessageBarTitle>
        {message}
        <div style={{ marginTop: 8 }}>
          <Button onClick={onRetry}>Try again</Button>
        </div>
      </MessageBarBody>
    </MessageBar>
  );
}

export function PersonaPicker({ personas, problem, onSignIn }: { personas: Persona[]; problem?: string; onSignIn: (personaId: string) => Promise<string | undefined> }) {
  const styles = useStyles();
  const [personaId, setPersonaId] = useState(personas[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const chosen = personas.find((p) => p.id === personaId);
  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        void onSignIn(personaId).then((failure) => {
          setBusy(false);
          setError(failure);
        });
      }}
    >
      <h1 style={{ margin: 0, fontSize: tokens.fontSizeBase500 }}>Sign in (local)</h1>
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          Local sign-in is on (this is a developer machine), so you can try CALM as a fictional member of staff.
          {problem && <><br /><Caption1>Single sign-on did not work here: {problem}</Caption1></>}
        </MessageBarBody>
      </MessageBar>
      <Field label="Sign in as" hint={chosen?.description}>
        <Select value={personaId} onChange={(_, data) => setPersonaId(data.value)}>
          {personas.map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
        </Select>
      </Field>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy || !personaId}>{busy ? "Signing in…" : "Sign in"}</Button>
      </div>
    </form>
  );
}
