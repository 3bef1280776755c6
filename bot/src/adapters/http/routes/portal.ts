// The staff portal's API (issue 4; docs/api.md "Staff portal"). Incidents, cases and votes have their own routes
// (routes for issue 3); these are the rest of what the tab needs. Authentication and the permission check happen
// in the router; the tier filter happens in the services. Personal data never travels in a URL: searches are
// POSTs, and paths carry opaque ids only.
import { z } from "zod";
import { INCIDENT_CATEGORIES, RESTRICTION_KINDS, RISK_LEVELS } from "../../../../../core/src/domain";
import type { AccessGrantService } from "../../../services/portal/grants";
import { REVIEW_FILTERS, ROW_STATUSES, type PortalResult, type PortalService } from "../../../services/portal/portal";
import { defineRoute, HttpError, type Route } from "../router";
import { bearer } from "./casework";

const STATUS_FOR = { "not-found": 404, invalid: 400, forbidden: 403, conflict: 409, unavailable: 503 } as const;

/** Maps a service's expected failure to a problem answer. */
function unwrap<T>(result: PortalResult<T>): T {
  if (result.ok) return result;
  throw new HttpError(STATUS_FOR[result.kind], result.code, result.message, result.errors?.map((e) => ({ field: e.field, message: e.message, code: e.code })), result.kind === "unavailable" ? { "Retry-After": "30" } : undefined);
}

const text = (max: number, what: string) => z.string({ message: `must be ${what}` }).max(max, { message: `must be at most ${max} characters` });
const isoDate = z.string({ message: "must be a date" }).regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date written YYYY-MM-DD" });
const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@~-]+$/, { message: "must be an id" });

const searchBody = z.object({
  text: text(200, "text").optional(),
  risk: z.array(z.enum(RISK_LEVELS, { message: `must be one of ${RISK_LEVELS.join(", ")}` })).max(3).optional(),
  serviceArea: text(100, "text").optional(),
  status: z.array(z.enum(ROW_STATUSES, { message: `must be one of ${ROW_STATUSES.join(", ")}` })).max(ROW_STATUSES.length).optional(),
  reviewDue: z.enum(REVIEW_FILTERS, { message: `must be one of ${REVIEW_FILTERS.join(", ")}` }).optional(),
  kind: z.enum(["people", "premises"], { message: "must be people or premises" }).optional(),
  limit: z.number().int().min(1).max(300).optional(),
}).strict();

const paramValue = z.union([z.string().max(500), z.number().finite(), z.boolean(), z.array(z.string().max(200)).max(50)]);

const restrictionBody = z.object({
  id: id.optional(),
  kind: z.enum(RESTRICTION_KINDS, { message: "must be a kind of restriction from the catalogue" }),
  params: z.record(z.string().max(40).regex(/^[a-z][a-zA-Z]*$/, { message: "must be a setting name" }), paramValue).refine((p) => Object.keys(p).length <= 20, { message: "has too many settings" }),
  serviceAreas: z.array(text(100, "text")).max(20),
  startsOn: isoDate,
  endsOn: isoDate.optional(),
  staffInstruction: text(300, "one sentence for staff"),
}).strict();

const restrictionsBody = z.object({
  etag: z.string({ message: "must be the entry's version from the page" }).min(1).max(200),
  restrictions: z.array(restrictionBody).max(30, { message: "must list at most 30 restrictions" }),
}).strict();

const contactBody = z.object({
  kind: z.enum(["positive", "neutral"], { message: "must be positive or neutral" }),
  note: text(2000, "a short note").min(1, { message: "must say briefly what happened" }),
  at: z.string().max(40).optional(),
}).strict();

const grantBody = z.object({
  principal: z.object({
    kind: z.enum(["group", "role", "user"], { message: "must be group, role or user" }),
    id: text(128, "an id").min(1, { message: "must not be empty" }),
    displayName: text(200, "a name").min(1, { message: "must not be empty" }),
  }).strict(),
  tiers: z.array(z.enum(RISK_LEVELS, { message: `must be one of ${RISK_LEVELS.join(", ")}` })).min(1, { message: "must list at least one risk level" }).max(3),
  includesPremises: z.boolean({ message: "must be true or false" }),
  rationale: text(2000, "the reason").min(10, { message: "must say why they need access (at least 10 characters)" }),
  expiresOn: isoDate.optional(),
}).strict();

const revokeBody = z.object({ reason: text(1000, "the reason").min(3, { message: "must say why access is revoked" }) }).strict();
const directoryBody = z.object({ query: text(100, "text").min(2, { message: "must be at least 2 characters" }) }).strict();
const auditBody = z.union([
  z.object({ subjectId: id }).strict(),
  z.object({ reference: text(30, "a reference").regex(/^[A-Za-z]{2,8}-\d{1,9}$/, { message: "must be a register reference such as CAL-0042" }) }).strict(),
], { message: "must give a subjectId or a register reference such as CAL-0042" });
const explainBody = z.object({
  decided: isoDate,
  category: z.enum(INCIDENT_CATEGORIES, { message: "must be an incident category" }).optional(),
  notified: isoDate.optional(),
  appealReceived: isoDate.optional(),
}).strict();

