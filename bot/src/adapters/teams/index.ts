// The Teams bot, put together: CloudAdapter (Bot Framework authentication), CalmBot (TeamsActivityHandler), the
// card actions, the channel notifier and the `POST /api/messages` route. Every botbuilder import in CALM lives in
// this folder, so the channel SDK can be swapped without touching services or core.
//
// Authentication: in production the Bot Framework signs every activity; botbuilder checks the token (issuer,
// audience = our bot's app id, signature against the Bot Framework's keys). Before that, the route refuses at once
// any request without a token meant for this bot (no token, another audience, expired, unsigned), so a replayed or
// forged activity never reaches the bot and costs no key fetch. Only a local server (CALM_ENV=local, no BOT_ID) may
// accept unsigned activities, for the Microsoft 365 Agents Playground.
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ConversationReference,
  type TurnContext,
} from "botbuilder";
// botbuilder's own connector package (the exact version botbuilder depends on): the public cloud's auth constants.
import { AuthenticationConstants } from "botframework-connector";
import type { Role } from "../../../../core/src/domain";
import type { CallerDirectory } from "../../ports/callerDirectory";
import type { ConversationStore } from "../../ports/conversations";
import type { DecisionBodyStore } from "../../ports/decisionBody";
import type { Clock, Logger } from "../../ports/system";
import { SeatAndRoleDirectory, type RoleMapEntry } from "../../services/callerDirectory";
import type { Casework } from "../../services/casework";
import type { LookupService } from "../../services/lookup";
import type { Route } from "../http/router";
import { CalmActions } from "./actions";
import { httpAttachmentFetcher, type AttachmentFetcher } from "./attachments";
import { CalmBot } from "./bot";
import { noticeCard } from "./cards/common";
import { cardAttachment } from "./cardMessage";
import { botRoutes } from "./endpoint";
import { TeamsCaseNotifier, type Proactive, type RetryPolicy } from "./notifier";
import { UserIds } from "./userIds";

export { CalmActions } from "./actions";
export { CalmBot } from "./bot";
export { TeamsCaseNotifier, withThrottleRetry, type Proactive } from "./notifier";

export interface TeamsBotOptions {
  /** The bot's Microsoft App ID (Azure Bot registration); the audience of the Bot Framework's tokens. */
  appId?: string;
  appPassword?: string;
  appType?: "MultiTenant" | "SingleTenant" | "UserAssignedMsi";
  tenantId?: string;
  /** Local only: accept activities without a Bot Framework token (the Agents Playground). */
  allowUnauthenticated?: boolean;
  /** Bot Framework OpenID metadata (tests point it at a local issuer; production uses botbuilder's default). */
  openIdMetadataUrl?: string;
  /** Who a Teams user is to CALM; default: decision body seats plus `roleMap` and `defaultRoles`. */
  directory?: CallerDirectory;
  roleMap?: ReadonlyMap<string, RoleMapEntry>;
  defaultRoles?: Role[];
  tabUrl?: string;
  /** Hosts files may be downloaded from (a leading dot matches subdomains). */
  attachmentHosts?: string[];
  fetchAttachment?: AttachmentFetcher;
  invokeBudgetMs?: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Tests: run proactive logic with their own adapter instead of the CloudAdapter. */
  proactive?: Proactive;
}

export interface TeamsBotDeps {
  lookup: LookupService;
  /** The per-user lookup rate limit shared with the API (issue 8). */
  rateLimit?: (userId: string) => { ok: true } | { ok: false; retryAfterSec: number };
  casework(): Casework | undefined;
  conversations: ConversationStore;
  decisionBody: DecisionBodyStore;
  registerName: string;
  clock: Clock;
  logger: Logger;
}

export interface TeamsBot {
  bot: CalmBot;
  actions: CalmActions;
  notifier: TeamsCaseNotifier;
  userIds: UserIds;
  directory: CallerDirectory;
  adapter: CloudAdapter;
  routes(): Route[];
}

