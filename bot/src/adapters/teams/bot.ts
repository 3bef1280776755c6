// CALM's Teams bot: a TeamsActivityHandler that turns messages, card actions and installs into CalmActions calls.
//
// - Personal chat: a greeting or "help" gets the welcome card; "report" the report form; an email, phone number or
//   name (with or without "lookup") a lookup; "cases" the open cases; files are added to the last report as evidence.
// - Channel: "panel channel" (the chair or a register administrator) makes it the decision body's channel.
// - Card actions: Universal Actions (`adaptiveCard/action` invokes) answer with the card to show, in place. The same
//   actions sent by an Action.Submit fallback arrive as messages with a value and get the same answer.
// Every invoke is answered with a proper invoke response within the time budget, never an empty one.
import {
  ActivityTypes,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Attachment,
} from "botbuilder";
import { classifyQuery } from "../../../../core/src/normalise";
import type { CallerDirectory, TeamsIdentity } from "../../ports/callerDirectory";
import { DECISION_BODY_CHANNEL_KEY, type ConversationStore } from "../../ports/conversations";
import type { Clock, Logger } from "../../ports/system";
import type { Casework } from "../../services/casework";
import { CalmActions, isVerb, type ActionResult, type Turn } from "./actions";
import { addEvidenceFromAttachments, type AttachmentFetcher } from "./attachments";
import { cardAttachment } from "./cardMessage";
import { CARD_CONTENT_TYPE, noticeCard } from "./cards/common";
import { evidenceDoneCard } from "./cards/report";

export interface CalmBotDeps {
  actions: CalmActions;
  casework(): Casework | undefined;
  directory: CallerDirectory;
  conversations: ConversationStore;
  clock: Clock;
  logger: Logger;
  fetchAttachment: AttachmentFetcher;
  /** Answer an invoke within this long even if the work is still going (Teams allows a few seconds). */
  invokeBudgetMs?: number;
  /** Called when a user's Teams id becomes known (for `refresh.userIds`). */
  rememberUser(aadObjectId: string, teamsUserId: string): void;
}

const GREETINGS = new Set(["hi", "hello", "hey", "start", "menu", "welcome", "hiya"]);

export function identityOf(activity: TurnContext["activity"]): TeamsIdentity {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenantId = typeof channelData?.tenant?.id === "string" ? channelData.tenant.id : activity.conversation?.tenantId;
  return {
    channelUserId: activity.from?.id ?? "",
    ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(activity.from?.name ? { name: activity.from.name } : {}),
  };
}

function conversationTypeOf(activity: TurnContext["activity"]): Turn["conversationType"] {
  const t = activity.conversation?.conversationType;
  return t === "channel" ? "channel" : t === "groupChat" ? "groupChat" : "personal";
}

