// Debian's Chromium, shared by every browser test (the add-in, the portal, the tab's audit chain). Never a
// browser download: CI installs the Debian package (.ci/run), and without it the browser tests say so and skip.
import { existsSync } from "node:fs";

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
