// Incident routes for the tab and the Outlook add-in (docs/api.md "Incidents"). Types are checked here; what the
// values mean (dates in the future, a witness with no statement, a category the policy does not allow many
// contacts for) is the service's to say, with a stable code per problem.
import { z } from "zod";
import type { Casework } from "../../../services/casework";
import { INCIDENT_LIMITS, EVIDENCE_TYPES } from "../../../services/incidents";
import { defineRoute, type Route } from "../router";
import { bearer, idempotencyKey, need, problem, surfaceOf } from "./casework";

const t = (max: number) => z.string({ message: "must be text" }).max(max, { message: `must be at most ${max} characters` });
const list = (max: number, item = t(500)) => z.array(item).max(max, { message: `must list at most ${max}` });

const address = z.object({ lines: list(10, t(200)), town: t(100).optional(), postcode: t(20).optional(), uprn: t(20).optional() }).strict();

const subjectNew = z.object({
  kind: t(20).optional(),
  displayName: t(500).optional(),
  aliases: list(20).optional(),
  emails: list(20, t(320)).optional(),
  phones: list(20, t(40)).optional(),
  addresses: z.array(address).max(10).optional(),
  socialHandles: list(20).optional(),
  dateOfBirth: t(10).optional(),
  actsForSubjectId: t(100).optional(),
  noFixedAddress: z.boolean({ message: "must be true or false" }).optional(),
}).strict();

const contact = z.object({ at: t(40).optional(), channel: t(40).optional(), summary: t(2000).optional() }).strict();

export const reportBody = z.object({
  subject: z.object({ existingId: t(100).optional(), new: subjectNew.optional() }).strict().optional(),
  occurredAt: t(40).optional(),
  location: t(1000).optional(),
  channel: t(40).optional(),
  serviceArea: t(1000).optional(),
  category: t(60).optional(),
  description: t(INCIDENT_LIMITS.description * 2).optional(),
  witnesses: z.array(z.object({ name: t(1000).optional(), statement: t(INCIDENT_LIMITS.witnessStatement * 2).optional(), isStaff: z.boolean({ message: "must be true or false" }).optional() }).strict()).max(50).optional(),
  policeReference: t(200).optional(),
  hateIncident: z.boolean({ message: "must be true or false" }).optional(),
  immediateAction: t(40).optional(),
  immediateActionNote: t(2000).optional(),
  externalEvidence: z.array(z.object({ kind: t(20).optional(), reference: t(1000).optional() }).strict()).max(20).optional(),
  contacts: z.array(contact).max(INCIDENT_LIMITS.contactsPerReport + 100).optional(),
}).strict();

const contactsBody = z.object({ contacts: z.array(contact).max(INCIDENT_LIMITS.contactsPerCall + 100) }).strict();

/** An email in a mailbox: its REST id (Office.js convertToRestId, v2.0, which Microsoft Graph uses) and, for a shared
 * mailbox, its address. Both travel in the body, never in the URL. */
const mailboxEmailBody = z.object({
  messageId: z.string({ message: "must be text" })
    .min(1, { message: "must not be empty" })
    .max(1024, { message: "must be at most 1024 characters" })
    .regex(/^[A-Za-z0-9_=-]+$/, { message: "must be the email's REST id (Office.js convertToRestId with RestVersion v2_0)" }),
  mailbox: z.string({ message: "must be text" })
    .max(320, { message: "must be at most 320 characters" })
    .regex(/^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;]+$/, { message: "must be the shared mailbox's email address" })
    .optional(),
}).strict();

