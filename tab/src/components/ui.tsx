// Small shared pieces: page titles that take focus, problems in plain words, the GOV.UK error summary, risk
// shown as text and colour, and dates in GOV.UK style.
import { useEffect, useRef, type ReactNode } from "react";
import { Badge, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, tokens } from "@fluentui/react-components";
import type { RiskLevel } from "../api/types";
import { ApiError } from "../api/client";

const useStyles = makeStyles({
  h1: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
    margin: `0 0 ${tokens.spacingVerticalL}`,
    // Focus moves here when a page opens (for screen readers); it is not a control, so no focus ring.
    ":focus": { outline: "none" },
    ":focus-visible": { outline: "none" },
  },
  lead: { fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400, marginTop: 0, maxWidth: "46rem" },
  summary: { marginBottom: tokens.spacingVerticalL },
  summaryList: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL },
  summaryLink: { color: "inherit", textDecorationLine: "underline", fontWeight: tokens.fontWeightSemibold },
  srOnly: {
    position: "absolute",
    width: "1px",
    height: "1px",
    padding: 0,
    margin: "-1px",
    overflow: "hidden",
    clip: "rect(0, 0, 0, 0)",
    whiteSpace: "nowrap",
    border: 0,
  },
});

/** Whether a page has been shown yet. The first page of a visit leaves focus where the browser put it (so Tab
 * reaches the skip link first); after that, each page the app moves to takes focus on its heading. */
let shownOne = false;

/** The page's one h1. It takes focus when the app moves to a new page, so a screen reader hears where it is. */
export function PageTitle({ children, lead }: { children: ReactNode; lead?: ReactNode }) {
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (typeof children === "string") document.title = `${children} — CALM`;
    if (shownOne) ref.current?.focus();
    shownOne = true;
  }, [children]);
  return (
    <>
      <h1 ref={ref} tabIndex={-1} className={styles.h1}>{children}</h1>
      {lead ? <p className={styles.lead}>{lead}</p> : null}
    </>
  );
}

export function VisuallyHidden({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <span className={styles.srOnly}>{children}</span>;
}

/** A failure said plainly: what happened and what to do next (the server's message). */
export function Problem({ error, title = "There is a problem" }: { error: unknown; title?: string }) {
  const message = error instanceof ApiError || error instanceof Error ? error.message : "Something went wrong. Reload the page and try again.";
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {message}
        {error instanceof ApiError && error.status >= 500 && error.requestId ? ` (Reference for IT: ${error.requestId})` : ""}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Done({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <MessageBar intent="success" role="status">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {children}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Loading({ label }: { label: string }) {
  return <Spinner size="small" label={label} labelPosition="after" role="status" />;
}

export interface FieldProblem {
  /** The id of the control to move to. */
  fieldId: string;
  message: string;
}

/** GOV.UK error summary: a list of what to fix, each a link that moves to the field. Takes focus when shown. */
export function ErrorSummary({ problems, title = "There is a problem" }: { problems: FieldProblem[]; title?: string }) {
  const styles = useStyles();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length > 0) ref.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  return (
    <div ref={ref} tabIndex={-1} className={styles.summary} aria-labelledby="error-summary-title">
      <MessageBar intent="error" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle id="error-summary-title">{title}</MessageBarTitle>
          <ul className={styles.summaryList}>
            {problems.map((p) => (
              <li key={`${p.fieldId}:${p.message}`}>
                <a
                  className={styles.summaryLink}
                  href={`#${p.fieldId}`}
                  onClick={(e) => {
                    // Hash links drive the router: move focus by hand instead.
                    e.preventDefault();
                    const el = document.getElementById(p.fieldId);
                    el?.focus();
                    el?.scrollIntoView({ block: "center" });
                  }}
                >
                  {p.message}
                </a>
              </li>
            ))}
          </ul>
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}

const RISK_COLOUR = { high: "danger", medium: "warning", low: "informative" } as const;

/** Risk as text and colour, never colour alone (EXPERIENCE.md). */
export function RiskBadge({ level, label }: { level: RiskLevel; label?: string }) {
  return (
    <Badge appearance="filled" color={RISK_COLOUR[level]} shape="rounded">
      {label ?? `${level[0]!.toUpperCase()}${level.slice(1)} risk`}
    </Badge>
  );
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `2027-03-03` → `3 March 2027`. */
export function formatDate(date: string | undefined): string {
  if (!date) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? ""} ${m[1]}`;
}

const TIME = new Intl.DateTimeFormat("en-GB", { hour: "numeric", minute: "2-digit", hour12: true, timeZone: "Europe/London" });
const DAY = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Europe/London" });

/** An instant in UK time, GOV.UK style: `3 March 2027 at 9:30am`; a bare date as a date. */
export function formatWhen(at: string | undefined): string {
  if (!at) return "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return formatDate(at);
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return `${formatDate(DAY.format(d))} at ${TIME.format(d).replace(/\s/g, "").toLowerCase()}`;
}

/** Today in the UK, `YYYY-MM-DD`. */
export function ukToday(): string {
  return DAY.format(new Date());
}

/** Maps the server's field names (`subject.new.displayName`) to this form's control ids. */
export function problemsFrom(error: unknown, fieldIds: Record<string, string>, fallbackId: string): FieldProblem[] {
  if (!(error instanceof ApiError) || error.errors.length === 0) return [];
  return error.errors.map((e) => {
    const exact = fieldIds[e.field];
    const prefix = Object.keys(fieldIds).filter((k) => e.field.startsWith(`${k}.`) || e.field.startsWith(`${k}[`)).sort((a, b) => b.length - a.length)[0];
    return { fieldId: exact ?? (prefix ? fieldIds[prefix]! : fallbackId), message: e.message };
  });
}
