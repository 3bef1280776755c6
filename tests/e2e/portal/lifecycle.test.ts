// The lifecycle's pages in Chromium (issue 7 "Done when"): over the demo data and its lifecycle history, a new
// user produces each letter type for the demo people and opens it; records a review outcome and an appeal
// decision; sees the report with its charts and downloads it; sees the scheduler's next run and last result and
// the retention purge. Every page has no serious or critical axe-core problems in the three themes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { LETTER_TYPES } from "../../../core/src/domain";
import { seedLifecycleHistory } from "../../../scripts/demo/lifecycleDemo";
import { docxText } from "../../support/lifecycle";
import { LETTER_TITLES } from "../../../tab/src/api/lifecycle";
import { localPage, portalSuite, screenshot, seriousViolations, signIn, signOut } from "./harness";

const THEMES = ["light", "dark", "contrast"] as const;

describe("Lifecycle pages in Chromium", function () {
  this.timeout(240_000);
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const suite = portalSuite(async (server) => {
    const notes = await seedLifecycleHistory(server.app.services.lifecycle!, server.stores, new Date().toISOString().slice(0, 10));
    assert.deepEqual(notes, [], "the Dorset demo history seeds in full");
  });
  beforeEach(async () => {
    context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", timezoneId: "Europe/London", acceptDownloads: true });
    page = await localPage(context);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // A refused letter (422) is an answer the page expects and shows; Chromium still logs the status.
    page.on("console", (m) => { if (m.type() === "error" && !/status of 422/.test(m.text())) problems.push(`console: ${m.text()}`); });
  });
  afterEach(async () => {
    await context?.close();
    assert.deepEqual(problems.splice(0), [], "no script errors in the page");
  });

  it("a new user produces each letter type for the demo people and opens it", async () => {
    await signIn(page, suite.server.url, "Max Manager", "#/lifecycle/letters");
    await page.getByRole("heading", { level: 1, name: "Letters" }).waitFor();
    const entryFor: Record<string, string> = { "legal-cease-and-desist": "CAL-0002", "review-outcome": "CAL-0003" };
    for (const type of LETTER_TYPES) {
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Letters" }).waitFor();
      const ref = entryFor[type] ?? "CAL-0001";
      const picker = page.getByLabel("Register entry");
      const option = await picker.locator("option", { hasText: ref }).getAttribute("value");
      await picker.selectOption(option);
      const card = page.getByRole("region", { name: LETTER_TITLES[type] });
      await card.waitFor();
      const download = page.waitForEvent("download");
      await card.getByRole("button", { name: /^Produce/ }).click();
      const file = await download;
      assert.match(file.suggestedFilename(), new RegExp(`^LTR-\\d{4}-${type}\\.docx$`));
      const text = docxText(readFileSync((await file.path())));
      assert.match(text, /Dorset Council/);
      assert.match(text, /Dear /);
      await page.getByText(/is ready\. Open it from the table above/).waitFor();
      // And it can be opened again from the table.
      const table = page.getByRole("table", { name: "Letters produced for this entry" });
      const again = page.waitForEvent("download");
      await table.getByRole("button", { name: /Open letter LTR-\d{4}/ }).last().click();
      assert.match((await again).suggestedFilename(), /\.docx$/);
    }
    await screenshot(page, "lifecycle-letters");
  });

  it("a letter missing what the policy requires is refused with the list, and goes once staff write it", async () => {
    await signIn(page, suite.server.url, "Max Manager", "#/lifecycle/letters");
    await page.getByRole("heading", { level: 1, name: "Letters" }).waitFor();
    const picker = page.getByLabel("Register entry");
    await picker.selectOption((await picker.locator("option", { hasText: "CAL-0003" }).getAttribute("value")));
    // CAL-0003 has no email divert: the divert notice lacks "divert in place" (Dorset 4.12).
    const card = page.getByRole("region", { name: LETTER_TITLES["divert-notice"] });
    await card.getByRole("button", { name: /^Produce/ }).click();
    await card.getByText("Something the policy requires is missing").waitFor();
    // Both parts the policy requires are missing: the divert, and who the single point of contact is.
    await card.getByLabel(/tell the customer their emails are redirected/).fill("Emails you send to council staff are now redirected to planning.spoc@calm-demo.example.");
    await card.getByLabel(/name the single point of contact/).fill("Please write to Sam Spoc, Planning, at planning.spoc@calm-demo.example.");
    const download = page.waitForEvent("download");
    await card.getByRole("button", { name: /^Produce/ }).click();
    const text = docxText(readFileSync((await (await download).path())));
    assert.match(text, /planning\.spoc@calm-demo\.example/);
  });

  it("review decisions, appeals, the report with charts, and the scheduler with the purge", async () => {
    await signIn(page, suite.server.url, "Charlie Chair", "#/lifecycle/reviews");
    await page.getByRole("heading", { level: 1, name: "Review decisions" }).waitFor();
    const early = page.getByLabel("Start a review early");
    await early.selectOption((await early.locator("option", { hasText: "CAL-0001" }).getAttribute("value")));
    await page.getByRole("button", { name: "Start the review now" }).click();
    await page.getByRole("heading", { name: /Review of CAL-0001/ }).waitFor();
    await page.getByRole("radio", { name: "Keep in place (extend)" }).check();
    await page.getByLabel("Reasons").fill("Abusive calls continue; the single point of contact stays.");
    await page.getByRole("button", { name: /^Record: keep in place/ }).click();
    await page.getByText(/CAL-0001: keep in place \(extend\), approved by the Unreasonable Behaviours Panel/).waitFor();
    await signOut(page);

    await signIn(page, suite.server.url, "Abe Appeals", "#/lifecycle/appeals");
    await page.getByRole("heading", { level: 1, name: "Appeals and deadlines" }).waitFor();
    await page.getByText(/within 28 working days of the notification/).waitFor();
    await page.getByRole("button", { name: "Decide the appeal on CAL-0002" }).click();
    await page.getByLabel("Reasons").fill("The threat at the inspection was serious; the restrictions stand.");
    await page.getByRole("button", { name: "Record: upheld" }).click();
    await page.getByText(/The appeal on CAL-0002 is decided: upheld/).waitFor();
    await signOut(page);

    await signIn(page, suite.server.url, "Ada Admin", "#/lifecycle/reports");
    await page.getByRole("heading", { level: 1, name: "Reports" }).waitFor();
    await page.getByRole("img", { name: /^Incidents by category:/ }).waitFor();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download as a spreadsheet (.csv)" }).click();
    assert.match(readFileSync((await (await download).path()), "utf8"), /^section,item,count/);

    await page.goto(`${suite.server.url}/tab/#/lifecycle/scheduler`);
    await page.getByRole("heading", { level: 1, name: "Scheduler and retention" }).waitFor();
    await page.getByRole("button", { name: "Run now" }).click();
    await page.getByText(/piece\(s\) of work done/).waitFor();
    await page.getByRole("table", { name: "What the last run did" }).waitFor();
    await page.getByText(/The policy sets no retention period after removal/).waitFor();
    await screenshot(page, "lifecycle-scheduler");
  });

  it("has no serious or critical accessibility problems on the lifecycle pages, in the light, dark and high-contrast themes", async () => {
    const found: string[] = [];
    await signIn(page, suite.server.url, "Ada Admin", "#/");
    for (const theme of THEMES) {
      for (const section of ["reviews", "appeals", "letters", "reports", "scheduler"]) {
        await page.goto(`${suite.server.url}/tab/?theme=${theme}#/lifecycle/${section}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await page.getByRole("table").first().waitFor();
        found.push(...(await seriousViolations(page)).map((v) => `${theme} ${section}: ${v}`));
        await screenshot(page, `lifecycle-${theme}-${section}`);
      }
    }
    assert.deepEqual(found, []);
  });
});
