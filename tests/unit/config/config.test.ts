import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../bot/src/config";
import { userMailFor } from "../../../bot/src/index";
import { GraphUserMail } from "../../../bot/src/adapters/graph/userMail";
import { createLocalIssuer } from "../../../bot/src/adapters/http/devSignIn";

describe("Configuration (the one reader of the environment)", () => {
  it("runs locally with no settings at all, and no secrets", () => {
    const c = loadConfig({});
    assert.equal(c.env, "local");
    assert.equal(c.storage.kind, "memory");
    assert.equal(c.auth.devSignIn, false);
    assert.equal(c.port, 3978);
  });

  it("turns on local sign-in only when asked", () => {
    assert.equal(loadConfig({ CALM_DEV_SIGNIN: "true" }).auth.devSignIn, true);
  });

  for (const env of ["dev", "test", "prod"]) {
    it(`refuses local sign-in when CALM_ENV=${env}, naming the variable`, () => {
      assert.throws(
        () => loadConfig({ CALM_ENV: env, CALM_DEV_SIGNIN: "true", AAD_TENANT_ID: "t", AAD_APP_CLIENT_ID: "c", STORAGE_TABLE_ENDPOINT: "https://x.table.core.windows.net", CALM_IDENTIFIER_HASH_KEY: "0123456789abcdef0123" }),
        (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith("CALM_DEV_SIGNIN")),
      );
    });
  }

  it("lists every missing production setting at once", () => {
    try {
      loadConfig({ CALM_ENV: "prod" });
      assert.fail("should have thrown");
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const text = e.problems.join("\n");
      for (const key of ["AAD_TENANT_ID", "AAD_APP_CLIENT_ID", "STORAGE_TABLE_ENDPOINT", "CALM_IDENTIFIER_HASH_KEY"]) assert.match(text, new RegExp(key));
      assert.match(e.message, /Fix these environment variables/);
    }
  });

  it("refuses a storage connection string (shared key) in production", () => {
    assert.throws(
      () => loadConfig({ CALM_ENV: "prod", AAD_TENANT_ID: "t", AAD_APP_CLIENT_ID: "c", STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true", CALM_IDENTIFIER_HASH_KEY: "0123456789abcdef0123" }),
        (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith("STORAGE_CONNECTION_STRING")),
    );
  });

  it("uses a managed identity for storage in production", () => {
    const c = loadConfig({ CALM_ENV: "prod", AAD_TENANT_ID: "tenant", AAD_APP_CLIENT_ID: "client", STORAGE_TABLE_ENDPOINT: "https://acct.table.core.windows.net", AZURE_CLIENT_ID: "mi", CALM_IDENTIFIER_HASH_KEY: "0123456789abcdef0123" });
    assert.equal(c.storage.kind, "managedIdentity");
    assert.deepEqual(c.auth.issuers, ["https://login.microsoftonline.com/tenant/v2.0", "https://sts.windows.net/tenant/"]);
    assert.equal(c.auth.jwksUri, "https://login.microsoftonline.com/tenant/discovery/v2.0/keys");
    assert.deepEqual(c.auth.audiences, ["client", "api://client"]);
  });

  const bad: [string, Record<string, string>, string][] = [
    ["a port that is not a number", { PORT: "eighty" }, "PORT"],
    ["an unknown environment", { CALM_ENV: "staging" }, "CALM_ENV"],
    ["a role map that is not JSON", { CALM_ROLE_GROUPS: "{oops" }, "CALM_ROLE_GROUPS"],
    ["a role map with an unknown role", { CALM_ROLE_GROUPS: '{"g1":["superuser"]}' }, "CALM_ROLE_GROUPS"],
    ["a Graph URL that is not a URL", { GRAPH_BASE_URL: "graph" }, "GRAPH_BASE_URL"],
  ];
  for (const [what, env, key] of bad) {
    it(`refuses ${what}, naming ${key}`, () => {
      assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith(key)));
    });
  }

  it("maps Entra groups to roles from JSON", () => {
    const c = loadConfig({ CALM_ROLE_GROUPS: '{"group-1":["officer","manager"]}' });
    assert.deepEqual(c.auth.roleGroups, { "group-1": ["officer", "manager"] });
  });
});

describe("Composition: where reported emails are read from (userMailFor)", () => {
  it("reads them through Graph on behalf of the user in production only with the app's secret; locally only from the simulator", async () => {
    const prod = { CALM_ENV: "prod", AAD_TENANT_ID: "11111111-1111-4111-8111-111111111111", AAD_APP_CLIENT_ID: "22222222-2222-4222-8222-222222222222", STORAGE_TABLE_ENDPOINT: "https://x.table.core.windows.net", CALM_IDENTIFIER_HASH_KEY: "0123456789abcdef0123" };
    assert.equal(userMailFor(loadConfig(prod)), undefined, "no secret, no on-behalf-of: the add-in keeps what Outlook gives");
    assert.ok(userMailFor(loadConfig({ ...prod, AAD_APP_CLIENT_SECRET: "not-a-real-secret" })) instanceof GraphUserMail);
    const issuer = await createLocalIssuer("t", "a");
    assert.equal(userMailFor(loadConfig({ CALM_DEV_SIGNIN: "true" }), issuer), undefined, "local sign-in without the simulator");
    assert.ok(userMailFor(loadConfig({ CALM_DEV_SIGNIN: "true", GRAPH_AUTH: "simulator", GRAPH_BASE_URL: "http://127.0.0.1:1" }), issuer) instanceof GraphUserMail);
  });
});
