// Lifecycle services, piece by piece, beyond the five scenarios: immediate restriction (West Lindsey 12.3),
// restrictions from the catalogue, letters (legal letter, removal not told, premises, references not used up by a
// refusal), marker deliveries (backoff to giving up, a Teams channel, removals made elsewhere), retention when a
// subject has another entry, and the report's figures and CSV.
import assert from "node:assert/strict";
import { getPreset } from "../../../core/src/policy/presets";
import type { Caller } from "../../../core/src/domain";
import type { Result } from "../../../bot/src/services/lifecycle";
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from "../../../bot/src/services/lifecycle/notifications";
import { draftInstruction } from "../../../bot/src/services/lifecycle/restrictions";
import { RegisterService } from "../../../bot/src/services/register";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { aDecision, aSubject, anIncident, at, docxText, lifecycleHarness, STAFF } from "../../support/lifecycle";

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`expected success, got ${r.code}: ${r.message}`);
  return r.value;
}
function code<T>(r: Result<T>): string {
  assert.equal(r.ok, false, "expected a refusal");
  return r.ok ? "" : r.code;
}

async function listed(presetId: string, risk: "add-low" | "add-medium" | "add-high" = "add-medium", start = "2027-01-11T09:00:00.000Z") {
  const h = lifecycleHarness(getPreset(presetId)!, start);
  const subject = await aSubject(h.stores);
  const incident = await anIncident(h.stores, subject.id, { category: "verbal-threat", occurredAt: "2027-01-10T10:00:00.000Z" });
  const spoc = value(h.service.restrictions.build({ kind: "single-point-of-contact", params: { displayName: "Sam Spoc", mailbox: "housing.spoc@calm-demo.example" } }, { startsOn: "2027-01-11" }, "r-spoc"));
  const { entry } = await aDecision(h, { subjectId: subject.id, incidents: [incident], outcome: risk, decidedAt: start, restrictions: [spoc], voters: [STAFF.chair!, STAFF.panel!], presenter: STAFF.manager! });
  return { h, subject, incident, entry };
}

