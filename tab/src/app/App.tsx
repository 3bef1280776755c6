// The portal's frame: sign-in (Teams single sign-on, or a fictional persona on a developer machine), the theme
// (Teams' own, or the browser's choice), a skip link, the page list for this person's roles, and the page.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import {
  Button,
  FluentProvider,
  Link,
  makeStyles,
  Select,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from "@fluentui/react-components";
import { ApiClient, type TokenSource } from "../api/client";
import type { Meta, Persona } from "../api/types";
import type { TeamsSession, ThemeName } from "../teams";
import { Loading, PageTitle, Problem } from "../components/ui";
import { Portal } from "./context";
import { href, useRoute, type Route } from "./router";
import { SignIn } from "./SignIn";
import { HomePage } from "../pages/Home";
import { ReportPage } from "../pages/Report";
import { RegisterPage } from "../pages/Register";
import { SubjectPage } from "../pages/Subject";
import { CasePage } from "../pages/Case";
import { PanelPage } from "../pages/Panel";
import { ReviewsPage } from "../pages/Reviews";
import { AccessPage } from "../pages/Access";
import { AuditPage } from "../pages/Audit";
import { SettingsPage } from "../pages/Settings";
import { ChannelTabSetup } from "../pages/ChannelTabSetup";
import { LifecyclePage } from "../pages/Lifecycle";

const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;
const TOKEN_KEY = "calm.portal.token";
const THEME_KEY = "calm.portal.theme";

