// "Report this email" in Chromium on an Outlook without getAsFileAsync (Mailbox 1.13): the server copies the email
// from the mailbox through Graph as the signed-in person (the Graph simulator, seeded with the stand-in's inbox as
// `npm start` does), and the pane says which evidence was attached; with consent missing it keeps what Outlook
// gives and says why.
import assert from "node:assert/strict";
import type { BrowserContext } from "playwright-core";
import { startSimulatedMail, type SimulatedMail } from "../../support/simulatedMail";
import { chromiumSuite } from "../chromium";
import { launch, pageWithHost, screenshot, seriousViolations, startAddinServer } from "./harness";

describe("Outlook add-in in Chromium: report an email Outlook cannot copy (Mailbox 1.13)", function () {
  this.timeout(90_000);
  let mail: SimulatedMail;
  let context: BrowserContext;

  const suite = chromiumSuite(async () => {
    mail = await startSimulatedMail({ extraStaff: 1, demoMail: true });
    return startAddinServer({ userMail: mail.userMail });
  }, launch);
  after(async () => { await mail?.stop(); });
  beforeEach(async () => { context = await suite.browser.newContext({ viewport: { width: 420, height: 900 }, reducedMotion: "reduce" }); });
  afterEach(async () => {
    mail.reset();
    await context?.close();
  });

  const send = async () => {
    const page = await pageWithHost(context, { select: 0, mailboxVersion: "1.13", ssoToken: await suite.server.tokenFor("Ola Officer") });
    await page.goto(`${suite.server.url}/addin/taskpane.html?mode=report`);
    await page.getByRole("heading", { name: "Report this email" }).waitFor();
    await page.getByLabel("What did the email do?").selectOption({ label: "Abusive or offensive language" });
    await page.getByLabel("What was unreasonable about it?").fill("Called the team useless and said they would email every hour.");
    await page.getByRole("button", { name: "Send report" }).click();
    const done = page.getByText(/^Your reference is INC-\d{4}$/);
    await done.waitFor();
    const reference = (await done.innerText()).replace("Your reference is ", "");
    const incident = (await suite.server.stores.incidents.listBySubject("demo-subject-0001")).find((i) => i.reference === reference)!;
    return { page, incident };
  };

  it("the server copies the whole email from the mailbox, and the pane says so", async () => {
    const { page, incident } = await send();
    await page.getByText("The original email is attached to the report. This version of Outlook cannot copy it, so CALM copied it from your mailbox.").waitFor();
    assert.deepEqual(incident.evidence.map((e) => e.contentType), ["message/rfc822"]);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "report-sent-from-mailbox");
  });

  it("with consent missing, Outlook's headers and text are kept and the pane says what to ask IT", async () => {
    mail.withoutConsent();
    const { page, incident } = await send();
    await page.getByText("Only part of the email is attached").waitFor();
    await page.getByText(/Ask your IT team to grant admin consent for CALM's Microsoft Graph mail permissions/).waitFor();
    assert.deepEqual(incident.evidence.map((e) => e.contentType), ["text/plain"]);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "report-sent-outlook-text");
  });
});
