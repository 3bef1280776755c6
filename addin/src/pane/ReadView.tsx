// Read mode: who sent this, and is anyone on it listed? Re-checks as the reader moves between messages while the
// pane is pinned (ItemChanged), and keeps the message's bar in step.
import { useEffect, useMemo, useState } from "react";
import { Body1, Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import type { Api } from "../api";
import { ReadController, type SenderCheck } from "../handlers/read";
import { onItemChanged } from "../outlook";
import { EntryCard } from "./EntryCard";

const useStyles = makeStyles({
  heading: { fontSize: tokens.fontSizeBase500, margin: `0 0 ${tokens.spacingVerticalM}` },
  sub: { fontSize: tokens.fontSizeBase400, margin: `${tokens.spacingVerticalL} 0 ${tokens.spacingVerticalS}` },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalL, flexWrap: "wrap" },
  clear: { padding: tokens.spacingVerticalM, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground2 },
});

export function ReadView({ api, registerName, onReport }: { api: Pick<Api, "checkSenders">; registerName: string; onReport?: () => void }) {
  const styles = useStyles();
  const [check, setCheck] = useState<SenderCheck>();
  const [busy, setBusy] = useState(true);
  const controller = useMemo(() => new ReadController({ api, registerName, onResult: (c) => { setCheck(c); setBusy(false); } }), [api, registerName]);

  useEffect(() => {
    const refresh = () => {
      setBusy(true);
      void controller.refresh();
    };
    refresh();
    let stop: (() => void) | undefined;
    let live = true;
    onItemChanged(refresh).then((s) => { if (live) stop = s; else s(); }, () => undefined);
    return () => { live = false; stop?.(); };
  }, [controller]);

  return (
    <div>
      <h1 className={styles.heading}>Check sender</h1>
      <div role="status" aria-live="polite">
        {busy && <Spinner size="small" label="Checking the sender…" labelPosition="after" />}
      </div>
      {!busy && check?.state === "no-message" && <Body1>Select an email to check who sent it.</Body1>}
      {!busy && check?.state === "failed" && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The sender was not checked</MessageBarTitle>
            {check.error}
            <div style={{ marginTop: 8 }}>
              <Button onClick={() => { setBusy(true); void controller.refresh(); }}>Check again</Button>
            </div>
          </MessageBarBody>
        </MessageBar>
      )}
      {!busy && check?.state === "checked" && (
        <>
          {check.listed.filter((p) => p.role === "sender").map((p) =>
            p.result.matches.map((m) => (
              <EntryCard key={m.card.reference} card={m.card} who="Sender" matched={`Matches ${p.address.emailAddress}`} headingLevel={2} />
            )),
          )}
          {!check.senderListed && (
            <div className={styles.clear}>
              <Body1>
                {check.sender?.emailAddress
                  ? check.senderValid
                    ? `${check.sender.emailAddress} is not on the ${registerName}.`
                    : `Outlook did not give a usable address for the sender (${check.sender.emailAddress}), so CALM could not check them.`
                  : "Outlook did not say who sent this email, so CALM could not check the sender."}
                {" "}If you are worried about this email, talk to your manager.
              </Body1>
            </div>
          )}
          {check.listed.some((p) => p.role === "cc") && (
            <>
              <h2 className={styles.sub}>Also on this email</h2>
              {check.listed.filter((p) => p.role === "cc").map((p) =>
                p.result.matches.map((m) => (
                  <EntryCard key={`${p.address.emailAddress}-${m.card.reference}`} card={m.card} who="Copied in" matched={`Matches ${p.address.emailAddress}`} />
                )),
              )}
            </>
          )}
        </>
      )}
      {onReport && check?.state !== "no-message" && (
        <div className={styles.actions}>
          <Button onClick={onReport}>Report this email</Button>
        </div>
      )}
    </div>
  );
}
