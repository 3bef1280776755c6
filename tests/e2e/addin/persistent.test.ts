// Under East Suffolk's policy one report may cover many contacts of an unreasonably persistent customer (4.2): in
// Chromium, the second email from the same sender is offered to the reporter's open report and added to it.
import assert from "node:assert/strict";
import type { BrowserContext } from "playwright-core";
import { chromiumSuite } from "../chromium";
import { launch, pageWithHost, screenshot, seriousViolations, startAddinServer } from "./harness";

describe("Outlook add-in in Chromium: several emails, one persistent-contact report (East Suffolk 4.2)", function () {
  this.timeout(90_000);
  let context: BrowserContext;

  const suite = chromiumSuite(() => startAddinServer({}, "east-suffolk"), launch);
  before(async () => { context = await suite.browser.newContext({ viewport: { width: 420, height: 1000 }, reducedMotion: "reduce" }); });

  const report = async (select: number, token: string) => {
    const page = await pageWithHost(context, { select, ssoToken: token });
    await page.goto(`${suite.server.url}/addin/taskpane.html?mode=report`);
    await page.getByRole("heading", { name: "Report this email" }).waitFor();
    await page.getByLabel("What did the email do?").selectOption({ label: "Unreasonably persistent contact" });
    await page.getByLabel("What was unreasonable about it?").fill("Another email about the same boiler, the fifth this week.");
    return page;
  };

  it("files the first email as a report, then adds the second email from the same person to it", async () => {
    const token = await suite.server.tokenFor("Ola Officer");
    const first = await report(0, token);
    await first.getByRole("button", { name: "Send report" }).click();
    const done = first.getByText(/^Your reference is INC-\d{4}$/);
    await done.waitFor();
    const reference = (await done.innerText()).replace("Your reference is ", "");

    const second = await report(2, token);
    const choice = second.getByRole("radio", { name: `Add this email to ${reference}` });
    await choice.waitFor();
    assert.equal(await choice.isChecked(), true, "adding is the default");
    assert.deepEqual(await seriousViolations(second), []);
    await screenshot(second, "report-add-to-persistent");
    await second.getByRole("button", { name: "Send report" }).click();
    await second.getByText(`This email is added to report ${reference}`).waitFor();
    await second.getByText(/The report now covers 2 contacts/).waitFor();

    const incident = (await suite.server.stores.incidents.listBySubject("demo-subject-0001")).find((i) => i.reference === reference)!;
    assert.equal(incident.contactCount, 2);
    assert.equal(incident.evidence.length, 2, "both emails attached");
  });
});
