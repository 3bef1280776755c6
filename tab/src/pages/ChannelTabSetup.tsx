// Setting up CALM as a tab in a Teams channel (the decision body's channel, usually): choose which page it shows.
import { useEffect, useState } from "react";
import { makeStyles, Radio, RadioGroup, tokens } from "@fluentui/react-components";
import type { TeamsSession } from "../teams";
import { PageTitle } from "../components/ui";

const PAGES = [
  { path: "/panel", name: "CALM panel", label: "Panel workspace: cases waiting for a decision" },
  { path: "/reviews", name: "CALM reviews", label: "Reviews and appeals" },
  { path: "/register", name: "CALM register", label: "The register" },
] as const;

const useStyles = makeStyles({ fieldset: { border: "none", padding: 0, margin: `${tokens.spacingVerticalM} 0` }, legend: { fontWeight: tokens.fontWeightSemibold, padding: 0 } });

export function ChannelTabSetup({ teams }: { teams: TeamsSession | undefined }) {
  const styles = useStyles();
  const [choice, setChoice] = useState<string>(PAGES[0].path);
  useEffect(() => {
    const page = PAGES.find((p) => p.path === choice) ?? PAGES[0];
    teams?.saveChannelTab({ path: page.path, name: page.name });
  }, [choice, teams]);
  return (
    <>
      <PageTitle>Add CALM to this channel</PageTitle>
      {!teams ? <p>This page is used by Microsoft Teams when CALM is added to a channel.</p> : null}
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Which page should the tab show?</legend>
        <RadioGroup value={choice} onChange={(_, d) => setChoice(d.value)} aria-label="Which page should the tab show?">
          {PAGES.map((p) => <Radio key={p.path} value={p.path} label={p.label} />)}
        </RadioGroup>
      </fieldset>
      <p>People see only what their role allows. Select Save to add the tab.</p>
    </>
  );
}
