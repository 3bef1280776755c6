// Drains the mail-marking queue (issue 6 item 2): for a new message, look its sender up in the register
// and, if listed, add the neutral category "Customer Alert List" so every client (desktop, web, mobile)
// shows it. Outlook has no production on-read event, so the server does this for everyone.
//
// Idempotent twice over: duplicate notifications collapse into one queue item (same id), and marking
// checks the message's categories first, so even an item processed twice (a lease that ran out) adds the
// category once. The category update carries the message's etag, so a category someone adds at the same
// moment is not lost (412 → read again).
import { isGraphError, type GraphMail, type MessageSummary } from "../../ports/graph";
import type { MailWorkItem, MailWorkOutcome, MailWorkQueue, MailSubscriptionStore } from "../../ports/mailMarking";
import type { Clock, Logger } from "../../ports/system";
import type { SubscriptionManager } from "./subscriptions";

export type SenderCheck = (email: string) => Promise<{ listed: boolean; reference?: string }>;

export interface WorkerOptions {
  graph: GraphMail;
  queue: MailWorkQueue;
  subscriptions: MailSubscriptionStore;
  manager: SubscriptionManager;
  clock: Clock;
  logger: Logger;
  isListedSender: SenderCheck;
  categoryName: string;
  ownerId: string;
  /** How long a claim lasts. Default 60 s. */
  leaseMs?: number;
  /** Items claimed per round. Default 25. */
  claimBatch?: number;
  /** Attempts before an item ends `failed`. Default 6. */
  maxAttempts?: number;
  /** Backoff base without Retry-After. Default 5 s, doubling, at most 10 minutes. */
  retryBaseMs?: number;
  /** How far back a `missed` resync looks. Default 24 h. */
  resyncWindowMs?: number;
  resyncMaxMessages?: number;
}

export interface DrainReport {
  processed: number;
  outcomes: Partial<Record<MailWorkOutcome | "retry" | "failed", number>>;
}

export class MailMarkingWorker {
  private readonly leaseMs: number;
  private readonly claimBatch: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(private readonly o: WorkerOptions) {
    this.leaseMs = o.leaseMs ?? 60_000;
    this.claimBatch = o.claimBatch ?? 25;
    this.maxAttempts = o.maxAttempts ?? 6;
    this.retryBaseMs = o.retryBaseMs ?? 5000;
  }

  private iso(offsetMs = 0): string {
    return new Date(this.o.clock.now().getTime() + offsetMs).toISOString();
  }

  /** Claims and processes items until none is due (or `maxItems` were done). */
  async drain(maxItems = Infinity): Promise<DrainReport> {
    const report: DrainReport = { processed: 0, outcomes: {} };
    const count = (k: MailWorkOutcome | "retry" | "failed"): void => {
      report.outcomes[k] = (report.outcomes[k] ?? 0) + 1;
    };
    while (report.processed < maxItems) {
      const items = await this.o.queue.claim(this.o.ownerId, this.iso(), this.iso(this.leaseMs), Math.min(this.claimBatch, maxItems - report.processed));
      if (items.length === 0) break;
      const results = await Promise.all(items.map((item) => this.process(item)));
      for (const r of results) count(r);
      report.processed += items.length;
    }
    return report;
  }

  private async process(item: MailWorkItem): Promise<MailWorkOutcome | "retry" | "failed"> {
    try {
      const { outcome, marked } = await this.handle(item);
      await this.o.queue.complete(item, outcome, this.iso(), marked);
      return outcome;
    } catch (error) {
      const graph = isGraphError(error) ? error : undefined;
      const failure = graph
        ? { code: graph.code, message: graph.message }
        : { code: "MAIL_MARKING_UNEXPECTED", message: "Something unexpected went wrong while marking a message. It was not marked; report it to the CALM administrator." };
      if (!graph) this.o.logger.error("mail.work_unexpected", { workId: item.id, error: error instanceof Error ? error.name : "unknown" });
      try {
        if (graph?.retryable && item.attempts < this.maxAttempts) {
          const wait = graph.retryAfterMs ?? Math.min(600_000, this.retryBaseMs * 2 ** (item.attempts - 1));
          await this.o.queue.retryLater(item, this.iso(wait), failure, this.iso());
          return "retry";
        }
        await this.o.queue.fail(item, failure, this.iso());
        this.o.logger.warn("mail.work_failed", { workId: item.id, kind: item.kind, code: failure.code });
        return "failed";
      } catch (storeError) {
        // Lost the lease meanwhile (another worker has it now): leave the item to them.
        this.o.logger.warn("mail.work_release_failed", { workId: item.id, code: (storeError as { code?: string }).code ?? "UNEXPECTED" });
        return "retry";
      }
    }
  }

  private async handle(item: MailWorkItem): Promise<{ outcome: MailWorkOutcome; marked?: number }> {
    switch (item.kind) {
      case "message":
        return { outcome: await this.markMessage(item.mailbox, item.messageId ?? "") };
      case "resync": {
        const since = this.iso(-(this.o.resyncWindowMs ?? 24 * 3600_000));
        const messages = await this.o.graph.listInboxMessages(item.mailbox, { receivedSince: since, max: this.o.resyncMaxMessages ?? 500 });
        let marked = 0;
        for (const m of messages) if ((await this.markSummary(item.mailbox, m)) === "marked") marked += 1;
        return { outcome: "resynced", marked };
      }
      case "renew":
      case "recreate": {
        const record = item.subscriptionId ? await this.o.subscriptions.get(item.subscriptionId) : undefined;
        // Already replaced (a duplicate lifecycle notification, or sync got there first).
        if (!record) return { outcome: "out-of-scope" };
        if (item.kind === "renew") {
          const { recreated } = await this.o.manager.renew(record);
          return { outcome: recreated ? "recreated" : "renewed" };
        }
        await this.o.manager.recreate(record);
        return { outcome: "recreated" };
      }
    }
  }

  private async listed(message: MessageSummary): Promise<boolean> {
    const addresses = [...new Set([message.from, message.sender].filter((a): a is string => typeof a === "string" && a.length > 0).map((a) => a.toLowerCase()))];
    for (const address of addresses) {
      if ((await this.o.isListedSender(address)).listed) return true;
    }
    return false;
  }

  private async markSummary(mailbox: string, message: MessageSummary): Promise<MailWorkOutcome> {
    if (message.categories.includes(this.o.categoryName)) return "already-marked";
    if (!(await this.listed(message))) return "not-listed";
    await this.o.graph.setMessageCategories(mailbox, message.id, [...message.categories, this.o.categoryName], message.etag);
    return "marked";
  }

  private async markMessage(mailbox: string, messageId: string): Promise<MailWorkOutcome> {
    for (let attempt = 1; ; attempt++) {
      const message = await this.o.graph.getMessage(mailbox, messageId);
      // Deleted, or moved out of the Inbox by a rule, before we got to it.
      if (!message) return "message-gone";
      try {
        return await this.markSummary(mailbox, message);
      } catch (error) {
        // Someone changed the message between our read and our update: read it again (a few times).
        if (isGraphError(error) && error.code === "GRAPH_PRECONDITION_FAILED" && attempt < 3) continue;
        if (isGraphError(error) && error.code === "GRAPH_NOT_FOUND") return "message-gone";
        throw error;
      }
    }
  }
}
