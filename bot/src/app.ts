// Builds the running application from its parts. index.ts (the composition root) feeds it real adapters from
// config; tests feed it memory stores, a fake clock and their own token issuer. Nothing here reads process.env.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Caller, EntryView, RiskLevel } from "../../core/src/domain";
import type { PolicyProfile } from "../../core/src/policy/schema";
import type { TierGrant } from "../../core/src/rules/access";
import { LookupService } from "./services/lookup";
import { RateLimiter, type BucketSpec, type RateLimitClass } from "./services/rateLimit";
import { LookupWatch, type LookupWatchOptions } from "./services/lookupWatch";
import { AuditCheckService } from "./services/auditCheck";
import { lifecycleCollections, SubjectAccessService, type SubjectAccessDeps } from "./services/subjectAccess";
import { securityRoutes } from "./adapters/http/routes/security";
import { ComposeGuardService } from "./services/composeGuard";
import { OpenReportFinder } from "./services/openReports";
import type { Stores } from "./ports/stores";
import type { Clock, IdGenerator, Logger } from "./ports/system";
import { answerClientError, Router, type Route } from "./adapters/http/router";
import { devSignInRoutes, healthRoutes, lookupRoutes, type HealthCheck } from "./adapters/http/routes/core";
import type { TokenValidator } from "./adapters/http/auth";
import type { LocalIssuer } from "./adapters/http/devSignIn";
import { apiHeaders } from "./adapters/http/securityHeaders";
import { addinRoutes } from "./adapters/http/routes/addin";
import { portalRoutes } from "./adapters/http/routes/portal";
import { createMemoryPortalStores } from "./adapters/memory/portal";
import { AccessGrantService } from "./services/portal/grants";
import { PortalService, type PortalDeps } from "./services/portal/portal";
import type { PortalStores } from "./ports/portal";
import type { StaffDirectory } from "./ports/directory";
import type { UserMailReader } from "./ports/userMail";
import { createCasework, type Casework } from "./services/casework";
import { incidentRoutes } from "./adapters/http/routes/incidents";
import { caseRoutes } from "./adapters/http/routes/cases";
import { createMemoryBotStores } from "./adapters/memory/bot";
import { MemoryBlobStore } from "./adapters/memory/blobs";
import type { BlobStore } from "./ports/blobs";
import type { CaseNotifier } from "./ports/caseNotifier";
import type { BotStores } from "./ports/conversations";
import { LifecycleService, type SchedulerOptions } from "./services/lifecycle";
import { lifecycleTimelineSources, lifecycleWorkSections } from "./services/lifecycle/portal";
import { lifecycleRoutes } from "./adapters/http/routes/lifecycle";
import { createMemoryLifecycleStores, MemoryChannelNotifier } from "./adapters/memory/lifecycle";
import { docxLetterWriter, docxReportWriter } from "./adapters/letters";
import { httpWebhookSender } from "./adapters/webhooks/http";
import { TeamsChannelNotifier } from "./adapters/teams/lifecycleChannel";
import type { ChannelNotifier, LifecycleStores, WebhookSender } from "./ports/lifecycle";
import { createTeamsBot, type TeamsBot, type TeamsBotOptions } from "./adapters/teams";

/** The policy in force, as the server needs it. Built from a profile by policyBinding.ts. */
export interface PolicyBinding {
  presetId: string;
  registerName: string;
  /** `grants`: the caller's individual access grants (AccessGrantService.grantsFor), which can only widen the view. */
  viewFor(caller: Caller, entry: { riskLevel: RiskLevel; isPremises: boolean }, grants?: TierGrant[]): EntryView;
  /** The profile itself, for rules beyond the view (the portal's settings page, restriction catalogue). Test
   * bindings may leave it out; the routes that need it then say the policy is not loaded. */
  profile?: PolicyProfile;
}

