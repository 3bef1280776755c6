// The one shape of a register entry (EXPERIENCE.md, core/src/present/entryCard.ts): status line with risk as
// text and colour, what to do (at most three lines), restrictions in force with end dates, the review date and
// "Appeal in progress", and history only where the caller's tier allows.
import type { ReactNode } from "react";
import { Card, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { EntryCardModel } from "../api/types";
import { RiskBadge } from "./ui";

const useStyles = makeStyles({
  card: { maxWidth: "46rem", marginBottom: tokens.spacingVerticalL, padding: tokens.spacingHorizontalL },
  high: { borderLeft: `6px solid ${tokens.colorPaletteRedBorderActive}` },
  medium: { borderLeft: `6px solid ${tokens.colorPaletteDarkOrangeBorderActive}` },
  low: { borderLeft: `6px solid ${tokens.colorBrandStroke1}` },
  status: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap", fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, margin: 0 },
  heading: { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}` },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  item: { marginBottom: tokens.spacingVerticalXS },
  ends: { color: tokens.colorNeutralForeground2 },
  note: { margin: `${tokens.spacingVerticalS} 0 0` },
  appeal: { fontWeight: tokens.fontWeightSemibold },
});

export function EntryCard({ card, headingLevel = 2, footer }: { card: EntryCardModel; headingLevel?: 2 | 3 | 4; footer?: ReactNode }) {
  const styles = useStyles();
  const H = `h${headingLevel}` as "h2";
  const Sub = `h${Math.min(headingLevel + 1, 6)}` as "h3";
  const minimum = card.view === "minimum";
  return (
    <Card className={mergeClasses(styles.card, styles[card.riskLevel])} appearance="outline">
      <H className={styles.status}>
        <RiskBadge level={card.riskLevel} label={card.riskLabel} />
        <span>{card.statusLine}</span>
        <span className={styles.ends}>({card.reference})</span>
      </H>
      <Sub className={styles.heading}>{minimum ? "Take care" : "What to do"}</Sub>
      <ul className={styles.list}>
        {card.whatToDo.map((line) => (
          <li key={line} className={styles.item}>{line}</li>
        ))}
      </ul>
      {card.restrictions.length > 0 ? (
        <>
          <Sub className={styles.heading}>Restrictions in force</Sub>
          <ul className={styles.list}>
            {card.restrictions.map((r) => (
              <li key={`${r.text}${r.endsOn ?? ""}`} className={styles.item}>
                {r.text} {r.endsOnText ? <span className={styles.ends}>{r.endsOnText}.</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {card.nextReviewText ? <p className={styles.note}>{card.nextReviewText}.</p> : null}
      {card.appealInProgress ? <p className={mergeClasses(styles.note, styles.appeal)}>Appeal in progress. The entry stays in force until the appeal is decided.</p> : null}
      {card.pendingRatification ? <p className={styles.note}>This emergency addition is waiting to be ratified by the decision body.</p> : null}
      {footer}
    </Card>
  );
}
