// The Teams bot through botbuilder's TestAdapter (issue 3 items 1-5): every command and card action, the panel vote
// in the channel with user-specific views and in-place updates, and bad card payloads (missing fields, wrong types,
// another user's card, a closed case) that get a clear error card and change nothing.
import assert from "node:assert/strict";
import { actionsOf, cardOf, cardText, persona, teamsHarness, type Card, type TeamsHarness } from "../../support/teamsHarness";
import { anEntry, aSubject } from "../../support/fixtures";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);

/** The values a person would type into the report form. */
function reportInputs(over: Record<string, string> = {}): Record<string, string> {
  return {
    subjectKind: "person",
    subjectName: "Jordan Placeholder",
    subjectEmail: "jordan.placeholder@example.org",
    occurredDate: "2026-11-23",
    occurredTime: "09:15",
    location: "Civic Centre reception",
    channel: "face-to-face",
    serviceArea: "Housing",
    category: "verbal-abuse",
    description: "Shouted at the receptionist and refused to leave.",
    witness1Name: "Wendy Witness",
    witness1Statement: "I heard the shouting.",
    witness2Name: "Walter Witness",
    witness2Statement: "I saw them slam the desk.",
    policeReference: "CAD-77",
    hateIncident: "false",
    immediateAction: "asked-to-leave",
    ...over,
  };
}

async function report(h: TeamsHarness, who = "Max Manager", over: Record<string, string> = {}) {
  const form = await h.click(who, "showReport", {});
  const submit = actionsOf(form.card).find((a) => a.verb === "submitReport")!;
  const done = await h.click(who, "submitReport", { ...submit.data, ...reportInputs(over) });
  return { form, submit, done };
}

async function referCase(h: TeamsHarness): Promise<{ caseId: string; channelCard: Card }> {
  const { done } = await report(h);
  const refer = actionsOf(done.card).find((a) => a.verb === "showRefer")!;
  const form = await h.click("Max Manager", "showRefer", refer.data);
  const submit = actionsOf(form.card).find((a) => a.verb === "submitRefer")!;
  const out = await h.click("Max Manager", "submitRefer", { ...submit.data, recommendedOutcome: "add-medium", summary: "Abuse at reception on 23 November; second incident this year.", papersUrl: "https://calm.example/papers/1" });
  assert.match(cardText(out.card), /CASE-0001 referred/);
  const cards = h.channelCards();
  assert.equal(cards.length, 1, "the case is posted to the decision body's channel");
  const vote = actionsOf(cards[0]).find((a) => a.verb === "vote")!;
  return { caseId: String(vote.data.caseId), channelCard: cards[0]! };
}

const member = ["Pam Panel", "Petra Panel", "Percy Panel", "Polly Panel", "Paddy Panel"];

