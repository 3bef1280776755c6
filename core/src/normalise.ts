// Normalising identifiers so the same person is found however staff type them (DOMAIN.md "Subject":
// emails and phones are matched normalised: case, whitespace, +tags, E.164). Pure functions.

/** Only characters the steps below leave as they are: no upper case, no `+tag`, no spaces, brackets or `mailto:`. */
const ALREADY_NORMAL = /^[a-z0-9._-]+@[a-z0-9.-]+$/;
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** `" Alex.Example+Council@Example.ORG "` → `alex.example@example.org`. Accepts `Name <addr>` and
 * `mailto:` forms. Returns undefined for anything that is not an email address. */
export function normaliseEmail(input: string): string | undefined {
  if (typeof input !== "string" || input.length > 320) return undefined;
  // Most addresses arrive already in normal form (lower case, no tag, no spaces or brackets): nothing to undo.
  if (ALREADY_NORMAL.test(input)) return EMAIL_SHAPE.test(input) ? input : undefined;
  let s = input.trim();
  const angle = /<([^<>]*)>\s*$/.exec(s);
  if (angle?.[1] !== undefined) s = angle[1].trim();
  if (s.toLowerCase().startsWith("mailto:")) s = s.slice(7);
  s = s.replace(/\s+/g, "").toLowerCase();
  const at = s.lastIndexOf("@");
  if (at <= 0) return undefined;
  let local = s.slice(0, at);
  const domain = s.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  const email = `${local}@${domain}`;
  return EMAIL_SHAPE.test(email) ? email : undefined;
}

/** UK-first E.164: `07700 900123` → `+447700900123`; `+44 (0)20 7946 0000` → `+442079460000`;
 * `0044…` → `+44…`. Returns undefined for anything that is not a plausible phone number. */
export function normalisePhone(input: string, defaultCountryCode = "44"): string | undefined {
  if (typeof input !== "string" || input.length > 40) return undefined;
  let s = input.trim().replace(/^tel:/i, "");
  if (!/^[+\d\s().-]+$/.test(s)) return undefined;
  s = s.replace(/\(0\)/g, "");
  const plus = s.startsWith("+");
  let digits = s.replace(/\D/g, "");
  if (plus) {
    // already international
  } else if (digits.startsWith("00")) {
    digits = digits.slice(2);
  } else if (digits.startsWith("0")) {
    digits = defaultCountryCode + digits.slice(1);
  } else {
    return undefined;
  }
  if (digits.startsWith("440")) digits = "44" + digits.slice(3);
  if (digits.length < 8 || digits.length > 15) return undefined;
  return `+${digits}`;
}

const HONORIFICS = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "cllr"]);

/** Name tokens for matching: case, accents, punctuation and honorifics folded.
 * `"Mrs  Zoë O'Example-Smith"` → `["zoe", "oexample", "smith"]`. */
export function nameTokens(input: string): string[] {
  if (typeof input !== "string") return [];
  return input
    .slice(0, 200)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && !HONORIFICS.has(t));
}

/** Optimal string alignment distance, bounded: returns `max + 1` as soon as it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0]!;
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    let rowMin = Number.MAX_SAFE_INTEGER;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

/** Whether two name tokens are the same name, allowing a typo in longer names
 * (one edit from 5 letters, two from 9). Initials match a token that starts with them. */
export function tokensMatch(query: string, candidate: string): boolean {
  if (query === candidate) return true;
  if (query.length === 1 || candidate.length === 1) return query[0] === candidate[0];
  const allowed = Math.min(query.length, candidate.length) >= 9 ? 2 : Math.min(query.length, candidate.length) >= 5 ? 1 : 0;
  return allowed > 0 && editDistance(query, candidate, allowed) <= allowed;
}

/** How well a typed name matches one of a subject's names: 0 (no match) to 1 (every token, exactly).
 * Every query token must match a distinct candidate token, and at least one must be longer than an
 * initial, so "A" alone never matches anyone. */
export function nameMatchScore(query: string, candidate: string): number {
  const q = nameTokens(query);
  const c = nameTokens(candidate);
  if (q.length === 0 || c.length === 0) return 0;
  if (!q.some((t) => t.length > 1)) return 0;
  const used = new Set<number>();
  let exact = 0;
  for (const token of q) {
    let found = -1;
    for (let i = 0; i < c.length; i++) {
      if (used.has(i)) continue;
      if (c[i] === token) { found = i; exact++; break; }
    }
    if (found < 0) {
      for (let i = 0; i < c.length; i++) {
        if (!used.has(i) && tokensMatch(token, c[i]!)) { found = i; break; }
      }
    }
    if (found < 0) return 0;
    used.add(found);
  }
  // Exact tokens count fully, fuzzy ones half; penalise candidates with many more names than asked for.
  const base = (exact + (q.length - exact) * 0.5) / q.length;
  return Math.round(base * (q.length / Math.max(q.length, c.length) * 0.25 + 0.75) * 1000) / 1000;
}

/** What a free-text query looks like, so "lookup <text>" does the right search. */
export function classifyQuery(input: string): { kind: "email"; value: string } | { kind: "phone"; value: string } | { kind: "name"; value: string } | undefined {
  if (typeof input !== "string") return undefined;
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 320) return undefined;
  const email = normaliseEmail(trimmed);
  if (email) return { kind: "email", value: email };
  if (/^[+\d\s().-]+$/.test(trimmed)) {
    const phone = normalisePhone(trimmed);
    return phone ? { kind: "phone", value: phone } : undefined;
  }
  const tokens = nameTokens(trimmed);
  if (tokens.length === 0 || !tokens.some((t) => t.length > 1)) return undefined;
  return { kind: "name", value: tokens.join(" ") };
}
