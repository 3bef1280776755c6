// Appeals (Dorset 6.1, East Suffolk 4.6, West Oxfordshire Appeal, Tamworth 10): the received date checked
// against the policy's window (working days or calendar months), a decider who took no part in the original
// decision (enforced where the policy says so), an "appeal in progress" note on the entry, a decision deadline
// with reminders, the outcome upheld / varied / overturned, and any referral to the Ombudsman. Where the
// policy has no appeal (West Lindsey 11.4, 17.1: the complaints process) an appeal is refused with that route,
// and an Ombudsman referral can still be recorded.
import type { AppealOutcome, Caller, IsoDate, RegisterEntry, RiskLevel } from "../../../../core/src/domain";
import { formatDate } from "../../../../core/src/present/entryCard";
import { describePeriod } from "../../../../core/src/calendar/dates";
import { appealDecisionDeadline } from "../../../../core/src/rules/dates";
import { canDecideAppeal } from "../../../../core/src/rules/appeals";
import { appealRemindersDue, appealTiming } from "../../../../core/src/rules/lifecycle";
import { sourceOf } from "../../../../core/src/policy/sources";
import type { AppealRecord, Variation } from "../../ports/lifecycle";
import { londonDate, ok, refuse, staffRef, type Actor, type LifecycleContext, type Result } from "./context";
import { removeEntry } from "./entries";
import type { RestrictionInput, RestrictionService } from "./restrictions";

export interface ReceiveAppealInput {
  receivedOn: IsoDate;
  grounds: string;
  /** When the customer was told of the decision, if not from a letter CALM issued. */
  notifiedOn?: IsoDate;
  /** Accepting an appeal outside the window is discretion: say why. */
  acceptLateReason?: string;
}

export interface DecideAppealInput {
  outcome: AppealOutcome;
  reasons: string;
  variation?: { riskLevel?: RiskLevel; restrictions?: RestrictionInput[]; guidance?: string[] };
}

export class AppealService {
  constructor(private readonly ctx: LifecycleContext, private readonly restrictions: RestrictionService) {}

  /** The date the original decision was made and (if CALM issued the letter) when the customer was told. */
  private async decisionDates(entry: RegisterEntry): Promise<{ decided: IsoDate; notified?: IsoDate }> {
    let decided = entry.startsOn;
    if (entry.caseId) {
      const c = await this.ctx.deps.stores.cases.get(entry.caseId);
      if (c?.decision) decided = londonDate(new Date(c.decision.decidedAt));
    }
    const letters = (await this.ctx.deps.lifecycle.letters.find({ entryId: entry.id }))
      .filter((l) => l.type === "restriction" || l.type === "legal-cease-and-desist")
      .sort((a, b) => (a.issuedAt < b.issuedAt ? -1 : 1));
    const first = letters[0];
    return first ? { decided, notified: londonDate(new Date(first.issuedAt)) } : { decided };
  }

  /** People involved in the original decision, who may not decide the appeal where the policy says so: the
   * voters, the decision makers, the presenting manager, the chair, whoever made an emergency addition or an
   * immediate restriction, and the record owner. */
  private async involved(entry: RegisterEntry): Promise<string[]> {
    const ids = new Set<string>([entry.recordOwner.id]);
    if (entry.caseId) {
      const c = await this.ctx.deps.stores.cases.get(entry.caseId);
      if (c) {
        ids.add(c.presentingManager.id);
        if (c.chairId) ids.add(c.chairId);
        for (const p of c.decision?.decidedBy ?? []) ids.add(p.id);
        if (c.emergency) ids.add(c.emergency.by.id);
        for (const v of await this.ctx.deps.stores.cases.listVotes(c.id)) ids.add(v.voter.id);
      }
    }
    for (const r of await this.ctx.deps.lifecycle.immediateRestrictions.find({ entryId: entry.id })) ids.add(r.by.id);
    return [...ids];
  }

