// Browser tests of the Outlook add-in: the real server (memory stores with the fictional demo data, local sign-in
// on, the real policy preset) serving the built add-in, and Debian's Chromium driven by playwright-core. Office.js
// is replaced by the stand-in host (addin/src/dev/fakeOutlook.ts) served at Microsoft's CDN address, so the
// production pages run unchanged. Nothing leaves 127.0.0.1: every other outside request is refused.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { launchChromium } from "../chromium";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { createApp, type App, type AppDeps } from "../../../bot/src/app";
import { createMemoryStores } from "../../../bot/src/adapters/memory";
import { TokenValidator } from "../../../bot/src/adapters/http/auth";
import { createLocalIssuer, PERSONAS, personaClaims, type LocalIssuer } from "../../../bot/src/adapters/http/devSignIn";
import { staticPages } from "../../../bot/src/adapters/http/staticPages";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { systemClock, uuidIds } from "../../../bot/src/adapters/system/clock";
import { bindPolicy } from "../../../bot/src/policyBinding";
import type { Stores } from "../../../bot/src/ports/stores";
import { getPreset } from "../../../core/src/policy/presets";
import { seedDemoData } from "../../../scripts/demo/demoData";
import { buildAddinIfStale } from "../../../addin/scripts/build";
import { demoMessages, ME } from "../../../addin/src/dev/demoMailbox";
import type { FakeDraft, FakeMessage } from "../../../addin/src/dev/fakeOutlook";

export const OUT = path.resolve(__dirname, "../../../test-output/addin");
export const OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const TENANT = "00000000-0000-4000-8000-00000000c41a";
const AUDIENCE = "api://localhost/00000000-0000-4000-8000-0000000ca1a0";

export interface AddinServer {
  app: App;
  url: string;
  stores: Stores;
  issuer: LocalIssuer;
  /** An access token for a persona, as Office SSO would hand one over. */
  tokenFor(displayName: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startAddinServer(over: Partial<AppDeps> = {}, preset = "dorset"): Promise<AddinServer> {
  await buildAddinIfStale({ quiet: true });
  const stores = createMemoryStores();
  const today = new Date().toISOString().slice(0, 10);
  await seedDemoData(stores, today, (id) => stores.register.markChanged(id, new Date().toISOString()));
  const issuer = await createLocalIssuer(TENANT, AUDIENCE);
  const app = createApp({
    stores,
    policy: bindPolicy(getPreset(preset)!),
    tokens: new TokenValidator({ tenantId: TENANT, audiences: [AUDIENCE], issuers: [issuer.issuer], requiredScope: "access_as_user", roleGroups: {}, keys: { jwks: issuer.jwks } }),
    clock: systemClock,
    ids: uuidIds,
    logger: silentLogger,
    devIssuer: issuer,
    indexPollMs: 200,
    staticFallback: staticPages({ devSignIn: true }),
    ...over,
  });
  const port = await app.start(0);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    stores,
    issuer,
    async tokenFor(displayName) {
      const persona = PERSONAS.find((p) => p.displayName === displayName);
      if (!persona) throw new Error(`No persona ${displayName}`);
      return issuer.mint(personaClaims(persona));
    },
    stop: () => app.stop(1000),
  };
}

let fakeScript: string | undefined;
/** The stand-in host as one classic script (what the tests serve in place of Office.js). */
export async function fakeOfficeScript(): Promise<string> {
  if (fakeScript) return fakeScript;
  const out = await build({
    entryPoints: [path.resolve(__dirname, "../../../addin/src/dev/fakeOfficeScript.ts")],
    bundle: true,
    format: "iife",
    target: "es2020",
    write: false,
    logLevel: "silent",
  });
  fakeScript = out.outputFiles[0]!.text;
  return fakeScript;
}

export function launch(): Promise<Browser> {
  return launchChromium();
}

export interface FakeSetup {
  messages?: FakeMessage[];
  select?: number;
  compose?: Partial<FakeDraft>;
  mailboxVersion?: string;
  ssoToken?: string;
  ssoErrorCode?: number;
}

/** A page whose Office.js is the stand-in host set up as given; every request off this machine is refused. */
export async function pageWithHost(context: BrowserContext, setup: FakeSetup): Promise<Page> {
  const page = await context.newPage();
  const script = await fakeOfficeScript();
  await page.addInitScript((config) => { (window as unknown as { __CALM_FAKE_OUTLOOK__: unknown }).__CALM_FAKE_OUTLOOK__ = config; }, {
    messages: setup.messages ?? demoMessages(),
    user: ME,
    select: setup.select,
    compose: setup.compose,
    mailboxVersion: setup.mailboxVersion,
    ssoToken: setup.ssoToken,
    ssoErrorCode: setup.ssoErrorCode,
  });
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url === OFFICE_JS) return route.fulfill({ status: 200, contentType: "text/javascript", body: script });
    if (url.startsWith("http://127.0.0.1:")) return route.continue();
    return route.abort("blockedbyclient");
  });
  return page;
}

/** Serious and critical accessibility violations (axe-core), as readable lines. */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  // Fluent UI's focus manager (tabster) puts hidden one-pixel "dummy" elements around focus zones and frames to
  // carry Tab in and out; they hand focus on at once and are not content, so axe is told to leave them out.
  let builder = new AxeBuilder({ page }).exclude("[data-tabster-dummy]");
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Bars on the item the stand-in host shows now. */
export async function bars(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __calmFakeOutlook: { barsNow(): { message: string }[] } }).__calmFakeOutlook.barsNow().map((b) => b.message));
}
