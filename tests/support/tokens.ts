// A local token issuer and JWKS made by the tests (no Entra ID here): the production validator checks these
// tokens exactly as it checks Entra's, only the key set differs.
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import type { Role } from "../../core/src/domain";

export const TEST_TENANT = "11111111-1111-4111-8111-111111111111";
export const TEST_CLIENT_ID = "22222222-2222-4222-8222-222222222222";
export const TEST_AUDIENCE = `api://${TEST_CLIENT_ID}`;
export const TEST_ISSUER = `https://login.microsoftonline.com/${TEST_TENANT}/v2.0`;

export interface TestIssuer {
  jwks: JSONWebKeySet;
  /** A valid token for a user with these roles, unless overridden. */
  token(opts?: { oid?: string; name?: string; roles?: Role[] | string[]; claims?: JWTPayload; expiresIn?: number; notBefore?: number; audience?: string; issuer?: string; tenant?: string; scope?: string | null; alg?: "RS256" }): Promise<string>;
  /** Signed by a key that is not in the JWKS. */
  forged(opts?: { roles?: Role[] }): Promise<string>;
}

async function signer() {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID();
  return { publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }, privateKey, kid };
}

export async function createTestIssuer(): Promise<TestIssuer> {
  const real = await signer();
  const rogue = await signer();
  const make = async (key: typeof real, opts: Parameters<TestIssuer["token"]>[0] = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      oid: opts.oid ?? "33333333-3333-4333-8333-333333333333",
      tid: opts.tenant ?? TEST_TENANT,
      name: opts.name ?? "Test Person",
      preferred_username: "test.person@calm-test.example",
      roles: opts.roles ?? ["officer"],
      ver: "2.0",
      ...(opts.scope === null ? {} : { scp: opts.scope ?? "access_as_user" }),
      ...opts.claims,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
      .setIssuer(opts.issuer ?? TEST_ISSUER)
      .setAudience(opts.audience ?? TEST_AUDIENCE)
      .setIssuedAt(now - 10)
      .setNotBefore(now + (opts.notBefore ?? -10))
      .setExpirationTime(now + (opts.expiresIn ?? 3600))
      .sign(key.privateKey);
  };
  return {
    jwks: { keys: [real.publicJwk] },
    token: (opts) => make(real, opts),
    forged: (opts) => make({ ...rogue, kid: real.kid }, opts),
  };
}

/** An unsigned token (`alg: none`) with otherwise valid claims. */
export function unsignedToken(roles: Role[] = ["officer"]): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "none", typ: "JWT" })}.${enc({ oid: "x", tid: TEST_TENANT, roles, scp: "access_as_user", iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 3600 })}.`;
}
