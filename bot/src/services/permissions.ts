// One declarative permission table (issue 8 item 1). Every API route and card action names one of these
// permissions; the HTTP layer refuses to register a route whose permission is not here, and the authorisation
// matrix test is generated from this table. Which *tier* of an entry a caller sees is a separate, policy-driven
// rule (core/src/rules/access.ts); this table says who may call what at all.
import { ROLES, type Caller, type Role } from "../../../core/src/domain";

export type Audience = "public" | "signed-in" | readonly Role[];

export interface PermissionRule {
  audience: Audience;
  description: string;
}

const STAFF: readonly Role[] = ROLES;

export const PERMISSIONS = {
  "health.read": { audience: "public", description: "Anyone may ask whether the service is up." },
  "dev.signin": { audience: "public", description: "Local development sign-in (only exists when enabled in local config)." },
  "me.read": { audience: "signed-in", description: "Anyone signed in may see who CALM thinks they are and their roles." },
  "senders.check": { audience: STAFF, description: "Any member of staff, councillor or contractor may check whether email senders are listed; each sees only their tier." },
  "lookup.search": { audience: STAFF, description: "Any member of staff, councillor or contractor may look a person or address up; each sees only their tier." },
  "addin.use": { audience: STAFF, description: "Anyone with a CALM role may use the Outlook add-in: it reads the register's name and the reasons offered for sending anyway." },
  "addin.recipients.check": { audience: STAFF, description: "Anyone with a CALM role may check, while writing an email, whether a recipient has a contact restriction and who their single point of contact is; each sees only their tier." },
  "addin.sendAnyway": { audience: STAFF, description: "Anyone with a CALM role may send to a recipient with a contact restriction after giving a reason; the reason is audited against the entry." },
  "policy.read": { audience: STAFF, description: "Anyone with a CALM role may read the policy in force in plain language." },
} as const satisfies Record<string, PermissionRule>;

export type PermissionId = keyof typeof PERMISSIONS;

export function isPermissionId(id: string): id is PermissionId {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, id);
}

/** Whether a caller (undefined = anonymous) holds a permission. */
export function allows(permission: PermissionId, caller: Caller | undefined): boolean {
  const audience: Audience = PERMISSIONS[permission].audience;
  if (audience === "public") return true;
  if (!caller) return false;
  if (audience === "signed-in") return true;
  return caller.roles.some((r) => audience.includes(r));
}
