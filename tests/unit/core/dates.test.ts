import assert from "node:assert/strict";
import {
  CalendarRangeError,
  InvalidDateError,
  PRESETS,
  appealDeadline,
  appealDecisionDeadline,
  entryExpiry,
  expiryDate,
  explainDates,
  nextReviewDate,
  purgeDate,
  reviewDateAfterExtension,
  reviewDateAfterIncident,
  type PolicyProfile,
} from "../../../core/src/index";

const { dorset, tamworth } = PRESETS;
const eastSuffolk = PRESETS["east-suffolk"];
const westOxfordshire = PRESETS["west-oxfordshire"];
const westLindsey = PRESETS["west-lindsey"];

function withReview(profile: PolicyProfile, afterNewIncident: PolicyProfile["review"]["afterNewIncident"]): PolicyProfile {
  const copy = structuredClone(profile);
  copy.review.afterNewIncident = afterNewIncident;
  return copy;
}

describe("rules: dates — Dorset", () => {
  it("Dorset 4.13.1: an entry is removed after 12 months, whatever the category", () => {
    assert.equal(expiryDate(dorset, "2026-01-31", "verbal-abuse"), "2027-01-31");
    assert.equal(expiryDate(dorset, "2026-01-31"), "2027-01-31");
    assert.equal(expiryDate(dorset, "2024-02-29", "physical-assault"), "2025-02-28", "leap day + 12 months clamps to 28 February");
  });

  it("Dorset 5.1: reviewed after 12 months by the panel", () => {
    assert.equal(nextReviewDate(dorset, "2026-03-15"), "2027-03-15");
  });

  it("Dorset 4.2: a renewal runs another 12 months", () => {
    assert.equal(reviewDateAfterExtension(dorset, "2027-03-15"), "2028-03-15");
  });

  it("Dorset 8.1: a new incident brings the review forward to the incident date", () => {
    const moved = reviewDateAfterIncident(dorset, { currentReviewOn: "2027-03-15", incidentOn: "2026-06-01" });
    assert.deepEqual(moved, { nextReviewOn: "2026-06-01", changed: true, effect: "bring-forward", source: "Dorset 8.1" });
    const overdue = reviewDateAfterIncident(dorset, { currentReviewOn: "2026-05-01", incidentOn: "2026-06-01" });
    assert.equal(overdue.nextReviewOn, "2026-05-01", "an earlier review date stays");
    assert.equal(overdue.changed, false);
  });

  it("Dorset 6.1: appeal within 28 working days of notification, across Christmas, Boxing Day substitute and New Year", () => {
    // Notified Friday 18 December 2026: 25 Dec, 28 Dec (Boxing Day substitute) and 1 Jan are not working days.
    assert.equal(appealDeadline(dorset, { decided: "2026-12-15", notified: "2026-12-18" }), "2027-02-01");
  });

  it("Dorset 6.1: appeal within 28 working days, across Easter (Good Friday and Easter Monday)", () => {
    assert.equal(appealDeadline(dorset, { decided: "2026-03-20", notified: "2026-03-20" }), "2026-05-01");
  });

  it("Dorset 6.1: the window runs from the notification, not the decision", () => {
    assert.equal(appealDeadline(dorset, { decided: "2026-03-02", notified: "2026-03-20" }), "2026-05-01");
    assert.equal(appealDeadline(dorset, { decided: "2026-03-20" }), "2026-05-01", "with no notification date, the decision date is used");
  });

  it("Dorset 6.1: a working-day window refuses to guess beyond the bank holiday data", () => {
    assert.throws(() => appealDeadline(dorset, { decided: "2031-12-10" }), CalendarRangeError);
  });

  it("Dorset: no appeal decision deadline and no retention period (silent)", () => {
    assert.equal(appealDecisionDeadline(dorset, "2026-04-01"), null);
    assert.equal(purgeDate(dorset, "2026-04-01"), null);
  });
});

