// Letters (Dorset 4.13.1 and 4.13.3, East Suffolk 4.5, West Lindsey 11.3-11.4 and 12.4, Tamworth 9, West
// Oxfordshire Steps 2-3): gathers what a letter may say, has the letters adapter compose it from the template for
// its type in the policy's words, refuses it if any part the policy requires is missing (with the list), renders
// it as .docx, keeps it in blob storage and audits it. Whether the customer is told of removal follows the policy
// (Dorset 5.1: never).
import type { Caller, Incident, IsoDate, LetterType, RegisterEntry, Subject } from "../../../../core/src/domain";
import { LETTER_TYPES } from "../../../../core/src/domain";
import { LETTER_PART_LABELS, type LetterPart } from "../../../../core/src/policy/schema";
import { describePeriod } from "../../../../core/src/calendar/dates";
import { formatDate, riskLabel } from "../../../../core/src/present/entryCard";
import { appealDeadline, nextReviewDate } from "../../../../core/src/rules/dates";
import { letterRequirements, missingParts, type LetterTypeSummary } from "../../../../core/src/rules/letters";
import { reviewApprover, tellingForReview } from "../../../../core/src/rules/lifecycle";
import { nextWarningStep } from "../../../../core/src/rules/warnings";
import { sourceOf } from "../../../../core/src/policy/sources";
import type { AppealRecord, LetterContext, LetterRecord, ReviewRecord, WarningRecord } from "../../ports/lifecycle";
import { londonDate, ok, refuse, staffRef, type LifecycleContext, type Result } from "./context";

export interface ProduceLetterInput {
  type: LetterType;
  subjectId?: string;
  entryId?: string;
  reviewId?: string;
  appealId?: string;
  warningId?: string;
  /** Staff's own words for parts, by part id (`why-unreasonable`, `expected-behaviour`, …). */
  texts?: Record<string, string>;
}

export interface MissingPart {
  part: string;
  label: string;
  /** What to do to supply it. */
  fix: string;
}

const FIXES: Partial<Record<LetterPart, string>> = {
  "incident-details": "Link the incidents to the entry (through its case), or write the incident details in the letter form.",
  "examples-of-behaviour": "Link the incidents to the entry, or write examples in the letter form.",
  "single-point-of-contact": "Add a single point of contact to the entry, or write who it is in the letter form.",
  "contact-restrictions": "Add the restrictions on contact to the entry first.",
  "service-restrictions": "Add the service restrictions to the entry first.",
  "proposed-duration": "Give the entry an expiry date, or write how long the restrictions last in the letter form.",
  "monitoring-period": "The policy sets no review cycle: write the monitoring period in the letter form.",
  "register-entry-and-removal": "Give the entry an expiry date, or write when the record will be removed in the letter form.",
  "review-date": "Give the entry a review date, or write it in the letter form.",
  "review-outcome": "Record the review outcome first.",
  "appeal-outcome": "Record the appeal decision first.",
  "appeal-rights": "Write the appeal arrangements in the letter form.",
  "divert-in-place": "Apply the email divert to the entry first.",
};

/** Letters are for people: the letter types and which need an entry. */
const NEEDS_ENTRY: readonly LetterType[] = ["restriction", "legal-cease-and-desist", "review-outcome", "appeal-outcome", "divert-notice"];

export class LetterService {
  constructor(private readonly ctx: LifecycleContext) {}

  /** What the policy requires of each letter type, for the form. */
  requirements(type: LetterType, subject?: Pick<Subject, "noFixedAddress">) {
    return letterRequirements(this.ctx.profile, type, subject ?? {});
  }

