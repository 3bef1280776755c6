// Restrictions from the council's catalogue (East Suffolk 4.5.2, West Lindsey 15.2, Tamworth 8, West
// Oxfordshire Step 3, Dorset 4.1): each with its parameters, scoped to all services or named ones (East Suffolk
// 4.5, West Lindsey 15.1), and one sentence telling staff what to do. Contacts that breach a restriction, and
// positive or neutral contact (East Suffolk 4.7), are logged against the entry for its next review.
import type { Caller, IsoDate, RegisterEntry, Restriction, RestrictionKind } from "../../../../core/src/domain";
import { RESTRICTION_KINDS } from "../../../../core/src/domain";
import { checkRestriction, offeredRestriction } from "../../../../core/src/rules/restrictions";
import { sourceOf } from "../../../../core/src/policy/sources";
import type { ParamSpec } from "../../../../core/src/policy/schema";
import type { ContactRecord } from "../../ports/lifecycle";
import { ok, refuse, staffRef, type LifecycleContext, type Refusal, type Result } from "./context";

type Params = Restriction["params"];

export interface RestrictionInput {
  kind: RestrictionKind;
  params?: Params;
  /** Empty or absent: all services. */
  serviceAreas?: string[];
  startsOn?: IsoDate;
  endsOn?: IsoDate;
  /** One sentence for staff; CALM drafts one from the parameters when absent. */
  staffInstruction?: string;
  /** West Lindsey 15.4: withdrawing a mandatory service is a last resort; say why it has come to that. */
  lastResortReason?: string;
}

export interface CatalogueItem {
  kind: RestrictionKind;
  label: string;
  params: Record<string, ParamSpec>;
  permanentAllowed: boolean;
  lastResort: boolean;
  /** What staff would be told with example parameters. */
  exampleInstruction: string;
}

const list = (v: Params[string] | undefined): string => (Array.isArray(v) ? v.join(", ") : String(v ?? ""));
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** One sentence for staff, from the kind and its parameters (EXPERIENCE.md: "say what to do"). */
export function draftInstruction(kind: RestrictionKind, params: Params): string {
  switch (kind) {
    case "contact-limit": {
      const n = Number(params.contacts ?? 1);
      const minutes = params.maxMinutes === undefined ? "" : ` of up to ${String(params.maxMinutes)} minutes`;
      const via = params.channel === undefined ? "" : ` by ${String(params.channel)}`;
      return `Accept no more than ${n} contact${n === 1 ? "" : "s"}${minutes}${via} a ${String(params.per ?? "week")}; take a message for any other.`;
    }
    case "fixed-time-slot":
      return `Take calls only on ${list(params.days)} between ${String(params.from ?? "")} and ${String(params.to ?? "")}; at any other time, take a message.`;
    case "single-channel":
      return `Deal with them only by ${String(params.channel ?? "the agreed channel")}; ask them politely to use it for anything else.`;
    case "single-point-of-contact":
      return `Pass every contact to the single point of contact, ${String(params.displayName ?? "")} (${String(params.mailbox ?? "")}), and do not reply yourself.`;
    case "home-visits-in-pairs":
      return "Visit their home only in pairs, and tell the office when you arrive and when you leave.";
    case "contact-via-support-worker":
      return params.supportWorker === undefined
        ? "Deal with them only through their support worker."
        : `Deal with them only through their support worker, ${String(params.supportWorker)}.`;
    case "meetings-with-witness":
      return `Meet them only with a witness present${params.location === undefined ? " and in a suitable place" : ` at ${String(params.location)}`}.`;
    case "building-ban":
      return `Do not admit them to ${list(params.buildings)}${params.permanent === true ? "" : " while this restriction lasts"}; call security if they arrive.`;
    case "social-media-blocked":
      return "Do not respond to them on the council's social media; their accounts are blocked from tagging or commenting.";
    case "no-further-correspondence-on-matter":
      return `Do not register or answer further correspondence about ${String(params.matter ?? "the closed matter")}, but check each for anything new.`;
    case "correspondence-filed-without-acknowledgement":
      return "Read and file their correspondence without replying, but check each for anything new or any safeguarding concern.";
    case "discretionary-services-restricted":
      return `Do not provide ${list(params.services)} to them; other services continue as normal.`;
    case "mandatory-service-withdrawn":
      return `${cap(String(params.service ?? "This service"))} is withdrawn as a last resort; refer any request to the manager named on the entry.`;
    case "email-divert":
      return `Their emails to staff are redirected to ${String(params.spocMailbox ?? "the SPOC mailbox")}; only the SPOC replies.`;
  }
}

