// Issue 7 item 9: for each council's preset, one subject from first report through warning, decision,
// restriction, letter, review, appeal, removal and retention purge, on a fake clock, asserting the dates the
// policy sets and what each letter says (read from the .docx). Where a preset differs, the expectations below
// come from its policy, section by section; the code under test never asks which council it is.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import type { Caller, LetterType, RegisterEntry, WarningStep } from "../../../core/src/domain";
import { getPreset, type PresetId } from "../../../core/src/policy/presets";
import { additionLetterType } from "../../../core/src/rules/letters";
import type { LetterRecord } from "../../../bot/src/ports/lifecycle";
import type { Result } from "../../../bot/src/services/lifecycle";
import { aDecision, aSubject, anIncident, at, docxText, lifecycleHarness, STAFF, type LifecycleHarness } from "../../support/lifecycle";

interface Expect {
  preset: PresetId;
  /** The ladder's first suggestion for verbal abuse, then for a verbal threat after it (null: no ladder). */
  ladder: { first: WarningStep; afterThreat: "restrict" | WarningStep } | null;
  /** Entry dates after a decision on 2027-01-11. */
  expiresOn?: string;
  nextReviewOn?: string;
  /** Appeal deadline printed in the restriction letter; null: none in the policy; "complaints": no appeal. */
  appealBy: { date: string } | null | "complaints";
  /** Appeal received on 2027-02-15: in time? (null: no window) */
  appealInTime: boolean | null | "no-appeal";
  appealDecisionDueOn?: string;
  letterMustSay: string[];
  heldAtReception: boolean;
  equalityQuestionnaire: boolean;
  /** Parts of the restriction letter the record cannot supply (staff write them). */
  restrictionLetterNeeds: string[];
  retentionAfterRemoval: boolean;
}

const EXPECT: Expect[] = [
  {
    preset: "dorset",
    ladder: null, // Dorset 4.8: no ladder
    expiresOn: "2028-01-11", // Dorset 4.13.1: 12 months
    nextReviewOn: "2028-01-11", // Dorset 5.1: reviewed after 12 months
    appealBy: { date: "18 February 2027" }, // Dorset 6.1: 28 working days of the notification
    appealInTime: true,
    letterMustSay: ["Unreasonable Behaviours schedule", "removed on 11 January 2028", "the Monitoring Officer", "This protocol has not been followed", "Threatening behaviour"],
    heldAtReception: false,
    equalityQuestionnaire: true, // Dorset 4.13.1
    restrictionLetterNeeds: [],
    retentionAfterRemoval: false,
  },
  {
    preset: "east-suffolk",
    ladder: { first: "verbal", afterThreat: "restrict" }, // East Suffolk 4.4: bypassed to restrictions
    expiresOn: "2028-01-11", // East Suffolk 4.5.1: verbal abuse / threat, 1 year
    nextReviewOn: "2027-07-11", // East Suffolk 4.7: 6-monthly
    appealBy: null, // appendices not published
    appealInTime: null,
    letterMustSay: ["When we will review this", "11 July 2027", "the Head of Customer Services, Marketing and Communications"],
    heldAtReception: false,
    equalityQuestionnaire: false,
    restrictionLetterNeeds: [],
    retentionAfterRemoval: true, // East Suffolk 4.7: 6 months
  },
  {
    preset: "west-oxfordshire",
    ladder: { first: "verbal", afterThreat: "formal-written" }, // Steps 1-3: bypass to step 3
    expiresOn: undefined, // removed only after a significant change
    nextReviewOn: "2027-07-11", // six-monthly
    appealBy: { date: "11 February 2027" }, // one month of the decision
    appealInTime: false,
    letterMustSay: ["We ask you to stop this behaviour now", "How you may contact us", "an officer who was not involved in the original decision"],
    heldAtReception: false,
    equalityQuestionnaire: false,
    restrictionLetterNeeds: [],
    retentionAfterRemoval: false,
  },
  {
    preset: "west-lindsey",
    ladder: { first: "verbal", afterThreat: "restrict" }, // 10-11, 12.1
    expiresOn: "2027-04-11", // 13.1-13.2: three months at a time
    nextReviewOn: "2027-04-11",
    appealBy: "complaints", // 11.4, 17.1
    appealInTime: "no-appeal",
    letterMustSay: ["Equality Act 2010", "Local Government and Social Care Ombudsman", "How we will monitor your contact", "the Determination Team", "Examples of the behaviour"],
    heldAtReception: true, // 11.3
    equalityQuestionnaire: false,
    restrictionLetterNeeds: [],
    retentionAfterRemoval: false,
  },
  {
    preset: "tamworth",
    ladder: null,
    expiresOn: undefined, // duration decided case by case (8, 9)
    nextReviewOn: undefined, // no review cycle
    appealBy: { date: "11 February 2027" }, // 10: one calendar month of notification
    appealInTime: false,
    appealDecisionDueOn: "2027-03-29", // 10: six weeks
    letterMustSay: ["How long this lasts", "a member of the Corporate Management Team"],
    heldAtReception: false,
    equalityQuestionnaire: false,
    restrictionLetterNeeds: ["proposed-duration"], // 9: the letter states the proposed duration
    retentionAfterRemoval: false,
  },
];

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`expected success, got ${r.code}: ${r.message}`);
  return r.value;
}

