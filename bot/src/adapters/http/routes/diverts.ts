// Routes for Graph mail protection (issue 6): Graph's change notifications (public: Graph authenticates by the
// subscription's clientState, checked by the handler), and the SPOC divert actions the tab and the bot use.
// The divert is made from the register entry itself: its SPOC mailbox and the subject's email addresses;
// only the target staff and groups come from the caller (Dorset 4.11-4.12).
import { z } from "zod";
import type { Stores } from "../../../ports/stores";
import type { MailProtection } from "../../../mailProtection";
import type { GraphNotificationRequest } from "../../../services/mailMarking/notifications";
import { defineRoute, HttpError, type RequestContext, type Route } from "../router";

const target = z.object({ kind: z.enum(["user", "group"]), id: z.string().min(1).max(320) }).strict();
const applyBody = z.object({ targets: z.array(target).min(1, { message: "name at least one member of staff or group" }).max(200) }).strict();
const toldBody = z.object({ on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date, YYYY-MM-DD" }), how: z.enum(["letter", "email", "in-person", "phone"]) }).strict();
const optBody = z.object({ councillorMailbox: z.string().max(320).optional() }).strict();
const reconcileBody = z.object({ mode: z.enum(["repair", "report"]).default("report") }).strict();

function notificationRequest(ctx: RequestContext): GraphNotificationRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(ctx.headers)) headers[k] = Array.isArray(v) ? v.join(",") : v;
  const rawBody = ctx.rawBody.toString("utf8");
  let body: unknown = undefined;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
  }
  return { query: ctx.query, headers, body, rawBody };
}

/** The notification handlers' refusal (`{ code, message }` JSON) as an HttpError, keeping Retry-After. */
function refusal(reply: { status: number; headers?: Record<string, string>; body?: string }): HttpError {
  let code = "GRAPH_NOTIFICATION_REFUSED";
  let message = "The notification was not accepted. Check the request and send it again.";
  try {
    const parsed = JSON.parse(reply.body ?? "") as { code?: unknown; message?: unknown };
    if (typeof parsed.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(parsed.code)) code = parsed.code;
    if (typeof parsed.message === "string" && parsed.message.length > 0) message = parsed.message;
  } catch {
    // Not JSON: keep the general code and message above.
  }
  const retryAfter = reply.headers?.["Retry-After"] ?? reply.headers?.["retry-after"];
  return new HttpError(reply.status, code, message, undefined, retryAfter ? { "Retry-After": retryAfter } : undefined);
}

function failed(result: { ok: false; code: string; message: string }): never {
  const status = /NOT_FOUND/.test(result.code) ? 404 : /IN_PROGRESS|CONFLICT|ALREADY/.test(result.code) ? 409 : 400;
  throw new HttpError(status, result.code, result.message);
}

