// Reading citations and notes from a profile (see schema.ts "Conventions").

import type { PolicyProfile } from "./schema";
import { pathAndParents } from "./paths";

/** The policy section a field comes from, e.g. sourceOf(dorset, "appeal.window") → "Dorset 6.1". Falls back to
 * the nearest parent path that has a citation; undefined if none does. */
export function sourceOf(profile: PolicyProfile, path: string): string | undefined {
  for (const candidate of pathAndParents(path)) {
    const source = profile.sources[candidate];
    if (source !== undefined) return source;
  }
  return undefined;
}

/** The note on a field (why it is null, or how the passage was read). Exact path only. */
export function noteOf(profile: PolicyProfile, path: string): string | undefined {
  return profile.notes[path];
}

/** Citations for several fields, without duplicates, in the order asked. */
export function sourcesOf(profile: PolicyProfile, paths: string[]): string[] {
  const found = paths.map((p) => sourceOf(profile, p)).filter((s): s is string => s !== undefined);
  return [...new Set(found)];
}
