// What each card action and command does (issue 3). One place, used by the Universal Actions invoke
// (Action.Execute), its Action.Submit fallback and typed commands alike, so every path behaves the same.
//
// Every action: checks the card's data (a bad payload gets a clear error card and changes nothing), checks the
// caller's permission from the one permission table, calls a service, and answers with a card. Nothing a card
// carries is trusted: a vote card's tally or "your vote" is rebuilt from the store on every answer, and a card made
// for someone else is refused.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Caller } from "../../../../core/src/domain";
import { OUTCOME_LABELS } from "../../../../core/src/present/outcomes";
import type { CallerDirectory, TeamsIdentity } from "../../ports/callerDirectory";
import type { ConversationStore } from "../../ports/conversations";
import { ConcurrencyError, StoreUnavailableError } from "../../ports/errors";
import type { Clock, Logger } from "../../ports/system";
import type { Casework } from "../../services/casework";
import type { CaseView } from "../../services/cases";
import type { Failure, IncidentDraft, Problem } from "../../services/incidents";
import type { LookupService } from "../../services/lookup";
import { allows, type PermissionId } from "../../services/permissions";
import { execute, noticeCard, type Action, type AdaptiveCard } from "./cards/common";
import { lookupCard } from "./cards/lookup";
import { reportDoneCard, reportFormCard, WITNESS_ROWS } from "./cards/report";
import { caseListCard, voteCard, votePreview } from "./cards/vote";
import { emergencyFormCard, helpCard, referFormCard, welcomeCard } from "./cards/welcome";
import { londonDate, londonToInstant } from "./time";

export interface ActionResult {
  card: AdaptiveCard;
  /** Notification preview text (ids and actions only, never a name). */
  preview?: string;
}

export interface ActionsDeps {
  lookup: LookupService;
  casework(): Casework | undefined;
  directory: CallerDirectory;
  conversations: ConversationStore;
  registerName: string;
  clock: Clock;
  logger: Logger;
  /** Teams user ids (MRIs) of the case's members, for `refresh.userIds`. */
  refreshUserIds(memberIds: string[]): Promise<string[]>;
  /** The staff portal's address, for "Show history" (full view only). */
  tabUrl?: string;
  /** The per-user rate limit on lookups, shared with the API (services/rateLimit.ts; issue 8). */
  rateLimit?(userId: string): { ok: true } | { ok: false; retryAfterSec: number };
}

export interface Turn {
  identity: TeamsIdentity;
  caller: Caller | undefined;
  /** Where the action came from: a personal chat, a channel or a group chat. */
  conversationType: "personal" | "channel" | "groupChat";
}

const VERBS = ["showReport", "submitReport", "lookup", "showRefer", "submitRefer", "showEmergency", "submitEmergency", "vote", "declareConflict", "ruleConflict", "closeVote", "refresh", "listCases", "welcome"] as const;
export type Verb = (typeof VERBS)[number];

/** What each action needs the caller to hold (services/permissions.ts); the authorisation matrix reads it. */
export const CARD_ACTION_PERMISSIONS: Readonly<Record<Verb, PermissionId | undefined>> = {
  welcome: undefined,
  showReport: "incidents.report",
  submitReport: "incidents.report",
  lookup: "lookup.search",
  showRefer: "cases.refer",
  submitRefer: "cases.refer",
  showEmergency: "cases.emergency",
  submitEmergency: "cases.emergency",
  vote: "cases.vote",
  declareConflict: "cases.vote",
  ruleConflict: "cases.rule",
  closeVote: "cases.close",
  refresh: undefined, // anyone who sees the channel card may refresh it; what they see depends on who they are
  listCases: "cases.read",
};

const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:@-]+$/);
// The form's idempotency key. Named `formKey` in card data: some card renderers treat a `key` field as their own.
const key = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/);
const short = z.string().max(400);
const long = z.string().max(12_000);
const flag = z.union([z.boolean(), z.enum(["true", "false"])]).transform((v) => v === true || v === "true");