  async receive(caller: Caller, entryId: string, input: ReceiveAppealInput): Promise<Result<AppealRecord>> {
    const profile = this.ctx.profile;
    if (profile.appeal.route !== "appeal") {
      const source = sourceOf(profile, "appeal.route");
      return refuse(
        "NO_APPEAL_ROUTE",
        `The council's policy has no appeal${source ? ` (${source})` : ""}: a customer who disagrees uses the complaints process, then the Ombudsman. Record an Ombudsman referral if it gets there.`,
        409,
      );
    }
    const found = await this.ctx.entry(entryId);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.status === "removed") return refuse("ENTRY_REMOVED", "This entry has been removed, so there is nothing to appeal.", 409);
    const today = this.ctx.today();
    if (input.receivedOn > today) return refuse("APPEAL_DATE_IN_FUTURE", "The date the appeal was received is in the future. Check it and try again.");
    if (input.grounds.trim().length === 0) return refuse("GROUNDS_REQUIRED", "Record the grounds of the appeal, as the customer gave them, then try again.");
    if ((await this.ctx.deps.lifecycle.appeals.find({ entryId, status: "received" })).length > 0) {
      return refuse("APPEAL_ALREADY_OPEN", "An appeal on this entry is already waiting for a decision. Add to that one.", 409);
    }
    const dates = await this.decisionDates(entry);
    const notified = input.notifiedOn ?? dates.notified;
    const timing = appealTiming(profile, { decided: dates.decided, received: input.receivedOn, ...(notified === undefined ? {} : { notified }) });
    const late = (input.acceptLateReason ?? "").trim();
    if (timing.inTime === false && late.length === 0) {
      return refuse(
        "APPEAL_OUT_OF_TIME",
        `The appeal arrived after ${formatDate(timing.windowEndsOn!)}, the last day to appeal ${timing.windowText ?? ""}${timing.source ? ` (${timing.source})` : ""}. To accept it anyway, say why.`,
        400,
        { windowEndsOn: timing.windowEndsOn },
      );
    }
    const decisionDueOn = appealDecisionDeadline(profile, input.receivedOn);
    const record: AppealRecord = {
      id: this.ctx.deps.ids.next(),
      entryId,
      subjectId: entry.subjectId,
      reference: entry.reference,
      receivedOn: input.receivedOn,
      grounds: input.grounds.trim(),
      ...(decisionDueOn === null ? {} : { decisionDueOn }),
      status: "received",
      route: "appeal",
      windowEndsOn: timing.windowEndsOn,
      inTime: timing.inTime,
      ...(timing.inTime === false ? { lateAcceptedReason: late } : {}),
      involvedIds: await this.involved(entry),
      recordedBy: staffRef(caller),
      createdAt: this.ctx.nowIso(),
      remindersSent: [],
    };
    const saved = await this.ctx.deps.lifecycle.appeals.create(record);
    // The entry stays in force meanwhile (Dorset 6.1, East Suffolk 4.6, West Oxfordshire Appeal) with a note that an
    // appeal is in progress. Where the policy is silent on the note CALM still shows it; only a policy that says
    // no note (noteOnEntry: false) hides it.
    if (profile.appeal.noteOnEntry !== false) await this.ctx.changeEntry(entryId, (e) => ({ ...e, appealInProgress: true }));
    await this.ctx.audit(this.ctx.actor(caller), "create", { subjectId: entry.subjectId, entryId, what: ["appeal", `received:${input.receivedOn}`, `inTime:${String(timing.inTime)}`] });
    await this.ctx.deps.channel
      .post({
        kind: "appeal-reminder",
        reference: entry.reference,
        title: `Appeal received on ${entry.reference}`,
        text: `An appeal on ${entry.reference} was received on ${formatDate(input.receivedOn)}.${decisionDueOn ? ` It must be decided by ${formatDate(decisionDueOn)}.` : ""} The entry stays in force meanwhile.`,
      })
      .catch((error: unknown) => this.ctx.deps.logger.warn("lifecycle.channel_post_failed", { kind: "appeal-received", error: error instanceof Error ? error.name : "unknown" }));
    return ok(saved);
  }

  async decide(caller: Caller, appealId: string, input: DecideAppealInput): Promise<Result<{ appeal: AppealRecord; entry?: RegisterEntry }>> {
    const appeal = await this.ctx.deps.lifecycle.appeals.get(appealId);
    if (!appeal) return refuse("APPEAL_NOT_FOUND", "There is no appeal with that id. Reload the Appeals page and try again.", 404);
    if (appeal.status !== "received") return refuse("APPEAL_CLOSED", "This appeal has already been decided or withdrawn.", 409);
    const check = canDecideAppeal(this.ctx.profile, { roles: caller.roles, involvedInDecision: appeal.involvedIds.includes(caller.id) });
    if (!check.ok) return refuse(check.code, check.message + (check.source ? ` (${check.source})` : ""), 403);
    if (input.reasons.trim().length === 0) return refuse("REASONS_REQUIRED", "Record the reasons for the decision: they go in the letter to the customer.");
    const actor: Actor = this.ctx.actor(caller);
    const today = this.ctx.today();
    let entry: RegisterEntry | undefined;
    let variation: Variation | undefined;
    if (input.outcome === "overturned") {
      const removed = await removeEntry(this.ctx, actor, appeal.entryId, { reason: "appeal-overturned", note: `The appeal received on ${appeal.receivedOn} overturned the decision.` });
      if (!removed.ok && removed.code !== "ENTRY_NOT_FOUND") return removed;
      entry = removed.ok ? removed.value : undefined;
    } else {
      if (input.outcome === "varied") {
        // Without a variation here, the restrictions were changed on the entry itself (the portal's editor).
        const v = input.variation ?? {};
        variation = {};
        if (v.riskLevel !== undefined) variation.riskLevel = v.riskLevel;
        if (v.guidance !== undefined) variation.guidance = v.guidance.slice(0, 3);
        if (v.restrictions !== undefined) {
          const current = await this.ctx.entry(appeal.entryId);
          const built = this.restrictions.buildAll(v.restrictions, { startsOn: today, ...(current.ok && current.value.expiresOn ? { endsOn: current.value.expiresOn } : {}) });
          if (!built.ok) return built;
          variation.restrictions = built.value;
        }
      }
      const changed = await this.ctx.changeEntry(appeal.entryId, (e) => ({
        ...e,
        appealInProgress: false,
        ...(variation?.riskLevel === undefined ? {} : { riskLevel: variation.riskLevel }),
        ...(variation?.restrictions === undefined ? {} : { restrictions: variation.restrictions }),
        ...(variation?.guidance === undefined ? {} : { guidance: variation.guidance }),
      }));
      if (!changed.ok) return changed;
      entry = changed.value;
    }
    const saved = await this.ctx.deps.lifecycle.appeals.update({
      ...appeal,
      status: "decided",
      outcome: input.outcome,
      decidedOn: today,
      decider: staffRef(caller),
      reasons: input.reasons.trim(),
      ...(variation === undefined ? {} : { variation }),
      ...(check.note === undefined ? {} : { deciderNote: check.note }),
    });
    await this.ctx.audit(actor, "decision", { subjectId: appeal.subjectId, entryId: appeal.entryId, what: ["appeal", `outcome:${input.outcome}`] });
    return ok(entry === undefined ? { appeal: saved } : { appeal: saved, entry });
  }

  async withdraw(caller: Caller, appealId: string, note: string): Promise<Result<AppealRecord>> {
    const appeal = await this.ctx.deps.lifecycle.appeals.get(appealId);
    if (!appeal) return refuse("APPEAL_NOT_FOUND", "There is no appeal with that id. Reload the Appeals page and try again.", 404);
    if (appeal.status !== "received") return refuse("APPEAL_CLOSED", "This appeal has already been decided or withdrawn.", 409);
    await this.ctx.changeEntry(appeal.entryId, (e) => ({ ...e, appealInProgress: false }));
    const saved = await this.ctx.deps.lifecycle.appeals.update({ ...appeal, status: "withdrawn", reasons: note.trim() || "Withdrawn by the customer." });
    await this.ctx.audit(this.ctx.actor(caller), "update", { subjectId: appeal.subjectId, entryId: appeal.entryId, what: ["appeal", "withdrawn"] });
    return ok(saved);
  }

  /** Records that the customer took the matter to the Local Government and Social Care Ombudsman (East Suffolk
   * 4.6, West Oxfordshire Appeal, West Lindsey 17.1). On an appeal, or on the entry where the policy has no appeal. */
  async recordOmbudsman(caller: Caller, input: { appealId?: string; entryId?: string; referredOn: IsoDate; reference?: string }): Promise<Result<AppealRecord>> {
    const profile = this.ctx.profile;
    if (profile.appeal.ombudsman === false) return refuse("NO_OMBUDSMAN_ROUTE", "The council's policy does not refer these decisions to the Ombudsman.", 409);
    if (input.referredOn > this.ctx.today()) return refuse("REFERRAL_DATE_IN_FUTURE", "The referral date is in the future. Check it and try again.");
    let record: AppealRecord | undefined;
    if (input.appealId) {
      const appeal = await this.ctx.deps.lifecycle.appeals.get(input.appealId);
      if (!appeal) return refuse("APPEAL_NOT_FOUND", "There is no appeal with that id. Reload the Appeals page and try again.", 404);
      record = await this.ctx.deps.lifecycle.appeals.update({ ...appeal, ombudsmanReferralOn: input.referredOn, ...(input.reference ? { ombudsmanReference: input.reference } : {}) });
    } else {
      if (!input.entryId) return refuse("ENTRY_REQUIRED", "Say which entry or appeal the referral is about.");
      const found = await this.ctx.entry(input.entryId);
      if (!found.ok) return found;
      record = await this.ctx.deps.lifecycle.appeals.create({
        id: this.ctx.deps.ids.next(),
        entryId: found.value.id,
        subjectId: found.value.subjectId,
        reference: found.value.reference,
        receivedOn: input.referredOn,
        grounds: "Taken to the Local Government and Social Care Ombudsman after the council's complaints process.",
        status: "referred",
        route: profile.appeal.route,
        windowEndsOn: null,
        inTime: null,
        involvedIds: [],
        recordedBy: staffRef(caller),
        createdAt: this.ctx.nowIso(),
        remindersSent: [],
        ombudsmanReferralOn: input.referredOn,
        ...(input.reference ? { ombudsmanReference: input.reference } : {}),
      });
    }
    await this.ctx.audit(this.ctx.actor(caller), "update", { subjectId: record.subjectId, entryId: record.entryId, what: ["appeal", "ombudsman-referral"] });
    return ok(record);
  }

  /** The appeal rules in force, in words, for the Appeals page. */
  policySummary(): { route: "appeal" | "complaints-process"; window: string | null; from: string | null; decidedBy: string[]; decisionDeadline: string | null; independentDecider: boolean; ombudsman: boolean; sources: string[] } {
    const a = this.ctx.profile.appeal;
    return {
      route: a.route,
      window: a.window === null ? null : describePeriod(a.window),
      from: a.windowStartsFrom,
      decidedBy: a.decidedBy,
      decisionDeadline: a.decisionDeadline === null ? null : describePeriod(a.decisionDeadline),
      independentDecider: a.deciderMustNotHaveBeenInvolved !== false,
      ombudsman: a.ombudsman === true,
      sources: [sourceOf(this.ctx.profile, "appeal.window"), sourceOf(this.ctx.profile, "appeal.decidedBy"), sourceOf(this.ctx.profile, "appeal.route")].filter((x, i, all): x is string => x !== undefined && all.indexOf(x) === i),
    };
  }

  async list(filter: { status?: AppealRecord["status"]; entryId?: string } = {}): Promise<AppealRecord[]> {
    const where: Record<string, string> = {};
    if (filter.status) where.status = filter.status;
    if (filter.entryId) where.entryId = filter.entryId;
    return (await this.ctx.deps.lifecycle.appeals.find(where)).sort((a, b) => (a.receivedOn < b.receivedOn ? 1 : -1));
  }

  async get(appealId: string): Promise<AppealRecord | undefined> {
    return this.ctx.deps.lifecycle.appeals.get(appealId);
  }

  /** Appeals waiting for a decision whose reminder is due today: (appeal, mark) pairs for the scheduler. */
  async remindersDue(today: IsoDate): Promise<{ appeal: AppealRecord; mark: "week-before" | "day-before" | "overdue" }[]> {
    const out: { appeal: AppealRecord; mark: "week-before" | "day-before" | "overdue" }[] = [];
    for (const appeal of await this.ctx.deps.lifecycle.appeals.find({ status: "received" })) {
      for (const mark of appealRemindersDue({ decisionDueOn: appeal.decisionDueOn ?? null, today, sent: appeal.remindersSent })) out.push({ appeal, mark });
    }
    return out;
  }

  /** Posts one reminder to the decision body's channel and records it on the appeal. */
  async remind(appealId: string, mark: "week-before" | "day-before" | "overdue"): Promise<Result<AppealRecord>> {
    const appeal = await this.ctx.deps.lifecycle.appeals.get(appealId);
    if (!appeal) return refuse("APPEAL_NOT_FOUND", "The appeal is gone.", 404);
    if (appeal.status !== "received" || appeal.remindersSent.includes(mark) || appeal.decisionDueOn === undefined) return ok(appeal);
    const due = formatDate(appeal.decisionDueOn);
    const text =
      mark === "overdue"
        ? `The appeal on ${appeal.reference} was due to be decided by ${due} and is now overdue. Decide it, or record why it is late.`
        : `The appeal on ${appeal.reference} must be decided by ${due} (${mark === "week-before" ? "in a week" : "tomorrow"}).`;
    await this.ctx.deps.channel.post({ kind: "appeal-reminder", reference: appeal.reference, title: `Appeal on ${appeal.reference}: decision due ${due}`, text });
    const saved = await this.ctx.deps.lifecycle.appeals.update({ ...appeal, remindersSent: [...appeal.remindersSent, mark] });
    await this.ctx.audit({ surface: "scheduler" }, "update", { subjectId: appeal.subjectId, entryId: appeal.entryId, what: ["appeal", `reminder:${mark}`] });
    return ok(saved);
  }
}
