// Outbound webhooks for marker notifications (East Suffolk 3.1) over fetch: one POST per attempt, a time limit,
// redirects not followed (a signed notification goes only to the address the administrator registered), and the
// response body discarded unread. Retries, backoff and the delivery log are the notification service's.
import type { WebhookRequest, WebhookSender } from "../../ports/lifecycle";

export const httpWebhookSender: WebhookSender = {
  async send(request: WebhookRequest): Promise<{ status: number }> {
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    // Free the connection without reading what the receiver sent back.
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  },
};
