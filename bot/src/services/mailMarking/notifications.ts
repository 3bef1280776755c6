// The endpoints Graph calls (framework-free: the HTTP router passes the request in and writes the reply).
//
// - Validation handshake: when a subscription is created, Graph POSTs `?validationToken=…` and expects the
//   token back, as text/plain, with 200, within 10 seconds.
// - Change notifications: answered fast (Graph expects a 2xx within a few seconds). The handler only checks
//   each notification's clientState against the subscription's secret (constant-time) and records a work
//   item in the durable queue; the worker does the Graph calls later. 202 when accepted; 403 when nothing
//   in the request carried a known subscription and its secret; 503 if the queue cannot be written, so
//   Graph retries the delivery.
// - Lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed) likewise become work
//   items: renew, recreate, and a resync of recent inbox mail.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { StoreUnavailableError } from "../../ports/errors";
import type { MailSubscriptionRecord, MailSubscriptionStore, MailWorkKind, MailWorkQueue, NewMailWorkItem } from "../../ports/mailMarking";
import type { Clock, Logger } from "../../ports/system";

export interface GraphNotificationRequest {
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body if the router parsed it; otherwise `rawBody` is parsed here. */
  body: unknown;
  rawBody: string;
}

export interface GraphNotificationReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const changeNotification = z.object({
  subscriptionId: z.string().min(1).max(200),
  clientState: z.string().max(255).nullish(),
  changeType: z.string().optional(),
  resource: z.string().optional(),
  resourceData: z.object({ id: z.string().min(1).max(1000) }).passthrough().nullish(),
  lifecycleEvent: z.string().optional(),
  subscriptionExpirationDateTime: z.string().optional(),
}).passthrough();
const payload = z.object({ value: z.array(changeNotification).max(1000) });

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8" };

function problem(status: number, code: string, message: string): GraphNotificationReply {
  return { status, headers: JSON_HEADERS, body: JSON.stringify({ code, message }) };
}

/** Work-item ids: a hash, so they are fixed-length, safe in keys and carry no address. */
export function workItemId(kind: MailWorkKind, mailbox: string, key: string): string {
  return createHash("sha256").update(`${kind}\u0000${mailbox}\u0000${key}`).digest("hex");
}

function sameSecret(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== "string") return false;
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(given).digest();
  return timingSafeEqual(a, b);
}

export interface NotificationHandlerOptions {
  queue: MailWorkQueue;
  subscriptions: MailSubscriptionStore;
  clock: Clock;
  logger: Logger;
  /** Called after items were queued, to wake the worker. */
  onQueued?: () => void;
  /** How long a looked-up subscription is trusted from memory. Default 60 s. */
  cacheMs?: number;
}

export class NotificationHandler {
  private readonly cache = new Map<string, { record: MailSubscriptionRecord | undefined; at: number }>();

  constructor(private readonly o: NotificationHandlerOptions) {}

  private async subscription(id: string): Promise<MailSubscriptionRecord | undefined> {
    const now = this.o.clock.now().getTime();
    const hit = this.cache.get(id);
    if (hit?.record && now - hit.at < (this.o.cacheMs ?? 60_000)) return hit.record;
    const record = await this.o.subscriptions.get(id);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(id, { record, at: now });
    return record;
  }

  private validation(req: GraphNotificationRequest): GraphNotificationReply | undefined {
    const token = req.query.get("validationToken");
    if (token === null) return undefined;
    // Echo exactly, as plain text (nosniff: the token is never interpreted as markup).
    return { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" }, body: token };
  }

  private parse(req: GraphNotificationRequest): z.infer<typeof payload> | undefined {
    let body = req.body;
    if (body === undefined || body === null || typeof body === "string") {
      try {
        body = JSON.parse(typeof body === "string" ? body : req.rawBody) as unknown;
      } catch {
        return undefined;
      }
    }
    const parsed = payload.safeParse(body);
    return parsed.success ? parsed.data : undefined;
  }

  private async accept(
    req: GraphNotificationRequest,
    toItem: (n: z.infer<typeof changeNotification>, record: MailSubscriptionRecord, now: string) => NewMailWorkItem | undefined,
  ): Promise<GraphNotificationReply> {
    const validation = this.validation(req);
    if (validation) return validation;
    const data = this.parse(req);
    if (!data) return problem(400, "NOTIFICATION_INVALID", "The request is not a Microsoft Graph notification.");
    const now = this.o.clock.now().toISOString();
    const items: NewMailWorkItem[] = [];
    let rejected = 0;
    let ignored = 0;
    try {
      for (const n of data.value) {
        const record = await this.subscription(n.subscriptionId);
        if (!record || !sameSecret(record.clientState, n.clientState)) {
          rejected += 1;
          continue;
        }
        const item = toItem(n, record, now);
        if (item) items.push(item);
        else ignored += 1;
      }
      if (items.length > 0) {
        const { added, duplicates } = await this.o.queue.enqueue(items);
        this.o.logger.info("mail.notifications_queued", { added, duplicates, rejected, ignored });
        if (added > 0) this.o.onQueued?.();
      }
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        // Nothing lost: Graph retries deliveries that fail with 5xx.
        return { ...problem(503, "STORE_UNAVAILABLE", "Storage is not available right now; deliver the notification again later."), headers: { ...JSON_HEADERS, "Retry-After": "30" } };
      }
      throw error;
    }
    if (rejected > 0) this.o.logger.warn("mail.notifications_rejected", { rejected });
    if (rejected > 0 && items.length === 0 && ignored === 0) {
      return problem(403, "CLIENT_STATE_MISMATCH", "The notification's subscription or clientState is not one CALM issued. It was ignored.");
    }
    return { status: 202 };
  }

  handleChange(req: GraphNotificationRequest): Promise<GraphNotificationReply> {
    return this.accept(req, (n, record, now) => {
      const messageId = n.resourceData?.id;
      if (n.changeType !== "created" || !messageId) return undefined;
      return { id: workItemId("message", record.mailbox, messageId), kind: "message", mailbox: record.mailbox, messageId, subscriptionId: record.subscriptionId, createdAt: now };
    });
  }

  handleLifecycle(req: GraphNotificationRequest): Promise<GraphNotificationReply> {
    return this.accept(req, (n, record, now) => {
      const kind: MailWorkKind | undefined =
        n.lifecycleEvent === "reauthorizationRequired" ? "renew"
        : n.lifecycleEvent === "subscriptionRemoved" ? "recreate"
        : n.lifecycleEvent === "missed" ? "resync"
        : undefined;
      if (!kind) return undefined;
      // Repeats of one event within ten minutes are one piece of work.
      const bucket = Math.floor(Date.parse(now) / 600_000);
      return { id: workItemId(kind, record.mailbox, `${record.subscriptionId}|${bucket}`), kind, mailbox: record.mailbox, subscriptionId: record.subscriptionId, createdAt: now };
    });
  }
}