export class CalmBot extends TeamsActivityHandler {
  constructor(private readonly deps: CalmBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added = context.activity.membersAdded ?? [];
      // Welcome once, when the bot itself is added (a personal install, or to a team).
      if (added.some((m) => m.id === botId)) {
        const turn = await this.turnOf(context);
        await context.sendActivity(this.cardMessage(this.deps.actions.welcome(turn)));
      }
      await next();
    });
  }

  private async turnOf(context: TurnContext): Promise<Turn> {
    const identity = identityOf(context.activity);
    if (identity.aadObjectId && identity.channelUserId) this.deps.rememberUser(identity.aadObjectId, identity.channelUserId);
    const caller = await this.deps.directory.resolve(identity);
    return { identity, caller, conversationType: conversationTypeOf(context.activity) };
  }

  private cardMessage(result: ActionResult): Partial<TurnContext["activity"]> {
    const message = MessageFactory.attachment(cardAttachment(result.card));
    if (result.preview) message.summary = result.preview;
    return message;
  }

  /** Universal Actions: answer with the card to show in place of the one clicked. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const result = await this.withinBudget(async () => {
      const turn = await this.turnOf(context);
      const action = invokeValue?.action;
      if (!action || action.type !== "Action.Execute") {
        return { card: noticeCard("That button did not work", "CALM did not understand that button, so nothing was changed. Type help to start again.", "error", [], "CARD_ACTION_UNKNOWN") };
      }
      const data = { ...(action.data as Record<string, unknown> | undefined) };
      return this.deps.actions.run(turn, action.verb, data);
    });
    return { statusCode: 200, type: CARD_CONTENT_TYPE, value: result.card as unknown as Record<string, unknown> };
  }

  /** Teams waits a few seconds for an invoke answer. If the work takes longer, answer now that it is still going
   * (the work carries on and the channel card updates when it is done). */
  private async withinBudget(work: () => Promise<ActionResult>): Promise<ActionResult> {
    const budget = this.deps.invokeBudgetMs ?? 4000;
    let timer: NodeJS.Timeout | undefined;
    const running = work().catch((error: unknown) => this.deps.actions.surprise(error));
    const late = new Promise<ActionResult>((resolve) => {
      timer = setTimeout(() => resolve({ card: noticeCard("Still working", "CALM is taking longer than usual. Your action is still being saved: refresh the card in a moment to see it.", "info", [], "STILL_WORKING") }), budget);
    });
    try {
      return await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const turn = await this.turnOf(context);
    const activity = context.activity;
    const value = activity.value as Record<string, unknown> | undefined;

    // An Action.Submit fallback: the same action as Action.Execute, answered by updating the card in place.
    if (value && typeof value === "object" && "calmVerb" in value) {
      const { calmVerb, ...data } = value;
      const result = isVerb(calmVerb) ? await this.deps.actions.run(turn, calmVerb, data) : await this.deps.actions.run(turn, "unknown", data);
      await this.replyInPlace(context, result);
      return;
    }

    const files = (activity.attachments ?? []).filter((a) => a.contentType !== CARD_CONTENT_TYPE && a.contentType !== "text/html");
    const text = TurnContext.removeRecipientMention(activity).replace(/\s+/g, " ").trim();
    if (files.length > 0) {
      await this.handleFiles(context, turn, files, text);
      return;
    }
    const lower = text.toLowerCase();

    if (turn.conversationType !== "personal") {
      if (lower === "panel channel" || lower === "use this channel") {
        await context.sendActivity(this.cardMessage(await this.setPanelChannel(context, turn)));
        return;
      }
      // In a channel the bot only does channel things; reports and lookups belong in a personal chat.
      await context.sendActivity(this.cardMessage(this.deps.actions.welcome(turn)));
      return;
    }
    if (!turn.caller) {
      await context.sendActivity(this.cardMessage(this.deps.actions.welcome(turn)));
      return;
    }
    let result: ActionResult;
    if (lower === "" || GREETINGS.has(lower)) result = this.deps.actions.welcome(turn);
    else if (lower === "help" || lower === "?") result = this.deps.actions.help();
    else if (lower === "report" || lower === "report an incident") result = await this.deps.actions.run(turn, "showReport", {});
    else if (lower === "cases" || lower === "open cases") result = await this.deps.actions.run(turn, "listCases", {});
    else if (lower.startsWith("lookup ") || lower.startsWith("look up ")) result = await this.deps.actions.run(turn, "lookup", { query: text.replace(/^look ?up\s+/i, "") });
    else if (classifyQuery(text)) result = await this.deps.actions.run(turn, "lookup", { query: text });
    else result = this.deps.actions.help();
    await context.sendActivity(this.cardMessage(result));
  }

  private async replyInPlace(context: TurnContext, result: ActionResult): Promise<void> {
    const replyTo = context.activity.replyToId;
    if (replyTo) {
      try {
        await context.updateActivity({ ...this.cardMessage(result), id: replyTo, type: ActivityTypes.Message });
        return;
      } catch (error) {
        // Some clients cannot have a card updated (it is too old, or not the bot's): send the answer as a new card.
        this.deps.logger.warn("bot.update_in_place_failed", { error: error instanceof Error ? error.name : "unknown" });
      }
    }
    await context.sendActivity(this.cardMessage(result));
  }

  private async setPanelChannel(context: TurnContext, turn: Turn): Promise<ActionResult> {
    const caller = turn.caller;
    if (!caller || !(caller.roles.includes("chair") || caller.roles.includes("register-admin"))) {
      return { card: noticeCard("Not allowed", "Only the chair or a register administrator can choose the decision body's channel. Nothing was changed.", "error", [], "FORBIDDEN") };
    }
    const reference = TurnContext.getConversationReference(context.activity);
    // Post new cases as new posts in the channel, not as replies in this thread.
    const conversation = { ...reference.conversation, id: String(reference.conversation?.id ?? "").split(";")[0] };
    await this.deps.conversations.put({ key: DECISION_BODY_CHANNEL_KEY, reference: JSON.parse(JSON.stringify({ ...reference, conversation })) as Record<string, unknown>, updatedAt: this.deps.clock.now().toISOString() });
    this.deps.logger.info("bot.panel_channel_set", {});
    return { card: noticeCard("This is now the decision body's channel", "New cases are posted here for a vote. Members vote on the card; the chair closes the vote.", "done") };
  }

  private async handleFiles(context: TurnContext, turn: Turn, files: Attachment[], text: string): Promise<void> {
    const caller = turn.caller;
    const casework = this.deps.casework();
    if (!caller || !casework || turn.conversationType !== "personal") {
      await context.sendActivity(this.cardMessage({ card: noticeCard("Files not added", "Send evidence files in your personal chat with CALM, after you have sent a report.", "error", [], "EVIDENCE_NOT_HERE") }));
      return;
    }
    const named = /\bINC-\d{4,}\b/i.exec(text)?.[0]?.toUpperCase();
    const state = (await this.deps.conversations.get(`user:${caller.id}`))?.state;
    if (!state?.lastIncidentId || (named && named !== state.lastIncidentReference)) {
      await context.sendActivity(this.cardMessage({ card: noticeCard("Which report are these for?", named ? `You can add files here only to your most recent report${state?.lastIncidentReference ? ` (${state.lastIncidentReference})` : ""}. To add to ${named}, use the staff portal.` : "Send a report first (type report), then attach the files here.", "error", [], "EVIDENCE_NO_REPORT") }));
      return;
    }
    const added = await addEvidenceFromAttachments({ files, fetch: this.deps.fetchAttachment, incidents: casework.incidents, caller, incidentId: state.lastIncidentId, logger: this.deps.logger });
    await context.sendActivity(MessageFactory.attachment(cardAttachment(evidenceDoneCard({ reference: state.lastIncidentReference ?? "your report", added }))));
  }
}
