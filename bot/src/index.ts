// Composition root: config → adapters → services → HTTP server (ARCHITECTURE.md). The only place that chooses
// real adapters. Everything it builds is also buildable by tests through createApp().
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { ConfigError, loadConfig, type Config } from "./config";
import { createApp } from "./app";
import { bindPolicy, loadPolicyProfile, PolicyLoadError } from "./policyBinding";
import { TokenValidator } from "./adapters/http/auth";
import { createLocalIssuer, type LocalIssuer } from "./adapters/http/devSignIn";
import { createLogger } from "./adapters/system/logger";
import { systemClock, uuidIds } from "./adapters/system/clock";
import { createMemoryStores } from "./adapters/memory";
import { createTableStores } from "./adapters/tables";
import { SPOOLED_AUDIT_BATCHING, SpooledAuditStore } from "./adapters/system/auditSpool";
import { createAzureBlobStore } from "./adapters/blobs";
import type { BlobStore } from "./ports/blobs";
import { staticPages } from "./adapters/http/staticPages";
import type { Stores } from "./ports/stores";
import { createMailProtection, type MailProtection, type MailProtectionOptions } from "./mailProtection";
import type { GraphCredentials } from "./adapters/graph/auth";
import { divertRoutes } from "./adapters/http/routes/diverts";
import type { Logger } from "./ports/system";
import { createMemoryPortalStores } from "./adapters/memory/portal";
import { createMemoryLifecycleStores } from "./adapters/memory/lifecycle";
import { createLifecycleTableStores } from "./adapters/tables/lifecycle";
import type { LifecycleStores } from "./ports/lifecycle";
import { createPortalTableStores } from "./adapters/tables/portal";
import { createOboTokenFunction } from "./adapters/graph/obo";
import { GraphDirectory } from "./adapters/graph/directory";
import { LocalDirectory } from "./adapters/http/devDirectory";
import { GraphUserMail } from "./adapters/graph/userMail";
import { createLocalOboTokenFunction } from "./adapters/graph/localObo";
import type { UserMailReader } from "./ports/userMail";
import type { PortalStores } from "./ports/portal";
import type { StaffDirectory } from "./ports/directory";
import { createMemoryBotStores } from "./adapters/memory/bot";
import { createBotTableStores } from "./adapters/tables/bot";
import type { BotStores } from "./ports/conversations";
import type { TeamsBotOptions } from "./adapters/teams";
import { personaRoleMap } from "./adapters/teams/personas";
import { PERSONAS } from "./adapters/http/devSignIn";

const VERSION = process.env.npm_package_version ?? "dev";

/** The main stores. With CALM_AUDIT_SPOOL_DIR, audit events go through the spool (auditSpool.ts): an audited
 * request waits for the local disk, and the chain in storage gets them in batches (SPOOLED_AUDIT_BATCHING). */
export async function storesFor(config: Config, logger: Logger): Promise<{ stores: Stores; close: () => Promise<void> }> {
  const s = config.storage;
  if (s.kind === "memory") return { stores: createMemoryStores(), close: async () => {} };
  const common = {
    tablePrefix: s.tablePrefix,
    identifierHashKey: config.identifierHashKey,
    auditChainId: config.auditChainId,
    ...(config.auditSpoolDir ? SPOOLED_AUDIT_BATCHING : {}),
  };
  const tables = s.kind === "connectionString"
    ? await createTableStores({ connectionString: s.connectionString, ...common })
    : await createTableStores({ tableEndpoint: s.tableEndpoint, credential: s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential(), ...common });
  if (!config.auditSpoolDir) return { stores: tables, close: () => tables.audit.flush() };
  const audit = await SpooledAuditStore.open(tables.audit, { dir: config.auditSpoolDir, logger });
  return { stores: { ...tables, audit }, close: () => audit.close() };
}

/** The container for evidence files and letters (blob names inside it start `evidence/`, `letters/`). */
export const FILES_CONTAINER = "calm-files";

/** Evidence files and letters, when storage is configured; undefined with memory storage. */
export async function blobsFor(config: Config): Promise<BlobStore | undefined> {
  const s = config.storage;
  if (s.kind === "memory") return undefined;
  if (s.kind === "connectionString") return createAzureBlobStore({ connectionString: s.connectionString, containerName: FILES_CONTAINER });
  if (!s.blobEndpoint) return undefined;
  const credential = s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential();
  return createAzureBlobStore({ blobEndpoint: s.blobEndpoint, credential, containerName: FILES_CONTAINER });
}