describe("rules: dates — East Suffolk", () => {
  const decided = "2026-01-31";
  const table: [Parameters<typeof expiryDate>[2], string][] = [
    ["warning-letter", "2026-07-31"],
    ["unreasonably-persistent-contact", "2027-01-31"],
    ["ongoing-personal-circumstances", "2027-01-31"],
    ["verbal-abuse", "2027-01-31"],
    ["verbal-threat", "2027-01-31"],
    ["physical-violence-no-injury", "2028-01-31"],
    ["physical-assault", "2030-01-31"],
  ];
  for (const [category, expected] of table) {
    it(`East Suffolk 4.5.1: ${category} expires on ${expected}`, () => {
      assert.equal(expiryDate(eastSuffolk, decided, category), expected);
    });
  }

  it("East Suffolk 4.5.1: a category outside the table has no expiry (null, not a guess)", () => {
    assert.equal(expiryDate(eastSuffolk, decided, "hate-incident"), null);
    assert.equal(expiryDate(eastSuffolk, decided), null);
  });

  it("East Suffolk 4.5.1: an entry lasts as long as its longest-lasting incident", () => {
    assert.deepEqual(
      entryExpiry(eastSuffolk, [
        { category: "physical-assault", from: "2026-01-10" },
        { category: "verbal-abuse", from: "2026-06-01" },
        { category: "hate-incident", from: "2026-06-01" },
      ]),
      { expiresOn: "2030-01-10", indefinite: false },
    );
    assert.deepEqual(entryExpiry(eastSuffolk, []), { expiresOn: null, indefinite: false });
  });

  it("East Suffolk 4.7: reviewed every 6 months, clamped at month end", () => {
    assert.equal(nextReviewDate(eastSuffolk, "2026-08-31"), "2027-02-28");
  });

  it("East Suffolk 4.7: details kept 6 months after removal, then deleted", () => {
    assert.equal(purgeDate(eastSuffolk, "2026-03-31"), "2026-09-30");
  });

  it("East Suffolk: a new incident leaves the review date alone (policy silent)", () => {
    assert.deepEqual(reviewDateAfterIncident(eastSuffolk, { currentReviewOn: "2026-07-31", incidentOn: "2026-05-01" }), {
      nextReviewOn: "2026-07-31",
      changed: false,
      effect: null,
    });
  });

  it("East Suffolk 4.6: no appeal window in the published policy, so no date", () => {
    assert.equal(appealDeadline(eastSuffolk, { decided, notified: decided }), null);
  });
});

describe("rules: dates — West Oxfordshire", () => {
  it("West Oxfordshire, Appeal: one calendar month from the decision, clamped at month end", () => {
    assert.equal(appealDeadline(westOxfordshire, { decided: "2026-01-31", notified: "2026-02-05" }), "2026-02-28");
    assert.equal(appealDeadline(westOxfordshire, { decided: "2028-01-31" }), "2028-02-29", "leap year");
  });

  it("West Oxfordshire, UCBR: premises risks can stay indefinitely", () => {
    assert.equal(expiryDate(westOxfordshire, "2026-01-31", "premises-risk"), null);
    assert.deepEqual(entryExpiry(westOxfordshire, [{ category: "premises-risk", from: "2026-01-31" }]), { expiresOn: null, indefinite: true });
  });

  it("West Oxfordshire, Monitoring and Review: six-monthly review, sooner on reasonable grounds", () => {
    assert.equal(nextReviewDate(westOxfordshire, "2026-01-31"), "2026-07-31");
    assert.equal(reviewDateAfterIncident(westOxfordshire, { currentReviewOn: "2026-07-31", incidentOn: "2026-03-03" }).nextReviewOn, "2026-03-03");
  });
});

describe("rules: dates — West Lindsey", () => {
  it("West Lindsey 13.1: restrictions reviewed every 3 months and lifted then unless extended", () => {
    assert.equal(nextReviewDate(westLindsey, "2026-11-30"), "2027-02-28");
    assert.equal(expiryDate(westLindsey, "2026-11-30", "verbal-abuse"), "2027-02-28");
  });

  it("West Lindsey 13.2: an extension is for a further 3 months", () => {
    assert.equal(reviewDateAfterExtension(westLindsey, "2027-02-28"), "2027-05-28");
  });

  it("West Lindsey 11.4, 17.1: challenges go through the complaints process, so no appeal dates", () => {
    assert.equal(appealDeadline(westLindsey, { decided: "2026-01-05" }), null);
    assert.equal(appealDecisionDeadline(westLindsey, "2026-01-05"), null);
  });
});

