// One declarative permission table (issue 8 item 1). Every API route and card action names one of these
// permissions; the HTTP layer refuses to register a route whose permission is not here, and the authorisation
// matrix test is generated from this table. Which *tier* of an entry a caller sees is a separate, policy-driven
// rule (core/src/rules/access.ts); this table says who may call what at all.
import { ROLES, type Caller, type Role } from "../../../core/src/domain";
import type { RateLimitClass } from "./rateLimit";

export type Audience = "public" | "signed-in" | readonly Role[];

export interface PermissionRule {
  audience: Audience;
  description: string;
  /** Requests under this permission take from the caller's token bucket of this kind (rateLimit.ts); over
   * the limit the router answers 429 RATE_LIMITED before the handler runs. */
  rateLimit?: RateLimitClass;
  /** Why answers under this permission may show more about a subject than the caller's tier allows (oversight:
   * the audit trail, subject access). The authorisation matrix holds every other route to the caller's tier. */
  beyondTier?: string;
}

const STAFF: readonly Role[] = ROLES;

export const PERMISSIONS = {
  "health.read": { audience: "public", description: "Anyone may ask whether the service is up." },
  "dev.signin": { audience: "public", description: "Local development sign-in (only exists when enabled in local config)." },
  "me.read": { audience: "signed-in", description: "Anyone signed in may see who CALM thinks they are and their roles." },
  "senders.check": { audience: STAFF, rateLimit: "senders", description: "Any member of staff, councillor or contractor may check whether email senders are listed; each sees only their tier." },
  "lookup.search": { audience: STAFF, rateLimit: "lookup", description: "Any member of staff, councillor or contractor may look a person or address up; each sees only their tier." },
  // Security and privacy (issue 8).
  "audit.verify": { audience: ["auditor", "register-admin"], description: "Auditors (the Information Asset Owner, the DPO) and register administrators may check that the audit log's hash chain is intact." },
  "sar.export": { audience: ["auditor"], beyondTier: "A subject access export must hold everything about the person, whatever anyone's tier.", description: "Auditors (the DPO) may export everything CALM holds about one person for a subject access request; the export is itself audited." },
  "addin.wellKnown": { audience: "public", description: "Anyone may read which add-in scripts this origin allows to use single sign-on (Office's well-known URI for event-based add-ins)." },
  "addin.use": { audience: STAFF, description: "Anyone with a CALM role may use the Outlook add-in: it reads the register's name, the reasons offered for sending anyway, and finds their own open persistent-contact report on a sender." },
  "addin.recipients.check": { audience: STAFF, rateLimit: "senders", description: "Anyone with a CALM role may check, while writing an email, whether a recipient has a contact restriction and who their single point of contact is; each sees only their tier." },
  "addin.sendAnyway": { audience: STAFF, description: "Anyone with a CALM role may send to a recipient with a contact restriction after giving a reason; the reason is audited against the entry." },
  "policy.read": { audience: STAFF, description: "Anyone with a CALM role may read the policy in force in plain language." },
  // Incidents, cases and the vote (issue 3). Who may see one incident or case is narrowed further by the service.
  "incidents.report": { audience: ["officer", "manager", "panel-member", "chair", "register-admin", "councillor", "contractor", "appeal-officer"], description: "Staff, councillors and contractors may report an incident, add evidence and further contacts to their own report (East Suffolk 3.3, 4.1-4.2)." },
  "incidents.emailEvidence": { audience: ["officer", "manager", "panel-member", "chair", "register-admin", "councillor", "contractor", "appeal-officer"], description: "Those who may report may attach an email from their own mailbox, or a shared mailbox they can open, to their own report (or, for managers and register administrators, any report): CALM reads it from Microsoft 365 as them, so never mail they could not read themselves." },
  "incidents.read": { audience: STAFF, description: "The reporter may read their own report; managers, the decision body and register administrators may read any." },
  "cases.refer": { audience: ["manager", "register-admin", "chair"], description: "Managers (and register administrators, the chair) refer a case to the decision body." },
  "cases.read": { audience: ["manager", "panel-member", "chair", "register-admin"], description: "The decision body, the presenting manager and register administrators see a case and its vote as far as each may." },
  "cases.vote": { audience: ["panel-member", "chair"], description: "Members of the decision body vote and declare conflicts on cases they sit on; membership, not the role alone, decides." },
  "cases.rule": { audience: ["chair", "register-admin"], description: "The chair rules on a member's conflict of interest (Dorset 4.5); a register administrator records a ruling on the chair's own conflict." },
  "cases.close": { audience: ["chair"], description: "The chair closes the vote; the outcome follows the policy's quorum and majority (Dorset 4.4, 4.9)." },
  "cases.emergency": { audience: ["chair", "manager", "panel-member", "register-admin"], description: "The chair, or the named deputy when the chair is absent, may add someone at high risk at once, pending ratification (Dorset 4.13.2); the service checks the seat." },
  "bot.messages": { audience: STAFF, description: "The Bot Framework delivers Teams activities here (the route checks the Bot Framework's own token, not a CALM token); each command and card action then checks the sender's CALM roles." },
  // The staff portal (issue 4). Which entries a caller sees is still the policy's tier rule, widened by grants.
  "portal.meta": { audience: STAFF, description: "Anyone with a CALM role may open the staff portal: which pages they have and the words for the form choices." },
  "register.browse": { audience: STAFF, description: "Anyone with a CALM role may search and filter the register in the portal; each sees only the entries their tier and grants allow, in summary or full." },
  "register.unlisted": { audience: ["manager", "panel-member", "chair", "register-admin"], description: "Managers, the decision body and register administrators also see people reported but not (yet) on the register, to refer them." },
  "subjects.read": { audience: STAFF, description: "Anyone with a CALM role may open a person's or place's page at the tier they may see; history only with full access." },
  "restrictions.edit": { audience: ["manager", "register-admin"], description: "Record owners (managers) and register administrators may change the restrictions of an entry they see in full." },
  "contacts.record": { audience: ["officer", "manager", "panel-member", "chair", "register-admin"], description: "Staff who deal with a listed person may record positive or neutral contact for the next review (East Suffolk 4.7)." },
  "reviews.read": { audience: ["manager", "panel-member", "chair", "register-admin", "appeal-officer"], description: "Managers, the decision body, register administrators and appeal officers may list reviews due and appeals in progress." },
  "grants.read": { audience: ["register-admin", "chair", "auditor"], description: "Register administrators, chairs and auditors may see who has access to which tiers, why, and who granted it (Dorset 7.2)." },
  "grants.manage": { audience: ["register-admin", "chair"], description: "Register administrators and chairs may grant and revoke access to the register (Dorset 7.1: on a need-to-know basis)." },
  "audit.subject": { audience: ["auditor", "register-admin"], beyondTier: "The audit trail names the entries people looked at, by reference, so oversight can see who saw what.", description: "Auditors (the Information Asset Owner, the DPO) and register administrators may read who did what to a subject's record." },
  "directory.search": { audience: ["register-admin", "chair"], description: "Those who grant access may search the staff directory for a person or group." },
  // The lifecycle (issue 7): warnings, reviews, appeals, letters, notifications, retention, reports. Entry-level
  // answers are further held to the caller's view of each entry.
  "warnings.read": { audience: ["officer", "manager", "panel-member", "chair", "register-admin", "appeal-officer"], description: "Staff, managers, the decision body, register administrators and appeal officers may see a person's warnings and the next step the policy suggests." },
  "warnings.record": { audience: ["officer", "manager", "panel-member", "chair", "register-admin"], description: "Staff may record the warnings they give (West Lindsey 10.1: staff give informal warnings); managers and the decision body the written ones." },
  "restrictions.immediate": { audience: ["manager", "panel-member", "chair", "register-admin"], description: "Managers, the decision body and register administrators may restrict contact at once on the grounds the policy names (West Lindsey 12.3), with the reason." },
  "contacts.breach": { audience: ["officer", "manager", "panel-member", "chair", "register-admin"], description: "Staff who deal with a listed person may log a contact that breached one of the entry's restrictions." },
  "reviews.start": { audience: ["panel-member", "chair", "register-admin"], description: "The decision body and register administrators may bring a review forward." },
  "reviews.justify": { audience: ["manager", "register-admin"], description: "The raising service (its manager) gives its justification for keeping an entry made for ongoing circumstances (East Suffolk 4.7)." },
  "reviews.decide": { audience: ["panel-member", "chair", "register-admin"], description: "The decision body and register administrators record a review's outcome, as approved by the body the policy names." },
  "appeals.record": { audience: ["register-admin"], description: "Register administrators record appeals as they arrive, withdrawals and Ombudsman referrals." },
  "appeals.decide": { audience: ["appeal-officer"], description: "Appeal officers decide appeals; where the policy says so, not on a decision they took part in (West Oxfordshire, Appeal)." },
  "letters.read": { audience: ["manager", "panel-member", "chair", "register-admin", "appeal-officer"], description: "Managers, the decision body, register administrators and appeal officers may see and open the letters sent about an entry they see in full." },
  "letters.produce": { audience: ["manager", "register-admin"], description: "Managers (who draft letters) and register administrators (who send them) may produce letters; a letter missing a part the policy requires is refused." },
  "notifications.manage": { audience: ["register-admin"], description: "Register administrators manage which services are told when someone is added to or removed from the register (East Suffolk 3.1), and read the delivery log." },
  "retention.read": { audience: ["register-admin", "auditor"], beyondTier: "The Information Asset Owner checks what retention will delete, so the dry run names removed entries by reference whatever their tier.", description: "Register administrators and auditors (the Information Asset Owner, the DPO) may see what the retention purge would delete (a dry run)." },
  "retention.purge": { audience: ["register-admin", "auditor"], description: "Register administrators and auditors may purge a removed entry by hand, with a reason, where the policy sets no retention period or for an erasure request." },
  "scheduler.read": { audience: ["register-admin", "auditor", "chair"], description: "Register administrators, auditors and chairs may see when the lifecycle scheduler runs next and what its last run did." },
  "scheduler.run": { audience: ["register-admin"], description: "Register administrators may run the lifecycle scheduler now (reviews due, expiry, reminders, notifications, retention)." },
  "reports.read": { audience: ["manager", "panel-member", "chair", "register-admin", "auditor"], description: "Managers, the decision body, register administrators and auditors may see and export the quarterly report (counts only, no names)." },
  // Graph mail protection (issue 6): SPOC email diverts (Dorset 4.11-4.12) and Graph's change notifications.
  "graph.notifications": { audience: "public", description: "Microsoft Graph posts change notifications here; each is checked against the subscription's secret clientState, not a CALM token." },
  "diverts.read": { audience: ["manager", "panel-member", "chair", "register-admin"], description: "Managers, the decision body and register administrators may see an entry's email divert and how its jobs are going." },
  "diverts.manage": { audience: ["register-admin", "chair"], description: "Register administrators and the chair apply and lift SPOC email diverts as the decision says, record when the customer was told, and repair rules changed by hand." },
  "diverts.councillorChoice": { audience: ["councillor", "register-admin"], description: "Ward councillors choose whether diverts apply to their own mailbox (Dorset 4.12); a register administrator may record the choice for them." },
} as const satisfies Record<string, PermissionRule>;

