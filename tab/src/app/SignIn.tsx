// Local development sign-in: pick a fictional persona. Shown only outside Teams, and only when the server has
// local sign-in on (it cannot be turned on in production). Inside Teams, single sign-on is used instead.
import { useEffect, useState } from "react";
import { Button, makeStyles, Radio, RadioGroup, tokens } from "@fluentui/react-components";
import { devSignIn, listPersonas } from "../api/client";
import type { Persona } from "../api/types";
import { ErrorSummary, Loading, PageTitle, Problem } from "../components/ui";

const useStyles = makeStyles({
  form: { maxWidth: "40rem" },
  fieldset: { border: "none", padding: 0, margin: `0 0 ${tokens.spacingVerticalL}` },
  legend: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalS },
  hint: { color: tokens.colorNeutralForeground2, display: "block" },
  notice: { marginBottom: tokens.spacingVerticalL },
});

export function SignIn({ message, onSignedIn }: { message?: string; onSignedIn: (token: string, persona: Persona) => void }) {
  const styles = useStyles();
  const [personas, setPersonas] = useState<Persona[] | undefined | null>(null);
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listPersonas().then(setPersonas, setError);
  }, []);

  if (error && personas === null) return <Problem error={error} title="CALM is not available" />;
  if (personas === null) return <Loading label="Loading sign-in" />;
  if (personas === undefined) {
    return (
      <>
        <PageTitle>Sign in to CALM</PageTitle>
        <p>Open CALM from Microsoft Teams: it signs you in with your council account.</p>
      </>
    );
  }

  const submit = async () => {
    if (!chosen) {
      setMissing(true);
      return;
    }
    setBusy(true);
    try {
      const { token, persona } = await devSignIn(chosen);
      onSignedIn(token, persona);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle lead="This is a developer machine: pick a fictional member of staff to see CALM as they would. Nothing here is real.">Sign in to CALM</PageTitle>
      {message ? <div className={styles.notice}><Problem error={new Error(message)} title="You need to sign in again" /></div> : null}
      <ErrorSummary problems={missing ? [{ fieldId: "persona-choice", message: "Choose who to sign in as" }] : []} />
      {error ? <div className={styles.notice}><Problem error={error} /></div> : null}
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Who do you want to sign in as?</legend>
          <RadioGroup id="persona-choice" value={chosen} onChange={(_, d) => { setChosen(d.value); setMissing(false); }} aria-label="Who do you want to sign in as?">
            {personas.map((p) => (
              <Radio
                key={p.id}
                value={p.id}
                label={{ children: <span><strong>{p.displayName}</strong><span className={styles.hint}>{p.description}</span></span> }}
              />
            ))}
          </RadioGroup>
        </fieldset>
        <Button appearance="primary" type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</Button>
      </form>
    </>
  );
}
