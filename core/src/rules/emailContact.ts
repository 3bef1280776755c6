// Emailing someone on the register: which of their restrictions bear on an email from this member of staff,
// who their single point of contact (SPOC) is, and whether a send should stop for a reason (issue 5 item 3).
//
// The Outlook add-in warns when such a person is added as a recipient and, on send, stops a non-SPOC with a
// soft block that can be overridden with an audited reason. The SPOC is never stopped: replying is their job
// (Dorset 4.11: "all contact through a single point of contact"; Dorset 4.12: mail diverted to the SPOC).
import type { IsoDate, RegisterEntry, Restriction, RestrictionKind } from "../domain";
import { normaliseEmail } from "../normalise";

/** `stop`: a send stops for a reason unless the sender is the SPOC. `warn`: the author is told, nothing stops. */
export type EmailEffect = "stop" | "warn";

export interface EmailRestriction {
  id: string;
  kind: RestrictionKind;
  effect: EmailEffect;
  /** The restriction's own one-sentence instruction to staff. */
  instruction: string;
}

export interface EmailContactCheck {
  /** Restrictions in force today, for this sender's service, that bear on an email. Empty: email freely. */
  restrictions: EmailRestriction[];
  /** The SPOC as the entry names them (for "ask Sam Spoc, Housing"). */
  spoc?: { displayName: string; mailbox: string };
  /** Every mailbox that counts as the SPOC (the entry's, a SPOC restriction's, a divert's), normalised. */
  spocMailboxes: string[];
  /** The sender (their own address or the mailbox they send from) is a SPOC of this entry. */
  senderIsSpoc: boolean;
  /** Whether sending should stop and ask for a reason. Never true for the SPOC. */
  stopsSend: boolean;
}

/** How a restriction bears on an email from staff; undefined when it does not (a building ban, visits in pairs). */
export function emailEffectOf(restriction: Pick<Restriction, "kind" | "params">): EmailEffect | undefined {
  switch (restriction.kind) {
    // Dorset 4.11: contact only through the SPOC, so anyone else replying by mistake is exactly what to stop.
    // Dorset 4.12: their mail is diverted to the SPOC; a reply from anyone else undoes the point of the divert.
    // East Suffolk 4.5.2, West Lindsey 16: correspondence is read and filed without acknowledgement.
    // A support worker: contact goes through them, not to the person directly.
    case "single-point-of-contact":
    case "email-divert":
    case "correspondence-filed-without-acknowledgement":
    case "contact-via-support-worker":
      return "stop";
    // One channel only: an email is a breach unless email is that channel.
    case "single-channel":
      return restriction.params.channel === "email" ? undefined : "stop";
    // East Suffolk 4.5: a reply on a closed matter is not expected, but a new matter may be answered.
    case "no-further-correspondence-on-matter":
      return "warn";
    // A limit on contacts: an email may count towards it, when it covers email (or every channel).
    case "contact-limit":
      return restriction.params.channel === undefined || restriction.params.channel === "email" ? "warn" : undefined;
    default:
      return undefined;
  }
}

function inForce(r: Pick<Restriction, "startsOn" | "endsOn">, today: IsoDate): boolean {
  return r.startsOn <= today && (r.endsOn === undefined || r.endsOn >= today);
}

/** East Suffolk 4.5: a restriction may apply to one service area only; empty means every service. */
function appliesToService(r: Pick<Restriction, "serviceAreas">, serviceAreas: readonly string[]): boolean {
  if (r.serviceAreas.length === 0) return true;
  const mine = new Set(serviceAreas.map((s) => s.trim().toLowerCase()));
  return r.serviceAreas.some((s) => mine.has(s.trim().toLowerCase()));
}

function textParam(r: Pick<Restriction, "params">, name: string): string | undefined {
  const value = r.params[name];
  return typeof value === "string" && value.trim() ? value : undefined;
}

export function checkEmailContact(
  entry: Pick<RegisterEntry, "restrictions" | "spoc">,
  sender: {
    /** The sender's own address and, when different, the mailbox the email goes from (a shared SPOC inbox). */
    addresses: readonly string[];
    serviceAreas: readonly string[];
    today: IsoDate;
  },
): EmailContactCheck {
  const restrictions: EmailRestriction[] = [];
  const spocs = new Set<string>();
  const addSpoc = (mailbox: string | undefined) => {
    const normalised = mailbox ? normaliseEmail(mailbox) : undefined;
    if (normalised) spocs.add(normalised);
  };
  addSpoc(entry.spoc?.mailbox);
  for (const r of entry.restrictions) {
    // SPOC mailboxes count whether or not the restriction naming them is in force for this sender's service:
    // the SPOC is never stopped.
    if (r.kind === "single-point-of-contact") addSpoc(textParam(r, "mailbox"));
    if (r.kind === "email-divert") addSpoc(textParam(r, "spocMailbox"));
    if (!inForce(r, sender.today) || !appliesToService(r, sender.serviceAreas)) continue;
    const effect = emailEffectOf(r);
    if (effect) restrictions.push({ id: r.id, kind: r.kind, effect, instruction: r.staffInstruction });
  }
  const senderAddresses = sender.addresses.map((a) => normaliseEmail(a)).filter((a): a is string => !!a);
  const senderIsSpoc = senderAddresses.some((a) => spocs.has(a));
  const spocRestriction = entry.restrictions.find((r) => r.kind === "single-point-of-contact" && textParam(r, "mailbox"));
  const spoc = entry.spoc
    ? { displayName: entry.spoc.displayName, mailbox: entry.spoc.mailbox }
    : spocRestriction
      ? { displayName: textParam(spocRestriction, "displayName") ?? textParam(spocRestriction, "mailbox")!, mailbox: textParam(spocRestriction, "mailbox")! }
      : undefined;
  return {
    restrictions,
    spoc,
    spocMailboxes: [...spocs],
    senderIsSpoc,
    stopsSend: !senderIsSpoc && restrictions.some((r) => r.effect === "stop"),
  };
}
