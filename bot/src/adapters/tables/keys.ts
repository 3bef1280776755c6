// Partition and row keys. Shared by the table and memory stores so both list in the same order.
// Keys travel in request URLs and storage logs, so they hold ids, dates and hashes only, never a name,
// email address or phone number (docs/storage.md "Why identifiers are hashed").
import { StoreLimitError } from "../../ports/errors";

/** Azure Tables keys may be up to 1 KiB (UTF-16: 512 characters). We keep well under it. */
export const MAX_KEY_CHARS = 400;

/** Makes an id safe inside a key: Azure forbids `/ \ # ?` and control characters, and `|` is our
 * separator. Everything outside `[A-Za-z0-9._:@-]` becomes `~XXXX` (hex code unit). Order-preserving
 * for ids made of the safe characters (UUIDs, Entra object ids, persona ids). */
export function keyPart(entity: string, id: string): string {
  if (id.length === 0) throw new TypeError(`A ${entity} id must not be empty.`);
  const escaped = id.replace(/[^A-Za-z0-9._:@-]/g, (c) => "~" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  if (escaped.length > MAX_KEY_CHARS) {
    throw new StoreLimitError(entity, id.slice(0, 40), `id of ${id.length} characters; keep ids under 100 characters`);
  }
  return escaped;
}

/** Inverted milliseconds: newer instants sort first in ascending row-key order. Counted down from the
 * latest instant JavaScript can represent (year 275,760), 16 digits, so string order is time order. */
const INVERT_FROM = 8_640_000_000_000_000;
export function invertedTicks(entity: string, id: string, isoInstant: string): string {
  const ms = Date.parse(isoInstant);
  if (Number.isNaN(ms) || ms < 0) throw new TypeError(`The ${entity} ${id} has an invalid instant "${isoInstant}"; expected ISO 8601 after 1970.`);
  return String(INVERT_FROM - ms).padStart(16, "0");
}

/** `YYYY-MM-DD`, so string order is date order in keys and filters. */
export function assertIsoDate(what: string, value: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new TypeError(`${what} must be a calendar date YYYY-MM-DD, got "${value}".`);
  }
}

/** The next row-key prefix after `prefix` + anything: `RowKey ge prefix and RowKey lt prefixEnd(prefix)`
 * selects exactly the keys that start with `prefix`. Our separators are `|` (0x7C); `}` is the next code. */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** Formats a reference: `CAL-0042`; more digits past 9999. */
export function formatReference(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(4, "0")}`;
}

/** Reference prefixes appear in keys and in text shown to people; letters and digits only. */
export function assertReferencePrefix(prefix: string): void {
  if (!/^[A-Za-z][A-Za-z0-9]{0,15}$/.test(prefix)) {
    throw new TypeError(`Reference prefix "${prefix}" is not valid: use 1-16 letters and digits, starting with a letter (e.g. CAL).`);
  }
}

/** A register entry's key material: its subject id fits in a key and its review date is a real
 * `YYYY-MM-DD` (it is part of the due-for-review row key). Both stores check the same. */
export function assertEntryKeys(entry: { subjectId: string; nextReviewOn?: string | undefined }): void {
  keyPart("subject", entry.subjectId);
  if (entry.nextReviewOn !== undefined) assertIsoDate("nextReviewOn", entry.nextReviewOn);
}

/** An audit event's row key: newest first, then by id. */
export function auditRowKey(event: { id: string; at: string }): string {
  return `${invertedTicks("audit event", event.id, event.at)}|${keyPart("audit event", event.id)}`;
}

export function assertLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new TypeError(`An audit listing limit must be a positive whole number, got ${String(limit)}.`);
  }
}
