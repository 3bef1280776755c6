// POST /api/messages with a Bot Framework registration: the route's quick refusal of tokens that cannot be for this
// bot, then botbuilder's own JWT checks (issuer, audience, signature against the Bot Framework's keys with the
// channel's endorsement, the service URL claim) — here against a local OpenID metadata document and key set, so the
// production code path runs without the network.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
import { createMemoryBotStores } from "../../../bot/src/adapters/memory/bot";
import { PERSONAS } from "../../../bot/src/adapters/http/devSignIn";
import { personaRoleMap } from "../../../bot/src/adapters/teams/personas";
import { precheckBotToken } from "../../../bot/src/adapters/teams/endpoint";
import { getPreset } from "../../../core/src/policy/presets";
import { demoPanel } from "../../../scripts/demo/panel";
import { simplePolicy, startTestApp, type TestApp } from "../../support/testApp";

const APP_ID = "00000000-0000-4000-8000-0000000b0700";
const SERVICE_URL = "https://smba.trafficmanager.net/uk/";
const ISSUER = "https://api.botframework.com";

describe("HTTP: the bot endpoint with Bot Framework authentication", function () {
  this.timeout(30_000);
  let t: TestApp;
  let metadata: http.Server;
  let key: { privateKey: KeyLike; kid: string };
  let rogue: { privateKey: KeyLike; kid: string };

  before(async () => {
    const made = await generateKeyPair("RS256", { extractable: true });
    const other = await generateKeyPair("RS256", { extractable: true });
    key = { privateKey: made.privateKey, kid: randomUUID() };
    rogue = { privateKey: other.privateKey, kid: key.kid };
    const jwk = { ...(await exportJWK(made.publicKey)), kid: key.kid, alg: "RS256", use: "sig", endorsements: ["msteams"] };
    metadata = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
      if (req.url === "/openid") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ["RS256"] }));
      if (req.url === "/keys") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => metadata.listen(0, "127.0.0.1", () => r()));
    const botStores = createMemoryBotStores();
    for (const seat of demoPanel(getPreset("dorset")!, new Date().toISOString())) await botStores.decisionBody.put(seat);
    t = await startTestApp({
      policy: { ...simplePolicy, profile: getPreset("dorset")! },
      botStores,
      bot: { appId: APP_ID, appPassword: "not-a-real-secret", appType: "MultiTenant", openIdMetadataUrl: `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/openid`, roleMap: personaRoleMap(PERSONAS) },
    });
  });
  after(async () => {
    await t?.stop();
    await new Promise<void>((r) => metadata.close(() => r()));
  });

  const sign = (k: { privateKey: KeyLike; kid: string }, claims: Record<string, unknown> = {}, expiresIn = 3600) =>
    new SignJWT({ serviceurl: SERVICE_URL, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: k.kid, typ: "JWT" })
      .setIssuer(ISSUER)
      .setAudience(APP_ID)
      .setIssuedAt()
      .setNotBefore(Math.floor(Date.now() / 1000) - 60)
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(k.privateKey);

  const invoke = () => {
    const ola = PERSONAS.find((p) => p.displayName === "Ola Officer")!;
    return {
      type: "invoke", name: "adaptiveCard/action", id: randomUUID(), timestamp: new Date().toISOString(), channelId: "msteams", serviceUrl: SERVICE_URL,
      from: { id: `29:${ola.id}`, aadObjectId: ola.id, name: ola.displayName }, recipient: { id: `28:${APP_ID}`, name: "CALM" },
      conversation: { id: "a:personal", conversationType: "personal", tenantId: "t" }, channelData: { tenant: { id: "t" } },
      value: { action: { type: "Action.Execute", verb: "showReport", data: {} }, trigger: "manual" },
    };
  };
  const post = (token: string | undefined, body: unknown = invoke()) =>
    fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

  it("accepts an activity the Bot Framework signed for this bot, and answers the invoke with a card", async () => {
    const res = await post(await sign(key));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { statusCode: number; type: string; value: { body: { text?: string }[] } };
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, "application/vnd.microsoft.card.adaptive");
    assert.equal(body.value.body[0]?.text, "Report an incident");
  });

  it("refuses, before the bot sees anything: no token, another audience, expired, unsigned", async () => {
    for (const token of [undefined, await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: key.kid }).setAudience("someone-else").setExpirationTime("1h").sign(key.privateKey), await sign(key, {}, -3600)]) {
      const res = await post(token);
      assert.equal(res.status, 401);
      assert.match(((await res.json()) as { code: string }).code, /^BOT_TOKEN_(MISSING|INVALID)$/);
    }
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify({ aud: APP_ID, exp: Date.now() / 1000 + 3600 })).toString("base64url")}.`;
    assert.equal(precheckBotToken(`Bearer ${unsigned}`, APP_ID, Date.now()), "BOT_TOKEN_INVALID");
  });

  it("botbuilder refuses a token signed by a key the Bot Framework does not publish", async () => {
    const res = await post(await sign(rogue));
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, "BOT_TOKEN_INVALID");
  });

  it("botbuilder refuses a token issued for another service URL (a replay to a different region)", async () => {
    const res = await post(await sign(key, { serviceurl: "https://smba.example.org/elsewhere/" }));
    assert.equal(res.status, 401);
  });

  it("answers a body that is not an activity with a problem code", async () => {
    const res = await post(await sign(key), { hello: "world" });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, "BOT_ACTIVITY_INVALID");
  });
});
