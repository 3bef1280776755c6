// Browser tests of the staff portal: the real server (createApp with memory stores, the fictional demo data, the
// Dorset preset, local sign-in on) serving a fresh build of the tab, and Debian's Chromium driven by
// playwright-core. The build goes to a temporary folder, so `npm test` never depends on `npm run build:tab`.
// Nothing leaves 127.0.0.1: every other request is refused.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromiumSuite, launchChromium, type ChromiumSuite } from "../chromium";
import type { Browser, BrowserContext, Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { createApp, type App, type AppDeps } from "../../../bot/src/app";
import { createMemoryStores } from "../../../bot/src/adapters/memory";
import { TokenValidator } from "../../../bot/src/adapters/http/auth";
import { createLocalIssuer, PERSONAS, personaClaims, type LocalIssuer } from "../../../bot/src/adapters/http/devSignIn";
import { LocalDirectory } from "../../../bot/src/adapters/http/devDirectory";
import { staticPages } from "../../../bot/src/adapters/http/staticPages";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { systemClock, uuidIds } from "../../../bot/src/adapters/system/clock";
import { bindPolicy } from "../../../bot/src/policyBinding";
import type { Stores } from "../../../bot/src/ports/stores";
import { getPreset } from "../../../core/src/policy/presets";
import { seedDemoData } from "../../../scripts/demo/demoData";
import { seedDemoPanel } from "../../../scripts/demo/panel";
import { createMemoryBotStores } from "../../../bot/src/adapters/memory/bot";
import { MemoryBlobStore } from "../../../bot/src/adapters/memory/blobs";
import { buildTab } from "../../../tab/scripts/build";

export const OUT = path.resolve(__dirname, "../../../test-output/portal");
const TENANT = "00000000-0000-4000-8000-00000000c41a";
const AUDIENCE = "api://localhost/00000000-0000-4000-8000-0000000ca1a0";

let built: string | undefined;
/** Builds the tab once per test run, into a temporary folder removed when the process exits. */
export function tabBuild(): string {
  if (built) return built;
  const dir = mkdtempSync(path.join(tmpdir(), "calm-tab-"));
  buildTab({ outDir: dir, quiet: true });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  built = dir;
  return dir;
}

export interface PortalServer {
  app: App;
  url: string;
  stores: Stores;
  issuer: LocalIssuer;
  tokenFor(displayName: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPortalServer(over: Partial<AppDeps> = {}, preset = "dorset"): Promise<PortalServer> {
  const dist = tabBuild();
  const stores = createMemoryStores();
  const today = new Date().toISOString().slice(0, 10);
  await seedDemoData(stores, today, (id) => stores.register.markChanged(id, new Date().toISOString()));
  const issuer = await createLocalIssuer(TENANT, AUDIENCE);
  const profile = getPreset(preset)!;
  // The fictional decision body (Charlie Chair and the Panel personas), as npm start seats it.
  const botStores = createMemoryBotStores();
  await seedDemoPanel(botStores.decisionBody, profile, new Date().toISOString());
  const app = createApp({
    stores,
    botStores,
    blobs: new MemoryBlobStore(),
    policy: bindPolicy(profile),
    tokens: new TokenValidator({ tenantId: TENANT, audiences: [AUDIENCE], issuers: [issuer.issuer], requiredScope: "access_as_user", roleGroups: {}, keys: { jwks: issuer.jwks } }),
    clock: systemClock,
    ids: uuidIds,
    logger: silentLogger,
    devIssuer: issuer,
    directory: new LocalDirectory(),
    indexPollMs: 200,
    staticFallback: staticPages({ devSignIn: true, mounts: { "/tab": dist } }),
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

export function launch(): Promise<Browser> {
  return launchChromium(["--lang=en-GB"]);
}

/** The server and browser hooks of a portal suite (tests/e2e/chromium.ts chromiumSuite) over the portal server;
 * `ready` runs once it is up (e.g. seeding more demo history). */
export function portalSuite(ready?: (server: PortalServer) => Promise<void>): ChromiumSuite<PortalServer> {
  return chromiumSuite(async () => {
    const server = await startPortalServer();
    try {
      await ready?.(server);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }, launch);
}

/** A page that may only talk to this machine. */
export async function localPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.route("**/*", (route) => (route.request().url().startsWith("http://127.0.0.1:") ? route.continue() : route.abort("blockedbyclient")));
  return page;
}

/** Signs in through the persona picker, as a person would. */
export async function signIn(page: Page, url: string, persona: string, hash = "#/"): Promise<void> {
  await page.goto(`${url}/tab/${hash}`);
  await page.getByRole("heading", { level: 1, name: "Sign in to CALM" }).waitFor();
  await page.getByRole("radio", { name: new RegExp(`^${persona}`) }).check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${persona}`).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { level: 1, name: "Sign in to CALM" }).waitFor();
}

/** Serious and critical accessibility violations (axe-core), as readable lines. */
export async function seriousViolations(page: Page, options: { onlyColour?: boolean } = {}): Promise<string[]> {
  // The pointer rests off the page, so no :hover style is what gets checked.
  await page.mouse.move(0, 0);
  let builder = new AxeBuilder({ page });
  // A theme changes colours only: in the second and third theme, the colour rules are the ones that can differ.
  if (options.onlyColour) builder = builder.withRules(["color-contrast", "link-in-text-block"]);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
