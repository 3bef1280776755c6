// On-behalf-of with @azure/msal-node (its HTTP answered in-process: no network) and the Graph directory adapter
// against a local Graph stand-in: names for the audit trail, people and groups for access grants, and plain
// failures when consent is missing or Graph is down.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { createOboTokenFunction, OboError } from "../../../bot/src/adapters/graph/obo";
import { DIRECTORY_SCOPES, GraphDirectory } from "../../../bot/src/adapters/graph/directory";
import { DirectoryUnavailableError } from "../../../bot/src/ports/directory";
import { LocalDirectory } from "../../../bot/src/adapters/http/devDirectory";

const TENANT = "11111111-1111-4111-8111-111111111111";
const HOST = "https://login.microsoftonline.com";
const authorityMetadata = JSON.stringify({
  token_endpoint: `${HOST}/${TENANT}/oauth2/v2.0/token`,
  authorization_endpoint: `${HOST}/${TENANT}/oauth2/v2.0/authorize`,
  end_session_endpoint: `${HOST}/${TENANT}/oauth2/v2.0/logout`,
  issuer: `${HOST}/${TENANT}/v2.0`,
  jwks_uri: `${HOST}/${TENANT}/discovery/v2.0/keys`,
});
const cloudDiscoveryMetadata = JSON.stringify({
  tenant_discovery_endpoint: `${HOST}/${TENANT}/v2.0/.well-known/openid-configuration`,
  "api-version": "1.1",
  metadata: [{ preferred_network: "login.microsoftonline.com", preferred_cache: "login.windows.net", aliases: ["login.microsoftonline.com", "login.windows.net"] }],
});

/** Answers MSAL's token requests; records what it was asked. */
function fakeIdentityPlatform(answer: (form: URLSearchParams) => { status: number; body: unknown }): INetworkModule & { posts: URLSearchParams[] } {
  const posts: URLSearchParams[] = [];
  return {
    posts,
    sendGetRequestAsync<T>(): Promise<NetworkResponse<T>> {
      return Promise.reject(new Error("no GET expected: discovery is given as metadata"));
    },
    sendPostRequestAsync<T>(_url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
      const form = new URLSearchParams(options?.body ?? "");
      posts.push(form);
      const { status, body } = answer(form);
      return Promise.resolve({ status, headers: {}, body: body as T });
    },
  };
}

