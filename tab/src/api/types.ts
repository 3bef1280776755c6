// What the API answers, as the tab reads it. The portal's own shapes come from the server's service types (type
// imports only: nothing of the server is bundled); incidents and cases follow docs/api.md.
import type { Case, DecisionOutcome, DecisionRecord, Incident, IsoDate, Restriction, RiskLevel, StaffRef } from "../../../core/src/domain";
import type { ProfileSection } from "../../../core/src/policy/describe";
export type { EntryCardModel } from "../../../core/src/present/entryCard";
export type { EntryPanel, RegisterQuery, RegisterRow, RestrictionInput, SubjectPage, WorkSection } from "../../../bot/src/services/portal/portal";
export type { TimelineItem } from "../../../bot/src/services/portal/timeline";
export type { AuditChainProblem, AuditVerification } from "../../../bot/src/ports/stores";
export type { Case, DecisionOutcome, Incident, Restriction, RiskLevel };

export interface Persona {
  id: string;
  displayName: string;
  roles: string[];
  description: string;
}

export interface Choice {
  id: string;
  label: string;
}

export interface Meta {
  registerName: string;
  presetId: string | null;
  me: { id: string; displayName: string; roles: string[]; roleText: string[]; serviceAreas: string[] };
  can: Record<string, boolean>;
  choices: {
    riskLevels: { id: RiskLevel; label: string }[];
    categories: Choice[];
    channels: Choice[];
    immediateActions: Choice[];
    outcomes: Choice[];
    statuses: Choice[];
    restrictionKinds: Choice[];
    serviceAreas: string[];
    premisesEnabled: boolean;
    multiContactCategories: string[];
  };
}

export interface SearchResult {
  rows: import("../../../bot/src/services/portal/portal").RegisterRow[];
  total: number;
  truncated: boolean;
  serviceAreas: string[];
  today: IsoDate;
}

export interface WorkList {
  today: IsoDate;
  overdue: import("../../../bot/src/services/portal/portal").RegisterRow[];
  dueSoon: import("../../../bot/src/services/portal/portal").RegisterRow[];
  upcoming: import("../../../bot/src/services/portal/portal").RegisterRow[];
  appeals: (import("../../../bot/src/services/portal/portal").RegisterRow & { note: string })[];
  sections: import("../../../bot/src/services/portal/portal").WorkSection[];
}

export interface Grant {
  id: string;
  principal: { kind: "group" | "role" | "user"; id: string; displayName: string };
  tiers: RiskLevel[];
  includesPremises: boolean;
  rationale: string;
  grantedBy: StaffRef;
  grantedAt: string;
  expiresOn?: IsoDate;
  revokedAt?: string;
  revokedBy?: StaffRef;
  revocationReason?: string;
  active: boolean;
}

export interface Principal {
  kind: "user" | "group";
  id: string;
  displayName: string;
  detail?: string;
}

export interface AuditRow {
  id: string;
  at: string;
  actorId: string;
  actorName: string;
  action: string;
  actionText: string;
  surface: string;
  surfaceText: string;
  what: string[];
}

export interface AuditTrail {
  subjectId: string;
  references: string[];
  events: AuditRow[];
  directoryAvailable: boolean;
}

export interface Settings {
  presetId: string;
  council: string;
  policyTitle: string;
  registerName: string;
  sections: ProfileSection[];
}

export interface Explanation {
  dates: { id: string; label: string; date: IsoDate | null; text: string }[];
  sources: string[];
}

// ------------------------------------------------------------------------------------------------------
// Incidents and cases (docs/api.md "Incidents", "Cases, votes and decisions")
// ------------------------------------------------------------------------------------------------------

export interface SubjectDraft {
  kind: "person" | "representative" | "premises";
  displayName: string;
  aliases?: string[];
  emails?: string[];
  phones?: string[];
  addresses?: { lines: string[]; town?: string; postcode?: string }[];
  dateOfBirth?: string;
}

export interface IncidentDraft {
  subject: { existingId: string } | { new: SubjectDraft };
  occurredAt: string;
  location: string;
  channel: string;
  serviceArea: string;
  category: string;
  description: string;
  witnesses: { name: string; statement: string; isStaff?: boolean }[];
  policeReference?: string;
  hateIncident: boolean;
  immediateAction: string;
  immediateActionNote?: string;
  externalEvidence?: { kind: "cctv" | "other"; reference: string }[];
  /** One report covering many contacts (East Suffolk 4.2), where the policy allows it for the category. */
  contacts?: { at: string; channel: string; summary: string }[];
}

export interface ReportResponse {
  incident: Incident;
  duplicate: boolean;
  subjectCreated: boolean;
  whatHappensNext: string[];
  evidenceUpload: { url: string; maxBytes: number; allowedTypes: string[] };
}

export interface EvidenceResponse {
  evidence: { id: string; kind: string; fileName?: string; contentType?: string; sizeBytes?: number; addedAt: string };
  duplicate: boolean;
}

export interface Ballot {
  open: boolean;
  members: { id: string; displayName: string; chair: boolean; voted: boolean; conflict: "declared" | "excluded" | "may-vote" | null }[];
  votesCast: number;
  eligible: number;
  quorum: number | null;
  quorumMet: boolean;
  progressText: string;
  notVoted: { id: string; displayName: string }[];
  tally: Record<DecisionOutcome, number> | null;
  result: { ok: true; outcome: DecisionOutcome; votesFor: number } | { ok: false; code: string; message: string };
  yourVote: DecisionOutcome | null;
  you: { member: boolean; chair: boolean; canVote: boolean; canClose: boolean; conflict: "declared" | "excluded" | "may-vote" | null };
  sources: string[];
}

export type CaseRecord = Case & {
  recommendedGuidance?: string[];
  members?: { id: string; displayName: string }[];
  chairId?: string;
  ratifiesCaseId?: string;
  entry?: { id: string; reference: string; status: string };
  decision?: DecisionRecord;
};

export interface CaseView {
  case: CaseRecord;
  ballot: Ballot;
  conflicts?: { memberId: string; displayName: string; reason: string; declaredAt: string; excluded?: boolean; ruledBy?: StaffRef }[];
}

export interface ReferralDraft {
  subjectId: string;
  incidentIds: string[];
  recommendedOutcome: string;
  summary: string;
  papersUrl?: string;
  recommendedRestrictions?: Partial<Restriction>[];
  recommendedGuidance?: string[];
}

export interface CloseResponse {
  case: CaseRecord;
  decision: DecisionRecord;
  entry: { id: string; reference: string; status: string } | null;
  alreadyClosed: boolean;
}

export interface LookupMatch {
  subjectId: string;
  certainty: "exact" | "possible";
  matchedOn: "email" | "phone" | "name";
  matchedValue: string;
  card: import("../../../core/src/present/entryCard").EntryCardModel;
}
