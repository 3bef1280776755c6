// End to end through the Microsoft 365 Agents Playground (issue 3 item 5), offline, in headless Debian Chromium:
// the real server (memory stores, Dorset preset, fictional demo data and panel) with its bot endpoint in local mode,
// the Playground started by this test with the mock users, team and channel in `.m365agentsplayground.yml`.
//
// Max Manager (the Playground's current user) looks a listed person up, reports an incident about them from the
// lookup card and refers it to the panel. Four mock members of the panel vote on the card in the panel's channel —
// sent with the Playground's "Mock an Activity → Custom activity" as those users, because the Playground has one
// signed-in user — and the chair closes the vote; the card in the channel updates in place to the decision, and a
// second lookup shows the new risk level.
//
// Nothing leaves the machine: every browser request to anything but 127.0.0.1 is refused (the Playground's web
// client asks a CDN for fonts and an animation script and works without them), and the Playground's server runs
// with telemetry and the Application Insights statsbeat off (scripts/support/playground.ts).
import assert from "node:assert/strict";
import { launchChromium, skipWithoutChromium } from "../chromium";
import type { Browser, Page } from "playwright-core";
import { createMemoryStores } from "../../../bot/src/adapters/memory";
import { createMemoryBotStores } from "../../../bot/src/adapters/memory/bot";
import { TokenValidator } from "../../../bot/src/adapters/http/auth";
import { PERSONAS } from "../../../bot/src/adapters/http/devSignIn";
import { systemClock, uuidIds } from "../../../bot/src/adapters/system/clock";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { personaRoleMap } from "../../../bot/src/adapters/teams/personas";
import { createApp, type App } from "../../../bot/src/app";
import { bindPolicy } from "../../../bot/src/policyBinding";
import type { Stores } from "../../../bot/src/ports/stores";
import { getPreset } from "../../../core/src/policy/presets";
import { seedDemoData } from "../../../scripts/demo/demoData";
import { demoPanel } from "../../../scripts/demo/panel";
import { startPlayground, type RunningPlayground } from "../../../scripts/support/playground";

const TENANT = "00000000-0000-4000-8000-00000000c41a";
const CHANNEL = { id: "19:calm-panel@thread.tacv2", conversationType: "channel", isGroup: true, tenantId: TENANT, name: "Unreasonable Behaviours Panel" };
const MOCK = {
  charlie: { id: "user-charlie", name: "Charlie Chair", aadObjectId: "00000000-0000-4000-8000-000000000004" },
  pam: { id: "user-pam", name: "Pam Panel", aadObjectId: "00000000-0000-4000-8000-000000000003" },
  petra: { id: "user-petra", name: "Petra Panel", aadObjectId: "00000000-0000-4000-8000-000000000010" },
  percy: { id: "user-percy", name: "Percy Panel", aadObjectId: "00000000-0000-4000-8000-000000000011" },
};

