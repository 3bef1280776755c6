// Debian's Chromium, shared by every browser test (the add-in, the portal, the tab's audit chain). Never a
// browser download: CI installs the Debian package (.ci/run), and without it the browser tests say so and skip.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium): browser tests skipped.`;
}

/** In a `before` hook: skips the suite, saying why, where Chromium is not installed. */
export function skipWithoutChromium(ctx: Mocha.Context): void {
  const missing = chromiumMissing();
  if (!missing) return;
  console.warn(`      ${missing}`);
  ctx.skip();
}

/** Headless, and quiet: no first-run pages, no background calls to Google, no QUIC. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extraArgs],
  });
}

/** The server and the browser a suite of browser tests shares, filled in by the hooks `chromiumSuite` adds. */
export interface ChromiumSuite<S> {
  readonly server: S;
  readonly browser: Browser;
}

/** Adds the hooks every browser suite needs: the suite is skipped where Chromium is missing; otherwise one server
 * (from `start`) and one Chromium (from `launch`) start before its tests and stop after. */
export function chromiumSuite<S extends { stop(): Promise<unknown> }>(start: () => Promise<S>, launch: () => Promise<Browser>): ChromiumSuite<S> {
  const suite = {} as { server: S; browser: Browser };
  before(async function () {
    skipWithoutChromium(this);
    suite.server = await start();
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
