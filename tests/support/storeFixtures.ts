// Records with every field set, for the store contract suite. Plainly fictional (example.org, Ofcom drama
// numbers 07700 900xxx). Unicode and long text are in here on purpose: the stores must keep them exactly.
import { randomUUID } from "node:crypto";
import type {
  AuditEvent,
  Case,
  ConflictDeclaration,
  Incident,
  RegisterEntry,
  StaffRef,
  Subject,
  Vote,
} from "../../core/src/domain";

export const AT = "2026-11-02T09:30:00.000Z";
export const LATER = "2026-11-02T10:45:12.345Z";

/** Text that exercises the encoder: accents, right-to-left, CJK, emoji (surrogate pairs), quotes,
 * backslashes, newlines, a `|` (our key separator) and characters Azure forbids in keys (`/ \ # ?`). */
export const TRICKY_TEXT = "Zoë O'Example-Smith — “quoted” \\ back/slash # hash ? query | pipe\nnew line\tטקסט 中文 🙂👩🏽‍💻 ñ";

/** Longer than one 32K-character table property, with a surrogate pair straddling every chunk boundary. */
export function longText(chars: number): string {
  const unit = "Long note 🙂 with unicode ü. ";
  let s = "";
  while (s.length < chars) s += unit;
  s = s.slice(0, chars);
  return /[\ud800-\udbff]$/.test(s) ? s.slice(0, -1) + "." : s;
}

export function staff(id: string, displayName = "Sam Officer"): StaffRef {
  return { id, displayName, email: `${id}@calm-demo.example` };
}

