// Port errors: what adapters turn SDK failures into. Services and the HTTP layer map these to stable codes.

/** Another writer changed the record since it was read (ETag mismatch, HTTP 412). Re-read and retry. */
export class ConcurrencyError extends Error {
  readonly code = "CONCURRENCY_CONFLICT";
  constructor(readonly entity: string, readonly id: string) {
    super(`The ${entity} was changed by someone else since it was read. Reload it and try again.`);
    this.name = "ConcurrencyError";
  }
}

/** The record does not exist (HTTP 404 from the store). */
export class NotFoundError extends Error {
  readonly code = "NOT_FOUND";
  constructor(readonly entity: string, readonly id: string) {
    super(`No ${entity} with that id was found.`);
    this.name = "NotFoundError";
  }
}

/** A create met an existing record with the same key (HTTP 409 from the store). */
export class AlreadyExistsError extends Error {
  readonly code = "ALREADY_EXISTS";
  constructor(readonly entity: string, readonly id: string) {
    super(`A ${entity} with that id already exists.`);
    this.name = "AlreadyExistsError";
  }
}

/** The store could not be reached or timed out. The HTTP layer answers 503; nothing was half-written. */
export class StoreUnavailableError extends Error {
  readonly code = "STORE_UNAVAILABLE";
  constructor(readonly operation: string, options?: { cause?: unknown }) {
    super(`Storage is not available right now (${operation}). Try again in a minute.`, options);
    this.name = "StoreUnavailableError";
  }
}

/** A record is too big for the store (Azure Tables: 64 KiB per property, 1 MiB per entity, 1 KiB per key).
 * Nothing was written. Surfaced instead of truncating anything. */
export class StoreLimitError extends Error {
  readonly code = "STORE_LIMIT_EXCEEDED";
  constructor(readonly entity: string, readonly id: string, readonly detail: string) {
    super(`The ${entity} is too large to save (${detail}). Shorten the longest text or attach it as a file, then try again.`);
    this.name = "StoreLimitError";
  }
}
