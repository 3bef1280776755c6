// Core lifecycle rules: what a review should conclude, the dates an outcome sets, whether the customer is told,
// appeal windows in working days and calendar months, reminders, expiry.
import assert from "node:assert/strict";
import { getPreset } from "../../../core/src/policy/presets";
import {
  appealRemindersDue,
  appealTiming,
  datesAfterReview,
  expiryOutcome,
  reportPeriodEnd,
  reviewApprover,
  suggestReviewOutcome,
  tellingForReview,
} from "../../../core/src/rules/lifecycle";

const dorset = getPreset("dorset")!;
const eastSuffolk = getPreset("east-suffolk")!;
const westOx = getPreset("west-oxfordshire")!;
const westLindsey = getPreset("west-lindsey")!;
const tamworth = getPreset("tamworth")!;
const quiet = { newIncidents: 0, breaches: 0, positiveContacts: 0, ongoingCircumstances: false };

describe("core: lifecycle rules", () => {
  describe("suggestReviewOutcome", () => {
    it("suggests removal without repeat behaviour where the policy removes then (Dorset 4.13.1, East Suffolk 4.2, West Lindsey 13.1)", () => {
      for (const p of [dorset, eastSuffolk, westLindsey]) {
        const s = suggestReviewOutcome(p, quiet);
        assert.equal(s.outcome, "remove", p.id);
        assert.ok(s.sources.length > 0 || p.id === "west-lindsey", p.id);
      }
    });
    it("keeps restrictions until a significant change (West Oxfordshire) and leaves it to the approver where silent (Tamworth)", () => {
      assert.equal(suggestReviewOutcome(westOx, quiet).outcome, "keep");
      const t = suggestReviewOutcome(tamworth, quiet);
      assert.equal(t.outcome, "keep");
      assert.match(t.reasons.join(" "), /does not say/);
    });
    it("a new incident or a breach points to keeping it in place", () => {
      assert.equal(suggestReviewOutcome(dorset, { ...quiet, newIncidents: 1 }).outcome, "extend");
      assert.equal(suggestReviewOutcome(eastSuffolk, { ...quiet, breaches: 2 }).outcome, "extend");
    });
    it("counts positive contact towards removal only where the policy says so (East Suffolk 4.7)", () => {
      assert.match(suggestReviewOutcome(eastSuffolk, { ...quiet, positiveContacts: 3 }).reasons.join(" "), /3 positive or neutral contacts/);
      assert.doesNotMatch(suggestReviewOutcome(dorset, { ...quiet, positiveContacts: 3 }).reasons.join(" "), /positive/);
    });
    it("ongoing circumstances need the raising service's justification (East Suffolk 4.7)", () => {
      const none = suggestReviewOutcome(eastSuffolk, { ...quiet, ongoingCircumstances: true });
      assert.deepEqual([none.outcome, none.needsJustification], ["remove", true]);
      assert.equal(suggestReviewOutcome(eastSuffolk, { ...quiet, ongoingCircumstances: true, serviceJustification: "Still at risk." }).outcome, "extend");
      assert.equal(suggestReviewOutcome(dorset, { ...quiet, ongoingCircumstances: true }).needsJustification, false);
    });
  });

  describe("datesAfterReview", () => {
    it("extends by one extension period (West Lindsey 13.2: 3 months; Dorset 4.2: 12 months), else one interval (East Suffolk)", () => {
      assert.deepEqual(datesAfterReview(westLindsey, { outcome: "extend", reviewedOn: "2027-04-11", expiresOn: "2027-04-11" }), { nextReviewOn: "2027-07-11", expiresOn: "2027-07-11" });
      assert.deepEqual(datesAfterReview(dorset, { outcome: "extend", reviewedOn: "2028-01-11", expiresOn: "2028-01-11" }), { nextReviewOn: "2029-01-11", expiresOn: "2029-01-11" });
      assert.deepEqual(datesAfterReview(eastSuffolk, { outcome: "extend", reviewedOn: "2027-07-11", expiresOn: "2028-01-11" }), { nextReviewOn: "2028-01-11", expiresOn: "2028-01-11" });
    });
    it("never lets the entry lapse before its next review; no expiry stays none; no cycle leaves the dates alone", () => {
      assert.deepEqual(datesAfterReview(eastSuffolk, { outcome: "vary", reviewedOn: "2027-12-01", expiresOn: "2028-01-11" }), { nextReviewOn: "2028-06-01", expiresOn: "2028-06-01" });
      assert.deepEqual(datesAfterReview(westOx, { outcome: "vary", reviewedOn: "2027-07-11" }), { nextReviewOn: "2028-01-11", expiresOn: null });
      assert.deepEqual(datesAfterReview(tamworth, { outcome: "extend", reviewedOn: "2027-07-11", expiresOn: "2027-12-31" }), { nextReviewOn: null, expiresOn: "2027-12-31" });
      assert.deepEqual(datesAfterReview(dorset, { outcome: "remove", reviewedOn: "2027-07-11", expiresOn: "2028-01-11" }), { nextReviewOn: null, expiresOn: null });
    });
  });

  it("tellingForReview: Dorset never tells of removal (5.1); West Lindsey where possible (13.1); silent is allowed", () => {
    assert.deepEqual([tellingForReview(dorset, "remove").mayTell, tellingForReview(dorset, "remove").source], [false, "Dorset 5.1"]);
    assert.equal(tellingForReview(dorset, "extend").mayTell, true);
    assert.equal(tellingForReview(westLindsey, "remove").telling, "where-possible");
    assert.equal(tellingForReview(tamworth, "remove").telling, null);
  });

  describe("appealTiming", () => {
    it("Dorset 6.1: 28 working days from the notification, skipping the Easter bank holidays", () => {
      // Notified Thursday 18 March 2027; Good Friday 26 March and Easter Monday 29 March 2027 do not count.
      const t = appealTiming(dorset, { decided: "2027-03-15", notified: "2027-03-18", received: "2027-04-29" });
      assert.equal(t.windowEndsOn, "2027-04-29");
      assert.equal(t.inTime, true);
      assert.equal(appealTiming(dorset, { decided: "2027-03-15", notified: "2027-03-18", received: "2027-04-30" }).inTime, false);
      assert.equal(t.windowText, "within 28 working days of the notification");
    });
    it("West Oxfordshire: one calendar month from the decision, clamped at month end; Tamworth 10 from the notification", () => {
      assert.equal(appealTiming(westOx, { decided: "2027-01-31", notified: "2027-02-10", received: "2027-02-28" }).windowEndsOn, "2027-02-28");
      assert.equal(appealTiming(tamworth, { decided: "2027-01-31", notified: "2027-02-10", received: "2027-03-10" }).windowEndsOn, "2027-03-10");
    });
    it("no window in the policy: neither in nor out of time (East Suffolk)", () => {
      assert.deepEqual([appealTiming(eastSuffolk, { decided: "2027-01-01", received: "2029-01-01" }).inTime, appealTiming(eastSuffolk, { decided: "2027-01-01", received: "2029-01-01" }).windowEndsOn], [null, null]);
    });
  });

  it("appealRemindersDue: a week before, the day before, the day after; only the latest reached; each once", () => {
    const due = "2027-03-29";
    assert.deepEqual(appealRemindersDue({ decisionDueOn: due, today: "2027-03-21", sent: [] }), []);
    assert.deepEqual(appealRemindersDue({ decisionDueOn: due, today: "2027-03-22", sent: [] }), ["week-before"]);
    assert.deepEqual(appealRemindersDue({ decisionDueOn: due, today: "2027-03-22", sent: ["week-before"] }), []);
    assert.deepEqual(appealRemindersDue({ decisionDueOn: due, today: "2027-03-28", sent: ["week-before"] }), ["day-before"]);
    assert.deepEqual(appealRemindersDue({ decisionDueOn: due, today: "2027-04-15", sent: [] }), ["overdue"]);
    assert.deepEqual(appealRemindersDue({ decisionDueOn: null, today: "2027-04-15", sent: [] }), []);
  });

  it("expiryOutcome: removed after the period without repeat behaviour, held for review with it", () => {
    assert.equal(expiryOutcome({ expiresOn: "2027-04-11", today: "2027-04-10", repeatBehaviour: false }), "not-yet");
    assert.equal(expiryOutcome({ expiresOn: "2027-04-11", today: "2027-04-11", repeatBehaviour: false }), "remove");
    assert.equal(expiryOutcome({ expiresOn: "2027-04-11", today: "2027-04-11", repeatBehaviour: true }), "hold-for-review");
    assert.equal(expiryOutcome({ today: "2099-01-01", repeatBehaviour: false }), "not-yet");
  });

  it("reviewApprover and reportPeriodEnd read the profile", () => {
    assert.equal(reviewApprover(eastSuffolk), "the Health and Safety Committee");
    assert.equal(reviewApprover(westOx), westOx.decisionBody.name);
    assert.equal(reportPeriodEnd(tamworth, "2027-01-01"), "2027-04-01");
    assert.equal(reportPeriodEnd(dorset, "2027-01-01"), "2027-04-01");
  });
});
