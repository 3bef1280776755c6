// Case, vote and decision routes for the tab (docs/api.md "Cases, votes and decisions"). Every answer carries the
// ballot as the caller may see it, worked out fresh: a page never has to trust a copy it holds.
import { z } from "zod";
import { CASE_STATUSES } from "../../../../../core/src/domain";
import type { Casework } from "../../../services/casework";
import type { CaseView } from "../../../services/cases";
import { defineRoute, HttpError, type Route } from "../router";
import { idempotencyKey, need, problem, surfaceOf } from "./casework";

const t = (max: number) => z.string({ message: "must be text" }).max(max, { message: `must be at most ${max} characters` });
const param = z.union([t(500), z.number(), z.boolean(), z.array(t(500)).max(50)]);
const restriction = z.object({
  kind: t(60).optional(),
  params: z.record(z.string().max(60), param).optional(),
  serviceAreas: z.array(t(200)).max(20).optional(),
  startsOn: t(10).optional(),
  endsOn: t(10).optional(),
  staffInstruction: t(1000).optional(),
}).strict();
const spoc = z.object({ displayName: t(200).optional(), mailbox: t(320).optional(), serviceArea: t(200).optional(), phone: t(40).optional() }).strict();

const referBody = z.object({
  subjectId: t(100).optional(),
  incidentIds: z.array(t(100)).max(100).optional(),
  recommendedOutcome: t(40).optional(),
  summary: t(2000).optional(),
  papersUrl: t(4000).optional(),
  recommendedRestrictions: z.array(restriction).max(40).optional(),
  recommendedGuidance: z.array(t(1000)).max(10).optional(),
  recommendedSpoc: spoc.optional(),
}).strict();

const emergencyBody = z.object({
  subjectId: t(100).optional(),
  incidentIds: z.array(t(100)).max(100).optional(),
  summary: t(2000).optional(),
  reason: t(4000).optional(),
  actingAs: t(20).optional(),
  chairAbsent: z.boolean({ message: "must be true or false" }).optional(),
  nextMeetingOn: t(10).optional(),
  papersUrl: t(4000).optional(),
  restrictions: z.array(restriction).max(40).optional(),
  guidance: z.array(t(1000)).max(10).optional(),
  spoc: spoc.optional(),
}).strict();

const voteBody = z.object({ choice: t(40) }).strict();
const conflictBody = z.object({ reason: t(4000) }).strict();
const rulingBody = z.object({ excluded: z.boolean({ message: "must be true or false" }) }).strict();
const closeBody = z.object({
  healthConsidered: z.object({ considered: z.boolean({ message: "must be true or false" }), note: t(2000).optional() }).strict().optional(),
  rationale: t(10_000).optional(),
  outcome: t(40).optional(),
}).strict().optional();

function caseJson(view: CaseView) {
  const { etag: _etag, ...c } = view.case;
  return c;
}

export function caseRoutes(casework: Casework | undefined): Route[] {
  return [
    defineRoute({
      id: "cases.refer",
      method: "POST",
      path: "/api/cases",
      permission: "cases.refer",
      body: referBody,
      bodyLimit: 128 * 1024,
      async handler({ caller, body, headers, requestId }) {
        const key = idempotencyKey(headers);
        const outcome = await need(casework).cases.refer(caller!, body, key, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        return { status: outcome.duplicate ? 200 : 201, json: { case: caseJson(outcome.view), ballot: outcome.view.ballot, duplicate: outcome.duplicate } };
      },
    }),
    defineRoute({
      id: "cases.list",
      method: "GET",
      path: "/api/cases",
      permission: "cases.read",
      async handler({ caller, query }) {
        const status = query.get("status") ?? "voting";
        const known = CASE_STATUSES.find((s) => s === status);
        if (!known) throw new HttpError(400, "STATUS_INVALID", `Ask for cases by status: ${CASE_STATUSES.join(", ")}.`);
        const views = await need(casework).cases.list(caller!, known);
        return { status: 200, json: { cases: views.map((v) => ({ case: caseJson(v), ballot: v.ballot })) }, headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      id: "cases.emergency",
      method: "POST",
      path: "/api/cases/emergency",
      permission: "cases.emergency",
      body: emergencyBody,
      bodyLimit: 128 * 1024,
      async handler({ caller, body, headers, requestId }) {
        const key = idempotencyKey(headers);
        const outcome = await need(casework).cases.emergency(caller!, body, key, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        const strip = ({ etag: _e, ...c }: typeof outcome.case) => c;
        return { status: outcome.duplicate ? 200 : 201, json: { case: strip(outcome.case), entry: outcome.entry, ratificationCase: strip(outcome.ratificationCase), ratifyBy: outcome.ratifyBy, duplicate: outcome.duplicate } };
      },
    }),
    defineRoute({
      id: "cases.get",
      method: "GET",
      path: "/api/cases/:id",
      permission: "cases.read",
      async handler({ caller, params, requestId }) {
        const view = await need(casework).cases.get(caller!, params.id!);
        if (!view) return problem({ ok: false, code: "NOT_FOUND", status: 404, message: "We could not find that case. Check the reference, or ask the chair." }, requestId);
        return { status: 200, json: { case: caseJson(view), ballot: view.ballot, conflicts: view.conflicts }, headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      id: "cases.vote",
      method: "POST",
      path: "/api/cases/:id/votes",
      permission: "cases.vote",
      body: voteBody,
      async handler({ caller, params, body, headers, requestId }) {
        const outcome = await need(casework).cases.vote(caller!, params.id!, body.choice, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        return { status: 200, json: { vote: { choice: outcome.vote.choice, castAt: outcome.vote.castAt }, changed: outcome.changed, ballot: outcome.view.ballot } };
      },
    }),
    defineRoute({
      id: "cases.conflict",
      method: "POST",
      path: "/api/cases/:id/conflicts",
      permission: "cases.vote",
      body: conflictBody,
      async handler({ caller, params, body, headers, requestId }) {
        const outcome = await need(casework).cases.declareConflict(caller!, params.id!, body.reason, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        return { status: 200, json: { conflict: outcome.view.conflicts.find((x) => x.memberId === caller!.id) ?? null, ballot: outcome.view.ballot } };
      },
    }),
    defineRoute({
      id: "cases.ruling",
      method: "POST",
      path: "/api/cases/:id/conflicts/:memberId/ruling",
      permission: "cases.rule",
      body: rulingBody,
      async handler({ caller, params, body, headers, requestId }) {
        const outcome = await need(casework).cases.ruleConflict(caller!, params.id!, params.memberId!, body.excluded, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        return { status: 200, json: { conflict: outcome.view.conflicts.find((x) => x.memberId === params.memberId) ?? null, ballot: outcome.view.ballot } };
      },
    }),
    defineRoute({
      id: "cases.close",
      method: "POST",
      path: "/api/cases/:id/close",
      permission: "cases.close",
      body: closeBody,
      async handler({ caller, params, body, headers, requestId }) {
        const outcome = await need(casework).cases.close(caller!, params.id!, body ?? {}, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId, outcome.view ? { ballot: outcome.view.ballot } : {});
        return { status: 200, json: { case: caseJson(outcome.view), decision: outcome.view.case.decision, entry: outcome.entry ?? null, alreadyClosed: outcome.alreadyClosed, ballot: outcome.view.ballot } };
      },
    }),
  ];
}
