// The whole application with its Teams bot, driven through botbuilder's TestAdapter: personas talk to the bot in
// their personal chats and in the decision body's channel, click card actions (adaptiveCard/action invokes) and
// see what the bot sends, updates in place, or answers. Memory stores, a fake clock, the Dorset preset.
import { TestAdapter, TurnContext, type Activity, type ConversationReference } from "botbuilder";
import { createMemoryStores } from "../../bot/src/adapters/memory";
import { createMemoryBotStores } from "../../bot/src/adapters/memory/bot";
import { MemoryBlobStore } from "../../bot/src/adapters/memory/blobs";
import { TokenValidator } from "../../bot/src/adapters/http/auth";
import { PERSONAS, type Persona } from "../../bot/src/adapters/http/devSignIn";
import { FakeClock } from "../../bot/src/adapters/system/clock";
import { silentLogger } from "../../bot/src/adapters/system/logger";
import { personaRoleMap } from "../../bot/src/adapters/teams/personas";
import type { Proactive } from "../../bot/src/adapters/teams/notifier";
import type { AttachmentFetcher } from "../../bot/src/adapters/teams/attachments";
import { createApp, type App } from "../../bot/src/app";
import { bindPolicy } from "../../bot/src/policyBinding";
import type { BotStores } from "../../bot/src/ports/conversations";
import type { Stores } from "../../bot/src/ports/stores";
import { getPreset } from "../../core/src/policy/presets";
import { demoPanel } from "../../scripts/demo/panel";

export const TENANT = "00000000-0000-4000-8000-00000000c41a";
export const CHANNEL_ID = "19:calm-panel@thread.tacv2";

export type Card = { body?: unknown[]; actions?: unknown[]; refresh?: { action: { verb: string; data: Record<string, unknown> }; userIds?: string[] }; [k: string]: unknown };

export function persona(name: string): Persona {
  const p = PERSONAS.find((x) => x.displayName === name);
  if (!p) throw new Error(`No persona ${name}`);
  return p;
}

/** Every piece of text on a card (TextBlocks, TextRuns, facts, input labels and values, action titles). */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    for (const k of ["text", "title", "label", "value"]) if (typeof o[k] === "string") out.push(o[k]);
    for (const v of Object.values(o)) if (typeof v === "object") walk(v);
  };
  walk(card);
  return out.join("\n");
}

/** Every Action.Execute on a card (in ActionSets, ShowCards and at the card's foot). */
export function actionsOf(card: unknown): { title: string; verb: string; data: Record<string, unknown>; fallback?: { type: string; data: Record<string, unknown> } }[] {
  const found: { title: string; verb: string; data: Record<string, unknown>; fallback?: { type: string; data: Record<string, unknown> } }[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.type === "Action.Execute" && typeof o.verb === "string" && o.verb !== "refresh") found.push(o as never);
    for (const [k, v] of Object.entries(o)) if (k !== "refresh" && k !== "fallback" && typeof v === "object") walk(v);
  };
  walk(card);
  return found;
}

export function cardOf(activity: Partial<Activity> | undefined): Card {
  const a = activity?.attachments?.[0];
  if (!a || a.contentType !== "application/vnd.microsoft.card.adaptive") throw new Error(`Not a card: ${JSON.stringify(activity).slice(0, 300)}`);
  return a.content as Card;
}

export interface TeamsHarness {
  app: App;
  adapter: TestAdapter;
  stores: Stores;
  bot: BotStores;
  blobs: MemoryBlobStore;
  clock: FakeClock;
  /** Sends a message as the persona; returns the activities the bot sent in reply. */
  say(who: string, text: string, where?: "personal" | "channel", extra?: Partial<Activity>): Promise<Partial<Activity>[]>;
  /** Clicks an Action.Execute as the persona; returns the invoke response. */
  click(who: string, verb: unknown, data: unknown, where?: "personal" | "channel"): Promise<{ status: number; type: string; card: Card }>;
  /** The activities in the channel (the posted vote cards, updated in place). */
  channelCards(): Card[];
  settle(): Promise<void>;
}