const EXAMPLE_PARAMS: Record<RestrictionKind, Params> = {
  "contact-limit": { contacts: 1, per: "week", channel: "phone" },
  "fixed-time-slot": { days: ["tuesday"], from: "10:00", to: "11:00" },
  "single-channel": { channel: "email" },
  "single-point-of-contact": { displayName: "the named officer", mailbox: "spoc@example.org" },
  "home-visits-in-pairs": {},
  "contact-via-support-worker": {},
  "meetings-with-witness": {},
  "building-ban": { buildings: ["the Civic Centre"] },
  "social-media-blocked": {},
  "no-further-correspondence-on-matter": { matter: "the closed complaint" },
  "correspondence-filed-without-acknowledgement": {},
  "discretionary-services-restricted": { services: ["discretionary grants"] },
  "mandatory-service-withdrawn": { service: "the service" },
  "email-divert": { spocMailbox: "spoc@example.org" },
};

/** More than one sentence: a sentence end followed by more text. */
function isOneSentence(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 0 && !/[.!?]\s+\S/.test(trimmed.replace(/\b(e\.g|i\.e|etc|St|Dr|Mr|Mrs|Ms|No)\.\s/g, "$1 "));
}

/** Restrictions that limit how the person may contact the council, as opposed to which services they get
 * (letters list them separately: Dorset 4.13.1 "restrictions on contact", "restrictions to service provision"). */
export const SERVICE_RESTRICTION_KINDS: readonly RestrictionKind[] = ["discretionary-services-restricted", "mandatory-service-withdrawn"];

export class RestrictionService {
  constructor(private readonly ctx: LifecycleContext) {}

  /** The kinds the council's policy offers, as its policy words them. */
  catalogue(): { items: CatalogueItem[]; mayApplyToOneServiceArea: boolean | null; source?: string } {
    const profile = this.ctx.profile;
    const items = profile.restrictions.catalogue.map((offer) => ({
      kind: offer.kind,
      label: offer.label,
      params: offer.params,
      permanentAllowed: offer.permanentAllowed,
      lastResort: offer.lastResort,
      exampleInstruction: draftInstruction(offer.kind, EXAMPLE_PARAMS[offer.kind]),
    }));
    const source = sourceOf(profile, "restrictions.catalogue");
    return { items, mayApplyToOneServiceArea: profile.restrictions.mayApplyToOneServiceArea, ...(source === undefined ? {} : { source }) };
  }