/** Each verb's data (action data and input values together). Unknown fields are ignored; wrong types fail. */
const DATA = {
  welcome: z.object({}),
  showReport: z.object({ subjectId: id.optional(), ref: z.string().max(20).optional() }),
  submitReport: z.object({
    formKey: key, subjectId: id.optional(),
    subjectKind: short.optional(), subjectName: short.optional(), subjectEmail: short.optional(), subjectPhone: short.optional(), subjectAddress: short.optional(),
    occurredDate: short.optional(), occurredTime: short.optional(), location: short.optional(), channel: short.optional(), serviceArea: short.optional(), category: short.optional(), description: long.optional(),
    policeReference: short.optional(), hateIncident: flag.optional(), immediateAction: short.optional(), immediateActionNote: z.string().max(2000).optional(),
    // WITNESS_ROWS (3) rows of witness name and statement.
    witness1Name: short.optional(), witness1Statement: z.string().max(6000).optional(),
    witness2Name: short.optional(), witness2Statement: z.string().max(6000).optional(),
    witness3Name: short.optional(), witness3Statement: z.string().max(6000).optional(),
  }),
  lookup: z.object({ query: z.string().max(320).optional() }),
  showRefer: z.object({ incidentId: id }),
  submitRefer: z.object({ formKey: key, incidentId: id, recommendedOutcome: short.optional(), summary: z.string().max(2000).optional(), papersUrl: z.string().max(4000).optional(), guidance: short.optional() }),
  showEmergency: z.object({ incidentId: id }),
  submitEmergency: z.object({ formKey: key, incidentId: id, reason: z.string().max(4000).optional(), summary: z.string().max(2000).optional(), guidance: short.optional(), chairAbsent: flag.optional() }),
  vote: z.object({ caseId: id, choice: z.string().max(40), for: id.optional() }),
  declareConflict: z.object({ caseId: id, reason: z.string().max(4000).optional(), for: id.optional() }),
  ruleConflict: z.object({ caseId: id, memberId: id, excluded: flag, for: id.optional() }),
  closeVote: z.object({ caseId: id, healthConsidered: flag.optional(), rationale: z.string().max(10_000).optional(), outcome: z.string().max(40).optional(), for: id.optional() }),
  refresh: z.object({ caseId: id }),
  listCases: z.object({}),
} satisfies Record<Verb, z.ZodType>;

export function isVerb(v: unknown): v is Verb {
  return typeof v === "string" && (VERBS as readonly string[]).includes(v);
}

const problemCard = (title: string, message: string, code: string, actions: Action[] = []): ActionResult => ({ card: noticeCard(title, message, "error", actions, code) });

export class CalmActions {
  constructor(private readonly deps: ActionsDeps) {}

  private cw(): Casework {
    const cw = this.deps.casework();
    if (!cw) throw new PolicyMissing();
    return cw;
  }

