// The lifecycle's pages (issue 7): review decisions, appeals and their deadlines, letters, the quarterly report,
// and the scheduler with the retention purge. One page with a link per area; each person sees the areas their
// roles allow. The area is in the address (#/lifecycle/letters), so a Teams channel tab can open one directly.
import { useMemo } from "react";
import { Link, makeStyles, tokens } from "@fluentui/react-components";
import { usePortal } from "../app/context";
import { PageTitle } from "../components/ui";
import { lifecycleApi } from "../api/lifecycle";
import { LifecycleReviews } from "./LifecycleReviews";
import { LifecycleAppeals } from "./LifecycleAppeals";
import { LifecycleLetters } from "./LifecycleLetters";
import { LifecycleReports } from "./LifecycleReports";
import { LifecycleScheduler } from "./LifecycleScheduler";

export const LIFECYCLE_SECTIONS = [
  { id: "reviews", label: "Review decisions", permission: "reviews.read" },
  { id: "appeals", label: "Appeals and deadlines", permission: "reviews.read" },
  { id: "letters", label: "Letters", permission: "letters.read" },
  { id: "reports", label: "Reports", permission: "reports.read" },
  { id: "scheduler", label: "Scheduler and retention", permission: "scheduler.read" },
] as const;
export type LifecycleSection = (typeof LIFECYCLE_SECTIONS)[number]["id"];

const useStyles = makeStyles({
  tabs: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, listStyle: "none", padding: 0, margin: `0 0 ${tokens.spacingVerticalL}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  tab: { padding: `${tokens.spacingVerticalS} 0` },
  current: { fontWeight: tokens.fontWeightBold, textDecorationLine: "underline" },
});

export function LifecyclePage({ section }: { section?: string }) {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const lc = useMemo(() => lifecycleApi(api), [api]);
  const sections = LIFECYCLE_SECTIONS.filter((s) => meta.can[s.permission]);
  const current = sections.find((s) => s.id === section) ?? sections[0];
  if (!current) {
    return (
      <>
        <PageTitle>Reviews, appeals, letters and reports</PageTitle>
        <p>Your role does not include this work. Ask a register administrator if you need it.</p>
      </>
    );
  }
  return (
    <>
      <PageTitle lead={`Everything here follows the policy in force for the ${meta.registerName}.`}>{current.label}</PageTitle>
      <nav aria-label="Lifecycle areas">
        <ul className={styles.tabs}>
          {sections.map((s) => (
            <li key={s.id} className={styles.tab}>
              <Link href={`#/lifecycle/${s.id}`} aria-current={s.id === current.id ? "page" : undefined} className={s.id === current.id ? styles.current : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {current.id === "reviews" ? <LifecycleReviews lc={lc} can={meta.can} /> : null}
      {current.id === "appeals" ? <LifecycleAppeals lc={lc} can={meta.can} /> : null}
      {current.id === "letters" ? <LifecycleLetters lc={lc} can={meta.can} /> : null}
      {current.id === "reports" ? <LifecycleReports lc={lc} /> : null}
      {current.id === "scheduler" ? <LifecycleScheduler lc={lc} can={meta.can} /> : null}
    </>
  );
}
