// Posting to the decision body's channel within Teams' rate limits: 429 and 503 are retried after Retry-After or
// with exponential backoff; other failures are not retried; updates for one case are coalesced.
import assert from "node:assert/strict";
import { withThrottleRetry } from "../../../bot/src/adapters/teams/notifier";
import { actionsOf, teamsHarness } from "../../support/teamsHarness";
import { aKey, aReport } from "../../support/casework";
import { PERSONAS } from "../../../bot/src/adapters/http/devSignIn";
import type { Caller } from "../../../core/src/domain";

function throttled(status: number, retryAfter?: string): Error {
  return Object.assign(new Error(`HTTP ${status}`), { statusCode: status, response: { headers: { get: (name: string) => (name.toLowerCase() === "retry-after" ? retryAfter : undefined) } } });
}

describe("Teams notifier: rate limits and coalescing", () => {
  it("retries a 429 after the Retry-After the Bot Connector gives", async () => {
    const waits: number[] = [];
    let calls = 0;
    const out = await withThrottleRetry(async () => {
      calls++;
      if (calls < 3) throw throttled(429, "2");
      return "sent";
    }, async (ms) => { waits.push(ms); });
    assert.equal(out, "sent");
    assert.deepEqual(waits, [2000, 2000]);
  });

  it("backs off exponentially without Retry-After, for 429 and 503, up to the attempt limit", async () => {
    const waits: number[] = [];
    await assert.rejects(() => withThrottleRetry(async () => { throw throttled(503); }, async (ms) => { waits.push(ms); }, { attempts: 5, baseMs: 100, maxMs: 500 }), /HTTP 503/);
    assert.deepEqual(waits, [100, 200, 400, 500]);
  });

  it("does not retry other failures", async () => {
    let calls = 0;
    await assert.rejects(() => withThrottleRetry(async () => { calls++; throw throttled(403); }, async () => undefined), /HTTP 403/);
    assert.equal(calls, 1);
  });

  it("six members voting at once update the channel card once or twice, not six times", async () => {
    const h = await teamsHarness();
    const max = PERSONAS.find((p) => p.displayName === "Max Manager")!;
    const caller: Caller = { id: max.id, tenantId: "t", displayName: max.displayName, roles: max.roles, serviceAreas: max.serviceAreas };
    const cw = h.app.services.casework!;
    const report = await cw.incidents.report(caller, aReport(), aKey(), "bot");
    assert.ok(report.ok);
    const referred = await cw.cases.refer(caller, { subjectId: report.incident.subjectId, incidentIds: [report.incident.id], recommendedOutcome: "add-low", summary: "Rude calls all week to the housing team." }, aKey(), "tab");
    assert.ok(referred.ok);
    await h.settle();
    const [card] = h.channelCards();
    const caseId = String(actionsOf(card).find((a) => a.verb === "vote")!.data.caseId);
    const notifier = h.app.services.teams.notifier;
    let updates = 0;
    const update = (notifier as unknown as { update(id: string): Promise<void> }).update.bind(notifier);
    (notifier as unknown as { update(id: string): Promise<void> }).update = async (id: string) => { updates++; return update(id); };
    const member = (name: string): Caller => {
      const p = PERSONAS.find((x) => x.displayName === name)!;
      return { id: p.id, tenantId: "t", displayName: p.displayName, roles: ["panel-member"], serviceAreas: [] };
    };
    const votes = await Promise.all(["Charlie Chair", "Pam Panel", "Petra Panel", "Percy Panel", "Polly Panel", "Paddy Panel"].map((name) => cw.cases.vote(member(name), caseId, "add-low", "bot")));
    assert.ok(votes.every((v) => v.ok));
    await h.settle();
    assert.ok(updates >= 1 && updates <= 2, `${updates} updates`);
    assert.match(JSON.stringify(h.channelCards()[0]), /6 of 6 voted/);
  });
});
