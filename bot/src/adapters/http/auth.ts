// Entra ID bearer-token validation for every API route (issue 2 item 6, issue 4 item 1), with `jose`:
// signature against the tenant's JWKS (RS256 only, so `alg: none` and HMAC tricks fail), issuer, audience,
// expiry and not-before (60 s skew), tenant (`tid`) and the delegated scope. Roles come from Entra app roles
// (`roles`) and, where a council prefers groups, from group ids mapped in config.
//
// A validated token is cached until it expires, so a busy sender check does not pay for an RSA verification on
// every request; an unvalidated or failed token is never cached. A cache hit needs the exact header text.
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { ROLES, type Caller, type Role } from "../../../../core/src/domain";

export type TokenFailureCode =
  | "TOKEN_MISSING"
  | "TOKEN_INVALID"
  | "TOKEN_EXPIRED"
  | "TOKEN_WRONG_TENANT"
  | "TOKEN_SCOPE_MISSING";

export type TokenResult = { ok: true; caller: Caller } | { ok: false; code: TokenFailureCode; message: string };

export interface TokenValidatorOptions {
  tenantId: string;
  audiences: string[];
  issuers: string[];
  requiredScope: string;
  roleGroups?: Record<string, Role[]>;
  /** Where the signing keys come from: the tenant's JWKS URL, or a key set (tests, local sign-in). */
  keys: { jwksUri: string } | { jwks: JSONWebKeySet };
  clockToleranceSec?: number;
  cacheSize?: number;
  now?: () => number;
}

const MESSAGES: Record<TokenFailureCode, string> = {
  TOKEN_MISSING: "Sign in to use CALM: the request had no access token.",
  TOKEN_INVALID: "Your sign-in could not be checked. Sign out and sign in again.",
  TOKEN_EXPIRED: "Your sign-in has expired. Refresh the page to sign in again.",
  TOKEN_WRONG_TENANT: "This sign-in belongs to another organisation. Sign in with your council account.",
  TOKEN_SCOPE_MISSING: "Your sign-in does not give CALM the access it needs. Ask your IT team to grant consent for CALM.",
};

/** Characters of the header's end that key the cache: 258 bits of an RS256 signature. */
const CACHE_KEY_CHARS = 43;

export function tokenFailure(code: TokenFailureCode): TokenResult {
  return { ok: false, code, message: MESSAGES[code] };
}

export class TokenValidator {
  private readonly getKey: JWTVerifyGetKey;
  /** Validated headers by their last CACHE_KEY_CHARS characters (see authenticate). */
  private readonly cache = new Map<string, { header: string; caller: Caller; expMs: number }>();
  private readonly cacheSize: number;
  private readonly now: () => number;
  private readonly knownRoles = new Set<string>(ROLES);

  constructor(private readonly options: TokenValidatorOptions) {
    this.getKey = "jwksUri" in options.keys
      ? createRemoteJWKSet(new URL(options.keys.jwksUri), { cooldownDuration: 30_000, cacheMaxAge: 6 * 3600_000 })
      : createLocalJWKSet(options.keys.jwks);
    this.cacheSize = options.cacheSize ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Validates an `Authorization` header value. Never throws for a bad token: returns a failure code.
   * Synchronous for a header this validator has already accepted, so the hot path does not wait a turn for it. */
  authenticate(authorization: string | undefined): TokenResult | Promise<TokenResult> {
    if (!authorization) return tokenFailure("TOKEN_MISSING");
    // Keyed by the header's tail (the end of the token's signature): hashing a whole header of 1–3 KB for the map
    // costs more than the rest of a sender check's authentication. A hit still needs the exact same header; any
    // other token with the same tail is verified in full. Only a validated token is ever stored.
    const key = authorization.slice(-CACHE_KEY_CHARS);
    const hit = this.cache.get(key);
    if (hit?.header !== authorization) return this.verify(authorization);
    if (hit.expMs > this.now()) return { ok: true, caller: hit.caller };
    this.cache.delete(key);
    return tokenFailure("TOKEN_EXPIRED");
  }

  /** `authenticate`, always as a promise. */
  async validate(authorization: string | undefined): Promise<TokenResult> {
    return this.authenticate(authorization);
  }

  /** Checks a header that is not in the cache: signature, issuer, audience, expiry, tenant and scope. */
  private async verify(authorization: string): Promise<TokenResult> {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match?.[1]) return tokenFailure("TOKEN_INVALID");
    const token = match[1];
    if (token.length > 16_384) return tokenFailure("TOKEN_INVALID");

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        algorithms: ["RS256"],
        issuer: this.options.issuers,
        audience: this.options.audiences,
        clockTolerance: this.options.clockToleranceSec ?? 60,
        currentDate: new Date(this.now()),
        requiredClaims: ["exp", "iat", "tid", "oid"],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return tokenFailure("TOKEN_EXPIRED");
      if (error instanceof joseErrors.JOSEError) return tokenFailure("TOKEN_INVALID");
      throw error; // not a token problem (e.g. the JWKS endpoint is down): the caller answers 503.
    }

    if (payload.tid !== this.options.tenantId) return tokenFailure("TOKEN_WRONG_TENANT");
    const scopes = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
    if (!scopes.includes(this.options.requiredScope)) return tokenFailure("TOKEN_SCOPE_MISSING");

    const caller = this.callerFrom(payload);
    if (!caller) return tokenFailure("TOKEN_INVALID");
    this.remember(authorization, caller, (payload.exp ?? 0) * 1000 + (this.options.clockToleranceSec ?? 60) * 1000);
    return { ok: true, caller };
  }

  private callerFrom(payload: JWTPayload): Caller | undefined {
    const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 && v.length <= 256 ? v : undefined);
    const id = str(payload.oid);
    const tenantId = str(payload.tid);
    if (!id || !tenantId) return undefined;
    const roles = new Set<Role>();
    if (Array.isArray(payload.roles)) {
      for (const r of payload.roles) if (typeof r === "string" && this.knownRoles.has(r)) roles.add(r as Role);
    }
    if (Array.isArray(payload.groups) && this.options.roleGroups) {
      for (const g of payload.groups) {
        if (typeof g !== "string") continue;
        for (const r of this.options.roleGroups[g] ?? []) roles.add(r);
      }
    }
    return {
      id,
      tenantId,
      displayName: str(payload.name) ?? "CALM user",
      email: str(payload.preferred_username) ?? str(payload.upn),
      roles: [...roles],
      serviceAreas: Array.isArray(payload.calm_services)
        ? payload.calm_services.filter((s): s is string => typeof s === "string").slice(0, 20)
        : [],
      // For access grants made to a group (Dorset 7.1: "services granted access"). Bounded: Entra sends at most
      // 200 ids in the token (more becomes an overage claim, which grants by group then do not see).
      groups: Array.isArray(payload.groups)
        ? payload.groups.filter((g): g is string => typeof g === "string" && g.length <= 64).slice(0, 200)
        : [],
    };
  }

  private remember(header: string, caller: Caller, expMs: number): void {
    const key = header.slice(-CACHE_KEY_CHARS);
    if (this.cache.size >= this.cacheSize && !this.cache.has(key)) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, { header, caller, expMs });
  }
}
