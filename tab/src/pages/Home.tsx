// The start page: what this person can do here, most common first.
import { Card, CardHeader, Link, makeStyles, Text, tokens } from "@fluentui/react-components";
import { usePortal } from "../app/context";
import { href, type Route } from "../app/router";
import { PageTitle } from "../components/ui";

const useStyles = makeStyles({
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(16rem, 1fr))", gap: tokens.spacingHorizontalL, listStyle: "none", padding: 0, margin: 0, maxWidth: "60rem" },
  card: { height: "100%" },
  title: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
});

const TASKS: { route: Route; permission: string; title: string; text: string }[] = [
  { route: { page: "report" }, permission: "incidents.report", title: "Report an incident", text: "Tell us what happened, with evidence. It takes about five minutes." },
  { route: { page: "register" }, permission: "register.browse", title: "Search the register", text: "Find a person or a place, filter by risk, service or review date." },
  { route: { page: "panel" }, permission: "cases.read", title: "Panel workspace", text: "Cases waiting for a decision, their papers and the vote." },
  { route: { page: "reviews" }, permission: "reviews.read", title: "Reviews and appeals", text: "Entries due or overdue for review, and appeals in progress." },
  { route: { page: "access" }, permission: "grants.read", title: "Access to the register", text: "Who may see which risk levels, why, and who agreed it." },
  { route: { page: "audit" }, permission: "audit.subject", title: "Audit trail", text: "Who looked at or changed a person's record, and when." },
  { route: { page: "settings" }, permission: "policy.read", title: "Policy in force", text: "The council's rules in plain English, and the dates they set." },
];

export function HomePage() {
  const { meta } = usePortal();
  const styles = useStyles();
  const tasks = TASKS.filter((t) => meta.can[t.permission]);
  return (
    <>
      <PageTitle lead={`CALM keeps the council's ${meta.registerName}: who it is, how to deal with them safely, and why.`}>What do you want to do?</PageTitle>
      <ul className={styles.grid}>
        {tasks.map((t) => (
          <li key={t.title}>
            <Card className={styles.card}>
              <CardHeader header={<h2 className={styles.title}><Link href={href(t.route)}>{t.title}</Link></h2>} />
              <Text>{t.text}</Text>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
