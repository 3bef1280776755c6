// The lifecycle API (issue 7; docs/api.md "Lifecycle"): warnings, immediate restriction, breaches, reviews,
// appeals, letters, marker notifications, retention, the scheduler and the quarterly report. Every answer about an
// entry is held to the caller's view of it (the policy's tier rule): an entry the caller may not see is answered
// exactly as if it did not exist.
import type { IncomingHttpHeaders } from "node:http";
import { z } from "zod";
import {
  APPEAL_OUTCOMES,
  CONTACT_CHANNELS,
  INCIDENT_CATEGORIES,
  LETTER_TYPES,
  RESTRICTION_KINDS,
  REVIEW_OUTCOMES,
  RISK_LEVELS,
  WARNING_STEPS,
  type Caller,
  type EntryView,
  type RegisterEntry,
  type Surface,
} from "../../../../../core/src/domain";
import type { LifecycleService, Refusal } from "../../../services/lifecycle";
import { defineRoute, HttpError, type Reply, type Route } from "../router";

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date, YYYY-MM-DD" });
const instant = z.string().datetime({ offset: true, message: "must be a date and time, ISO 8601" });
const text = (max: number) => z.string().trim().min(1, { message: "must not be empty" }).max(max, { message: `must be at most ${max} characters` });
const id = z.string().min(1).max(200);

const params = z.record(z.string().regex(/^[a-z][a-zA-Z]*$/), z.union([z.string().max(500), z.number(), z.boolean(), z.array(z.string().max(500)).max(50)]));
const restrictionInput = z
  .object({
    kind: z.enum(RESTRICTION_KINDS),
    params: params.optional(),
    serviceAreas: z.array(text(100)).max(20).optional(),
    startsOn: date.optional(),
    endsOn: date.optional(),
    staffInstruction: text(240).optional(),
    lastResortReason: text(1000).optional(),
  })
  .strict();
const variation = z
  .object({ riskLevel: z.enum(RISK_LEVELS).optional(), restrictions: z.array(restrictionInput).max(20).optional(), guidance: z.array(text(200)).max(3).optional() })
  .strict();

function surfaceOf(headers: IncomingHttpHeaders): Surface {
  const s = headers["x-calm-surface"];
  return s === "tab" ? "tab" : s === "addin" ? "addin" : "api";
}

function keyOf(headers: IncomingHttpHeaders): string {
  const raw = headers["idempotency-key"];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key) throw new HttpError(400, "IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key header (one new key per form) so a repeated request is not saved twice.");
  if (!KEY.test(key)) throw new HttpError(400, "IDEMPOTENCY_KEY_INVALID", "The Idempotency-Key header must be 8 to 100 letters, digits, - or _ (a UUID is ideal).");
  return key;
}

/** A refusal as problem details; parts a letter lacks become `errors`. */
function problem(r: Refusal, requestId: string): Reply {
  const missing = Array.isArray(r.details?.missing) ? (r.details.missing as { part: string; label: string; fix: string }[]) : undefined;
  const { missing: _m, ...details } = r.details ?? {};
  return {
    status: r.status,
    contentType: "application/problem+json; charset=utf-8",
    json: {
      type: `urn:calm:problem:${r.code.toLowerCase().replace(/_/g, "-")}`,
      title: r.status === 404 ? "Not found" : r.status === 403 ? "Not allowed" : r.status === 409 ? "Conflict" : r.status === 422 ? "Something is missing" : "The request is not valid",
      status: r.status,
      code: r.code,
      detail: r.message,
      requestId,
      ...(missing ? { errors: missing.map((m) => ({ field: `texts.${m.part}`, code: "PART_MISSING", message: `The letter must ${m.label}. ${m.fix}` })) } : {}),
      ...details,
    },
  };
}

function reply<T>(result: { ok: true; value: T } | Refusal, requestId: string, status = 200, shape: (v: T) => unknown = (v) => v): Reply {
  return result.ok ? { status, json: shape(result.value) } : problem(result, requestId);
}

/** Runs a create once per Idempotency-Key (docs/api.md "Conventions"); a repeat answers as the first did, with
 * `duplicate: true`. */
