// The audit trail page of the staff portal, in Chromium (issue 8 items 3 and 4): an auditor checks the audit log
// (intact, then NOT intact naming the event after one stored event is altered) and downloads a subject access
// archive; both actions are audited. The page stays accessible (axe: no serious violations).
import assert from "node:assert/strict";
import AdmZip from "adm-zip";
import type { MemoryAuditStore } from "../../bot/src/adapters/memory";
import { localPage, portalSuite, seriousViolations, signIn } from "../e2e/portal/harness";

/** Reaches into the memory audit store to alter one chained event, as someone with write access to storage might. */
function alterStoredEvent(audit: MemoryAuditStore, seq: number): string {
  const rows = (audit as unknown as { chained: { rows: Map<string, { props: Record<string, string | boolean> }> } }).chained.rows;
  const row = rows.get(`main|${String(seq).padStart(12, "0")}`);
  if (!row) throw new Error(`no event ${seq}`);
  row.props.actorId = "someone-else-entirely";
  return String(row.props.id);
}

describe("security: the portal's audit log check and subject access export (Chromium)", function () {
  this.timeout(180_000);

  const suite = portalSuite();

  it("an auditor sees the log is intact, then sees which event was altered", async () => {
    const context = await suite.browser.newContext({ acceptDownloads: true });
    const page = await localPage(context);
    await signIn(page, suite.server.url, "Audrey Auditor", "#/audit");
    // Something to chain: a lookup by someone else.
    await fetch(`${suite.server.url}/api/lookup`, { method: "POST", headers: { authorization: `Bearer ${await suite.server.tokenFor("Ola Officer")}`, "content-type": "application/json" }, body: JSON.stringify({ query: "alex.example@example.org" }) });

    await page.getByRole("button", { name: "Check the audit log now" }).click();
    await page.getByText("The audit log is intact").waitFor();
    assert.deepEqual(await seriousViolations(page), []);

    const eventId = alterStoredEvent(suite.server.stores.audit as MemoryAuditStore, 1);
    await page.getByRole("button", { name: "Check the audit log now" }).click();
    await page.getByText("The audit log is NOT intact").waitFor();
    await page.getByRole("cell", { name: eventId, exact: true }).waitFor();
    assert.ok(await page.getByText("Changed after it was written").first().isVisible());
    assert.deepEqual(await seriousViolations(page), []);
    await context.close();

    const checks = (await suite.server.stores.audit.listByActor("00000000-0000-4000-8000-000000000009")).filter((e) => e.what.includes("audit-chain-check"));
    assert.ok(checks.length >= 2, "each check is recorded");
  });

  it("an auditor downloads one archive for a person found by email, and the download is recorded with its hash", async () => {
    const context = await suite.browser.newContext({ acceptDownloads: true });
    const page = await localPage(context);
    await signIn(page, suite.server.url, "Audrey Auditor", "#/audit");
    await page.getByRole("button", { name: "Download the archive" }).click();
    await page.getByText("Enter the person's CALM id, or an email address or phone number held for them").first().waitFor();

    await page.getByLabel(/^The person/).fill("jamie.sample@example.org");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the archive" }).click()]);
    assert.match(download.suggestedFilename(), /^calm-sar-demo-subject-0002-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = new AdmZip(await download.path());
    const subject = JSON.parse(zip.readAsText("subject.json")) as { displayName: string };
    assert.equal(subject.displayName, "Jamie Sample");
    await page.getByText(/^Downloaded calm-sar-/).waitFor();
    await context.close();

    const exported = (await suite.server.stores.audit.listBySubject("demo-subject-0002")).filter((e) => e.action === "sar-export");
    assert.equal(exported.length, 1);
    assert.equal(exported[0]!.surface, "tab");
  });

  it("only auditors are offered the export", async () => {
    const context = await suite.browser.newContext();
    const page = await localPage(context);
    await signIn(page, suite.server.url, "Ada Admin", "#/audit");
    await page.getByRole("button", { name: "Check the audit log now" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Download the archive" }).count(), 0);
    await context.close();
  });
});
