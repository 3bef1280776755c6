// One shape for a register entry, everywhere (EXPERIENCE.md): status line with risk as text and colour, what to
// do (at most three lines), restrictions with their end dates, review date and "Appeal in progress". People
// without register access get lines 1-2 only, worded as "Take care" (the server already shaped the card).
import { Badge, Body1, Caption1, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { EntryCardModel } from "../../../core/src/present/entryCard";

const useStyles = makeStyles({
  card: {
    borderLeftWidth: "6px",
    borderLeftStyle: "solid",
    borderTopWidth: "1px",
    borderRightWidth: "1px",
    borderBottomWidth: "1px",
    borderTopStyle: "solid",
    borderRightStyle: "solid",
    borderBottomStyle: "solid",
    borderTopColor: tokens.colorNeutralStroke2,
    borderRightColor: tokens.colorNeutralStroke2,
    borderBottomColor: tokens.colorNeutralStroke2,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    marginBottom: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  high: { borderLeftColor: tokens.colorPaletteRedBorderActive },
  medium: { borderLeftColor: tokens.colorPaletteDarkOrangeBorderActive },
  low: { borderLeftColor: tokens.colorPaletteYellowBorderActive },
  status: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS, margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  section: { margin: `${tokens.spacingVerticalS} 0 ${tokens.spacingVerticalXS}`, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  item: { marginBottom: tokens.spacingVerticalXS },
  meta: { display: "block", marginTop: tokens.spacingVerticalS, color: tokens.colorNeutralForeground2 },
});

const BADGE_COLOUR = { high: "danger", medium: "warning", low: "informative" } as const;

export function RiskBadge({ level, label }: { level: EntryCardModel["riskLevel"]; label: string }) {
  return (
    <Badge appearance="filled" color={BADGE_COLOUR[level]} shape="rounded">
      {label}
    </Badge>
  );
}

export function EntryCard({ card, matched, headingLevel = 3, who }: {
  card: Pick<EntryCardModel, "reference" | "view" | "statusLine" | "riskLevel" | "riskLabel" | "whatToDo" | "restrictions" | "nextReviewText" | "appealInProgress" | "pendingRatification" | "historyAvailable" | "subjectName">;
  /** "Matches alex.example@example.org" (EXPERIENCE.md "Matching"). */
  matched?: string;
  headingLevel?: 2 | 3;
  /** Who this is, as the reader knows them on this email ("Sender", "Copied in"). */
  who?: string;
}) {
  const styles = useStyles();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const Section = headingLevel === 2 ? "h3" : "h4";
  return (
    <section className={mergeClasses(styles.card, styles[card.riskLevel])} aria-label={`${who ? `${who}: ` : ""}${card.statusLine}`}>
      <Heading className={styles.status}>
        <span>{card.statusLine}</span>
        {card.view !== "minimum" && <RiskBadge level={card.riskLevel} label={card.riskLabel} />}
      </Heading>
      {(who || matched) && (
        <Caption1 className={styles.meta}>
          {[who, card.subjectName, matched].filter(Boolean).join(" · ")}
        </Caption1>
      )}
      {card.whatToDo.length > 0 && (
        <>
          <Section className={styles.section}>What to do</Section>
          <ul className={styles.list}>
            {card.whatToDo.map((line) => <li key={line} className={styles.item}><Body1>{line}</Body1></li>)}
          </ul>
        </>
      )}
      {card.restrictions.length > 0 && (
        <>
          <Section className={styles.section}>Restrictions in force</Section>
          <ul className={styles.list}>
            {card.restrictions.map((r) => (
              <li key={r.text} className={styles.item}>
                <Body1>{r.text}</Body1>
                {r.endsOnText && <Caption1> {r.endsOnText}.</Caption1>}
              </li>
            ))}
          </ul>
        </>
      )}
      {(card.nextReviewText || card.appealInProgress || card.pendingRatification) && (
        <Caption1 className={styles.meta}>
          {[card.nextReviewText, card.appealInProgress ? "Appeal in progress" : undefined, card.pendingRatification ? "Pending ratification by the panel" : undefined].filter(Boolean).join(" · ")}
        </Caption1>
      )}
      {card.view !== "minimum" && (
        <Caption1 className={styles.meta}>
          Reference {card.reference}{card.historyAvailable ? " · the history is in the CALM app in Teams" : ""}
        </Caption1>
      )}
    </section>
  );
}
