// Compose guard for the Outlook add-in (issue 5 item 3): "is anyone I am writing to on the list with a contact
// restriction, who is their SPOC, and am I it?", and the audited "send anyway" with a reason.
//
// Matching and tiers come from the lookup service (an exact email match, shaped for the caller's view, audited
// as a lookup); which restrictions bear on an email, and whether the sender is the SPOC, is the core rule in
// core/src/rules/emailContact.ts. A hidden entry is treated as no entry: the author must not learn it exists.
import type { Caller, EntryView, IsoDateTime, RegisterEntry, RestrictionKind, RiskLevel } from "../../../core/src/domain";
import { checkEmailContact, type EmailEffect } from "../../../core/src/rules/emailContact";
import type { LookupMatch, LookupService } from "./lookup";
import type { Stores } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";

export interface RecipientGuard {
  /** The address as the author typed it. */
  address: string;
  valid: boolean;
  listed: boolean;
  reference?: string;
  view?: Exclude<EntryView, "hidden">;
  statusLine?: string;
  riskLevel?: RiskLevel;
  riskLabel?: string;
  /** EXPERIENCE.md line 2: what to do, at most three lines (includes the SPOC line where there is one). */
  whatToDo: string[];
  /** Restrictions that bear on an email. Only their kind and effect for the minimum view, never the text. */
  restrictions: { kind: RestrictionKind; effect: EmailEffect; text?: string }[];
  spoc?: { displayName: string; mailbox: string };
  /** The author (or the mailbox they send from) is this person's SPOC: never stopped. */
  youAreSpoc: boolean;
  /** Sending stops and asks for a reason. */
  stopsSend: boolean;
  /** Something to tell the author, even if nothing stops. */
  warns: boolean;
}

export const SEND_ANYWAY_REASONS = {
  "spoc-asked": "The single point of contact (SPOC) asked me to reply",
  "covering-spoc": "I am covering for the SPOC while they are away",
  "new-matter": "It is a new matter that my service must answer",
  "statutory-notice": "It is a legal or statutory notice my service must send",
  safeguarding: "There is a safeguarding concern that cannot wait",
  other: "Another reason, agreed with my manager",
} as const;
export type SendAnywayReason = keyof typeof SEND_ANYWAY_REASONS;
export const SEND_ANYWAY_REASON_IDS = Object.keys(SEND_ANYWAY_REASONS) as SendAnywayReason[];

export type SendAnywayOutcome =
  | { ok: true; recorded: { reference: string; auditId: string }[]; at: IsoDateTime }
  | { ok: false; code: "SEND_ANYWAY_NOT_NEEDED"; message: string };

export interface ComposeGuardDeps {
  lookup: Pick<LookupService, "checkSenders">;
  stores: Pick<Stores, "register" | "audit">;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
}

export class ComposeGuardService {
  constructor(private readonly deps: ComposeGuardDeps) {}

  /** One answer per address, in the order given. `from` is the mailbox the email goes from, when not the caller's. */
  async checkRecipients(caller: Caller, addresses: string[], from?: string): Promise<RecipientGuard[]> {
    return (await this.check(caller, addresses, from)).map(({ guard }) => guard);
  }