describe("e2e: the Teams bot in the Microsoft 365 Agents Playground (Chromium)", function () {
  this.timeout(180_000);
  let app: App | undefined;
  let stores: Stores;
  let playground: RunningPlayground | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const blocked: string[] = [];

  before(async function () {
    skipWithoutChromium(this);
    const profile = getPreset("dorset")!;
    stores = createMemoryStores();
    const botStores = createMemoryBotStores();
    const today = new Date().toISOString().slice(0, 10);
    await seedDemoData(stores, today, (id) => stores.register.markChanged(id, new Date().toISOString()));
    for (const seat of demoPanel(profile, new Date().toISOString())) await botStores.decisionBody.put(seat);
    app = createApp({
      stores,
      policy: bindPolicy(profile),
      tokens: new TokenValidator({ tenantId: TENANT, audiences: ["a"], issuers: ["i"], requiredScope: "s", keys: { jwks: { keys: [] } } }),
      clock: systemClock,
      ids: uuidIds,
      logger: silentLogger,
      botStores,
      bot: { allowUnauthenticated: true, roleMap: personaRoleMap(PERSONAS) },
    });
    const port = await app.start(0);
    playground = await startPlayground({ botEndpoint: `http://127.0.0.1:${port}/api/messages`, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.route("**/*", (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === "127.0.0.1" || host === "localhost") return route.continue();
      blocked.push(host);
      return route.abort();
    });
  });

  afterEach(async function () {
    // On a failure, keep what the browser showed (test-output/ is ignored by git).
    if (this.currentTest?.state === "failed" && browser) {
      const name = (this.currentTest.title || "failure").replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      await page.screenshot({ path: `test-output/playground-${name}.png`, fullPage: true }).catch(() => undefined);
      const { writeFileSync } = await import("node:fs");
      writeFileSync(`test-output/playground-${name}.txt`, await page.evaluate(() => document.body.innerText));
    }
  });

  after(async () => {
    await browser?.close();
    await playground?.stop();
    await app?.stop(1000);
  });

  const connector = () => `http://localhost:${playground!.port}/_connector`;

  /** Sends an activity as another mock user with the Playground's "Custom activity". */
  async function asMockUser(from: (typeof MOCK)[keyof typeof MOCK], activity: Record<string, unknown>): Promise<void> {
    await page.getByRole("button", { name: "Mock an Activity" }).click();
    await page.getByRole("menuitem", { name: /Custom activity/ }).click();
    await page.locator(".monaco-editor").first().click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(JSON.stringify({
      channelId: "msteams",
      serviceUrl: connector(),
      from,
      recipient: { id: "28:calm-local-bot", name: "CALM" },
      conversation: CHANNEL,
      channelData: { tenant: { id: TENANT }, team: { id: "19:calm-demo-team@thread.tacv2" }, channel: { id: CHANNEL.id } },
      ...activity,
    }));
    await page.getByRole("button", { name: "Send activity" }).click();
  }

  async function say(text: string): Promise<void> {
    const box = page.locator("[data-lexical-editor=true]").last();
    await box.click();
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
  }

  /** Adaptive Card inputs as the Playground renders them (Fluent UI): text boxes and comboboxes, by label. */
  async function fill(label: RegExp, value: string): Promise<void> {
    await page.getByRole("textbox", { name: label }).last().fill(value);
  }
  async function choose(label: RegExp, option: string): Promise<void> {
    await page.getByRole("combobox", { name: label }).last().click();
    await page.getByRole("option", { name: option, exact: true }).click();
  }

  const openPersonalChat = () => page.getByText("Personal Chat", { exact: true }).first().click();
  const openChannel = () => page.getByText("Unreasonable Behaviours Panel", { exact: true }).first().click();

  it("opens with the welcome card", async () => {
    await page.goto(playground!.url, { waitUntil: "domcontentloaded" });
    await page.getByText("Hello, Max").first().waitFor({ timeout: 30_000 });
  });

  it("the chair makes the panel's channel the decision body's channel", async () => {
    await asMockUser(MOCK.charlie, { type: "message", text: "panel channel" });
    await openChannel();
    await page.getByText("This is now the decision body's channel").first().waitFor({ timeout: 15_000 });
  });

  it("looks the person up, reports an incident about them and refers it to the panel", async () => {
    await openPersonalChat();
    await say("alex.example@example.org");
    await page.getByText("Matches alex.example@example.org").first().waitFor({ timeout: 15_000 });
    await page.getByText("On the Unreasonable Behaviours schedule — Medium risk").first().waitFor();
    await page.getByRole("button", { name: "Report an incident about them" }).last().click();
    await page.getByText("About the person or address you looked up (CAL-0001).").first().waitFor({ timeout: 15_000 });

    await fill(/^Where/, "Civic Centre reception");
    await choose(/^How they made contact/, "Face to face");
    await choose(/^What kind of behaviour/, "Verbal threat");
    await fill(/^What was said or done/, "Threatened to come back and hurt the receptionist.");
    await fill(/^Witness 1: name/, "Wendy Witness");
    await fill(/^Witness 1: what they saw/, "I heard the threat from the back office.");
    await choose(/^What you did at the time/, "Asked them to leave");
    await page.getByRole("button", { name: "Send report" }).last().click();
    await page.getByText(/^Report sent: INC-\d{4}$/).first().waitFor({ timeout: 15_000 });
    const reference = (await page.getByText(/^Report sent: INC-\d{4}$/).first().textContent())!.replace("Report sent: ", "");
    await page.getByText(/already on the Unreasonable Behaviours schedule/).first().waitFor();
    await page.getByText("A new incident brings their review forward (Dorset 8.1).").first().waitFor();

    await page.getByRole("button", { name: "Refer to the Unreasonable Behaviours Panel" }).last().click();
    await page.getByRole("combobox", { name: /^What you recommend/ }).last().waitFor({ timeout: 15_000 });
    await choose(/^What you recommend/, "Add at high risk");
    await fill(/^Summary for the vote card/, "Threat to reception staff on a second visit; escalating.");
    await page.getByRole("button", { name: "Refer the case" }).last().click();
    await page.getByText(/^CASE-\d{4} referred$/).first().waitFor({ timeout: 15_000 });
    const incidents = await stores.incidents.listBySubject("demo-subject-0001");
    assert.ok(incidents.some((i) => i.reference === reference && i.witnesses.length === 1 && i.category === "verbal-threat" && i.immediateAction === "asked-to-leave"));
  });

  it("four mock members vote on the card in the channel; the chair closes it to a decision", async () => {
    await openChannel();
    await page.getByText(/^CASE-\d{4} · Vote open$/).first().waitFor({ timeout: 15_000 });
    await page.getByText("0 of 6 voted · quorum not yet reached (4 needed)").first().waitFor();
    const [open] = await stores.cases.listByStatus("voting");
    assert.ok(open, "the case is open for a vote");

    for (const member of [MOCK.pam, MOCK.petra, MOCK.percy, MOCK.charlie]) {
      await asMockUser(member, { type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: "vote", data: { caseId: open.id, choice: "add-high" } }, trigger: "manual" } });
    }
    // The shared card is updated in place with the live tally (no full name anywhere on it).
    await page.getByText("4 of 6 voted · quorum reached").first().waitFor({ timeout: 20_000 });
    await page.getByText("Add at high risk: 4").first().waitFor();
    await page.getByText("Not voted yet: Paddy Panel, Polly Panel").first().waitFor();

    await asMockUser(MOCK.charlie, { type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: "closeVote", data: { caseId: open.id, healthConsidered: "true", rationale: "Credible threat to staff." } }, trigger: "manual" } });
    await page.getByText(`${open.reference} · Decided: Add at high risk`).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: "test-output/playground-decided.png" }).catch(() => undefined);
    const decided = await stores.cases.get(open.id);
    assert.equal(decided?.decision?.outcome, "add-high");
    assert.equal(decided?.decision?.votesCast, 4);
    assert.equal(decided?.decision?.healthConsidered?.considered, true, "Dorset 4.10");
    assert.ok(!(await page.getByText("Alex Example").count()), "no name in the channel");
  });

  it("looking the person up again shows the decision", async () => {
    await openPersonalChat();
    await say("alex.example@example.org");
    await page.getByText("On the Unreasonable Behaviours schedule — High risk").first().waitFor({ timeout: 15_000 });
  });

  it("worked with every request off this machine refused", () => {
    // Only the Playground client's CDN fonts and animation script were asked for, and refused.
    for (const host of new Set(blocked)) assert.match(host, /(^|\.)cdn\.office\.net$|(^|\.)office\.net$/, `unexpected request to ${host}`);
  });
});
