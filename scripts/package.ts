// `npm run package`: builds the Teams / Microsoft 365 app package (one unified manifest: bot, tabs, Outlook
// add-in) for one environment, offline. It reads env/.env.<env> and env/.env.<env>.user, fills the ${{VAR}}
// placeholders in appPackage/manifest.json, checks the result against the manifest schema shipped inside
// @microsoft/app-manifest (no network), checks the icons, and writes appPackage/build/appPackage.<env>.zip.
// Any problem stops it with the whole list, so a council IT officer fixes them in one go.
//
//   npm run package                      # environment from CALM_ENV, else "local"
//   npm run package -- --env dev         # env/.env.dev (+ env/.env.dev.user)
//   npm run package -- --env-dir <dir> --out-dir <dir>
//   npm run package -- --write-icons     # redraw the icons (appPackage/*.png, appPackage/assets/*.png)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import AdmZip from "adm-zip";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { addinIcon, colourIcon, decodePng, encodePng, outlineIcon, readPngInfo } from "./support/png";

export const ROOT = path.resolve(__dirname, "..");
export const APP_PACKAGE_DIR = path.join(ROOT, "appPackage");

/** Placeholders that may be set to an empty value on purpose (the production app has no name suffix). */
const MAY_BE_EMPTY = new Set(["APP_NAME_SUFFIX"]);

/** Icon files the manifest names, and the sizes Teams requires (color 192x192, outline 32x32). */
const ICON_SIZES: Record<string, number> = { color: 192, outline: 32 };

/** Add-in icons served by the server under /addin/assets/ (Outlook ribbon 16/32/80, alternates 64/128). */
export const ADDIN_ICON_SIZES = [16, 32, 64, 80, 128] as const;

export interface EnvFiles {
  values: Record<string, string>;
  /** Which files were read, for messages. */
  files: string[];
}

/** Parses a dotenv-style file: KEY=VALUE, # comments, optional single or double quotes. No expansion. */
export function parseEnvText(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1]!;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else {
      // An unquoted value ends at an inline comment.
      value = value.replace(/\s+#.*$/, "").trim();
    }
    values[key] = value;
  }
  return values;
}

/** Reads env/.env.<env>, then env/.env.<env>.user on top (the toolkit keeps secrets and local overrides there). */
export function readEnvFiles(envDir: string, envName: string): EnvFiles {
  const files: string[] = [];
  const values: Record<string, string> = {};
  for (const file of [`.env.${envName}`, `.env.${envName}.user`]) {
    const full = path.join(envDir, file);
    if (!existsSync(full)) continue;
    Object.assign(values, parseEnvText(readFileSync(full, "utf8")));
    files.push(path.relative(ROOT, full) || full);
  }
  return { values, files };
}

export const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * Fills ${{VAR}} placeholders. Values are JSON-escaped because every placeholder in the manifest sits inside a
 * JSON string. Returns the problems instead of throwing: a missing value is an expected outcome, not a crash.
 */
export function substitute(text: string, values: Record<string, string>, where: string): { text: string; problems: string[] } {
  const problems: string[] = [];
  for (const name of placeholdersIn(text)) {
    const value = values[name];
    if (value === undefined) problems.push(`${name} is not set: add ${name}=<value> to ${where}`);
    else if (value === "" && !MAY_BE_EMPTY.has(name)) problems.push(`${name} is empty: give it a value in ${where}`);
  }
  const filled = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : JSON.stringify(value).slice(1, -1);
  });
  return { text: filled, problems };
}

export function schemaPathFor(manifestVersion: string): string {
  return path.join(
    path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
    "build", "json-schemas", "teams", manifestVersion === "devPreview" ? "vDevPreview" : `v${manifestVersion}`, "MicrosoftTeams.schema.json",
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Validates against the schema shipped in @microsoft/app-manifest for the manifest's own manifestVersion. */
export async function validateAgainstShippedSchema(manifest: Record<string, Json>): Promise<string[]> {
  const version = manifest.manifestVersion;
  if (typeof version !== "string") return ["manifestVersion is missing: set it to a version the schema package ships (e.g. 1.24)"];
  const schemaFile = schemaPathFor(version);
  if (!existsSync(schemaFile)) return [`manifestVersion ${version} has no schema in @microsoft/app-manifest: use a version it ships (see node_modules/@microsoft/app-manifest/build/json-schemas/teams)`];
  const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0], schema);
  return errors.map((e) => `schema: ${e.trim()}`);
}

