// The first API routes: health, who am I, sender check and lookup (issue 2 item 6).
// Personal data never travels in a URL: lookups are POSTs with the query in the body.
import { z } from "zod";
import { defineRoute, HttpError, type Route } from "../router";
import type { LookupService } from "../../../services/lookup";
import { PERSONAS, personaClaims, type LocalIssuer } from "../devSignIn";

export interface HealthCheck {
  name: string;
  check(): Promise<boolean>;
}

export function healthRoutes(checks: HealthCheck[], version: string): Route[] {
  return [
    defineRoute({
      id: "health",
      method: "GET",
      path: "/healthz",
      permission: "health.read",
      auth: "none",
      async handler() {
        const results: Record<string, "ok" | "failing"> = {};
        await Promise.all(
          checks.map(async (c) => {
            const ok = await c.check().catch(() => false);
            results[c.name] = ok ? "ok" : "failing";
          }),
        );
        const healthy = Object.values(results).every((r) => r === "ok");
        return { status: healthy ? 200 : 503, json: { status: healthy ? "ok" : "degraded", version, checks: results }, headers: { "Cache-Control": "no-store" } };
      },
    }),
  ];
}

const addressesBody = z.object({
  addresses: z
    .array(z.string().max(320, { message: "must be at most 320 characters" }), { message: "must be a list of email addresses" })
    .min(1, { message: "must list at least one address" })
    .max(100, { message: "must list at most 100 addresses" }),
}).strict();

const lookupBody = z.object({
  query: z.string({ message: "must be text" }).min(1, { message: "must not be empty" }).max(320, { message: "must be at most 320 characters" }),
}).strict();

export function lookupRoutes(lookup: LookupService): Route[] {
  return [
    defineRoute({
      id: "me",
      method: "GET",
      path: "/api/me",
      permission: "me.read",
      async handler({ caller }) {
        return { status: 200, json: { id: caller!.id, displayName: caller!.displayName, roles: caller!.roles, serviceAreas: caller!.serviceAreas } };
      },
    }),
    defineRoute({
      id: "senders.check",
      method: "POST",
      path: "/api/senders/check",
      permission: "senders.check",
      body: addressesBody,
      // Each address checked takes one token: checking 100 at once is 100 checks (issue 8: no enumeration).
      rateCost: (b) => b.addresses.length,
      handler({ caller, body, headers }) {
        const surface = headers["x-calm-surface"] === "addin" ? "addin" : "api";
        // Synchronous when nobody is found (nearly every check): the answer goes out in the same turn.
        const results = lookup.checkSenders(caller!, body.addresses, surface);
        return results instanceof Promise ? results.then((r) => ({ status: 200, json: { results: r } })) : { status: 200, json: { results } };
      },
    }),
    defineRoute({
      id: "lookup.search",
      method: "POST",
      path: "/api/lookup",
      permission: "lookup.search",
      body: lookupBody,
      async handler({ caller, body, headers }) {
        const surface = headers["x-calm-surface"] === "addin" ? "addin" : headers["x-calm-surface"] === "tab" ? "tab" : "api";
        const outcome = await lookup.lookup(caller!, body.query, surface);
        if (!outcome.ok) throw new HttpError(400, outcome.code, outcome.message);
        return { status: 200, json: outcome.result };
      },
    }),
  ];
}

/** Only mounted when config enables development sign-in (local only). */
export function devSignInRoutes(issuer: LocalIssuer): Route[] {
  const body = z.object({ personaId: z.string().max(64) }).strict();
  return [
    defineRoute({
      id: "dev.personas",
      method: "GET",
      path: "/api/dev/personas",
      permission: "dev.signin",
      auth: "none",
      async handler() {
        return { status: 200, json: { personas: PERSONAS.map(({ id, displayName, roles, description }) => ({ id, displayName, roles, description })) } };
      },
    }),
    defineRoute({
      id: "dev.signin",
      method: "POST",
      path: "/api/dev/signin",
      permission: "dev.signin",
      auth: "none",
      body,
      async handler({ body: { personaId } }) {
        const persona = PERSONAS.find((p) => p.id === personaId);
        if (!persona) throw new HttpError(400, "PERSONA_UNKNOWN", "There is no demo persona with that id. Pick one from the list.");
        const token = await issuer.mint(personaClaims(persona), { expiresInSec: 8 * 3600 });
        return { status: 200, json: { token, persona: { id: persona.id, displayName: persona.displayName, roles: persona.roles } } };
      },
    }),
  ];
}
