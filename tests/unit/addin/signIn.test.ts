// Sign-in for the add-in (Office SSO through office-addin-mock), the plain messages for each SSO failure, the
// API client's problem handling, and the event runtime registering exactly the handlers the manifest names.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { OfficeMockObject } from "office-addin-mock";
import { createApi } from "../../../addin/src/api";
import { getToken, ssoProblem } from "../../../addin/src/auth";
import { apiBase, registerCommands } from "../../../addin/src/commands";
import { COMPOSE_PANE_COMMAND_ID } from "../../../addin/src/handlers/compose";
import { ssoHost, uninstall } from "./officeMock";

describe("Add-in sign-in, API client and event registration", () => {
  afterEach(() => uninstall());

  it("gets a token from Office single sign-on", async () => {
    ssoHost(async () => "sso-token");
    assert.deepEqual(await getToken(), { ok: true, token: "sso-token" });
  });

  const cases: [number, string, RegExp][] = [
    [13001, "SIGN_IN_NEEDED", /not signed in to Outlook/],
    [13002, "CONSENT_DECLINED", /choose Accept, or ask IT to grant consent/],
    [13003, "ACCOUNT_NOT_SUPPORTED", /council work account/],
    [13007, "CONSENT_MISSING", /Ask IT to grant admin consent for CALM/],
    [13012, "SSO_NOT_SUPPORTED", /Update Outlook/],
    [99999, "SIGN_IN_FAILED", /could not sign you in/],
  ];
  for (const [code, expected, message] of cases) {
    it(`explains SSO error ${code} as ${expected}, with what to do next`, async () => {
      ssoHost(() => Promise.reject(Object.assign(new Error("x"), { code })));
      const out = await getToken();
      assert.ok(!out.ok);
      assert.equal(out.code, expected);
      assert.match(out.message, message);
      assert.deepEqual(ssoProblem(code).code, expected);
    });
  }

  it("says so when Outlook has no SSO at all", async () => {
    (globalThis as { Office?: unknown }).Office = new OfficeMockObject({ host: "outlook", context: { mailbox: {} } });
    const out = await getToken();
    assert.ok(!out.ok && out.code === "SSO_NOT_SUPPORTED");
  });

  it("never calls the API without a token, and passes the sign-in problem on as it is", async () => {
    let called = false;
    const api = createApi({ baseUrl: "http://127.0.0.1:9", getToken: async () => ({ ok: false, code: "CONSENT_MISSING", message: "Ask IT." }), fetchImpl: async () => { called = true; return new Response("{}"); } });
    assert.deepEqual(await api.settings(), { ok: false, code: "CONSENT_MISSING", message: "Ask IT." });
    assert.equal(called, false);
  });

  it("turns problem details into a code and message, and a bare error status into a plain message", async () => {
    const answers = [
      new Response(JSON.stringify({ code: "FORBIDDEN", detail: "Your role does not allow this." }), { status: 403, headers: { "content-type": "application/problem+json" } }),
      new Response("<html>bad gateway</html>", { status: 502 }),
    ];
    const api = createApi({ baseUrl: "", getToken: async () => ({ ok: true, token: "t" }), fetchImpl: async () => answers.shift()! });
    assert.deepEqual(await api.me(), { ok: false, status: 403, code: "FORBIDDEN", message: "Your role does not allow this.", errors: undefined });
    const bare = await api.me();
    assert.ok(!bare.ok && bare.code === "HTTP_502" && /nothing was changed/.test(bare.message));
  });

  it("sends personal data in bodies, never in the URL, and says where the call came from", async () => {
    const seen: { url: string; headers: Record<string, string>; body?: string }[] = [];
    const api = createApi({ baseUrl: "https://calm.example.org", getToken: async () => ({ ok: true, token: "t" }), fetchImpl: async (url, init) => {
      seen.push({ url: typeof url === "string" ? url : url instanceof URL ? url.href : url.url, headers: init?.headers as Record<string, string>, body: init?.body as string });
      return new Response(JSON.stringify({ results: [] }));
    } });
    await api.checkSenders(["alex.example@example.org"]);
    await api.checkRecipients(["alex.example@example.org"], "spoc@example.org");
    for (const s of seen) {
      assert.doesNotMatch(s.url, /example\.org\b.*@|alex/);
      assert.equal(s.headers["X-Calm-Surface"], "addin");
      assert.match(s.body ?? "", /alex\.example@example\.org/);
    }
  });

  it("registers exactly the event handlers the manifest names, and the Smart Alert opens a pane the manifest declares", () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, "../../../appPackage/manifest.json"), "utf8")) as {
      extensions: { runtimes: { id: string; actions: { id: string; type: string }[] }[]; ribbons: { contexts: string[]; tabs: { groups: { controls: { id: string; actionId: string }[] }[] }[] }[] }[];
    };
    const [extension] = manifest.extensions;
    const functions = extension!.runtimes.flatMap((r) => r.actions.filter((a) => a.type === "executeFunction").map((a) => a.id)).sort();
    const associated: string[] = [];
    (globalThis as { Office?: unknown }).Office = new OfficeMockObject({ host: "outlook", context: {}, actions: { associate: (id: string) => { associated.push(id); } } });
    registerCommands(createApi({ baseUrl: "", getToken: async () => ({ ok: true, token: "t" }) }));
    assert.deepEqual(associated.sort(), functions);
    const composeControls = extension!.ribbons.filter((r) => r.contexts.includes("mailCompose")).flatMap((r) => r.tabs.flatMap((t) => t.groups.flatMap((g) => g.controls)));
    const control = composeControls.find((c) => c.id === COMPOSE_PANE_COMMAND_ID);
    assert.ok(control, `a compose-mode control with id ${COMPOSE_PANE_COMMAND_ID}`);
    const action = extension!.runtimes.flatMap((r) => r.actions).find((a) => a.id === control.actionId);
    assert.equal(action?.type, "openPage");
  });

  it("uses the page's own origin for the API, and none where there is no page", () => {
    assert.equal(apiBase(), "");
  });
});
