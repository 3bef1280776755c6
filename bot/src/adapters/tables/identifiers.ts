// Which identifiers a subject is found by (SubjectStore.findIdsByIdentifier). Shared by the table and
// memory stores. The values are normalised the way lookups normalise what staff type
// (core/src/normalise.ts; DOMAIN.md "Subject": emails and phones matched normalised).
import type { Subject } from "../../../../core/src/domain";
import { nameTokens, normaliseEmail, normalisePhone } from "../../../../core/src/normalise";
import { StoreLimitError } from "../../ports/errors";
import type { IdentifierKind } from "../../ports/stores";

/** Identifier rows per subject. Far above any real person (each email, phone and name token is one), and
 * it bounds the index writes of one subject update. */
export const MAX_IDENTIFIERS_PER_SUBJECT = 400;

export interface SubjectIdentifier {
  kind: IdentifierKind;
  value: string;
}

/** A subject's identifiers, de-duplicated: each email and phone normalised, each name token of the display
 * name and the aliases. An email or phone that cannot be normalised could never match a normalised query,
 * so an email falls back to its trimmed lower case and an unusable phone is left out. */
export function subjectIdentifiers(subject: Subject): SubjectIdentifier[] {
  const seen = new Set<string>();
  const out: SubjectIdentifier[] = [];
  const add = (kind: IdentifierKind, value: string | undefined): void => {
    if (value === undefined || value.length === 0) return;
    const key = `${kind}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, value });
  };
  for (const email of subject.emails) add("email", normaliseEmail(email) ?? email.trim().toLowerCase());
  for (const phone of subject.phones) add("phone", normalisePhone(phone));
  for (const name of [subject.displayName, ...subject.aliases]) {
    for (const token of nameTokens(name)) add("name", token);
  }
  if (out.length > MAX_IDENTIFIERS_PER_SUBJECT) {
    throw new StoreLimitError("subject", subject.id, `${out.length} emails, phones and name words; at most ${MAX_IDENTIFIERS_PER_SUBJECT}`);
  }
  return out;
}

export function identifierKey(i: SubjectIdentifier): string {
  return `${i.kind}:${i.value}`;
}
