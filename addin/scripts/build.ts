// `npm run build:addin`: the Outlook add-in into addin/dist (git-ignored), served at /addin/ by the server.
//   1. Vite builds the pages: taskpane.html (the pane), dev.html + dev-pane.html (the local Outlook stand-in),
//      and copies public/ (commands.html).
//   2. esbuild builds commands.js as one classic script: classic Outlook on Windows runs it in a JavaScript-only
//      runtime that cannot load modules or pages.
//   3. The ribbon and notification icons are copied from appPackage/assets (their one source) to dist/assets.
// `--if-stale` skips the build when dist is newer than every source.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { ADDIN_DIR, buildNeeded, DIST_DIR, ROOT, STAMP } from "./buildState";

export async function buildAddin(options: { quiet?: boolean } = {}): Promise<void> {
  const say = (line: string) => { if (!options.quiet) process.stdout.write(`[addin] ${line}\n`); };
  const started = Date.now();
  const vite = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", path.join(ADDIN_DIR, "vite.config.mts")], {
    cwd: ROOT,
    stdio: options.quiet ? "pipe" : "inherit",
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
  });
  if (vite.status !== 0) {
    throw new Error(`Vite could not build the add-in pages (exit ${String(vite.status)}).${options.quiet ? `\n${vite.stderr?.toString() ?? ""}${vite.stdout?.toString() ?? ""}` : " See the messages above."}`);
  }
  await build({
    entryPoints: [path.join(ADDIN_DIR, "src/commandsEntry.ts")],
    outfile: path.join(DIST_DIR, "commands.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    // The JavaScript-only runtime of classic Outlook: keep to widely supported syntax.
    target: "es2017",
    minify: true,
    legalComments: "none",
    logLevel: options.quiet ? "silent" : "warning",
    // Classic Outlook's JavaScript-only runtime has no page, so no origin: the API's address is the one the app
    // is deployed at (TAB_ENDPOINT, set by the toolkit when it builds for an environment).
    define: { __CALM_API_BASE__: JSON.stringify(process.env.CALM_ADDIN_API_BASE ?? process.env.TAB_ENDPOINT ?? "") },
  });
  const assets = path.join(DIST_DIR, "assets");
  mkdirSync(assets, { recursive: true });
  const icons = readdirSync(path.join(ROOT, "appPackage/assets")).filter((f) => /^icon-\d+\.png$/.test(f));
  for (const icon of icons) copyFileSync(path.join(ROOT, "appPackage/assets", icon), path.join(assets, icon));
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  say(`Built addin/dist in ${((Date.now() - started) / 1000).toFixed(1)} s (${icons.length} icons).`);
}

/** Builds only when needed; says why it built. */
export async function buildAddinIfStale(options: { quiet?: boolean } = {}): Promise<boolean> {
  const why = buildNeeded();
  if (!why) return false;
  if (!options.quiet) process.stdout.write(`[addin] Building the Outlook add-in: ${why}…\n`);
  await buildAddin(options);
  return true;
}

if (require.main === module) {
  const ifStale = process.argv.includes("--if-stale");
  (ifStale ? buildAddinIfStale() : buildAddin()).catch((error: unknown) => {
    process.stderr.write(`[addin] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
