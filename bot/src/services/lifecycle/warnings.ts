// The warning ladder (West Oxfordshire Steps 1-3, East Suffolk 4.4, West Lindsey 10-11): warnings recorded per
// subject, the next step suggested by the policy in force, the bypass for violence and serious threats, and
// restriction at once without warnings on the grounds the policy names (West Lindsey 12.3), with the reason.
import type { Caller, IncidentCategory, IsoDate, RegisterEntry, RiskLevel, SinglePointOfContact, WarningStep } from "../../../../core/src/domain";
import { WARNING_STEPS } from "../../../../core/src/domain";
import { nextWarningStep, type NextWarning } from "../../../../core/src/rules/warnings";
import { immediateRestrictionGrounds, mayRestrictImmediately } from "../../../../core/src/rules/emergency";
import { entryExpiry, nextReviewDate } from "../../../../core/src/rules/dates";
import { sourceOf } from "../../../../core/src/policy/sources";
import type { ImmediateRestrictionRecord, LadderSuggestion, WarningRecord } from "../../ports/lifecycle";
import { ok, refuse, staffRef, type LifecycleContext, type Result } from "./context";
import type { RestrictionInput, RestrictionService } from "./restrictions";

export interface LadderView {
  /** The policy's steps in order, or null where it has no ladder (Dorset 4.8, Tamworth). */
  steps: { step: WarningStep; label: string; withRestrictions: boolean; given: boolean }[] | null;
  bypassCategories: IncidentCategory[];
  bypassTo: "last-step" | "restriction" | null;
  warnings: WarningRecord[];
  immediateRestrictions: ImmediateRestrictionRecord[];
  /** The suggestion for the next incident of each category, for the form. */
  suggestion?: LadderSuggestion & { text: string };
  note?: string;
  source?: string;
}

function toSuggestion(next: NextWarning): LadderSuggestion {
  if (next.kind === "warning") {
    return { kind: "warning", step: next.step, label: next.label, bypassed: next.bypassed, ...(next.source === undefined ? {} : { source: next.source }) };
  }
  if (next.kind === "restrict") return { kind: "restrict", bypassed: next.bypassed, ...(next.source === undefined ? {} : { source: next.source }) };
  return { kind: "no-ladder", bypassed: false, ...(next.source === undefined ? {} : { source: next.source }) };
}

/** The suggestion in words, for staff. */
export function suggestionText(s: LadderSuggestion): string {
  const cite = s.source ? ` (${s.source})` : "";
  if (s.kind === "no-ladder") return `The policy has no warning ladder${cite}; refer the case to the decision body, or send a letter setting out the behaviour expected.`;
  if (s.kind === "restrict") {
    return s.bypassed
      ? `This behaviour skips the warnings${cite}: refer the case to the decision body to restrict contact.`
      : `The warnings have all been given${cite}: refer the case to the decision body to restrict contact.`;
  }
  return s.bypassed ? `This behaviour skips the earlier warnings${cite}: next is ${s.label!.toLowerCase()}.` : `Next step${cite}: ${s.label!.toLowerCase()}.`;
}

export interface WarningInput {
  subjectId: string;
  step: WarningStep;
  category?: IncidentCategory;
  incidentIds?: string[];
  givenOn?: IsoDate;
  note?: string;
  /** Needed when the step differs from the one the policy suggests. */
  departureReason?: string;
}

export interface ImmediateInput {
  subjectId: string;
  ground: string;
  reason: string;
  policeReference?: string;
  riskLevel: RiskLevel;
  category: IncidentCategory;
  restrictions: RestrictionInput[];
  guidance?: string[];
  spoc?: SinglePointOfContact;
}

/** Without a category the bypass cannot apply: suggest as for an incident that skips nothing. */
const NO_BYPASS: IncidentCategory = "verbal-abuse";

export class WarningService {
  constructor(private readonly ctx: LifecycleContext, private readonly restrictions: RestrictionService) {}

