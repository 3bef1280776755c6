// Routes only the Outlook add-in needs (issue 5): its settings, the compose-time recipient check (contact
// restrictions and the SPOC, so the SPOC is never stopped) and the audited "send anyway". Sender checks in read
// mode use POST /api/senders/check, and reports use the incident API; nothing here duplicates them.
// Personal data never goes in a URL: addresses travel in the body.
import { z } from "zod";
import { defineRoute, HttpError, type Route } from "../router";
import type { IncidentCategory } from "../../../../../core/src/domain";
import { SEND_ANYWAY_REASON_IDS, SEND_ANYWAY_REASONS, type ComposeGuardService, type SendAnywayReason } from "../../../services/composeGuard";
import type { OpenReportFinder } from "../../../services/openReports";

const address = z.string({ message: "must be text" }).max(320, { message: "must be at most 320 characters" });

const recipientsBody = z.object({
  addresses: z.array(address, { message: "must be a list of email addresses" })
    .min(1, { message: "must list at least one address" })
    .max(100, { message: "must list at most 100 addresses" }),
  /** The mailbox the email goes from when it is not the signed-in person's own (a shared SPOC inbox). */
  from: address.optional(),
}).strict();

const sendAnywayBody = recipientsBody.extend({
  reason: z.enum(SEND_ANYWAY_REASON_IDS as [SendAnywayReason, ...SendAnywayReason[]], { message: `must be one of ${SEND_ANYWAY_REASON_IDS.join(", ")}` }),
  note: z.string({ message: "must be text" }).max(500, { message: "must be at most 500 characters" }).optional(),
}).strict();

const openReportBody = z.object({
  subjectId: z.string().min(1).max(100).optional(),
  email: address.optional(),
}).strict().refine((b) => !!b.subjectId || !!b.email, { message: "give subjectId or email" });

export function addinRoutes(deps: {
  composeGuard: ComposeGuardService;
  openReports: OpenReportFinder;
  registerName: string;
  multiContactCategories: readonly IncidentCategory[] | null;
}): Route[] {
  return [
    // Classic Outlook on Windows runs commands.js in a JavaScript-only runtime with no page; Office lets it use
    // SSO (and call this server) only if the origin lists the script here ("Use SSO or CORS in your event-based
    // Outlook add-in": a well-known URI at the origin's root). The origin is the one the request came to.
    defineRoute({
      id: "addin.wellKnown",
      method: "GET",
      path: "/.well-known/microsoft-officeaddins-allowed.json",
      permission: "addin.wellKnown",
      auth: "none",
      async handler({ headers }) {
        const host = String(headers["x-forwarded-host"] ?? headers.host ?? "").split(",")[0]!.trim().toLowerCase();
        if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host)) throw new HttpError(400, "HOST_INVALID", "The request did not say which host it was for. Use the address CALM is published at.");
        const forwarded = String(headers["x-forwarded-proto"] ?? "").split(",")[0]!.trim().toLowerCase();
        const loopback = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host);
        const proto = forwarded === "http" || forwarded === "https" ? forwarded : loopback ? "http" : "https";
        return { status: 200, json: { allowed: [`${proto}://${host}/addin/commands.js`] } };
      },
    }),
    defineRoute({
      id: "addin.settings",
      method: "GET",
      path: "/api/addin/settings",
      permission: "addin.use",
      async handler() {
        return {
          status: 200,
          json: {
            registerName: deps.registerName,
            sendAnywayReasons: SEND_ANYWAY_REASON_IDS.map((id) => ({ id, label: SEND_ANYWAY_REASONS[id] })),
            // East Suffolk 4.2: categories where one report may cover many contacts; null where the policy is silent.
            multiContactCategories: deps.multiContactCategories && deps.multiContactCategories.length > 0 ? deps.multiContactCategories : null,
          },
        };
      },
    }),
    defineRoute({
      id: "addin.recipients.check",
      method: "POST",
      path: "/api/addin/recipients/check",
      permission: "addin.recipients.check",
      body: recipientsBody,
      // Each address checked takes one rate-limit token (issue 8: no enumeration of the register).
      rateCost: (b) => b.addresses.length,
      async handler({ caller, body }) {
        const results = await deps.composeGuard.checkRecipients(caller!, body.addresses, body.from);
        return { status: 200, json: { results } };
      },
    }),
    defineRoute({
      id: "addin.reports.open",
      method: "POST",
      path: "/api/addin/reports/open",
      permission: "addin.use",
      body: openReportBody,
      async handler({ caller, body }) {
        return { status: 200, json: await deps.openReports.find(caller!, body) };
      },
    }),
    defineRoute({
      id: "addin.sendAnyway",
      method: "POST",
      path: "/api/addin/send-anyway",
      permission: "addin.sendAnyway",
      body: sendAnywayBody,
      async handler({ caller, body }) {
        const outcome = await deps.composeGuard.recordSendAnyway(caller!, body);
        if (!outcome.ok) throw new HttpError(409, outcome.code, outcome.message);
        return { status: 201, json: { recorded: outcome.recorded, at: outcome.at } };
      },
    }),
  ];
}
