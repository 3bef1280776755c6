// The production task pane (addin/dist/taskpane.html) in Chromium, with the stand-in host in place of Office.js:
// the listed sender flagged with guidance at the reader's tier and a bar on the message (never the reason), the
// pane following the reader from message to message (pinned, ItemChanged), the API down, a malformed sender,
// sign-in problems, and no serious or critical accessibility violations.
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { chromiumSuite } from "../chromium";
import { bars, launch, pageWithHost, screenshot, seriousViolations, startAddinServer } from "./harness";

describe("Outlook add-in in Chromium: read mode (check sender)", function () {
  this.timeout(90_000);
  let context: BrowserContext;

  const suite = chromiumSuite(() => startAddinServer(), launch);
  beforeEach(async () => { context = await suite.browser.newContext({ viewport: { width: 420, height: 900 }, reducedMotion: "reduce" }); });
  afterEach(async () => { await context?.close(); });

  const open = async (setup: Parameters<typeof pageWithHost>[1], query = ""): Promise<Page> => {
    const page = await pageWithHost(context, setup);
    await page.goto(`${suite.server.url}/addin/taskpane.html${query}`);
    return page;
  };

  it("flags a listed sender with what to do, restrictions and the SPOC, and puts a bar on the message without the reason", async () => {
    const page = await open({ select: 0, ssoToken: await suite.server.tokenFor("Ola Officer") });
    const card = page.getByRole("region", { name: /^Sender: On the Unreasonable Behaviours schedule — Medium risk/ });
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /Medium risk/);
    assert.match(text, /Keep calls short/);
    assert.match(text, /single point of contact \(SPOC\) deals with them: Sam Spoc, Housing/);
    assert.match(text, /Only the Housing SPOC replies/);
    assert.match(text, /Matches alex\.example@example\.org/);
    assert.deepEqual(await bars(page), ["Sender is on the Unreasonable Behaviours schedule — see guidance"]);
    for (const bar of await bars(page)) assert.doesNotMatch(bar, /abuse|persistent|medium|risk/i, "the bar never says why");
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "read-listed-sender");
  });

  it("follows the reader to the next message while pinned: not listed, but someone on Cc is; then nothing at all", async () => {
    const page = await open({ select: 0, ssoToken: await suite.server.tokenFor("Ola Officer") });
    await page.getByRole("region", { name: /^Sender:/ }).waitFor();
    await page.evaluate(() => (window as unknown as { __calmFakeOutlook: { select(i: number): void } }).__calmFakeOutlook.select(1));
    await page.getByText("pat.public@example.com is not on the Unreasonable Behaviours schedule.").waitFor();
    await page.getByRole("heading", { name: "Also on this email" }).waitFor();
    assert.match(await page.getByRole("region", { name: /^Copied in:/ }).innerText(), /High risk/);
    assert.deepEqual(await bars(page), ["Someone copied in is on the Unreasonable Behaviours schedule — see guidance"]);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "read-copied-in");
    // Taylor Testcase is on the register at low risk, which Dorset hides from officers (7.1): no card, no bar.
    await page.evaluate(() => (window as unknown as { __calmFakeOutlook: { select(i: number): void } }).__calmFakeOutlook.select(3));
    await page.getByText("taylor.testcase@example.org is not on the Unreasonable Behaviours schedule.").waitFor();
    assert.deepEqual(await bars(page), []);
  });

  it("says plainly when the sender's address is not usable, and does not crash", async () => {
    const page = await open({ select: 4, ssoToken: await suite.server.tokenFor("Ola Officer") });
    await page.getByText(/Outlook did not give a usable address for the sender \(not-an-address\)/).waitFor();
    assert.deepEqual(await bars(page), []);
  });

  it("copes with a very long subject line", async () => {
    const page = await open({ select: 2, ssoToken: await suite.server.tokenFor("Ola Officer") });
    await page.getByRole("region", { name: /^Sender:/ }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
  });

  it("gives a contractor only 'take care' guidance (Dorset 7.1), and a bar to match", async () => {
    const page = await open({ select: 0, ssoToken: await suite.server.tokenFor("Connor Contractor") });
    const card = page.getByRole("region", { name: /^Sender: Take care — medium risk/ });
    await card.waitFor();
    assert.doesNotMatch(await card.innerText(), /Restrictions in force|Alex Example|CAL-0001/);
    assert.deepEqual(await bars(page), ["Take care with this sender — see the CALM guidance before you reply"]);
    await screenshot(page, "read-minimum-view");
  });

  it("says what happened and what to do when CALM cannot be reached, then checks again", async () => {
    const page = await open({ select: 0, ssoToken: await suite.server.tokenFor("Ola Officer") });
    await page.getByRole("region", { name: /^Sender:/ }).waitFor();
    await page.route("**/api/senders/check", (route) => route.abort("connectionrefused"));
    await page.evaluate(() => (window as unknown as { __calmFakeOutlook: { select(i: number): void } }).__calmFakeOutlook.select(1));
    await page.getByText("The sender was not checked").waitFor();
    await page.getByText(/CALM could not be reached\. Check your connection and try again/).waitFor();
    assert.deepEqual(await bars(page), [], "no stale bar");
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "read-api-down");
    await page.unroute("**/api/senders/check");
    await page.getByRole("button", { name: "Check again" }).click();
    await page.getByRole("heading", { name: "Also on this email" }).waitFor();
  });

  it("explains a sign-in problem (consent missing) when there is no local sign-in", async () => {
    // Same server but the API answers the personas route 404, as in production.
    const page = await open({ select: 0, ssoErrorCode: 13007 });
    await page.route("**/api/dev/personas", (route) => route.fulfill({ status: 404, contentType: "application/problem+json", body: JSON.stringify({ code: "NOT_FOUND", detail: "There is nothing at this address." }) }));
    await page.reload();
    await page.getByText("CALM could not sign you in").waitFor();
    await page.getByText(/Ask IT to grant admin consent for CALM/).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "read-consent-missing");
  });

  it("offers the fictional personas when single sign-on is not available and local sign-in is on", async () => {
    const page = await open({ select: 0 });
    await page.getByRole("heading", { name: "Sign in (local)" }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "read-persona-picker");
    await page.getByLabel("Sign in as").selectOption({ label: "Ola Officer" });
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("region", { name: /^Sender:/ }).waitFor();
    await page.getByText(/Signed in locally as Ola Officer/).waitFor();
  });

  it("reports the email from the Report this email button (taskpane.html?mode=report), and follows a move to another email", async () => {
    const page = await open({ select: 2, ssoToken: await suite.server.tokenFor("Ola Officer") }, "?mode=report");
    await page.getByRole("heading", { name: "Report this email" }).waitFor();
    await page.getByText("alex.example@example.org").waitFor();
    // The reader moves on before sending: the form is now about the email they moved to.
    await page.evaluate(() => (window as unknown as { __calmFakeOutlook: { select(i: number): void } }).__calmFakeOutlook.select(1));
    await page.getByText("(pat.public@example.com)").waitFor();
    await page.evaluate(() => (window as unknown as { __calmFakeOutlook: { select(i: number): void } }).__calmFakeOutlook.select(2));
    await page.getByText("(alex.example@example.org)").waitFor();
    await page.getByLabel("What did the email do?").selectOption({ label: "A threat to staff" });
    await page.getByLabel("What was unreasonable about it?").fill("Said they would 'make us pay' if nobody answered today.");
    await page.getByRole("checkbox").check();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "report-form");
    await page.getByRole("button", { name: "Send report" }).click();
    const done = page.getByText(/^Your reference is INC-\d{4}$/);
    await done.waitFor();
    const reference = (await done.innerText()).replace("Your reference is ", "");
    const incident = (await suite.server.stores.incidents.listBySubject("demo-subject-0001")).find((i) => i.reference === reference)!;
    assert.equal(incident.category, "verbal-threat");
    assert.equal(incident.hateIncident, true);
    assert.match(incident.description, /subject "RE: RE: RE: my repair, why has nobody answered/);
    assert.equal(incident.evidence[0]?.contentType, "message/rfc822");
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "report-sent");
  });

  it("tells someone who opens the page outside Outlook where to go", async () => {
    const page = await context.newPage();
    await page.route("**/*", (route) => (route.request().url().startsWith("http://127.0.0.1:") ? route.continue() : route.abort("blockedbyclient")));
    await page.goto(`${suite.server.url}/addin/taskpane.html`);
    await page.getByRole("heading", { name: "Open CALM from Outlook" }).waitFor({ timeout: 20_000 });
    assert.deepEqual(await seriousViolations(page), []);
  });
});
