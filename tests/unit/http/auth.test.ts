import assert from "node:assert/strict";
import { TokenValidator } from "../../../bot/src/adapters/http/auth";
import { createTestIssuer, unsignedToken, TEST_AUDIENCE, TEST_CLIENT_ID, TEST_ISSUER, TEST_TENANT, type TestIssuer } from "../../support/tokens";

describe("Entra ID token validation", () => {
  let issuer: TestIssuer;
  let validator: TokenValidator;

  before(async () => {
    issuer = await createTestIssuer();
    validator = new TokenValidator({
      tenantId: TEST_TENANT,
      audiences: [TEST_CLIENT_ID, TEST_AUDIENCE],
      issuers: [TEST_ISSUER],
      requiredScope: "access_as_user",
      roleGroups: { "group-panel": ["panel-member"] },
      keys: { jwks: issuer.jwks },
    });
  });

  const bearer = (t: string) => `Bearer ${t}`;

  it("accepts a valid token and reads the caller's id and roles", async () => {
    const result = await validator.validate(bearer(await issuer.token({ roles: ["officer", "manager"] })));
    assert.equal(result.ok, true);
    if (result.ok) assert.deepEqual(result.caller.roles, ["officer", "manager"]);
  });

  it("maps Entra group ids to roles where the council uses groups", async () => {
    const result = await validator.validate(bearer(await issuer.token({ roles: [], claims: { groups: ["group-panel", "unrelated"] } })));
    assert.ok(result.ok && result.caller.roles.includes("panel-member"));
  });

  it("ignores roles CALM does not know", async () => {
    const result = await validator.validate(bearer(await issuer.token({ roles: ["Global.Admin", "officer"] })));
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.caller.roles, ["officer"]);
  });

  const rejected: [string, () => Promise<string | undefined>, string][] = [
    ["no header at all", () => Promise.resolve(undefined), "TOKEN_MISSING"],
    ["a header that is not a bearer token", () => Promise.resolve("Basic dXNlcjpwYXNz"), "TOKEN_INVALID"],
    ["a forged signature", async () => bearer(await issuer.forged()), "TOKEN_INVALID"],
    ["alg: none", () => Promise.resolve(bearer(unsignedToken())), "TOKEN_INVALID"],
    ["an expired token", async () => bearer(await issuer.token({ expiresIn: -3600 })), "TOKEN_EXPIRED"],
    ["a token not valid yet", async () => bearer(await issuer.token({ notBefore: 3600 })), "TOKEN_INVALID"],
    ["the wrong audience", async () => bearer(await issuer.token({ audience: "api://someone-else" })), "TOKEN_INVALID"],
    ["the wrong issuer", async () => bearer(await issuer.token({ issuer: "https://login.example/evil/v2.0" })), "TOKEN_INVALID"],
    ["another tenant (issuer ours, tid theirs)", async () => bearer(await issuer.token({ tenant: "99999999-9999-4999-8999-999999999999" })), "TOKEN_WRONG_TENANT"],
    ["no delegated scope", async () => bearer(await issuer.token({ scope: null })), "TOKEN_SCOPE_MISSING"],
    ["another scope only", async () => bearer(await issuer.token({ scope: "User.Read" })), "TOKEN_SCOPE_MISSING"],
    ["a token with no oid", async () => bearer(await issuer.token({ claims: { oid: undefined } })), "TOKEN_INVALID"],
  ];
  for (const [what, make, code] of rejected) {
    it(`refuses ${what} (${code})`, async () => {
      const result = await validator.validate(await make());
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.code, code);
        assert.match(result.message, /\w+/);
      }
    });
  }

  it("remembers a good token only until it expires", async () => {
    let now = Date.now();
    const v = new TokenValidator({ tenantId: TEST_TENANT, audiences: [TEST_AUDIENCE], issuers: [TEST_ISSUER], requiredScope: "access_as_user", keys: { jwks: issuer.jwks }, clockToleranceSec: 0, now: () => now });
    const token = bearer(await issuer.token({ expiresIn: 120 }));
    assert.equal((await v.validate(token)).ok, true);
    assert.equal((await v.validate(token)).ok, true);
    now += 10 * 60_000;
    const later = await v.validate(token);
    assert.equal(later.ok, false);
    if (!later.ok) assert.equal(later.code, "TOKEN_EXPIRED");
  });

  it("takes a remembered token only when the whole header matches: the same signature on another payload is refused", async () => {
    const genuine = await issuer.token({ roles: ["officer"] });
    assert.equal((await validator.validate(bearer(genuine))).ok, true);
    // Same header and signature (so the same end), payload changed to claim another role.
    const [head, payload, signature] = genuine.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const tampered = [head, Buffer.from(JSON.stringify({ ...claims, roles: ["register-admin"] })).toString("base64url"), signature].join(".");
    const result = await validator.validate(bearer(tampered));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.code, "TOKEN_INVALID");
    // And the genuine one is still remembered.
    assert.equal((await validator.validate(bearer(genuine))).ok, true);
  });
});
