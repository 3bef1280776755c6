// Builds the running application from its parts. index.ts (the composition root) feeds it real adapters from
// config; tests feed it memory stores, a fake clock and their own token issuer. Nothing here reads process.env.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Caller, EntryView, RiskLevel } from "../../core/src/domain";
import { LookupService } from "./services/lookup";
import { ComposeGuardService } from "./services/composeGuard";
import type { Stores } from "./ports/stores";
import type { Clock, IdGenerator, Logger } from "./ports/system";
import { Router, type Route } from "./adapters/http/router";
import { devSignInRoutes, healthRoutes, lookupRoutes, type HealthCheck } from "./adapters/http/routes/core";
import type { TokenValidator } from "./adapters/http/auth";
import type { LocalIssuer } from "./adapters/http/devSignIn";
import { apiHeaders } from "./adapters/http/securityHeaders";
import { addinRoutes } from "./adapters/http/routes/addin";

/** The policy in force, as the server needs it. Built from a profile by policyBinding.ts. */
export interface PolicyBinding {
  presetId: string;
  registerName: string;
  viewFor(caller: Caller, entry: { riskLevel: RiskLevel; isPremises: boolean }): EntryView;
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
  /** Serves static pages for requests no route matches. */
  staticFallback?(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
}

export interface AppServices {
  lookup: LookupService;
  /** Outlook add-in: recipients with contact restrictions, and the audited "send anyway" (issue 5). */
  composeGuard: ComposeGuardService;
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
  const lookup = new LookupService({
    stores: deps.stores,
    clock: deps.clock,
    ids: deps.ids,
    logger: deps.logger,
    registerName: deps.policy.registerName,
    viewFor: (caller, entry) => deps.policy.viewFor(caller, entry),
  });
  const composeGuard = new ComposeGuardService({ lookup, stores: deps.stores, clock: deps.clock, ids: deps.ids, logger: deps.logger });
  const services: AppServices = { lookup, composeGuard };

  const router = new Router({
    logger: deps.logger,
    authenticate: (header) => deps.tokens.validate(header),
    headers: apiHeaders(),
    fallback: deps.staticFallback ? (req, res) => deps.staticFallback!(req, res) : undefined,
  });
  const routes: Route[] = [
    ...healthRoutes(deps.healthChecks ?? [], deps.version ?? "dev"),
    ...lookupRoutes(lookup),
    ...addinRoutes({ composeGuard, registerName: deps.policy.registerName }),
    ...(deps.devIssuer ? devSignInRoutes(deps.devIssuer) : []),
    ...(deps.extraRoutes?.(services) ?? []),
  ];
  for (const r of routes) router.add(r);

  const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 20_000, requestTimeout: 30_000 }, router.listener);
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
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, drainMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
