// Loads the policy profile in force (a built-in preset, or a council's own JSON file validated by the same
// schema) and binds the rules the server needs to it. Fails fast with a clear message if the profile is bad.
import { readFileSync } from "node:fs";
import { entryViewFor, getPreset, PRESET_IDS, registerName, validateProfile, type PolicyProfile } from "../../core/src/index";
import type { PolicyBinding } from "./app";

export class PolicyLoadError extends Error {
  readonly code = "POLICY_INVALID";
  constructor(message: string) {
    super(message);
    this.name = "PolicyLoadError";
  }
}

export function loadPolicyProfile(policy: { preset: string; file?: string }): PolicyProfile {
  if (policy.file) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(policy.file, "utf8"));
    } catch (error) {
      throw new PolicyLoadError(`CALM_POLICY_FILE ${policy.file} could not be read as JSON (${error instanceof Error ? error.message : "unknown error"}). Check the path and the file, or run \`npx calm policy validate ${policy.file}\`.`);
    }
    const result = validateProfile(json);
    if (!result.ok) {
      throw new PolicyLoadError(`CALM_POLICY_FILE ${policy.file} is not a valid policy profile:\n${result.errors.map((e) => `  - ${e.path}: ${e.message}`).join("\n")}`);
    }
    return result.profile;
  }
  const preset = getPreset(policy.preset);
  if (!preset) throw new PolicyLoadError(`CALM_POLICY_PRESET "${policy.preset}" is not a preset. Use one of: ${PRESET_IDS.join(", ")}.`);
  return preset;
}

export function bindPolicy(profile: PolicyProfile): PolicyBinding {
  return {
    presetId: profile.id,
    registerName: registerName(profile),
    viewFor: (caller, entry, grants) => entryViewFor(profile, caller.roles, entry, grants),
    profile,
  };
}
