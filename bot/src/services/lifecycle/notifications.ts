// Marker notifications (East Suffolk 3.1): services that keep their own marker on their own systems subscribe to
// the add and remove events the policy names, and are told by a Teams channel post or an outbound webhook. What
// leaves CALM is only an opaque reference and the action ("CAL-0042 added"), never a name, address or reason.
// Webhooks are signed (HMAC-SHA256), retried with backoff, and every attempt is in the delivery log.
//
// Events come from the register's change feed (watch.ts), so an entry added or removed by any service (a case
// decision, an immediate restriction, a review, an appeal, expiry) is seen: each changed subject's entries are
// compared with what subscribers were last told, and a delivery is queued per subscriber for each difference.
import { createHmac, randomBytes } from "node:crypto";
import type { Caller } from "../../../../core/src/domain";
import { sourceOf } from "../../../../core/src/policy/sources";
import { AlreadyExistsError, ConcurrencyError } from "../../ports/errors";
import type { DeliveryRecord, DeliveryStatus, MarkerState, SubscriptionRecord } from "../../ports/lifecycle";
import { ok, refuse, type LifecycleContext, type Result } from "./context";

/** Attempts before a delivery is given up (about 4 hours of backoff in all). */
export const MAX_DELIVERY_ATTEMPTS = 8;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 60 * 60_000;
/** While one instance sends, others leave the delivery alone for this long. */
const SEND_LEASE_MS = 2 * 60_000;

export interface SubscriptionInput {
  serviceArea: string;
  events: ("added" | "removed")[];
  target: { kind: "teams-channel"; conversationId: string } | { kind: "webhook"; url: string };
}

/** Backoff after `attempts` failed attempts: 1, 2, 4, 8 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: a receiver recomputes it with the shared secret and
 * rejects old timestamps, so a captured request cannot be replayed later. */
export function signWebhook(secret: string, timestampSec: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("hex");
  return `t=${timestampSec},v1=${mac}`;
}

/** A subscription as shown after it is made: the secret never again. */
export type SubscriptionView = Omit<SubscriptionRecord, "secret" | "etag">;

function view(s: SubscriptionRecord): SubscriptionView {
  const { secret: _secret, etag: _etag, ...rest } = s;
  return rest;
}

export class NotificationService {
  /** Set by the lifecycle service: the register watch that feeds the marker sync. */
  watch: { ensureBaseline(): Promise<unknown> } | undefined;

  constructor(private readonly ctx: LifecycleContext) {}

  private events(): ("added" | "removed")[] {
    return this.ctx.profile.markerNotifications?.events ?? [];
  }

  async subscribe(caller: Caller, input: SubscriptionInput): Promise<Result<{ subscription: SubscriptionView; secret?: string }>> {
    const allowed = this.events();
    if (allowed.length === 0) {
      return refuse("MARKER_NOTIFICATIONS_NOT_IN_POLICY", "The council's policy does not keep service markers in step with the register, so there is nothing to subscribe to.", 409);
    }
    const events = [...new Set(input.events)];
    const unknown = events.filter((e) => !allowed.includes(e));
    if (events.length === 0 || unknown.length > 0) {
      return refuse("MARKER_EVENTS_INVALID", `Choose from the events the policy names: ${allowed.join(", ")}.`);
    }
    if (input.serviceArea.trim().length === 0) return refuse("SERVICE_AREA_REQUIRED", "Name the service that keeps the marker.");
    let secret: string | undefined;
    if (input.target.kind === "webhook") {
      let url: URL;
      try {
        url = new URL(input.target.url);
      } catch {
        return refuse("WEBHOOK_URL_INVALID", "The webhook address is not a full URL. Use https://…");
      }
      const local = url.hostname === "127.0.0.1" || url.hostname === "localhost";
      if (url.protocol !== "https:" && !(url.protocol === "http:" && local && this.ctx.deps.allowInsecureWebhooks === true)) {
        return refuse("WEBHOOK_URL_INSECURE", "Webhook addresses must use https:// so notifications cannot be read on the way.");
      }
      if (url.username || url.password) return refuse("WEBHOOK_URL_INVALID", "Leave credentials out of the webhook address: CALM signs each request instead.");
      secret = randomBytes(32).toString("base64url");
    } else if (input.target.conversationId.trim().length === 0) {
      return refuse("CONVERSATION_REQUIRED", "Choose the Teams channel to post to.");
    }
    await this.watch?.ensureBaseline();
    const record: SubscriptionRecord = {
      id: this.ctx.deps.ids.next(),
      serviceArea: input.serviceArea.trim(),
      events,
      target: input.target,
      ...(secret === undefined ? {} : { secret }),
      active: true,
      createdBy: caller.id,
      createdAt: this.ctx.nowIso(),
    };
    const saved = await this.ctx.deps.lifecycle.subscriptions.create(record);
    await this.ctx.audit(this.ctx.actor(caller), "create", { what: ["marker-subscription", saved.id, `target:${input.target.kind}`] });
    return ok(secret === undefined ? { subscription: view(saved) } : { subscription: view(saved), secret });
  }

