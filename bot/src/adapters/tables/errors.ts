// The one place where Azure SDK failures (tables and blobs) become port errors (bot/src/ports/errors.ts).
// Anything we do not recognise is rethrown unchanged: a surprise must stay visible, not be renamed.
import {
  AlreadyExistsError,
  ConcurrencyError,
  NotFoundError,
  StoreLimitError,
  StoreUnavailableError,
} from "../../ports/errors";

export interface StoreErrorContext {
  /** What was being done, for the StoreUnavailableError message: `subjects.update`. No personal data. */
  operation: string;
  entity: string;
  id: string;
}

/** Node network failures worth calling "unavailable": refused, reset, timed out, name not resolved. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE",
  "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED", "UND_ERR_SOCKET", "REQUEST_SEND_ERROR",
]);
/** Service error codes that mean "too big": a backstop behind the codec's own checks. */
const TOO_LARGE_CODES = new Set(["PropertyValueTooLarge", "EntityTooLarge", "RequestBodyTooLarge", "KeyValueTooLarge", "PropertyNameTooLong", "TooManyProperties"]);
/** 404s that are about the container, not the record: a missing table is a deployment fault, not "no such record". */
const CONTAINER_MISSING_CODES = new Set(["TableNotFound", "ContainerNotFound"]);

function field(err: unknown, name: string): unknown {
  return typeof err === "object" && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

export function statusOf(err: unknown): number | undefined {
  const status = field(err, "statusCode");
  return typeof status === "number" ? status : undefined;
}

/** The service's error code (`UpdateConditionNotSatisfied`, `TableNotFound`, `BlobNotFound`) or the
 * network code (`ECONNREFUSED`), wherever the SDK put it. */
export function errorCodeOf(err: unknown): string | undefined {
  const code = field(err, "code");
  if (typeof code === "string") return code;
  const details = field(err, "details");
  const errorCode = field(details, "errorCode");
  if (typeof errorCode === "string") return errorCode;
  const odata = field(field(details, "odataError"), "code");
  return typeof odata === "string" ? odata : undefined;
}

/** A 404 about the record itself (not a missing table or container). */
export function isRecordNotFound(err: unknown): boolean {
  const code = errorCodeOf(err);
  return statusOf(err) === 404 && (code === undefined || !CONTAINER_MISSING_CODES.has(code));
}

export function isUnavailable(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return status >= 500 || status === 408 || status === 429;
  const name = field(err, "name");
  // The per-attempt timeout (and any abort) surfaces as AbortError; AbortSignal.timeout as TimeoutError.
  if (name === "AbortError" || name === "TimeoutError") return true;
  const code = errorCodeOf(err) ?? errorCodeOf(field(err, "cause"));
  return code !== undefined && NETWORK_CODES.has(code);
}

/** The port error for an SDK failure, or the failure itself if it is none we name. Use: `throw mapStoreError(e, ctx)`. */
export function mapStoreError(err: unknown, ctx: StoreErrorContext): unknown {
  const status = statusOf(err);
  const code = errorCodeOf(err);
  if (status === 412) return new ConcurrencyError(ctx.entity, ctx.id);
  if (status === 409 && (code === undefined || code === "EntityAlreadyExists" || code === "BlobAlreadyExists")) {
    return new AlreadyExistsError(ctx.entity, ctx.id);
  }
  if (isRecordNotFound(err)) return new NotFoundError(ctx.entity, ctx.id);
  if (status === 400 && code !== undefined && TOO_LARGE_CODES.has(code)) {
    return new StoreLimitError(ctx.entity, ctx.id, `the store refused it: ${code}`);
  }
  if (isUnavailable(err)) return new StoreUnavailableError(ctx.operation, { cause: err });
  return err;
}

/** Update needs the etag the record was read with; without one the store cannot tell whether a newer
 * write would be lost. Shared by the table stores. */
export function requireEtag(entity: string, id: string, etag: string | undefined): string {
  if (typeof etag !== "string" || etag.length === 0) {
    throw new TypeError(`Updating ${entity} ${id} needs the etag it was read with. Read it first, then update the copy you read.`);
  }
  return etag;
}
