// The Retry-After header of an answer CALM receives (Graph, the Bot Connector): delay-seconds or an HTTP date
// (RFC 9110 §10.2.3). One reading for every client that honours it.

/** Milliseconds to wait from `now`; undefined when there is no header or it is neither form. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