  /** Runs one action. Never throws: a surprise becomes a card that says nothing was changed. */
  async run(turn: Turn, verbInput: unknown, raw: unknown): Promise<ActionResult> {
    try {
      if (!isVerb(verbInput)) {
        return problemCard("That button did not work", "CALM does not recognise that button. It may be from an old card: type help to start again.", "CARD_ACTION_UNKNOWN");
      }
      const verb = verbInput;
      const parsed = DATA[verb].safeParse(raw ?? {});
      if (!parsed.success) {
        this.deps.logger.warn("bot.card_data_invalid", { verb, issues: parsed.error.issues.length });
        return problemCard("That button's details were not valid", "Nothing was changed. The card may be out of date: open it again (or type help) and try once more.", "CARD_DATA_INVALID");
      }
      if (verb === "refresh") return await this.refresh(turn, parsed.data as z.infer<typeof DATA.refresh>);
      if (verb === "welcome") return this.welcome(turn);
      const caller = turn.caller;
      if (!caller) return { card: welcomeCard({ registerName: this.deps.registerName, canVote: false, isChannel: false, canSetChannel: false, known: false }) };
      const permission = CARD_ACTION_PERMISSIONS[verb];
      if (permission && !allows(permission, caller)) {
        return problemCard("Not allowed", "Your role does not allow this, so nothing was changed. Ask a register administrator if you need it.", "FORBIDDEN");
      }
      const data = parsed.data as Record<string, unknown>;
      if ("for" in data && data.for !== undefined && data.for !== caller.id && "caseId" in data) {
        // A user-specific card belongs to one person: someone else's copy (or a crafted payload) changes nothing.
        return await this.caseCard(caller, String(data.caseId), { message: "This card was made for someone else, so nothing was changed. Here is your own view of the case.", kind: "error" }, "CARD_NOT_YOURS");
      }
      switch (verb) {
        case "showReport": return this.showReport(caller, data);
        case "submitReport": return await this.submitReport(caller, data as z.infer<typeof DATA.submitReport>);
        case "lookup": return await this.lookup(caller, (data as z.infer<typeof DATA.lookup>).query ?? "");
        case "showRefer": return await this.showRefer(caller, (data as z.infer<typeof DATA.showRefer>).incidentId);
        case "submitRefer": return await this.submitRefer(caller, data as z.infer<typeof DATA.submitRefer>);
        case "showEmergency": return await this.showEmergency(caller, (data as z.infer<typeof DATA.showEmergency>).incidentId);
        case "submitEmergency": return await this.submitEmergency(caller, data as z.infer<typeof DATA.submitEmergency>);
        case "vote": return await this.vote(caller, data as z.infer<typeof DATA.vote>);
        case "declareConflict": return await this.declareConflict(caller, data as z.infer<typeof DATA.declareConflict>);
        case "ruleConflict": return await this.ruleConflict(caller, data as z.infer<typeof DATA.ruleConflict>);
        case "closeVote": return await this.closeVote(caller, data as z.infer<typeof DATA.closeVote>);
        case "listCases": return await this.listCases(caller);
      }
    } catch (error) {
      return this.surprise(error);
    }
  }

  surprise(error: unknown): ActionResult {
    if (error instanceof PolicyMissing) return problemCard("Not available", "The council's policy is not loaded, so reports and cases are unavailable. Tell IT.", "POLICY_NOT_LOADED");
    if (error instanceof StoreUnavailableError) return problemCard("Storage is not available", "We could not reach storage, so nothing was changed. Try again in a minute.", error.code);
    if (error instanceof ConcurrencyError) return problemCard("Someone else changed this at the same moment", "Nothing was changed. Try again.", error.code);
    this.deps.logger.error("bot.action_failed", { error: error instanceof Error ? error.name : typeof error });
    return problemCard("Something went wrong on our side", "Nothing was changed. Try again; if it keeps happening, tell IT.", "INTERNAL_ERROR");
  }

  welcome(turn: Turn): ActionResult {
    const c = turn.caller;
    return {
      card: welcomeCard({
        registerName: this.deps.registerName,
        ...(c ? { name: c.displayName } : {}),
        canVote: !!c && allows("cases.vote", c),
        isChannel: turn.conversationType !== "personal",
        canSetChannel: !!c && (c.roles.includes("chair") || c.roles.includes("register-admin")),
        known: !!c,
      }),
    };
  }

  help(): ActionResult {
    return { card: helpCard(this.deps.registerName) };
  }

  // -------------------------------------------------------------------------------------------------------
  // Reports
  // -------------------------------------------------------------------------------------------------------

  showReport(caller: Caller, data: { subjectId?: string; ref?: string }): ActionResult {
    const cw = this.cw();
    return {
      card: reportFormCard({
        key: randomUUID(),
        ...(data.subjectId ? { subjectId: data.subjectId } : {}),
        ...(data.ref ? { subjectReference: data.ref } : {}),
        premisesAllowed: cw.profile.premises.enabled,
        values: { serviceArea: caller.serviceAreas[0] ?? "", occurredDate: londonDate(this.deps.clock.now()) },
        errors: {},
        today: londonDate(this.deps.clock.now()),
      }),
    };
  }