describe("Teams bot (TestAdapter)", function () {
  this.timeout(20_000);
  let h: TeamsHarness;
  beforeEach(async () => {
    h = await teamsHarness();
  });

  describe("commands in a personal chat", () => {
    it("a greeting gets the welcome card with report and lookup", async () => {
      const [reply] = await h.say("Ola Officer", "hi");
      const card = cardOf(reply);
      assert.match(cardText(card), /Hello, Ola/);
      assert.deepEqual(actionsOf(card).map((a) => a.verb).sort(), ["lookup", "showReport"]);
    });

    it("'help' lists what CALM can do; unknown words that are not a name get help too", async () => {
      assert.match(cardText(cardOf((await h.say("Ola Officer", "help"))[0])), /What you can ask CALM/);
      assert.match(cardText(cardOf((await h.say("Ola Officer", "???"))[0])), /What you can ask CALM/);
    });

    it("a person CALM does not know is told how to get access, and sees nothing", async () => {
      const [reply] = await h.say("Ola Officer", "alex.example@example.org", "personal", { from: { id: "29:stranger", aadObjectId: "not-a-persona", name: "Someone" } });
      assert.match(cardText(cardOf(reply)), /does not know your role/);
    });

    it("'report' opens the form with every field of an incident", async () => {
      const [reply] = await h.say("Ola Officer", "report");
      const text = cardText(cardOf(reply));
      for (const label of ["Name (or the address)", "Date", "Where", "How they made contact", "Your service area", "What kind of behaviour", "What was said or done", "Witness 1: name", "Witness 3: what they saw or heard", "Police reference", "hate incident", "What you did at the time"]) {
        assert.ok(text.includes(label), label);
      }
      assert.match(text, /Housing/, "the service area starts as the reporter's own");
    });

    it("looks a person up by email (exact) and by name (possible match); contractors see the minimum (Dorset 7.1)", async () => {
      const subject = await h.stores.subjects.create(aSubject({ displayName: "Alex Example", emails: ["alex.example@example.org"] }));
      await h.stores.register.create(anEntry(subject.id, "high", { guidance: ["Do not visit alone."] }));
      await h.app.services.lookup.subjectChanged(subject.id);
      const exact = cardText(cardOf((await h.say("Ola Officer", "lookup Alex.Example@example.org"))[0]));
      assert.match(exact, /On the Unreasonable Behaviours schedule — High risk/);
      assert.match(exact, /Matches alex\.example@example\.org/);
      assert.match(exact, /Do not visit alone/);
      const byName = cardText(cardOf((await h.say("Ola Officer", "Alex Example"))[0]));
      assert.match(byName, /Possible match — check the address or date of contact before acting/);
      const councillor = cardText(cardOf((await h.say("Connor Contractor", "alex.example@example.org"))[0]));
      assert.match(councillor, /Take care/);
      assert.ok(!councillor.includes("Alex Example"), "no name for the minimum view");
      assert.ok(!/Review due|Restrictions in force|Show history/.test(councillor), "no review, restrictions or history");
      const audits = await h.stores.audit.listBySubject(subject.id);
      assert.equal(audits.filter((a) => a.action === "lookup" && a.surface === "bot").length, 3, "every lookup is audited");
    });

    it("no match says so plainly, the same way for a hidden entry", async () => {
      const subject = await h.stores.subjects.create(aSubject({ displayName: "Sam Hidden", emails: ["sam.hidden@example.org"] }));
      await h.stores.register.create(anEntry(subject.id, "low"));
      await h.app.services.lookup.subjectChanged(subject.id);
      const hidden = cardText(cardOf((await h.say("Ola Officer", "sam.hidden@example.org"))[0]));
      const nobody = cardText(cardOf((await h.say("Ola Officer", "nobody@example.org"))[0]));
      assert.equal(hidden, nobody, "Dorset 7.1: an officer does not see low risk, and cannot tell it exists");
      assert.match(nobody, /Nobody on the Unreasonable Behaviours schedule matches/);
    });

    it("'cases' lists the open cases for a member; an officer may not", async () => {
      await referCase(h);
      assert.match(cardText(cardOf((await h.say("Pam Panel", "cases"))[0])), /CASE-0001 · Vote open/);
      assert.match(cardText(cardOf((await h.say("Ola Officer", "cases"))[0])), /Not allowed/);
    });
  });

  describe("reporting an incident (issue 3 item 1)", () => {
    it("saves the report and answers with the reference and what happens next (Dorset 4.3)", async () => {
      const { done } = await report(h, "Ola Officer");
      const text = cardText(done.card);
      assert.equal(done.status, 200);
      assert.match(text, /Report sent: INC-0001/);
      assert.match(text, /refer it to the Unreasonable Behaviours Panel.*\(Dorset 4\.3\)/);
      const incidents = await h.stores.incidents.listBySubject((await firstSubjectId(h))!);
      assert.equal(incidents.length, 1);
      assert.equal(incidents[0]!.witnesses.length, 2);
      assert.equal(incidents[0]!.occurredAt, "2026-11-23T09:15:00.000Z", "09:15 London time in November is 09:15 UTC");
      assert.equal(incidents[0]!.policeReference, "CAD-77");
      assert.ok(!actionsOf(done.card).some((a) => a.verb === "showRefer"), "an officer does not refer");
    });

    it("shows validation errors on the card, keeps what was typed, and saves nothing", async () => {
      const form = await h.click("Ola Officer", "showReport", {});
      const submit = actionsOf(form.card).find((a) => a.verb === "submitReport")!;
      const again = await h.click("Ola Officer", "submitReport", { ...submit.data, ...reportInputs({ occurredDate: "2026-12-25", description: "", subjectEmail: "not-an-email" }) });
      const text = cardText(again.card);
      assert.match(text, /Fix the 3 fields marked below/);
      assert.match(text, /in the future\. Check the date and try again/);
      assert.match(text, /Describe what happened/);
      assert.match(text, /"not-an-email" is not an email address/);
      assert.ok(text.includes("Jordan Placeholder"), "what was typed is kept");
      assert.equal(await firstSubjectId(h), undefined, "nothing was saved");
    });

    it("a double click on Send makes one incident", async () => {
      const form = await h.click("Ola Officer", "showReport", {});
      const submit = actionsOf(form.card).find((a) => a.verb === "submitReport")!;
      const first = await h.click("Ola Officer", "submitReport", { ...submit.data, ...reportInputs() });
      const second = await h.click("Ola Officer", "submitReport", { ...submit.data, ...reportInputs() });
      assert.match(cardText(first.card), /INC-0001/);
      assert.match(cardText(second.card), /We already had this report as INC-0001/);
      assert.equal((await h.stores.incidents.listBySubject((await firstSubjectId(h))!)).length, 1);
    });

    it("reports about a person found by a lookup without retyping them", async () => {
      const subject = await h.stores.subjects.create(aSubject({ emails: ["alex.example@example.org"] }));
      await h.stores.register.create(anEntry(subject.id, "medium", { reference: "CAL-0042" }));
      await h.app.services.lookup.subjectChanged(subject.id);
      const found = await h.click("Ola Officer", "lookup", { query: "alex.example@example.org" });
      const about = actionsOf(found.card).find((a) => a.verb === "showReport")!;
      assert.equal(about.data.subjectId, subject.id);
      const form = await h.click("Ola Officer", "showReport", about.data);
      assert.match(cardText(form.card), /About the person or address you looked up \(CAL-0042\)/);
      const submit = actionsOf(form.card).find((a) => a.verb === "submitReport")!;
      const done = await h.click("Ola Officer", "submitReport", { ...submit.data, ...reportInputs({ subjectName: "" }) });
      assert.match(cardText(done.card), /already on the Unreasonable Behaviours schedule/);
      assert.equal((await h.stores.incidents.listBySubject(subject.id)).length, 1);
    });

    it("files attached in the chat become evidence on the last report", async () => {
      const fetched: string[] = [];
      h = await teamsHarness({ fetchAttachment: async (url) => { fetched.push(url); return { data: PNG }; } });
      await report(h, "Ola Officer");
      const [reply] = await h.say("Ola Officer", "", "personal", {
        attachments: [{ contentType: "application/vnd.microsoft.teams.file.download.info", name: "door.png", content: { downloadUrl: "https://contoso.sharepoint.com/door.png", fileType: "png" } }],
      });
      assert.match(cardText(cardOf(reply)), /Added 1 file to INC-0001/);
      assert.deepEqual(fetched, ["https://contoso.sharepoint.com/door.png"]);
      const incident = (await h.stores.incidents.listBySubject((await firstSubjectId(h))!))[0]!;
      assert.equal(incident.evidence.length, 1);
      assert.equal((await h.blobs.list("evidence/")).length, 1);
    });

    it("files with no report to go to are refused plainly", async () => {
      const [reply] = await h.say("Ola Officer", "", "personal", { attachments: [{ contentType: "image/png", name: "x.png", contentUrl: "https://smba.trafficmanager.net/x" }] });
      assert.match(cardText(cardOf(reply)), /Send a report first/);
    });
  });

  describe("the panel vote in the channel (issue 3 item 3)", () => {
    it("posts the referred case: reference and summary, no name in title or preview, papers, recommendation, six choices", async () => {
      const { channelCard } = await referCase(h);
      const text = cardText(channelCard);
      assert.match(text, /^CASE-0001 · Vote open/);
      assert.ok(!text.includes("Jordan Placeholder"), "no name anywhere on the card");
      assert.match(text, /Recommended\nAdd at medium risk/);
      assert.match(text, /0 of 6 voted · quorum not yet reached \(4 needed\)/);
      assert.match(text, /Not voted yet: Charlie Chair, Paddy Panel, Pam Panel, Percy Panel, Petra Panel, Polly Panel/);
      assert.deepEqual(actionsOf(channelCard).filter((a) => a.verb === "vote").map((a) => a.title), ["Vote: add at low risk", "Vote: add at medium risk", "Vote: add at high risk", "Vote: warning letter only", "Vote: SPOC only", "Vote: no action"]);
      assert.ok(actionsOf(channelCard).some((a) => a.verb === "declareConflict"), "conflict is a separate action");
      assert.equal(channelCard.version, "1.5");
      for (const a of actionsOf(channelCard)) assert.equal(a.fallback?.type, "Action.Submit", `${a.title} has an Action.Submit fallback`);
      assert.equal(channelCard.refresh?.action.verb, "refresh");
    });

    it("votes with live tally, own vote shown only to its voter, the channel card updated in place", async () => {
      const { caseId } = await referCase(h);
      const first = await h.click("Pam Panel", "vote", { caseId, choice: "add-medium" }, "channel");
      assert.equal(first.status, 200);
      assert.equal(first.type, "application/vnd.microsoft.card.adaptive");
      assert.match(cardText(first.card), /Your vote is counted: Add at medium risk/);
      assert.match(cardText(first.card), /Your vote: Add at medium risk/);
      assert.match(cardText(first.card), /1 of 6 voted/);
      for (const name of ["Petra Panel", "Percy Panel"]) await h.click(name, "vote", { caseId, choice: "add-medium" }, "channel");
      await h.click("Polly Panel", "vote", { caseId, choice: "add-low" }, "channel");

      const channel = h.channelCards();
      assert.equal(channel.length, 1, "one card, updated in place");
      const shared = cardText(channel[0]);
      assert.match(shared, /4 of 6 voted · quorum reached/);
      assert.match(shared, /Add at medium risk: 3 · Add at low risk: 1/);
      assert.match(shared, /Not voted yet: Charlie Chair, Paddy Panel/);
      assert.ok(!/Your vote/.test(shared), "nobody's own vote on the shared card");
      assert.ok(channel[0]!.refresh!.userIds!.includes(`29:${persona("Pam Panel").id}`), "members who clicked get their own view");

      const pamView = await h.click("Pam Panel", "refresh", { caseId }, "channel");
      assert.match(cardText(pamView.card), /Your vote: Add at medium risk/);
      const pollyView = await h.click("Polly Panel", "refresh", { caseId }, "channel");
      assert.match(cardText(pollyView.card), /Your vote: Add at low risk/);
      const paddyView = await h.click("Paddy Panel", "refresh", { caseId }, "channel");
      assert.match(cardText(paddyView.card), /You have not voted yet/);
      const olaView = await h.click("Ola Officer", "refresh", { caseId }, "channel");
      assert.ok(!/Your vote|You have not voted/.test(cardText(olaView.card)), "someone outside the body gets the shared card");
    });

    it("a second click does nothing new", async () => {
      const { caseId } = await referCase(h);
      await h.click("Pam Panel", "vote", { caseId, choice: "add-low" }, "channel");
      const again = await h.click("Pam Panel", "vote", { caseId, choice: "add-low" }, "channel");
      assert.match(cardText(again.card), /You had already voted Add at low risk\. Nothing changed/);
      assert.equal((await h.stores.cases.listVotes(caseId)).length, 1);
    });

    it("conflict: a member declares, the chair rules from their own view, the count follows (Dorset 4.5)", async () => {
      const { caseId } = await referCase(h);
      const declared = await h.click("Petra Panel", "declareConflict", { caseId, reason: "The customer is my neighbour" }, "channel");
      assert.match(cardText(declared.card), /Your conflict of interest is recorded/);
      assert.ok(!actionsOf(declared.card).some((a) => a.verb === "vote"), "no vote buttons while the ruling is pending");
      const chairView = await h.click("Charlie Chair", "refresh", { caseId }, "channel");
      const exclude = actionsOf(chairView.card).find((a) => a.verb === "ruleConflict" && a.data.excluded === true)!;
      assert.equal(exclude.title, "Exclude Petra Panel");
      const ruled = await h.click("Charlie Chair", "ruleConflict", exclude.data, "channel");
      assert.match(cardText(ruled.card), /Recorded: the member is excluded/);
      assert.match(cardText(ruled.card), /0 of 5 voted/);
      assert.match(cardText(h.channelCards()[0]), /Petra Panel: excluded by the chair/);
    });

    it("the chair closes the vote: decision record, entry on the register, the card shows the decision", async () => {
      const { caseId } = await referCase(h);
      for (const name of member.slice(0, 4)) await h.click(name, "vote", { caseId, choice: "add-medium" }, "channel");
      const chairView = await h.click("Charlie Chair", "refresh", { caseId }, "channel");
      const text = cardText(chairView.card);
      assert.match(text, /If you close now: Add at medium risk \(4 votes\)/);
      assert.match(text, /Underlying health issues were considered/, "Dorset 4.10: the chair records it");
      const close = actionsOf(chairView.card).find((a) => a.verb === "closeVote")!;
      const closed = await h.click("Charlie Chair", "closeVote", { ...close.data, healthConsidered: "true", rationale: "Clear pattern." }, "channel");
      assert.match(cardText(closed.card), /The vote is closed\. Decision: Add at medium risk\. CAL-0001 is on the Unreasonable Behaviours schedule/);
      const shared = cardText(h.channelCards()[0]);
      assert.match(shared, /CASE-0001 · Decided: Add at medium risk/);
      assert.match(shared, /4 of 4 votes cast \(6 could vote, quorum met\)/);
      assert.ok(!actionsOf(h.channelCards()[0]).some((a) => a.verb === "vote"), "no more vote buttons");
      const c = await h.stores.cases.get(caseId);
      assert.equal(c?.decision?.healthConsidered?.considered, true);
      assert.equal((await h.stores.register.get(c.entryId!))?.riskLevel, "medium");
    });

    it("closing without a quorum tells the chair why and changes nothing (Dorset 4.4)", async () => {
      const { caseId } = await referCase(h);
      await h.click("Pam Panel", "vote", { caseId, choice: "add-medium" }, "channel");
      const out = await h.click("Charlie Chair", "closeVote", { caseId, healthConsidered: "true" }, "channel");
      assert.match(cardText(out.card), /1 of the 4 votes needed for a quorum have been cast\. Wait for more members to vote\. \(QUORUM_NOT_MET\)/);
      assert.equal((await h.stores.cases.get(caseId))?.status, "voting");
    });

    it("an emergency addition by the chair is in force at once and its ratification vote is posted (Dorset 4.13.2)", async () => {
      const { done } = await report(h, "Charlie Chair");
      const emergency = actionsOf(done.card).find((a) => a.verb === "showEmergency")!;
      const form = await h.click("Charlie Chair", "showEmergency", emergency.data);
      const submit = actionsOf(form.card).find((a) => a.verb === "submitEmergency")!;
      const out = await h.click("Charlie Chair", "submitEmergency", { ...submit.data, reason: "Threatened staff with a knife today", summary: "Threat with a knife at the depot today." });
      assert.match(cardText(out.card), /CAL-0001 is on the Unreasonable Behaviours schedule at high risk now, pending ratification\. CASE-0002 asks the decision body to ratify it by 2026-12-23/);
      assert.match(cardText(h.channelCards()[0]), /CASE-0002 · Ratify an emergency addition/);
    });

    it("the Action.Submit fallback does the same as Action.Execute and answers in place", async () => {
      const { caseId } = await referCase(h);
      const replies = await h.say("Pam Panel", "", "channel", { value: { calmVerb: "vote", caseId, choice: "no-action" } });
      assert.match(cardText(cardOf(replies[0])), /Your vote is counted: No action/);
      assert.equal((await h.stores.cases.listVotes(caseId))[0]?.choice, "no-action");
    });
  });

  describe("bad card payloads get a clear error card and change nothing", () => {
    let caseId: string;
    beforeEach(async () => {
      caseId = (await referCase(h)).caseId;
    });
    const nothingChanged = async () => {
      assert.deepEqual(await h.stores.cases.listVotes(caseId), []);
      assert.deepEqual(await h.stores.cases.listConflicts(caseId), []);
      assert.equal((await h.stores.cases.get(caseId))?.status, "voting");
    };

    it("missing fields", async () => {
      const out = await h.click("Pam Panel", "vote", { choice: "add-low" }, "channel");
      assert.equal(out.status, 200);
      assert.match(cardText(out.card), /That button's details were not valid/);
      assert.match(cardText(out.card), /CARD_DATA_INVALID/);
      await nothingChanged();
    });

    it("wrong types", async () => {
      for (const data of [{ caseId, choice: 5 }, { caseId: ["x"], choice: "add-low" }, "not an object", null, { caseId, memberId: 3, excluded: "maybe" }]) {
        const out = await h.click("Pam Panel", data && typeof data === "object" && "memberId" in data ? "ruleConflict" : "vote", data, "channel");
        assert.equal(out.status, 200);
        assert.match(cardText(out.card), /not valid|did not work/, JSON.stringify(data));
      }
      await nothingChanged();
    });

    it("a choice that is not one of the buttons", async () => {
      const out = await h.click("Pam Panel", "vote", { caseId, choice: "banish" }, "channel");
      assert.match(cardText(out.card), /That is not one of the choices.*\(CHOICE_INVALID\)/s);
      await nothingChanged();
    });

    it("another user's vote card (or a crafted voter id)", async () => {
      const out = await h.click("Pam Panel", "vote", { caseId, choice: "add-high", for: persona("Percy Panel").id }, "channel");
      assert.match(cardText(out.card), /This card was made for someone else, so nothing was changed.*CARD_NOT_YOURS/s);
      assert.match(cardText(out.card), /You have not voted yet/, "and here is Pam's own view");
      await nothingChanged();
    });

    it("a closed case", async () => {
      for (const name of member.slice(0, 4)) await h.click(name, "vote", { caseId, choice: "add-low" }, "channel");
      await h.click("Charlie Chair", "closeVote", { caseId, healthConsidered: "false" }, "channel");
      const late = await h.click("Paddy Panel", "vote", { caseId, choice: "add-high" }, "channel");
      assert.match(cardText(late.card), /The vote on CASE-0001 has closed.*Nothing was changed.*VOTE_CLOSED/s);
      assert.equal((await h.stores.cases.listVotes(caseId)).length, 4);
      const conflict = await h.click("Paddy Panel", "declareConflict", { caseId, reason: "late" }, "channel");
      assert.match(cardText(conflict.card), /VOTE_CLOSED/);
      const again = await h.click("Charlie Chair", "closeVote", { caseId, healthConsidered: "true" }, "channel");
      assert.match(cardText(again.card), /already closed.*Nothing changed/s);
    });

    it("an unknown action, a case that does not exist, and someone not allowed", async () => {
      assert.match(cardText((await h.click("Pam Panel", "deleteEverything", { caseId }, "channel")).card), /CARD_ACTION_UNKNOWN/);
      assert.match(cardText((await h.click("Pam Panel", "vote", { caseId: "no-such-case", choice: "add-low" }, "channel")).card), /Case not found/);
      assert.match(cardText((await h.click("Ola Officer", "vote", { caseId, choice: "add-low" }, "channel")).card), /Not allowed.*FORBIDDEN/s);
      assert.match(cardText((await h.click("Pam Panel", "closeVote", { caseId }, "channel")).card), /Not allowed/);
      assert.match(cardText((await h.click("Pam Panel", "ruleConflict", { caseId, memberId: persona("Petra Panel").id, excluded: true }, "channel")).card), /Not allowed/);
      await nothingChanged();
    });

    it("the chair's ruling on a conflict nobody declared", async () => {
      const out = await h.click("Charlie Chair", "ruleConflict", { caseId, memberId: persona("Petra Panel").id, excluded: true }, "channel");
      assert.match(cardText(out.card), /has not declared a conflict.*NO_CONFLICT_DECLARED/s);
      await nothingChanged();
    });

    it("a report form with a tampered key", async () => {
      const out = await h.click("Ola Officer", "submitReport", { ...reportInputs(), formKey: "../../etc" });
      assert.match(cardText(out.card), /CARD_DATA_INVALID/);
      assert.equal(await h.stores.references.next("INC"), "INC-0002", "no report was made");
    });
  });

  describe("the decision body's channel", () => {
    it("only the chair or a register administrator chooses it", async () => {
      const [reply] = await h.say("Pam Panel", "panel channel", "channel");
      assert.match(cardText(cardOf(reply)), /Only the chair or a register administrator/);
    });

    it("with no channel chosen, the case is saved and the post is skipped", async () => {
      h = await teamsHarness({ channel: false });
      const { done } = await report(h);
      const refer = actionsOf(done.card).find((a) => a.verb === "showRefer")!;
      const form = await h.click("Max Manager", "showRefer", refer.data);
      const submit = actionsOf(form.card).find((a) => a.verb === "submitRefer")!;
      const out = await h.click("Max Manager", "submitRefer", { ...submit.data, recommendedOutcome: "add-low", summary: "Rude calls to the housing team all week." });
      assert.match(cardText(out.card), /referred/);
      assert.deepEqual(h.channelCards(), []);
    });

    it("in a channel, other words get the channel welcome, never a lookup", async () => {
      const [reply] = await h.say("Ola Officer", "alex.example@example.org", "channel");
      assert.match(cardText(cardOf(reply)), /CALM in this channel/);
    });
  });
});

async function firstSubjectId(h: TeamsHarness): Promise<string | undefined> {
  for await (const s of h.stores.subjects.list()) return s.id;
  return undefined;
}