/** The lifecycle's stores (warnings, reviews, appeals, letters, retention, notifications, the scheduler's leases). */
export async function lifecycleStoresFor(config: Config): Promise<LifecycleStores> {
  const s = config.storage;
  if (s.kind === "memory") return createMemoryLifecycleStores();
  if (s.kind === "connectionString") return createLifecycleTableStores({ connectionString: s.connectionString, tablePrefix: s.tablePrefix });
  const credential = s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential();
  return createLifecycleTableStores({ tableEndpoint: s.tableEndpoint, credential, tablePrefix: s.tablePrefix });
}

/** The staff portal's stores (access grants, recorded contact), beside the main stores. */
export async function portalStoresFor(config: Config): Promise<PortalStores> {
  const s = config.storage;
  if (s.kind === "memory") return createMemoryPortalStores();
  if (s.kind === "connectionString") return createPortalTableStores({ connectionString: s.connectionString, tablePrefix: s.tablePrefix });
  const credential = s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential();
  return createPortalTableStores({ tableEndpoint: s.tableEndpoint, credential, tablePrefix: s.tablePrefix });
}

/** The staff directory: Graph as the signed-in user (on-behalf-of) when the app's secret is configured; the
 * fictional personas with local sign-in; otherwise none (the portal then shows ids and says why). */
export function directoryFor(config: Config): StaffDirectory | undefined {
  if (config.auth.devSignIn) return new LocalDirectory();
  if (!config.auth.clientSecret) return undefined;
  const obo = createOboTokenFunction({ tenantId: config.auth.tenantId, clientId: config.auth.clientId, clientSecret: config.auth.clientSecret, authorityHost: config.auth.authorityHost });
  return new GraphDirectory({ baseUrl: config.graphBaseUrl, obo });
}

/** Emails read from the signed-in person's mailbox for "Report this email" (when Outlook cannot copy one): Graph as
 * the signed-in user (on-behalf-of) when the app's secret is configured; locally, with local sign-in and the Graph
 * simulator, the simulator as the persona; otherwise none (the add-in then keeps what Outlook gives). */
export function userMailFor(config: Config, devIssuer?: LocalIssuer): UserMailReader | undefined {
  if (config.auth.devSignIn) {
    if (config.graph.auth !== "simulator" || !devIssuer) return undefined;
    return new GraphUserMail({ baseUrl: config.graphBaseUrl, obo: createLocalOboTokenFunction(devIssuer) });
  }
  if (!config.auth.clientSecret) return undefined;
  const obo = createOboTokenFunction({ tenantId: config.auth.tenantId, clientId: config.auth.clientId, clientSecret: config.auth.clientSecret, authorityHost: config.auth.authorityHost });
  return new GraphUserMail({ baseUrl: config.graphBaseUrl, obo });
}

/** The bot's stores (decision body seats, conversation references), beside the main stores. */
export async function botStoresFor(config: Config): Promise<BotStores> {
  const s = config.storage;
  if (s.kind === "memory") return createMemoryBotStores();
  if (s.kind === "connectionString") return createBotTableStores({ connectionString: s.connectionString, tablePrefix: s.tablePrefix });
  const credential = s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential();
  return createBotTableStores({ tableEndpoint: s.tableEndpoint, credential, tablePrefix: s.tablePrefix });
}

/** The Teams bot: its Bot Framework registration and who is who. Locally the fictional personas (the Agents
 * Playground's mock users carry their ids); in production CALM_BOT_ROLES and the decision body's seats. */
export function botOptionsFor(config: Config): TeamsBotOptions {
  const b = config.bot;
  const roleMap = config.auth.devSignIn
    ? personaRoleMap(PERSONAS)
    : new Map(Object.entries(b.roles).map(([id, roles]) => [id, { roles }]));
  return {
    ...(b.appId ? { appId: b.appId } : {}),
    ...(b.password ? { appPassword: b.password } : {}),
    ...(b.appType ? { appType: b.appType } : {}),
    ...(b.tenantId ? { tenantId: b.tenantId } : {}),
    allowUnauthenticated: b.allowUnauthenticated,
    roleMap,
    defaultRoles: b.defaultRoles,
    ...(b.tabUrl ? { tabUrl: b.tabUrl } : {}),
  };
}

