// The authorisation matrix (issue 8 item 1), generated from the router's route table and the permission table:
// every API route is called as every role and as nobody, and must let in exactly whom the table says; then every
// route is called about a subject of every risk tier and premises risk, and its answer may show nothing the
// caller's tier does not allow (Dorset 7.1, 4.10). A route added tomorrow is covered without touching this file;
// a route whose permission is missing from the table cannot even be registered.
import assert from "node:assert/strict";
import { Router, type Route } from "../../bot/src/adapters/http/router";
import { silentLogger } from "../../bot/src/adapters/system/logger";
import {
  allows,
  expectedOutcome,
  isPermissionId,
  PERMISSIONS,
  permissionMatrix,
  PRINCIPALS,
  type PermissionId,
  type PermissionRule,
  type Principal,
} from "../../bot/src/services/permissions";
import { entryViewFor } from "../../core/src/rules/access";
import { getPreset } from "../../core/src/index";
import { ROLES, type Caller, type Role } from "../../core/src/domain";
import { CARD_ACTION_PERMISSIONS, type Verb } from "../../bot/src/adapters/teams/actions";
import { exampleBody, fillPath, hintsFor, paramValue } from "./support/routes";
import {
  DORSET_SENSITIVE_ROLES,
  DORSET_VIEWS,
  listRoutes,
  mayShow,
  principalId,
  SECRET_KINDS,
  startWorld,
  TIER_KEYS,
  type Answer,
  type TierSeed,
  type World,
} from "./support/world";

const ROUTES = listRoutes();
const CARD_VERBS = Object.keys(CARD_ACTION_PERMISSIONS) as Verb[];
/** The router's message when the permission table refuses a caller (bot/src/adapters/http/router.ts). */
const ROUTER_REFUSAL = "Your role does not allow this.";

/** One card payload that fits every action (unknown fields are ignored), about one tier's subject. */
function cardData(tier: TierSeed): Record<string, unknown> {
  return {
    key: "matrix-card-key-0001", formKey: "matrix-card-key-0001", caseId: tier.case.id, incidentId: tier.incident.id, subjectId: tier.subject.id, memberId: principalId("panel-member"),
    query: tier.subject.kind === "premises" ? tier.secrets.name : tier.secrets.email, choice: "add-medium", excluded: false, healthConsidered: true,
    reason: "Lives on the same street.", summary: "Summary for the panel.", rationale: "Reasons given.", description: "What happened, in plain words.",
  };
}

/** A card action as the Teams bot runs it, for a principal (anonymous: Teams knows them, CALM does not). */
function runCard(w: World, p: Principal, verb: Verb, data: unknown) {
  const tenantId = "11111111-1111-4111-8111-111111111111";
  const caller = p === "anonymous" ? undefined : { id: principalId(p), tenantId, displayName: `Test ${p}`, roles: [p], serviceAreas: [] };
  return w.t.app.services.teams.actions.run({ identity: { aadObjectId: principalId(p), channelUserId: `29:${p}`, tenantId }, caller, conversationType: "personal" }, verb, data);
}
const ruleOf = (id: PermissionId): PermissionRule => PERMISSIONS[id];

/** Routes that authenticate their callers themselves (auth: "none" but not public data): the bot endpoint,
 * whose callers are the Bot Framework, not people. A user's token is not valid there. */
const selfAuthenticating = (r: Route): boolean => r.auth === "none" && PERMISSIONS[r.permission].audience !== "public";

async function call(w: World, p: Principal, route: Route, tier: TierSeed): Promise<{ answer: Answer; sent: string }> {
  const h = hintsFor(tier);
  const path = fillPath(route, (k) => paramValue(route, k, h));
  const body = route.bodyType === "raw" ? undefined : exampleBody(route, h);
  const payload = body === undefined ? (route.method === "GET" || route.method === "DELETE" ? undefined : "{}") : JSON.stringify(body);
  const answer = await w.request(p, route.method, path, payload === undefined ? {} : { body: payload });
  return { answer, sent: `${decodeURIComponent(path)} ${payload ?? ""}`.toLowerCase() };
}

