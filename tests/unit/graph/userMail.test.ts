// Reading one email as the signed-in user (Report this email, where Outlook cannot copy it): the Graph simulator's
// delegated mail routes (`/me/messages/{id}/$value`, `$select=internetMessageHeaders,…`, shared mailboxes with
// Mail.Read.Shared), and the Graph adapter against it, with the local on-behalf-of stand-in and its failures.
import assert from "node:assert/strict";
import { createLocalIssuer, PERSONAS, type LocalIssuer } from "../../../bot/src/adapters/http/devSignIn";
import { createLocalOboTokenFunction, GRAPH_AUDIENCE } from "../../../bot/src/adapters/graph/localObo";
import { OboError, type OboTokenFunction } from "../../../bot/src/adapters/graph/obo";
import { GraphUserMail, MAIL_SCOPES } from "../../../bot/src/adapters/graph/userMail";
import { UserMailError } from "../../../bot/src/ports/userMail";
import { demoMessages } from "../../../addin/src/dev/demoMailbox";
import { startGraphSimulator, type GraphSimulator } from "../../support/graphSimulator/server";
import { DEMO_DOMAIN, seedDemoTenant } from "../../support/graphSimulator/seed";

const OLA = PERSONAS.find((p) => p.displayName === "Ola Officer")!;
const PAM = PERSONAS.find((p) => p.displayName === "Pam Panel")!;
const SPOC = `housing.spoc@${DEMO_DOMAIN}`;
const ALEX_MAIL = demoMessages()[0]!;