  async ladder(subjectId: string, category?: IncidentCategory): Promise<LadderView> {
    const profile = this.ctx.profile;
    const warnings = (await this.ctx.deps.lifecycle.warnings.find({ subjectId })).sort((a, b) => (a.givenOn < b.givenOn ? -1 : a.givenOn > b.givenOn ? 1 : 0));
    const immediateRestrictions = await this.ctx.deps.lifecycle.immediateRestrictions.find({ subjectId });
    const ladder = profile.warnings;
    const given = new Set(warnings.map((w) => w.step));
    const source = sourceOf(profile, "warnings");
    const view: LadderView = {
      steps: ladder === null ? null : ladder.steps.map((s) => ({ ...s, given: given.has(s.step) })),
      bypassCategories: ladder?.bypassCategories ?? [],
      bypassTo: ladder?.bypassTo ?? null,
      warnings,
      immediateRestrictions,
      ...(ladder === null && profile.notes.warnings !== undefined ? { note: profile.notes.warnings } : {}),
      ...(source === undefined ? {} : { source }),
    };
    if (category !== undefined) {
      const s = toSuggestion(nextWarningStep(profile, { priorWarnings: warnings.map((w) => w.step), category }));
      view.suggestion = { ...s, text: suggestionText(s) };
    }
    return view;
  }

  async record(caller: Caller, input: WarningInput): Promise<Result<{ warning: WarningRecord; next: LadderSuggestion & { text: string } }>> {
    const profile = this.ctx.profile;
    const subject = await this.ctx.deps.stores.subjects.get(input.subjectId);
    if (!subject) return refuse("SUBJECT_NOT_FOUND", "There is no person or address with that id. Check the link and try again.", 404);
    if (!WARNING_STEPS.includes(input.step)) return refuse("WARNING_STEP_UNKNOWN", `Choose one of: ${WARNING_STEPS.join(", ")}.`);
    const ladder = profile.warnings;
    if (ladder !== null && !ladder.steps.some((s) => s.step === input.step)) {
      return refuse("WARNING_STEP_NOT_IN_POLICY", `The policy's warnings are: ${ladder.steps.map((s) => s.label.toLowerCase()).join("; then ")}. Choose one of those.`);
    }
    const today = this.ctx.today();
    const givenOn = input.givenOn ?? today;
    if (givenOn > today) return refuse("WARNING_DATE_IN_FUTURE", "The warning date is in the future. Check the date and try again.");
    const prior = await this.ctx.deps.lifecycle.warnings.find({ subjectId: input.subjectId });
    const suggested = toSuggestion(nextWarningStep(profile, { priorWarnings: prior.map((w) => w.step), category: input.category ?? NO_BYPASS }));
    const departs = suggested.kind === "warning" ? suggested.step !== input.step : suggested.kind === "restrict";
    const departureReason = input.departureReason?.trim() ?? "";
    if (ladder !== null && departs && departureReason.length === 0) {
      return refuse("DEPARTURE_REASON_REQUIRED", `${suggestionText(suggested)} To record a different step, say why.`, 400, { suggestion: suggested });
    }
    const warning: WarningRecord = {
      id: this.ctx.deps.ids.next(),
      subjectId: input.subjectId,
      step: input.step,
      givenBy: staffRef(caller),
      givenOn,
      incidentIds: input.incidentIds ?? [],
      ...(input.note ? { note: input.note.trim() } : {}),
      ...(input.category === undefined ? {} : { category: input.category }),
      suggested,
      ...(departs && departureReason.length > 0 ? { departureReason } : {}),
      createdAt: this.ctx.nowIso(),
    };
    const saved = await this.ctx.deps.lifecycle.warnings.create(warning);
    await this.ctx.audit(this.ctx.actor(caller), "create", { subjectId: input.subjectId, what: ["warning", `step:${input.step}`] });
    const next = toSuggestion(nextWarningStep(profile, { priorWarnings: [...prior.map((w) => w.step), input.step], category: input.category ?? NO_BYPASS }));
    return ok({ warning: saved, next: { ...next, text: suggestionText(next) } });
  }

