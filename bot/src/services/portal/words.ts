// The portal's plain words for the domain's ids (EXPERIENCE.md "Voice"). The server owns them and sends them to
// the tab with the form choices, so a page and a timeline never word the same thing two ways.
import type {
  AuditAction,
  DecisionOutcome,
  EntryStatus,
  ImmediateAction,
  RestrictionKind,
  Role,
  Surface,
} from "../../../../core/src/domain";

export const IMMEDIATE_ACTION_WORDS: Record<ImmediateAction, string> = {
  none: "No action at the time",
  "call-ended": "Call ended",
  "asked-to-leave": "Asked to leave",
  "meeting-ended": "Meeting ended",
  "police-called": "Police called",
  "security-called": "Security called",
  other: "Something else",
};

export const OUTCOME_WORDS: Record<DecisionOutcome, string> = {
  "add-low": "Add to the register at low risk",
  "add-medium": "Add to the register at medium risk",
  "add-high": "Add to the register at high risk",
  "warning-letter": "Warning letter only",
  "spoc-only": "Single point of contact only, without a finding of unreasonable behaviour",
  "no-action": "No action",
};

export const STATUS_WORDS: Record<EntryStatus | "not-listed", string> = {
  active: "On the register",
  "pending-ratification": "Pending ratification",
  "under-review": "Under review",
  removed: "Removed",
  "not-listed": "Reported, not on the register",
};

export const RESTRICTION_WORDS: Record<RestrictionKind, string> = {
  "contact-limit": "Limit on contact",
  "fixed-time-slot": "Fixed time slot for contact",
  "single-channel": "One way of contacting the council",
  "single-point-of-contact": "Single point of contact (SPOC)",
  "home-visits-in-pairs": "Home visits only in pairs",
  "contact-via-support-worker": "Contact through a support worker",
  "meetings-with-witness": "Meetings only with a witness",
  "building-ban": "Banned from named buildings",
  "social-media-blocked": "Blocked on social media",
  "no-further-correspondence-on-matter": "No further correspondence on a closed matter",
  "correspondence-filed-without-acknowledgement": "Correspondence read and filed without a reply",
  "discretionary-services-restricted": "Discretionary services restricted",
  "mandatory-service-withdrawn": "Mandatory service withdrawn",
  "email-divert": "Email divert to the SPOC",
};

export const ROLE_WORDS: Record<Role, string> = {
  officer: "Officer",
  manager: "Manager",
  "panel-member": "Panel member",
  chair: "Chair",
  "register-admin": "Register administrator",
  councillor: "Councillor",
  contractor: "Contractor",
  "appeal-officer": "Appeal officer",
  auditor: "Auditor",
};

// Keyed by string, not AuditAction: other features add actions, and an action without words here still shows.
export const AUDIT_ACTION_WORDS: Record<string, string> & Partial<Record<AuditAction, string>> = {
  lookup: "Looked up",
  view: "Viewed",
  create: "Created",
  update: "Changed",
  delete: "Deleted",
  export: "Exported",
  letter: "Letter",
  decision: "Decision",
  vote: "Vote",
  divert: "Email divert",
  purge: "Purged",
  "access-grant": "Access grant",
  "sar-export": "Subject access export",
  "lookup-alert": "Alert shown",
  "send-anyway": "Sent to a restricted recipient anyway",
};

export const SURFACE_WORDS: Record<Surface, string> = {
  bot: "Teams bot",
  tab: "Staff portal",
  addin: "Outlook",
  api: "API",
  cli: "Command line",
  scheduler: "Scheduled job",
  graph: "Mail marking",
};

/** Words for an audit action id, including ones added after this table (shown as the id). */
export function auditActionWords(action: string): string {
  return AUDIT_ACTION_WORDS[action] ?? action;
}

export function outcomeShort(outcome: DecisionOutcome): string {
  return OUTCOME_WORDS[outcome].replace(/^Add to the register at /, "add at ");
}