  private async incidentsFor(subjectId: string, entry?: RegisterEntry, warning?: WarningRecord): Promise<Incident[]> {
    const all = await this.ctx.deps.stores.incidents.listBySubject(subjectId);
    let ids: string[] | undefined;
    if (warning && warning.incidentIds.length > 0) ids = warning.incidentIds;
    else if (entry?.caseId) {
      const c = await this.ctx.deps.stores.cases.get(entry.caseId);
      if (c && c.incidentIds.length > 0) ids = c.incidentIds;
    }
    const chosen = ids === undefined ? all : all.filter((i) => ids.includes(i.id));
    return chosen.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1)).slice(-10);
  }

  async produce(caller: Caller, input: ProduceLetterInput): Promise<Result<{ letter: LetterRecord }>> {
    const profile = this.ctx.profile;
    if (!LETTER_TYPES.includes(input.type)) return refuse("LETTER_TYPE_UNKNOWN", `Choose one of: ${LETTER_TYPES.join(", ")}.`);
    let entry: RegisterEntry | undefined;
    if (input.entryId) {
      const found = await this.ctx.entry(input.entryId);
      if (!found.ok) return found;
      entry = found.value;
    }
    const subjectId = entry?.subjectId ?? input.subjectId;
    if (!subjectId) return refuse("SUBJECT_REQUIRED", "Say who the letter is for: choose a register entry or a person.");
    if (entry && input.subjectId && input.subjectId !== entry.subjectId) return refuse("SUBJECT_MISMATCH", "The person and the entry do not match. Choose the entry again.");
    if (!entry && NEEDS_ENTRY.includes(input.type)) {
      entry = (await this.ctx.deps.stores.register.listBySubject(subjectId)).sort((a, b) => (a.startsOn < b.startsOn ? 1 : -1))[0];
      if (!entry) return refuse("ENTRY_REQUIRED", "This letter is about a register entry, and this person has none. Choose an entry.", 409);
    }
    const subject = await this.ctx.deps.stores.subjects.get(subjectId);
    if (!subject) return refuse("SUBJECT_NOT_FOUND", "There is no person or address with that id. Check the link and try again.", 404);
    if (subject.kind === "premises" && profile.premises.ownerNotified === false) {
      const source = sourceOf(profile, "premises.ownerNotified");
      return refuse("PREMISES_OWNER_NOT_TOLD", `The policy adds premises without telling the owner${source ? ` (${source})` : ""}, so no letter goes.`, 409);
    }

    let review: ReviewRecord | undefined;
    if (input.type === "review-outcome") {
      review = input.reviewId
        ? await this.ctx.deps.lifecycle.reviews.get(input.reviewId)
        : (await this.ctx.deps.lifecycle.reviews.find({ entryId: entry!.id, status: "decided" })).sort((a, b) => ((a.decidedAt ?? "") < (b.decidedAt ?? "") ? 1 : -1))[0];
      if (review && review.entryId !== entry!.id) return refuse("REVIEW_MISMATCH", "That review is about a different entry. Choose the review again.");
      if (review?.outcome !== undefined) {
        const telling = tellingForReview(profile, review.outcome);
        if (!telling.mayTell) {
          return refuse(
            "CUSTOMER_NOT_TOLD",
            `The policy says the customer is never told of ${review.outcome === "remove" ? "removal" : "this outcome"}${telling.source ? ` (${telling.source})` : ""}, so no letter goes.`,
            409,
          );
        }
      }
    }
    let appeal: AppealRecord | undefined;
    if (input.type === "appeal-outcome") {
      appeal = input.appealId
        ? await this.ctx.deps.lifecycle.appeals.get(input.appealId)
        : (await this.ctx.deps.lifecycle.appeals.find({ entryId: entry!.id, status: "decided" })).sort((a, b) => ((a.decidedOn ?? "") < (b.decidedOn ?? "") ? 1 : -1))[0];
      if (appeal && appeal.entryId !== entry!.id) return refuse("APPEAL_MISMATCH", "That appeal is about a different entry. Choose the appeal again.");
    }
    let warning: WarningRecord | undefined;
    if (input.type === "warning") {
      const warnings = await this.ctx.deps.lifecycle.warnings.find({ subjectId });
      warning = input.warningId ? warnings.find((w) => w.id === input.warningId) : warnings.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
    }

    // Composed once to check it (no reference is used up by a refused letter), then again with its reference.
    const check = await this.context(caller, input, subject, entry, { review, appeal, warning }, "LTR-DRAFT");
    let draft = this.ctx.deps.letters.compose(check);
    const policyMissing = missingParts(profile, input.type, draft.presentParts);
    const essentialMissing = draft.essentialParts.filter((p) => !draft.presentParts.includes(p) && !(policyMissing as string[]).includes(p));
    const missing = [...policyMissing, ...essentialMissing];
    if (missing.length > 0) {
      const list: MissingPart[] = missing.map((part) => ({
        part,
        label: LETTER_PART_LABELS[part as LetterPart] ?? part,
        fix: FIXES[part as LetterPart] ?? "Write this part in the letter form.",
      }));
      const source = sourceOf(profile, `letters.types.${input.type}`);
      return refuse(
        "LETTER_INCOMPLETE",
        `The letter cannot go yet: it must ${list.map((m) => m.label).join("; and ")}${source ? ` (${source})` : ""}. Supply what is missing and try again.`,
        422,
        { missing: list },
      );
    }

    const context = { ...check, reference: await this.ctx.deps.stores.references.next("LTR") };
    draft = this.ctx.deps.letters.compose(context);
    const id = this.ctx.deps.ids.next();
    const data = await this.ctx.deps.letters.render(draft);
    const blobName = `letters/${id}.docx`;
    await this.ctx.deps.blobs.put(blobName, data, DOCX_TYPE);
    const record: LetterRecord = {
      id,
      subjectId,
      ...(entry ? { entryId: entry.id } : {}),
      type: input.type,
      issuedBy: staffRef(caller),
      issuedAt: this.ctx.nowIso(),
      parts: draft.presentParts,
      blobName,
      heldAtReception: draft.heldAtReception,
      equalityQuestionnaireAttached: draft.equalityQuestionnaire,
      reference: context.reference,
      title: draft.title,
      ...(review ? { reviewId: review.id } : {}),
      ...(appeal ? { appealId: appeal.id } : {}),
      ...(warning ? { warningId: warning.id } : {}),
      sender: context.sender.role ?? context.sender.name,
      sizeBytes: data.length,
      createdAt: this.ctx.nowIso(),
    };
    const saved = await this.ctx.deps.lifecycle.letters.create(record);
    if (review && review.outcome !== undefined && !review.customerTold) {
      await this.ctx.deps.lifecycle.reviews.update({ ...review, customerTold: true });
    }
    await this.ctx.audit(this.ctx.actor(caller), "letter", {
      subjectId,
      ...(entry ? { entryId: entry.id } : {}),
      what: [`letter:${input.type}`, record.reference, ...(entry ? [entry.reference] : []), ...(draft.heldAtReception ? ["held-at-reception"] : [])],
    });
    return ok({ letter: saved });
  }

  private async context(
    caller: Caller,
    input: ProduceLetterInput,
    subject: Subject,
    entry: RegisterEntry | undefined,
    chosen: { review?: ReviewRecord; appeal?: AppealRecord; warning?: WarningRecord },
    reference: string,
  ): Promise<LetterContext> {
    const profile = this.ctx.profile;
    const today = this.ctx.today();
    const req = letterRequirements(profile, input.type, subject);
    const address = subject.addresses[0];
    const addressLines = address ? [...address.lines, ...(address.town ? [address.town] : []), ...(address.postcode ? [address.postcode] : [])] : [];
    const incidents = await this.incidentsFor(subject.id, entry, chosen.warning);
    const level = entry ? profile.riskLevels.levels[entry.riskLevel] : undefined;
    const labels: Record<string, string> = {};
    for (const offer of profile.restrictions.catalogue) labels[offer.kind] = offer.label;
    const appealBy: IsoDate | null = profile.appeal.route === "appeal" ? appealDeadline(profile, { decided: entry?.startsOn ?? today, notified: today }) : null;
    const warning = chosen.warning;
    let warningView: LetterContext["warning"];
    if (warning) {
      const step = profile.warnings?.steps.find((s) => s.step === warning.step);
      const next = nextWarningStep(profile, { priorWarnings: [warning.step], category: warning.category ?? "verbal-abuse" });
      warningView = {
        step: warning.step,
        label: step?.label ?? warning.step,
        nextStepText: next.kind === "warning" ? next.label : next.kind === "restrict" ? "restrictions on how you may contact the council" : null,
      };
    }
    const divert = entry?.restrictions.find((r) => r.kind === "email-divert");
    const reviewOn = entry?.nextReviewOn ?? (input.type === "warning" ? (nextReviewDate(profile, today) ?? undefined) : undefined);
    return {
      type: input.type,
      today,
      council: profile.council,
      registerName: this.ctx.deps.registerName,
      decisionBodyName: profile.decisionBody.name,
      reference,
      recipient: { name: subject.displayName, addressLines, noFixedAddress: subject.noFixedAddress === true, isPremises: subject.kind === "premises" },
      holdAtReception: req.holdAtReception,
      equalityQuestionnaire: req.equalityQuestionnaire,
      sender: { name: caller.displayName, role: req.sender },
      ...(entry
        ? {
            entry: {
              riskLevel: entry.riskLevel,
              riskLabel: level?.label ?? riskLabel(entry.riskLevel),
              riskDefinition: level?.definition ?? null,
              categories: entry.categories,
              startsOn: entry.startsOn,
              ...(entry.expiresOn ? { expiresOn: entry.expiresOn } : {}),
              ...(entry.nextReviewOn ? { nextReviewOn: entry.nextReviewOn } : {}),
              indefinite: entry.expiresOn === undefined && entry.categories.includes("premises-risk") && profile.premises.indefinite === true,
              ...(entry.spoc ? { spoc: entry.spoc } : {}),
              restrictions: entry.restrictions.filter((r) => r.endsOn === undefined || r.endsOn >= today),
              restrictionLabels: labels,
            },
          }
        : {}),
      incidents: incidents.map((i) => ({ occurredAt: i.occurredAt, location: i.location, channel: i.channel, category: i.category, description: i.description, reference: i.reference })),
      ...(warningView ? { warning: warningView } : {}),
      ...(chosen.review?.outcome
        ? {
            review: {
              outcome: chosen.review.outcome,
              decidedOn: londonDate(new Date(chosen.review.decidedAt ?? this.ctx.nowIso())),
              approverName: chosen.review.approverName,
              ...(chosen.review.nextReviewOn ? { nextReviewOn: chosen.review.nextReviewOn } : {}),
              ...(chosen.review.expiresOn ? { expiresOn: chosen.review.expiresOn } : {}),
              ...(chosen.review.reasons ? { reasons: chosen.review.reasons } : {}),
            },
          }
        : {}),
      ...(chosen.appeal?.outcome && chosen.appeal.decidedOn
        ? {
            appeal: {
              receivedOn: chosen.appeal.receivedOn,
              outcome: chosen.appeal.outcome,
              decidedOn: chosen.appeal.decidedOn,
              ...(chosen.appeal.reasons ? { reasons: chosen.appeal.reasons } : {}),
              ombudsman: profile.appeal.ombudsman === true,
            },
          }
        : {}),
      appealRights: {
        route: profile.appeal.route,
        byDate: appealBy,
        windowText: profile.appeal.window === null ? null : `${describePeriod(profile.appeal.window)} of ${profile.appeal.windowStartsFrom === "decision" ? "the decision" : "the date of this letter"}`,
        to: profile.appeal.decidedBy,
        grounds: profile.appeal.grounds ?? [],
        ombudsman: profile.appeal.ombudsman === true,
      },
      monitoring: { intervalText: profile.review.interval === null ? null : describePeriod(profile.review.interval), by: profile.review.interval === null ? null : reviewApprover(profile) },
      divertInPlace: divert ? { spocMailbox: String(divert.params.spocMailbox ?? entry?.spoc?.mailbox ?? "") } : null,
      ...(reviewOn === undefined ? {} : { reviewOn }),
      policyParts: { required: req.required.map((r) => r.part), ifRelevant: req.ifRelevant.map((r) => r.part) },
      texts: Object.fromEntries(Object.entries(input.texts ?? {}).map(([k, v]): [string, string] => [k, v.trim()]).filter(([, v]) => v.length > 0)),
    };
  }

  /** Each letter type under the policy: what it must contain, whether the questionnaire goes with it, and whether
   * it can tell the customer of removal. For the letter form. */
  typesSummary(): LetterTypeSummary[] {
    const profile = this.ctx.profile;
    return LETTER_TYPES.map((type) => {
      const r = letterRequirements(profile, type);
      const note = profile.notes[`letters.types.${type}`];
      return {
        type,
        defined: r.defined,
        required: r.required,
        ifRelevant: r.ifRelevant,
        equalityQuestionnaire: r.equalityQuestionnaire,
        sender: r.sender,
        ...(r.source ? { source: r.source } : {}),
        ...(note ? { note } : {}),
      };
    });
  }

  async list(filter: { subjectId?: string; entryId?: string } = {}): Promise<LetterRecord[]> {
    const where: Record<string, string> = {};
    if (filter.subjectId) where.subjectId = filter.subjectId;
    if (filter.entryId) where.entryId = filter.entryId;
    return (await this.ctx.deps.lifecycle.letters.find(where)).sort((a, b) => (a.issuedAt < b.issuedAt ? 1 : -1));
  }

  /** The .docx of a letter, audited as an export (a letter holds personal details). */
  async document(caller: Caller, letterId: string): Promise<Result<{ letter: LetterRecord; data: Buffer; fileName: string }>> {
    const letter = await this.ctx.deps.lifecycle.letters.get(letterId);
    if (!letter || !letter.blobName) return refuse("LETTER_NOT_FOUND", "There is no letter with that id. It may have been deleted under the retention policy.", 404);
    const blob = await this.ctx.deps.blobs.get(letter.blobName);
    if (!blob) return refuse("LETTER_NOT_FOUND", "The letter's document is missing. Produce the letter again.", 404);
    await this.ctx.audit(this.ctx.actor(caller), "export", { subjectId: letter.subjectId, ...(letter.entryId ? { entryId: letter.entryId } : {}), what: [`letter:${letter.type}`, letter.reference] });
    // The file name carries the references only, never the person's name.
    return ok({ letter, data: blob.data, fileName: `${letter.reference}-${letter.type}.docx` });
  }
}

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** The date in words, for letters. */
export function letterDate(date: IsoDate): string {
  return formatDate(date);
}