describe("rules: dates — Tamworth", () => {
  it("Tamworth 10: appeal within one calendar month of notification (31 Jan → 28 Feb; leap year 29 Feb)", () => {
    assert.equal(appealDeadline(tamworth, { decided: "2026-01-20", notified: "2026-01-31" }), "2026-02-28");
    assert.equal(appealDeadline(tamworth, { decided: "2028-01-20", notified: "2028-01-31" }), "2028-02-29");
  });

  it("Tamworth 10: the appeal is decided within 6 weeks of the request", () => {
    assert.equal(appealDecisionDeadline(tamworth, "2026-02-10"), "2026-03-24");
  });

  it("Tamworth: no review cycle and no fixed expiry (decided case by case)", () => {
    assert.equal(nextReviewDate(tamworth, "2026-02-10"), null);
    assert.equal(expiryDate(tamworth, "2026-02-10", "physical-assault"), null);
    assert.equal(reviewDateAfterExtension(tamworth, "2026-02-10"), null);
  });
});

describe("rules: a new incident that resets the review (a council's own profile)", () => {
  it("reset: the review is due one full interval after the new incident", () => {
    const own = withReview(dorset, "reset");
    assert.equal(reviewDateAfterIncident(own, { currentReviewOn: "2027-01-31", incidentOn: "2026-08-31" }).nextReviewOn, "2027-08-31");
  });

  it("none: the review date stays", () => {
    const own = withReview(dorset, "none");
    assert.equal(reviewDateAfterIncident(own, { currentReviewOn: "2027-01-31", incidentOn: "2026-08-31" }).nextReviewOn, "2027-01-31");
  });
});

describe("rules: explainDates", () => {
  it("Dorset 4.13.1, 5.1, 6.1: every date for one decision, with its sources", () => {
    assert.deepEqual(explainDates(dorset, { decided: "2026-12-15", notified: "2026-12-18", appealReceived: "2027-01-05" }), {
      expiresOn: "2027-12-15",
      nextReviewOn: "2027-12-15",
      appealBy: "2027-02-01",
      appealDecisionBy: null,
      sources: ["Dorset 4.13.1", "Dorset 5.1", "Dorset 6.1"],
    });
  });

  it("East Suffolk 4.5.1, 4.7: expiry by category, six-monthly review, no appeal window", () => {
    assert.deepEqual(explainDates(eastSuffolk, { decided: "2026-01-31", category: "physical-violence-no-injury" }), {
      expiresOn: "2028-01-31",
      nextReviewOn: "2026-07-31",
      appealBy: null,
      appealDecisionBy: null,
      sources: ["East Suffolk 4.5.1", "East Suffolk 4.7"],
    });
  });

  it("West Oxfordshire: indefinite premises risk is cited, appeal one month from the decision", () => {
    assert.deepEqual(explainDates(westOxfordshire, { decided: "2026-01-31", category: "premises-risk" }), {
      expiresOn: null,
      nextReviewOn: "2026-07-31",
      appealBy: "2026-02-28",
      appealDecisionBy: null,
      sources: ["West Oxfordshire, UCBR", "West Oxfordshire, Monitoring and Review", "West Oxfordshire, Appeal"],
    });
  });

  it("West Lindsey 13.1-13.2: three-month restriction and review", () => {
    assert.deepEqual(explainDates(westLindsey, { decided: "2026-05-31" }), {
      expiresOn: "2026-08-31",
      nextReviewOn: "2026-08-31",
      appealBy: null,
      appealDecisionBy: null,
      sources: ["West Lindsey 13.1-13.2", "West Lindsey 13.1"],
    });
  });

  it("Tamworth 10: appeal by one month after notification, decided within 6 weeks of receipt", () => {
    assert.deepEqual(explainDates(tamworth, { decided: "2026-01-20", notified: "2026-01-31", appealReceived: "2026-02-10" }), {
      expiresOn: null,
      nextReviewOn: null,
      appealBy: "2026-02-28",
      appealDecisionBy: "2026-03-24",
      sources: ["Tamworth 10"],
    });
  });

  it("refuses an impossible date", () => {
    assert.throws(() => explainDates(dorset, { decided: "2026-02-30" }), InvalidDateError);
    assert.throws(() => explainDates(dorset, { decided: "2026-02-03", notified: "2026-13-01" }), InvalidDateError);
  });
});
