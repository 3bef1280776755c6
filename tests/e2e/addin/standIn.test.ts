// What the README's "Try the Outlook add-in locally" walks a new user through, in Chromium, on the local Outlook
// stand-in (/addin/dev.html): sign in as a fictional persona, see the listed sender flagged, report the email and
// find the incident; then write to the same person, be warned, be stopped on send (Smart Alert), give a reason
// (audited) and send; and send from the SPOC's shared inbox without being stopped.
import assert from "node:assert/strict";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { chromiumSuite } from "../chromium";
import { launch, screenshot, seriousViolations, startAddinServer } from "./harness";

describe("Outlook add-in in Chromium: the local Outlook stand-in (README walk-through)", function () {
  this.timeout(120_000);
  let context: BrowserContext;
  let page: Page;
  let pane: FrameLocator;

  const suite = chromiumSuite(() => startAddinServer(), launch);
  before(async () => {
    // Reduced motion: no dialog fade-in half way through an accessibility check.
    context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 }, reducedMotion: "reduce" });
    page = await context.newPage();
    await page.route("**/*", (route) => (route.request().url().startsWith("http://127.0.0.1:") ? route.continue() : route.abort("blockedbyclient")));
    pane = page.frameLocator('iframe[title="CALM add-in"]');
  });

  const hostBars = () => page.locator('[aria-live="polite"]').first().innerText();

  it("opens the pane on the first email, signs in as Ola Officer and flags Alex Example, with the bar on the message", async () => {
    await page.goto(`${suite.server.url}/addin/dev.html`);
    await page.getByRole("heading", { name: "Still waiting for my repair AGAIN" }).waitFor();
    await page.getByRole("button", { name: "Check sender" }).click();
    await pane.getByRole("heading", { name: "Sign in (local)" }).waitFor();
    await pane.getByLabel("Sign in as").selectOption({ label: "Ola Officer" });
    await pane.getByRole("button", { name: "Sign in" }).click();
    const card = pane.getByRole("region", { name: /^Sender: On the Unreasonable Behaviours schedule — Medium risk/ });
    await card.waitFor();
    assert.match(await card.innerText(), /Sam Spoc, Housing/);
    await page.getByText("Sender is on the Unreasonable Behaviours schedule — see guidance").waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "standin-1-sender-flagged");
  });

  it("follows the reader to another email while the pane stays open", async () => {
    await page.getByRole("button", { name: /Pat Public/ }).click();
    await pane.getByText("pat.public@example.com is not on the Unreasonable Behaviours schedule.").waitFor();
    await pane.getByRole("heading", { name: "Also on this email" }).waitFor();
    assert.match(await hostBars(), /Someone copied in is on the Unreasonable Behaviours schedule/);
    await page.getByRole("button", { name: /Alex Example Still waiting/ }).click();
    await pane.getByRole("region", { name: /^Sender:/ }).waitFor();
  });

  let reference = "";
  it("reports the email: the form checks what is missing, then files it with the email attached", async () => {
    await page.getByRole("button", { name: "Report this email" }).click();
    await pane.getByRole("heading", { name: "Report this email" }).waitFor();
    await pane.getByRole("button", { name: "Send report" }).click();
    await pane.getByText("There is a problem").waitFor();
    await pane.getByRole("link", { name: "Choose what the email did" }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "standin-2-report-errors");
    await pane.getByLabel("What did the email do?").selectOption({ label: "Abusive or offensive language" });
    await pane.getByLabel("What was unreasonable about it?").fill("Called staff useless and said they would email every hour until the boiler is fixed.");
    assert.equal(await pane.getByLabel("Your service").inputValue(), "Housing", "prefilled from the signed-in persona");
    await pane.getByRole("button", { name: "Send report" }).click();
    const done = pane.getByText(/^Your reference is INC-\d{4}$/);
    await done.waitFor();
    reference = (await done.innerText()).replace("Your reference is ", "");
    await pane.getByText("The original email is attached to the report.").waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "standin-3-report-sent");
  });

  it("the report is in CALM: about Alex Example, from Ola Officer, with the email as evidence", async () => {
    const subjectId = "demo-subject-0001";
    const incident = (await suite.server.stores.incidents.listBySubject(subjectId)).find((i) => i.reference === reference);
    assert.ok(incident, `incident ${reference} about the listed sender`);
    assert.equal(incident.reporter.displayName, "Ola Officer");
    assert.equal(incident.channel, "email");
    assert.deepEqual(incident.evidence.map((e) => [e.kind, e.contentType]), [["email", "message/rfc822"]]);
    const res = await fetch(`${suite.server.url}/api/incidents/${incident.id}`, { headers: { authorization: `Bearer ${await suite.server.tokenFor("Ola Officer")}` } });
    assert.equal(res.status, 200, "the reporter can open it");
    // The staff portal's page for Alex Example (what the tab shows a manager) lists the report with its evidence.
    const portal = await fetch(`${suite.server.url}/api/portal/subjects/${subjectId}`, { headers: { authorization: `Bearer ${await suite.server.tokenFor("Max Manager")}` } });
    assert.equal(portal.status, 200);
    const page = (await portal.json()) as { incidents: { reference: string; evidenceCount: number }[] };
    const listed = page.incidents.find((i) => i.reference === reference);
    assert.ok(listed, `${reference} on the subject's page`);
    assert.equal(listed.evidenceCount, 1);
  });

  it("warns while writing to Alex, stops the send with a Smart Alert, and sends once a reason is recorded (audited)", async () => {
    await page.getByRole("button", { name: "New email" }).click();
    await page.getByLabel("To").fill("alex.example@example.org");
    await page.getByLabel("Subject").click();
    await page.getByText(/Someone you are writing to has a contact restriction: only Sam Spoc replies/).waitFor();
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const alert = page.getByRole("alertdialog");
    await alert.waitFor();
    assert.match(await alert.innerText(), /alex\.example@example\.org has a contact restriction in CALM\..*Sam Spoc \(housing\.spoc@calm-demo\.example\)/s);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "standin-4-smart-alert");
    await alert.getByRole("button", { name: "Give a reason" }).click();
    await pane.getByRole("heading", { name: "Contact guidance" }).waitFor();
    await pane.getByRole("radio", { name: "The single point of contact (SPOC) asked me to reply" }).check();
    await pane.getByLabel("Anything to add (optional)").fill("Sam asked me to confirm the repair date.");
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "standin-5-give-a-reason");
    await pane.getByRole("button", { name: "Record my reason" }).click();
    await pane.getByText("Your reason is recorded").waitFor();
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByText("Sent (nothing really leaves this machine).").waitFor();
    const events = await suite.server.stores.audit.listBySubject("demo-subject-0001");
    const sendAnyway = events.find((e) => e.action === "send-anyway");
    assert.ok(sendAnyway, "the reason is audited against the entry");
    assert.deepEqual(sendAnyway.what.slice(0, 2), ["CAL-0001", "reason:spoc-asked"]);
    assert.equal(sendAnyway.surface, "addin");
  });

  it("never stops the SPOC: the same email from the Housing SPOC's shared inbox just goes", async () => {
    await page.getByRole("button", { name: "New email" }).click();
    await page.getByLabel("From").selectOption({ label: "Housing SPOC (shared inbox) (housing.spoc@calm-demo.example)" });
    await page.getByLabel("To").fill("alex.example@example.org");
    await page.getByLabel("Subject").click();
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByText("Sent (nothing really leaves this machine).").waitFor();
    assert.equal(await page.getByRole("alertdialog").count(), 0);
  });
});
