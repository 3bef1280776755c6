// Structured JSON logs on stdout. Fields are primitives only and the event names are fixed strings, so no
// request body, query string or personal detail can reach the log by accident (DEVELOPERS.md: never put personal
// data in logs). A field whose value looks like an email address or phone number is replaced before writing.
import type { Logger } from "../../ports/system";

type Level = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
type Fields = Record<string, string | number | boolean | undefined>;

const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const PHONE_LIKE = /(?:\+?\d[\d\s().-]{7,}\d)/;
/** Request ids and object ids are UUIDs, whose digit runs look like phone numbers: they are kept (issue 8: a
 * redacted request id cannot be traced). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function scrub(value: string | number | boolean | undefined): string | number | boolean | undefined {
  if (typeof value !== "string") return value;
  if (UUID.test(value)) return value;
  if (EMAIL_LIKE.test(value) || PHONE_LIKE.test(value)) return "[redacted]";
  return value.length > 300 ? `${value.slice(0, 300)}…` : value;
}

export function createLogger(level: Level = "info", write: (line: string) => void = (l) => process.stdout.write(l + "\n")): Logger {
  const emit = (lvl: Exclude<Level, "silent">, event: string, fields?: Fields) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const record: Record<string, unknown> = { t: new Date().toISOString(), level: lvl, event };
    if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) record[k] = scrub(v);
    write(JSON.stringify(record));
  };
  return {
    info: (e, f) => emit("info", e, f),
    warn: (e, f) => emit("warn", e, f),
    error: (e, f) => emit("error", e, f),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
