// The clock and ids come in through ports so services stay deterministic under test.
export interface Clock {
  /** Now, as an ISO 8601 instant. */
  now(): Date;
}

export interface IdGenerator {
  /** A new unique id (UUID v4 in production). */
  next(): string;
}

/** Structured log. Never pass personal data: ids, codes and counts only. */
export interface Logger {
  info(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  warn(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  error(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
}