  async submitReport(caller: Caller, data: z.infer<typeof DATA.submitReport>): Promise<ActionResult> {
    const cw = this.cw();
    const values = data as Record<string, string | boolean | undefined>;
    const draft = draftFromInputs(values, data.subjectId);
    const outcome = await cw.incidents.report(caller, draft, data.formKey, "bot");
    if (!outcome.ok) {
      const errors = inputErrors(outcome.problems ?? []);
      const stringValues = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
      return {
        card: reportFormCard({
          key: data.formKey,
          ...(data.subjectId ? { subjectId: data.subjectId } : {}),
          premisesAllowed: cw.profile.premises.enabled,
          values: stringValues,
          errors,
          message: outcome.problems && outcome.problems.length > 0 ? `We could not send the report yet. Fix the ${outcome.problems.length === 1 ? "field" : `${outcome.problems.length} fields`} marked below and send it again. Nothing was saved.` : outcome.message,
          today: londonDate(this.deps.clock.now()),
        }),
      };
    }
    const incident = outcome.incident;
    await this.rememberLastReport(caller.id, incident.id, incident.reference);
    const actions: Action[] = [execute("Report another incident", "showReport", {}, { associatedInputs: "none" })];
    if (allows("cases.refer", caller)) actions.push(execute(`Refer to ${cw.profile.decisionBody.name}`, "showRefer", { incidentId: incident.id }));
    const seat = await cw.decisionBody.get(caller.id);
    if (cw.profile.decisionBody.emergency && (seat?.capacity === "chair" || seat?.capacity === "emergency-deputy")) {
      actions.push(execute("Emergency addition at high risk", "showEmergency", { incidentId: incident.id }, { style: "destructive" }));
    }
    return { card: reportDoneCard({ incident, whatHappensNext: outcome.whatHappensNext, duplicate: outcome.duplicate, actions, evidenceHint: true }), preview: `${incident.reference} saved` };
  }

  /** The user's last report, so files they send next are added to it. */
  async rememberLastReport(userId: string, incidentId: string, reference: string): Promise<void> {
    const key = `user:${userId}`;
    const current = await this.deps.conversations.get(key);
    await this.deps.conversations.put({ key, reference: current?.reference ?? {}, ...(current?.activityId ? { activityId: current.activityId } : {}), state: { ...current?.state, lastIncidentId: incidentId, lastIncidentReference: reference }, updatedAt: this.deps.clock.now().toISOString() });
  }

  // -------------------------------------------------------------------------------------------------------
  // Lookup
  // -------------------------------------------------------------------------------------------------------

