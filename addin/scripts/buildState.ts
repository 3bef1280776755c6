// Whether addin/dist is older than what it is built from, so `npm start` and the browser tests build the add-in
// only when something changed (a fresh clone has no dist at all).
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const ADDIN_DIR = path.join(ROOT, "addin");
export const DIST_DIR = path.join(ADDIN_DIR, "dist");
/** Written last by the build: its time is when the build finished. */
export const STAMP = path.join(DIST_DIR, ".built");

/** Everything the bundle is made from. */
export const SOURCES = [
  path.join(ADDIN_DIR, "src"),
  path.join(ADDIN_DIR, "public"),
  path.join(ADDIN_DIR, "scripts"),
  path.join(ADDIN_DIR, "taskpane.html"),
  path.join(ADDIN_DIR, "dev.html"),
  path.join(ADDIN_DIR, "dev-pane.html"),
  path.join(ADDIN_DIR, "vite.config.mts"),
  path.join(ROOT, "appPackage", "assets"),
  path.join(ROOT, "package-lock.json"),
];

function newest(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, name)));
  return latest;
}

export function newestSource(): number {
  return Math.max(...SOURCES.map(newest));
}

/** Undefined when dist is up to date; otherwise why it needs building. */
export function buildNeeded(): string | undefined {
  if (!existsSync(STAMP)) return "addin/dist has not been built yet";
  return newestSource() > statSync(STAMP).mtimeMs ? "the add-in's sources changed since the last build" : undefined;
}