export function divertRoutes(mail: MailProtection, stores: Pick<Stores, "register" | "subjects">): Route[] {
  const routes: Route[] = [];
  const marking = mail.marking;
  if (marking) {
    for (const [id, path, handle] of [
      ["graph.notifications", "/api/graph/notifications", (r: GraphNotificationRequest) => marking.handleGraphNotification(r)],
      ["graph.lifecycle", "/api/graph/lifecycle", (r: GraphNotificationRequest) => marking.handleLifecycleNotification(r)],
    ] as const) {
      routes.push(defineRoute({
        id,
        method: "POST",
        path,
        permission: "graph.notifications",
        auth: "none",
        bodyType: "raw",
        accept: ["application/json", "text/plain"],
        bodyLimit: 1_048_576,
        async handler(ctx) {
          const reply = await handle(notificationRequest(ctx));
          // A refusal is answered like every other API refusal: a problem document with a stable code (issue 8,
          // found by the fuzz suite). Graph itself only reads the status and Retry-After.
          if (reply.status >= 400) throw refusal(reply);
          return { status: reply.status, headers: reply.headers, text: reply.body ?? "", contentType: reply.headers?.["Content-Type"] ?? reply.headers?.["content-type"] ?? "text/plain; charset=utf-8" };
        },
      }));
    }
  }

  async function entryFor(entryId: string) {
    const entry = await stores.register.get(entryId);
    if (!entry || entry.status === "removed") throw new HttpError(404, "ENTRY_NOT_FOUND", "There is no current register entry with that id.");
    return entry;
  }

  routes.push(
    defineRoute({
      id: "diverts.apply",
      method: "POST",
      path: "/api/entries/:id/divert",
      permission: "diverts.manage",
      body: applyBody,
      async handler({ params, body, caller }) {
        const entry = await entryFor(params.id!);
        if (!entry.spoc?.mailbox) throw new HttpError(400, "DIVERT_NO_SPOC", "This entry has no single point of contact (SPOC) mailbox. Add a SPOC to the entry first, then apply the divert.");
        const subject = await stores.subjects.get(entry.subjectId);
        const senderAddresses = subject?.emails ?? [];
        if (senderAddresses.length === 0) throw new HttpError(400, "DIVERT_NO_ADDRESSES", "CALM holds no email address for this person, so there is nothing to divert. Add their address first.");
        const result = await mail.diverts.applyDivert({ entryId: entry.id, reference: entry.reference, spocMailbox: entry.spoc.mailbox, senderAddresses, targets: body.targets, actorId: caller!.id, surface: "tab" });
        if (!result.ok) failed(result);
        return { status: 202, json: result };
      },
    }),
    defineRoute({
      id: "diverts.lift",
      method: "POST",
      path: "/api/entries/:id/divert/lift",
      permission: "diverts.manage",
      async handler({ params, caller }) {
        const result = await mail.diverts.liftDivert({ entryId: params.id!, actorId: caller!.id, surface: "tab" });
        if (!result.ok) failed(result);
        return { status: 202, json: result };
      },
    }),
    defineRoute({
      id: "diverts.read",
      method: "GET",
      path: "/api/entries/:id/divert",
      permission: "diverts.read",
      async handler({ params }) {
        const divert = await mail.diverts.getDivert(params.id!);
        if (!divert) throw new HttpError(404, "DIVERT_NOT_FOUND", "No email divert has been applied for this entry.");
        return { status: 200, json: divert };
      },
    }),
    defineRoute({
      id: "diverts.customerTold",
      method: "POST",
      path: "/api/entries/:id/divert/customer-told",
      permission: "diverts.manage",
      body: toldBody,
      async handler({ params, body, caller }) {
        const result = await mail.diverts.recordCustomerTold({ entryId: params.id!, on: body.on, how: body.how, actorId: caller!.id, surface: "tab" });
        if (!result.ok) failed(result);
        return { status: 200, json: result };
      },
    }),
    defineRoute({
      id: "diverts.reconcile",
      method: "POST",
      path: "/api/entries/:id/divert/reconcile",
      permission: "diverts.manage",
      body: reconcileBody,
      async handler({ params, body, caller }) {
        const result = await mail.diverts.reconcile({ entryId: params.id!, mode: body.mode, actorId: caller!.id });
        if (!result.ok) failed(result);
        return { status: 202, json: result };
      },
    }),
    defineRoute({
      id: "diverts.job",
      method: "GET",
      path: "/api/divert-jobs/:id",
      permission: "diverts.read",
      async handler({ params }) {
        const progress = await mail.diverts.getJobProgress(params.id!);
        if (!progress) throw new HttpError(404, "DIVERT_JOB_NOT_FOUND", "There is no divert job with that id.");
        return { status: 200, json: progress };
      },
    }),
    defineRoute({
      id: "diverts.retry",
      method: "POST",
      path: "/api/divert-jobs/:id/retry",
      permission: "diverts.manage",
      async handler({ params, caller }) {
        const result = await mail.diverts.retryFailed({ jobId: params.id!, actorId: caller!.id });
        if (!result.ok) failed(result);
        return { status: 202, json: result };
      },
    }),
  );

  // Dorset 4.12: ward councillors choose whether diverts apply to their own mailbox. A councillor decides for
  // themselves; a register administrator may record the choice on a councillor's behalf.
  for (const [id, path, optIn] of [["diverts.optIn", "/api/diverts/councillor/opt-in", true], ["diverts.optOut", "/api/diverts/councillor/opt-out", false]] as const) {
    routes.push(defineRoute({
      id,
      method: "POST",
      path,
      permission: "diverts.councillorChoice",
      body: optBody,
      async handler({ body, caller }) {
        const self = caller!.email;
        const forOther = body.councillorMailbox && body.councillorMailbox.toLowerCase() !== self?.toLowerCase();
        if (forOther && !caller!.roles.includes("register-admin")) {
          throw new HttpError(403, "FORBIDDEN", "Only a register administrator may record a councillor's choice for them.");
        }
        if (!forOther && !caller!.roles.includes("councillor")) {
          throw new HttpError(403, "FORBIDDEN", "Only ward councillors choose whether diverts apply to their own mailbox.");
        }
        const mailbox = body.councillorMailbox ?? self;
        if (!mailbox) throw new HttpError(400, "MAILBOX_UNKNOWN", "CALM does not know your mailbox address. Ask a register administrator to record your choice.");
        const input = { councillorMailbox: mailbox, actorId: caller!.id, surface: "tab" as const };
        const result = optIn ? await mail.diverts.councillorOptIn(input) : await mail.diverts.councillorOptOut(input);
        if (!result.ok) failed(result);
        return { status: 202, json: result };
      },
    }));
  }
  return routes;
}
