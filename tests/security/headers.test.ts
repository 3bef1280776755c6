// Web hardening (issue 8 item 7): security headers on every answer, and a Content Security Policy that lets
// Teams and Outlook (and only them) frame the tab and add-in pages — checked in Chromium, with the pages loaded
// inside frames whose parent is teams.microsoft.com, outlook.office.com and an unknown site.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium, skipWithoutChromium } from "../e2e/chromium";
import { FRAME_ANCESTORS } from "../../bot/src/adapters/http/securityHeaders";
import { exampleBody, fillPath, hintsFor, paramValue } from "./support/routes";
import { listRoutes, send, startWorld, type World } from "./support/world";

const ROOT = path.resolve(__dirname, "../..");

describe("security: headers and framing", function () {
  this.timeout(120_000);
  let w: World;
  before(async () => {
    w = await startWorld();
  });
  after(() => w?.stop());

  it("every API answer, whatever its status, forbids framing, sniffing and caching", async () => {
    const problems: string[] = [];
    for (const route of listRoutes()) {
      const h = hintsFor(w.tiers[1]!);
      const body = exampleBody(route, h);
      for (const p of ["register-admin", "anonymous", "officer"] as const) {
        const res = await w.request(p, route.method, fillPath(route, (k) => paramValue(route, k, h)), body === undefined ? {} : { body: JSON.stringify(body) });
        const csp = res.headers.get("content-security-policy") ?? "";
        if (!/frame-ancestors 'none'/.test(csp) || !/default-src 'none'/.test(csp)) problems.push(`${route.id} as ${p} (${res.status}): CSP "${csp}"`);
        if (res.headers.get("x-content-type-options") !== "nosniff") problems.push(`${route.id}: no nosniff`);
        if (!/no-store/.test(res.headers.get("cache-control") ?? "")) problems.push(`${route.id}: cacheable`);
        if (!/max-age=\d{8}/.test(res.headers.get("strict-transport-security") ?? "")) problems.push(`${route.id}: no HSTS`);
        if (res.headers.get("x-powered-by")) problems.push(`${route.id}: says what it runs on`);
      }
    }
    for (const [method, p] of [["GET", "/api/nothing"], ["DELETE", "/api/lookup"], ["GET", "/api/portal/subjects/%E0%A4%A"]] as const) {
      const res = await send(w.t.url, method, p, {});
      if (!/frame-ancestors 'none'/.test(res.headers.get("content-security-policy") ?? "")) problems.push(`${method} ${p}: no CSP on ${res.status}`);
    }
    assert.deepEqual(problems, []);
  });

  it("pages carry a strict policy: scripts only from here (and Office's CDN), no plugins, no base tag, no referrer", async () => {
    const res = await fetch(`${w.t.url}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-(inline|eval)'/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /base-uri 'none'/);
    assert.match(csp, /connect-src 'self' https:\/\/res\.cdn\.office\.net;/, "only this server, and the CDN TeamsJS reads its trusted hosts from");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    for (const ancestor of FRAME_ANCESTORS) assert.doesNotMatch(ancestor, /^https:\/\/\*$|^\*$|^http:/, `frame-ancestors may not be open: ${ancestor}`);
  });

  describe("in Chromium, inside Teams and Outlook frames", () => {
    let browser: Browser | undefined;
    before(async function () {
      skipWithoutChromium(this);
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    /** The pages to frame: the start page always, and the built tab and add-in pages when they exist. */
    const pages = (): string[] => [
      "/",
      ...(existsSync(path.join(ROOT, "tab/dist/index.html")) ? ["/tab/"] : []),
      ...(existsSync(path.join(ROOT, "addin/dist/taskpane.html")) ? ["/addin/taskpane.html"] : []),
    ];

    /** Loads `page` inside an iframe on a parent page served as `parentOrigin`. The CALM page is served as
     * https://calm.test (Playwright answers both from here, with the server's real headers). */
    async function frameIt(parentOrigin: string, page: string): Promise<{ loaded: boolean; refused: boolean; violations: string[]; lines: string[] }> {
      const context = await browser!.newContext();
      const tab = await context.newPage();
      const consoleLines: string[] = [];
      tab.on("console", (m) => consoleLines.push(m.text()));
      await context.route(`${parentOrigin}/**`, (route) =>
        route.fulfill({ status: 200, contentType: "text/html", body: `<!doctype html><title>host</title><iframe id="f" src="https://calm.test${page}" style="width:800px;height:600px"></iframe>` }),
      );
      await context.route("https://calm.test/**", async (route) => {
        const url = new URL(route.request().url());
        const response = await route.fetch({ url: `${w.t.url}${url.pathname}${url.search}` });
        await route.fulfill({ response });
      });
      await context.route("https://res.cdn.office.net/**", (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: "" }));
      await context.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: "window.Office = window.Office || { onReady: function (cb) { if (cb) cb({}); return Promise.resolve({}); } };" }));
      await tab.goto(`${parentOrigin}/host`);
      const isRefused = () => consoleLines.some((l) => /frame-ancestors/.test(l) && /Refused|violates|blocked/.test(l));
      const isLoaded = async () => {
        const frame = tab.frames().find((f) => f.url().startsWith("https://calm.test"));
        return frame ? frame.evaluate(() => document.readyState === "complete" && document.body !== null && document.body.innerHTML.length > 0).catch(() => false) : false;
      };
      // Wait (bounded) for the frame either to load or to be refused, then a moment for any policy messages.
      let loaded = false;
      for (let i = 0; i < 50 && !loaded && !isRefused(); i++) {
        loaded = await isLoaded();
        if (!loaded) await tab.waitForTimeout(100);
      }
      await tab.waitForTimeout(300);
      loaded = loaded && (await isLoaded());
      await context.close();
      return {
        loaded,
        refused: isRefused(),
        violations: consoleLines.filter((l) => /Content Security Policy/.test(l) && !/frame-ancestors/.test(l)),
        lines: consoleLines,
      };
    }

    const hosts = [
      ["Teams (classic)", "https://teams.microsoft.com", true],
      ["Teams (new)", "https://teams.cloud.microsoft", true],
      ["Outlook on the web", "https://outlook.office.com", true],
      ["Outlook (office365.com)", "https://outlook.office365.com", true],
      ["an unknown site", "https://evil.example", false],
      ["a look-alike domain", "https://teams.microsoft.com.evil.example", false],
    ] as const;

    for (const [name, origin, allowed] of hosts) {
      it(`${allowed ? "loads" : "refuses to load"} the pages inside ${name}${allowed ? ", with no policy violations" : ""}`, async () => {
        for (const page of pages()) {
          const result = await frameIt(origin, page);
          if (allowed) {
            assert.equal(result.refused, false, `${page} was refused inside ${origin}`);
            assert.equal(result.loaded, true, `${page} did not load inside ${origin}`);
            assert.deepEqual(result.violations, [], `${page} broke its own policy inside ${origin}`);
          } else {
            assert.equal(result.refused, true, `${page} was not refused inside ${origin}: ${result.lines.join(" | ")}`);
            assert.equal(result.loaded, false);
          }
        }
      });
    }

    it("refuses to frame an API answer even inside Teams", async () => {
      const context = await browser!.newContext();
      const tab = await context.newPage();
      const lines: string[] = [];
      tab.on("console", (m) => lines.push(m.text()));
      await context.route("https://teams.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: `<iframe src="https://calm.test/healthz"></iframe>` }));
      await context.route("https://calm.test/**", async (route) => route.fulfill({ response: await route.fetch({ url: `${w.t.url}/healthz` }) }));
      await tab.goto("https://teams.microsoft.com/host");
      await tab.waitForTimeout(500);
      await context.close();
      assert.ok(lines.some((l) => /frame-ancestors 'none'/.test(l)), lines.join("\n"));
    });
  });
});
