// The five built-in presets, one per council, each validated by the schema when this module loads: a preset
// that does not parse stops the process at start-up with the fields to fix, rather than misbehaving later.

import type { PolicyProfile } from "../schema";
import { parseProfile } from "../validate";
import { dorset } from "./dorset";
import { eastSuffolk } from "./eastSuffolk";
import { tamworth } from "./tamworth";
import { westLindsey } from "./westLindsey";
import { westOxfordshire } from "./westOxfordshire";

export const PRESET_IDS = ["dorset", "east-suffolk", "west-oxfordshire", "west-lindsey", "tamworth"] as const;
export type PresetId = (typeof PRESET_IDS)[number];

const RAW: Record<PresetId, PolicyProfile> = {
  dorset,
  "east-suffolk": eastSuffolk,
  "west-oxfordshire": westOxfordshire,
  "west-lindsey": westLindsey,
  tamworth,
};

function loadPresets(): Readonly<Record<PresetId, PolicyProfile>> {
  const loaded = {} as Record<PresetId, PolicyProfile>;
  for (const id of PRESET_IDS) {
    const profile = parseProfile(RAW[id], `preset "${id}"`);
    if (profile.id !== id) throw new Error(`The preset registered as "${id}" has id "${profile.id}". Make them match.`);
    loaded[id] = deepFreeze(profile);
  }
  return Object.freeze(loaded);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Every preset by id, validated and frozen. */
export const PRESETS: Readonly<Record<PresetId, PolicyProfile>> = loadPresets();

export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}

/** The preset with this id, or undefined. */
export function getPreset(id: string): PolicyProfile | undefined {
  return isPresetId(id) ? PRESETS[id] : undefined;
}