  /** Restricts contact at once, without warnings, on a ground the policy names (West Lindsey 12.3): a credible
   * threat to harm, threats to damage premises, or police advice. The reason is recorded with the ground. The
   * restrictions go on the subject's current entry, or on a new one. */
  async restrictImmediately(caller: Caller, input: ImmediateInput): Promise<Result<{ entry: RegisterEntry; record: ImmediateRestrictionRecord; created: boolean }>> {
    const profile = this.ctx.profile;
    const grounds = immediateRestrictionGrounds(profile);
    if (grounds.length === 0) {
      return refuse("NO_IMMEDIATE_RESTRICTION", "The council's policy gives no grounds for restricting contact without the usual decision. Refer the case to the decision body.", 409);
    }
    if (!mayRestrictImmediately(profile, input.ground)) {
      return refuse("IMMEDIATE_GROUND_UNKNOWN", `Choose one of the grounds the policy names: ${grounds.map((g) => g.description).join("; ")}.`);
    }
    if (input.reason.trim().length < 10) return refuse("REASON_REQUIRED", "Record why immediate action was needed, in a sentence or two, then try again.");
    if (input.restrictions.length === 0) return refuse("RESTRICTIONS_REQUIRED", "Choose at least one restriction to put in place, then try again.");
    const subject = await this.ctx.deps.stores.subjects.get(input.subjectId);
    if (!subject) return refuse("SUBJECT_NOT_FOUND", "There is no person or address with that id. Check the link and try again.", 404);

    const today = this.ctx.today();
    const current = (await this.ctx.deps.stores.register.listBySubject(input.subjectId)).find((e) => e.status !== "removed");
    const expiry = entryExpiry(profile, [{ category: input.category, from: today }]);
    const built = this.restrictions.buildAll(input.restrictions, { startsOn: today, ...(expiry.expiresOn === null ? {} : { endsOn: expiry.expiresOn }) });
    if (!built.ok) return built;
    const ground = grounds.find((g) => g.id === input.ground)!;

    let entry: RegisterEntry;
    let created = false;
    if (current) {
      const changed = await this.ctx.changeEntry(current.id, (e) => ({
        ...e,
        restrictions: [...e.restrictions, ...built.value],
        categories: e.categories.includes(input.category) ? e.categories : [...e.categories, input.category],
        riskLevel: rank(input.riskLevel) > rank(e.riskLevel) ? input.riskLevel : e.riskLevel,
      }));
      if (!changed.ok) return changed;
      entry = changed.value;
    } else {
      const review = nextReviewDate(profile, today);
      const now = this.ctx.nowIso();
      entry = await this.ctx.deps.stores.register.create({
        id: this.ctx.deps.ids.next(),
        reference: await this.ctx.deps.stores.references.next("CAL"),
        subjectId: input.subjectId,
        riskLevel: input.riskLevel,
        categories: [input.category],
        restrictions: built.value,
        guidance: (input.guidance ?? built.value.map((r) => r.staffInstruction)).slice(0, 3),
        ...(input.spoc ? { spoc: input.spoc } : {}),
        startsOn: today,
        ...(expiry.expiresOn === null ? {} : { expiresOn: expiry.expiresOn }),
        ...(review === null ? {} : { nextReviewOn: review }),
        recordOwner: staffRef(caller),
        status: "active",
        appealInProgress: false,
        createdAt: now,
        updatedAt: now,
      });
      created = true;
      await this.ctx.deps.subjectChanged(input.subjectId);
    }
    const record: ImmediateRestrictionRecord = {
      id: this.ctx.deps.ids.next(),
      subjectId: input.subjectId,
      entryId: entry.id,
      reference: entry.reference,
      ground: ground.id,
      groundDescription: ground.description,
      reason: input.reason.trim(),
      ...(input.policeReference ? { policeReference: input.policeReference } : {}),
      by: staffRef(caller),
      at: this.ctx.nowIso(),
      restrictionIds: built.value.map((r) => r.id),
    };
    const saved = await this.ctx.deps.lifecycle.immediateRestrictions.create(record);
    const source = sourceOf(profile, "immediateRestriction");
    await this.ctx.audit(this.ctx.actor(caller), "decision", {
      subjectId: input.subjectId,
      entryId: entry.id,
      what: ["immediate-restriction", `ground:${ground.id}`, entry.reference, ...(source ? [`source:${source}`] : [])],
    });
    return ok({ entry, record: saved, created });
  }
}

const RANK: Record<RiskLevel, number> = { low: 1, medium: 2, high: 3 };
function rank(level: RiskLevel): number {
  return RANK[level];
}