export function fullSubject(over: Partial<Subject> = {}): Subject {
  return {
    id: randomUUID(),
    kind: "person",
    displayName: "Alex Example",
    aliases: ["Zoë Exampleton", "A. Example-Smith"],
    emails: ["Alex.Example+housing@Example.ORG", "alex2@example.com"],
    phones: ["07700 900123", "+44 (0)7700 900456"],
    addresses: [
      { lines: ["1 Fictional Lane", "Flat 2"], town: "Exampleton", postcode: "EX1 1AA", uprn: "100000000001" },
      { lines: ["PO Box 9"] },
    ],
    socialHandles: ["@alex_example", "facebook.com/alex.example"],
    dateOfBirth: "1980-02-29",
    sensitiveNotes: TRICKY_TEXT,
    noFixedAddress: false,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

export function fullEntry(subjectId: string, over: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    id: randomUUID(),
    reference: "CAL-0042",
    subjectId,
    caseId: randomUUID(),
    riskLevel: "medium",
    categories: ["verbal-abuse", "unreasonably-persistent-contact"],
    restrictions: [
      {
        id: randomUUID(),
        kind: "contact-limit",
        params: { perWeek: 1, channel: "email", buildings: ["Civic Centre", "Depot"], strict: true },
        serviceAreas: ["Housing"],
        startsOn: "2026-11-02",
        endsOn: "2027-05-02",
        staffInstruction: "Reply once a week, by email only.",
      },
      {
        id: randomUUID(),
        kind: "single-point-of-contact",
        params: {},
        serviceAreas: [],
        startsOn: "2026-11-02",
        staffInstruction: "Only the SPOC replies: Sam Spoc, Housing.",
      },
    ],
    guidance: ["Do not visit alone.", "Only the SPOC replies.", TRICKY_TEXT],
    spoc: { displayName: "Sam Spoc", mailbox: "spoc.housing@calm-demo.example", serviceArea: "Housing", phone: "07700 900999" },
    startsOn: "2026-11-02",
    expiresOn: "2027-05-02",
    nextReviewOn: "2027-05-02",
    recordOwner: staff("owner-1", "Max Manager"),
    status: "active",
    appealInProgress: true,
    removedOn: "2027-06-01",
    removalReason: "Reviewed: no incidents since.",
    purgeAfter: "2027-12-01",
    createdAt: AT,
    updatedAt: LATER,
    ...over,
  };
}

export function fullIncident(subjectId: string, over: Partial<Incident> = {}): Incident {
  return {
    id: randomUUID(),
    reference: "INC-0007",
    subjectId,
    reporter: staff("officer-1"),
    occurredAt: AT,
    occurredUntil: LATER,
    contactCount: 14,
    location: "Civic Centre reception",
    channel: "face-to-face",
    serviceArea: "Council Tax",
    category: "verbal-threat",
    description: TRICKY_TEXT,
    witnesses: [
      { name: "Wren Witness", statement: "I heard it.", isStaff: true },
      { name: "Pat Passer-by", statement: "Ça va? 🙂" },
    ],
    evidence: [
      { id: randomUUID(), kind: "file", fileName: "note.pdf", contentType: "application/pdf", sizeBytes: 123456, blobName: "evidence/x/y", addedAt: AT },
      { id: randomUUID(), kind: "cctv", externalReference: "CCTV-2026-11-02-cam3", addedAt: LATER },
    ],
    policeReference: "PR/2026/0001",
    hateIncident: true,
    immediateAction: "asked-to-leave",
    immediateActionNote: "Left calmly after ten minutes.",
    reportedAt: LATER,
    caseId: randomUUID(),
    ...over,
  };
}

export function fullCase(subjectId: string, over: Partial<Case> = {}): Case {
  return {
    id: randomUUID(),
    reference: "CASE-0003",
    subjectId,
    incidentIds: [randomUUID(), randomUUID()],
    recommendedOutcome: "add-medium",
    recommendedRestrictions: [
      { id: randomUUID(), kind: "building-ban", params: { buildings: ["Civic Centre"] }, serviceAreas: [], startsOn: "2026-12-01", staffInstruction: "Do not admit to the Civic Centre." },
    ],
    presentingManager: staff("manager-1", "Max Manager"),
    summary: "Repeated threats at reception (three incidents since October).",
    papersUrl: "https://calm-demo.example/papers/3",
    status: "voting",
    referredAt: AT,
    decision: {
      outcome: "add-medium",
      decidedAt: LATER,
      decidedBy: [staff("member-1"), staff("member-2")],
      votesFor: 3,
      votesCast: 4,
      eligibleVoters: 5,
      quorumMet: true,
      healthConsidered: { considered: true, by: staff("chair-1", "Chris Chair"), note: "Considered." },
      restrictions: [],
      rationale: TRICKY_TEXT,
    },
    emergency: { by: staff("chair-1", "Chris Chair"), capacity: "chair", at: AT, reason: "Credible threat.", ratifiedAt: LATER, ratificationCaseId: randomUUID() },
    ...over,
  };
}

export function aVote(caseId: string, voterId: string, choice: Vote["choice"] = "add-medium", castAt = AT): Vote {
  return { caseId, voter: staff(voterId, `Member ${voterId}`), choice, castAt };
}

export function aConflict(caseId: string, memberId: string, over: Partial<ConflictDeclaration> = {}): ConflictDeclaration {
  return { caseId, member: staff(memberId), reason: "Lives on the same street.", declaredAt: AT, ...over };
}

export function anAuditEvent(over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    at: AT,
    actorId: "officer-1",
    action: "lookup",
    surface: "bot",
    subjectId: randomUUID(),
    entryId: randomUUID(),
    what: ["riskLevel", "guidance", "CAL-0042"],
    prevHash: "a".repeat(64),
    hash: "b".repeat(64),
    ...over,
  };
}

/** Drops the store-set etag for comparing with what was written. */
export function withoutEtag<T extends { etag?: string }>(record: T): Omit<T, "etag"> {
  const { etag: _etag, ...rest } = record;
  return rest;
}

/** A table prefix unique to one test (letters and digits only). */
export function freshPrefix(): string {
  return `t${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}