async function createOnce(lifecycle: LifecycleService, caller: Caller, action: string, headers: IncomingHttpHeaders, make: () => Promise<Reply>): Promise<Reply> {
  const key = keyOf(headers);
  const done = await lifecycle.idempotency.once(caller.id, action, key, async () => {
    const r = await make();
    return { status: r.status, json: r.json };
  });
  if (done.status >= 300) return { status: done.status, json: done.json, contentType: "application/problem+json; charset=utf-8" };
  return { status: done.status, json: { ...(done.json as object), duplicate: done.duplicate }, headers: { "Cache-Control": "no-store" } };
}

const GENEROUS: Record<EntryView, number> = { hidden: 0, minimum: 1, summary: 2, full: 3 };

function notFound(what: string): HttpError {
  return new HttpError(404, "NOT_FOUND", `We could not find that ${what}, or you do not have access to it. Reload the page and try again.`);
}

export function lifecycleRoutes(lifecycle: LifecycleService): Route[] {
  const s = lifecycle;
  const ctx = s.ctx;

  const tag = (caller: Caller, headers: IncomingHttpHeaders): Caller => {
    ctx.surfaces.set(caller, surfaceOf(headers));
    return caller;
  };

  /** The entry, if the caller's view of it is at least `need`; otherwise 404, as if it did not exist. */
  const entryFor = async (caller: Caller, entryId: string, need: EntryView): Promise<RegisterEntry> => {
    const entry = await ctx.deps.stores.register.get(entryId);
    if (!entry || GENEROUS[await ctx.viewOf(caller, entry)] < GENEROUS[need]) throw notFound("register entry");
    return entry;
  };

  const sees = async (caller: Caller, entryId: string | undefined, need: EntryView): Promise<boolean> => {
    if (entryId === undefined) return true;
    const entry = await ctx.deps.stores.register.get(entryId);
    // A purged entry leaves nothing to see; a record still pointing at it is shown only to full views of nothing.
    if (!entry) return false;
    return GENEROUS[await ctx.viewOf(caller, entry)] >= GENEROUS[need];
  };

  const subjectMustExist = async (subjectId: string): Promise<void> => {
    if (!(await ctx.deps.stores.subjects.get(subjectId))) throw notFound("person or address");
  };

  return [
    // -------------------------------------------------------------------------------------------------------
    // Warning ladder and immediate restriction
    // -------------------------------------------------------------------------------------------------------
    defineRoute({
      id: "lifecycle.ladder",
      method: "GET",
      path: "/api/lifecycle/subjects/:subjectId/ladder",
      permission: "warnings.read",
      async handler({ params: p, query }) {
        await subjectMustExist(p.subjectId!);
        const category = query.get("category") ?? undefined;
        if (category !== undefined && !(INCIDENT_CATEGORIES as readonly string[]).includes(category)) {
          throw new HttpError(400, "CATEGORY_UNKNOWN", `Choose one of the incident categories: ${INCIDENT_CATEGORIES.join(", ")}.`);
        }
        return { status: 200, json: await s.warnings.ladder(p.subjectId!, category as (typeof INCIDENT_CATEGORIES)[number] | undefined) };
      },
    }),
    defineRoute({
      id: "lifecycle.warnings.record",
      method: "POST",
      path: "/api/lifecycle/subjects/:subjectId/warnings",
      permission: "warnings.record",
      body: z
        .object({
          step: z.enum(WARNING_STEPS),
          category: z.enum(INCIDENT_CATEGORIES).optional(),
          incidentIds: z.array(id).max(50).optional(),
          givenOn: date.optional(),
          note: text(2000).optional(),
          departureReason: text(1000).optional(),
        })
        .strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        return createOnce(s, c, "warnings.record", headers, async () => reply(await s.warnings.record(c, { subjectId: p.subjectId!, ...body }), requestId, 201));
      },
    }),
    defineRoute({
      id: "lifecycle.restrict-immediately",
      method: "POST",
      path: "/api/lifecycle/subjects/:subjectId/immediate-restriction",
      permission: "restrictions.immediate",
      body: z
        .object({
          ground: text(60),
          reason: text(2000),
          policeReference: text(60).optional(),
          riskLevel: z.enum(RISK_LEVELS),
          category: z.enum(INCIDENT_CATEGORIES),
          restrictions: z.array(restrictionInput).min(1).max(20),
          guidance: z.array(text(200)).max(3).optional(),
          spoc: z.object({ displayName: text(200), mailbox: z.string().email(), serviceArea: text(100).optional(), phone: text(40).optional() }).strict().optional(),
        })
        .strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        return createOnce(s, c, "restrictions.immediate", headers, async () => reply(await s.warnings.restrictImmediately(c, { subjectId: p.subjectId!, ...body }), requestId, 201, (v) => ({ entry: { id: v.entry.id, reference: v.entry.reference, status: v.entry.status, restrictions: v.entry.restrictions, nextReviewOn: v.entry.nextReviewOn, expiresOn: v.entry.expiresOn }, record: v.record, created: v.created })),);
      },
    }),
    defineRoute({
      id: "lifecycle.breaches.log",
      method: "POST",
      path: "/api/lifecycle/entries/:entryId/breaches",
      permission: "contacts.breach",
      body: z.object({ restrictionId: id, note: text(2000), at: instant.optional(), channel: z.enum(CONTACT_CHANNELS).optional() }).strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        await entryFor(c, p.entryId!, "summary");
        return createOnce(s, c, "contacts.breach", headers, async () => reply(await s.restrictions.logContact(c, p.entryId!, { kind: "breach", ...body }), requestId, 201, (contact) => ({ contact })));
      },
    }),

    // -------------------------------------------------------------------------------------------------------
    // Reviews
    // -------------------------------------------------------------------------------------------------------
    defineRoute({
      id: "lifecycle.reviews.list",
      method: "GET",
      path: "/api/lifecycle/reviews",
      permission: "reviews.read",
      async handler({ caller }) {
        const items = [];
        for (const item of await s.reviews.list()) if (await sees(caller!, item.entryId, "summary")) items.push(item);
        return { status: 200, json: { today: ctx.today(), approver: s.reviews.approverName(), items } };
      },
    }),
    defineRoute({
      id: "lifecycle.reviews.get",
      method: "GET",
      path: "/api/lifecycle/reviews/:reviewId",
      permission: "reviews.read",
      async handler({ caller, params: p, requestId }) {
        const r = await s.reviews.evidence(p.reviewId!);
        if (r.ok && !(await sees(caller!, r.value.entry.id, "full"))) throw notFound("review");
        return reply(r, requestId);
      },
    }),
    defineRoute({
      id: "lifecycle.reviews.start",
      method: "POST",
      path: "/api/lifecycle/entries/:entryId/review",
      permission: "reviews.start",
      async handler({ caller, params: p, headers, requestId }) {
        const c = tag(caller!, headers);
        await entryFor(c, p.entryId!, "full");
        return reply(await s.reviews.startNow(c, p.entryId!), requestId, 201, (review) => ({ review }));
      },
    }),
    defineRoute({
      id: "lifecycle.reviews.justify",
      method: "POST",
      path: "/api/lifecycle/reviews/:reviewId/justification",
      permission: "reviews.justify",
      body: z.object({ justification: text(4000) }).strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        const review = await ctx.deps.lifecycle.reviews.get(p.reviewId!);
        if (!review || !(await sees(c, review.entryId, "full"))) throw notFound("review");
        return reply(await s.reviews.justify(c, p.reviewId!, body.justification), requestId, 200, (r) => ({ review: r }));
      },
    }),
    defineRoute({
      id: "lifecycle.reviews.decide",
      method: "POST",
      path: "/api/lifecycle/reviews/:reviewId/decision",
      permission: "reviews.decide",
      body: z.object({ outcome: z.enum(REVIEW_OUTCOMES), approvedOn: date, approvalReference: text(200).optional(), reasons: text(4000), variation: variation.optional() }).strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        const review = await ctx.deps.lifecycle.reviews.get(p.reviewId!);
        if (!review || !(await sees(c, review.entryId, "full"))) throw notFound("review");
        return reply(await s.reviews.decide(c, p.reviewId!, body), requestId);
      },
    }),

    // -------------------------------------------------------------------------------------------------------
    // Appeals
    // -------------------------------------------------------------------------------------------------------
    defineRoute({
      id: "lifecycle.appeals.list",
      method: "GET",
      path: "/api/lifecycle/appeals",
      permission: "reviews.read",
      async handler({ caller, query }) {
        const status = query.get("status");
        if (status !== null && !["received", "decided", "withdrawn", "referred"].includes(status)) {
          throw new HttpError(400, "STATUS_UNKNOWN", "Choose a status: received, decided, withdrawn or referred.");
        }
        const appeals = [];
        for (const a of await s.appeals.list(status === null ? {} : { status: status as "received" })) if (await sees(caller!, a.entryId, "full")) appeals.push(a);
        return { status: 200, json: { today: ctx.today(), policy: s.appeals.policySummary(), appeals } };
      },
    }),
    defineRoute({
      id: "lifecycle.appeals.receive",
      method: "POST",
      path: "/api/lifecycle/entries/:entryId/appeals",
      permission: "appeals.record",
      body: z.object({ receivedOn: date, grounds: text(4000), notifiedOn: date.optional(), acceptLateReason: text(1000).optional() }).strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        await entryFor(c, p.entryId!, "full");
        return createOnce(s, c, "appeals.record", headers, async () => reply(await s.appeals.receive(c, p.entryId!, body), requestId, 201, (appeal) => ({ appeal })));
      },
    }),
    defineRoute({
      id: "lifecycle.appeals.decide",
      method: "POST",
      path: "/api/lifecycle/appeals/:appealId/decision",
      permission: "appeals.decide",
      body: z.object({ outcome: z.enum(APPEAL_OUTCOMES), reasons: text(4000), variation: variation.optional() }).strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        const appeal = await s.appeals.get(p.appealId!);
        if (!appeal || !(await sees(c, appeal.entryId, "full"))) throw notFound("appeal");
        return reply(await s.appeals.decide(c, p.appealId!, body), requestId, 200, (v) => ({ appeal: v.appeal, entryStatus: v.entry?.status ?? "removed" }));
      },
    }),
    defineRoute({
      id: "lifecycle.appeals.withdraw",
      method: "POST",
      path: "/api/lifecycle/appeals/:appealId/withdrawal",
      permission: "appeals.record",
      body: z.object({ note: z.string().max(1000) }).strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        const appeal = await s.appeals.get(p.appealId!);
        if (!appeal || !(await sees(c, appeal.entryId, "full"))) throw notFound("appeal");
        return reply(await s.appeals.withdraw(c, p.appealId!, body.note), requestId, 200, (a) => ({ appeal: a }));
      },
    }),
    defineRoute({
      id: "lifecycle.ombudsman",
      method: "POST",
      path: "/api/lifecycle/ombudsman-referrals",
      permission: "appeals.record",
      body: z.object({ appealId: id.optional(), entryId: id.optional(), referredOn: date, reference: text(100).optional() }).strict(),
      async handler({ caller, body, headers, requestId }) {
        const c = tag(caller!, headers);
        const appeal = body.appealId ? await s.appeals.get(body.appealId) : undefined;
        if (!(await sees(c, appeal?.entryId ?? body.entryId, "full")) || (body.appealId && !appeal)) throw notFound("appeal or entry");
        return reply(await s.appeals.recordOmbudsman(c, body), requestId, 201, (a) => ({ appeal: a }));
      },
    }),

    // -------------------------------------------------------------------------------------------------------
    // Letters
    // -------------------------------------------------------------------------------------------------------
    defineRoute({
      id: "lifecycle.letters.list",
      method: "GET",
      path: "/api/lifecycle/letters",
      permission: "letters.read",
      async handler({ caller, query }) {
        const entryId = query.get("entryId") ?? undefined;
        const subjectId = query.get("subjectId") ?? undefined;
        if (!entryId && !subjectId) throw new HttpError(400, "ENTRY_REQUIRED", "Say which entry (entryId) or person (subjectId) the letters are about.");
        if (entryId) await entryFor(caller!, entryId, "full");
        const letters = [];
        for (const l of await s.letters.list({ ...(entryId ? { entryId } : {}), ...(subjectId ? { subjectId } : {}) })) if (await sees(caller!, l.entryId, "full")) letters.push(l);
        return { status: 200, json: { letters, types: s.letters.typesSummary() } };
      },
    }),
    defineRoute({
      id: "lifecycle.letters.produce",
      method: "POST",
      path: "/api/lifecycle/letters",
      permission: "letters.produce",
      body: z
        .object({
          type: z.enum(LETTER_TYPES),
          entryId: id.optional(),
          subjectId: id.optional(),
          reviewId: id.optional(),
          appealId: id.optional(),
          warningId: id.optional(),
          texts: z.record(z.string().regex(/^[a-z-]+$/), z.string().max(4000)).optional(),
        })
        .strict(),
      async handler({ caller, body, headers, requestId }) {
        const c = tag(caller!, headers);
        if (body.entryId) await entryFor(c, body.entryId, "full");
        else if (body.subjectId) {
          await subjectMustExist(body.subjectId);
          for (const e of await ctx.deps.stores.register.listBySubject(body.subjectId)) if (!(await sees(c, e.id, "full"))) throw notFound("person or address");
        }
        return createOnce(s, c, "letters.produce", headers, async () => reply(await s.letters.produce(c, body), requestId, 201));
      },
    }),
    defineRoute({
      id: "lifecycle.letters.document",
      method: "GET",
      path: "/api/lifecycle/letters/:letterId/document",
      permission: "letters.read",
      async handler({ caller, params: p, headers, requestId }) {
        const c = tag(caller!, headers);
        const letter = await ctx.deps.lifecycle.letters.get(p.letterId!);
        if (!letter || !(await sees(c, letter.entryId, "full"))) throw notFound("letter");
        const doc = await s.letters.document(c, p.letterId!);
        if (!doc.ok) return problem(doc, requestId);
        return {
          status: 200,
          buffer: doc.value.data,
          contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          headers: { "Content-Disposition": `attachment; filename="${doc.value.fileName}"`, "Cache-Control": "no-store" },
        };
      },
    }),

    // -------------------------------------------------------------------------------------------------------
    // Marker notifications (East Suffolk 3.1)
    // -------------------------------------------------------------------------------------------------------
    defineRoute({
      id: "lifecycle.subscriptions.list",
      method: "GET",
      path: "/api/lifecycle/subscriptions",
      permission: "notifications.manage",
      async handler() {
        return { status: 200, json: { enabled: s.notifications.enabled(), events: ctx.profile.markerNotifications?.events ?? [], source: s.notifications.source(), subscriptions: await s.notifications.list() } };
      },
    }),
    defineRoute({
      id: "lifecycle.subscriptions.create",
      method: "POST",
      path: "/api/lifecycle/subscriptions",
      permission: "notifications.manage",
      body: z
        .object({
          serviceArea: text(100),
          events: z.array(z.enum(["added", "removed"])).min(1).max(2),
          target: z.discriminatedUnion("kind", [
            z.object({ kind: z.literal("webhook"), url: z.string().url().max(2000) }).strict(),
            z.object({ kind: z.literal("teams-channel"), conversationId: text(500) }).strict(),
          ]),
        })
        .strict(),
      async handler({ caller, body, headers, requestId }) {
        const c = tag(caller!, headers);
        return createOnce(s, c, "subscriptions.create", headers, async () => reply(await s.notifications.subscribe(c, body), requestId, 201));
      },
    }),
    defineRoute({
      id: "lifecycle.subscriptions.deactivate",
      method: "POST",
      path: "/api/lifecycle/subscriptions/:subscriptionId/deactivate",
      permission: "notifications.manage",
      async handler({ caller, params: p, headers, requestId }) {
        return reply(await s.notifications.deactivate(tag(caller!, headers), p.subscriptionId!), requestId, 200, (subscription) => ({ subscription }));
      },
    }),
    defineRoute({
      id: "lifecycle.deliveries.list",
      method: "GET",
      path: "/api/lifecycle/deliveries",
      permission: "notifications.manage",
      async handler({ query }) {
        const status = query.get("status");
        if (status !== null && !["pending", "delivered", "gave-up"].includes(status)) throw new HttpError(400, "STATUS_UNKNOWN", "Choose a status: pending, delivered or gave-up.");
        const subscriptionId = query.get("subscriptionId") ?? undefined;
        const deliveries = await s.notifications.log({ ...(subscriptionId ? { subscriptionId } : {}), ...(status ? { status: status as "pending" } : {}) });
        return { status: 200, json: { deliveries: deliveries.slice(0, 500) } };
      },
    }),

    // -------------------------------------------------------------------------------------------------------
    // Retention and the scheduler
    // -------------------------------------------------------------------------------------------------------
    defineRoute({
      id: "lifecycle.retention.plan",
      method: "GET",
      path: "/api/lifecycle/retention",
      permission: "retention.read",
      async handler() {
        return { status: 200, json: await s.retention.plan() };
      },
    }),
    defineRoute({
      id: "lifecycle.retention.entry",
      method: "GET",
      path: "/api/lifecycle/retention/:entryId",
      permission: "retention.read",
      async handler({ params: p, requestId }) {
        return reply(await s.retention.planFor(p.entryId!), requestId);
      },
    }),
    defineRoute({
      id: "lifecycle.retention.purge",
      method: "POST",
      path: "/api/lifecycle/retention/:entryId/purge",
      permission: "retention.purge",
      body: z.object({ reason: text(1000), early: z.boolean().optional() }).strict(),
      async handler({ caller, params: p, body, headers, requestId }) {
        const c = tag(caller!, headers);
        return reply(await s.retention.purgeNow(c, p.entryId!, body), requestId, 200, (counts) => ({ purged: true, counts }));
      },
    }),
    defineRoute({
      id: "lifecycle.scheduler.status",
      method: "GET",
      path: "/api/lifecycle/scheduler",
      permission: "scheduler.read",
      async handler() {
        const status = await s.scheduler.status();
        const plan = await s.retention.plan();
        const purge = {
          rule: plan.rule,
          ...(plan.source ? { source: plan.source } : {}),
          dueNow: plan.due.length,
          waiting: plan.waiting.length,
          nextPurgeOn: plan.waiting.map((w) => w.purgeAfter).filter((d): d is string => d !== null).sort()[0] ?? null,
          lastResult: status.lastRun?.results.find((r) => r.job === "retention-purge") ?? null,
        };
        return { status: 200, json: { ...status, purge }, headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      id: "lifecycle.scheduler.run",
      method: "POST",
      path: "/api/lifecycle/scheduler/run",
      permission: "scheduler.run",
      async handler() {
        const run = await s.scheduler.runOnce();
        const { etag: _etag, ...record } = run;
        return { status: 200, json: record };
      },
    }),

    // -------------------------------------------------------------------------------------------------------
    // Reports
    // -------------------------------------------------------------------------------------------------------
    defineRoute({
      id: "lifecycle.reports.quarterly",
      method: "GET",
      path: "/api/lifecycle/reports/quarterly",
      permission: "reports.read",
      async handler({ caller, query, headers, requestId }) {
        const from = query.get("from") ?? undefined;
        const to = query.get("to") ?? undefined;
        const format = query.get("format") ?? "json";
        for (const [name, v] of [["from", from], ["to", to]] as const) {
          if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new HttpError(400, "DATE_INVALID", `"${name}" must be a date, YYYY-MM-DD.`);
        }
        if (!["json", "csv", "docx"].includes(format)) throw new HttpError(400, "FORMAT_UNKNOWN", "Choose a format: json, csv or docx.");
        const report = await s.reports.quarterly({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
        if (!report.ok) return problem(report, requestId);
        if (format === "json") return { status: 200, json: report.value };
        const file = await s.reports.export(tag(caller!, headers), report.value, format as "csv" | "docx");
        return { status: 200, buffer: file.data, contentType: file.contentType, headers: { "Content-Disposition": `attachment; filename="${file.fileName}"`, "Cache-Control": "no-store" } };
      },
    }),
  ];
}