function collectUrls(node: Json, at: string, out: Array<{ at: string; url: string }>): void {
  if (typeof node === "string") {
    if (/^https?:\/\//i.test(node)) out.push({ at, url: node });
  } else if (Array.isArray(node)) {
    node.forEach((child, i) => collectUrls(child, `${at}[${i}]`, out));
  } else if (node && typeof node === "object") {
    for (const [key, child] of Object.entries(node)) collectUrls(child, at ? `${at}.${key}` : key, out);
  }
}

/** Checks the schema cannot express: pages load from a valid domain, SSO resource matches the domain, icons. */
export function checkConsistency(manifest: Record<string, Json>, appPackageDir: string): string[] {
  const problems: string[] = [];
  const validDomains = Array.isArray(manifest.validDomains) ? manifest.validDomains.filter((d): d is string => typeof d === "string") : [];
  const urls: Array<{ at: string; url: string }> = [];
  collectUrls(manifest, "", urls);
  // developer.* links point at the council's own website, not at pages the app loads.
  for (const { at, url } of urls.filter((u) => !u.at.startsWith("developer.") && !u.at.startsWith("$schema"))) {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      problems.push(`${at} is not a valid URL (${url}): check TAB_ENDPOINT`);
      continue;
    }
    if (!validDomains.some((d) => d === host || (d.startsWith("*.") && host.endsWith(d.slice(1))))) {
      problems.push(`${at} loads from ${host}, which is not in validDomains: TAB_ENDPOINT and TAB_DOMAIN must name the same host`);
    }
  }
  const webApp = manifest.webApplicationInfo;
  if (webApp && typeof webApp === "object" && !Array.isArray(webApp)) {
    const id = webApp.id, resource = webApp.resource;
    if (typeof id === "string" && typeof resource === "string" && !resource.startsWith("api://")) {
      problems.push(`webApplicationInfo.resource must be an api:// URI (got ${resource}): set AAD_APP_ID_URI to api://<TAB_DOMAIN>/<AAD_APP_CLIENT_ID>`);
    } else if (typeof id === "string" && typeof resource === "string" && !resource.endsWith(`/${id}`)) {
      problems.push(`webApplicationInfo.resource (${resource}) does not end with the app's client id ${id}: set AAD_APP_ID_URI to api://<TAB_DOMAIN>/<AAD_APP_CLIENT_ID>`);
    } else if (typeof resource === "string" && validDomains.length && !validDomains.some((d) => resource.startsWith(`api://${d}/`))) {
      problems.push(`webApplicationInfo.resource (${resource}) is not on the app's domain: Teams SSO needs api://<TAB_DOMAIN>/<AAD_APP_CLIENT_ID>`);
    }
  }
  const icons = manifest.icons;
  if (icons && typeof icons === "object" && !Array.isArray(icons)) {
    for (const [kind, size] of Object.entries(ICON_SIZES)) {
      const file = icons[kind];
      if (typeof file !== "string") continue;
      const full = path.join(appPackageDir, file);
      if (!existsSync(full)) {
        problems.push(`icons.${kind} names ${file}, which is not in appPackage/: run \`npm run package -- --write-icons\``);
        continue;
      }
      try {
        const info = readPngInfo(readFileSync(full));
        if (info.width !== size || info.height !== size) problems.push(`icons.${kind} (${file}) is ${info.width}x${info.height}; Teams requires ${size}x${size}`);
        if (kind === "outline") {
          const image = decodePng(readFileSync(full));
          for (let i = 0; i < image.data.length; i += 4) {
            const alpha = image.data[i + 3]!;
            if (alpha > 0 && (image.data[i] !== 255 || image.data[i + 1] !== 255 || image.data[i + 2] !== 255)) {
              problems.push(`icons.outline (${file}) must be white on transparent only; pixel ${i / 4} is coloured`);
              break;
            }
          }
        }
      } catch (error) {
        problems.push(`icons.${kind} (${file}) is not a readable PNG: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

export interface PackageResult {
  ok: boolean;
  problems: string[];
  zipPath?: string;
  manifest?: Record<string, Json>;
}

export interface PackageOptions {
  envName: string;
  envDir?: string;
  outDir?: string;
  appPackageDir?: string;
}

export async function buildAppPackage(options: PackageOptions): Promise<PackageResult> {
  const envDir = options.envDir ?? path.join(ROOT, "env");
  const appPackageDir = options.appPackageDir ?? APP_PACKAGE_DIR;
  const outDir = options.outDir ?? path.join(appPackageDir, "build");
  if (!/^[A-Za-z0-9_-]+$/.test(options.envName)) {
    return { ok: false, problems: [`environment name "${options.envName}" must be letters, digits, - or _ (e.g. local, dev, prod)`] };
  }
  const env = readEnvFiles(envDir, options.envName);
  if (!env.files.length) {
    return { ok: false, problems: [`no environment file: create ${path.join(path.relative(ROOT, envDir) || envDir, `.env.${options.envName}`)} (copy env/.env.dev and fill it in)`] };
  }
  const where = env.files.join(" or ");
  const template = readFileSync(path.join(appPackageDir, "manifest.json"), "utf8");
  const { text, problems } = substitute(template, env.values, where);
  let manifest: Record<string, Json>;
  try {
    manifest = JSON.parse(text) as Record<string, Json>;
  } catch (error) {
    return { ok: false, problems: [...problems, `manifest.json is not valid JSON after filling placeholders: ${(error as Error).message}`] };
  }
  // Unfilled placeholders would only produce confusing schema errors (a GUID that is "${{BOT_ID}}"), so report
  // them on their own first.
  if (problems.length) return { ok: false, problems };
  problems.push(...(await validateAgainstShippedSchema(manifest)));
  problems.push(...checkConsistency(manifest, appPackageDir));
  if (problems.length) return { ok: false, problems, manifest };

  mkdirSync(outDir, { recursive: true });
  const zip = new AdmZip();
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  zip.addFile("manifest.json", Buffer.from(manifestJson, "utf8"));
  const icons = manifest.icons as Record<string, string>;
  for (const file of new Set([icons.color!, icons.outline!])) zip.addFile(file, readFileSync(path.join(appPackageDir, file)));
  const zipPath = path.join(outDir, `appPackage.${options.envName}.zip`);
  zip.writeZip(zipPath);
  writeFileSync(path.join(outDir, `manifest.${options.envName}.json`), manifestJson);
  return { ok: true, problems: [], zipPath, manifest };
}

/** Redraws the icons: the two Teams icons in appPackage/ and the Outlook add-in icons in appPackage/assets/. */
export function writeIcons(appPackageDir = APP_PACKAGE_DIR): string[] {
  const written: string[] = [];
  const write = (file: string, png: Buffer) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, png);
    written.push(path.relative(ROOT, file));
  };
  write(path.join(appPackageDir, "color.png"), encodePng(colourIcon(ICON_SIZES.color)));
  write(path.join(appPackageDir, "outline.png"), encodePng(outlineIcon(ICON_SIZES.outline)));
  for (const size of ADDIN_ICON_SIZES) write(path.join(appPackageDir, "assets", `icon-${size}.png`), encodePng(addinIcon(size)));
  return written;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const prefixed = args.find((a) => a.startsWith(`${name}=`));
  return prefixed?.slice(name.length + 1);
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--write-icons")) {
    for (const file of writeIcons()) console.log(`wrote ${file}`);
    return 0;
  }
  const envName = argValue(args, "--env") ?? (process.env.CALM_ENV || "local");
  const envDir = argValue(args, "--env-dir");
  const outDir = argValue(args, "--out-dir");
  const result = await buildAppPackage({ envName, envDir: envDir && path.resolve(envDir), outDir: outDir && path.resolve(outDir) });
  if (!result.ok) {
    console.error(`PACKAGE_INVALID: the app package for "${envName}" was not built, because:`);
    for (const problem of result.problems) console.error(`  - ${problem}`);
    console.error("Fix these and run `npm run package` again.");
    return 1;
  }
  console.log(`Built ${path.relative(process.cwd(), result.zipPath!)} (manifest ${JSON.stringify(result.manifest!.manifestVersion)}, valid against the shipped schema).`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      console.error(`PACKAGE_FAILED: ${(error as Error).stack ?? String(error)}`);
      console.error("This is a fault in the packaging script, not in your settings; please report it.");
      process.exitCode = 2;
    },
  );
}
