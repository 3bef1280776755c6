// Validating a council's own profile (or a preset at load) and saying what is wrong in plain words:
// `appeal.window.unit: must be one of "days", "working-days", "weeks", "months", "years" (got "fortnights")`.

import type { z } from "zod";
import { pathExists } from "./paths";
import { policyProfileSchema, type PolicyProfile } from "./schema";

export interface ProfileError {
  /** The field, e.g. `appeal.window.unit` or `decisionBody.members[2].role`; `(profile)` for the whole. */
  path: string;
  message: string;
}

export type ProfileValidation = { ok: true; profile: PolicyProfile } | { ok: false; errors: ProfileError[] };

type Issue = z.core.$ZodIssue;

export function validateProfile(json: unknown): ProfileValidation {
  const result = policyProfileSchema.safeParse(json, { reportInput: true });
  if (result.success) return { ok: true, profile: result.data };
  const errors = result.error.issues.flatMap((issue) => describeIssue(issue, []));
  // The schema checks citation paths only once everything else parses; report them now too, so a council
  // sees every problem in one pass (but not a citation of a field already reported as missing).
  const citations = citationPathErrors(json).filter((c) => {
    const cited = c.path.slice(c.path.indexOf(".") + 1);
    return !errors.some((e) => cited === e.path || cited.startsWith(`${e.path}.`));
  });
  return { ok: false, errors: dedupe([...errors, ...citations]) };
}

function citationPathErrors(json: unknown): ProfileError[] {
  if (typeof json !== "object" || json === null) return [];
  const record = json as Record<string, unknown>;
  return (["sources", "notes"] as const).flatMap((map) => {
    const entries = record[map];
    if (typeof entries !== "object" || entries === null || Array.isArray(entries)) return [];
    // A path under a missing section is already reported as that section missing.
    return Object.keys(entries)
      .filter((path) => pathExists(json, path.split(".")[0]!) && !pathExists(json, path))
      .map((path) => ({ path: `${map}.${path}`, message: `names "${path}", which is not a field of the profile` }));
  });
}

/** Parses a profile, throwing one error that lists every problem (for presets and start-up config). */
export function parseProfile(json: unknown, label: string): PolicyProfile {
  const result = validateProfile(json);
  if (result.ok) return result.profile;
  const lines = result.errors.map((e) => `  ${e.path}: ${e.message}`).join("\n");
  throw new Error(`The policy profile ${label} is not valid. Fix these fields and try again:\n${lines}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out.length === 0 ? "(profile)" : out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value;
}

const EXPECTED_WORDS: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list",
  null: "null",
};

function describeIssue(issue: Issue, prefix: readonly PropertyKey[]): ProfileError[] {
  const path = [...prefix, ...issue.path];
  const input = (issue as { input?: unknown }).input;
  const got = input === undefined ? "" : ` (got ${describeValue(input)})`;
  switch (issue.code) {
    case "invalid_type": {
      if (input === undefined) return [{ path: formatPath(path), message: "is missing" }];
      const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
      return [{ path: formatPath(path), message: `must be ${expected}${got}` }];
    }
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      const message = values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(", ")}`;
      return [{ path: formatPath(path), message: `${message}${got}` }];
    }
    case "too_small":
      return [{ path: formatPath(path), message: sizeMessage("at least", issue.origin, Number(issue.minimum), got) }];
    case "too_big":
      return [{ path: formatPath(path), message: sizeMessage("at most", issue.origin, Number(issue.maximum), got) }];
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        message: "is not a field CALM knows. Check the spelling, or remove it",
      }));
    case "invalid_union":
      return describeUnion(issue, path, got);
    case "custom":
      return [{ path: formatPath(path), message: issue.message }];
    default:
      return [{ path: formatPath(path), message: `${issue.message}${got}` }];
  }
}

function sizeMessage(bound: string, origin: string, limit: number, got: string): string {
  if (origin === "array" || origin === "set") return `must list ${bound} ${limit} item${limit === 1 ? "" : "s"}`;
  if (origin === "string") return limit === 1 && bound === "at least" ? "must not be empty" : `must be ${bound} ${limit} characters`;
  return `must be ${bound} ${limit}${got}`;
}

function describeUnion(issue: Extract<Issue, { code: "invalid_union" }>, path: PropertyKey[], got: string): ProfileError[] {
  const discriminated = issue as { options?: unknown[]; discriminator?: string; input?: unknown };
  if (Array.isArray(discriminated.options)) {
    const options = discriminated.options.map((o) => JSON.stringify(o)).join(", ");
    const value = discriminated.discriminator !== undefined && typeof discriminated.input === "object" && discriminated.input !== null
      ? (discriminated.input as Record<string, unknown>)[discriminated.discriminator]
      : undefined;
    return [{ path: formatPath(path), message: `must be one of ${options} (got ${describeValue(value)})` }];
  }
  // When one alternative got further (its problems are deeper in the value), report that alternative's problems.
  const branches = issue.errors.filter((b) => b.length > 0);
  const depth = (b: Issue[]) => Math.max(...b.map((i) => i.path.length));
  const deepest = [...branches].sort((a, b) => depth(b) - depth(a))[0];
  if (deepest && depth(deepest) > 0) return deepest.flatMap((i) => describeIssue(i, path));
  if (issue.message !== "Invalid input") return [{ path: formatPath(path), message: `${issue.message}${got}` }];
  const shapes = branches.map(describeBranch).join(", or ");
  return [{ path: formatPath(path), message: `must be ${shapes}${got}` }];
}

function describeBranch(branch: Issue[]): string {
  const first = branch[0];
  if (first?.code === "invalid_value") return first.values.map((v) => JSON.stringify(v)).join(" or ");
  if (first?.code === "invalid_type") return EXPECTED_WORDS[first.expected] ?? first.expected;
  return "another form";
}

function dedupe(errors: ProfileError[]): ProfileError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
