// The staff portal in Debian's Chromium against the real server (issue 4 "Tests"): a person signs in as a
// fictional persona, reports an incident with an attachment, finds it in the register, opens the case, the panel
// decides, and the audit trail shows it; every page has no serious or critical axe-core problems in the light, dark
// and high-contrast themes; the pages work from the keyboard. Screenshots go to test-output/portal/.
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { localPage, OUT, portalSuite, screenshot, seriousViolations, signIn, signOut, startPortalServer } from "./harness";

/** A real 1×1 PNG: the server checks the bytes against the type. */
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000" + "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
const THEMES = ["light", "dark", "contrast"] as const;

describe("Staff portal in Chromium", function () {
  this.timeout(240_000);
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const suite = portalSuite();
  beforeEach(async () => {
    context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", timezoneId: "Europe/London" });
    page = await localPage(context);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  });
  afterEach(async () => {
    await context?.close();
    assert.deepEqual(problems.splice(0), [], "no script errors in the page");
  });

  const api = async (persona: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${suite.server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${await suite.server.tokenFor(persona)}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it("sign in, report an incident with an attachment, find it in the register, open the case, record a decision, see the audit entry", async () => {
    // 1. Sign in as a fictional persona and report.
    await signIn(page, suite.server.url, "Max Manager", "#/report");
    await page.getByRole("heading", { level: 1, name: "Report an incident" }).waitFor();
    await page.getByLabel("Full name").fill("Morgan Newcase");
    await page.getByLabel("Email address (optional)").fill("morgan.newcase@example.org");
    await page.getByLabel("Phone number (optional)").fill("07700 900321");
    await page.getByLabel("Where did it happen?").fill("Civic Centre reception");
    await page.getByLabel("How did they contact the council?").selectOption("face-to-face");
    await page.getByLabel("What kind of incident was it?").selectOption("verbal-threat");
    await page.getByLabel("Describe what happened").fill("Shouted at the officer and said they would wait outside after work. Security asked them to leave.");
    await page.getByLabel("What was done at the time?").selectOption("asked-to-leave");
    mkdirSync(OUT, { recursive: true });
    const photo = path.join(OUT, "reception-photo.png");
    writeFileSync(photo, PNG);
    await page.locator("#evidence").setInputFiles(photo);
    await page.getByText("reception-photo.png (PNG picture").waitFor();
    await screenshot(page, "flow-1-report");
    await page.getByRole("button", { name: "Send report" }).click();
    await page.getByRole("heading", { level: 1, name: "Report sent" }).waitFor();
    const sent = await page.locator("main").innerText();
    const incidentRef = /Your reference is (INC-\d+)/.exec(sent)?.[1];
    assert.ok(incidentRef, sent);
    assert.match(sent, /reception-photo\.png: uploaded/);
    assert.match(sent, /What happens next/);
    await screenshot(page, "flow-2-report-sent");

    // The evidence is on the incident, stored as the bytes sent.
    const incident = (await suite.server.stores.incidents.listBySubject((await findSubjectId("Morgan Newcase"))!))[0]!;
    assert.equal(incident.reference, incidentRef);
    assert.equal(incident.evidence.length, 1);
    assert.equal(incident.evidence[0]!.contentType, "image/png");

    // 2. Find them in the register (reported, not yet on it).
    await page.getByRole("navigation", { name: "Portal pages" }).getByRole("link", { name: "Register" }).click();
    await page.getByRole("heading", { level: 1, name: "Register" }).waitFor();
    await page.getByLabel("Name, email, phone number, reference or address").fill("morgan.newcase@example.org");
    await page.getByRole("checkbox", { name: "Reported, not on the register" }).check();
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "Morgan Newcase" }).waitFor();
    await screenshot(page, "flow-3-register");

    // 3. Open their page and refer the incident: the case opens.
    await page.getByRole("link", { name: "Morgan Newcase" }).click();
    await page.getByRole("heading", { level: 1, name: "Morgan Newcase" }).waitFor();
    assert.match(await page.locator("#history-list").innerText(), new RegExp(`Incident: verbal threat \\(${incidentRef}\\)`));
    await page.getByRole("button", { name: "Start a referral" }).click();
    await page.getByLabel("What do you recommend?").selectOption("add-medium");
    await page.getByLabel("Summary for the panel").fill("Threats to reception staff; asked to leave by security.");
    await screenshot(page, "flow-4-subject-referral");
    await page.getByRole("button", { name: "Refer to the panel" }).click();
    await page.getByRole("heading", { level: 1, name: /^Case CASE-\d+$/ }).waitFor();
    const caseId = decodeURIComponent(page.url().split("#/cases/")[1]!);
    assert.match(await page.locator("main").innerText(), /0 of 6 voted/);
    await screenshot(page, "flow-5-case-open");

    // 4. Three members vote on the card in Teams (the same vote); the chair votes here and closes it.
    for (const name of ["Pam Panel", "Petra Panel", "Percy Panel"]) {
      const res = await api(name, "POST", `/api/cases/${caseId}/votes`, { choice: "add-medium" });
      assert.equal(res.status, 200, JSON.stringify(res.json));
    }
    await signOut(page);
    await signIn(page, suite.server.url, "Charlie Chair", `#/cases/${caseId}`);
    await page.getByRole("heading", { level: 1, name: /^Case CASE-\d+$/ }).waitFor();
    assert.match(await page.locator("main").innerText(), /3 of 6 voted/);
    await page.getByRole("radio", { name: "Add to the register at medium risk" }).check();
    await page.getByRole("button", { name: "Vote: add to the register at medium risk" }).click();
    await page.getByText("Your vote is recorded.").waitFor();
    await page.getByRole("checkbox", { name: "The panel considered any underlying health issues" }).check();
    await page.getByLabel("Reasons for the decision (optional)").fill("Repeated threats to reception staff.");
    await screenshot(page, "flow-6-chair-votes");
    await page.getByRole("button", { name: "Close the vote and record the decision" }).click();
    await page.getByRole("heading", { level: 2, name: "Decision", exact: true }).waitFor();
    const decided = await page.locator("main").innerText();
    assert.match(decided, /4 of 4 votes cast \(6 eligible\); quorum met/);
    const entryRef = /On the register as (CAL-\d+)/.exec(decided)?.[1];
    assert.ok(entryRef, decided);
    await screenshot(page, "flow-7-decided");

    // 5. The register administrator sees the decision in the audit trail.
    await signOut(page);
    await signIn(page, suite.server.url, "Ada Admin", "#/audit");
    await page.getByLabel("Register reference").fill(entryRef);
    await page.getByRole("button", { name: "Show the audit trail" }).click();
    await page.getByRole("heading", { level: 2, name: `Audit trail for ${entryRef}` }).waitFor();
    const rows = await page.getByRole("table", { name: "Audit events, newest first" }).innerText();
    assert.match(rows, /Charlie Chair\s+Decision\s+Staff portal/);
    assert.match(rows, /Max Manager\s+Created\s+Staff portal\s+CASE-/);
    assert.match(rows, new RegExp(`Max Manager\\s+Created\\s+Staff portal\\s+${incidentRef}`));
    assert.match(rows, /Pam Panel\s+Vote/);
    await screenshot(page, "flow-8-audit");

    // And the entry is in the register, in the one shape.
    await page.goto(`${suite.server.url}/tab/#/subjects/${incident.subjectId}`);
    await page.getByRole("heading", { level: 1, name: "Morgan Newcase" }).waitFor();
    assert.match(await page.locator("main").innerText(), new RegExp(`On the Unreasonable Behaviours schedule — Medium risk\\s*\\(${entryRef}\\)`));
    await screenshot(page, "flow-9-listed");
  });

  async function findSubjectId(name: string): Promise<string | undefined> {
    for await (const s of suite.server.stores.subjects.list()) if (s.displayName === name) return s.id;
    return undefined;
  }

  // Every rule in the light theme; the colour rules again in dark and high contrast (the structure is the same).
  it("has no serious or critical accessibility problems on any page, in the light, dark and high-contrast themes", async () => {
    // A case waiting for a vote, for the panel pages.
    const report = await api("Ola Officer", "POST", "/api/incidents", {
      subject: { existingId: "demo-subject-0005" }, occurredAt: new Date(Date.now() - 3600_000).toISOString(), location: "Civic Centre", channel: "phone",
      serviceArea: "Revenues", category: "verbal-abuse", description: "Swore at the officer repeatedly.", witnesses: [], hateIncident: false, immediateAction: "call-ended",
    });
    assert.equal(report.status, 201, JSON.stringify(report.json));
    const referral = await api("Max Manager", "POST", "/api/cases", { subjectId: "demo-subject-0005", incidentIds: [(report.json.incident as { id: string }).id], recommendedOutcome: "warning-letter", summary: "Abusive phone calls to Revenues on two days." });
    assert.equal(referral.status, 201, JSON.stringify(referral.json));
    const caseId = (referral.json.case as { id: string }).id;

    const visits: { persona: string; name: string; hash: string; ready: string; act?: (p: Page) => Promise<void> }[] = [
      { persona: "Max Manager", name: "home", hash: "#/", ready: "What do you want to do?" },
      { persona: "Max Manager", name: "report", hash: "#/report", ready: "Report an incident" },
      { persona: "Max Manager", name: "report-errors", hash: "#/report", ready: "Report an incident", act: async (p) => { await p.getByRole("button", { name: "Send report" }).click(); await p.getByText("There is a problem").waitFor(); } },
      { persona: "Max Manager", name: "register", hash: "#/register", ready: "Register", act: async (p) => { await p.getByRole("table", { name: "Register entries" }).waitFor(); } },
      { persona: "Max Manager", name: "subject-full", hash: "#/subjects/demo-subject-0001", ready: "Alex Example", act: async (p) => { await p.getByRole("button", { name: "Change restrictions" }).click(); } },
      { persona: "Ola Officer", name: "subject-summary", hash: "#/subjects/demo-subject-0002", ready: "Jamie Sample" },
      { persona: "Max Manager", name: "panel", hash: "#/panel", ready: "Panel workspace", act: async (p) => { await p.getByRole("table", { name: "Cases waiting for a decision" }).waitFor(); } },
      { persona: "Charlie Chair", name: "case", hash: `#/cases/${caseId}`, ready: "", act: async (p) => { await p.getByRole("button", { name: "Declare a conflict of interest" }).click(); } },
      { persona: "Ada Admin", name: "reviews", hash: "#/reviews", ready: "Reviews and appeals" },
      { persona: "Ada Admin", name: "access", hash: "#/access", ready: "Access to the register" },
      { persona: "Ada Admin", name: "audit", hash: "#/audit/demo-subject-0001", ready: "Audit trail", act: async (p) => { await p.getByRole("table", { name: "Audit events, newest first" }).waitFor(); } },
      { persona: "Ada Admin", name: "settings", hash: "#/settings", ready: "Policy in force", act: async (p) => { await p.getByRole("button", { name: "Work out the dates" }).click(); await p.getByRole("heading", { name: "The dates", exact: true }).waitFor(); } },
    ];
    const found: string[] = [];
    for (const theme of THEMES) {
      // The sign-in page first, in this theme.
      await page.goto(`${suite.server.url}/tab/?theme=${theme}#/`);
      await page.getByRole("heading", { level: 1, name: "Sign in to CALM" }).waitFor();
      found.push(...(await seriousViolations(page, { onlyColour: theme !== "light" })).map((v) => `${theme} sign-in: ${v}`));
      await screenshot(page, `page-${theme}-sign-in`);
      let current = "";
      for (const v of visits) {
        if (v.persona !== current) {
          if (current) await signOut(page);
          await signIn(page, suite.server.url, v.persona);
          current = v.persona;
        }
        await page.goto(`${suite.server.url}/tab/?theme=${theme}${v.hash}`);
        const heading = page.getByRole("heading", { level: 1 });
        if (v.ready) await page.getByRole("heading", { level: 1, name: v.ready }).waitFor();
        else await heading.waitFor();
        await v.act?.(page);
        found.push(...(await seriousViolations(page, { onlyColour: theme !== "light" })).map((x) => `${theme} ${v.name}: ${x}`));
        await screenshot(page, `page-${theme}-${v.name}`);
      }
      await signOut(page);
    }
    assert.deepEqual(found, []);
  });

  it("works from the keyboard: skip link, sortable headers, and error links that move focus", async () => {
    await signIn(page, suite.server.url, "Max Manager");
    // A fresh visit: the first Tab reaches the skip link.
    await page.goto(`${suite.server.url}/tab/?fresh=1#/register`);
    await page.getByRole("table", { name: "Register entries" }).waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "Skip to main content");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main-content");

    // Sort by risk from the keyboard.
    const riskHeader = page.getByRole("columnheader", { name: "Risk" });
    await riskHeader.getByRole("button").focus();
    await page.keyboard.press("Enter");
    assert.equal(await riskHeader.getAttribute("aria-sort"), "ascending");
    const firstRisk = await page.getByRole("table", { name: "Register entries" }).locator("tbody tr").first().innerText();
    assert.match(firstRisk, /Low risk/);
    await page.keyboard.press("Enter");
    assert.equal(await riskHeader.getAttribute("aria-sort"), "descending");
    // The filter narrows what is shown.
    await page.getByLabel("Filter these results").fill("Jamie");
    assert.equal(await page.getByRole("table", { name: "Register entries" }).locator("tbody tr").count(), 1);
    await screenshot(page, "keyboard-register-sorted-filtered");

    // A report sent empty lists what to fix; each item moves focus to its field.
    await page.goto(`${suite.server.url}/tab/#/report`);
    await page.getByRole("heading", { level: 1, name: "Report an incident" }).waitFor();
    await page.getByRole("button", { name: "Send report" }).focus();
    await page.keyboard.press("Enter");
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await summary.waitFor();
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest("[aria-labelledby='error-summary-title']")), "the summary takes focus");
    const link = summary.getByRole("link", { name: "Enter the person's name" });
    await link.focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "new-name");
    // Focus is visible: the focused field draws an outline or border of its own.
    await screenshot(page, "keyboard-report-errors");
  });

  it("asks for sign-in first, offers only the fictional personas, and signs out", async () => {
    await page.goto(`${suite.server.url}/tab/#/register`);
    await page.getByRole("heading", { level: 1, name: "Sign in to CALM" }).waitFor();
    assert.equal(await page.getByRole("radio", { name: /^Ola Officer/ }).count(), 1);
    assert.ok((await page.getByRole("radio").count()) >= 9);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Choose who to sign in as" }).waitFor();
    await signIn(page, suite.server.url, "Cllr Carys Councillor", "#/register");
    // A councillor sees the register at summary (Dorset 7.1), and no pages for work they do not do.
    const nav = await page.getByRole("navigation", { name: "Portal pages" }).innerText();
    assert.doesNotMatch(nav, /Access to the register|Audit trail|Panel workspace/);
    await signOut(page);
    assert.equal(await page.evaluate(() => window.sessionStorage.getItem("calm.portal.token")), null, "the token is gone");
  });

  it("reports many contacts of someone already on CALM in one report where the policy allows it (East Suffolk 4.2)", async () => {
    const suffolk = await startPortalServer({}, "east-suffolk");
    try {
      await signIn(page, suffolk.url, "Ola Officer", "#/report");
      await page.getByRole("heading", { level: 1, name: "Report an incident" }).waitFor();
      await page.getByRole("radio", { name: "Someone already on CALM" }).check();
      await page.getByLabel("Email, phone number or name").fill("alex.example@example.org");
      await page.getByRole("button", { name: "Find", exact: true }).click();
      await page.getByRole("radio", { name: /^Alex Example — matches alex\.example@example\.org/ }).waitFor();
      await page.getByLabel("Where did it happen?").fill("Customer services phone line");
      await page.getByLabel("How did they contact the council?").selectOption("phone");
      // Other categories offer no list of contacts; this one does.
      assert.equal(await page.getByRole("button", { name: "Add a contact" }).count(), 0);
      await page.getByLabel("What kind of incident was it?").selectOption("unreasonably-persistent-contact");
      await page.getByLabel("Describe what happened").fill("Called about the same closed complaint many times this week.");
      for (const [i, summary] of ["Asked again about the closed complaint", "Repeated the same demand"].entries()) {
        await page.getByRole("button", { name: "Add a contact" }).click();
        // Yesterday, so the times are in the past whenever the test runs.
        const yesterday = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(Date.now() - 86_400_000));
        await page.getByLabel(`Contact ${i + 1}: date`).fill(yesterday);
        await page.getByLabel(`Contact ${i + 1}: time`).fill(`0${8 + i}:15`);
        await page.getByLabel(`Contact ${i + 1}: how it came in`).selectOption("phone");
        await page.getByLabel(`Contact ${i + 1}: what it was about`).fill(summary);
      }
      await screenshot(page, "report-many-contacts");
      assert.deepEqual(await seriousViolations(page), []);
      await page.getByRole("button", { name: "Send report" }).click();
      await page.getByRole("heading", { level: 1, name: "Report sent" }).waitFor();
      const incidents = await suffolk.stores.incidents.listBySubject("demo-subject-0001");
      const report = incidents.find((i) => i.category === "unreasonably-persistent-contact");
      assert.ok(report);
      assert.equal(report.contactCount, 2);
    } finally {
      await suffolk.stop();
    }
  });

  it("gives and revokes access to the register from the page", async () => {
    await signIn(page, suite.server.url, "Ada Admin", "#/access");
    await page.getByRole("heading", { level: 1, name: "Access to the register" }).waitFor();
    await page.getByLabel("Name of the person or group").fill("home");
    await page.getByRole("button", { name: "Find" }).click();
    await page.getByRole("radio", { name: /^Home visiting officers \(group/ }).check();
    await page.getByRole("checkbox", { name: "Low risk" }).check();
    await page.getByLabel("Why do they need access?").fill("Home visitors need every risk level before they knock on a door.");
    await page.getByRole("button", { name: "Give access" }).click();
    await page.getByText("Access given to Home visiting officers.").waitFor();
    await page.getByRole("button", { name: "Revoke access for Home visiting officers" }).click();
    await page.getByLabel("Why is access being revoked?").fill("The team now asks the register administrators.");
    await page.getByRole("button", { name: "Revoke access", exact: true }).click();
    await page.getByText("Access revoked for Home visiting officers.").waitFor();
    await page.getByRole("table", { name: "Access grants, newest first" }).getByText(/^Revoked by Ada Admin/).waitFor();
    await screenshot(page, "access-granted-and-revoked");
  });
});
