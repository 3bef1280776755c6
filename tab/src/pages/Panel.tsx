// The panel workspace: cases waiting for a decision (the same vote as the card in the channel), with their papers,
// how far the vote has got and whether you have voted.
import { useEffect, useState } from "react";
import { Link, makeStyles, tokens } from "@fluentui/react-components";
import type { CaseView } from "../api/types";
import { labelOf, usePortal } from "../app/context";
import { href } from "../app/router";
import { DataTable } from "../components/DataTable";
import { formatWhen, Loading, PageTitle, Problem } from "../components/ui";

const STATUSES = ["referred", "voting", "pending-ratification"] as const;
const STATUS_WORDS: Record<string, string> = { referred: "Waiting for votes", voting: "Voting", "pending-ratification": "Emergency addition to ratify" };

const useStyles = makeStyles({ muted: { color: tokens.colorNeutralForeground2 } });

export function PanelPage() {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [cases, setCases] = useState<CaseView[] | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    Promise.all(STATUSES.map((s) => api.openCases(s)))
      .then((lists) => {
        const seen = new Map<string, CaseView>();
        for (const v of lists.flatMap((l) => l.cases)) seen.set(v.case.id, v);
        setCases([...seen.values()].sort((a, b) => (a.case.referredAt < b.case.referredAt ? 1 : -1)));
      })
      .catch(setError);
  }, [api]);

  return (
    <>
      <PageTitle lead="Cases waiting for the decision body. Votes cast here and on the card in Teams are the same vote.">Panel workspace</PageTitle>
      {error ? <Problem error={error} title="We could not load the cases" /> : null}
      {!cases && !error ? <Loading label="Loading cases" /> : null}
      {cases ? (
        <DataTable
          caption="Cases waiting for a decision"
          rows={cases}
          rowKey={(v) => v.case.id}
          emptyText="No cases are waiting for a decision."
          filterLabel="Filter cases"
          columns={[
            { id: "ref", label: "Case", render: (v) => <Link href={href({ page: "case", id: v.case.id })}>{v.case.reference}</Link>, text: (v) => v.case.reference },
            { id: "summary", label: "Summary", render: (v) => v.case.summary, text: (v) => v.case.summary },
            { id: "recommended", label: "Recommended", render: (v) => labelOf(meta.choices.outcomes, v.case.recommendedOutcome), text: (v) => labelOf(meta.choices.outcomes, v.case.recommendedOutcome) },
            { id: "status", label: "Status", render: (v) => STATUS_WORDS[v.case.status] ?? v.case.status, text: (v) => v.case.status },
            { id: "progress", label: "Vote", render: (v) => v.ballot.progressText, text: (v) => v.ballot.progressText, sortValue: (v) => v.ballot.votesCast },
            { id: "mine", label: "Your vote", render: (v) => (v.ballot.yourVote ? labelOf(meta.choices.outcomes, v.ballot.yourVote) : v.ballot.you.member ? "Not voted" : <span className={styles.muted}>Not a member</span>), text: (v) => v.ballot.yourVote ?? "" },
            { id: "papers", label: "Papers", render: (v) => (v.case.papersUrl ? <Link href={v.case.papersUrl} target="_blank" rel="noreferrer">{`Papers for ${v.case.reference}`}</Link> : <span className={styles.muted}>None</span>), sortable: false },
            { id: "when", label: "Referred", render: (v) => formatWhen(v.case.referredAt), text: (v) => v.case.referredAt },
          ]}
        />
      ) : null}
    </>
  );
}