describe("security: authorisation matrix", function () {
  this.timeout(120_000);

  describe("the permission table", () => {
    it(`lists ${ROUTES.length} routes, each naming a permission the table holds`, () => {
      assert.ok(ROUTES.length >= 10, "the server registers its routes");
      for (const r of ROUTES) assert.ok(isPermissionId(r.permission), `${r.id} names ${r.permission}`);
      const matrix = permissionMatrix();
      for (const r of ROUTES) {
        for (const p of PRINCIPALS) assert.ok(["allowed", "forbidden", "sign-in"].includes(matrix[r.permission][p]), `${r.id} × ${p}`);
      }
    });

    it("a route naming a permission that is not in the table is refused when the server starts", () => {
      const router = new Router({ logger: silentLogger, authenticate: () => Promise.resolve({ ok: false, code: "TOKEN_MISSING", message: "" }) });
      assert.throws(
        () => router.add({ id: "x.new", method: "GET", path: "/api/x", permission: "x.not-in-table" as PermissionId, handler: () => Promise.resolve({ status: 200 }) }),
        /unknown permission x\.not-in-table/,
      );
    });

    it("the table and the router's check (`allows`) agree for every permission and principal", () => {
      for (const id of Object.keys(PERMISSIONS) as PermissionId[]) {
        for (const p of PRINCIPALS) {
          const caller: Caller | undefined = p === "anonymous" ? undefined : { id: "x", tenantId: "t", displayName: "x", roles: [p], serviceAreas: [] };
          assert.equal(allows(id, caller), expectedOutcome(id, p) === "allowed", `${id} × ${p}`);
        }
      }
    });

    it("nothing but health, local sign-in and self-authenticating endpoints is open to anyone without a token", () => {
      const open = (Object.keys(PERMISSIONS) as PermissionId[]).filter((id) => PERMISSIONS[id].audience === "public");
      for (const id of open) {
        const routes = ROUTES.filter((r) => r.permission === id);
        for (const r of routes) {
          const whyOpen = r.id === "health" || r.id.startsWith("dev.") || r.auth === "none";
          assert.ok(whyOpen, `${r.id} is open to anyone without a token (permission ${id}); give it an audience or authenticate its callers`);
        }
      }
    });

    it("the hand-written Dorset view table matches the policy code, so widening anyone's view is a reviewed change", () => {
      const dorset = getPreset("dorset")!;
      for (const role of ROLES) {
        for (const tier of TIER_KEYS) {
          const entry = { riskLevel: tier.endsWith("low") ? "low" : tier === "medium" ? "medium" : "high", isPremises: tier.startsWith("premises") } as const;
          assert.equal(entryViewFor(dorset, [role], entry), DORSET_VIEWS[role][tier], `${role} × ${tier}`);
        }
      }
      assert.deepEqual([...dorset.access.sensitiveDataRoles].sort(), [...DORSET_SENSITIVE_ROLES].sort());
    });
  });

  describe("every route as every principal: the router lets in exactly whom the table says", () => {
    let w: World;
    before(async () => {
      w = await startWorld();
      assert.deepEqual(w.t.app.router.routes().map((r) => r.id).sort(), ROUTES.map((r) => r.id).sort(), "the world registers the routes listed");
    });
    after(() => w?.stop());

    for (const route of ROUTES) {
      it(`${route.method} ${route.path} (${route.id}, ${route.permission})`, async () => {
        const wrong: string[] = [];
        for (const p of PRINCIPALS) {
          const { answer } = await call(w, p, route, w.tiers[1]!);
          const code = typeof answer.json?.code === "string" ? answer.json.code : "";
          assert.ok(answer.status < 500 || answer.status === 503, `${route.id} as ${p} answered ${answer.status} ${code}`);
          if (selfAuthenticating(route)) {
            // Its callers are services with their own tokens: a person's token, or none, gets nowhere.
            if (answer.status !== 401 && answer.status !== 403) wrong.push(`${p}: ${answer.status} ${code} (expected 401/403: not the service it expects)`);
            continue;
          }
          const expected = route.auth === "none" ? "allowed" : expectedOutcome(route.permission, p);
          // The router's own refusal, told apart from a handler's finer rule that may use the same code (e.g. a
          // register administrator recording a councillor's divert choice only for someone else).
          const routerRefused = answer.status === 403 && code === "FORBIDDEN" && String(answer.json?.detail).startsWith(ROUTER_REFUSAL);
          if (expected === "sign-in" && !(answer.status === 401 && code === "TOKEN_MISSING")) wrong.push(`${p}: ${answer.status} ${code} (expected 401 TOKEN_MISSING)`);
          if (expected === "forbidden" && !routerRefused) wrong.push(`${p}: ${answer.status} ${code} (expected 403 FORBIDDEN from the router)`);
          // A route with auth "none" is let in by the router; it may still turn a caller away itself (the bot
          // endpoint checks the Bot Framework's token), so only the router's own refusals count here.
          if (expected === "allowed" && route.auth !== "none" && (answer.status === 401 || routerRefused)) wrong.push(`${p}: ${answer.status} ${code} (expected to be let in)`);
        }
        assert.deepEqual(wrong, [], `${route.id}:\n  ${wrong.join("\n  ")}`);
      });
    }
  });

  describe("every route about every tier: nobody is shown more than their tier allows", () => {
    let w: World;
    before(async () => {
      w = await startWorld();
    });
    after(() => w?.stop());

    const checked = ROUTES.filter((r) => !selfAuthenticating(r) && !ruleOf(r.permission).beyondTier);
    /** Routes whose answers showed some of what was asked about: proof the generated requests reach the data. */
    const reached = new Set<string>();
    for (const route of checked) {
      it(`${route.id}: answers about low, medium, high and premises subjects hold only what each role may see`, async () => {
        const leaks: string[] = [];
        const roles = ROLES.filter((r) => route.auth === "none" || expectedOutcome(route.permission, r) === "allowed");
        for (const role of roles) {
          for (const tier of w.tiers) {
            const { answer, sent } = await call(w, role, route, tier);
            // 503: a dependency this test does not configure (e.g. the staff directory) said so plainly.
            assert.ok(answer.status < 500 || answer.status === 503, `${route.id} as ${role} about ${tier.key} answered ${answer.status}`);
            const text = answer.text.toLowerCase();
            if (SECRET_KINDS.some((k) => mayShow(role, tier.key, k) && text.includes(tier.secrets[k].toLowerCase()) && !sent.includes(tier.secrets[k].toLowerCase()))) {
              reached.add(route.id);
            }
            for (const other of w.tiers) {
              for (const kind of SECRET_KINDS) {
                const secret = other.secrets[kind].toLowerCase();
                if (mayShow(role, other.key, kind) || sent.includes(secret)) continue;
                if (text.includes(secret)) leaks.push(`${role} asking about ${tier.key} was shown the ${other.key} subject's ${kind}`);
              }
            }
          }
        }
        assert.deepEqual(leaks, [], `${route.id} shows more than the tier allows:\n  ${leaks.join("\n  ")}`);
      });
    }

    it("the generated requests reached real data on the routes that show entries", () => {
      for (const id of ["lookup.search", "senders.check", "register.search", "subjects.page", "addin.recipients.check"]) {
        if (!ROUTES.some((r) => r.id === id)) continue;
        assert.ok(reached.has(id), `${id}: no answer showed anything about the subject asked for, so this test proved nothing for it`);
      }
    });

    it("routes that may show more than the tier (oversight) say why in the permission table", () => {
      for (const r of ROUTES.filter((x) => ruleOf(x.permission).beyondTier)) {
        assert.ok(String(ruleOf(r.permission).beyondTier).length > 20, r.id);
        assert.notEqual(PERMISSIONS[r.permission].audience, "public");
      }
    });
  });

  describe("what each role sees of each tier, field by field", () => {
    let w: World;
    before(async () => {
      w = await startWorld();
    });
    after(() => w?.stop());

    type Card = { reference: string; view: string; subjectName?: string; restrictions: unknown[]; nextReviewText?: string; historyAvailable: boolean; appealInProgress: boolean };

    const expectCard = (role: Role, tier: TierSeed, card: Card | undefined, where: string): void => {
      const view = DORSET_VIEWS[role][tier.key];
      if (view === "hidden") {
        assert.equal(card, undefined, `${where}: ${role} must not learn that ${tier.key} is listed`);
        return;
      }
      assert.ok(card, `${where}: ${role} sees ${tier.key}`);
      assert.equal(card.view, view, `${where}: ${role} × ${tier.key}`);
      assert.equal(card.reference, tier.entry.reference);
      if (view === "minimum") {
        assert.equal(card.subjectName, undefined, "minimum: no name");
        assert.deepEqual(card.restrictions, [], "minimum: no restrictions");
        assert.equal(card.nextReviewText, undefined, "minimum: no review date");
      } else {
        assert.equal(card.subjectName, tier.secrets.name);
        assert.equal(card.restrictions.length, 1);
        assert.ok(card.nextReviewText);
      }
      assert.equal(card.historyAvailable, view === "full", "history only in full");
    };

    for (const role of ROLES) {
      it(`${role}: lookup by email or name, and sender checks`, async () => {
        for (const tier of w.tiers) {
          const query = tier.subject.kind === "premises" ? tier.secrets.name : tier.secrets.email;
          const res = await w.request(role, "POST", "/api/lookup", { body: JSON.stringify({ query }) });
          assert.equal(res.status, 200);
          const matches = (res.json!.matches as { subjectId: string; card: Card }[]).filter((m) => m.subjectId === tier.subject.id);
          expectCard(role, tier, matches[0]?.card, "lookup");
          if (tier.subject.kind === "premises") continue;
          const senders = await w.request(role, "POST", "/api/senders/check", { body: JSON.stringify({ addresses: [tier.secrets.email] }) });
          const result = (senders.json!.results as { listed: boolean; matches: { card: Card }[] }[])[0]!;
          assert.equal(result.listed, DORSET_VIEWS[role][tier.key] !== "hidden", `senders: ${role} × ${tier.key}`);
          expectCard(role, tier, result.matches[0]?.card, "senders");
        }
      });

      it(`${role}: a subject's portal page, where a hidden subject answers exactly as one that does not exist`, async () => {
        const absent = await w.request(role, "GET", "/api/portal/subjects/sec-subject-nobody");
        for (const tier of w.tiers) {
          const res = await w.request(role, "GET", `/api/portal/subjects/${tier.subject.id}`);
          const view = DORSET_VIEWS[role][tier.key];
          if (!allows("subjects.read", { id: "x", tenantId: "t", displayName: "x", roles: [role], serviceAreas: [] })) {
            assert.equal(res.status, 403);
            continue;
          }
          if (view === "hidden" || view === "minimum") {
            assert.equal(res.status, absent.status, `${role} × ${tier.key}`);
            assert.equal(res.json?.code, absent.json?.code);
            continue;
          }
          assert.equal(res.status, 200, `${role} × ${tier.key}: ${res.text.slice(0, 200)}`);
          const text = res.text;
          assert.ok(text.includes(tier.secrets.name));
          assert.equal(text.includes(tier.secrets.history), view === "full", `${role} × ${tier.key}: history only in full`);
          assert.equal(text.includes(tier.secrets.sensitive), view === "full" && DORSET_SENSITIVE_ROLES.includes(role), `${role} × ${tier.key}: health notes only for the panel`);
        }
      });
    }

    it("anonymous callers get 401 and no data from every route that needs a token", async () => {
      for (const route of ROUTES.filter((r) => r.auth !== "none" && PERMISSIONS[r.permission].audience !== "public")) {
        for (const tier of w.tiers) {
          const { answer } = await call(w, "anonymous", route, tier);
          assert.equal(answer.status, 401, route.id);
          for (const kind of SECRET_KINDS) assert.ok(!answer.text.includes(tier.secrets[kind]), `${route.id} leaks ${kind} without a token`);
        }
      }
    });
  });

  describe("every card action (Teams bot) as every principal", () => {
    let w: World;
    before(async () => {
      w = await startWorld();
    });
    after(() => w?.stop());

    it(`the card action table names ${CARD_VERBS.length} actions, each with a permission from the table or none on purpose`, () => {
      for (const verb of CARD_VERBS) {
        const permission = CARD_ACTION_PERMISSIONS[verb];
        if (permission !== undefined) assert.ok(isPermissionId(permission), `${verb} names ${permission}`);
        else assert.ok(["welcome", "refresh"].includes(verb), `${verb} has no permission: only welcome and refresh may`);
      }
    });

    for (const verb of CARD_VERBS) {
      it(`${verb} (${CARD_ACTION_PERMISSIONS[verb] ?? "no permission"}): refused with FORBIDDEN exactly where the table says, and never shows more than the tier`, async () => {
        const wrong: string[] = [];
        for (const p of PRINCIPALS) {
          for (const tier of w.tiers) {
            const result = await runCard(w, p, verb, cardData(tier));
            const text = JSON.stringify(result.card);
            if (/Code: INTERNAL_ERROR/.test(text)) wrong.push(`${p} × ${tier.key}: a surprise error`);
            const permission = CARD_ACTION_PERMISSIONS[verb];
            if (/Code: CARD_DATA_INVALID/.test(text)) wrong.push(`${p}: the test's card data no longer fits ${verb} (update cardData in this file)`);
            const refused = /Code: FORBIDDEN/.test(text);
            if (p !== "anonymous" && permission !== undefined) {
              const expected = expectedOutcome(permission, p);
              if (expected === "forbidden" && !refused) wrong.push(`${p}: not refused`);
              if (expected === "allowed" && refused) wrong.push(`${p}: refused`);
            }
            const lower = text.toLowerCase();
            const sent = JSON.stringify(cardData(tier)).toLowerCase();
            for (const other of w.tiers) {
              for (const kind of SECRET_KINDS) {
                const secret = other.secrets[kind].toLowerCase();
                const allowedToSee = p !== "anonymous" && mayShow(p, other.key, kind);
                if (!allowedToSee && !sent.includes(secret) && lower.includes(secret)) wrong.push(`${p} asking about ${tier.key} was shown the ${other.key} subject's ${kind}`);
              }
            }
          }
        }
        assert.deepEqual([...new Set(wrong)], [], `${verb}:\n  ${[...new Set(wrong)].join("\n  ")}`);
      });
    }
  });
});
