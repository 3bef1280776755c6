// Posting to the decision body's channel without being spoken to (proactive messages), within Teams' rate limits.
//
// - caseOpened: posts the case's vote card to the channel (a stored conversation reference) and keeps the new
//   activity's id, so the card can be updated in place. Posting twice for one case updates instead.
// - caseChanged: updates that card for everyone. Updates for one case are coalesced: the first change waits a short
//   moment (`coalesceMs`) for others, one update runs at a time and at most one more is queued, so six members voting
//   at once cause one or two updates, not six: kinder to Teams' per-conversation limit.
// - A 429 (or 503) from the Bot Connector is retried after its Retry-After, else with exponential backoff.
import { TeamsInfo, type ConversationReference, type TurnContext } from "botbuilder";
import type { CaseNotifier } from "../../ports/caseNotifier";
import { DECISION_BODY_CHANNEL_KEY, type ConversationStore } from "../../ports/conversations";
import type { Case } from "../../../../core/src/domain";
import type { Clock, Logger } from "../../ports/system";
import type { Casework } from "../../services/casework";
import type { CalmActions } from "./actions";
import { parseRetryAfter } from "../http/retryAfter";
import { cardAttachment } from "./cardMessage";
import type { UserIds } from "./userIds";

/** Runs `logic` in a stored conversation (CloudAdapter.continueConversationAsync, or a test adapter's). */
export type Proactive = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 1000, maxMs: 16_000 };

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown } | undefined;
  const s = e?.statusCode ?? e?.status;
  return typeof s === "number" ? s : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined | null } } } | undefined)?.response?.headers;
  const value = typeof headers?.get === "function" ? headers.get("retry-after") : undefined;
  return value ? parseRetryAfter(value, Date.now()) : undefined;
}

/** Runs `send`, retrying on 429 Too Many Requests and 503 with the service's Retry-After or backoff. */
export async function withThrottleRetry<T>(send: () => Promise<T>, sleep: (ms: number) => Promise<void>, policy: RetryPolicy = DEFAULT_RETRY, onRetry?: (status: number, waitMs: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const status = statusOf(error);
      if ((status !== 429 && status !== 503) || attempt >= policy.attempts) throw error;
      const wait = Math.min(policy.maxMs, retryAfterMs(error) ?? policy.baseMs * 2 ** (attempt - 1));
      onRetry?.(status, wait);
      await sleep(wait);
    }
  }
}

export interface NotifierDeps {
  proactive?: Proactive;
  conversations: ConversationStore;
  actions: CalmActions;
  casework(): Casework | undefined;
  userIds: UserIds;
  clock: Clock;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  retry?: RetryPolicy;
  /** How long the first change to a case waits for others before the card is updated (default 300 ms). */
  coalesceMs?: number;
}

export class TeamsCaseNotifier implements CaseNotifier {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly sleep: (ms: number) => Promise<void>;
  /** Where each case's card was posted (it never moves), so an update needs no store read. */
  private readonly posted = new Map<string, { reference: Record<string, unknown>; activityId: string }>();

  constructor(private readonly deps: NotifierDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private send<T>(what: string, run: () => Promise<T>): Promise<T> {
    return withThrottleRetry(run, this.sleep, this.deps.retry, (status, waitMs) => this.deps.logger.warn("bot.throttled", { what, status, waitMs }));
  }

  async caseOpened(c: Case): Promise<void> {
    const proactive = this.deps.proactive;
    const cw = this.deps.casework();
    if (!proactive || !cw) return;
    const existing = await this.deps.conversations.get(`card:${c.id}`);
    if (existing?.activityId) return this.caseChanged(c.id);
    const channel = await this.deps.conversations.get(DECISION_BODY_CHANNEL_KEY);
    if (!channel) {
      this.deps.logger.warn("bot.panel_channel_not_set", { case: c.reference });
      return;
    }
    const view = await cw.cases.channelView(c.id);
    if (!view) return;
    let activityId: string | undefined;
    await this.send("post", () =>
      proactive(channel.reference as Partial<ConversationReference>, async (context) => {
        await this.discoverMembers(context, (c.members ?? []).map((m) => m.id));
        const result = await this.deps.actions.render(view, undefined);
        const sent = await context.sendActivity({ type: "message", attachments: [cardAttachment(result.card)], ...(result.preview ? { summary: result.preview } : {}) });
        activityId = sent?.id;
      }),
    );
    if (!activityId) {
      this.deps.logger.warn("bot.post_without_id", { case: c.reference });
      return;
    }
    await this.deps.conversations.put({ key: `card:${c.id}`, reference: channel.reference, activityId, updatedAt: this.deps.clock.now().toISOString() });
    this.posted.set(c.id, { reference: channel.reference, activityId });
    this.deps.logger.info("bot.case_posted", { case: c.reference });
  }

  /** Updates the channel card; coalesces bursts for one case. */
  caseChanged(caseId: string): Promise<void> {
    const current = this.running.get(caseId);
    if (current) {
      this.again.add(caseId);
      return current;
    }
    const run = (async () => {
      try {
        if ((this.deps.coalesceMs ?? 300) > 0) await this.sleep(this.deps.coalesceMs ?? 300);
        do {
          this.again.delete(caseId);
          await this.update(caseId);
        } while (this.again.has(caseId));
      } finally {
        this.running.delete(caseId);
      }
    })();
    this.running.set(caseId, run);
    return run;
  }

  /** Waits for updates in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private async update(caseId: string): Promise<void> {
    const proactive = this.deps.proactive;
    const cw = this.deps.casework();
    if (!proactive || !cw) return;
    let posted = this.posted.get(caseId);
    if (!posted) {
      const stored = await this.deps.conversations.get(`card:${caseId}`);
      if (!stored?.activityId) return;
      posted = { reference: stored.reference, activityId: stored.activityId };
      this.posted.set(caseId, posted);
    }
    const view = await cw.cases.channelView(caseId);
    if (!view) return;
    const result = await this.deps.actions.render(view, undefined);
    const id = posted.activityId;
    await this.send("update", () =>
      proactive(posted.reference as Partial<ConversationReference>, async (context) => {
        await context.updateActivity({ id, type: "message", attachments: [cardAttachment(result.card)], ...(result.preview ? { summary: result.preview } : {}) });
      }),
    );
  }

  /** Learns the Teams ids of members CALM has not seen yet, so their cards refresh to their own view. */
  private async discoverMembers(context: TurnContext, memberIds: string[]): Promise<void> {
    for (const id of memberIds) {
      if (this.deps.userIds.known(id)) continue;
      try {
        const member = await TeamsInfo.getMember(context, id);
        if (member?.id) this.deps.userIds.remember(id, member.id);
      } catch (error) {
        // Not every channel can look members up (and a member may not be in the team yet): they get their own view
        // after their first click instead.
        this.deps.logger.info("bot.member_lookup_failed", { error: error instanceof Error ? error.name : "unknown" });
      }
    }
  }
}