async function get(sim: GraphSimulator, path: string, token: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${sim.baseUrl}/v1.0${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function expectMailError(promise: Promise<unknown>, code: string): Promise<UserMailError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UserMailError, `a UserMailError, not ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe("Reading one email as the signed-in user (Graph simulator and adapter)", () => {
  let sim: GraphSimulator;
  let issuer: LocalIssuer;
  let spocMessageId: string;
  const userToken = (p: { id: string; email: string }) => issuer.mint({ oid: p.id, preferred_username: p.email }, { audience: "api://calm" });
  const graphToken = (p: { id: string }, scope: string) => issuer.mint({ oid: p.id }, { audience: GRAPH_AUDIENCE, scope });

  before(async () => {
    sim = await startGraphSimulator({ latencyMs: { min: 0, max: 1 } });
    seedDemoTenant(sim, { extraStaff: 2, demoMail: true });
    issuer = await createLocalIssuer("00000000-0000-4000-8000-00000000c41a", "api://calm");
    spocMessageId = sim.tenant.addMessage(SPOC, { from: "jamie.sample@example.org", fromName: "Jamie Sample", subject: "To the housing team", body: "Sent to the shared inbox." }).id;
  });
  after(async () => {
    await sim.stop();
  });
  afterEach(() => sim.clearFaults());

  describe("the simulator", () => {
    it("gives the signed-in user a message of their own as MIME: GET /me/messages/{id}/$value", async () => {
      const res = await get(sim, `/me/messages/${ALEX_MAIL.id}/$value`, await graphToken(OLA, "Mail.Read"));
      assert.equal(res.status, 200);
      assert.match(res.text, /^Received: /);
      assert.match(res.text, /\r\nFrom: "Alex Example" <alex\.example@example\.org>\r\n/);
      assert.match(res.text, /\r\nSubject: Still waiting for my repair AGAIN\r\n/);
      assert.match(res.text, /\r\nMessage-ID: <alex-1@example\.org>\r\n/);
      assert.ok(res.text.includes(`\r\n\r\n${ALEX_MAIL.body}`), "the body follows the headers");
    });

    it("answers $select with only what was asked: internet headers, and the body as text when Prefer asks for it", async () => {
      const token = await graphToken(OLA, "Mail.Read");
      const path = `/me/messages/${ALEX_MAIL.id}?$select=internetMessageHeaders,body,subject,from,receivedDateTime`;
      const text = await get(sim, path, token, { prefer: 'outlook.body-content-type="text"' });
      assert.equal(text.status, 200);
      assert.equal(text.headers.get("preference-applied"), 'outlook.body-content-type="text"');
      const json = JSON.parse(text.text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(json).sort(), ["@odata.etag", "body", "from", "id", "internetMessageHeaders", "receivedDateTime", "subject"]);
      assert.deepEqual(json.body, { contentType: "text", content: ALEX_MAIL.body });
      assert.deepEqual(json.from, { emailAddress: { address: "alex.example@example.org", name: "Alex Example" } });
      const headers = json.internetMessageHeaders as { name: string; value: string }[];
      assert.ok(headers.some((h) => h.name === "Subject" && h.value === ALEX_MAIL.subject));
      const html = JSON.parse((await get(sim, path, token)).text) as { body: { contentType: string; content: string } };
      assert.equal(html.body.contentType, "html", "HTML unless asked for text, as Graph does");
      assert.equal((await get(sim, `/me/messages/${ALEX_MAIL.id}?$select=nonsense`, token)).status, 400);
    });

    it("reads another mailbox only with Mail.Read.Shared and that mailbox's permission (a shared mailbox)", async () => {
      const path = `/users/${encodeURIComponent(SPOC)}/messages/${encodeURIComponent(spocMessageId)}/$value`;
      assert.equal((await get(sim, path, await graphToken(OLA, "Mail.Read"))).status, 403, "Mail.Read is the user's own mail only");
      const shared = await get(sim, path, await graphToken(OLA, "Mail.Read.Shared"));
      assert.equal(shared.status, 200, "Ola is a member of the housing SPOC inbox");
      assert.match(shared.text, /Subject: To the housing team/);
      assert.equal((await get(sim, path, await graphToken(PAM, "Mail.Read.Shared"))).status, 403, "Pam was given no access to it");
      assert.equal((await get(sim, `/me/messages/${ALEX_MAIL.id}/$value`, await graphToken(OLA, "User.Read"))).status, 403, "no mail scope, no mail");
    });

    it("runs a $batch's sub-requests as the batch's caller: /me is them, and a mailbox they cannot open stays closed", async () => {
      const batch = async (token: string, requests: { id: string; method: string; url: string }[]) => {
        const res = await fetch(`${sim.baseUrl}/v1.0/$batch`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ requests }) });
        const { responses } = (await res.json()) as { responses: { id: string; status: number }[] };
        return Object.fromEntries(responses.map((r) => [r.id, r.status]));
      };
      const spocPath = `/users/${encodeURIComponent(SPOC)}/messages/${encodeURIComponent(spocMessageId)}?$select=subject`;
      const requests = [{ id: "own", method: "GET", url: `/me/messages/${ALEX_MAIL.id}?$select=subject` }, { id: "shared", method: "GET", url: spocPath }];
      assert.deepEqual(await batch(await graphToken(OLA, "Mail.Read Mail.Read.Shared"), requests), { own: 200, shared: 200 });
      assert.deepEqual(await batch(await graphToken(PAM, "Mail.Read Mail.Read.Shared"), requests), { own: 404, shared: 403 }, "Pam's /me is Pam's mailbox");
    });

    it("refuses /me with the app's own token, a token for nobody in the tenant, and answers 404 for an unknown id", async () => {
      assert.equal((await get(sim, `/me/messages/${ALEX_MAIL.id}/$value`, "calm-local-graph-simulator")).status, 400);
      assert.equal((await get(sim, `/me/messages/${ALEX_MAIL.id}/$value`, await graphToken({ id: "00000000-0000-4000-8000-00000000dead" }, "Mail.Read"))).status, 401);
      assert.equal((await get(sim, "/me/messages/AAMkADno-such-message=/$value", await graphToken(OLA, "Mail.Read"))).status, 404);
    });
  });

  describe("the Graph adapter (GraphUserMail)", () => {
    const scopesAsked: string[][] = [];
    let mail: GraphUserMail;
    before(() => {
      const local = createLocalOboTokenFunction(issuer);
      mail = new GraphUserMail({ baseUrl: sim.baseUrl, obo: (token, scopes) => { scopesAsked.push(scopes); return local(token, scopes); } });
    });

    it("gets the MIME with Mail.Read for the user's own mailbox, and Mail.Read.Shared for a shared one", async () => {
      scopesAsked.length = 0;
      const own = await mail.mime({ messageId: ALEX_MAIL.id }, { token: await userToken(OLA) }, 1024 * 1024);
      assert.match(own.toString("utf8"), /Subject: Still waiting for my repair AGAIN/);
      const shared = await mail.mime({ messageId: spocMessageId, mailbox: SPOC }, { token: await userToken(OLA) }, 1024 * 1024);
      assert.match(shared.toString("utf8"), /Subject: To the housing team/);
      assert.deepEqual(scopesAsked, [[...MAIL_SCOPES.own], [...MAIL_SCOPES.shared]]);
    });

    it("gets the headers and text", async () => {
      const details = await mail.details({ messageId: ALEX_MAIL.id }, { token: await userToken(OLA) });
      assert.equal(details.subject, ALEX_MAIL.subject);
      assert.deepEqual(details.from, { name: "Alex Example", address: "alex.example@example.org" });
      assert.deepEqual(details.body, { contentType: "text", content: ALEX_MAIL.body });
      assert.ok(details.headers.some((h) => h.name === "Message-ID" && h.value === ALEX_MAIL.internetMessageId));
    });

    it("says what went wrong with a stable code, and never names the email", async () => {
      const ola = { token: await userToken(OLA) };
      await expectMailError(mail.mime({ messageId: "AAMkADno-such-message=" }, ola, 1024), "MAIL_NOT_FOUND");
      await expectMailError(mail.mime({ messageId: spocMessageId, mailbox: SPOC }, { token: await userToken(PAM) }, 1024 * 1024), "MAIL_ACCESS_DENIED");
      await expectMailError(mail.mime({ messageId: ALEX_MAIL.id }, ola, 100), "MAIL_TOO_LARGE");
      sim.addFault({ match: { path: "/$value" }, kind: "status", status: 503, retryAfterSeconds: 7 });
      const down = await expectMailError(mail.mime({ messageId: ALEX_MAIL.id }, ola, 1024 * 1024), "GRAPH_UNAVAILABLE");
      assert.equal(down.retryAfterSeconds, 7);
      assert.doesNotMatch(`${down.message} ${String(down.stack)}`, /alex|repair|AAMk|msg-/i);
      sim.addFault({ match: { path: "/messages" }, kind: "malformed" });
      await expectMailError(mail.details({ messageId: ALEX_MAIL.id }, ola), "GRAPH_UNAVAILABLE");
    });

    it("tells consent missing (an administrator must act) from other token failures", async () => {
      const refusing = (code: "OBO_CONSENT_REQUIRED" | "OBO_FAILED"): OboTokenFunction => async () => { throw new OboError(code); };
      const consent = await expectMailError(new GraphUserMail({ baseUrl: sim.baseUrl, obo: refusing("OBO_CONSENT_REQUIRED") }).mime({ messageId: ALEX_MAIL.id }, { token: "t" }, 1024), "OBO_CONSENT_REQUIRED");
      assert.match(consent.message, /Ask your IT team to grant admin consent/);
      await expectMailError(new GraphUserMail({ baseUrl: sim.baseUrl, obo: refusing("OBO_FAILED") }).details({ messageId: ALEX_MAIL.id }, { token: "t" }), "OBO_FAILED");
      const nowhere = new GraphUserMail({ baseUrl: "http://127.0.0.1:9", obo: createLocalOboTokenFunction(issuer), timeoutMs: 2000 });
      await expectMailError(nowhere.mime({ messageId: ALEX_MAIL.id }, { token: await userToken(OLA) }, 1024), "GRAPH_UNAVAILABLE");
    });
  });
});