export async function tokensFor(config: Config): Promise<{ tokens: TokenValidator; devIssuer?: LocalIssuer }> {
  const base = { tenantId: config.auth.tenantId, audiences: config.auth.audiences, requiredScope: config.auth.requiredScope, roleGroups: config.auth.roleGroups };
  if (config.auth.devSignIn) {
    // Local only (config.ts refuses the flag elsewhere): tokens from a key pair made now, checked by the same code.
    const devIssuer = await createLocalIssuer(config.auth.tenantId, config.auth.audiences[0]!);
    return { tokens: new TokenValidator({ ...base, issuers: [devIssuer.issuer], keys: { jwks: devIssuer.jwks } }), devIssuer };
  }
  return { tokens: new TokenValidator({ ...base, issuers: config.auth.issuers, keys: { jwksUri: config.auth.jwksUri } }) };
}

/** SPOC diverts and mail marking, when the server may call Graph (GRAPH_AUTH). */
export async function mailProtectionFor(config: Config, stores: Stores, logger: Logger, isListedAddress: (email: string) => { listed: boolean; reference?: string }): Promise<MailProtection | undefined> {
  if (config.graph.auth === "off") return undefined;
  const credentials: GraphCredentials = config.graph.auth === "simulator"
    ? { kind: "static", token: "calm-local-graph-simulator" }
    : { kind: "managed-identity", clientId: config.storage.kind === "managedIdentity" ? config.storage.clientId : undefined };
  const s = config.storage;
  const storage: MailProtectionOptions["storage"] = s.kind === "memory"
    ? { kind: "memory" }
    : s.kind === "connectionString"
      ? { kind: "connectionString", connectionString: s.connectionString, tablePrefix: s.tablePrefix }
      : { kind: "managedIdentity", tableEndpoint: s.tableEndpoint, credential: s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential(), tablePrefix: s.tablePrefix };
  return createMailProtection({
    graphBaseUrl: config.graphBaseUrl,
    credentials,
    ratePerSecond: config.graph.ratePerSecond,
    storage,
    identifierHashKey: config.identifierHashKey,
    publicBaseUrl: config.graph.publicUrl,
    markingScopeGroup: config.graph.markingScopeGroup,
    isListedAddress,
    audit: stores.audit,
    clock: systemClock,
    ids: uuidIds,
    logger,
  });
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger: Logger = createLogger(config.logLevel);
  let profile;
  try {
    profile = loadPolicyProfile(config.policy);
  } catch (error) {
    if (error instanceof PolicyLoadError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const opened = await storesFor(config, logger);
  const stores = opened.stores;
  const { tokens, devIssuer } = await tokensFor(config);
  const files = await blobsFor(config);
  // Graph mail protection (issue 6): built first so its routes can join the app; it asks the app's lookup index
  // whether a sender is listed once the app exists.
  let isListed: (email: string) => { listed: boolean; reference?: string } = () => ({ listed: false });
  const mail = await mailProtectionFor(config, stores, logger, (email) => isListed(email));
  const app = createApp({
    extraRoutes: () => (mail ? divertRoutes(mail, stores) : []),
    stores,
    policy: bindPolicy(profile),
    tokens,
    clock: systemClock,
    ids: uuidIds,
    logger,
    devIssuer,
    indexPollMs: config.indexPollMs,
    version: VERSION,
    healthChecks: [{ name: "storage", check: async () => { await stores.subjects.get("health-check"); return true; } }],
    staticFallback: staticPages({ devSignIn: config.auth.devSignIn }),
    subjectAccess: { blobs: files },
    ...(files ? { blobs: files } : {}),
    lifecycle: {
      stores: await lifecycleStoresFor(config),
      scheduler: { enabled: config.lifecycle.schedulerEnabled, intervalMs: config.lifecycle.schedulerIntervalMs, instanceId: config.lifecycle.instanceId ?? `calm-${process.pid}` },
      // Plain-http webhook receivers only on a developer machine (127.0.0.1 / localhost).
      allowInsecureWebhooks: config.env === "local",
    },
    portalStores: await portalStoresFor(config),
    directory: directoryFor(config),
    userMail: userMailFor(config, devIssuer),
    botStores: await botStoresFor(config),
    bot: botOptionsFor(config),
  });
  isListed = (email) => app.services.lookup.isListedAddress(email);
  const port = await app.start(config.port, config.host);
  mail?.start();
  logger.info("calm.started", { env: config.env, policy: profile.id, port, storage: config.storage.kind, devSignIn: config.auth.devSignIn });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("calm.stopping", { signal });
    Promise.all([app.stop(10_000), mail?.stop()]).then(() => opened.close()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`CALM could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