const useStyles = makeStyles({
  root: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1, fontFamily: tokens.fontFamilyBase },
  skip: {
    position: "absolute",
    left: "-10000px",
    top: "auto",
    ":focus": { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 10, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground1, outline: `3px solid ${tokens.colorStrokeFocus2}` },
  },
  header: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightBold, margin: 0 },
  who: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  themeSelect: { minWidth: "10rem" },
  layout: { display: "flex", flexWrap: "wrap", alignItems: "flex-start" },
  nav: { flex: "0 0 14rem", padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}` },
  navList: { listStyle: "none", margin: 0, padding: 0 },
  navItem: { marginBottom: tokens.spacingVerticalS },
  current: { fontWeight: tokens.fontWeightBold, textDecorationLine: "underline" },
  main: {
    flex: "1 1 32rem",
    minWidth: 0,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minHeight: "calc(100vh - 4rem)",
    ":focus": { outline: "none" },
  },
});

interface NavItem {
  route: Route;
  label: string;
  permission: string;
}

const NAV: NavItem[] = [
  { route: { page: "home" }, label: "Home", permission: "portal.meta" },
  { route: { page: "report" }, label: "Report an incident", permission: "incidents.report" },
  { route: { page: "register" }, label: "Register", permission: "register.browse" },
  { route: { page: "panel" }, label: "Panel workspace", permission: "cases.read" },
  { route: { page: "reviews" }, label: "Reviews and appeals", permission: "reviews.read" },
  { route: { page: "lifecycle", section: "reviews" }, label: "Review decisions and appeals", permission: "reviews.read" },
  { route: { page: "lifecycle", section: "letters" }, label: "Letters", permission: "letters.read" },
  { route: { page: "lifecycle", section: "reports" }, label: "Reports", permission: "reports.read" },
  { route: { page: "lifecycle", section: "scheduler" }, label: "Scheduler and retention", permission: "scheduler.read" },
  { route: { page: "access" }, label: "Access to the register", permission: "grants.read" },
  { route: { page: "audit" }, label: "Audit trail", permission: "audit.subject" },
  { route: { page: "settings" }, label: "Policy in force", permission: "policy.read" },
];

function sameSection(a: Route, b: Route): boolean {
  // The lifecycle's areas each have their own link; appeals sit under "Review decisions and appeals".
  if (a.page === "lifecycle" && b.page === "lifecycle") return (a.section ?? "reviews").replace("appeals", "reviews") === (b.section ?? "reviews");
  if (a.page === b.page) return true;
  return (a.page === "subject" && b.page === "register") || (a.page === "case" && b.page === "panel");
}

function initialTheme(): ThemeName {
  const fromUrl = new URLSearchParams(window.location.search).get("theme");
  if (fromUrl === "light" || fromUrl === "dark" || fromUrl === "contrast") return fromUrl;
  const saved = window.localStorage.getItem(THEME_KEY);
  if (saved === "light" || saved === "dark" || saved === "contrast") return saved;
  if (window.matchMedia?.("(forced-colors: active)").matches) return "contrast";
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function App({ teams }: { teams: TeamsSession | undefined }) {
  const styles = useStyles();
  const [theme, setTheme] = useState<ThemeName>(() => teams?.theme ?? initialTheme());
  const [token, setToken] = useState<string | undefined>(() => (teams ? undefined : (window.sessionStorage.getItem(TOKEN_KEY) ?? undefined)));
  const [meta, setMeta] = useState<Meta | undefined>();
  const [problem, setProblem] = useState<unknown>();
  const [signInMessage, setSignInMessage] = useState<string | undefined>();
  const tokenRef = useRef(token);
  // In a browser the token is the signed-in persona's (state); in Teams it is the last one Teams gave, kept until the
  // server says it has expired.
  if (!teams) tokenRef.current = token;

  useEffect(() => teams?.onThemeChange(setTheme), [teams]);

  const signedOut = useCallback((reason: string) => {
    if (teams) {
      setProblem(new Error(reason));
      return;
    }
    window.sessionStorage.removeItem(TOKEN_KEY);
    setToken(undefined);
    setMeta(undefined);
    setSignInMessage(reason);
  }, [teams]);

  const tokens_: TokenSource = useMemo(() => ({
    async get() {
      if (tokenRef.current) return tokenRef.current;
      if (!teams) return undefined;
      const fresh = await teams.getToken();
      tokenRef.current = fresh;
      return fresh;
    },
    async refresh() {
      if (!teams) return undefined;
      const fresh = await teams.getToken();
      tokenRef.current = fresh;
      return fresh;
    },
    signedOut,
  }), [teams, signedOut]);

  const api = useMemo(() => new ApiClient(tokens_), [tokens_]);

  useEffect(() => {
    if (!teams && !token) return;
    let live = true;
    setProblem(undefined);
    api.meta().then((m) => { if (live) setMeta(m); }, (e: unknown) => { if (live) setProblem(e); });
    return () => { live = false; };
  }, [api, teams, token]);

  const chooseTheme = (value: string) => {
    const t = value === "dark" || value === "contrast" ? value : "light";
    window.localStorage.setItem(THEME_KEY, t);
    setTheme(t);
  };

  const onSignedIn = (newToken: string, _persona: Persona) => {
    window.sessionStorage.setItem(TOKEN_KEY, newToken);
    setSignInMessage(undefined);
    setToken(newToken);
  };

  const signOut = () => {
    window.sessionStorage.removeItem(TOKEN_KEY);
    setToken(undefined);
    setMeta(undefined);
    window.location.hash = "#/";
  };

  const channelSetup = teams?.isSettingsPage || /\/tab\/config\/?$/.test(window.location.pathname);

  let body: ReactNode;
  if (channelSetup) body = <ChannelTabSetup teams={teams} />;
  else if (!teams && !token) body = <SignIn message={signInMessage} onSignedIn={onSignedIn} />;
  else if (problem && !meta) body = <><PageTitle>CALM could not start</PageTitle><Problem error={problem} /></>;
  else if (!meta) body = <Loading label="Loading CALM" />;
  else body = <Pages />;

  return (
    <FluentProvider theme={THEMES[theme]} className={styles.root}>
      <a className={styles.skip} href="#main-content" onClick={(e) => { e.preventDefault(); document.getElementById("main-content")?.focus(); }}>
        Skip to main content
      </a>
      <header className={styles.header}>
        <p className={styles.brand}>CALM{meta ? ` · ${meta.registerName}` : ""}</p>
        <div className={styles.who}>
          {meta ? <span>Signed in as <strong>{meta.me.displayName}</strong>{meta.me.roleText.length ? ` (${meta.me.roleText.join(", ")})` : ""}</span> : null}
          {!teams ? (
            <Select aria-label="Colour theme" className={styles.themeSelect} value={theme} onChange={(_, d) => chooseTheme(d.value)}>
              <option value="light">Light theme</option>
              <option value="dark">Dark theme</option>
              <option value="contrast">High contrast theme</option>
            </Select>
          ) : null}
          {!teams && token ? <Button onClick={signOut}>Sign out</Button> : null}
        </div>
      </header>
      {meta ? (
        <Portal.Provider value={{ api, meta }}>
          <Layout meta={meta}>{body}</Layout>
        </Portal.Provider>
      ) : (
        <main id="main-content" tabIndex={-1} className={styles.main}>{body}</main>
      )}
    </FluentProvider>
  );
}

function Layout({ meta, children }: { meta: Meta; children: ReactNode }) {
  const styles = useStyles();
  const route = useRoute();
  const items = NAV.filter((n) => meta.can[n.permission]);
  return (
    <div className={styles.layout}>
      <nav aria-label="Portal pages" className={styles.nav}>
        <ul className={styles.navList}>
          {items.map((n) => {
            const current = sameSection(route, n.route);
            return (
              <li key={n.label} className={styles.navItem}>
                <Link href={href(n.route)} aria-current={current ? "page" : undefined} className={current ? styles.current : undefined}>
                  {n.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main-content" tabIndex={-1} className={styles.main}>{children}</main>
    </div>
  );
}

function Pages() {
  const route = useRoute();
  switch (route.page) {
    case "home": return <HomePage />;
    case "report": return <ReportPage />;
    case "register": return <RegisterPage />;
    case "subject": return <SubjectPage id={route.id} />;
    case "case": return <CasePage id={route.id} />;
    case "panel": return <PanelPage />;
    case "reviews": return <ReviewsPage />;
    case "access": return <AccessPage />;
    case "audit": return <AuditPage subjectId={route.subjectId} />;
    case "settings": return <SettingsPage />;
    case "lifecycle": return <LifecyclePage section={route.section} />;
    default: return <><PageTitle>Page not found</PageTitle><p>There is nothing at this address. <Link href="#/">Go to the start page</Link>.</p></>;
  }
}
