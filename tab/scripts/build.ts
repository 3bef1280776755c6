// `npm run build:tab`: the staff portal (Teams tab) into tab/dist (git-ignored), served by the server at /tab/.
// `--if-stale` skips the build when tab/dist is newer than every source file, so `npm start` stays fast.
// Tests build into a folder of their own (`outDir`), so they never depend on, or disturb, a build in tab/dist.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const TAB_DIR = path.join(ROOT, "tab");
export const DIST_DIR = path.join(TAB_DIR, "dist");
const STAMP = ".built";

/** Everything the bundle is made from: the tab's own files, and the shared core and portal types it reads. */
const SOURCES = [path.join(TAB_DIR, "src"), path.join(TAB_DIR, "index.html"), path.join(TAB_DIR, "vite.config.mts"), path.join(ROOT, "core/src/present")];

function newest(target: string): number {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(target).reduce((max, name) => Math.max(max, newest(path.join(target, name))), info.mtimeMs);
}

/** Why a build is needed, or undefined when tab/dist is up to date. */
export function buildNeeded(outDir = DIST_DIR): string | undefined {
  const stamp = path.join(outDir, STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(outDir, "index.html"))) return "there is no build yet";
  const built = statSync(stamp).mtimeMs;
  const changed = SOURCES.find((s) => newest(s) > built);
  return changed ? `${path.relative(ROOT, changed)} changed since the last build` : undefined;
}

export function buildTab(options: { outDir?: string; quiet?: boolean } = {}): void {
  const outDir = options.outDir ?? DIST_DIR;
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", path.join(TAB_DIR, "vite.config.mts"), "--outDir", outDir, "--emptyOutDir"], {
    cwd: ROOT,
    stdio: options.quiet ? "pipe" : "inherit",
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
    timeout: 180_000,
  });
  if (result.status !== 0) {
    const output = options.quiet ? `\n${result.stderr?.toString() ?? ""}${result.stdout?.toString() ?? ""}` : " See the messages above.";
    throw new Error(`Vite could not build the staff portal (exit ${String(result.status)}).${output}`);
  }
  writeFileSync(path.join(outDir, STAMP), `${new Date().toISOString()}\n`);
  if (!options.quiet) process.stdout.write(`[tab] Built the staff portal in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}

/** Builds only when needed; says why. Returns whether it built. */
export function buildTabIfStale(options: { quiet?: boolean } = {}): boolean {
  const why = buildNeeded();
  if (!why) return false;
  if (!options.quiet) process.stdout.write(`[tab] Building the staff portal: ${why}…\n`);
  buildTab(options);
  return true;
}

if (require.main === module) {
  try {
    if (process.argv.includes("--if-stale")) buildTabIfStale();
    else buildTab();
  } catch (error) {
    process.stderr.write(`[tab] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
