// The things CALM keeps (../shared/DOMAIN.md, "Things it keeps").
// Pure data: no I/O, no SDK types. Dates are ISO strings: `YYYY-MM-DD` for calendar dates (a review date,
// an appeal deadline) and full ISO 8601 instants for moments (when an incident happened, when a vote was cast).

/** A calendar date, `YYYY-MM-DD`, in the council's local calendar (England and Wales). */
export type IsoDate = string;
/** An instant, ISO 8601 with offset, e.g. `2026-11-23T09:30:00.000Z`. */
export type IsoDateTime = string;

export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Incident category ids (East Suffolk 4.5.1's table, plus hate incident, publishing staff details,
 * misuse of recordings and premises risk). */
export const INCIDENT_CATEGORIES = [
  "warning-letter",
  "unreasonably-persistent-contact",
  "ongoing-personal-circumstances",
  "verbal-abuse",
  "verbal-threat",
  "physical-violence-no-injury",
  "physical-assault",
  "hate-incident",
  "staff-details-published",
  "recording-misuse",
  "premises-risk",
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

export const CONTACT_CHANNELS = [
  "phone",
  "email",
  "face-to-face",
  "letter",
  "online-form",
  "social-media",
  "home-visit",
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

// ---------------------------------------------------------------------------------------------------------
// People and places
// ---------------------------------------------------------------------------------------------------------

/** A person, a representative acting for a person (West Lindsey 5), or a premises/address
 * (West Oxfordshire "premise risk"). */
export const SUBJECT_KINDS = ["person", "representative", "premises"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface PostalAddress {
  lines: string[];
  town?: string;
  postcode?: string;
  /** Unique Property Reference Number, where the council has it. */
  uprn?: string;
}

export interface Subject {
  id: string;
  kind: SubjectKind;
  /** Display name: the primary name for a person, a short label for premises ("12 Example Road"). */
  displayName: string;
  /** Other names the person is known by. Matched in lookups with the display name. */
  aliases: string[];
  emails: string[];
  phones: string[];
  addresses: PostalAddress[];
  socialHandles: string[];
  dateOfBirth?: IsoDate;
  /** For a representative: the subject they act for. */
  actsForSubjectId?: string;
  /** Special-category data (health, disability, vulnerability): visible only to the decision body. */
  sensitiveNotes?: string;
  /** No fixed address: letters are held at reception (West Lindsey 11.3). */
  noFixedAddress?: boolean;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  /** Optimistic-concurrency tag, set by the store. */
  etag?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Incidents
// ---------------------------------------------------------------------------------------------------------

export interface StaffRef {
  /** Entra object id (oid) or a local persona id. */
  id: string;
  displayName: string;
  email?: string;
}

export interface WitnessStatement {
  name: string;
  statement: string;
  /** Whether the witness is a member of staff. */
  isStaff?: boolean;
}

export interface EvidenceRef {
  id: string;
  kind: "email" | "file" | "cctv" | "other";
  fileName?: string;
  contentType?: string;
  sizeBytes?: number;
  /** Blob name in the evidence container; never a URL with a token in it. */
  blobName?: string;
  /** For CCTV and other evidence held elsewhere. */
  externalReference?: string;
  addedAt: IsoDateTime;
}

export const IMMEDIATE_ACTIONS = [
  "none",
  "call-ended",
  "asked-to-leave",
  "meeting-ended",
  "police-called",
  "security-called",
  "other",
] as const;
export type ImmediateAction = (typeof IMMEDIATE_ACTIONS)[number];

/** One contact in a report covering many contacts of an unreasonably persistent customer (East Suffolk 4.2). */
export interface ContactLogItem {
  at: IsoDateTime;
  channel: ContactChannel;
  /** A short note of what the contact was about. */
  summary: string;
}

export interface Incident {
  id: string;
  /** Human reference shown to staff, e.g. `INC-0042`. */
  reference: string;
  subjectId: string;
  reporter: StaffRef;
  occurredAt: IsoDateTime;
  /** For a report covering many contacts of an unreasonably persistent customer (East Suffolk 4.2). */
  occurredUntil?: IsoDateTime;
  contactCount?: number;
  /** The contacts a persistent-contact report covers, oldest first (East Suffolk 4.2). */
  contacts?: ContactLogItem[];
  location: string;
  channel: ContactChannel;
  serviceArea: string;
  category: IncidentCategory;
  description: string;
  witnesses: WitnessStatement[];
  evidence: EvidenceRef[];
  policeReference?: string;
  /** Dorset 3.2, Tamworth 4. */
  hateIncident: boolean;
  /** West Lindsey 8.5. */
  immediateAction: ImmediateAction;
  immediateActionNote?: string;
  reportedAt: IsoDateTime;
  caseId?: string;
  etag?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Cases, votes and decisions
// ---------------------------------------------------------------------------------------------------------

export const DECISION_OUTCOMES = [
  "add-low",
  "add-medium",
  "add-high",
  "warning-letter",
  /** SPOC only, without a finding of unreasonable behaviour (Dorset 4.11). */
  "spoc-only",
  "no-action",
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const CASE_STATUSES = [
  "draft",
  "referred",
  "voting",
  "decided",
  "pending-ratification",
  "withdrawn",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Case {
  id: string;
  /** Opaque reference, safe to show anywhere, e.g. `CASE-0042`. */
  reference: string;
  subjectId: string;
  incidentIds: string[];
  recommendedOutcome: DecisionOutcome;
  recommendedRestrictions: Restriction[];
  presentingManager: StaffRef;
  /** A short, non-identifying summary for the vote card (no full name). */
  summary: string;
  papersUrl?: string;
  status: CaseStatus;
  referredAt: IsoDateTime;
  decision?: DecisionRecord;
  /** Set when the chair (or deputy) made a high-risk emergency addition (Dorset 4.13.2). */
  emergency?: EmergencyAddition;
  /** The decision body's members when the case was referred: they, and only they, vote on it. */
  members?: StaffRef[];
  chairId?: string;
  /** On a ratification case: the emergency case it ratifies (Dorset 4.13.2). */
  ratifiesCaseId?: string;
  /** Guidance lines and SPOC the referring manager recommends for the register entry. */
  recommendedGuidance?: string[];
  recommendedSpoc?: SinglePointOfContact;
  /** The register entry the decision created or changed. */
  entryId?: string;
  etag?: string;
}

export interface Vote {
  caseId: string;
  voter: StaffRef;
  choice: DecisionOutcome;
  castAt: IsoDateTime;
  etag?: string;
}

export interface ConflictDeclaration {
  caseId: string;
  member: StaffRef;
  reason: string;
  declaredAt: IsoDateTime;
  /** The chair rules on exclusion (Dorset 4.5). Undefined until ruled. */
  excluded?: boolean;
  ruledBy?: StaffRef;
}

export interface DecisionRecord {
  outcome: DecisionOutcome;
  decidedAt: IsoDateTime;
  decidedBy: StaffRef[];
  votesFor: number;
  votesCast: number;
  eligibleVoters: number;
  quorumMet: boolean;
  /** Dorset 4.10: that underlying health issues were considered, and by whom. */
  healthConsidered?: { considered: boolean; by?: StaffRef; note?: string };
  restrictions: Restriction[];
  rationale?: string;
}

export interface EmergencyAddition {
  by: StaffRef;
  /** "chair" or "deputy" (Dorset 4.13.2: the deputy acts when the chair is absent). */
  capacity: "chair" | "deputy";
  at: IsoDateTime;
  reason: string;
  ratifiedAt?: IsoDateTime;
  ratificationCaseId?: string;
}

// ---------------------------------------------------------------------------------------------------------
// The register
// ---------------------------------------------------------------------------------------------------------

export const ENTRY_STATUSES = [
  "active",
  "pending-ratification",
  "under-review",
  "removed",
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** Restriction kinds: the catalogue (DOMAIN.md "Restriction"). Which are offered is a policy field. */
export const RESTRICTION_KINDS = [
  "contact-limit",
  "fixed-time-slot",
  "single-channel",
  "single-point-of-contact",
  "home-visits-in-pairs",
  "contact-via-support-worker",
  "meetings-with-witness",
  "building-ban",
  "social-media-blocked",
  "no-further-correspondence-on-matter",
  "correspondence-filed-without-acknowledgement",
  "discretionary-services-restricted",
  "mandatory-service-withdrawn",
  "email-divert",
] as const;
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number];

export interface Restriction {
  id: string;
  kind: RestrictionKind;
  /** Kind-specific parameters, e.g. `{ perWeek: 1 }`, `{ channel: "email" }`, `{ buildings: ["Civic Centre"] }`. */
  params: Record<string, string | number | boolean | string[]>;
  /** Empty means all services (East Suffolk 4.5: restrictions may apply to one service area only). */
  serviceAreas: string[];
  startsOn: IsoDate;
  /** Undefined: until the entry ends (or permanent, for a building ban where the policy allows it). */
  endsOn?: IsoDate;
  /** One sentence telling staff what to do ("Only reply from the SPOC mailbox."). */
  staffInstruction: string;
}

export interface SinglePointOfContact {
  displayName: string;
  /** The SPOC mailbox (a person or a shared inbox). */
  mailbox: string;
  serviceArea?: string;
  phone?: string;
}

export interface RegisterEntry {
  id: string;
  /** Opaque reference, safe in notifications: `CAL-0042`. */
  reference: string;
  subjectId: string;
  caseId?: string;
  riskLevel: RiskLevel;
  categories: IncidentCategory[];
  restrictions: Restriction[];
  /** Up to three lines of guidance for staff, most important first. */
  guidance: string[];
  spoc?: SinglePointOfContact;
  startsOn: IsoDate;
  /** Undefined where the policy allows an indefinite entry (premises risks). */
  expiresOn?: IsoDate;
  nextReviewOn?: IsoDate;
  recordOwner: StaffRef;
  status: EntryStatus;
  appealInProgress: boolean;
  removedOn?: IsoDate;
  removalReason?: string;
  /** Set on removal: when retention ends and the details are purged. */
  purgeAfter?: IsoDate;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  etag?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Warnings, reviews, appeals, letters
// ---------------------------------------------------------------------------------------------------------

export const WARNING_STEPS = ["verbal", "informal-written", "formal-written"] as const;
export type WarningStep = (typeof WARNING_STEPS)[number];

export interface Warning {
  id: string;
  subjectId: string;
  step: WarningStep;
  givenBy: StaffRef;
  givenOn: IsoDate;
  incidentIds: string[];
  note?: string;
}

export const REVIEW_OUTCOMES = ["remove", "extend", "vary"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface ContactNote {
  at: IsoDateTime;
  kind: "positive" | "neutral" | "breach";
  note: string;
  by: StaffRef;
  restrictionId?: string;
}

export interface Review {
  id: string;
  entryId: string;
  dueOn: IsoDate;
  startedAt?: IsoDateTime;
  newIncidentIds: string[];
  contactNotes: ContactNote[];
  /** The raising service's justification, for entries kept for ongoing circumstances. */
  serviceJustification?: string;
  outcome?: ReviewOutcome;
  approvedBy?: StaffRef;
  decidedAt?: IsoDateTime;
  customerTold?: boolean;
  etag?: string;
}

export const APPEAL_OUTCOMES = ["upheld", "varied", "overturned"] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

export interface Appeal {
  id: string;
  entryId: string;
  receivedOn: IsoDate;
  grounds: string;
  decider?: StaffRef;
  decisionDueOn?: IsoDate;
  outcome?: AppealOutcome;
  decidedOn?: IsoDate;
  ombudsmanReferralOn?: IsoDate;
  etag?: string;
}

export const LETTER_TYPES = [
  "warning",
  "restriction",
  "legal-cease-and-desist",
  "review-outcome",
  "appeal-outcome",
  "divert-notice",
] as const;
export type LetterType = (typeof LETTER_TYPES)[number];

export interface Letter {
  id: string;
  subjectId: string;
  entryId?: string;
  type: LetterType;
  issuedBy: StaffRef;
  issuedAt: IsoDateTime;
  /** Parts present in the letter, by the ids the policy's required-contents list uses. */
  parts: string[];
  blobName?: string;
  heldAtReception: boolean;
  equalityQuestionnaireAttached: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Diverts, access, notifications, audit
// ---------------------------------------------------------------------------------------------------------

export interface DivertRecord {
  entryId: string;
  spocMailbox: string;
  targetMailboxes: string[];
  customerToldOn?: IsoDate;
  customerToldHow?: "letter" | "email" | "in-person" | "phone";
}

/** Who may see the register, at which tiers (Dorset 7.1-7.2, West Oxfordshire UCBR). */
export interface AccessGrant {
  id: string;
  /** An Entra group id, a role name, or a user id. */
  principal: { kind: "group" | "role" | "user"; id: string; displayName: string };
  /** Risk tiers this principal may see in full. */
  tiers: RiskLevel[];
  includesPremises: boolean;
  rationale: string;
  grantedBy: StaffRef;
  grantedAt: IsoDateTime;
  expiresOn?: IsoDate;
  /** A revoked grant is kept, not deleted: the record of who had access and why stays (Dorset 7.2). */
  revokedAt?: IsoDateTime;
  revokedBy?: StaffRef;
  revocationReason?: string;
  etag?: string;
}

export interface NotificationSubscription {
  id: string;
  serviceArea: string;
  events: ("added" | "removed")[];
  target: { kind: "teams-channel"; conversationId: string } | { kind: "webhook"; url: string };
}

export const AUDIT_ACTIONS = [
  "lookup",
  "view",
  "create",
  "update",
  "delete",
  "export",
  "letter",
  "decision",
  "vote",
  "divert",
  "purge",
  "access-grant",
  "sar-export",
  "lookup-alert",
  /** Outlook add-in: a member of staff sent to a restricted recipient after giving a reason (issue 5). */
  "send-anyway",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const SURFACES = ["bot", "tab", "addin", "api", "cli", "scheduler", "graph"] as const;
export type Surface = (typeof SURFACES)[number];

/** One audited event. No personal data beyond ids: `what` names what was shown, by reference. */
export interface AuditEvent {
  id: string;
  at: IsoDateTime;
  actorId: string;
  action: AuditAction;
  surface: Surface;
  subjectId?: string;
  entryId?: string;
  /** What was shown or changed, by field or reference, e.g. `["riskLevel","guidance"]` or `CAL-0042`. */
  what: string[];
  /** Hash chain (issue 8): the previous event's hash and this event's. */
  prevHash?: string;
  hash?: string;
  /** Set by the audit store (docs/security.md "Audit chain"): which chain the event is in, and its place there
   * (1, 2, 3… with no gaps), so a deleted or altered event can be named. */
  chainId?: string;
  seq?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Who is asking
// ---------------------------------------------------------------------------------------------------------

/** Application roles (Entra app roles, mapped in config). A person may hold several. */
export const ROLES = [
  "officer",
  "manager",
  "panel-member",
  "chair",
  "register-admin",
  "councillor",
  "contractor",
  "appeal-officer",
  "auditor",
] as const;
export type Role = (typeof ROLES)[number];

/** The caller, as the server has verified them. Built by the token validator; passed to every service. */
export interface Caller {
  /** Entra object id (oid), or a local persona id in development. */
  id: string;
  tenantId: string;
  displayName: string;
  email?: string;
  roles: Role[];
  /** Service areas the caller works in (from group mapping), for service-scoped restrictions. */
  serviceAreas: string[];
  /** Entra group ids from the token (`groups` claim), for access grants made to a group. */
  groups?: string[];
}

/** How much of a register entry a caller may see (EXPERIENCE.md "One shape for a register entry").
 * - `full`: lines 1-5, with history behind "Show history";
 * - `summary`: lines 1-4 (status, guidance, restrictions, review date), no history;
 * - `minimum`: lines 1-2 worded as "Take care" guidance (no register access, e.g. councillors, contractors);
 * - `hidden`: nothing; the caller must not learn the entry exists. */
export type EntryView = "full" | "summary" | "minimum" | "hidden";