  async list(): Promise<SubscriptionView[]> {
    return (await this.ctx.deps.lifecycle.subscriptions.find()).map(view);
  }

  async deactivate(caller: Caller, id: string): Promise<Result<SubscriptionView>> {
    const current = await this.ctx.deps.lifecycle.subscriptions.get(id);
    if (!current) return refuse("SUBSCRIPTION_NOT_FOUND", "There is no subscription with that id.", 404);
    const saved = await this.ctx.deps.lifecycle.subscriptions.update({ ...current, active: false });
    await this.ctx.audit(this.ctx.actor(caller), "update", { what: ["marker-subscription", id, "deactivated"] });
    return ok(view(saved));
  }

  /** Whether the policy keeps service markers in step (East Suffolk 3.1). */
  enabled(): boolean {
    return this.events().length > 0;
  }

  /** Records an entry as listed without telling anyone: the starting point for entries already on the register when
   * marker notifications begin (their markers are set up with the service). */
  async baseline(entry: { id: string; subjectId: string; reference: string; listed: boolean }): Promise<void> {
    if (await this.ctx.deps.lifecycle.markers.get(entry.id)) return;
    await this.putMarker({ ...entry, changedAt: this.ctx.nowIso() });
  }

  private async putMarker(state: MarkerState): Promise<void> {
    const current = await this.ctx.deps.lifecycle.markers.get(state.id);
    if (!current) await this.ctx.deps.lifecycle.markers.create(state);
    else await this.ctx.deps.lifecycle.markers.update({ ...state, etag: current.etag });
  }

  /** Compares one subject's entries with what subscribers were last told and queues a delivery per subscriber for
   * each entry added or removed since (entries purged since count as removed). Returns how many were queued. */
  async reconcileSubject(subjectId: string, entries: { id: string; reference: string; status: string }[]): Promise<number> {
    if (!this.enabled()) return 0;
    const subscriptions = await this.ctx.deps.lifecycle.subscriptions.find({ active: true });
    let queued = 0;
    const seen = new Set<string>();
    for (const entry of entries) {
      seen.add(entry.id);
      queued += await this.reconcile(entry.id, subjectId, entry.reference, entry.status !== "removed", subscriptions);
    }
    for (const marker of await this.ctx.deps.lifecycle.markers.find({ subjectId })) {
      if (!seen.has(marker.id)) queued += await this.reconcile(marker.id, subjectId, marker.reference, false, subscriptions);
    }
    return queued;
  }

