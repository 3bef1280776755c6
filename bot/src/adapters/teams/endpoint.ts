// `POST /api/messages`: where the Bot Framework (or, locally, the Agents Playground) delivers Teams activities.
// The route takes no CALM user token (auth "none"): the Bot Framework's own token is checked, first cheaply here
// (present, meant for this bot, not expired, signed), then fully by botbuilder's CloudAdapter.
import type { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import type { Clock, Logger } from "../../ports/system";
import { defineRoute, HttpError, type Reply, type Route } from "../http/router";
import type { CalmBot } from "./bot";

interface EndpointDeps {
  adapter: CloudAdapter;
  /** botbuilder's authentication, to check the token before the adapter runs the bot. */
  auth: ConfigurationBotFrameworkAuthentication;
  bot: CalmBot;
  appId: string;
  allowUnauthenticated: boolean;
  clock: Clock;
  logger: Logger;
}

const PROBLEM = "application/problem+json; charset=utf-8";

function problem(status: number, code: string, detail: string): Reply {
  return { status, contentType: PROBLEM, json: { type: `urn:calm:problem:${code.toLowerCase().replace(/_/g, "-")}`, title: status === 401 ? "Sign-in needed" : status === 503 ? "Service unavailable" : "The request is not valid", status, code, detail } };
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Why a Bot Framework token cannot be for us, or undefined if it may be (botbuilder then checks it fully). */
export function precheckBotToken(header: string | undefined, appId: string, nowMs: number): string | undefined {
  if (!header || !/^Bearer\s+\S+$/i.test(header)) return "BOT_TOKEN_MISSING";
  const [h, p, signature] = header.replace(/^Bearer\s+/i, "").split(".");
  const head = decodePart(h);
  const payload = decodePart(p);
  if (!head || !payload || !signature || typeof head.alg !== "string" || head.alg.toLowerCase() === "none") return "BOT_TOKEN_INVALID";
  const aud = payload.aud;
  if (!(aud === appId || (Array.isArray(aud) && aud.includes(appId)))) return "BOT_TOKEN_INVALID";
  if (typeof payload.exp !== "number" || payload.exp * 1000 < nowMs - 5 * 60_000) return "BOT_TOKEN_INVALID";
  return undefined;
}

export function botRoutes(deps: EndpointDeps): Route[] {
  return [
    defineRoute({
      id: "bot.messages",
      method: "POST",
      path: "/api/messages",
      permission: "bot.messages",
      auth: "none",
      bodyType: "raw",
      bodyLimit: 1024 * 1024,
      async handler({ rawBody, headers, req }) {
        if (!deps.allowUnauthenticated) {
          if (!deps.appId) return problem(401, "BOT_NOT_CONFIGURED", "This server has no Bot Framework registration, so it accepts no Teams activities.");
          const why = precheckBotToken(headers.authorization, deps.appId, deps.clock.now().getTime());
          if (why) return problem(401, why, "The request does not carry a Bot Framework token for this bot.");
        }
        let body: unknown;
        try {
          body = JSON.parse(rawBody.toString("utf8"));
        } catch {
          throw new HttpError(400, "INVALID_JSON", "The activity is not valid JSON.");
        }
        if (!body || typeof body !== "object" || Array.isArray(body) || typeof (body as { type?: unknown }).type !== "string") {
          throw new HttpError(400, "BOT_ACTIVITY_INVALID", "The request is not a Bot Framework activity.");
        }
        if (!deps.allowUnauthenticated) {
          // botbuilder's own checks (issuer, audience, signature and endorsement, service URL), run first so that any
          // refusal — including a bad signature, which the adapter would answer with 500 — is a 401 here.
          try {
            await deps.auth.authenticateRequest(body as Activity, headers.authorization ?? "");
          } catch (error) {
            const status = (error as { statusCode?: unknown }).statusCode;
            if (typeof status === "number" && status >= 500) {
              deps.logger.error("bot.auth_unavailable", { status });
              return { ...problem(503, "BOT_AUTH_UNAVAILABLE", "The Bot Framework's signing keys could not be fetched. Teams will retry."), headers: { "Retry-After": "5" } };
            }
            deps.logger.warn("bot.token_refused", { error: error instanceof Error ? error.name : "unknown" });
            return problem(401, "BOT_TOKEN_INVALID", "The Bot Framework token was not accepted.");
          }
        }
        const out: { status: number; body: unknown } = { status: 200, body: undefined };
        const res = {
          socket: req.socket,
          status(code: number) { out.status = code; return res; },
          header() { return res; },
          send(b: unknown) { out.body = b; return res; },
          end() { return res; },
        };
        await deps.adapter.process({ body: body as Record<string, unknown>, headers: headers, method: "POST" }, res, (context) => deps.bot.run(context));
        if (out.status === 401 || out.status === 403) return problem(401, "BOT_TOKEN_INVALID", "The Bot Framework token was not accepted.");
        if (out.status >= 500) {
          // botbuilder puts the error's own message in the body: keep it in the log (name only), not in the answer.
          deps.logger.error("bot.process_failed", { status: out.status });
          return problem(500, "INTERNAL_ERROR", "The bot could not handle the activity. Nothing was changed.");
        }
        if (out.status === 400) return problem(400, "BOT_ACTIVITY_INVALID", "The request is not a Bot Framework activity.");
        if (out.body === undefined || out.body === null || out.body === "") return { status: out.status, text: "" };
        return { status: out.status, json: out.body };
      },
    }),
  ];
}
