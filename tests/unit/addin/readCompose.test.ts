// The add-in's read and compose handlers against Outlook hosts made with office-addin-mock, talking to the real
// server (memory stores, test tokens) over HTTP: listed, not listed, the API down or hanging (a clear message and
// no crash), malformed addresses, the SPOC never stopped, the send-anyway reason audited and honoured.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createApi, type Api } from "../../../addin/src/api";
import { applyBar, barText, checkMessage, ReadController, type SenderCheck } from "../../../addin/src/handlers/read";
import { alertText, checkCompose, COMPOSE_PANE_COMMAND_ID, onMessageSend, onRecipientsChanged, recordSendAnyway, SEND_ANYWAY_KEY } from "../../../addin/src/handlers/compose";
import { NOTIFICATION_KEYS, onItemChanged } from "../../../addin/src/outlook";
import { startTestApp, type TestApp } from "../../support/testApp";
import { anEntry, aSubject } from "../../support/fixtures";
import { composeHost, readHost, ssoHost, uninstall, type Addr } from "./officeMock";

const ALEX: Addr = { displayName: "Alex Example", emailAddress: "alex.example@example.org" };
const JAMIE: Addr = { displayName: "Jamie Sample", emailAddress: "jamie.sample@example.org" };
const PAT: Addr = { displayName: "Pat Public", emailAddress: "pat.public@example.com" };
const SPOC: Addr = { displayName: "Housing SPOC", emailAddress: "spoc.housing@calm-demo.example" };

