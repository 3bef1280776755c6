// Helpers shared by the routes (issue 3): the idempotency key, the surface, the caller's own token, and turning a
// service's expected failure into problem details.
import type { IncomingHttpHeaders } from "node:http";
import type { Surface } from "../../../../../core/src/domain";
import type { Casework } from "../../../services/casework";
import type { Failure } from "../../../services/incidents";
import { HttpError, type Reply } from "../router";

const KEY = /^[A-Za-z0-9_-]{8,100}$/;

/** The `Idempotency-Key` header (docs/api.md "Conventions"). */
export function idempotencyKey(headers: IncomingHttpHeaders): string {
  const raw = headers["idempotency-key"];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key) throw new HttpError(400, "IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key header (one new key per form) so a repeated request is not saved twice.");
  if (!KEY.test(key)) throw new HttpError(400, "IDEMPOTENCY_KEY_INVALID", "The Idempotency-Key header must be 8 to 100 letters, digits, - or _ (a UUID is ideal).");
  return key;
}

export function surfaceOf(headers: IncomingHttpHeaders): Surface {
  const s = headers["x-calm-surface"];
  return s === "tab" ? "tab" : s === "addin" ? "addin" : "api";
}

/** The caller's own bearer token, for Graph on their behalf (on-behalf-of): the router has already validated it. */
export function bearer(headers: { authorization?: string }): { token: string } {
  return { token: (headers.authorization ?? "").replace(/^Bearer\s+/i, "") };
}

/** The casework services, or 503 when the server was built without a policy profile. */
export function need(casework: Casework | undefined): Casework {
  if (!casework) throw new HttpError(503, "POLICY_NOT_LOADED", "The council's policy is not loaded on this server, so incidents and cases are unavailable. Tell IT.");
  return casework;
}

/** A service failure as problem details, with any extra fields (e.g. the ballot) alongside. */
export function problem(failure: Failure, requestId: string, extra: Record<string, unknown> = {}): Reply {
  return {
    status: failure.status,
    contentType: "application/problem+json; charset=utf-8",
    ...(failure.retryAfterSeconds !== undefined ? { headers: { "Retry-After": String(Math.ceil(failure.retryAfterSeconds)) } } : {}),
    json: {
      type: `urn:calm:problem:${failure.code.toLowerCase().replace(/_/g, "-")}`,
      title: failure.status === 404 ? "Not found" : failure.status === 403 ? "Not allowed" : failure.status === 409 ? "Conflict" : failure.status === 413 ? "Too large" : failure.status === 415 ? "Unsupported media type" : failure.status === 503 ? "Not available right now" : "The request is not valid",
      status: failure.status,
      code: failure.code,
      detail: failure.message,
      requestId,
      ...(failure.problems ? { errors: failure.problems } : {}),
      ...extra,
    },
  };
}
