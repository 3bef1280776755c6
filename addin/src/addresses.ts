// Addresses as Outlook hands them over: trimmed, de-duplicated case-insensitively, empties dropped, and split
// into batches the API accepts. Whether an address is well formed is the server's call (it answers `valid`),
// so a malformed one is sent and reported back rather than silently skipped.
import type { MailAddress } from "./outlook";

/** The API's largest batch (POST /api/senders/check and /api/addin/recipients/check). */
export const MAX_BATCH = 100;

/** Outlook does not always give a real address (an unresolved name, an X.500 address); the server says `valid`. */
export function looksLikeEmail(address: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address.trim());
}

export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function uniqueAddresses(list: (MailAddress | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of list) {
    const address = a?.emailAddress.trim();
    if (!address) continue;
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(address.slice(0, 320));
  }
  return out;
}

export function batches<T>(items: T[], size = MAX_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Cuts text to `max` characters on a word boundary where it can, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
