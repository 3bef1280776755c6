// The built add-in as the server serves it at /addin/: pages Outlook may frame, Office.js allowed from Microsoft's
// CDN and nothing else, the classic event script, and ribbon icons without Cache-Control (Outlook replaces an
// icon served with one by a generic image).
import assert from "node:assert/strict";
import { buildAddinIfStale } from "../../../addin/scripts/build";
import { startTestApp, type TestApp } from "../../support/testApp";
import { staticPages } from "../../../bot/src/adapters/http/staticPages";

describe("The add-in's pages as served at /addin/", function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    await buildAddinIfStale({ quiet: true });
    t = await startTestApp();
  });
  after(() => t.stop());

  it("serves the pane with a CSP that lets Outlook frame it and loads Office.js from Microsoft's CDN only", async () => {
    const res = await fetch(`${t.url}/addin/taskpane.html?mode=report`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);
    assert.match(csp, /frame-ancestors [^;]*https:\/\/outlook\.office\.com/);
    assert.match(csp, /connect-src 'self'/);
    const html = await res.text();
    assert.match(html, /<script src="https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js"><\/script>/);
    assert.match(html, /<script type="module" crossorigin src="\/addin\/assets\/taskpane-[\w-]+\.js">/);
    assert.doesNotMatch(html, /<script>(?!<)/, "no inline script (the CSP would block it)");
  });

  it("serves the event runtime page and its classic script", async () => {
    const page = await (await fetch(`${t.url}/addin/commands.html`)).text();
    assert.match(page, /<script src="commands\.js"><\/script>/);
    const script = await fetch(`${t.url}/addin/commands.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
  });

  for (const size of [16, 32, 64, 80, 128]) {
    it(`serves icon-${size}.png as a PNG with no Cache-Control`, async () => {
      const res = await fetch(`${t.url}/addin/assets/icon-${size}.png`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.equal(res.headers.get("cache-control"), null);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(bytes.readUInt32BE(16), size);
    });
  }

  it("serves the local Outlook stand-in only where local sign-in is on", async () => {
    for (const page of ["/addin/dev.html", "/addin/dev-pane.html"]) assert.equal((await fetch(`${t.url}${page}`)).status, 404, page);
    const local = await startTestApp({ staticFallback: staticPages({ devSignIn: true }) });
    try {
      for (const page of ["/addin/dev.html", "/addin/dev-pane.html"]) assert.equal((await fetch(`${local.url}${page}`)).status, 200, page);
    } finally {
      await local.stop();
    }
  });

  it("lists commands.js at Office's well-known URI, so classic Outlook's event runtime may use SSO", async () => {
    const local = await fetch(`${t.url}/.well-known/microsoft-officeaddins-allowed.json`);
    assert.equal(local.status, 200);
    assert.deepEqual(await local.json(), { allowed: [`${t.url}/addin/commands.js`] });
    const published = await fetch(`${t.url}/.well-known/microsoft-officeaddins-allowed.json`, { headers: { "x-forwarded-host": "calm.example.org", "x-forwarded-proto": "https" } });
    assert.deepEqual(await published.json(), { allowed: ["https://calm.example.org/addin/commands.js"] });
    const odd = await fetch(`${t.url}/.well-known/microsoft-officeaddins-allowed.json`, { headers: { "x-forwarded-host": "evil\"host/x" } });
    assert.equal(odd.status, 400);
  });

  it("still caches the hashed bundles for a year", async () => {
    const html = await (await fetch(`${t.url}/addin/taskpane.html`)).text();
    const bundle = /src="(\/addin\/assets\/taskpane-[\w-]+\.js)"/.exec(html)![1]!;
    const res = await fetch(`${t.url}${bundle}`);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  });
});