  private async reconcile(entryId: string, subjectId: string, reference: string, listed: boolean, subscriptions: SubscriptionRecord[]): Promise<number> {
    const marker = await this.ctx.deps.lifecycle.markers.get(entryId);
    if ((marker?.listed ?? false) === listed) return 0;
    const action = listed ? "added" : "removed";
    const occurredAt = this.ctx.nowIso();
    // The event id: the entry, the action and when its marker last changed, so a repeated pass makes the same ids.
    const eventId = `${entryId}:${action}:${marker?.changedAt ?? "first"}`;
    let queued = 0;
    for (const s of subscriptions.filter((x) => x.events.includes(action))) {
      try {
        await this.ctx.deps.lifecycle.deliveries.create({
          id: `${s.id}:${eventId}`,
          subscriptionId: s.id,
          eventId,
          reference,
          action,
          occurredAt,
          targetKind: s.target.kind,
          status: "pending",
          attempts: 0,
          nextAttemptAt: occurredAt,
          createdAt: occurredAt,
        });
        queued++;
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
    await this.putMarker({ id: entryId, subjectId, reference, listed, changedAt: occurredAt });
    return queued;
  }

  /** Deliveries whose next attempt is due. */
  async dueDeliveries(now: Date): Promise<DeliveryRecord[]> {
    const iso = now.toISOString();
    return (await this.ctx.deps.lifecycle.deliveries.find({ status: "pending" })).filter((d) => d.nextAttemptAt <= iso);
  }

  /** One attempt at one delivery. The attempt is claimed first by moving its next attempt on (etag-guarded), so
   * two instances never send the same attempt. */
  async attempt(deliveryId: string): Promise<DeliveryStatus | "skipped"> {
    const current = await this.ctx.deps.lifecycle.deliveries.get(deliveryId);
    const now = this.ctx.now();
    if (!current || current.status !== "pending" || current.nextAttemptAt > now.toISOString()) return "skipped";
    let claimed: DeliveryRecord;
    try {
      claimed = await this.ctx.deps.lifecycle.deliveries.update({ ...current, attempts: current.attempts + 1, nextAttemptAt: new Date(now.getTime() + SEND_LEASE_MS).toISOString() });
    } catch (error) {
      if (error instanceof ConcurrencyError) return "skipped";
      throw error;
    }
    const subscription = await this.ctx.deps.lifecycle.subscriptions.get(claimed.subscriptionId);
    let status: number | undefined;
    let failure: string | undefined;
    if (!subscription || !subscription.active) {
      failure = "The subscription has been switched off.";
    } else {
      try {
        status = await this.send(subscription, claimed);
        if (status < 200 || status >= 300) failure = `The receiver answered ${status}.`;
      } catch (error) {
        failure = error instanceof Error && /timeout|abort/i.test(error.name + error.message) ? "The receiver did not answer in time." : "The receiver could not be reached.";
      }
    }
    const after = this.ctx.now();
    let next: DeliveryRecord;
    if (failure === undefined) {
      next = { ...claimed, status: "delivered", deliveredAt: after.toISOString(), ...(status === undefined ? {} : { lastStatus: status }) };
    } else {
      const givesUp = claimed.attempts >= MAX_DELIVERY_ATTEMPTS || !subscription || !subscription.active;
      const { lastStatus: _s, ...rest } = claimed;
      next = {
        ...rest,
        status: givesUp ? "gave-up" : "pending",
        nextAttemptAt: new Date(after.getTime() + retryDelayMs(claimed.attempts)).toISOString(),
        lastError: failure,
        ...(status === undefined ? {} : { lastStatus: status }),
      };
    }
    try {
      await this.ctx.deps.lifecycle.deliveries.update(next);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    if (failure !== undefined) this.ctx.deps.logger.warn("lifecycle.delivery_failed", { action: claimed.action, target: claimed.targetKind, attempts: claimed.attempts, status });
    return next.status;
  }

  private async send(subscription: SubscriptionRecord, delivery: DeliveryRecord): Promise<number> {
    const target = subscription.target;
    if (target.kind === "teams-channel") {
      const registerName = this.ctx.deps.registerName;
      await this.ctx.deps.channel.post(
        {
          kind: "marker",
          reference: delivery.reference,
          title: `${delivery.reference} ${delivery.action === "added" ? "added to" : "removed from"} the ${registerName}`,
          text:
            delivery.action === "added"
              ? `${delivery.reference} has been added to the ${registerName}. Add your service's marker.`
              : `${delivery.reference} has been removed from the ${registerName}. Remove your service's marker and any trace of it.`,
        },
        target.conversationId,
      );
      return 200;
    }
    // Only the opaque reference and the action travel in the body (East Suffolk 3.1, EXPERIENCE.md).
    const body = JSON.stringify({ reference: delivery.reference, action: delivery.action });
    const timestamp = Math.floor(this.ctx.now().getTime() / 1000);
    const result = await this.ctx.deps.webhooks.send({
      url: target.url,
      body,
      timeoutMs: 10_000,
      headers: {
        "content-type": "application/json",
        "user-agent": "CALM-webhooks/1",
        "x-calm-delivery": delivery.id,
        "x-calm-attempt": String(delivery.attempts),
        "x-calm-signature": signWebhook(subscription.secret ?? "", timestamp, body),
      },
    });
    return result.status;
  }

  async log(filter: { subscriptionId?: string; status?: DeliveryStatus } = {}): Promise<DeliveryRecord[]> {
    const where: Record<string, string> = {};
    if (filter.subscriptionId) where.subscriptionId = filter.subscriptionId;
    if (filter.status) where.status = filter.status;
    return (await this.ctx.deps.lifecycle.deliveries.find(where)).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  source(): string | undefined {
    return sourceOf(this.ctx.profile, "markerNotifications");
  }

  /** Deletes the delivery log of one reference (retention purge: nothing of a purged entry is kept). A delivery
   * still pending is left to go out: the subscriber must still hear of the removal. */
  async forget(reference: string, entryId: string): Promise<number> {
    let n = 0;
    for (const d of await this.ctx.deps.lifecycle.deliveries.find({ reference })) {
      if (d.status === "pending") continue;
      await this.ctx.deps.lifecycle.deliveries.delete(d.id);
      n++;
    }
    await this.ctx.deps.lifecycle.markers.delete(entryId);
    return n;
  }
}
