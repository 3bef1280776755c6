// The lifecycle's channel posts (reviews due, appeal reminders, marker notifications) as proactive Teams messages,
// through the bot's stored conversation references and with the same 429/503 backoff as the case cards. The
// decision body's channel is `channel:decision-body`; a marker subscription names another channel by the id its
// reference is stored under (`channel:<id>`), which the bot records when it is added to that channel.
import type { ConversationReference } from "botbuilder";
import { DECISION_BODY_CHANNEL_KEY, type ConversationStore } from "../../ports/conversations";
import type { ChannelMessage, ChannelNotifier } from "../../ports/lifecycle";
import type { Logger } from "../../ports/system";
import { withThrottleRetry, type Proactive, type RetryPolicy } from "./notifier";

export class ChannelNotConnectedError extends Error {
  readonly code = "CHANNEL_NOT_CONNECTED";
  constructor(key: string) {
    super(`CALM has no conversation for ${key.startsWith("channel:decision-body") ? "the decision body's channel" : "that channel"}. Add the CALM app to the channel in Teams, then the post is retried.`);
    this.name = "ChannelNotConnectedError";
  }
}

export interface TeamsChannelNotifierDeps {
  proactive: Proactive;
  conversations: ConversationStore;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  retry?: RetryPolicy;
}

/** Markdown-safe: the message text is CALM's own (references and dates), but a reference could in principle
 * carry characters Teams would format. */
function plain(text: string): string {
  return text.replace(/([\\*_`[\]<>])/g, "\\$1");
}

export class TeamsChannelNotifier implements ChannelNotifier {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: TeamsChannelNotifierDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async post(message: ChannelMessage, conversationId?: string): Promise<void> {
    const key = conversationId === undefined ? DECISION_BODY_CHANNEL_KEY : `channel:${conversationId}`;
    const record = await this.deps.conversations.get(key);
    if (!record) throw new ChannelNotConnectedError(key);
    await withThrottleRetry(
      () =>
        this.deps.proactive(record.reference as Partial<ConversationReference>, async (context) => {
          await context.sendActivity({ type: "message", textFormat: "markdown", text: `**${plain(message.title)}**\n\n${plain(message.text)}`, summary: message.title });
        }),
      this.sleep,
      this.deps.retry,
      (status, waitMs) => this.deps.logger.warn("lifecycle.channel_throttled", { status, waitMs, kind: message.kind }),
    );
  }
}