describe("lifecycle services", function () {
  this.timeout(30_000);

  describe("immediate restriction (West Lindsey 12.3)", () => {
    it("restricts at once on a named ground, with the reason, on a new entry with the policy's dates", async () => {
      const h = lifecycleHarness(getPreset("west-lindsey")!, "2027-02-01T09:00:00.000Z");
      const subject = await aSubject(h.stores);
      const input = {
        subjectId: subject.id,
        ground: "police-advice",
        reason: "Police advised restricting contact after a threat at the depot.",
        riskLevel: "high" as const,
        category: "verbal-threat" as const,
        restrictions: [{ kind: "single-channel" as const, params: { channel: "letter" } }],
      };
      assert.equal(code(await h.service.warnings.restrictImmediately(STAFF.manager!, { ...input, ground: "bad-mood" })), "IMMEDIATE_GROUND_UNKNOWN");
      assert.equal(code(await h.service.warnings.restrictImmediately(STAFF.manager!, { ...input, reason: "x" })), "REASON_REQUIRED");
      const done = value(await h.service.warnings.restrictImmediately(STAFF.manager!, input));
      assert.equal(done.created, true);
      assert.deepEqual([done.entry.startsOn, done.entry.expiresOn, done.entry.nextReviewOn, done.entry.status], ["2027-02-01", "2027-05-01", "2027-05-01", "active"]);
      assert.equal(done.record.groundDescription, "the police advise it");
      assert.equal(done.entry.restrictions[0]!.staffInstruction, "Deal with them only by letter; ask them politely to use it for anything else.");
      const audit = await h.stores.audit.listBySubject(subject.id);
      assert.ok(audit.some((e) => e.action === "decision" && e.what.includes("ground:police-advice") && e.what.includes("source:West Lindsey 12.3")));
      // A second ground adds to the same entry: one register, no copies.
      const again = value(await h.service.warnings.restrictImmediately(STAFF.manager!, { ...input, ground: "threat-to-damage-premises", restrictions: [{ kind: "building-ban" as const, params: { buildings: ["the depot"] } }] }));
      assert.deepEqual([again.created, again.entry.id, again.entry.restrictions.length], [false, done.entry.id, 2]);
    });

    it("is refused where the policy names no grounds (Dorset: emergencies go to the chair, 4.13.2)", async () => {
      const h = lifecycleHarness(getPreset("dorset")!);
      const subject = await aSubject(h.stores);
      const r = await h.service.warnings.restrictImmediately(STAFF.manager!, { subjectId: subject.id, ground: "police-advice", reason: "Police advised it after a threat.", riskLevel: "high", category: "verbal-threat", restrictions: [{ kind: "single-channel", params: { channel: "email" } }] });
      assert.equal(code(r), "NO_IMMEDIATE_RESTRICTION");
    });
  });

  describe("restrictions from the catalogue", () => {
    it("checks the kind and parameters against the policy, drafts one sentence, and wants a reason for a last resort (West Lindsey 15.4)", () => {
      const wl = lifecycleHarness(getPreset("west-lindsey")!).service.restrictions;
      assert.equal(code(wl.build({ kind: "home-visits-in-pairs" }, { startsOn: "2027-01-01" }, "x")), "RESTRICTION_NOT_OFFERED");
      assert.equal(code(wl.build({ kind: "contact-limit", params: { contacts: 0, per: "week" } }, { startsOn: "2027-01-01" }, "x")), "RESTRICTION_INVALID");
      assert.equal(code(wl.build({ kind: "mandatory-service-withdrawn", params: { service: "the bulky waste service" } }, { startsOn: "2027-01-01" }, "x")), "LAST_RESORT_REASON_REQUIRED");
      assert.equal(code(wl.build({ kind: "single-channel", params: { channel: "email" }, staffInstruction: "Email only. Do not phone." }, { startsOn: "2027-01-01" }, "x")), "INSTRUCTION_NOT_ONE_SENTENCE");
      const scoped = value(wl.build({ kind: "contact-limit", params: { contacts: 2, per: "week", channel: "phone", maxMinutes: 10 }, serviceAreas: ["Housing"] }, { startsOn: "2027-01-01", endsOn: "2027-04-01" }, "x"));
      assert.deepEqual(scoped.serviceAreas, ["Housing"]);
      assert.equal(scoped.endsOn, "2027-04-01");
      assert.equal(scoped.staffInstruction, "Accept no more than 2 contacts of up to 10 minutes by phone a week; take a message for any other.");
    });
    it("a permanent building ban only where the policy allows one (Tamworth 8), with no end date", () => {
      const t = lifecycleHarness(getPreset("tamworth")!).service.restrictions;
      const ban = value(t.build({ kind: "building-ban", params: { buildings: ["Marmion House"], permanent: true } }, { startsOn: "2027-01-01", endsOn: "2027-07-01" }, "x"));
      assert.equal(ban.endsOn, undefined);
      const d = lifecycleHarness(getPreset("west-lindsey")!).service.restrictions;
      assert.equal(code(d.build({ kind: "building-ban", params: { buildings: ["Guildhall"], permanent: true } }, { startsOn: "2027-01-01" }, "x")), "RESTRICTION_INVALID");
      assert.match(draftInstruction("building-ban", { buildings: ["Guildhall", "the depot"] }), /^Do not admit them to Guildhall, the depot while this restriction lasts/);
    });
  });

  describe("letters", () => {
    it("high risk gets the legal letter with cease and desist (Dorset 4.13.3)", async () => {
      const { h, entry } = await listed("dorset", "add-high");
      const letter = value(await h.service.letters.produce(STAFF.manager!, { type: "legal-cease-and-desist", entryId: entry.id })).letter;
      assert.ok(letter.parts.includes("cease-and-desist"));
      assert.equal(letter.sender, "a Legal Services representative");
      const text = docxText(value(await h.service.letters.document(STAFF.manager!, letter.id)).data);
      assert.match(text, /requires you to cease and desist/);
      assert.match(text, /assessed this as high risk: "Violence: any incident/);
    });

    it("a refused letter uses up no reference; a held-at-reception letter only where the policy says (West Lindsey 11.3)", async () => {
      const { h, subject, entry } = await listed("dorset");
      await h.stores.subjects.update({ ...(await h.stores.subjects.get(subject.id))!, addresses: [], noFixedAddress: true });
      assert.equal(code(await h.service.letters.produce(STAFF.manager!, { type: "divert-notice", entryId: entry.id })), "LETTER_INCOMPLETE");
      const ok = value(await h.service.letters.produce(STAFF.manager!, { type: "restriction", entryId: entry.id })).letter;
      assert.equal(ok.reference, "LTR-0001");
      assert.equal(ok.heldAtReception, false, "Dorset is silent on customers with no fixed address");
      assert.match(docxText(value(await h.service.letters.document(STAFF.manager!, ok.id)).data), /No postal address held/);
    });

    it("premises are added without telling the owner (West Oxfordshire): no letter goes", async () => {
      const h = lifecycleHarness(getPreset("west-oxfordshire")!);
      const premises = await aSubject(h.stores, { kind: "premises", displayName: "4 Imaginary Close" });
      assert.equal(code(await h.service.letters.produce(STAFF.manager!, { type: "warning", subjectId: premises.id })), "PREMISES_OWNER_NOT_TOLD");
    });
  });

  describe("marker notifications (East Suffolk 3.1)", () => {
    it("retries a failing webhook with backoff and gives up after the last attempt, every attempt in the log", async () => {
      const { h, entry } = await listed("east-suffolk");
      value(await h.service.notifications.subscribe(STAFF.admin!, { serviceArea: "Council Tax", events: ["removed"], target: { kind: "webhook", url: "https://markers.example.org/calm" } }));
      await h.service.ctx.changeEntry(entry.id, (e) => ({ ...e, status: "removed", removedOn: "2027-01-11" }));
      for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) h.webhooks.responses.push(i % 2 === 0 ? 503 : "network-error");
      await h.service.scheduler.runOnce();
      for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
        h.clock.advance(retryDelayMs(attempt) + 1000);
        await h.service.scheduler.runOnce();
      }
      const [d] = await h.service.notifications.log();
      assert.deepEqual([d!.status, d!.attempts, d!.action], ["gave-up", MAX_DELIVERY_ATTEMPTS, "removed"]);
      assert.equal(h.webhooks.requests.length, MAX_DELIVERY_ATTEMPTS);
      assert.deepEqual([retryDelayMs(1), retryDelayMs(2), retryDelayMs(3), retryDelayMs(20)], [60_000, 120_000, 240_000, 3_600_000]);
    });

    it("posts to a subscriber's Teams channel, and sees an entry added by another service through the change feed", async () => {
      const h = lifecycleHarness(getPreset("east-suffolk")!, "2027-01-11T09:00:00.000Z");
      value(await h.service.notifications.subscribe(STAFF.admin!, { serviceArea: "Environmental Health", events: ["added"], target: { kind: "teams-channel", conversationId: "env-health" } }));
      // Listed by the case service (this fixture writes the store and marks the change, as RegisterService does).
      const subject = await aSubject(h.stores);
      const incident = await anIncident(h.stores, subject.id, { category: "verbal-abuse", occurredAt: "2027-01-10T10:00:00.000Z" });
      const { entry } = await aDecision(h, { subjectId: subject.id, incidents: [incident], outcome: "add-low", decidedAt: "2027-01-11T09:00:00.000Z", restrictions: [], voters: [STAFF.panel!], presenter: STAFF.manager! });
      await h.service.scheduler.runOnce();
      const post = h.channel.posts.find((p) => p.message.kind === "marker");
      assert.equal(post?.conversationId, "env-health");
      assert.equal(post?.message.title, `${entry.reference} added to the Customer Alert List`);
      assert.ok(!JSON.stringify(post).includes("Alex"), "no names");
    });

    it("the policy has no markers (Dorset): nothing to subscribe to", async () => {
      const h = lifecycleHarness(getPreset("dorset")!);
      assert.equal(code(await h.service.notifications.subscribe(STAFF.admin!, { serviceArea: "x", events: ["added"], target: { kind: "webhook", url: "https://example.org/h" } })), "MARKER_NOTIFICATIONS_NOT_IN_POLICY");
    });
  });

  describe("retention", () => {
    it("a removal made by another service gets its retention record from the register watch; putting the entry back cancels it", async () => {
      const { h, entry } = await listed("east-suffolk");
      await h.service.scheduler.runOnce(); // the watch starts following the register
      await h.stores.register.update({ ...(await h.stores.register.get(entry.id))!, status: "removed", removedOn: "2027-01-11", purgeAfter: "2027-07-11" });
      await h.stores.register.markChanged(entry.subjectId, h.clock.now().toISOString());
      await h.service.scheduler.runOnce();
      assert.equal((await h.lifecycle.retention.get(entry.id))?.purgeAfter, "2027-07-11");
      await h.stores.register.update({ ...(await h.stores.register.get(entry.id))!, status: "active" });
      await h.stores.register.markChanged(entry.subjectId, h.clock.now().toISOString());
      await h.service.scheduler.runOnce();
      assert.equal(await h.lifecycle.retention.get(entry.id), undefined);
    });

    it("with another entry still on the register, only what belongs to the purged entry goes; the person stays", async () => {
      const { h, subject, entry, incident } = await listed("east-suffolk");
      const later = await anIncident(h.stores, subject.id, { category: "verbal-abuse", occurredAt: "2027-02-10T10:00:00.000Z" });
      await h.stores.cases.create({ id: "case-2", reference: "CASE-0099", subjectId: subject.id, incidentIds: [later.id], recommendedOutcome: "add-low", recommendedRestrictions: [], presentingManager: { id: STAFF.manager!.id, displayName: "Max Manager" }, summary: "Later abuse.", status: "decided", referredAt: later.reportedAt });
      await h.stores.register.create({ ...entry, id: "entry-2", reference: "CAL-0099", caseId: "case-2", etag: undefined });
      at(h.clock, "2027-02-11");
      value(await h.service.reviews.decide(STAFF.admin!, value(await h.service.reviews.startNow(STAFF.admin!, entry.id)).id, { outcome: "remove", approvedOn: "2027-02-11", reasons: "Resolved." }));
      at(h.clock, "2027-08-11");
      const plan = await h.service.retention.plan();
      assert.deepEqual(plan.due.map((d) => [d.reference, d.subjectDeleted, d.counts.incidents, d.counts.cases]), [[entry.reference, false, 1, 1]]);
      await h.service.scheduler.runOnce();
      assert.ok(await h.stores.subjects.get(subject.id), "the person stays: they have another entry");
      assert.deepEqual((await h.stores.incidents.listBySubject(subject.id)).map((i) => i.id), [later.id]);
      assert.equal(await h.stores.incidents.get(incident.id), undefined);
      assert.ok(await h.stores.cases.get("case-2"));
      assert.equal(await h.stores.register.get(entry.id), undefined);
    });
  });

  describe("reports", () => {
    it("counts the quarter's incidents by category, service, channel and month, and exports CSV safely", async () => {
      const { h, subject } = await listed("tamworth", "add-medium", "2027-02-01T09:00:00.000Z");
      await anIncident(h.stores, subject.id, { category: "hate-incident", hateIncident: true, occurredAt: "2027-03-02T10:00:00.000Z", serviceArea: "=HYPERLINK(\"x\")", channel: "email" });
      await anIncident(h.stores, subject.id, { category: "verbal-abuse", occurredAt: "2027-04-02T10:00:00.000Z" }); // next quarter
      const r = value(await h.service.reports.quarterly({ from: "2027-01-01" }));
      assert.deepEqual([r.from, r.to, r.incidents.total, r.incidents.hate], ["2027-01-01", "2027-03-31", 2, 1]);
      assert.deepEqual(r.incidents.byMonth.map((m) => [m.label, m.count]), [["January 2027", 1], ["February 2027", 0], ["March 2027", 1]]);
      assert.equal(r.incidents.byChannel.find((c) => c.key === "email")?.count, 1);
      assert.equal(r.entries.current, 1);
      assert.equal(r.decisions.count, 1);
      assert.equal(r.reportTo, "the Leadership Team and the Corporate Management Team");
      const csv = h.service.reports.csv(r);
      assert.match(csv, /incidents by service,"'=HYPERLINK\(""x""\)",1/);
      assert.doesNotMatch(csv, /Alex|example\.org/);
    });
  });

  it("a new incident brings the review forward (Dorset 8.1, through RegisterService); the scheduler opens it that day with the incident as evidence", async () => {
    const { h, subject, entry } = await listed("dorset");
    const register = new RegisterService({ stores: h.stores, profile: h.profile, clock: h.clock, ids: { next: () => "x" }, logger: silentLogger, lookup: { subjectChanged: (id) => h.stores.register.markChanged(id, h.clock.now().toISOString()) } });
    at(h.clock, "2027-03-01");
    const incident = await anIncident(h.stores, subject.id, { category: "verbal-abuse", occurredAt: "2027-03-01T08:30:00.000Z" });
    await register.incidentReported(subject.id, "2027-03-01");
    assert.equal((await h.stores.register.get(entry.id))?.nextReviewOn, "2027-03-01", "brought forward from 2028-01-11");
    await h.service.scheduler.runOnce();
    const review = (await h.lifecycle.reviews.find({ entryId: entry.id, status: "open" }))[0]!;
    const evidence = value(await h.service.reviews.evidence(review.id));
    assert.deepEqual(evidence.newIncidents.map((i) => i.id), [incident.id]);
    assert.equal(evidence.suggestion.outcome, "extend");
  });

  it("a warning letter names the ladder's next step (West Oxfordshire Steps 1-3)", async () => {
    const h = lifecycleHarness(getPreset("west-oxfordshire")!);
    const subject = await aSubject(h.stores);
    await anIncident(h.stores, subject.id, { category: "verbal-abuse", occurredAt: "2027-01-03T10:00:00.000Z" });
    const officer: Caller = STAFF.officer!;
    value(await h.service.warnings.record(officer, { subjectId: subject.id, step: "verbal", category: "verbal-abuse" }));
    const w = value(await h.service.warnings.record(officer, { subjectId: subject.id, step: "informal-written", category: "verbal-abuse" }));
    assert.equal(w.next.step, "formal-written");
    const letter = value(await h.service.letters.produce(STAFF.manager!, { type: "warning", subjectId: subject.id, warningId: w.warning.id })).letter;
    const text = docxText(value(await h.service.letters.document(STAFF.manager!, letter.id)).data);
    assert.match(text, /An informal written warning/);
    assert.match(text, /the next step is a formal written warning with restrictions/);
  });
});