function refused<T>(r: Result<T>, code: string): { message: string; details?: Record<string, unknown> } {
  assert.equal(r.ok, false, `expected ${code}, got success`);
  if (r.ok) throw new Error("unreachable");
  assert.equal(r.code, code, r.message);
  return r;
}

async function letterText(h: LifecycleHarness, caller: Caller, letter: LetterRecord): Promise<string> {
  const doc = value(await h.service.letters.document(caller, letter.id));
  assert.ok(doc.fileName.startsWith("LTR-") && !doc.fileName.includes("Alex"), "file name carries references only");
  return docxText(doc.data);
}

async function produce(h: LifecycleHarness, type: LetterType, entry: RegisterEntry | undefined, subjectId: string, texts?: Record<string, string>) {
  return h.service.letters.produce(STAFF.manager!, { type, subjectId, ...(entry ? { entryId: entry.id } : {}), ...(texts ? { texts } : {}) });
}

for (const e of EXPECT) {
  describe(`lifecycle scenario: ${e.preset}`, function () {
    this.timeout(30_000);
    const profile = getPreset(e.preset)!;

    it("runs a subject from first report to retention purge as the policy says", async () => {
      const h = lifecycleHarness(profile, "2027-01-04T09:00:00.000Z");
      const s = h.service;
      const subject = await aSubject(h.stores, e.heldAtReception ? { addresses: [], noFixedAddress: true } : {});

      // Marker notifications: only where the policy keeps service markers in step (East Suffolk 3.1).
      const sub = await s.notifications.subscribe(STAFF.admin!, { serviceArea: "Council Tax", events: ["added", "removed"], target: { kind: "webhook", url: "http://127.0.0.1:9/marker" } });
      if (profile.markerNotifications) assert.ok(sub.ok && sub.value.secret, "subscribed, with a signing secret");
      else refused(sub, "MARKER_NOTIFICATIONS_NOT_IN_POLICY");

      // 1. First report.
      const first = await anIncident(h.stores, subject.id, { category: "verbal-abuse", occurredAt: "2027-01-04T08:15:00.000Z" });
      const evidenceName = `evidence/${first.id}/recording`;
      await h.blobs.put(evidenceName, Buffer.from("call recording"), "audio/mpeg");
      await h.stores.incidents.update({ ...first, evidence: [{ id: "recording", kind: "file", fileName: "call.mp3", blobName: evidenceName, addedAt: first.reportedAt }] });

      // 2. Warning: the ladder suggests the next step; departing from it needs a reason.
      const ladder = await s.warnings.ladder(subject.id, "verbal-abuse");
      if (e.ladder === null) {
        assert.equal(ladder.steps, null);
        assert.equal(ladder.suggestion?.kind, "no-ladder");
      } else {
        assert.equal(ladder.suggestion?.kind, "warning");
        assert.equal(ladder.suggestion?.step, e.ladder.first);
        refused(await s.warnings.record(STAFF.officer!, { subjectId: subject.id, step: "formal-written", category: "verbal-abuse" }), "DEPARTURE_REASON_REQUIRED");
      }
      const step: WarningStep = e.ladder?.first ?? "formal-written";
      const warned = value(await s.warnings.record(STAFF.officer!, { subjectId: subject.id, step, category: "verbal-abuse", incidentIds: [first.id] }));
      assert.equal(warned.warning.givenOn, "2027-01-04");
      const warningLetter = value(await produce(h, "warning", undefined, subject.id)).letter;
      assert.equal(warningLetter.heldAtReception, e.heldAtReception);
      const warningText = await letterText(h, STAFF.manager!, warningLetter);
      assert.ok(warningText.includes("Dear Alex Example"));
      for (const part of profile.letters.types.warning?.required ?? []) assert.ok(warningLetter.parts.includes(part), `warning letter has ${part}`);
      if (e.heldAtReception) assert.match(warningText, /To be collected from the council's reception/);
      if (e.preset === "west-lindsey") assert.match(warningText, /We will review this on or before 4 April 2027/); // 11.4: 3-monthly

      // A threat: violence and serious threats bypass the ladder.
      at(h.clock, "2027-01-06", "11:00:00");
      const threat = await anIncident(h.stores, subject.id, { category: "verbal-threat", occurredAt: "2027-01-06T10:30:00.000Z", channel: "face-to-face", location: "Civic Centre reception", description: "Visitor said they would 'sort out' the officer after work." });
      const afterThreat = (await s.warnings.ladder(subject.id, "verbal-threat")).suggestion!;
      if (e.ladder === null) assert.equal(afterThreat.kind, "no-ladder");
      else if (e.ladder.afterThreat === "restrict") assert.deepEqual([afterThreat.kind, afterThreat.bypassed], ["restrict", true]);
      else assert.deepEqual([afterThreat.kind, afterThreat.step, afterThreat.bypassed], ["warning", e.ladder.afterThreat, true]);

      // 3. Decision by the decision body (2027-01-11), with restrictions from the council's catalogue.
      at(h.clock, "2027-01-11", "14:00:00");
      const restrictions = value(
        s.restrictions.buildAll(
          [
            { kind: "single-point-of-contact", params: { displayName: "Sam Spoc", mailbox: "housing.spoc@calm-demo.example" } },
            { kind: "single-channel", params: { channel: "email" } },
          ],
          { startsOn: "2027-01-11" },
        ),
      );
      for (const r of restrictions) assert.ok(r.staffInstruction.length > 10 && !/[.!?]\s+\S/.test(r.staffInstruction), "one sentence for staff");
      const { entry } = await aDecision(h, { subjectId: subject.id, incidents: [first, threat], outcome: "add-medium", decidedAt: "2027-01-11T14:00:00.000Z", restrictions, voters: [STAFF.chair!, STAFF.panel!], presenter: STAFF.manager! });
      assert.equal(entry.expiresOn, e.expiresOn);
      assert.equal(entry.nextReviewOn, e.nextReviewOn);

      // The register watch sees the listing; a marker subscriber gets a signed webhook with only reference and action.
      h.webhooks.responses.push(500);
      at(h.clock, "2027-01-11", "15:00:00");
      await s.scheduler.runOnce();
      if (profile.markerNotifications) {
        assert.equal(h.webhooks.requests.length, 1);
        const req = h.webhooks.requests[0]!;
        assert.equal(req.body, JSON.stringify({ reference: entry.reference, action: "added" }));
        const [t, v1] = req.headers["x-calm-signature"]!.split(",").map((p) => p.split("=")[1]!);
        const secret = sub.ok ? sub.value.secret! : "";
        assert.equal(v1, createHmac("sha256", secret).update(`${t}.${req.body}`).digest("hex"), "signed with the subscription's secret");
        const [pending] = await s.notifications.log();
        assert.deepEqual([pending!.status, pending!.attempts, pending!.lastStatus], ["pending", 1, 500]);
        h.clock.advance(61_000); // backoff: 1 minute after the first failure
        await s.scheduler.runOnce();
        const [delivered] = await s.notifications.log();
        assert.deepEqual([delivered!.status, delivered!.attempts], ["delivered", 2]);
      } else {
        assert.equal(h.webhooks.requests.length, 0);
      }

      // 4. The letter that tells them (Dorset 4.13.3: the legal letter only for high risk).
      const type = additionLetterType(profile, "medium");
      assert.equal(type, "restriction");
      let restrictionLetter: LetterRecord;
      if (e.restrictionLetterNeeds.length > 0) {
        const incomplete = refused(await produce(h, type, entry, subject.id), "LETTER_INCOMPLETE");
        const missing = (incomplete.details!.missing as { part: string }[]).map((m) => m.part);
        assert.deepEqual(missing, e.restrictionLetterNeeds);
        restrictionLetter = value(await produce(h, type, entry, subject.id, { "proposed-duration": "These arrangements will last for six months, until 11 July 2027, unless we review them sooner." })).letter;
      } else {
        restrictionLetter = value(await produce(h, type, entry, subject.id)).letter;
      }
      for (const part of profile.letters.types.restriction?.required ?? []) assert.ok(restrictionLetter.parts.includes(part), `restriction letter has ${part}`);
      assert.equal(restrictionLetter.equalityQuestionnaireAttached, e.equalityQuestionnaire);
      assert.equal(restrictionLetter.heldAtReception, e.heldAtReception);
      const letter = await letterText(h, STAFF.manager!, restrictionLetter);
      for (const phrase of e.letterMustSay) assert.ok(letter.includes(phrase), `restriction letter says "${phrase}"\n${letter}`);
      assert.ok(letter.includes("housing.spoc@calm-demo.example"));
      assert.ok(letter.includes("Please contact us only by email."), "the restriction in the customer's words");
      if (e.appealBy !== null && e.appealBy !== "complaints") assert.ok(letter.includes(`by ${e.appealBy.date}`), `appeal by ${e.appealBy.date}`);
      if (e.appealBy === null) assert.ok(letter.includes("you can appeal") && !/appeal\. Write to [^.]* by \d/.test(letter));
      if (e.appealBy === "complaints") assert.ok(!letter.includes("you can appeal") && letter.includes("complaints process"));
      assert.equal(letter.includes("Equality and diversity monitoring form"), e.equalityQuestionnaire);
      if (e.heldAtReception) assert.ok(letter.includes("To be collected from the council's reception"));

      // A contact that breached a restriction, logged against it.
      at(h.clock, "2027-01-20", "10:00:00");
      const channelRestriction = entry.restrictions.find((r) => r.kind === "single-channel")!;
      value(await s.restrictions.logContact(STAFF.officer!, entry.id, { kind: "breach", restrictionId: channelRestriction.id, note: "Phoned the contact centre twice about the repair.", channel: "phone" }));
      refused(await s.restrictions.logContact(STAFF.officer!, entry.id, { kind: "breach", note: "No restriction named." }), "RESTRICTION_REQUIRED");

      // 5. Appeal received on 2027-02-15.
      at(h.clock, "2027-02-15", "10:00:00");
      const grounds = "The decision was unreasonable: I was upset about the repair.";
      let appealId: string | undefined;
      if (e.appealInTime === "no-appeal") {
        refused(await s.appeals.receive(STAFF.admin!, entry.id, { receivedOn: "2027-02-15", grounds }), "NO_APPEAL_ROUTE");
        const referral = value(await s.appeals.recordOmbudsman(STAFF.admin!, { entryId: entry.id, referredOn: "2027-02-15", reference: "LGSCO-TEST-1" }));
        assert.equal(referral.route, "complaints-process");
      } else {
        if (e.appealInTime === false) {
          refused(await s.appeals.receive(STAFF.admin!, entry.id, { receivedOn: "2027-02-15", grounds }), "APPEAL_OUT_OF_TIME");
        }
        const appeal = value(await s.appeals.receive(STAFF.admin!, entry.id, { receivedOn: "2027-02-15", grounds, ...(e.appealInTime === false ? { acceptLateReason: "The letter went to an old address." } : {}) }));
        assert.equal(appeal.inTime, e.appealInTime);
        assert.equal(appeal.decisionDueOn, e.appealDecisionDueOn);
        assert.equal((await h.stores.register.get(entry.id))!.appealInProgress, true, "appeal in progress note");
        assert.equal((await h.stores.register.get(entry.id))!.status, "active", "the entry stays in force");
        appealId = appeal.id;
        // Not an appeal officer; and not someone involved in the decision (unless a policy says otherwise).
        refused(await s.appeals.decide(STAFF.officer!, appeal.id, { outcome: "upheld", reasons: "x" }), "NOT_AN_APPEAL_OFFICER");
        if (profile.appeal.deciderMustNotHaveBeenInvolved !== false) {
          const involved: Caller = { ...STAFF.manager!, roles: ["manager", "appeal-officer"] };
          refused(await s.appeals.decide(involved, appeal.id, { outcome: "upheld", reasons: "Stands." }), "INVOLVED_IN_DECISION");
        }
      }

      // Reminders before the decision deadline (Tamworth 10: six weeks), once each.
      at(h.clock, "2027-03-22", "09:00:00");
      const postsBefore = h.channel.posts.length;
      await s.scheduler.runOnce();
      await s.scheduler.runOnce();
      const reminders = h.channel.posts.slice(postsBefore).filter((p) => p.message.kind === "appeal-reminder");
      assert.equal(reminders.length, e.appealDecisionDueOn ? 1 : 0);
      if (e.appealDecisionDueOn) assert.match(reminders[0]!.message.text, /must be decided by 29 March 2027 \(in a week\)/);

      if (appealId) {
        const decided = value(await s.appeals.decide(STAFF.appeals!, appealId, { outcome: "upheld", reasons: "The behaviour was serious and the restrictions are in proportion." }));
        assert.equal(decided.appeal.outcome, "upheld");
        assert.equal((await h.stores.register.get(entry.id))!.appealInProgress, false);
        const outcomeLetter = value(await produce(h, "appeal-outcome", entry, subject.id)).letter;
        const outcomeText = await letterText(h, STAFF.manager!, outcomeLetter);
        assert.match(outcomeText, /We received your appeal on 15 February 2027 and decided it on 22 March 2027/);
        assert.match(outcomeText, /the original decision stands/);
        assert.equal(outcomeText.includes("Ombudsman"), profile.appeal.ombudsman === true);
        if (profile.appeal.ombudsman) value(await s.appeals.recordOmbudsman(STAFF.admin!, { appealId, referredOn: "2027-03-22" }));
      }

      // 6. Review: posted to the decision body's channel when due; decided by the approver the policy names.
      const reviewDate = e.nextReviewOn;
      let reviewId: string;
      if (reviewDate) {
        at(h.clock, reviewDate);
        const before = h.channel.posts.length;
        await s.scheduler.runOnce();
        const post = h.channel.posts.slice(before).find((p) => p.message.kind === "review-due");
        assert.ok(post, "review posted to the decision body's channel");
        assert.ok(post.message.text.includes(entry.reference) && !post.message.text.includes("Alex"), "opaque reference only");
        const open = (await h.lifecycle.reviews.find({ entryId: entry.id, status: "open" }))[0]!;
        assert.equal(open.dueOn, reviewDate);
        assert.equal((await h.stores.register.get(entry.id))!.status, "under-review");
        reviewId = open.id;
      } else {
        // Tamworth: no review cycle, so nothing falls due; a review is started by hand.
        at(h.clock, "2027-07-11");
        await s.scheduler.runOnce();
        assert.equal((await h.lifecycle.reviews.find({ entryId: entry.id })).length, 0);
        reviewId = value(await s.reviews.startNow(STAFF.admin!, entry.id)).id;
      }
      const evidence = value(await s.reviews.evidence(reviewId));
      assert.equal(evidence.contacts.filter((c) => c.kind === "breach").length, 1);
      assert.equal(evidence.suggestion.outcome, "extend", "a breach since the decision points to keeping it");
      assert.equal(evidence.approverName, profile.review.approver ?? profile.decisionBody.name);
      const today = h.clock.now().toISOString().slice(0, 10);
      const outcome = e.preset === "west-oxfordshire" ? "vary" : "extend";
      const reviewed = value(
        await s.reviews.decide(STAFF.admin!, reviewId, {
          outcome,
          approvedOn: today,
          approvalReference: "Minutes item 4",
          reasons: "A restriction was breached since the decision.",
          ...(outcome === "vary" ? { variation: { restrictions: [{ kind: "single-channel", params: { channel: "letter" } }] } } : {}),
        }),
      );
      const expected = {
        dorset: { next: "2029-01-11", expires: "2029-01-11" }, // 4.2: twelve-monthly renewals
        "east-suffolk": { next: "2028-01-11", expires: "2028-01-11" }, // 4.7: next 6-monthly review
        "west-oxfordshire": { next: "2028-01-11", expires: undefined },
        "west-lindsey": { next: "2027-07-11", expires: "2027-07-11" }, // 13.2: a further 3 months
        tamworth: { next: undefined, expires: undefined },
      }[e.preset];
      assert.equal(reviewed.entry.nextReviewOn, expected.next);
      assert.equal(reviewed.entry.expiresOn, expected.expires);
      assert.equal(reviewed.entry.status, "active");
      const reviewLetter = value(await produce(h, "review-outcome", reviewed.entry, subject.id)).letter;
      const reviewText = await letterText(h, STAFF.manager!, reviewLetter);
      assert.match(reviewText, outcome === "vary" ? /decided to change them/ : /decided to keep them in place/);
      if (outcome === "vary") assert.ok(reviewText.includes("Please contact us only by letter."));

      // 7. Removal: at expiry with no repeat behaviour, or at a review; told or not as the policy says.
      let removedOn: string;
      if (e.preset === "east-suffolk" || e.preset === "west-lindsey") {
        removedOn = expected.expires!;
        at(h.clock, removedOn);
        await s.scheduler.runOnce();
        const removed = (await h.stores.register.get(entry.id))!;
        assert.equal(removed.status, "removed", "expired without repeat behaviour");
        assert.equal(removed.removedOn, removedOn);
        assert.equal((await h.lifecycle.reviews.find({ entryId: entry.id, status: "open" })).length, 0, "the open review is closed");
      } else {
        removedOn = e.preset === "dorset" ? "2028-06-01" : "2028-01-11";
        at(h.clock, removedOn);
        await s.scheduler.runOnce();
        const open = (await h.lifecycle.reviews.find({ entryId: entry.id, status: "open" }))[0];
        const id = open?.id ?? value(await s.reviews.startNow(STAFF.admin!, entry.id)).id;
        assert.equal(value(await s.reviews.evidence(id)).suggestion.outcome, profile.review.removeWhenNoNewIncidents === true ? "remove" : "keep");
        value(await s.reviews.decide(STAFF.admin!, id, { outcome: "remove", approvedOn: removedOn, reasons: "No further incidents." }));
        const letterAttempt = await produce(h, "review-outcome", undefined, subject.id);
        if (profile.review.tellCustomerOfRemoval === "never") refused(letterAttempt, "CUSTOMER_NOT_TOLD"); // Dorset 5.1
        else assert.match(await letterText(h, STAFF.manager!, value(letterAttempt).letter), /decided to end them/);
      }
      const removed = (await h.stores.register.get(entry.id))!;
      assert.equal(removed.status, "removed");
      if (profile.markerNotifications) {
        const last = h.webhooks.requests.at(-1)!;
        assert.equal(last.body, JSON.stringify({ reference: entry.reference, action: "removed" }));
      }

      // 8. Retention: kept for the policy's period, then purged, leaving a non-identifying tombstone.
      const plan = await s.retention.plan();
      assert.equal(plan.due.length, 0);
      assert.equal(plan.waiting[0]!.entryId, entry.id);
      if (e.retentionAfterRemoval) {
        assert.equal(plan.waiting[0]!.purgeAfter, "2028-07-11"); // East Suffolk 4.7: six months after removal
        at(h.clock, "2028-07-11");
        const dry = await s.retention.plan();
        assert.equal(dry.due.length, 1);
        const item = dry.due[0]!;
        assert.deepEqual([item.counts.incidents, item.counts.evidenceFiles, item.counts.cases, item.counts.votes, item.counts.entries, item.counts.subjects], [2, 1, 1, 2, 1, 1]);
        assert.ok(item.counts.letters >= 4 && item.counts.letterFiles === item.counts.letters);
        assert.ok(await h.stores.subjects.get(subject.id), "a dry run changes nothing");
        await s.scheduler.runOnce();
      } else {
        assert.equal(plan.waiting[0]!.purgeAfter, null);
        at(h.clock, "2029-06-01");
        await s.scheduler.runOnce();
        assert.ok(await h.stores.subjects.get(subject.id), "no period in the policy: nothing purged automatically");
        refused(await s.retention.purgeNow(STAFF.admin!, entry.id, { reason: "" }), "REASON_REQUIRED");
        value(await s.retention.purgeNow(STAFF.admin!, entry.id, { reason: "Council retention schedule: two years after removal." }));
      }
      assert.equal(await h.stores.subjects.get(subject.id), undefined);
      assert.equal(await h.stores.register.get(entry.id), undefined);
      assert.deepEqual(await h.stores.incidents.listBySubject(subject.id), []);
      assert.deepEqual(await h.blobs.list("evidence/"), []);
      assert.deepEqual(await h.blobs.list("letters/"), []);
      assert.deepEqual(await h.lifecycle.letters.find({ subjectId: subject.id }), []);
      assert.deepEqual(await h.lifecycle.warnings.find({ subjectId: subject.id }), []);
      assert.deepEqual(await h.lifecycle.reviews.find({ entryId: entry.id }), []);
      assert.deepEqual(await h.lifecycle.appeals.find({ entryId: entry.id }), []);
      assert.deepEqual(await h.lifecycle.contacts.find({ entryId: entry.id }), []);
      assert.deepEqual(await h.stores.cases.listVotes(entry.caseId!), []);
      assert.equal(await h.stores.cases.get(entry.caseId!), undefined);
      const actor = e.retentionAfterRemoval ? "calm-scheduler" : STAFF.admin!.id;
      const tombstone = (await h.stores.audit.listByActor(actor)).find((ev) => ev.action === "purge");
      assert.ok(tombstone, "a tombstone in the audit log");
      assert.equal(tombstone.subjectId, undefined);
      assert.equal(tombstone.entryId, undefined);
      const said = tombstone.what.join(" ");
      assert.ok(said.includes("tombstone") && said.includes("incidents:2"));
      for (const identifying of [subject.id, entry.id, entry.reference, "Alex", "example.org", "07700"]) assert.ok(!said.includes(identifying), `tombstone does not say ${identifying}`);
      assert.equal((await s.retention.plan()).due.length, 0);
    });
  });
}