export type PermissionId = keyof typeof PERMISSIONS;

export function isPermissionId(id: string): id is PermissionId {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, id);
}

// ---------------------------------------------------------------------------------------------------------
// The authorisation matrix (tests/security/matrix.test.ts calls every route and card action as each of these)
// ---------------------------------------------------------------------------------------------------------

/** Everyone the matrix tries: each role on its own, and nobody signed in. */
export const PRINCIPALS = [...ROLES, "anonymous"] as const;
export type Principal = (typeof PRINCIPALS)[number];
/** allowed: the handler runs · forbidden: 403 FORBIDDEN · sign-in: 401, a token is needed. */
export type Outcome = "allowed" | "forbidden" | "sign-in";

/** What must happen when `principal` asks for something under `permission`, derived from the table above. */
export function expectedOutcome(permission: PermissionId, principal: Principal): Outcome {
  const audience: Audience = PERMISSIONS[permission].audience;
  if (audience === "public") return "allowed";
  if (principal === "anonymous") return "sign-in";
  if (audience === "signed-in") return "allowed";
  return audience.includes(principal) ? "allowed" : "forbidden";
}

/** The whole matrix: permission → principal → outcome. */
export function permissionMatrix(): Record<PermissionId, Record<Principal, Outcome>> {
  const matrix = {} as Record<PermissionId, Record<Principal, Outcome>>;
  for (const id of Object.keys(PERMISSIONS) as PermissionId[]) {
    matrix[id] = Object.fromEntries(PRINCIPALS.map((p) => [p, expectedOutcome(id, p)])) as Record<Principal, Outcome>;
  }
  return matrix;
}

/** Whether a caller (undefined = anonymous) holds a permission. */
export function allows(permission: PermissionId, caller: Caller | undefined): boolean {
  const audience: Audience = PERMISSIONS[permission].audience;
  if (audience === "public") return true;
  if (!caller) return false;
  if (audience === "signed-in") return true;
  return caller.roles.some((r) => audience.includes(r));
}
