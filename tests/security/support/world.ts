// The world the security suites run in: the real server (createApp, every route it registers) under the Dorset
// preset, with one listed subject per risk tier and premises risk, each carrying marker strings for every kind
// of data a caller might or might not be allowed to see, and a token per role.
import { randomUUID } from "node:crypto";
import { createLocalIssuer } from "../../../bot/src/adapters/http/devSignIn";
import { createLogger } from "../../../bot/src/adapters/system/logger";
import { createApp, type AppDeps } from "../../../bot/src/app";
import { TokenValidator } from "../../../bot/src/adapters/http/auth";
import type { Route } from "../../../bot/src/adapters/http/router";
import { createMemoryStores } from "../../../bot/src/adapters/memory";
import { LocalDirectory } from "../../../bot/src/adapters/http/devDirectory";
import { divertRoutes } from "../../../bot/src/adapters/http/routes/diverts";
import { createMailProtection, type MailProtection } from "../../../bot/src/mailProtection";
import { GraphUserMail } from "../../../bot/src/adapters/graph/userMail";
import { createLocalOboTokenFunction } from "../../../bot/src/adapters/graph/localObo";
import { startGraphSimulator } from "../../support/graphSimulator/server";
import { seedDemoTenant } from "../../support/graphSimulator/seed";
import { bindPolicy } from "../../../bot/src/policyBinding";
import type { Stores } from "../../../bot/src/ports/stores";
import type { Logger } from "../../../bot/src/ports/system";
import { PRINCIPALS, type Principal } from "../../../bot/src/services/permissions";
import { getPreset } from "../../../core/src/index";
import type { Case, EntryView, Incident, RegisterEntry, Role, Subject } from "../../../core/src/domain";
import { fullCase, fullEntry, fullIncident, fullSubject, staff } from "../../support/storeFixtures";
import { startTestApp, type TestApp } from "../../support/testApp";

export const TIER_KEYS = ["low", "medium", "high", "premises-high", "premises-low"] as const;
export type TierKey = (typeof TIER_KEYS)[number];

/** Kinds of data a response might carry about a subject. */
export const SECRET_KINDS = ["reference", "guidance", "name", "email", "phone", "restriction", "history", "witness", "caseSummary", "sensitive"] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export interface TierSeed {
  key: TierKey;
  subject: Subject;
  entry: RegisterEntry;
  incident: Incident;
  case: Case;
  /** A marker string per kind of data: if it appears in a response, that data was shown. */
  secrets: Record<SecretKind, string>;
}

const WORDS: Record<TierKey, { first: string; last: string; ref: string; phone: string }> = {
  low: { first: "Ulysses", last: "Lowtier", ref: "CAL-9101", phone: "07700 900401" },
  medium: { first: "Marigold", last: "Midtier", ref: "CAL-9102", phone: "07700 900402" },
  high: { first: "Horatio", last: "Hightier", ref: "CAL-9103", phone: "07700 900403" },
  "premises-high": { first: "Pemberton", last: "Yardhigh", ref: "CAL-9104", phone: "07700 900404" },
  "premises-low": { first: "Lowcroft", last: "Mewslow", ref: "CAL-9105", phone: "07700 900405" },
};

export function buildTiers(): TierSeed[] {
  return TIER_KEYS.map((key) => {
    const w = WORDS[key];
    const premises = key.startsWith("premises");
    const riskLevel = key === "low" || key === "premises-low" ? "low" : key === "medium" ? "medium" : "high";
    const marker = w.last.toUpperCase();
    const secrets: Record<SecretKind, string> = {
      reference: w.ref,
      guidance: `GUIDANCE-${marker} keep calls short`,
      name: premises ? `${w.first} ${w.last} Yard` : `${w.first} ${w.last}`,
      email: `${w.first.toLowerCase()}.${w.last.toLowerCase()}@example.org`,
      phone: w.phone,
      restriction: `RESTRICTION-${marker} one call a week`,
      history: `HISTORY-${marker} swore at the officer`,
      witness: `Winifred ${w.last}witness`,
      caseSummary: `CASESUMMARY-${marker} three incidents`,
      sensitive: `SENSITIVE-${marker} health note`,
    };
    const subjectId = `sec-subject-${key}`;
    const subject = fullSubject({
      id: subjectId,
      kind: premises ? "premises" : "person",
      displayName: secrets.name,
      aliases: [],
      emails: premises ? [] : [secrets.email],
      phones: premises ? [] : [secrets.phone],
      addresses: [{ lines: [`${key.length} Fictional Way`], town: "Exampleton", postcode: "EX9 9ZZ" }],
      socialHandles: [],
      sensitiveNotes: secrets.sensitive,
      dateOfBirth: undefined,
      actsForSubjectId: undefined,
    });
    const caseId = `sec-case-${key}`;
    const incident = fullIncident(subjectId, {
      id: `sec-incident-${key}`,
      reference: `INC-91${TIER_KEYS.indexOf(key)}0`,
      description: secrets.history,
      witnesses: [{ name: secrets.witness, statement: `${secrets.history} (witnessed)`, isStaff: false }],
      evidence: [],
      caseId,
    });
    const entry = fullEntry(subjectId, {
      id: `sec-entry-${key}`,
      reference: w.ref,
      riskLevel,
      categories: premises ? ["premises-risk"] : ["verbal-abuse"],
      guidance: [secrets.guidance],
      restrictions: [{ id: `sec-res-${key}`, kind: "home-visits-in-pairs", params: {}, serviceAreas: [], startsOn: "2026-11-01", endsOn: "2027-11-01", staffInstruction: secrets.restriction }],
      spoc: undefined,
      status: "active",
      appealInProgress: false,
      caseId,
      nextReviewOn: "2027-05-01",
      expiresOn: premises ? undefined : "2027-11-01",
      removedOn: undefined,
      removalReason: undefined,
      purgeAfter: undefined,
      recordOwner: staff("00000000-0000-4000-8000-0000000000aa", "Max Manager"),
    });
    const theCase = fullCase(subjectId, {
      id: caseId,
      reference: `CASE-91${TIER_KEYS.indexOf(key)}0`,
      incidentIds: [incident.id],
      summary: secrets.caseSummary,
      papersUrl: undefined,
      emergency: undefined,
    });
    return { key, subject, entry, incident, case: theCase, secrets };
  });
}

