// Turns the router's own route table into requests: fills path parameters, and builds a valid body from each
// route's zod schema (through JSON Schema) so a route added tomorrow is exercised without anyone writing a probe.
import { z } from "zod";
import fc from "fast-check";
import type { Route } from "../../../bot/src/adapters/http/router";
import type { TierSeed } from "./world";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
}

export function jsonSchemaOf(route: Route): JsonSchema | undefined {
  if (!route.body) return undefined;
  try {
    return z.toJSONSchema(route.body, { io: "input", unrepresentable: "any" }) as JsonSchema;
  } catch {
    return undefined;
  }
}

/** The values a valid request about one tier's subject would carry. */
export interface Hints {
  email: string;
  phone: string;
  name: string;
  subjectId: string;
  entryId: string;
  incidentId: string;
  caseId: string;
  reference: string;
}

export function hintsFor(tier: TierSeed): Hints {
  return {
    email: tier.secrets.email,
    phone: tier.secrets.phone,
    name: tier.secrets.name,
    subjectId: tier.subject.id,
    entryId: tier.entry.id,
    incidentId: tier.incident.id,
    caseId: tier.case.id,
    reference: tier.entry.reference,
  };
}

/** A path parameter's value for one tier, guessed from its name (`:subjectId`, `:entryId`, `:id`…). */
export function paramValue(route: Route, param: string, h: Hints): string {
  const p = param.toLowerCase();
  if (p.includes("subject")) return h.subjectId;
  if (p.includes("entry")) return h.entryId;
  if (p.includes("incident")) return h.incidentId;
  if (p.includes("case")) return h.caseId;
  if (p.includes("ref")) return h.reference;
  // A bare `:id`: what the path is about.
  const path = route.path.toLowerCase();
  const before = path.slice(0, path.indexOf(`:${param.toLowerCase()}`));
  if (before.includes("entr")) return h.entryId;
  if (before.includes("incident")) return h.incidentId;
  if (before.includes("case")) return h.caseId;
  return h.subjectId;
}

export function paramsOf(route: Route): string[] {
  return [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

export function fillPath(route: Route, value: (param: string) => string): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, k: string) => encodeURIComponent(value(k)));
}

function resolveRef(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.replace(/^#\/\$defs\//, "");
  return root.$defs?.[name] ?? {};
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== "null") ?? s.type[0];
  return s.type;
}

/** A deterministic string matching `pattern`, or undefined if none could be made. */
function matching(pattern: string): string | undefined {
  try {
    const [value] = fc.sample(fc.stringMatching(new RegExp(pattern), { maxLength: 40 }), { numRuns: 1, seed: 8 });
    return value;
  } catch {
    return undefined;
  }
}

function stringFor(key: string, s: JsonSchema, h: Hints): string {
  const k = key.toLowerCase();
  if (s.format === "email") return h.email;
  if (s.format === "date") return "2026-11-23";
  if (s.format === "date-time") return "2026-11-23T10:00:00.000Z";
  if (s.format === "uuid" || s.format === "guid") return "3b241101-e2bb-4255-8caf-4136c566a962";
  if (s.format === "uri" || s.format === "url") return "https://example.org/";
  let v: string;
  if (/address|email|mailbox|^from$|^to$|sender|recipient/.test(k)) v = h.email;
  else if (/phone|mobile|tel/.test(k)) v = h.phone;
  else if (/subjectid/.test(k)) v = h.subjectId;
  else if (/entryid/.test(k)) v = h.entryId;
  else if (/incidentid/.test(k)) v = h.incidentId;
  else if (/caseid/.test(k)) v = h.caseId;
  else if (/reference|^ref$/.test(k)) v = h.reference;
  else if (/query|^q$|search|text|name|^subject$/.test(k)) v = h.name;
  else if (/date|on$|until|from$|since/.test(k)) v = "2026-11-23";
  else if (/id$/.test(k)) v = h.subjectId;
  else v = "Plain words for a test.";
  if (s.pattern && !new RegExp(s.pattern).test(v)) v = matching(s.pattern) ?? v;
  if (s.minLength !== undefined && v.length < s.minLength) v = v.padEnd(s.minLength, "x");
  if (s.maxLength !== undefined && v.length > s.maxLength) v = v.slice(0, s.maxLength);
  return v;
}

/** A valid value for a JSON Schema, with strings chosen from the hints by field name. */
export function exampleOf(schema: JsonSchema, h: Hints, key = "", root: JsonSchema = schema, depth = 0): unknown {
  const s = resolveRef(schema, root);
  if (depth > 8) return undefined;
  if (s.const !== undefined) return s.const;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt && alt.length > 0) return exampleOf(alt.find((a) => typeOf(a) !== "null") ?? alt[0]!, h, key, root, depth + 1);
  if (s.allOf && s.allOf.length > 0) return exampleOf(Object.assign({}, ...s.allOf) as JsonSchema, h, key, root, depth + 1);
  switch (typeOf(s)) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        if (!(s.required ?? []).includes(name)) continue;
        out[name] = exampleOf(prop, h, name, root, depth + 1);
      }
      return out;
    }
    case "array": {
      const n = Math.max(1, s.minItems ?? 1);
      if (s.prefixItems) return s.prefixItems.map((p, i) => exampleOf(p, h, `${key}${i}`, root, depth + 1));
      return Array.from({ length: Math.min(n, s.maxItems ?? n) }, () => exampleOf(s.items ?? { type: "string" }, h, key.replace(/s$/, ""), root, depth + 1));
    }
    case "string":
      return stringFor(key, s, h);
    case "integer":
    case "number": {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(min, 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return {};
  }
}

/** A valid body for the route about one tier's subject (undefined when the route takes no JSON body). */
export function exampleBody(route: Route, h: Hints): unknown {
  const schema = jsonSchemaOf(route);
  return schema ? exampleOf(schema, h) : undefined;
}