export interface AppDeps {
  stores: Stores;
  policy: PolicyBinding;
  tokens: TokenValidator;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Set only when local development sign-in is enabled. */
  devIssuer?: LocalIssuer;
  indexPollMs?: number;
  version?: string;
  healthChecks?: HealthCheck[];
  /** More routes from later features (bot endpoint, tab API, Graph notifications). */
  extraRoutes?(services: AppServices): Route[];
  /** The staff portal's stores (access grants, recorded contact). index.ts passes table stores; tests may leave
   * it out for memory ones. */
  portalStores?: PortalStores;
  /** Names behind staff ids and people to grant access to: Graph on behalf of the user, or the local personas. */
  directory?: StaffDirectory;
  /** Emails read from the signed-in person's mailbox (or a shared one they can open) for "Report this email" where
   * Outlook cannot copy the email: Graph on behalf of the user, or the Graph simulator locally. Absent: the route
   * answers GRAPH_NOT_CONFIGURED and the add-in keeps what Outlook gives. */
  userMail?: UserMailReader;
  /** More for the portal from later features: timeline sources, work-list sections, diverts. */
  portal?: Pick<PortalDeps, "timelineSources" | "workSections" | "diverts" | "indexOptions">;
  /** Per-user rate limits on lookups and sender checks (services/rateLimit.ts); `false` turns one off. */
  rateLimits?: Partial<Record<RateLimitClass, BucketSpec | false>>;
  /** When one person looking up many people raises a `lookup-alert` (services/lookupWatch.ts). */
  lookupWatch?: LookupWatchOptions;
  /** Evidence files and more record stores for subject access exports (services/subjectAccess.ts). */
  subjectAccess?: Pick<SubjectAccessDeps, "blobs" | "collections" | "entryCollections">;
  /** Issue 3: evidence files, the decision body's seats and the bot's conversation references (each defaults to
   * memory), and where case events go (the Teams channel; default nowhere). */
  blobs?: BlobStore;
  botStores?: BotStores;
  caseNotifier?: CaseNotifier;
  /** Waits between ballot retries (tests pass a no-op). */
  ballotSleep?: (ms: number) => Promise<void>;
  /** The Teams bot (issue 3): Bot Framework registration, who is who, and local Playground mode. Without it the
   * bot endpoint is mounted but refuses every activity (no registration to check tokens against). */
  bot?: TeamsBotOptions;
  /** The lifecycle (issue 7): its stores (default memory), where channel posts and webhooks go (default: the bot's
   * proactive sender when the bot is registered, else kept in memory; webhooks over HTTPS), and the scheduler,
   * which runs only when `scheduler.enabled` (index.ts turns it on; tests run it by hand). */
  lifecycle?: {
    stores?: LifecycleStores;
    channel?: ChannelNotifier;
    webhooks?: WebhookSender;
    scheduler?: Partial<SchedulerOptions> & { enabled?: boolean; firstRunMs?: number };
    allowInsecureWebhooks?: boolean;
  };
  /** Serves static pages for requests no route matches. */
  staticFallback?(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
}

export interface AppServices {
  lookup: LookupService;
  /** Rate limits, the lookup watch, audit chain checks and subject access exports (issue 8). */
  security: { rateLimiter: RateLimiter; lookupWatch: LookupWatch; auditCheck: AuditCheckService; subjectAccess: SubjectAccessService };
  /** Outlook add-in: recipients with contact restrictions, and the audited "send anyway" (issue 5). */
  composeGuard: ComposeGuardService;
  /** Staff portal (issue 4): access grants (which feed every view) and the portal's use cases. */
  grants: AccessGrantService;
  portal: PortalService;
  /** Incidents, cases, votes and the register (issue 3); absent when the policy binding carries no profile. */
  casework?: Casework;
  /** Warnings, reviews, appeals, letters, notifications, retention, reports and their scheduler (issue 7);
   * absent when the policy binding carries no profile. */
  lifecycle?: LifecycleService;
  /** The Teams bot: card actions, the channel notifier and the endpoint (issue 3). */
  teams: TeamsBot;
}

export interface App {
  services: AppServices;
  router: Router;
  server: http.Server;
  /** Loads the lookup index, starts pollers and listens. Resolves with the bound port. */
  start(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to `drainMs`), stops pollers. */
  stop(drainMs?: number): Promise<void>;
}

export function createApp(deps: AppDeps): App {
  // One contacts collection for the portal's recorded contact and the lifecycle's reviews and purges.
  const lifecycleStores = deps.lifecycle?.stores ?? createMemoryLifecycleStores();
  const portalStores = deps.portalStores ?? createMemoryPortalStores(lifecycleStores.contacts);
  // Evidence and letters share one blob store, so the retention purge reaches both.
  const blobs = deps.blobs ?? new MemoryBlobStore();
  const late: { lifecycle?: LifecycleService } = {};
  const grants = new AccessGrantService({ store: portalStores.grants, audit: deps.stores.audit, clock: deps.clock, ids: deps.ids, logger: deps.logger });
  const rateLimiter = new RateLimiter(deps.rateLimits ?? {});
  const lookupWatch = new LookupWatch({ audit: deps.stores.audit, clock: deps.clock, ids: deps.ids, logger: deps.logger }, deps.lookupWatch);
  const lookup = new LookupService({
    stores: deps.stores,
    clock: deps.clock,
    ids: deps.ids,
    logger: deps.logger,
    registerName: deps.policy.registerName,
    onAudited: (actorId, subjectIds, surface) => lookupWatch.observe(actorId, subjectIds, surface),
    // Access grants widen the policy's view on every surface (Dorset 7.1), held in memory for the hot path.
    viewFor: (caller, entry) => deps.policy.viewFor(caller, entry, grants.grantsFor(caller)),
  });
  const portal = new PortalService({
    stores: deps.stores,
    portalStores,
    policy: deps.policy,
    grants,
    clock: deps.clock,
    ids: deps.ids,
    logger: deps.logger,
    subjectChanged: (id) => lookup.subjectChanged(id),
    ...(deps.directory ? { directory: deps.directory } : {}),
    ...deps.portal,
    timelineSources: [...(deps.portal?.timelineSources ?? []), ...lifecycleTimelineSources(() => late.lifecycle)],
    workSections: async (caller, visible) => [
      ...(deps.portal?.workSections ? await deps.portal.workSections(caller, visible) : []),
      ...(await lifecycleWorkSections(() => late.lifecycle)(caller, visible)),
    ],
  });
  const composeGuard = new ComposeGuardService({ lookup, stores: deps.stores, clock: deps.clock, ids: deps.ids, logger: deps.logger });
  const security = {
    rateLimiter,
    lookupWatch,
    auditCheck: new AuditCheckService({ audit: deps.stores.audit, clock: deps.clock, ids: deps.ids, logger: deps.logger }),
    // A subject access export holds everything about the person: the lifecycle's records found by subject, and
    // the evidence and letter files from the one blob store.
    subjectAccess: new SubjectAccessService({
      stores: deps.stores,
      clock: deps.clock,
      ids: deps.ids,
      logger: deps.logger,
      blobs,
      collections: lifecycleCollections(lifecycleStores),
      ...deps.subjectAccess,
    }),
  };
  const botStores = deps.botStores ?? createMemoryBotStores();
  let casework: Casework | undefined;
  const teams = createTeamsBot(
    {
      lookup, casework: () => casework, conversations: botStores.conversations, decisionBody: botStores.decisionBody, registerName: deps.policy.registerName, clock: deps.clock, logger: deps.logger,
      // Lookups from Teams take from the same per-user bucket as the API's, and a refusal is audited the same way.
      rateLimit: (userId) => {
        const decision = rateLimiter.take(userId, "lookup");
        if (!decision.ok) lookupWatch.rateLimited(userId, "lookup", "bot");
        return decision;
      },
    },
    deps.bot ?? {},
  );
  const services: AppServices = { security, lookup, composeGuard, grants, portal, teams };
  if (deps.policy.profile) {
    services.casework = casework = createCasework({
      stores: deps.stores,
      blobs,
      botStores,
      profile: deps.policy.profile,
      clock: deps.clock,
      ids: deps.ids,
      logger: deps.logger,
      lookup,
      notifier: deps.caseNotifier ?? teams.notifier,
      ...(deps.userMail ? { mail: deps.userMail } : {}),
      ...(deps.ballotSleep ? { sleep: deps.ballotSleep } : {}),
    });
  }
  if (deps.policy.profile) {
    const lc = deps.lifecycle ?? {};
    const appId = deps.bot?.appId ?? "";
    // The bot's proactive sender when the bot is registered; otherwise posts are kept in memory (local runs).
    const channel =
      lc.channel ??
      (appId || deps.bot?.proactive
        ? new TeamsChannelNotifier({ proactive: deps.bot?.proactive ?? ((ref, logic) => services.teams.adapter.continueConversationAsync(appId, ref, logic)), conversations: botStores.conversations, logger: deps.logger })
        : new MemoryChannelNotifier());
    services.lifecycle = late.lifecycle = new LifecycleService(
      {
        profile: deps.policy.profile,
        registerName: deps.policy.registerName,
        stores: deps.stores,
        lifecycle: lifecycleStores,
        blobs,
        clock: deps.clock,
        ids: deps.ids,
        logger: deps.logger,
        letters: docxLetterWriter,
        reports: docxReportWriter,
        channel,
        webhooks: lc.webhooks ?? httpWebhookSender,
        subjectChanged: (id) => lookup.subjectChanged(id),
        viewFor: (caller, entry) => deps.policy.viewFor(caller, entry, grants.grantsFor(caller)),
        ...(lc.allowInsecureWebhooks ? { allowInsecureWebhooks: true } : {}),
      },
      { intervalMs: lc.scheduler?.intervalMs ?? 60_000, instanceId: lc.scheduler?.instanceId ?? `calm-${process.pid}`, ...(lc.scheduler?.leaseMs ? { leaseMs: lc.scheduler.leaseMs } : {}) },
    );
  }

  // Graceful shutdown (issue 8): answers the router gives while stopping say `Connection: close`, so a kept-alive
  // connection ends with its last answer; any other connection is closed as soon as it goes idle (below).
  let stopping = false;
  const router = new Router({
    logger: deps.logger,
    authenticate: (header) => deps.tokens.authenticate(header),
    headers: apiHeaders(),
    fallback: deps.staticFallback ? (req, res) => deps.staticFallback!(req, res) : undefined,
    rateLimiter,
    onRateLimited: (caller, cls) => lookupWatch.rateLimited(caller.id, cls),
    closing: () => stopping,
  });
  const routes: Route[] = [
    ...healthRoutes(deps.healthChecks ?? [], deps.version ?? "dev"),
    ...lookupRoutes(lookup),
    ...securityRoutes(security),
    ...portalRoutes(portal, grants),
    ...addinRoutes({
      composeGuard,
      openReports: new OpenReportFinder({ stores: deps.stores, multiContactCategories: deps.policy.profile?.incidentReports?.multiContactCategories ?? null }),
      registerName: deps.policy.registerName,
      multiContactCategories: deps.policy.profile?.incidentReports?.multiContactCategories ?? null,
    }),
    ...incidentRoutes(services.casework),
    ...caseRoutes(services.casework),
    ...teams.routes(),
    ...(services.lifecycle ? lifecycleRoutes(services.lifecycle) : []),
    ...(deps.devIssuer ? devSignInRoutes(deps.devIssuer) : []),
    ...(deps.extraRoutes?.(services) ?? []),
  ];
  for (const r of routes) router.add(r);

  const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 20_000, requestTimeout: 30_000 }, router.listener);
  server.on("clientError", answerClientError);
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });

  return {
    services,
    router,
    server,
    async start(port, host = "127.0.0.1") {
      await lookup.load();
      lookup.startPolling(deps.indexPollMs ?? 500);
      await grants.load();
      grants.startPolling();
      if (services.lifecycle && deps.lifecycle?.scheduler?.enabled) services.lifecycle.scheduler.start(deps.lifecycle.scheduler.firstRunMs);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const bound = (server.address() as AddressInfo).port;
      deps.logger.info("server.listening", { port: bound, indexed: lookup.size });
      return bound;
    },
    async stop(drainMs = 10_000) {
      await lookup.stop();
      await lookupWatch.flush();
      await grants.stop();
      await services.lifecycle?.scheduler.stop();
      await services.casework?.cases.settled();
      await teams.notifier.idle();
      if (!server.listening) return;
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Connections whose answer was already on its way when stopping began go idle later: close them then.
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      sweeper.unref();
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, drainMs);
      timer.unref();
      await closed;
      clearInterval(sweeper);
      clearTimeout(timer);
      await lookupWatch.flush();
    },
  };
}