/** What the Dorset preset lets each role see of each tier (Dorset 7.1; docs/policy.md "access"). Written out by
 * hand, not computed, so a change that widens anyone's view fails the matrix until this table is changed too. */
export const DORSET_VIEWS: Record<Role, Record<TierKey, EntryView>> = {
  officer: { low: "hidden", medium: "summary", high: "summary", "premises-high": "summary", "premises-low": "hidden" }, // 7.1: home visitors see Medium/High only
  manager: { low: "full", medium: "full", high: "full", "premises-high": "full", "premises-low": "full" },
  "panel-member": { low: "full", medium: "full", high: "full", "premises-high": "full", "premises-low": "full" },
  chair: { low: "full", medium: "full", high: "full", "premises-high": "full", "premises-low": "full" },
  "register-admin": { low: "full", medium: "full", high: "full", "premises-high": "full", "premises-low": "full" },
  councillor: { low: "summary", medium: "summary", high: "summary", "premises-high": "summary", "premises-low": "summary" },
  contractor: { low: "minimum", medium: "minimum", high: "minimum", "premises-high": "minimum", "premises-low": "minimum" },
  "appeal-officer": { low: "full", medium: "full", high: "full", "premises-high": "full", "premises-low": "full" },
  auditor: { low: "hidden", medium: "hidden", high: "hidden", "premises-high": "hidden", "premises-low": "hidden" },
};
/** Dorset 4.10: health information stays with the panel. */
export const DORSET_SENSITIVE_ROLES: readonly Role[] = ["panel-member", "chair"];

/** The data each view may show (EXPERIENCE.md "One shape for a register entry"). */
export const MAY_SHOW: Record<EntryView, ReadonlySet<SecretKind>> = {
  hidden: new Set(),
  minimum: new Set(["reference", "guidance"]),
  summary: new Set(["reference", "guidance", "name", "email", "phone", "restriction"]),
  full: new Set(["reference", "guidance", "name", "email", "phone", "restriction", "history", "witness", "caseSummary"]),
};

export function mayShow(role: Role, tier: TierKey, kind: SecretKind): boolean {
  const view = DORSET_VIEWS[role][tier];
  if (kind === "sensitive") return view === "full" && DORSET_SENSITIVE_ROLES.includes(role);
  return MAY_SHOW[view].has(kind);
}

/** A stable user id per principal, so each has its own rate-limit bucket and audit trail. */
export const principalId = (p: Principal): string => `00000000-0000-4000-9000-${String(PRINCIPALS.indexOf(p) + 1).padStart(12, "0")}`;

export interface World {
  t: TestApp;
  tiers: TierSeed[];
  stores: Stores;
  /** A valid token for one role (cached), or undefined for anonymous. */
  token(p: Principal): Promise<string | undefined>;
  /** fetch with the principal's token. */
  request(p: Principal, method: string, path: string, init?: { body?: string; contentType?: string; headers?: Record<string, string> }): Promise<Answer>;
  stop(): Promise<void>;
}

export interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
  headers: Headers;
}

export async function seedTiers(stores: Stores, tiers: TierSeed[]): Promise<void> {
  for (const s of tiers) {
    await stores.subjects.create(s.subject);
    await stores.register.create(s.entry);
    await stores.incidents.create(s.incident);
    await stores.cases.create(s.case);
  }
}