  async lookup(caller: Caller, query: string): Promise<ActionResult> {
    const limited = this.deps.rateLimit?.(caller.id);
    if (limited && !limited.ok) {
      return problemCard("Too many lookups for now", `You have looked up a lot of people in a short time. Wait ${limited.retryAfterSec} seconds and try again; if your work needs more, ask a register administrator.`, "RATE_LIMITED");
    }
    const outcome = await this.deps.lookup.lookup(caller, query, "bot");
    if (!outcome.ok) return problemCard("Look someone up", outcome.message, outcome.code);
    const canReport = allows("incidents.report", caller);
    return {
      card: lookupCard({
        matches: outcome.result.matches,
        registerName: this.deps.registerName,
        ...(this.deps.tabUrl ? { historyUrl: (m) => `${this.deps.tabUrl}#/subjects/${encodeURIComponent(m.subjectId)}` } : {}),
        ...(canReport ? { reportAbout: (m) => execute("Report an incident about them", "showReport", { subjectId: m.subjectId, ref: m.card.reference }, { associatedInputs: "none" }) } : {}),
      }),
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Referral and emergency addition
  // -------------------------------------------------------------------------------------------------------

  async showRefer(caller: Caller, incidentId: string): Promise<ActionResult> {
    const cw = this.cw();
    const incident = await cw.incidents.get(caller, incidentId);
    if (!incident) return problemCard("Report not found", "We could not find that report, or you may not see it. Nothing was changed.", "NOT_FOUND");
    return { card: referFormCard({ key: randomUUID(), incident, bodyName: cw.profile.decisionBody.name, values: {}, errors: {} }) };
  }

  async submitRefer(caller: Caller, data: z.infer<typeof DATA.submitRefer>): Promise<ActionResult> {
    const cw = this.cw();
    const incident = await cw.incidents.get(caller, data.incidentId);
    if (!incident) return problemCard("Report not found", "We could not find that report, or you may not see it. Nothing was changed.", "NOT_FOUND");
    const outcome = await cw.cases.refer(caller, {
      subjectId: incident.subjectId,
      incidentIds: [incident.id],
      recommendedOutcome: data.recommendedOutcome,
      summary: data.summary,
      papersUrl: data.papersUrl,
      recommendedGuidance: data.guidance ? [data.guidance] : [],
    }, data.formKey, "bot");
    if (!outcome.ok) {
      return { card: referFormCard({ key: data.formKey, incident, bodyName: cw.profile.decisionBody.name, values: stringsOf(data), errors: inputErrors(outcome.problems ?? [], { recommendedGuidance: "guidance" }), message: outcome.message }) };
    }
    const c = outcome.view.case;
    return { card: noticeCard(`${c.reference} referred`, `${outcome.duplicate ? "This case was already referred as" : "Referred as"} ${c.reference}. Its vote card is in the decision body's channel; you will see the decision there.`, "done"), preview: `${c.reference} referred` };
  }

  async showEmergency(caller: Caller, incidentId: string): Promise<ActionResult> {
    const cw = this.cw();
    const incident = await cw.incidents.get(caller, incidentId);
    if (!incident) return problemCard("Report not found", "We could not find that report, or you may not see it. Nothing was changed.", "NOT_FOUND");
    const seat = await cw.decisionBody.get(caller.id);
    return { card: emergencyFormCard({ key: randomUUID(), incident, bodyName: cw.profile.decisionBody.name, values: {}, errors: {}, asDeputy: seat?.capacity === "emergency-deputy" }) };
  }

  async submitEmergency(caller: Caller, data: z.infer<typeof DATA.submitEmergency>): Promise<ActionResult> {
    const cw = this.cw();
    const incident = await cw.incidents.get(caller, data.incidentId);
    if (!incident) return problemCard("Report not found", "We could not find that report, or you may not see it. Nothing was changed.", "NOT_FOUND");
    const seat = await cw.decisionBody.get(caller.id);
    const asDeputy = seat?.capacity === "emergency-deputy";
    const outcome = await cw.cases.emergency(caller, {
      subjectId: incident.subjectId,
      incidentIds: [incident.id],
      summary: data.summary,
      reason: data.reason,
      actingAs: asDeputy ? "deputy" : "chair",
      chairAbsent: data.chairAbsent === true,
      guidance: data.guidance ? [data.guidance] : [],
    }, data.formKey, "bot");
    if (!outcome.ok) {
      const errors = inputErrors(outcome.problems ?? []);
      if (outcome.code === "CHAIR_AVAILABLE") errors.chairAbsent = outcome.message;
      return { card: emergencyFormCard({ key: data.formKey, incident, bodyName: cw.profile.decisionBody.name, values: stringsOf(data), errors, message: outcome.message, asDeputy }) };
    }
    return {
      card: noticeCard(`${outcome.entry.reference} in force`, `${outcome.entry.reference} is on the ${this.deps.registerName} at high risk now, pending ratification. ${outcome.ratificationCase.reference} asks the decision body to ratify it${outcome.ratifyBy ? ` by ${outcome.ratifyBy}` : " at its next meeting"}.`, "done"),
      preview: `${outcome.entry.reference} added pending ratification`,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // The vote
  // -------------------------------------------------------------------------------------------------------

  /** The caller's own view of a case card (or the channel's, for someone who may not see the case). */
  async caseCard(caller: Caller | undefined, caseId: string, notice?: { message: string; kind: "error" | "info" | "done" }, code?: string): Promise<ActionResult> {
    const cw = this.cw();
    const view = caller ? await cw.cases.get(caller, caseId) : undefined;
    const shown = view ?? (await cw.cases.channelView(caseId));
    if (!shown) return problemCard("Case not found", "We could not find that case. Nothing was changed.", "NOT_FOUND");
    return this.render(shown, view && caller ? caller.id : undefined, notice && code ? { ...notice, message: `${notice.message} (${code})` } : notice);
  }

  async render(view: CaseView, viewerId: string | undefined, notice?: { message: string; kind: "error" | "info" | "done" }): Promise<ActionResult> {
    const cw = this.cw();
    const refreshUserIds = await this.deps.refreshUserIds((view.case.members ?? []).map((m) => m.id));
    return {
      card: voteCard({
        view,
        bodyName: cw.profile.decisionBody.name,
        ...(viewerId ? { viewerId } : {}),
        refreshUserIds,
        ...(notice ? { notice } : {}),
        askHealthConsidered: cw.profile.decisionBody.recordHealthConsidered === true,
        chairRecordsOutcome: cw.profile.decisionBody.mode === "panel" && cw.profile.decisionBody.majority === null,
      }),
      preview: votePreview(view),
    };
  }

  private async failedOnCase(caller: Caller, caseId: string, failure: Failure): Promise<ActionResult> {
    if (failure.code === "NOT_FOUND") return problemCard("Case not found", failure.message, failure.code);
    return this.caseCard(caller, caseId, { message: failure.message, kind: "error" }, failure.code);
  }

  async refresh(turn: Turn, data: { caseId: string }): Promise<ActionResult> {
    // The channel's view of a case belongs in the channel it was posted to. From a personal or group chat, someone
    // who may not read cases gets no case details for a case id they send (issue 8: found by the authorisation
    // matrix, tests/security/matrix.test.ts).
    if (turn.conversationType !== "channel" && !(turn.caller && allows("cases.read", turn.caller))) {
      return problemCard("Open this case in its channel", "Cases are shown in the decision body's channel, where they were posted. Nothing was changed.", "CASE_NOT_SHOWN_HERE");
    }
    return this.caseCard(turn.caller, data.caseId);
  }

  async vote(caller: Caller, data: z.infer<typeof DATA.vote>): Promise<ActionResult> {
    const outcome = await this.cw().cases.vote(caller, data.caseId, data.choice, "bot");
    if (!outcome.ok) return this.failedOnCase(caller, data.caseId, outcome);
    const label = OUTCOME_LABELS[outcome.vote.choice];
    return this.render(outcome.view, caller.id, outcome.changed
      ? { message: `Your vote is counted: ${label}.`, kind: "done" }
      : { message: `You had already voted ${label}. Nothing changed.`, kind: "info" });
  }

  async declareConflict(caller: Caller, data: z.infer<typeof DATA.declareConflict>): Promise<ActionResult> {
    const outcome = await this.cw().cases.declareConflict(caller, data.caseId, data.reason ?? "", "bot");
    if (!outcome.ok) return this.failedOnCase(caller, data.caseId, outcome);
    return this.render(outcome.view, caller.id, { message: "Your conflict of interest is recorded. The chair will rule on it; until then your vote does not count.", kind: "done" });
  }

  async ruleConflict(caller: Caller, data: z.infer<typeof DATA.ruleConflict>): Promise<ActionResult> {
    const outcome = await this.cw().cases.ruleConflict(caller, data.caseId, data.memberId, data.excluded, "bot");
    if (!outcome.ok) return this.failedOnCase(caller, data.caseId, outcome);
    return this.render(outcome.view, caller.id, { message: data.excluded ? "Recorded: the member is excluded from this case." : "Recorded: the member may vote on this case.", kind: "done" });
  }

  async closeVote(caller: Caller, data: z.infer<typeof DATA.closeVote>): Promise<ActionResult> {
    const cw = this.cw();
    const outcome = await cw.cases.close(caller, data.caseId, {
      ...(cw.profile.decisionBody.recordHealthConsidered ? { healthConsidered: { considered: data.healthConsidered === true } } : {}),
      ...(data.rationale ? { rationale: data.rationale } : {}),
      ...(data.outcome ? { outcome: data.outcome } : {}),
    }, "bot");
    if (!outcome.ok) return this.failedOnCase(caller, data.caseId, outcome);
    const d = outcome.view.case.decision!;
    const entry = outcome.entry ? ` ${outcome.entry.reference} is ${outcome.entry.status === "removed" ? "removed from" : "on"} the ${this.deps.registerName}.` : "";
    return this.render(outcome.view, caller.id, { message: outcome.alreadyClosed ? `The vote was already closed: ${OUTCOME_LABELS[d.outcome]}. Nothing changed.` : `The vote is closed. Decision: ${OUTCOME_LABELS[d.outcome]}.${entry}`, kind: outcome.alreadyClosed ? "info" : "done" });
  }

  async listCases(caller: Caller): Promise<ActionResult> {
    const cw = this.cw();
    return { card: caseListCard({ views: await cw.cases.list(caller, "voting"), bodyName: cw.profile.decisionBody.name }) };
  }
}

class PolicyMissing extends Error {}

function stringsOf(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (typeof v === "string" || typeof v === "boolean") out[k] = String(v);
  return out;
}

/** The report form's inputs as a draft for IncidentService (which checks everything). */
export function draftFromInputs(v: Record<string, string | boolean | undefined>, subjectId: string | undefined): IncidentDraft {
  const s = (k: string): string | undefined => {
    const x = v[k];
    return typeof x === "string" && x.trim().length > 0 ? x.trim() : undefined;
  };
  const witnesses = Array.from({ length: WITNESS_ROWS }, (_, i) => ({ name: s(`witness${i + 1}Name`), statement: s(`witness${i + 1}Statement`) })).filter((w) => w.name || w.statement);
  const address = s("subjectAddress");
  const occurredAt = londonToInstant(s("occurredDate"), s("occurredTime"));
  return {
    subject: subjectId
      ? { existingId: subjectId }
      : { new: { kind: s("subjectKind") ?? "person", displayName: s("subjectName") ?? "", emails: s("subjectEmail") ? [s("subjectEmail")!] : [], phones: s("subjectPhone") ? [s("subjectPhone")!] : [], addresses: address ? [{ lines: [address] }] : [] } },
    ...(occurredAt ? { occurredAt } : { occurredAt: s("occurredDate") ?? "" }),
    location: s("location") ?? "",
    channel: s("channel") ?? "",
    serviceArea: s("serviceArea") ?? "",
    category: s("category") ?? "",
    description: s("description") ?? "",
    witnesses,
    ...(s("policeReference") ? { policeReference: s("policeReference")! } : {}),
    hateIncident: v.hateIncident === true || v.hateIncident === "true",
    immediateAction: s("immediateAction") ?? "none",
    ...(s("immediateActionNote") ? { immediateActionNote: s("immediateActionNote")! } : {}),
  };
}

/** A service problem's field → the card input it belongs under. */
export function inputErrors(problems: Problem[], renames: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (input: string, message: string) => { out[input] = out[input] ? `${out[input]} ${message}` : message; };
  for (const p of problems) {
    const f = p.field;
    const w = /^witnesses\.(\d+)\.(name|statement)$/.exec(f);
    if (w) put(`witness${Number(w[1]) + 1}${w[2] === "name" ? "Name" : "Statement"}`, p.message);
    else if (f.startsWith("subject.new.emails")) put("subjectEmail", p.message);
    else if (f.startsWith("subject.new.phones")) put("subjectPhone", p.message);
    else if (f === "subject.new.kind") put("subjectKind", p.message);
    else if (f.startsWith("subject")) put("subjectName", p.message);
    else if (f === "occurredAt") put("occurredDate", p.message);
    else if (renames[f.split(".")[0]!]) put(renames[f.split(".")[0]!]!, p.message);
    else put(f.split(".")[0]!, p.message);
  }
  return out;
}
