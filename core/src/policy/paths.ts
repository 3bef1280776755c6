// Field paths into a profile, as used by `sources` and `notes`: dot-separated keys, e.g.
// "expiry.byCategory.physical-assault". In a list, a segment matches an item by its `kind`, `id` or `step`
// ("restrictions.catalogue.building-ban", "decisionBody.members.chair-assurance") or by its index.

const MISSING = Symbol("missing");

function childOf(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) {
    const byKey = (value as unknown[]).find((item) => {
      if (typeof item !== "object" || item === null) return false;
      const record = item as Record<string, unknown>;
      return record.kind === segment || record.id === segment || record.step === segment;
    });
    if (byKey !== undefined) return byKey;
    const index = /^\d+$/.test(segment) ? Number(segment) : -1;
    return index >= 0 && index < value.length ? (value[index] as unknown) : MISSING;
  }
  if (typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return MISSING;
}

/** The value at a path, or undefined if there is no such field. */
export function valueAtPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split(".")) {
    current = childOf(current, segment);
    if (current === MISSING) return undefined;
  }
  return current;
}

/** Whether a path names a field of the object (a field holding null counts). */
export function pathExists(root: unknown, path: string): boolean {
  if (path.length === 0) return false;
  let current: unknown = root;
  for (const segment of path.split(".")) {
    current = childOf(current, segment);
    if (current === MISSING) return false;
  }
  return true;
}

/** "a.b.c" → ["a.b.c", "a.b", "a"]: the path and its parents, nearest first. */
export function pathAndParents(path: string): string[] {
  const segments = path.split(".");
  return segments.map((_, i) => segments.slice(0, segments.length - i).join("."));
}