/** Starts the whole server (every route createApp registers, dev sign-in included) with the Dorset preset. */
export async function startWorld(over: Partial<AppDeps> & { stores?: Stores; logger?: Logger } = {}): Promise<World> {
  const dorset = getPreset("dorset")!;
  const devIssuer = await createLocalIssuer("00000000-0000-4000-8000-00000000c41a", "00000000-0000-4000-8000-0000000ca1a0");
  // Graph mail protection too (SPOC diverts, Graph's change notifications), against the Graph simulator, so the
  // routes index.ts mounts when Graph is configured are covered like every other route.
  const sim = await startGraphSimulator({ latencyMs: { min: 0, max: 1 }, throttleRetryAfterSeconds: 0.05 });
  const tenant = seedDemoTenant(sim);
  const stores = over.stores ?? createMemoryStores();
  const late: { isListed?: (email: string) => { listed: boolean; reference?: string } } = {};
  let n = 0;
  const mail = await createMailProtection({
    graphBaseUrl: sim.baseUrl,
    credentials: { kind: "static", token: "security-test" },
    ratePerSecond: 500,
    storage: { kind: "memory" },
    identifierHashKey: "security-world-identifier-key",
    publicBaseUrl: "https://calm.example.org",
    markingScopeGroup: Object.values(tenant.groups)[0]!,
    isListedAddress: (email) => late.isListed?.(email) ?? { listed: false },
    audit: stores.audit,
    clock: { now: () => new Date("2026-11-23T10:00:00Z") },
    ids: { next: () => `mail-${++n}` },
    logger: over.logger ?? createLogger("silent"),
  });
  // "Report this email" from a mailbox (Graph as the signed-in user): every principal has a mailbox in the
  // simulator, so the route is exercised all the way to Graph like every other.
  for (const p of PRINCIPALS) if (p !== "anonymous") sim.tenant.addUser({ id: principalId(p), mail: `${p}@calm-security.example` });
  const userMail = new GraphUserMail({ baseUrl: sim.baseUrl, obo: createLocalOboTokenFunction(devIssuer) });
  const t = await startTestApp({ policy: bindPolicy(dorset), devIssuer, directory: new LocalDirectory(), userMail, logger: over.logger ?? createLogger("silent"), extraRoutes: () => divertRoutes(mail, stores), ...over, stores });
  late.isListed = (email) => t.app.services.lookup.isListedAddress(email);
  const tiers = buildTiers();
  await seedTiers(t.stores, tiers);
  for (const s of tiers) await t.app.services.lookup.subjectChanged(s.subject.id);
  const tokens = new Map<Principal, string>();
  const token = async (p: Principal): Promise<string | undefined> => {
    if (p === "anonymous") return undefined;
    let tok = tokens.get(p);
    if (!tok) {
      tok = await t.issuer.token({ oid: principalId(p), name: `Test ${p}`, roles: [p] });
      tokens.set(p, tok);
    }
    return tok;
  };
  return {
    t,
    tiers,
    stores: t.stores,
    token,
    async request(p, method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const tok = await token(p);
      if (tok) headers.authorization = `Bearer ${tok}`;
      if (init.body !== undefined) headers["content-type"] ??= init.contentType ?? "application/json";
      return send(t.url, method, path, headers, init.body);
    },
    async stop() {
      await t.stop();
      await mail.stop();
      await sim.stop();
    },
  };
}

export async function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer> {
  const res = await fetch(base + path, { method, headers, body: method === "GET" || method === "HEAD" || body === undefined ? undefined : typeof body === "string" ? body : new Uint8Array(body) });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text && (res.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

export const uniqueId = (): string => randomUUID();

/** The routes the server registers, listed without starting it (so each can have its own test). Built with the
 * same options as startWorld: every route createApp adds, dev sign-in included. */
export function listRoutes(): readonly Route[] {
  const app = createApp({
    stores: createMemoryStores(),
    policy: bindPolicy(getPreset("dorset")!),
    tokens: new TokenValidator({ tenantId: "t", audiences: ["a"], issuers: ["i"], requiredScope: "s", keys: { jwks: { keys: [] } } }),
    clock: { now: () => new Date("2026-11-23T10:00:00Z") },
    ids: { next: () => randomUUID() },
    logger: createLogger("silent"),
    devIssuer: { jwks: { keys: [] }, issuer: "local", mint: () => Promise.resolve("") },
    // Only the route definitions are wanted here: the handlers never run, so a stand-in mail protection will do.
    extraRoutes: () => divertRoutes({ marking: {}, diverts: {}, graph: {}, start: () => undefined, stop: () => Promise.resolve() } as unknown as MailProtection, createMemoryStores()),
  });
  return app.router.routes();
}