export function incidentRoutes(casework: Casework | undefined): Route[] {
  return [
    defineRoute({
      id: "incidents.report",
      method: "POST",
      path: "/api/incidents",
      permission: "incidents.report",
      body: reportBody,
      bodyLimit: 256 * 1024,
      async handler({ caller, body, headers, requestId }) {
        const key = idempotencyKey(headers);
        const { incidents } = need(casework);
        const outcome = await incidents.report(caller!, body, key, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        return {
          status: outcome.duplicate ? 200 : 201,
          json: {
            incident: outcome.incident,
            duplicate: outcome.duplicate,
            subjectCreated: outcome.subjectCreated,
            whatHappensNext: outcome.whatHappensNext,
            evidenceUpload: { url: `/api/incidents/${outcome.incident.id}/evidence`, maxBytes: INCIDENT_LIMITS.evidenceBytes, allowedTypes: Object.keys(EVIDENCE_TYPES) },
          },
        };
      },
    }),
    defineRoute({
      id: "incidents.get",
      method: "GET",
      path: "/api/incidents/:id",
      permission: "incidents.read",
      async handler({ caller, params, requestId }) {
        const { incidents } = need(casework);
        const incident = await incidents.get(caller!, params.id!);
        if (!incident) return problem({ ok: false, code: "NOT_FOUND", status: 404, message: "We could not find that report. Check the reference, or ask your manager." }, requestId);
        return { status: 200, json: { incident, whatHappensNext: await incidents.whatHappensNext(incident) }, headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      id: "incidents.contacts",
      method: "POST",
      path: "/api/incidents/:id/contacts",
      permission: "incidents.report",
      body: contactsBody,
      bodyLimit: 256 * 1024,
      async handler({ caller, params, body, headers, requestId }) {
        idempotencyKey(headers);
        const { incidents } = need(casework);
        const outcome = await incidents.addContacts(caller!, params.id!, body.contacts, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        return { status: 200, json: { incident: outcome.incident, added: outcome.added, duplicate: outcome.added === 0 } };
      },
    }),
    defineRoute({
      id: "incidents.evidence",
      method: "POST",
      path: "/api/incidents/:id/evidence",
      permission: "incidents.report",
      bodyType: "raw",
      // A little over the evidence limit, so a file just too big gets EVIDENCE_TOO_LARGE from the service.
      bodyLimit: INCIDENT_LIMITS.evidenceBytes + 64 * 1024,
      async handler({ caller, params, rawBody, headers, requestId }) {
        const { incidents } = need(casework);
        const rawName = typeof headers["x-file-name"] === "string" ? headers["x-file-name"] : undefined;
        let fileName: string | undefined;
        try {
          fileName = rawName ? decodeURIComponent(rawName) : undefined;
        } catch {
          fileName = undefined; // not valid percent-encoding: keep the file, drop the name
        }
        const kindHeader = headers["x-evidence-kind"];
        const outcome = await incidents.addEvidence(caller!, params.id!, {
          data: rawBody,
          contentType: headers["content-type"] ?? "",
          ...(fileName ? { fileName } : {}),
          ...(kindHeader === "email" || kindHeader === "file" ? { kind: kindHeader } : {}),
        }, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        const { blobName: _blob, ...evidence } = outcome.evidence;
        return { status: outcome.duplicate ? 200 : 201, json: { evidence, duplicate: outcome.duplicate } };
      },
    }),
    // "Report this email" where Outlook cannot copy the email (no Mailbox 1.14): the server reads it from Microsoft
    // Graph as the caller (docs/api.md) and keeps it exactly like an uploaded file.
    defineRoute({
      id: "incidents.evidence.email",
      method: "POST",
      path: "/api/incidents/:id/evidence/email",
      permission: "incidents.emailEvidence",
      body: mailboxEmailBody,
      async handler({ caller, params, body, headers, requestId }) {
        const key = idempotencyKey(headers);
        const { incidents } = need(casework);
        const outcome = await incidents.attachMailboxEmail(caller!, params.id!, body.mailbox ? { messageId: body.messageId, mailbox: body.mailbox } : { messageId: body.messageId }, bearer(headers), key, surfaceOf(headers));
        if (!outcome.ok) return problem(outcome, requestId);
        const { blobName: _blob, ...evidence } = outcome.evidence;
        return { status: outcome.duplicate ? 200 : 201, json: { evidence, source: outcome.source, duplicate: outcome.duplicate } };
      },
    }),
  ];
}
