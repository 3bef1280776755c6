// One email read from Microsoft Graph as the signed-in user (on-behalf-of, obo.ts), for "Report this email" where
// Outlook cannot copy the message itself. `GET /me/messages/{id}/$value` gives the whole message as MIME (an .eml);
// `GET /me/messages/{id}?$select=internetMessageHeaders,body,subject,from,receivedDateTime` (body as text) is the
// fallback. A shared mailbox is `/users/{mailbox}/messages/{id}`. Delegated permissions: Mail.Read for the person's
// own mailbox, Mail.Read.Shared for shared ones (infra/entra), so Graph and Exchange decide what the person may read.
//
// Like the directory (directory.ts) these are single reads on one person's behalf, so they go straight to Graph with
// a timeout rather than through the divert scheduler. Nothing about the message (id, subject, addresses, content) is
// logged or put in an error.
import { z } from "zod";
import type { UserAssertion } from "../../ports/directory";
import { UserMailError, type MailDetails, type MailItemRef, type UserMailReader } from "../../ports/userMail";
import { parseRetryAfter } from "../http/retryAfter";
import { OboError, type OboTokenFunction } from "./obo";

export const MAIL_SCOPES = {
  own: ["https://graph.microsoft.com/Mail.Read"],
  shared: ["https://graph.microsoft.com/Mail.Read.Shared"],
} as const;

export interface GraphUserMailOptions {
  /** Without the version: `https://graph.microsoft.com` (GRAPH_BASE_URL), or the simulator's base URL. */
  baseUrl: string;
  obo: OboTokenFunction;
  /** Per request. Default 20 s (a large .eml takes a while). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const detailsShape = z.object({
  subject: z.string().nullish(),
  receivedDateTime: z.string().nullish(),
  from: z.object({ emailAddress: z.object({ name: z.string().nullish(), address: z.string().nullish() }).nullish() }).nullish(),
  internetMessageHeaders: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  body: z.object({ contentType: z.string().nullish(), content: z.string().nullish() }).nullish(),
});

/** Graph's Retry-After in whole seconds, at most an hour; undefined when it asks for no wait. */
function retryAfter(res: Response): number | undefined {
  const ms = parseRetryAfter(res.headers.get("retry-after"), Date.now());
  return ms !== undefined && ms > 0 ? Math.min(Math.ceil(ms / 1000), 3600) : undefined;
}

export class GraphUserMail implements UserMailReader {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GraphUserMailOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private path(ref: MailItemRef, suffix: string): string {
    const owner = ref.mailbox ? `/users/${encodeURIComponent(ref.mailbox)}` : "/me";
    return `${this.options.baseUrl.replace(/\/+$/, "")}/v1.0${owner}/messages/${encodeURIComponent(ref.messageId)}${suffix}`;
  }

  private async get(ref: MailItemRef, asUser: UserAssertion, suffix: string, headers: Record<string, string>): Promise<Response> {
    let token: string;
    try {
      token = await this.options.obo(asUser.token, [...(ref.mailbox ? MAIL_SCOPES.shared : MAIL_SCOPES.own)]);
    } catch (error) {
      if (error instanceof OboError) throw new UserMailError(error.code, { cause: error });
      throw new UserMailError("OBO_FAILED", { cause: error });
    }
    let res: Response;
    try {
      res = await this.fetch(this.path(ref, suffix), {
        method: "GET",
        headers: { authorization: `Bearer ${token}`, ...headers },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
      });
    } catch (error) {
      throw new UserMailError("GRAPH_UNAVAILABLE", { cause: error });
    }
    if (res.ok) return res;
    await res.body?.cancel().catch(() => undefined);
    // 400: an id Graph cannot read (ErrorInvalidIdMalformed) is, to the person, an email CALM cannot find.
    if (res.status === 404 || res.status === 400) throw new UserMailError("MAIL_NOT_FOUND");
    // After a successful exchange a 403 is Exchange's answer: no access to that mailbox (or a policy forbids it).
    if (res.status === 403) throw new UserMailError("MAIL_ACCESS_DENIED");
    throw new UserMailError("GRAPH_UNAVAILABLE", { retryAfterSeconds: retryAfter(res) });
  }

  async mime(ref: MailItemRef, asUser: UserAssertion, maxBytes: number): Promise<Buffer> {
    const res = await this.get(ref, asUser, "/$value", { accept: "*/*" });
    const declared = Number(res.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new UserMailError("MAIL_TOO_LARGE");
    }
    // Read at most maxBytes: a message far over the limit is not held in memory whole.
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > maxBytes) {
            await res.body.cancel().catch(() => undefined);
            throw new UserMailError("MAIL_TOO_LARGE");
          }
          chunks.push(Buffer.from(chunk));
        }
      }
    } catch (error) {
      if (error instanceof UserMailError) throw error;
      throw new UserMailError("GRAPH_UNAVAILABLE", { cause: error });
    }
    const data = Buffer.concat(chunks);
    if (data.length === 0) throw new UserMailError("GRAPH_UNAVAILABLE");
    return data;
  }

  async details(ref: MailItemRef, asUser: UserAssertion): Promise<MailDetails> {
    const res = await this.get(ref, asUser, "?$select=internetMessageHeaders,body,subject,from,receivedDateTime", {
      accept: "application/json",
      prefer: 'outlook.body-content-type="text"',
    });
    let parsed: z.infer<typeof detailsShape>;
    try {
      parsed = detailsShape.parse(await res.json());
    } catch (error) {
      throw new UserMailError("GRAPH_UNAVAILABLE", { cause: error });
    }
    const from = parsed.from?.emailAddress;
    return {
      subject: parsed.subject ?? "",
      ...(from && (from.address || from.name) ? { from: { ...(from.name ? { name: from.name } : {}), ...(from.address ? { address: from.address } : {}) } } : {}),
      ...(parsed.receivedDateTime ? { receivedDateTime: parsed.receivedDateTime } : {}),
      headers: parsed.internetMessageHeaders ?? [],
      body: { contentType: parsed.body?.contentType?.toLowerCase() === "html" ? "html" : "text", content: parsed.body?.content ?? "" },
    };
  }
}