  private async check(caller: Caller, addresses: string[], from?: string): Promise<{ guard: RecipientGuard; subjectId?: string; entryId?: string }[]> {
    const checked = await this.deps.lookup.checkSenders(caller, addresses, "addin");
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const senderAddresses = [caller.email, from].filter((a): a is string => !!a);
    const entries = new Map<string, Promise<RegisterEntry[]>>();
    const entriesOf = (subjectId: string) => {
      let found = entries.get(subjectId);
      if (!found) entries.set(subjectId, (found = this.deps.stores.register.listBySubject(subjectId)));
      return found;
    };
    return Promise.all(
      checked.map(async (result) => {
        const base: RecipientGuard = { address: result.address, valid: result.valid, listed: false, whatToDo: [], restrictions: [], youAreSpoc: false, stopsSend: false, warns: false };
        if (!result.listed || result.matches.length === 0) return { guard: base };
        const guards = await Promise.all(result.matches.map(async (m) => this.guardFor(m, await entriesOf(m.subjectId), senderAddresses, caller.serviceAreas, today)));
        // Two subjects sharing one address (rare): show the first (highest risk) card, stop if any stops.
        const first = guards[0]!;
        return {
          subjectId: first.subjectId,
          entryId: first.entryId,
          guard: {
            ...first.guard,
            address: result.address,
            stopsSend: guards.some((g) => g.guard.stopsSend),
            warns: guards.some((g) => g.guard.warns),
            youAreSpoc: guards.every((g) => g.guard.youAreSpoc),
          },
        };
      }),
    );
  }

  /** Records that the caller chose to send anyway, with a reason, once per restricted person. Re-checks the
   * recipients itself, so only a real override is recorded and nobody can audit a person they cannot see. */
  async recordSendAnyway(
    caller: Caller,
    input: { addresses: string[]; from?: string; reason: SendAnywayReason; note?: string },
  ): Promise<SendAnywayOutcome> {
    const checked = await this.check(caller, input.addresses, input.from);
    const stopped = checked.filter((c) => c.guard.stopsSend && c.guard.reference);
    if (stopped.length === 0) {
      return { ok: false, code: "SEND_ANYWAY_NOT_NEEDED", message: "None of these recipients has a restriction that stops you sending, so there is nothing to record. You can send the email." };
    }
    const at = this.deps.clock.now().toISOString();
    const note = input.note?.replace(/\s+/g, " ").trim();
    const byReference = new Map(stopped.map((c) => [c.guard.reference!, c]));
    const recorded: { reference: string; auditId: string }[] = [];
    for (const [reference, { guard, subjectId, entryId }] of byReference) {
      const auditId = this.deps.ids.next();
      await this.deps.stores.audit.append({
        id: auditId,
        at,
        actorId: caller.id,
        action: "send-anyway",
        surface: "addin",
        subjectId,
        entryId,
        what: [
          reference,
          `reason:${input.reason}`,
          ...guard.restrictions.filter((r) => r.effect === "stop").map((r) => `restriction:${r.kind}`),
          // The member of staff's own words: the form asks them to leave the customer's details out.
          ...(note ? [`note:${note}`] : []),
        ],
      });
      recorded.push({ reference, auditId });
    }
    this.deps.logger.info("addin.send_anyway", { entries: recorded.length, reason: input.reason });
    return { ok: true, recorded, at };
  }

  private guardFor(
    match: LookupMatch,
    entries: RegisterEntry[],
    senderAddresses: string[],
    serviceAreas: string[],
    today: string,
  ): { guard: RecipientGuard; subjectId: string; entryId?: string } {
    const card = match.card;
    const entry = entries.find((e) => e.reference === card.reference);
    const contact = entry ? checkEmailContact(entry, { addresses: senderAddresses, serviceAreas, today }) : undefined;
    const minimum = card.view === "minimum";
    const restrictions = (contact?.restrictions ?? []).map((r) => (minimum ? { kind: r.kind, effect: r.effect } : { kind: r.kind, effect: r.effect, text: r.instruction }));
    return {
      subjectId: match.subjectId,
      entryId: entry?.id,
      guard: {
        address: match.matchedValue,
        valid: true,
        listed: true,
        reference: card.reference,
        view: card.view,
        statusLine: card.statusLine,
        riskLevel: card.riskLevel,
        riskLabel: card.riskLabel,
        whatToDo: card.whatToDo,
        restrictions,
        spoc: contact?.spoc,
        youAreSpoc: contact?.senderIsSpoc ?? false,
        stopsSend: contact?.stopsSend ?? false,
        warns: restrictions.length > 0,
      },
    };
  }
}