  /** A restriction checked against the catalogue, or why it cannot be made. */
  build(input: RestrictionInput, defaults: { startsOn: IsoDate; endsOn?: IsoDate }, id: string): Result<Restriction> {
    const profile = this.ctx.profile;
    if (!(RESTRICTION_KINDS as readonly string[]).includes(input.kind)) {
      return refuse("RESTRICTION_NOT_OFFERED", `"${String(input.kind)}" is not a kind of restriction. Choose one from the list.`);
    }
    const params = input.params ?? {};
    const check = checkRestriction(profile, { kind: input.kind, params });
    if (!check.ok) return refuse(check.code, check.message, 400, { problems: check.problems });
    const offer = offeredRestriction(profile, input.kind)!;
    const serviceAreas = (input.serviceAreas ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
    if (serviceAreas.length > 0 && profile.restrictions.mayApplyToOneServiceArea === false) {
      return refuse("RESTRICTION_SCOPE_NOT_ALLOWED", "The council's policy applies restrictions to every service, not to named ones. Leave the services empty.");
    }
    if (offer.lastResort && (input.lastResortReason ?? "").trim().length === 0) {
      const source = sourceOf(profile, `restrictions.catalogue.${input.kind}`);
      return refuse("LAST_RESORT_REASON_REQUIRED", `"${offer.label}" is a last resort${source ? ` (${source})` : ""}. Say why nothing less will do, then try again.`);
    }
    const startsOn = input.startsOn ?? defaults.startsOn;
    const permanent = params.permanent === true;
    const endsOn = permanent ? undefined : (input.endsOn ?? defaults.endsOn);
    if (endsOn !== undefined && endsOn < startsOn) {
      return refuse("RESTRICTION_DATES_INVALID", "The restriction would end before it starts. Check the dates and try again.");
    }
    const instruction = (input.staffInstruction ?? draftInstruction(input.kind, params)).trim().replace(/\s+/g, " ");
    if (!isOneSentence(instruction) || instruction.length > 240) {
      return refuse("INSTRUCTION_NOT_ONE_SENTENCE", "Tell staff what to do in one sentence of up to 240 characters, for example \"Only the SPOC replies; pass any contact to them.\"");
    }
    const restriction: Restriction = {
      id,
      kind: input.kind,
      params,
      serviceAreas,
      startsOn,
      ...(endsOn === undefined ? {} : { endsOn }),
      staffInstruction: /[.!?]$/.test(instruction) ? instruction : `${instruction}.`,
    };
    return ok(restriction);
  }

  /** Builds several restrictions for one entry; the first refusal stops it. */
  buildAll(inputs: RestrictionInput[], defaults: { startsOn: IsoDate; endsOn?: IsoDate }): Result<Restriction[]> {
    const out: Restriction[] = [];
    for (const input of inputs) {
      const built = this.build(input, defaults, this.ctx.deps.ids.next());
      if (!built.ok) return built;
      out.push(built.value);
    }
    return ok(out);
  }

  async add(caller: Caller, entryId: string, input: RestrictionInput): Promise<Result<{ entry: RegisterEntry; restriction: Restriction }>> {
    const id = this.ctx.deps.ids.next();
    let made: Restriction | undefined;
    const changed = await this.ctx.changeEntry(entryId, (entry) => {
      if (entry.status === "removed") return notCurrent();
      const built = this.build(input, { startsOn: this.ctx.today(), ...(entry.expiresOn === undefined ? {} : { endsOn: entry.expiresOn }) }, id);
      if (!built.ok) return built;
      made = built.value;
      return { ...entry, restrictions: [...entry.restrictions, built.value] };
    });
    if (!changed.ok) return changed;
    await this.ctx.audit(this.ctx.actor(caller), "update", { subjectId: changed.value.subjectId, entryId, what: ["restrictions", `added:${made!.kind}`] });
    return ok({ entry: changed.value, restriction: made! });
  }

  async vary(caller: Caller, entryId: string, restrictionId: string, input: RestrictionInput): Promise<Result<{ entry: RegisterEntry; restriction: Restriction }>> {
    let made: Restriction | undefined;
    const changed = await this.ctx.changeEntry(entryId, (entry) => {
      if (entry.status === "removed") return notCurrent();
      const current = entry.restrictions.find((r) => r.id === restrictionId);
      if (!current) return refuse("RESTRICTION_NOT_FOUND", "This entry has no restriction with that id. Reload the entry and try again.", 404);
      const built = this.build({ startsOn: current.startsOn, ...input }, { startsOn: current.startsOn, ...(current.endsOn === undefined ? {} : { endsOn: current.endsOn }) }, restrictionId);
      if (!built.ok) return built;
      made = built.value;
      return { ...entry, restrictions: entry.restrictions.map((r) => (r.id === restrictionId ? built.value : r)) };
    });
    if (!changed.ok) return changed;
    await this.ctx.audit(this.ctx.actor(caller), "update", { subjectId: changed.value.subjectId, entryId, what: ["restrictions", `varied:${made!.kind}`] });
    return ok({ entry: changed.value, restriction: made! });
  }

  /** Ends a restriction today; the entry stays. */
  async lift(caller: Caller, entryId: string, restrictionId: string, reason: string): Promise<Result<RegisterEntry>> {
    if (reason.trim().length === 0) return refuse("REASON_REQUIRED", "Say why the restriction is lifted, then try again.");
    let kind = "";
    const changed = await this.ctx.changeEntry(entryId, (entry) => {
      const current = entry.restrictions.find((r) => r.id === restrictionId);
      if (!current) return refuse("RESTRICTION_NOT_FOUND", "This entry has no restriction with that id. Reload the entry and try again.", 404);
      kind = current.kind;
      return { ...entry, restrictions: entry.restrictions.filter((r) => r.id !== restrictionId) };
    });
    if (!changed.ok) return changed;
    await this.ctx.audit(this.ctx.actor(caller), "update", { subjectId: changed.value.subjectId, entryId, what: ["restrictions", `lifted:${kind}`] });
    return changed;
  }

  /** Logs a contact against an entry: positive or neutral (East Suffolk 4.7), or one that breached a
   * restriction (which must be one of the entry's). */
  async logContact(
    caller: Caller,
    entryId: string,
    input: { kind: ContactRecord["kind"]; note: string; restrictionId?: string; at?: string; channel?: string },
  ): Promise<Result<ContactRecord>> {
    const found = await this.ctx.entry(entryId);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.status === "removed") return notCurrent();
    if (input.note.trim().length === 0) return refuse("NOTE_REQUIRED", "Say briefly what happened in the contact, then try again.");
    if (input.kind === "breach") {
      if (!input.restrictionId) return refuse("RESTRICTION_REQUIRED", "Choose the restriction the contact breached, then try again.");
      if (!entry.restrictions.some((r) => r.id === input.restrictionId)) {
        return refuse("RESTRICTION_NOT_FOUND", "This entry has no restriction with that id. Reload the entry and try again.", 404);
      }
    }
    const at = input.at ?? this.ctx.nowIso();
    if (Number.isNaN(Date.parse(at)) || Date.parse(at) > this.ctx.now().getTime() + 60_000) {
      return refuse("CONTACT_TIME_INVALID", "The time of the contact is not valid or is in the future. Check it and try again.");
    }
    const record: ContactRecord = {
      id: this.ctx.deps.ids.next(),
      entryId,
      subjectId: entry.subjectId,
      at: new Date(at).toISOString(),
      kind: input.kind,
      note: input.note.trim(),
      by: staffRef(caller),
      ...(input.restrictionId === undefined ? {} : { restrictionId: input.restrictionId }),
      ...(input.channel === undefined ? {} : { channel: input.channel }),
      createdAt: this.ctx.nowIso(),
    };
    const saved = await this.ctx.deps.lifecycle.contacts.create(record);
    await this.ctx.audit(this.ctx.actor(caller), "create", { subjectId: entry.subjectId, entryId, what: [`contact:${input.kind}`] });
    return ok(saved);
  }

  async contacts(entryId: string): Promise<ContactRecord[]> {
    return (await this.ctx.deps.lifecycle.contacts.find({ entryId })).sort((a, b) => (a.at < b.at ? 1 : -1));
  }
}

function notCurrent(): Refusal {
  return refuse("ENTRY_REMOVED", "This entry has been removed from the register, so it cannot be changed. Open the current entry instead.", 409);
}
