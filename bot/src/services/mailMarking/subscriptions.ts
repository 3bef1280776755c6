// Graph change-notification subscriptions on the inboxes in scope (issue 6 item 2).
//
// One subscription per mailbox on `users/{mailbox}/mailFolders('Inbox')/messages`, change type `created`.
// Graph's limit for Outlook messages is 10,080 minutes (under 7 days); CALM asks for a little less and
// plans renewal from the expirationDateTime Graph *returns* (it may grant less than asked). A subscription
// is renewed when a third of its lifetime (at most `renewBeforeMs`) is left; one Graph has already
// forgotten (expired, or removed: 404 on renew) is created again. Each has its own random clientState,
// which every notification must echo.
import { randomBytes } from "node:crypto";
import { ConcurrencyError } from "../../ports/errors";
import { isGraphError, type GraphMail } from "../../ports/graph";
import type { MailSubscriptionRecord, MailSubscriptionStore } from "../../ports/mailMarking";
import type { Clock, Logger } from "../../ports/system";

/** Graph's documented maximum for Outlook message subscriptions. */
export const MAX_MESSAGE_SUBSCRIPTION_MINUTES = 10_080;

export interface SubscriptionManagerOptions {
  graph: GraphMail;
  store: MailSubscriptionStore;
  clock: Clock;
  logger: Logger;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  listInScopeMailboxes(): Promise<string[]>;
  /** Lifetime to ask for. Default 10,070 minutes (ten minutes under Graph's limit, for clock skew). */
  subscriptionMinutes?: number;
  /** Renew when this much (or a third of the lifetime, whichever is less) is left. Default 24 hours. */
  renewBeforeMs?: number;
  randomSecret?: () => string;
}

export interface SyncReport {
  created: number;
  renewed: number;
  recreated: number;
  removed: number;
  failed: { mailbox: string; code: string }[];
}

export function inboxResource(mailbox: string): string {
  return `users/${mailbox}/mailFolders('Inbox')/messages`;
}

export class SubscriptionManager {
  private readonly minutes: number;
  private readonly renewBeforeMs: number;
  private readonly secret: () => string;

  constructor(private readonly o: SubscriptionManagerOptions) {
    this.minutes = Math.min(MAX_MESSAGE_SUBSCRIPTION_MINUTES, o.subscriptionMinutes ?? MAX_MESSAGE_SUBSCRIPTION_MINUTES - 10);
    this.renewBeforeMs = o.renewBeforeMs ?? 24 * 3600_000;
    // 32 random bytes: unguessable, and 43 characters, well under Graph's 128.
    this.secret = o.randomSecret ?? (() => randomBytes(32).toString("base64url"));
  }

  private now(): number {
    return this.o.clock.now().getTime();
  }

  /** When this subscription should be renewed. */
  renewAt(record: MailSubscriptionRecord): number {
    const expires = Date.parse(record.expirationDateTime);
    const since = Date.parse(record.renewedAt ?? record.createdAt);
    const lifetime = Math.max(0, expires - since);
    return expires - Math.min(this.renewBeforeMs, lifetime / 3);
  }

  /** The earliest renewal due among `records` (for the maintenance timer). */
  nextRenewalAt(records: MailSubscriptionRecord[]): number | undefined {
    const times = records.filter((r) => r.status === "active").map((r) => this.renewAt(r));
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  async create(mailbox: string): Promise<MailSubscriptionRecord> {
    const at = new Date(this.now());
    const clientState = this.secret();
    const resource = inboxResource(mailbox);
    const sub = await this.o.graph.createSubscription({
      changeType: "created",
      resource,
      notificationUrl: this.o.notificationUrl,
      lifecycleNotificationUrl: this.o.lifecycleNotificationUrl,
      expirationDateTime: new Date(at.getTime() + this.minutes * 60_000).toISOString(),
      clientState,
    });
    this.o.logger.info("mail.subscription_created", { subscriptionId: sub.id, expires: sub.expirationDateTime });
    return this.o.store.create({
      subscriptionId: sub.id,
      mailbox,
      resource,
      clientState,
      expirationDateTime: sub.expirationDateTime,
      createdAt: at.toISOString(),
      status: "active",
    });
  }

  /** Extends the subscription; one Graph no longer knows is made again. */
  async renew(record: MailSubscriptionRecord): Promise<{ record: MailSubscriptionRecord; recreated: boolean }> {
    const at = new Date(this.now());
    if (Date.parse(record.expirationDateTime) <= at.getTime()) {
      return { record: await this.recreate(record), recreated: true };
    }
    try {
      const sub = await this.o.graph.renewSubscription(record.subscriptionId, new Date(at.getTime() + this.minutes * 60_000).toISOString());
      const updated = await this.o.store.update({ ...record, expirationDateTime: sub.expirationDateTime, renewedAt: at.toISOString(), status: "active", failure: undefined });
      this.o.logger.info("mail.subscription_renewed", { subscriptionId: sub.id, expires: sub.expirationDateTime });
      return { record: updated, recreated: false };
    } catch (error) {
      if (isGraphError(error) && error.code === "GRAPH_NOT_FOUND") return { record: await this.recreate(record), recreated: true };
      throw error;
    }
  }

  /** Replaces a subscription Graph removed (subscriptionRemoved) or let expire. */
  async recreate(record: MailSubscriptionRecord): Promise<MailSubscriptionRecord> {
    await this.o.graph.deleteSubscription(record.subscriptionId);
    await this.o.store.delete(record.subscriptionId);
    return this.create(record.mailbox);
  }

  async remove(record: MailSubscriptionRecord): Promise<void> {
    await this.o.graph.deleteSubscription(record.subscriptionId);
    await this.o.store.delete(record.subscriptionId);
  }

  /** Creates missing subscriptions, renews those due, removes those out of scope. */
  async sync(): Promise<SyncReport> {
    const report: SyncReport = { created: 0, renewed: 0, recreated: 0, removed: 0, failed: [] };
    const inScope = new Set((await this.o.listInScopeMailboxes()).map((m) => m.trim().toLowerCase()));
    const records = await this.o.store.list();
    const seen = new Set<string>();
    const guard = async (mailbox: string, work: () => Promise<void>): Promise<void> => {
      try {
        await work();
      } catch (error) {
        if (!isGraphError(error) && !(error instanceof ConcurrencyError)) throw error;
        const code = error.code;
        report.failed.push({ mailbox, code });
        this.o.logger.warn("mail.subscription_failed", { code });
      }
    };
    // Newest first, so a mailbox with two records (an earlier half-finished attempt) keeps the newest.
    records.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    await Promise.all(
      records.map((record) =>
        guard(record.mailbox, async () => {
          if (!inScope.has(record.mailbox) || seen.has(record.mailbox)) {
            await this.remove(record);
            report.removed += 1;
            return;
          }
          seen.add(record.mailbox);
          if (this.renewAt(record) <= this.now() || record.status !== "active") {
            const { recreated } = await this.renew(record);
            if (recreated) report.recreated += 1;
            else report.renewed += 1;
          }
        }),
      ),
    );
    await Promise.all(
      [...inScope].filter((m) => !seen.has(m)).map((mailbox) =>
        guard(mailbox, async () => {
          await this.create(mailbox);
          report.created += 1;
        }),
      ),
    );
    return report;
  }
}