describe("Add-in handlers with office-addin-mock", () => {
  let t: TestApp;
  let api: Api;
  let down: Api;
  let hanging: Api;
  let hangServer: http.Server;
  let alexRef: string;

  before(async () => {
    t = await startTestApp();
    const alex = await t.stores.subjects.create(aSubject({ emails: [ALEX.emailAddress] }));
    alexRef = (await t.stores.register.create(anEntry(alex.id, "medium"))).reference;
    const jamie = await t.stores.subjects.create(aSubject({ displayName: "Jamie Sample", emails: [JAMIE.emailAddress], phones: [] }));
    await t.stores.register.create(anEntry(jamie.id, "high", { spoc: undefined, restrictions: [] }));
    await t.app.services.lookup.subjectChanged(alex.id);
    await t.app.services.lookup.subjectChanged(jamie.id);
    const token = await t.issuer.token({ roles: ["officer"], claims: { preferred_username: "ola.officer@calm-demo.example", calm_services: ["Housing"] } });
    api = createApi({ baseUrl: t.url, getToken: async () => ({ ok: true, token }) });
    // A port nothing listens on (bound, then closed), and a server that never answers.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    down = createApi({ baseUrl: `http://127.0.0.1:${closedPort}`, getToken: async () => ({ ok: true, token }) });
    hangServer = http.createServer(() => undefined);
    await new Promise<void>((r) => hangServer.listen(0, "127.0.0.1", () => r()));
    hanging = createApi({ baseUrl: `http://127.0.0.1:${(hangServer.address() as AddressInfo).port}`, getToken: async () => ({ ok: true, token }), timeoutMs: 300 });
  });
  after(async () => {
    uninstall();
    hangServer.closeAllConnections();
    await new Promise<void>((r) => hangServer.close(() => r()));
    await t.stop();
  });

  describe("read mode", () => {
    it("flags a listed sender and puts the bar on the message, never the reason", async () => {
      const { record } = readHost({ from: ALEX });
      const check = await checkMessage(api, "Customer Alert List");
      assert.equal(check.state, "checked");
      assert.ok(check.state === "checked" && check.senderListed);
      await applyBar(check);
      assert.deepEqual([...record.bars.values()], [{ type: "informationalMessage", message: "Sender is on the Customer Alert List — see guidance" }]);
    });

    it("puts no bar on a message from someone not listed, and removes a stale one", async () => {
      const { record } = readHost({ from: PAT });
      record.bars.set(NOTIFICATION_KEYS.sender, { type: "informationalMessage", message: "old" });
      const check = await checkMessage(api, "Customer Alert List");
      assert.ok(check.state === "checked" && !check.senderListed && check.listed.length === 0 && check.senderValid);
      await applyBar(check);
      assert.equal(record.bars.size, 0);
    });

    it("flags a listed person on Cc with their own wording", async () => {
      const { record } = readHost({ from: PAT, cc: [JAMIE, { displayName: "pat again", emailAddress: "PAT.public@example.com" }] });
      const check = await checkMessage(api, "Customer Alert List");
      assert.ok(check.state === "checked");
      assert.deepEqual(check.listed.map((l) => [l.role, l.address.emailAddress]), [["cc", JAMIE.emailAddress]]);
      await applyBar(check);
      assert.equal(record.bars.get(NOTIFICATION_KEYS.sender)?.message, "Someone copied in is on the Customer Alert List — see guidance");
    });

    it("answers a malformed sender as not checkable, without failing", async () => {
      readHost({ from: { displayName: "Scanner", emailAddress: "not-an-address" }, cc: [ALEX] });
      const check = await checkMessage(api, "Customer Alert List");
      assert.ok(check.state === "checked");
      assert.equal(check.senderValid, false);
      assert.equal(check.listed[0]?.role, "cc");
    });

    it("copes with no sender at all and with nothing selected", async () => {
      readHost({});
      const check = await checkMessage(api, "Customer Alert List");
      assert.ok(check.state === "checked" && !check.sender && check.listed.length === 0);
      ssoHost(() => Promise.resolve("unused"));
      assert.deepEqual(await checkMessage(api, "Customer Alert List"), { state: "no-message" });
    });

    it("says CALM could not be reached when the API is down, removes any bar, and does not throw", async () => {
      const { record } = readHost({ from: ALEX });
      record.bars.set(NOTIFICATION_KEYS.sender, { type: "informationalMessage", message: "from the previous message" });
      const check = await checkMessage(down, "Customer Alert List");
      assert.ok(check.state === "failed");
      assert.equal(check.code, "API_UNREACHABLE");
      assert.match(check.error, /CALM could not be reached\. Check your connection and try again/);
      await applyBar(check);
      assert.equal(record.bars.size, 0);
    });

    it("gives up on a server that never answers, with its own message", async () => {
      readHost({ from: ALEX });
      const started = Date.now();
      const check = await checkMessage(hanging, "Customer Alert List");
      assert.ok(check.state === "failed" && check.code === "API_TIMEOUT", JSON.stringify(check));
      assert.ok(Date.now() - started < 3000);
      assert.match(check.error, /took too long/);
    });

    it("checks a message with a hundred and twenty people on Cc in batches the API accepts", async () => {
      const many = Array.from({ length: 120 }, (_, i) => ({ displayName: `Person ${i}`, emailAddress: `person${i}@example.com` }));
      readHost({ from: PAT, cc: [...many, ALEX] });
      const check = await checkMessage(api, "Customer Alert List");
      assert.ok(check.state === "checked");
      assert.deepEqual(check.listed.map((l) => l.address.emailAddress), [ALEX.emailAddress]);
    });

    it("uses 'take care' wording for people who see only the minimum", () => {
      const person = (role: "sender" | "cc") => ({ role, address: ALEX, result: { address: ALEX.emailAddress, listed: true, valid: true, matches: [{ card: { view: "minimum" } }] } });
      assert.equal(barText("Customer Alert List", [person("sender")] as never), "Take care with this sender — see the CALM guidance before you reply");
      assert.equal(barText("Customer Alert List", [person("cc")] as never), "Take care: someone copied in has CALM guidance — see it before you reply");
      assert.equal(barText("Customer Alert List", []), undefined);
    });

    it("follows the reader while pinned, and drops an answer that arrives after they moved on", async () => {
      const { record, mock } = readHost({ from: ALEX, itemId: "first" });
      const seen: SenderCheck[] = [];
      const controller = new ReadController({ api, registerName: "Customer Alert List", onResult: (c) => seen.push(c) });
      const first = controller.refresh();
      // The reader moves on before the first answer comes back.
      const item = (mock as unknown as { context: { mailbox: { item: { itemId: string; from: Addr } } } }).context.mailbox.item;
      item.itemId = "second";
      item.from = PAT;
      const second = controller.refresh();
      assert.equal(await first, undefined, "the first answer is dropped");
      const latest = await second;
      assert.ok(latest?.state === "checked" && !latest.senderListed);
      assert.equal(seen.length, 1);
      assert.equal(record.bars.size, 0, "no bar from the first message on the second");
    });
  });

  describe("following the selected message", () => {
    it("asks Office for one ItemChanged handler however many views listen, and stops calling a view that left", async () => {
      const { record } = readHost({ from: ALEX });
      const calls: string[] = [];
      const stopA = await onItemChanged(() => calls.push("a"));
      await onItemChanged(() => calls.push("b"));
      assert.equal(record.itemChanged.length, 1);
      record.itemChanged[0]!();
      stopA();
      record.itemChanged[0]!();
      assert.deepEqual(calls, ["a", "b", "b"]);
    });
  });

  describe("compose mode", () => {
    it("warns the author while writing to a person whose contact goes through a SPOC, and always completes the event", async () => {
      const { record, event } = composeHost({ to: [PAT, ALEX] });
      await onRecipientsChanged(event(), api);
      assert.match(record.bars.get(NOTIFICATION_KEYS.recipients)!.message, /contact restriction: only Sam Spoc replies/);
      assert.deepEqual(record.completed, [null]);
    });

    it("takes the bar away when the restricted person is removed", async () => {
      const { record, event } = composeHost({ to: [PAT] });
      record.bars.set(NOTIFICATION_KEYS.recipients, { type: "informationalMessage", message: "old" });
      await onRecipientsChanged(event(), api);
      assert.equal(record.bars.size, 0);
      assert.equal(record.completed.length, 1);
    });

    it("tells the SPOC they are the SPOC, and never stops them (sending from the shared inbox)", async () => {
      const spocToken = await t.issuer.token({ roles: ["officer"], claims: { preferred_username: SPOC.emailAddress, calm_services: ["Housing"] } });
      const asSpoc = createApi({ baseUrl: t.url, getToken: async () => ({ ok: true, token: spocToken }) });
      const { record, event } = composeHost({ to: [ALEX] });
      await onRecipientsChanged(event(), asSpoc);
      assert.match(record.bars.get(NOTIFICATION_KEYS.recipients)!.message, /You are the single point of contact/);
      assert.deepEqual(await onMessageSend(event(), asSpoc), { allowed: true, reason: "nothing-restricted" });
      const fromInbox = composeHost({ to: [ALEX], from: SPOC });
      assert.deepEqual(await onMessageSend(fromInbox.event(), api), { allowed: true, reason: "nothing-restricted" });
      assert.deepEqual(fromInbox.record.completed, [{ allowEvent: true }]);
    });

    it("stops a non-SPOC on send with a Smart Alert that names the SPOC and opens the pane to give a reason", async () => {
      const { record, event } = composeHost({ to: [ALEX], cc: [PAT] });
      assert.deepEqual(await onMessageSend(event(), api), { allowed: false, reason: "restricted" });
      const [options] = record.completed as { allowEvent: boolean; errorMessage: string; cancelLabel?: string; commandId?: string }[];
      assert.equal(options!.allowEvent, false);
      assert.equal(options!.cancelLabel, "Give a reason");
      assert.equal(options!.commandId, COMPOSE_PANE_COMMAND_ID);
      assert.ok(options!.errorMessage.length <= 500);
      assert.match(options!.errorMessage, /^alex\.example@example\.org has a contact restriction in CALM\. Only reply from the Housing SPOC mailbox\./);
      assert.match(options!.errorMessage, /Sam Spoc \(spoc\.housing@calm-demo\.example\)/);
      assert.match(options!.errorMessage, /Give a reason to send anyway: your reason is recorded\.$/);
    });

    it("on clients before Mailbox 1.14, stops without the button it cannot show", async () => {
      const { record, event } = composeHost({ to: [ALEX], mailboxVersion: "1.12" });
      await onMessageSend(event(), api);
      const [options] = record.completed as Record<string, unknown>[];
      assert.equal(options!.allowEvent, false);
      assert.equal("commandId" in options!, false);
    });

    it("lets the email go when CALM is down or hangs (a soft block never holds mail up), and says so while writing", async () => {
      for (const broken of [down, hanging]) {
        const { record, event } = composeHost({ to: [ALEX] });
        assert.deepEqual(await onMessageSend(event(), broken), { allowed: true, reason: "api-failed" });
        assert.deepEqual(record.completed, [{ allowEvent: true }]);
        await onRecipientsChanged(event(), broken);
        assert.match(record.bars.get(NOTIFICATION_KEYS.recipients)!.message, /could not check these recipients just now/);
      }
    });

    it("lets the email go when Outlook cannot give the recipients, and still completes the event", async () => {
      const { record, event } = composeHost({ to: [ALEX], failRecipients: true });
      assert.deepEqual(await onMessageSend(event(), api), { allowed: true, reason: "outlook-failed" });
      await onRecipientsChanged(event(), api);
      assert.equal(record.completed.length, 2);
    });

    it("sends after a reason is recorded (audited against the entry), and asks again when someone new is restricted", async () => {
      const host = composeHost({ to: [ALEX] });
      const check = await checkCompose(api);
      assert.ok(check.state === "checked");
      const saved = await recordSendAnyway(api, { check, reason: "spoc-asked", note: "Sam asked me to confirm the appointment.", now: new Date("2026-11-23T10:00:00Z") });
      assert.deepEqual(saved, { ok: true, references: [alexRef] });
      assert.ok(host.record.session.get(SEND_ANYWAY_KEY));
      const audit = (await t.stores.audit.listByActor("33333333-3333-4333-8333-333333333333")).filter((e) => e.action === "send-anyway");
      assert.ok(audit.some((e) => e.what.includes("reason:spoc-asked") && e.what.includes(alexRef)), "audited");
      assert.deepEqual(await onMessageSend(host.event(), api), { allowed: true, reason: "reason-recorded" });
      // The author adds a second restricted person after giving the reason: asked again.
      const jamieRestricted = await t.stores.subjects.create(aSubject({ displayName: "Robin Referral", emails: ["robin.referral@example.org"], phones: [] }));
      await t.stores.register.create(anEntry(jamieRestricted.id, "medium"));
      await t.app.services.lookup.subjectChanged(jamieRestricted.id);
      const again = composeHost({ to: [ALEX, { displayName: "Robin", emailAddress: "robin.referral@example.org" }] });
      again.record.session.set(SEND_ANYWAY_KEY, host.record.session.get(SEND_ANYWAY_KEY)!);
      assert.deepEqual(await onMessageSend(again.event(), api), { allowed: false, reason: "restricted" });
    });

    it("ignores a damaged note on the email rather than trusting it", async () => {
      const host = composeHost({ to: [ALEX] });
      host.record.session.set(SEND_ANYWAY_KEY, "{not json");
      assert.deepEqual(await onMessageSend(host.event(), api), { allowed: false, reason: "restricted" });
    });

    it("explains when Outlook cannot keep the reason on the email (before Mailbox 1.11), after CALM recorded it", async () => {
      composeHost({ to: [ALEX], mailboxVersion: "1.10" });
      const check = await checkCompose(api);
      assert.ok(check.state === "checked");
      const saved = await recordSendAnyway(api, { check, reason: "other", now: new Date() });
      assert.ok(!saved.ok);
      assert.equal(saved.code, "OUTLOOK_NOTE_FAILED");
      assert.match(saved.message, /Your reason is recorded in CALM, but .*Mailbox 1\.11/);
    });

    it("answers malformed recipients without crashing, and checks only the real ones", async () => {
      composeHost({ to: [{ displayName: "Unresolved name", emailAddress: "" }, { displayName: "x", emailAddress: "no-at-sign" }, ALEX], cc: [{ displayName: "ALEX", emailAddress: "ALEX.EXAMPLE@example.org" }] });
      const check = await checkCompose(api);
      assert.ok(check.state === "checked");
      assert.deepEqual(check.guards.map((g) => [g.address, g.valid, g.listed]), [["no-at-sign", false, false], [ALEX.emailAddress, true, true]]);
    });

    it("keeps the Smart Alert within 500 characters whatever the restriction says", () => {
      const long = { address: "a".repeat(200) + "@example.org", valid: true, listed: true, whatToDo: [], restrictions: [{ kind: "single-point-of-contact", effect: "stop" as const, text: "x ".repeat(400) }], spoc: { displayName: "S".repeat(120), mailbox: "s@example.org" }, youAreSpoc: false, stopsSend: true, warns: true };
      const text = alertText([long, long]);
      assert.ok(text.length <= 500, String(text.length));
      assert.match(text, /and 1 more has a contact restriction/);
    });
  });
});
