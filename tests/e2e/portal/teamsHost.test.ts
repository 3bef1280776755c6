// The tab inside Teams, with a stand-in Teams host: a page on the server's origin that frames /tab/ and answers
// teams-js the way Teams does (initialize, getContext, authentication.getAuthToken, theme changes, the channel
// tab's settings). It proves the Teams path of tab/src/teams.ts: single sign-on instead of the persona picker, a
// second token when the first has expired, Teams' theme followed live, and a channel tab saved with its page.
import assert from "node:assert/strict";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { PERSONAS, personaClaims } from "../../../bot/src/adapters/http/devSignIn";
import { portalSuite, screenshot, seriousViolations } from "./harness";

/** The stand-in host. Tokens are handed out in order, the last one repeatedly. */
function hostPage(tokens: string[], options: { path: string; frameContext: "content" | "settings"; theme: string }): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Stand-in Teams</title></head><body style="margin:0">
<iframe id="tab" title="CALM staff portal" src="${options.path}" style="width:1260px;height:880px;border:0"></iframe>
<script>
  const tokens = ${JSON.stringify(tokens)};
  window.calls = [];
  window.settings = [];
  const runtime = { apiVersion: 4, supports: { pages: { config: {}, appButton: {}, tabs: {} }, teamsCore: {}, appInstallDialog: {} } };
  window.addEventListener("message", (e) => {
    const m = e.data;
    if (!m || typeof m !== "object" || typeof m.func !== "string") return;
    window.calls.push(m.func);
    const reply = (args) => e.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, e.origin);
    switch (m.func) {
      case "initialize": return reply([${JSON.stringify(options.frameContext)}, "web", JSON.stringify(runtime), "2.58.0"]);
      case "getContext": return reply([{ theme: ${JSON.stringify(options.theme)}, frameContext: ${JSON.stringify(options.frameContext)}, locale: "en-gb", entityId: "calm-portal", hostName: "Teams", hostClientType: "web" }]);
      case "authentication.getAuthToken": return reply([true, tokens.length > 1 ? tokens.shift() : tokens[0]]);
      case "settings.setSettings": window.settings.push(m.args[0]); return reply([true]);
      default: return reply([true]);
    }
  });
  window.sendToTab = (func, args) => document.getElementById("tab").contentWindow.postMessage({ func, args }, location.origin);
</script></body></html>`;
}

describe("Staff portal inside Teams (stand-in host)", function () {
  this.timeout(120_000);
  let context: BrowserContext;
  let page: Page;

  const suite = portalSuite();
  beforeEach(async () => {
    context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    page = await context.newPage();
  });
  afterEach(() => context?.close());

  const persona = (name: string) => PERSONAS.find((p) => p.displayName === name)!;

  async function openHost(tokens: string[], options: { path: string; frameContext: "content" | "settings"; theme: string }): Promise<Frame> {
    const hostUrl = `${suite.server.url}/stand-in-teams.html`;
    await page.route("**/*", async (route) => {
      const url = route.request().url();
      if (url === hostUrl) return route.fulfill({ status: 200, contentType: "text/html", body: hostPage(tokens, options) });
      return url.startsWith("http://127.0.0.1:") ? route.continue() : route.abort("blockedbyclient");
    });
    await page.goto(hostUrl);
    const frame = page.frames().find((f) => f.name() === "" && f !== page.mainFrame()) ?? page.frame({ url: /\/tab\// });
    assert.ok(frame, "the tab is framed");
    return frame;
  }

  it("signs in with Teams single sign-on, never showing the persona picker, and follows Teams' theme", async () => {
    const token = await suite.server.issuer.mint(personaClaims(persona("Max Manager")));
    const tab = await openHost([token], { path: "/tab/#/register", frameContext: "content", theme: "dark" });
    await tab.getByRole("heading", { level: 1, name: "Register" }).waitFor();
    await tab.getByText("Signed in as Max Manager").waitFor();
    assert.equal(await tab.getByRole("heading", { name: "Sign in to CALM" }).count(), 0);
    assert.equal(await tab.getByRole("button", { name: "Sign out" }).count(), 0, "Teams signs people in and out");
    assert.equal(await tab.getByRole("combobox", { name: "Colour theme" }).count(), 0, "Teams chooses the theme");
    const calls = await page.evaluate(() => (window as unknown as { calls: string[] }).calls);
    for (const f of ["initialize", "getContext", "authentication.getAuthToken"]) assert.ok(calls.includes(f), `${f} in ${calls.join(", ")}`);

    const background = () => tab.evaluate(() => getComputedStyle(document.querySelector(".fui-FluentProvider")!).backgroundColor);
    const dark = await background();
    assert.notEqual(dark, "rgb(255, 255, 255)");
    await screenshot(page, "teams-dark-register");
    await page.evaluate(() => (window as unknown as { sendToTab(f: string, a: unknown[]): void }).sendToTab("themeChange", ["contrast"]));
    await tab.waitForFunction((before) => getComputedStyle(document.querySelector(".fui-FluentProvider")!).backgroundColor !== before, dark);
    assert.equal(await background(), "rgb(0, 0, 0)");
    await screenshot(page, "teams-contrast-register");
  });

  it("asks Teams again when the server says the token has expired", async () => {
    const expired = await suite.server.issuer.mint(personaClaims(persona("Ada Admin")), { expiresInSec: -600 });
    const fresh = await suite.server.issuer.mint(personaClaims(persona("Ada Admin")));
    const tab = await openHost([expired, fresh], { path: "/tab/#/access", frameContext: "content", theme: "default" });
    await tab.getByRole("heading", { level: 1, name: "Access to the register" }).waitFor();
    await tab.getByText("Signed in as Ada Admin").waitFor();
    const calls = await page.evaluate(() => (window as unknown as { calls: string[] }).calls.filter((c) => c === "authentication.getAuthToken").length);
    assert.equal(calls, 2);
  });

  it("sets up a channel tab: Teams saves the page chosen", async () => {
    const tab = await openHost(["unused"], { path: "/tab/config", frameContext: "settings", theme: "default" });
    await tab.getByRole("heading", { level: 1, name: "Add CALM to this channel" }).waitFor();
    await tab.getByRole("radio", { name: "Reviews and appeals" }).check();
    assert.deepEqual(await seriousViolations(page), []);
    await page.waitForFunction(() => (window as unknown as { calls: string[] }).calls.includes("settings.setValidityState"));
    await page.evaluate(() => (window as unknown as { sendToTab(f: string, a: unknown[]): void }).sendToTab("settings.save", [{}]));
    await page.waitForFunction(() => (window as unknown as { settings: unknown[] }).settings.length > 0);
    const saved = await page.evaluate(() => (window as unknown as { settings: { contentUrl: string; suggestedDisplayName: string }[] }).settings.at(-1)!);
    assert.match(saved.contentUrl, /\/tab\/#\/reviews$/);
    assert.equal(saved.suggestedDisplayName, "CALM reviews");
    await page.waitForFunction(() => (window as unknown as { calls: string[] }).calls.includes("settings.save.success"));
    await screenshot(page, "teams-channel-tab-setup");
  });
});
