// Compose mode on the production pages in Chromium: the event runtime as Outlook loads it (commands.html with the
// built classic commands.js) warning on recipients changed and stopping the send with a Smart Alert, the SPOC never
// stopped, CALM down never holding mail up; and the compose pane (taskpane.html?mode=compose) accessible.
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { chromiumSuite } from "../chromium";
import { bars, launch, pageWithHost, screenshot, seriousViolations, startAddinServer } from "./harness";

interface Host {
  setRecipients(field: "to" | "cc" | "bcc", list: { displayName: string; emailAddress: string }[]): Promise<void>;
  send(): Promise<{ sent: boolean; alert?: { allowEvent?: boolean; errorMessage?: string; cancelLabel?: string; commandId?: string } }>;
}

const ALEX = { displayName: "Alex Example", emailAddress: "alex.example@example.org" };
const PAT = { displayName: "Pat Public", emailAddress: "pat.public@example.com" };
const SPOC_INBOX = { displayName: "Housing SPOC", emailAddress: "housing.spoc@calm-demo.example" };

describe("Outlook add-in in Chromium: compose mode (event runtime and pane)", function () {
  this.timeout(90_000);
  let context: BrowserContext;

  const suite = chromiumSuite(() => startAddinServer(), launch);
  beforeEach(async () => { context = await suite.browser.newContext({ viewport: { width: 420, height: 900 }, reducedMotion: "reduce" }); });
  afterEach(async () => { await context?.close(); });

  const runtime = async (compose: { from?: typeof ALEX }, persona = "Ola Officer"): Promise<Page> => {
    const page = await pageWithHost(context, { compose, ssoToken: await suite.server.tokenFor(persona) });
    await page.goto(`${suite.server.url}/addin/commands.html`);
    // commands.js registered its handlers with Office.actions.associate when it ran.
    await page.waitForFunction(() => !!(window as unknown as { __calmFakeOutlook?: unknown }).__calmFakeOutlook);
    return page;
  };
  const host = (page: Page) => ({
    setRecipients: (field: "to" | "cc", list: (typeof ALEX)[]) => page.evaluate(([f, l]) => (window as unknown as { __calmFakeOutlook: Host }).__calmFakeOutlook.setRecipients(f, l), [field, list] as const),
    send: () => page.evaluate(() => (window as unknown as { __calmFakeOutlook: Host }).__calmFakeOutlook.send()),
  });

  it("warns as recipients change, stops a non-SPOC on send with the Smart Alert, and clears the warning when the person is removed", async () => {
    const page = await runtime({});
    await host(page).setRecipients("to", [PAT, ALEX]);
    assert.deepEqual(await bars(page), ["Someone you are writing to has a contact restriction: only Sam Spoc replies. Open CALM to see what to do."]);
    const result = await host(page).send();
    assert.equal(result.sent, false);
    assert.equal(result.alert?.allowEvent, false);
    assert.equal(result.alert?.cancelLabel, "Give a reason");
    assert.equal(result.alert?.commandId, "calmComposeGuidance");
    assert.match(result.alert?.errorMessage ?? "", /^alex\.example@example\.org has a contact restriction in CALM\. Only the Housing SPOC replies/);
    await host(page).setRecipients("to", [PAT]);
    assert.deepEqual(await bars(page), []);
    assert.deepEqual(await host(page).send(), { sent: true });
  });

  it("never stops the SPOC, sending from the SPOC's shared inbox", async () => {
    const page = await runtime({ from: SPOC_INBOX });
    await host(page).setRecipients("to", [ALEX]);
    assert.deepEqual(await bars(page), ["You are the single point of contact for someone you are writing to. See CALM for their guidance."]);
    assert.deepEqual(await host(page).send(), { sent: true });
  });

  it("lets the email go when CALM cannot be reached, and says it could not check", async () => {
    const page = await runtime({});
    await page.route("**/api/addin/recipients/check", (route) => route.abort("connectionrefused"));
    await host(page).setRecipients("to", [ALEX]);
    assert.deepEqual(await bars(page), ["CALM could not check these recipients just now. It will check again when you send."]);
    assert.deepEqual(await host(page).send(), { sent: true });
  });

  it("shows the compose pane with guidance, the SPOC and the send-anyway form, with no serious accessibility problems", async () => {
    const page = await pageWithHost(context, { compose: { to: [ALEX, PAT] }, ssoToken: await suite.server.tokenFor("Ola Officer") });
    await page.goto(`${suite.server.url}/addin/taskpane.html?mode=compose`);
    await page.getByRole("heading", { name: "Contact guidance" }).waitFor();
    await page.getByRole("heading", { name: "Send anyway" }).waitFor();
    assert.match(await page.getByRole("region", { name: ALEX.emailAddress }).innerText(), /Sam Spoc/);
    await page.getByRole("button", { name: "Record my reason" }).click();
    await page.getByText("Choose why you need to send this email.").waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "compose-pane");
  });

  it("gives a contractor the stop and the SPOC, but not the restriction's wording", async () => {
    const page = await pageWithHost(context, { compose: { to: [ALEX] }, ssoToken: await suite.server.tokenFor("Connor Contractor") });
    await page.goto(`${suite.server.url}/addin/taskpane.html?mode=compose`);
    const person = page.getByRole("region", { name: ALEX.emailAddress });
    await person.waitFor();
    const text = await person.innerText();
    assert.match(text, /Take care/);
    assert.match(text, /Only their single point of contact \(SPOC\) deals with them\./);
    assert.doesNotMatch(text, /Only the Housing SPOC replies; pass any contact to them/);
    assert.deepEqual(await seriousViolations(page), []);
  });
});