function userToken(oid: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ oid, tid: TENANT, aud: "api://calm", exp: Math.floor(Date.now() / 1000) + 3600 })}.c2lnbmF0dXJl`;
}

describe("On-behalf-of token exchange (msal-node)", () => {
  it("trades the user's CALM token for a Graph token with the asked scopes, and reuses it from MSAL's cache", async () => {
    const idp = fakeIdentityPlatform((form) => ({ status: 200, body: { token_type: "Bearer", access_token: `graph-for-${form.get("assertion")!.slice(-12)}`, expires_in: 3600, ext_expires_in: 3600, scope: form.get("scope") } }));
    const obo = createOboTokenFunction({ tenantId: TENANT, clientId: "calm-client", clientSecret: "not-a-real-secret", networkClient: idp, authorityMetadata, cloudDiscoveryMetadata });
    const token = userToken("user-1");
    const first = await obo(token, DIRECTORY_SCOPES);
    assert.match(first, /^graph-for-/);
    const form = idp.posts[0]!;
    assert.equal(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
    assert.equal(form.get("requested_token_use"), "on_behalf_of");
    assert.equal(form.get("assertion"), token);
    assert.ok(form.get("scope")!.includes("User.ReadBasic.All"));
    assert.equal(await obo(token, DIRECTORY_SCOPES), first);
    assert.equal(idp.posts.length, 1, "the second call came from MSAL's cache");
  });

  it("says an administrator must consent when the identity platform answers AADSTS65001", async () => {
    const idp = fakeIdentityPlatform(() => ({ status: 400, body: { error: "invalid_grant", error_description: "AADSTS65001: The user or administrator has not consented to use the application.", suberror: "consent_required", error_codes: [65001] } }));
    const obo = createOboTokenFunction({ tenantId: TENANT, clientId: "calm-client", clientSecret: "not-a-real-secret", networkClient: idp, authorityMetadata, cloudDiscoveryMetadata });
    await assert.rejects(obo(userToken("user-2"), DIRECTORY_SCOPES), (e: unknown) => e instanceof OboError && e.code === "OBO_CONSENT_REQUIRED" && /consent/.test(e.message));
  });

  it("fails plainly when the identity platform is down", async () => {
    const idp = fakeIdentityPlatform(() => ({ status: 503, body: { error: "temporarily_unavailable", error_description: "AADSTS90033: busy" } }));
    const obo = createOboTokenFunction({ tenantId: TENANT, clientId: "calm-client", clientSecret: "not-a-real-secret", networkClient: idp, authorityMetadata, cloudDiscoveryMetadata });
    await assert.rejects(obo(userToken("user-3"), DIRECTORY_SCOPES), (e: unknown) => e instanceof OboError && e.code === "OBO_FAILED");
  });

  it("refuses to start without a secret or certificate", () => {
    assert.throws(() => createOboTokenFunction({ tenantId: TENANT, clientId: "calm-client" }), TypeError);
  });
});

describe("Graph directory (as the user)", () => {
  let server: http.Server;
  let base: string;
  const seen: { method: string; url: string; auth: string; consistency?: string; body: string }[] = [];
  let mode: "ok" | "forbidden" | "broken" = "ok";
  before(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => { body += c.toString(); });
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? "", consistency: req.headers.consistencylevel as string | undefined, body });
        if (mode === "forbidden") return void res.writeHead(403, { "content-type": "application/json" }).end("{}");
        if (mode === "broken") return void res.writeHead(200, { "content-type": "application/json" }).end("{not json");
        res.writeHead(200, { "content-type": "application/json" });
        if (req.url === "/v1.0/directoryObjects/getByIds") {
          const ids = (JSON.parse(body) as { ids: string[] }).ids;
          return void res.end(JSON.stringify({ value: ids.filter((id) => id.startsWith("aaaaaaaa")).map((id) => ({ "@odata.type": "#microsoft.graph.user", id, displayName: `Person ${id.slice(-4)}` })) }));
        }
        if (req.url!.startsWith("/v1.0/users")) return void res.end(JSON.stringify({ value: [{ id: "u1", displayName: "Ola Officer", jobTitle: "Housing officer" }] }));
        if (req.url!.startsWith("/v1.0/groups")) return void res.end(JSON.stringify({ value: [{ id: "g1", displayName: "Home visiting officers", description: null }] }));
        res.end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => { seen.length = 0; mode = "ok"; });

  const directory = (obo = async (t: string) => `graph:${t}`) => new GraphDirectory({ baseUrl: base, obo });
  const me = { token: "user-token" };

  it("names staff ids in one getByIds call with the user's Graph token, and caches them", async () => {
    const d = directory();
    const a = "aaaaaaaa-0000-4000-8000-000000000001";
    const b = "bbbbbbbb-0000-4000-8000-000000000002";
    const names = await d.names([a, b, a, "persona-not-a-guid"], me);
    assert.deepEqual([...names], [[a, "Person 0001"]]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.auth, "Bearer graph:user-token");
    assert.deepEqual(JSON.parse(seen[0]!.body), { ids: [a, b], types: ["user", "group"] });
    await d.names([a], me);
    assert.equal(seen.length, 1, "cached");
  });

  it("searches people and groups with $search and ConsistencyLevel, quotes removed", async () => {
    const found = await directory().search('Ola "x\\', me);
    assert.deepEqual(found.map((p) => [p.kind, p.displayName, p.detail]), [["user", "Ola Officer", "Housing officer"], ["group", "Home visiting officers", undefined]]);
    assert.ok(seen.every((s) => s.consistency === "eventual"));
    assert.ok(seen.every((s) => decodeURIComponent(s.url).includes('"displayName:Ola  x"')));
  });

  it("turns 403, a broken answer, a dead server and missing consent into DirectoryUnavailableError", async () => {
    mode = "forbidden";
    await assert.rejects(directory().search("ola", me), (e: unknown) => e instanceof DirectoryUnavailableError && e.reason === "consent");
    mode = "broken";
    await assert.rejects(directory().search("ola", me), (e: unknown) => e instanceof DirectoryUnavailableError && e.reason === "unavailable");
    const dead = new GraphDirectory({ baseUrl: "http://127.0.0.1:9", obo: async () => "t", timeoutMs: 2000 });
    await assert.rejects(dead.search("ola", me), DirectoryUnavailableError);
    const noConsent = directory(async () => { throw new OboError("OBO_CONSENT_REQUIRED"); });
    await assert.rejects(noConsent.names(["aaaaaaaa-0000-4000-8000-000000000009"], me), (e: unknown) => e instanceof DirectoryUnavailableError && e.reason === "consent");
  });
});

describe("Local directory (fictional personas)", () => {
  it("names personas and finds people and groups by the start of a word", async () => {
    const d = new LocalDirectory();
    assert.equal((await d.names(["00000000-0000-4000-8000-000000000001"])).get("00000000-0000-4000-8000-000000000001"), "Ola Officer");
    assert.deepEqual((await d.search("home")).map((p) => p.displayName), ["Home visiting officers"]);
    assert.ok((await d.search("ada")).some((p) => p.displayName === "Ada Admin"));
    assert.deepEqual(await d.search("  "), []);
  });
});