export const DEFAULT_ATTACHMENT_HOSTS = [".sharepoint.com", ".sharepoint.us", ".botframework.com", "smba.trafficmanager.net", ".teams.microsoft.com"];

export function createTeamsBot(deps: TeamsBotDeps, options: TeamsBotOptions = {}): TeamsBot {
  const appId = options.appId ?? "";
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: options.appPassword ?? "",
    MicrosoftAppType: options.appType ?? (appId ? "MultiTenant" : ""),
    MicrosoftAppTenantId: options.tenantId ?? "",
  });
  // Public cloud defaults; a test's own OpenID metadata replaces only where the keys come from (botbuilder then
  // takes every other parameter as given, so they are all spelled out).
  const metadata = options.openIdMetadataUrl
    ? {
        ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
        ValidateAuthority: true,
      }
    : {};
  const auth = new ConfigurationBotFrameworkAuthentication(
    { MicrosoftAppId: appId, ...(options.tenantId ? { MicrosoftAppTenantId: options.tenantId } : {}), ...metadata },
    credentials,
  );
  const adapter = new CloudAdapter(auth);
  const userIds = new UserIds({ conversations: deps.conversations, clock: deps.clock, logger: deps.logger });
  const directory = options.directory ?? new SeatAndRoleDirectory({
    decisionBody: deps.decisionBody,
    roleMap: options.roleMap ?? new Map(),
    ...(options.defaultRoles ? { defaultRoles: options.defaultRoles } : {}),
    ...(options.tenantId && !options.allowUnauthenticated ? { tenantId: options.tenantId } : {}),
    clock: deps.clock,
  });
  const actions = new CalmActions({
    lookup: deps.lookup,
    casework: () => deps.casework(),
    directory,
    conversations: deps.conversations,
    registerName: deps.registerName,
    clock: deps.clock,
    logger: deps.logger,
    refreshUserIds: (ids) => userIds.teamsIdsFor(ids),
    ...(options.tabUrl ? { tabUrl: options.tabUrl } : {}),
    ...(deps.rateLimit ? { rateLimit: deps.rateLimit } : {}),
  });
  const proactive: Proactive = options.proactive ?? ((reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => adapter.continueConversationAsync(appId, reference, logic));
  const notifier = new TeamsCaseNotifier({ proactive, conversations: deps.conversations, actions, casework: () => deps.casework(), userIds, clock: deps.clock, logger: deps.logger, ...(options.sleep ? { sleep: options.sleep } : {}), ...(options.retry ? { retry: options.retry } : {}) });
  const bot = new CalmBot({
    actions,
    casework: () => deps.casework(),
    directory,
    conversations: deps.conversations,
    clock: deps.clock,
    logger: deps.logger,
    fetchAttachment: options.fetchAttachment ?? httpAttachmentFetcher({ allowedHosts: options.attachmentHosts ?? DEFAULT_ATTACHMENT_HOSTS, allowLocalHttp: options.allowUnauthenticated === true }),
    ...(options.invokeBudgetMs ? { invokeBudgetMs: options.invokeBudgetMs } : {}),
    rememberUser: (aad, teamsId) => userIds.remember(aad, teamsId),
  });
  adapter.onTurnError = async (context, error) => {
    deps.logger.error("bot.turn_failed", { error: error instanceof Error ? error.name : "unknown", type: context.activity.type });
    if (context.activity.type === "message") {
      await context.sendActivity({ type: "message", attachments: [cardAttachment(noticeCard("Something went wrong on our side", "Nothing was changed. Try again; if it keeps happening, tell IT.", "error", [], "INTERNAL_ERROR"))] });
    }
  };
  return {
    bot,
    actions,
    notifier,
    userIds,
    directory,
    adapter,
    routes: () => botRoutes({ adapter, auth, bot, appId, allowUnauthenticated: options.allowUnauthenticated === true, clock: deps.clock, logger: deps.logger }),
  };
}