export async function teamsHarness(options: { preset?: string; fetchAttachment?: AttachmentFetcher; channel?: boolean } = {}): Promise<TeamsHarness> {
  const profile = getPreset(options.preset ?? "dorset")!;
  const stores = createMemoryStores();
  const bot = createMemoryBotStores();
  const blobs = new MemoryBlobStore();
  const clock = new FakeClock("2026-11-23T10:00:00.000Z");
  for (const seat of demoPanel(profile, clock.now().toISOString())) await bot.decisionBody.put(seat);
  const adapter = new TestAdapter(async (context) => {
    await app.services.teams.bot.run(context);
  });
  const channelActivities: Partial<Activity>[] = [];
  const proactive: Proactive = async (reference: Partial<ConversationReference>, logic) => {
    const context = new TurnContext(adapter, TurnContext.applyConversationReference({ type: "event", name: "proactive" }, reference, true));
    // The test adapter keeps sent activities in one queue; keep the channel's apart so the tests can read them.
    context.onSendActivities(async (_ctx, activities, next) => {
      const responses = await next();
      activities.forEach((a, i) => channelActivities.push({ ...a, id: responses[i]?.id ?? a.id }));
      adapter.activeQueue.splice(0, adapter.activeQueue.length, ...adapter.activeQueue.filter((q) => !activities.includes(q)));
      return responses;
    });
    context.onUpdateActivity(async (_ctx, activity, next) => {
      const i = channelActivities.findIndex((a) => a.id === activity.id);
      if (i >= 0) channelActivities.splice(i, 1, activity);
      else throw Object.assign(new Error("No such activity"), { statusCode: 404 });
      return next();
    });
    await logic(context);
  };
  let n = 0;
  const app: App = createApp({
    stores,
    policy: bindPolicy(profile),
    tokens: new TokenValidator({ tenantId: TENANT, audiences: ["a"], issuers: ["i"], requiredScope: "s", keys: { jwks: { keys: [] } } }),
    clock,
    ids: { next: () => `id-${++n}` },
    logger: silentLogger,
    botStores: bot,
    blobs,
    ballotSleep: async () => undefined,
    bot: {
      allowUnauthenticated: true,
      roleMap: personaRoleMap(PERSONAS),
      proactive,
      sleep: async () => undefined,
      invokeBudgetMs: 5000,
      tabUrl: "https://calm.example/tab/",
      ...(options.fetchAttachment ? { fetchAttachment: options.fetchAttachment } : {}),
    },
  });
  const built = app;

  const activityFor = (who: string, where: "personal" | "channel"): Partial<Activity> => {
    const p = persona(who);
    return {
      channelId: "msteams",
      serviceUrl: "https://smba.example/uk/",
      from: { id: `29:${p.id}`, aadObjectId: p.id, name: p.displayName },
      recipient: { id: "28:calm", name: "CALM" },
      conversation: where === "channel"
        ? { id: `${CHANNEL_ID};messageid=1700000000000`, conversationType: "channel", isGroup: true, tenantId: TENANT, name: "Panel" }
        : { id: `a:personal-${p.id}`, conversationType: "personal", isGroup: false, tenantId: TENANT, name: "" },
      channelData: { tenant: { id: TENANT } },
    };
  };

  const h: TeamsHarness = {
    app: built,
    adapter,
    stores,
    bot,
    blobs,
    clock,
    async say(who, text, where = "personal", extra = {}) {
      adapter.activeQueue.splice(0);
      await adapter.processActivity({ ...activityFor(who, where), type: "message", text, ...extra });
      await h.settle();
      return adapter.activeQueue.splice(0);
    },
    async click(who, verb, data, where = "personal") {
      adapter.activeQueue.splice(0);
      await adapter.processActivity({ ...activityFor(who, where), type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" } });
      await h.settle();
      const replies = adapter.activeQueue.splice(0);
      const response = replies.find((a) => a.type === "invokeResponse");
      if (!response) throw new Error(`No invoke response among ${replies.map((r) => r.type).join(", ")}`);
      const value = response.value as { status: number; body: { statusCode: number; type: string; value: Card } };
      return { status: value.body.statusCode, type: value.body.type, card: value.body.value };
    },
    channelCards: () => channelActivities.map((a) => cardOf(a)),
    async settle() {
      await built.services.casework?.cases.settled();
      await built.services.teams.notifier.idle();
    },
  };
  if (options.channel !== false) {
    const replies = await h.say("Charlie Chair", "panel channel", "channel");
    if (!cardText(cardOf(replies[0])).includes("decision body's channel")) throw new Error("Could not set the panel channel");
  }
  return h;
}
