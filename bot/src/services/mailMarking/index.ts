// Server-side marking of mail from listed senders (issue 6 item 2; docs/graph.md "Marking incoming mail").
// createMailMarking wires the subscription manager, the notification endpoints and the queue worker
// together. The lead wires `handleGraphNotification` and `handleLifecycleNotification` into the router,
// and `isListedSender` to the lookup index.
import type { GraphMail } from "../../ports/graph";
import type { MailSubscriptionStore, MailWorkQueue, MailWorkStatus } from "../../ports/mailMarking";
import type { Clock, IdGenerator, Logger } from "../../ports/system";
import { NotificationHandler, type GraphNotificationReply, type GraphNotificationRequest } from "./notifications";
import { SubscriptionManager, type SyncReport } from "./subscriptions";
import { MailMarkingWorker, type DrainReport, type SenderCheck } from "./worker";

export { workItemId, type GraphNotificationReply, type GraphNotificationRequest } from "./notifications";
export { inboxResource, MAX_MESSAGE_SUBSCRIPTION_MINUTES, SubscriptionManager, type SyncReport } from "./subscriptions";
export { MailMarkingWorker, type DrainReport, type SenderCheck } from "./worker";

/** The neutral category set on mail from listed senders. It says nothing about the person. */
export const DEFAULT_CATEGORY = "Customer Alert List";

export interface MailMarkingDeps {
  graph: GraphMail;
  queue: MailWorkQueue;
  subscriptions: MailSubscriptionStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** The register lookup (the lead wires it to the lookup index): exact, normalised email match. */
  isListedSender: SenderCheck;
  /** The staff mailboxes whose inboxes are watched. */
  listInScopeMailboxes(): Promise<string[]>;
  /** Public https URLs of the two handlers (Graph must reach them). */
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  categoryName?: string;
  subscriptionMinutes?: number;
  renewBeforeMs?: number;
  randomSecret?: () => string;
  worker?: { leaseMs?: number; claimBatch?: number; maxAttempts?: number; retryBaseMs?: number; resyncWindowMs?: number };
  /** Background timings for `start()`. */
  pollIntervalMs?: number;
  maintenanceIntervalMs?: number;
}

export interface MailMarking {
  handleGraphNotification(req: GraphNotificationRequest): Promise<GraphNotificationReply>;
  handleLifecycleNotification(req: GraphNotificationRequest): Promise<GraphNotificationReply>;
  /** Create missing subscriptions, renew those due, drop those out of scope. */
  syncSubscriptions(): Promise<SyncReport>;
  /** Process queued work until none is due. */
  drain(maxItems?: number): Promise<DrainReport>;
  status(): Promise<{ queue: Record<MailWorkStatus, number>; subscriptions: number; nextRenewalAt?: string }>;
  /** Background: drain when woken or every `pollIntervalMs`; sync subscriptions at start, when a renewal
   * falls due and every `maintenanceIntervalMs`. Returns a stop function that waits for work in hand. */
  start(): () => Promise<void>;
  manager: SubscriptionManager;
}

export function createMailMarking(deps: MailMarkingDeps): MailMarking {
  const manager = new SubscriptionManager({
    graph: deps.graph,
    store: deps.subscriptions,
    clock: deps.clock,
    logger: deps.logger,
    notificationUrl: deps.notificationUrl,
    lifecycleNotificationUrl: deps.lifecycleNotificationUrl,
    listInScopeMailboxes: () => deps.listInScopeMailboxes(),
    ...(deps.subscriptionMinutes !== undefined ? { subscriptionMinutes: deps.subscriptionMinutes } : {}),
    ...(deps.renewBeforeMs !== undefined ? { renewBeforeMs: deps.renewBeforeMs } : {}),
    ...(deps.randomSecret ? { randomSecret: deps.randomSecret } : {}),
  });
  const worker = new MailMarkingWorker({
    graph: deps.graph,
    queue: deps.queue,
    subscriptions: deps.subscriptions,
    manager,
    clock: deps.clock,
    logger: deps.logger,
    isListedSender: deps.isListedSender,
    categoryName: deps.categoryName ?? DEFAULT_CATEGORY,
    ownerId: deps.ids.next(),
    ...(deps.worker ?? {}),
  });
  let wake: (() => void) | undefined;
  const handler = new NotificationHandler({ queue: deps.queue, subscriptions: deps.subscriptions, clock: deps.clock, logger: deps.logger, onQueued: () => wake?.() });

  const status: MailMarking["status"] = async () => {
    const records = await deps.subscriptions.list();
    const next = manager.nextRenewalAt(records);
    return { queue: await deps.queue.counts(), subscriptions: records.length, ...(next !== undefined ? { nextRenewalAt: new Date(next).toISOString() } : {}) };
  };

  return {
    handleGraphNotification: (req) => handler.handleChange(req),
    handleLifecycleNotification: (req) => handler.handleLifecycle(req),
    syncSubscriptions: () => manager.sync(),
    drain: (max) => worker.drain(max),
    status,
    manager,
    start() {
      let stopped = false;
      let draining: Promise<unknown> = Promise.resolve();
      let pollTimer: NodeJS.Timeout | undefined;
      let maintenanceTimer: NodeJS.Timeout | undefined;
      const log = (event: string) => (error: unknown) => deps.logger.error(event, { code: (error as { code?: string }).code ?? "UNEXPECTED" });
      const drainSoon = (): void => {
        if (stopped) return;
        draining = draining.then(() => worker.drain()).catch(log("mail.drain_failed"));
      };
      const poll = (): void => {
        drainSoon();
        pollTimer = setTimeout(poll, deps.pollIntervalMs ?? 2000);
      };
      const maintain = async (): Promise<void> => {
        if (stopped) return;
        await manager.sync().catch(log("mail.sync_failed"));
        const records = await deps.subscriptions.list().catch(() => []);
        const next = manager.nextRenewalAt(records);
        const every = deps.maintenanceIntervalMs ?? 15 * 60_000;
        const wait = next === undefined ? every : Math.max(1000, Math.min(every, next - deps.clock.now().getTime()));
        if (!stopped) maintenanceTimer = setTimeout(() => { void maintain(); }, wait);
      };
      wake = drainSoon;
      poll();
      void maintain();
      return async () => {
        stopped = true;
        wake = undefined;
        if (pollTimer) clearTimeout(pollTimer);
        if (maintenanceTimer) clearTimeout(maintenanceTimer);
        await draining;
      };
    },
  };
}
