// `calm policy …`: list, show, validate, explain and describe the policy profiles (issue 2, item 3).

import { resolve } from "node:path";
import {
  CalendarRangeError,
  INCIDENT_CATEGORIES,
  PRESET_IDS,
  PRESETS,
  describeProfileText,
  explainDates,
  getPreset,
  isIsoDate,
  profileFieldTable,
  registerName,
  validateProfile,
  type ExplainDatesInput,
  type IncidentCategory,
  type PolicyProfile,
} from "../../../core/src/index";
import { expectPositional, parseArgs } from "./args";
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo, type Command } from "./types";

function presetOrThrow(id: string): PolicyProfile {
  const preset = getPreset(id);
  if (!preset) throw new UsageError(`unknown preset "${id}". Use one of: ${PRESET_IDS.join(", ")}.`);
  return preset;
}

type FileRead = { ok: true; json: unknown } | { ok: false; reason: "unreadable" | "not-json"; message: string };

function readJson(io: CliIo, file: string): FileRead {
  let text: string;
  try {
    text = io.readFile(resolve(io.cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    return { ok: false, reason: "unreadable", message: `cannot read ${file} (${code}). Check the path and try again.` };
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: "not-json", message: `${file} is not valid JSON (${(error as Error).message}). Fix the file and try again.` };
  }
}

/** A preset id, or a path to a council's own profile (anything ending .json or containing a slash). */
function loadProfile(io: CliIo, ref: string): PolicyProfile {
  const preset = getPreset(ref);
  if (preset) return preset;
  if (!/\.json$/i.test(ref) && !/[\\/]/.test(ref)) {
    throw new UsageError(`unknown preset "${ref}". Use one of: ${PRESET_IDS.join(", ")}, or a path to a profile .json file.`);
  }
  const read = readJson(io, ref);
  if (!read.ok) throw new UsageError(read.message);
  const result = validateProfile(read.json);
  if (!result.ok) {
    const first = result.errors[0]!;
    throw new UsageError(`${ref} is not a valid policy profile (${first.path}: ${first.message}). Run \`npx calm policy validate ${ref}\` to see every problem.`);
  }
  return result.profile;
}

function dateOption(options: Map<string, string>, name: string): string | undefined {
  const value = options.get(name);
  if (value !== undefined && !isIsoDate(value)) {
    throw new UsageError(`--${name} must be a real date written YYYY-MM-DD (got "${value}").`);
  }
  return value;
}

function categoryOption(options: Map<string, string>): IncidentCategory | undefined {
  const value = options.get("category");
  if (value === undefined) return undefined;
  if (!(INCIDENT_CATEGORIES as readonly string[]).includes(value)) {
    throw new UsageError(`unknown category "${value}". Use one of: ${INCIDENT_CATEGORIES.join(", ")}.`);
  }
  return value as IncidentCategory;
}

const list: Command = {
  path: ["policy", "list"],
  args: "",
  summary: "List the built-in policy presets.",
  run(args, io) {
    expectPositional(parseArgs(args, []), 0, "policy list");
    for (const id of PRESET_IDS) {
      const p = PRESETS[id];
      io.stdout(`${id.padEnd(18)}${p.council} — ${p.policy.title} (register: ${registerName(p)})`);
    }
    return EXIT_OK;
  },
};

const show: Command = {
  path: ["policy", "show"],
  args: "<preset>",
  summary: "Print a preset as JSON (a starting point for a council's own profile).",
  run(args, io) {
    const [id] = expectPositional(parseArgs(args, []), 1, "policy show <preset>");
    io.stdout(JSON.stringify(presetOrThrow(id!), null, 2));
    return EXIT_OK;
  },
};

const validate: Command = {
  path: ["policy", "validate"],
  args: "<file.json>",
  summary: "Check a council's own profile; exit 1 and name each bad field if it is not valid.",
  run(args, io) {
    const [file] = expectPositional(parseArgs(args, []), 1, "policy validate <file.json>");
    const read = readJson(io, file!);
    if (!read.ok && read.reason === "unreadable") throw new UsageError(read.message);
    if (!read.ok) {
      io.stderr(read.message);
      return EXIT_INVALID;
    }
    const result = validateProfile(read.json);
    if (result.ok) {
      io.stdout(`${file} is a valid policy profile: ${result.profile.id} (${result.profile.council}).`);
      return EXIT_OK;
    }
    io.stderr(`${file} is not a valid policy profile. Fix these fields and try again:`);
    for (const error of result.errors) io.stderr(`  - ${error.path}: ${error.message}`);
    return EXIT_INVALID;
  },
};

const EXPLAIN_USAGE = "policy explain <preset|file.json> --decided YYYY-MM-DD [--category <id>] [--notified YYYY-MM-DD] [--appeal-received YYYY-MM-DD]";

const explain: Command = {
  path: ["policy", "explain"],
  args: "<preset|file.json> --decided YYYY-MM-DD [--category <id>] [--notified YYYY-MM-DD] [--appeal-received YYYY-MM-DD]",
  summary: "Print the dates the policy sets for one decision, with the sections they come from, as one JSON object. --notified defaults to --decided.",
  run(args, io) {
    const parsed = parseArgs(args, ["decided", "category", "notified", "appeal-received"]);
    const [ref] = expectPositional(parsed, 1, EXPLAIN_USAGE);
    const decided = dateOption(parsed.options, "decided");
    if (decided === undefined) throw new UsageError(`--decided is required. Usage: calm ${EXPLAIN_USAGE}`);
    const category = categoryOption(parsed.options);
    const notified = dateOption(parsed.options, "notified");
    const appealReceived = dateOption(parsed.options, "appeal-received");
    const profile = loadProfile(io, ref!);
    const input: ExplainDatesInput = {
      decided,
      ...(category === undefined ? {} : { category }),
      ...(notified === undefined ? {} : { notified }),
      ...(appealReceived === undefined ? {} : { appealReceived }),
    };
    try {
      io.stdout(JSON.stringify(explainDates(profile, input), null, 2));
    } catch (error) {
      if (error instanceof CalendarRangeError) throw new UsageError(error.message);
      throw error;
    }
    return EXIT_OK;
  },
};

const describe: Command = {
  path: ["policy", "describe"],
  args: "<preset|file.json>",
  summary: "Describe a profile in plain English (the text the tab's Settings page shows).",
  run(args, io) {
    const [ref] = expectPositional(parseArgs(args, []), 1, "policy describe <preset|file.json>");
    for (const line of describeProfileText(loadProfile(io, ref!))) io.stdout(line);
    return EXIT_OK;
  },
};

const fields: Command = {
  path: ["policy", "fields"],
  args: "[preset|file.json ...]",
  summary: "Print every profile field, what it means and each profile's value with its source, as a Markdown table (all presets by default).",
  run(args, io) {
    const parsed = parseArgs(args, []);
    const profiles = parsed.positional.length === 0 ? PRESET_IDS.map((id) => PRESETS[id]) : parsed.positional.map((ref) => loadProfile(io, ref));
    for (const line of profileFieldTable(profiles)) io.stdout(line);
    return EXIT_OK;
  },
};

export const policyCommands: Command[] = [list, show, validate, explain, describe, fields];
