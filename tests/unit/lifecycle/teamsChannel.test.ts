// The lifecycle's channel posts through the bot's proactive sender: to the decision body's channel or a named
// one, text only with opaque references, retried on Teams' 429, and a plain error when CALM is not in the channel.
import assert from "node:assert/strict";
import type { TurnContext } from "botbuilder";
import { createMemoryBotStores } from "../../../bot/src/adapters/memory/bot";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { ChannelNotConnectedError, TeamsChannelNotifier } from "../../../bot/src/adapters/teams/lifecycleChannel";
import type { Proactive } from "../../../bot/src/adapters/teams/notifier";

function fakeProactive(failures: number[] = []): { proactive: Proactive; sent: { reference: unknown; activity: Record<string, unknown> }[] } {
  const sent: { reference: unknown; activity: Record<string, unknown> }[] = [];
  const proactive: Proactive = async (reference, logic) => {
    const status = failures.shift();
    if (status !== undefined) throw Object.assign(new Error("throttled"), { statusCode: status });
    const context = { sendActivity: async (activity: Record<string, unknown>) => { sent.push({ reference, activity }); return { id: "a1" }; } } as unknown as TurnContext;
    await logic(context);
  };
  return { proactive, sent };
}

describe("lifecycle channel posts through the Teams bot", () => {
  it("posts to the decision body's channel from its stored conversation reference", async () => {
    const stores = createMemoryBotStores();
    await stores.conversations.put({ key: "channel:decision-body", reference: { conversation: { id: "19:panel@thread.tacv2" } }, updatedAt: "2027-01-01T00:00:00.000Z" });
    const { proactive, sent } = fakeProactive();
    const notifier = new TeamsChannelNotifier({ proactive, conversations: stores.conversations, logger: silentLogger, sleep: async () => undefined });
    await notifier.post({ kind: "review-due", reference: "CAL-0042", title: "CAL-0042 is due for review", text: "CAL-0042 (medium risk) is due for review on 3 March 2027." });
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]!.reference, { conversation: { id: "19:panel@thread.tacv2" } });
    assert.equal(sent[0]!.activity.text, "**CAL-0042 is due for review**\n\nCAL-0042 (medium risk) is due for review on 3 March 2027.");
  });

  it("posts to a marker subscriber's own channel, retrying after Teams says 429", async () => {
    const stores = createMemoryBotStores();
    await stores.conversations.put({ key: "channel:council-tax", reference: { conversation: { id: "19:ctax@thread.tacv2" } }, updatedAt: "2027-01-01T00:00:00.000Z" });
    const { proactive, sent } = fakeProactive([429]);
    const waits: number[] = [];
    const notifier = new TeamsChannelNotifier({ proactive, conversations: stores.conversations, logger: silentLogger, sleep: async (ms) => { waits.push(ms); }, retry: { attempts: 3, baseMs: 10, maxMs: 100 } });
    await notifier.post({ kind: "marker", reference: "CAL-0042", title: "CAL-0042 added", text: "Add your marker." }, "council-tax");
    assert.equal(sent.length, 1);
    assert.deepEqual(waits, [10]);
  });

  it("says plainly when CALM has not been added to the channel", async () => {
    const stores = createMemoryBotStores();
    const notifier = new TeamsChannelNotifier({ proactive: fakeProactive().proactive, conversations: stores.conversations, logger: silentLogger });
    await assert.rejects(notifier.post({ kind: "review-due", title: "x", text: "y" }), (e: unknown) => e instanceof ChannelNotConnectedError && /Add the CALM app to the channel/.test(e.message));
  });
});
