// How a domain record becomes the flat property bag of a table entity, and back. Shared by the table
// stores and the memory stores, so the memory stores hit the same limits and return the same shapes.
//
// - A string field is a string property of the same name (so `status`, `subjectId`, `nextReviewOn` can be
//   filtered on); a boolean is a boolean property.
// - Anything else (numbers, arrays, objects) is JSON in a string property named `<field>__j`. Numbers go
//   through JSON too so they never meet the Int32/Int64/Double typing of the table service.
// - Azure Tables allows 64 KiB per property (a string is UTF-16, so 32,768 characters) and 1 MiB per entity.
//   A longer string is split over `<base>__0`, `<base>__1`, … with the count in `<base>__n`; an entity that
//   would still exceed the limits fails with StoreLimitError. Nothing is ever truncated.
import { StoreLimitError } from "../../ports/errors";

export type EntityValue = string | boolean;
export type EntityProps = Record<string, EntityValue>;

/** Characters per string property; under 32,768 so the 64 KiB limit holds with room to spare. */
export const CHUNK_CHARS = 30_000;
/** Bytes per entity we allow ourselves: under the 1 MiB service limit, leaving room for keys and system
 * properties. The estimate follows the service's own formula (4 + 2·len for strings, 8 + 2·len per name). */
export const MAX_ENTITY_BYTES = 1_000_000;
/** The service allows 252 properties besides PartitionKey, RowKey and Timestamp. */
export const MAX_PROPERTIES = 250;

const JSON_SUFFIX = "__j";
const CHUNK_COUNT_SUFFIX = "__n";
const CHUNK_PART = /^(.*)__(\d+)$/;
/** Properties the SDK adds to what it reads, or that are the keys themselves. */
const SYSTEM_PROPERTIES = new Set(["partitionKey", "rowKey", "etag", "timestamp", "PartitionKey", "RowKey", "Timestamp"]);

/** Splits text into parts of at most `size` UTF-16 units without cutting a surrogate pair in two
 * (a lone surrogate would not survive the JSON on the wire). */
export function splitText(text: string, size = CHUNK_CHARS): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length) {
      const last = text.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    }
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

function putText(props: EntityProps, name: string, text: string): void {
  if (text.length <= CHUNK_CHARS) {
    props[name] = text;
    return;
  }
  const parts = splitText(text);
  props[name + CHUNK_COUNT_SUFFIX] = String(parts.length);
  parts.forEach((part, i) => { props[`${name}__${i}`] = part; });
}

function propertyBytes(name: string, value: EntityValue): number {
  return 8 + name.length * 2 + (typeof value === "string" ? 4 + value.length * 2 : 1);
}

/** Checks an entity against the service limits; `keys` are the partition and row key it will have. */
export function checkEntityLimits(entity: string, id: string, props: EntityProps, keys: string[] = []): void {
  const names = Object.keys(props);
  if (names.length > MAX_PROPERTIES) {
    throw new StoreLimitError(entity, id, `${names.length} stored properties; at most ${MAX_PROPERTIES}`);
  }
  let bytes = keys.reduce((sum, k) => sum + 4 + k.length * 2, 0);
  for (const name of names) bytes += propertyBytes(name, props[name]!);
  if (bytes > MAX_ENTITY_BYTES) {
    throw new StoreLimitError(entity, id, `about ${Math.ceil(bytes / 1024)} KiB; at most ${Math.floor(MAX_ENTITY_BYTES / 1024)} KiB`);
  }
}

/** The stored properties of a record (without its `etag`). Fails with StoreLimitError if it cannot fit. */
export function encodeRecord(entity: string, id: string, record: object, omit: readonly string[] = ["etag"]): EntityProps {
  const props: EntityProps = {};
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined || omit.includes(field)) continue;
    if (SYSTEM_PROPERTIES.has(field) || field.includes("__") || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
      // A programming error, not a user error: the domain types never have such fields.
      throw new TypeError(`Field "${field}" of a ${entity} cannot be stored: the name is reserved or not a valid property name.`);
    }
    if (typeof value === "string") putText(props, field, value);
    else if (typeof value === "boolean") props[field] = value;
    else putText(props, field + JSON_SUFFIX, JSON.stringify(value));
  }
  checkEntityLimits(entity, id, props);
  return props;
}

/** The record back from stored properties. Unknown system properties (keys, etag, odata metadata) are ignored. */
export function decodeRecord<T>(props: Record<string, unknown>): T {
  const texts = new Map<string, string>();
  const chunked = new Map<string, string[]>();
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(props)) {
    if (SYSTEM_PROPERTIES.has(name) || name.includes(".")) continue;
    if (name.endsWith(CHUNK_COUNT_SUFFIX)) {
      const base = name.slice(0, -CHUNK_COUNT_SUFFIX.length);
      if (!chunked.has(base)) chunked.set(base, []);
      continue;
    }
    const part = CHUNK_PART.exec(name);
    if (part) {
      const base = part[1]!;
      const list = chunked.get(base) ?? [];
      list[Number(part[2])] = String(value);
      chunked.set(base, list);
      continue;
    }
    if (typeof value === "string") texts.set(name, value);
    else if (typeof value === "boolean") out[name] = value;
  }
  for (const [base, parts] of chunked) {
    const count = Number(props[base + CHUNK_COUNT_SUFFIX]);
    if (!Number.isInteger(count) || parts.length !== count || parts.some((p) => p === undefined)) {
      throw new Error(`Stored field "${base}" is incomplete (${parts.filter((p) => p !== undefined).length} of ${count} parts). The entity was not written by this store.`);
    }
    texts.set(base, parts.join(""));
  }
  for (const [name, text] of texts) {
    if (name.endsWith(JSON_SUFFIX)) out[name.slice(0, -JSON_SUFFIX.length)] = JSON.parse(text) as unknown;
    else out[name] = text;
  }
  return out as T;
}
