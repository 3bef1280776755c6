// What CALM's inbox rule looks like, how CALM recognises its own rules, and how a rule found in a mailbox
// differs from the one CALM made (the reconciler's drift). Pure functions.
//
// Dorset 4.11: mail from the person is sent to the SPOC. A redirect keeps the sender (the SPOC sees who
// wrote) but also leaves the original in the recipient's Inbox, so the rule moves the original to a named
// folder: nothing is lost and the recipient is not confronted with it. `stopProcessingRules` keeps the
// recipient's own rules (an auto-reply, a forward) away from the message.
import type { GraphRecipient, MessageRule, NewMessageRule } from "../../ports/graph";
import type { DivertDesired, DriftKind } from "../../ports/divertJobs";

/** Every rule CALM makes starts with this, then the entry's opaque reference. Never a name. */
export const RULE_PREFIX = "CALM divert ";

/** The folder the originals are moved to. Neutral wording: the person's name never appears. */
export const DEFAULT_FOLDER_NAME = "Diverted to single point of contact";

/** CALM's rules run first. */
export const RULE_SEQUENCE = 1;

const REFERENCE_SHAPE = /^[A-Za-z][A-Za-z0-9]{0,15}-\d{1,9}$/;

export function isOpaqueReference(reference: string): boolean {
  return REFERENCE_SHAPE.test(reference);
}

export function ruleNameFor(reference: string): string {
  return `${RULE_PREFIX}${reference}`;
}

export function isCalmRule(rule: Pick<MessageRule, "displayName">): boolean {
  return rule.displayName.startsWith(RULE_PREFIX);
}

function recipients(addresses: string[]): GraphRecipient[] {
  return addresses.map((address) => ({ emailAddress: { address } }));
}

export function desiredRule(desired: DivertDesired, folderId: string): NewMessageRule {
  return {
    displayName: desired.ruleName,
    sequence: RULE_SEQUENCE,
    isEnabled: true,
    conditions: { fromAddresses: recipients(desired.senderAddresses) },
    actions: { redirectTo: recipients([desired.spocMailbox]), moveToFolder: folderId, stopProcessingRules: true },
  };
}

function addressSet(list: GraphRecipient[] | undefined): string {
  return [...new Set((list ?? []).map((r) => r.emailAddress.address.trim().toLowerCase()))].sort().join("\n");
}

/** How a rule CALM made differs from what it should be. `folderId`: the folder the rule should move to,
 * when known; otherwise any folder will do. Name differences are the caller's business (`renamed`). */
export function ruleDrift(rule: MessageRule, desired: DivertDesired, folderId?: string): DriftKind[] {
  const kinds: DriftKind[] = [];
  if (!rule.isEnabled) kinds.push("disabled");
  const a = rule.actions;
  const changed =
    addressSet(rule.conditions.fromAddresses) !== addressSet(recipients(desired.senderAddresses)) ||
    rule.conditions.other !== undefined ||
    rule.exceptions !== undefined ||
    addressSet(a.redirectTo) !== addressSet(recipients([desired.spocMailbox])) ||
    (a.forwardTo?.length ?? 0) > 0 ||
    a.copyToFolder !== undefined ||
    a.delete === true ||
    a.permanentDelete === true ||
    a.other !== undefined ||
    a.stopProcessingRules !== true ||
    a.moveToFolder === undefined ||
    (folderId !== undefined && a.moveToFolder !== folderId) ||
    rule.hasError === true;
  if (changed) kinds.push("changed");
  return kinds;
}

/** The folder CALM's rules in this mailbox already move to, if any (saves looking the folder up). */
export function knownFolderId(rules: MessageRule[], own?: MessageRule): string | undefined {
  if (own?.actions.moveToFolder && !own.hasError) return own.actions.moveToFolder;
  return rules.find((r) => isCalmRule(r) && r.actions.moveToFolder && !r.hasError)?.actions.moveToFolder;
}
