// Routes for the DPO and auditors (issue 8): is the audit log intact, and a subject access export.
// Personal data never goes in a URL: the subject (an id, email address or phone number) travels in the body.
import { z } from "zod";
import type { Surface } from "../../../../../core/src/domain";
import type { AuditCheckService } from "../../../services/auditCheck";
import type { SubjectAccessService } from "../../../services/subjectAccess";
import { defineRoute, HttpError, type Route } from "../router";

const sarBody = z.object({
  subject: z.string({ message: "must be the subject's id, or an email address or phone number held for them" })
    .min(1, { message: "must not be empty" })
    .max(320, { message: "must be at most 320 characters" }),
}).strict();

const surfaceOf = (header: string | string[] | undefined): Surface => (header === "tab" ? "tab" : "api");

export function securityRoutes(deps: { auditCheck: AuditCheckService; subjectAccess: SubjectAccessService }): Route[] {
  return [
    defineRoute({
      id: "audit.verify",
      method: "GET",
      path: "/api/audit/verify",
      permission: "audit.verify",
      async handler({ caller, query, headers }) {
        const result = await deps.auditCheck.check(caller!.id, surfaceOf(headers["x-calm-surface"]), { fresh: query.get("fresh") === "1" });
        return { status: 200, json: result };
      },
    }),
    defineRoute({
      id: "sar.export",
      method: "POST",
      path: "/api/sar/export",
      permission: "sar.export",
      body: sarBody,
      async handler({ caller, body, headers }) {
        const resolved = await deps.subjectAccess.resolve(body.subject);
        if (!resolved.ok) {
          const status = resolved.code === "SAR_SUBJECT_NOT_FOUND" ? 404 : resolved.code === "SAR_SUBJECT_AMBIGUOUS" ? 409 : 400;
          throw new HttpError(status, resolved.code, resolved.message);
        }
        const outcome = await deps.subjectAccess.export(caller!.id, resolved.subjectId, surfaceOf(headers["x-calm-surface"]));
        if (!outcome.ok) throw new HttpError(404, outcome.code, outcome.message);
        return {
          status: 200,
          buffer: outcome.zip,
          contentType: "application/zip",
          headers: {
            "Content-Disposition": `attachment; filename="${outcome.fileName}"`,
            "X-Calm-Sha256": outcome.sha256,
          },
        };
      },
    }),
  ];
}