export function portalRoutes(portal: PortalService, grants: AccessGrantService): Route[] {
  return [
    defineRoute({
      id: "portal.meta",
      method: "GET",
      path: "/api/portal/meta",
      permission: "portal.meta",
      async handler({ caller }) {
        return { status: 200, json: await portal.meta(caller!) };
      },
    }),
    defineRoute({
      id: "register.search",
      method: "POST",
      path: "/api/portal/register/search",
      permission: "register.browse",
      body: searchBody,
      async handler({ caller, body }) {
        return { status: 200, json: await portal.search(caller!, body) };
      },
    }),
    defineRoute({
      id: "subjects.page",
      method: "GET",
      path: "/api/portal/subjects/:id",
      permission: "subjects.read",
      async handler({ caller, params }) {
        if (!id.safeParse(params.id).success) throw new HttpError(404, "SUBJECT_NOT_FOUND", "We could not find that person or place. Check the link, or search the register again.");
        return { status: 200, json: unwrap(await portal.subjectPage(caller!, params.id!)).page };
      },
    }),
    defineRoute({
      id: "restrictions.edit",
      method: "PUT",
      path: "/api/portal/entries/:id/restrictions",
      permission: "restrictions.edit",
      body: restrictionsBody,
      async handler({ caller, params, body }) {
        if (!id.safeParse(params.id).success) throw new HttpError(404, "ENTRY_NOT_FOUND", "We could not find that register entry. Reload the page and try again.");
        const { entry, added, changed, ended, removed } = unwrap(await portal.editRestrictions(caller!, params.id!, body));
        return { status: 200, json: { entry, added, changed, ended, removed } };
      },
    }),
    defineRoute({
      id: "contacts.record",
      method: "POST",
      path: "/api/portal/entries/:id/contacts",
      permission: "contacts.record",
      body: contactBody,
      async handler({ caller, params, body }) {
        if (!id.safeParse(params.id).success) throw new HttpError(404, "ENTRY_NOT_FOUND", "We could not find that register entry. Reload the page and try again.");
        return { status: 201, json: { contact: unwrap(await portal.recordContact(caller!, params.id!, body)).contact } };
      },
    }),
    defineRoute({
      id: "reviews.list",
      method: "GET",
      path: "/api/portal/reviews",
      permission: "reviews.read",
      async handler({ caller }) {
        return { status: 200, json: await portal.workList(caller!) };
      },
    }),
    defineRoute({
      id: "grants.list",
      method: "GET",
      path: "/api/portal/grants",
      permission: "grants.read",
      async handler() {
        return { status: 200, json: { grants: await grants.list() } };
      },
    }),
    defineRoute({
      id: "grants.create",
      method: "POST",
      path: "/api/portal/grants",
      permission: "grants.manage",
      body: grantBody,
      async handler({ caller, body }) {
        const result = await grants.grant(caller!, body);
        if (!result.ok) throw new HttpError(400, result.code, result.message);
        return { status: 201, json: { grant: result.grant } };
      },
    }),
    defineRoute({
      id: "grants.revoke",
      method: "POST",
      path: "/api/portal/grants/:id/revoke",
      permission: "grants.manage",
      body: revokeBody,
      async handler({ caller, params, body }) {
        if (!id.safeParse(params.id).success) throw new HttpError(404, "GRANT_NOT_FOUND", "There is no access grant with that id. Reload the list and try again.");
        const result = await grants.revoke(caller!, params.id!, body.reason);
        if (!result.ok) throw new HttpError(result.code === "GRANT_NOT_FOUND" ? 404 : 409, result.code, result.message);
        return { status: 200, json: { grant: result.grant } };
      },
    }),
    defineRoute({
      id: "directory.search",
      method: "POST",
      path: "/api/portal/directory/search",
      permission: "directory.search",
      body: directoryBody,
      async handler({ body, headers }) {
        return { status: 200, json: { principals: unwrap(await portal.directorySearch(body.query, bearer(headers))).principals } };
      },
    }),
    defineRoute({
      id: "audit.subject",
      method: "POST",
      path: "/api/portal/audit",
      permission: "audit.subject",
      body: auditBody,
      async handler({ caller, body, headers }) {
        const { subjectId, references, events, directoryAvailable } = unwrap(await portal.auditTrail(caller!, body, bearer(headers)));
        return { status: 200, json: { subjectId, references, events, directoryAvailable } };
      },
    }),
    defineRoute({
      id: "settings.read",
      method: "GET",
      path: "/api/portal/settings",
      permission: "policy.read",
      async handler() {
        const { presetId, council, policyTitle, registerName, sections } = unwrap(portal.settings());
        return { status: 200, json: { presetId, council, policyTitle, registerName, sections } };
      },
    }),
    defineRoute({
      id: "settings.explain",
      method: "POST",
      path: "/api/portal/settings/explain",
      permission: "policy.read",
      body: explainBody,
      async handler({ body }) {
        const { dates, sources } = unwrap(portal.explain(body));
        return { status: 200, json: { dates, sources } };
      },
    }),
  ];
}
