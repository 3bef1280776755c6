// The only reader of process.env (ARCHITECTURE.md). Validated once at start-up: a bad or missing value stops the
// server with a message that names the variable and says what to put there. Local defaults need no secrets.
import path from "node:path";
import { z } from "zod";
import { ROLES, type Role } from "../../core/src/domain";

export const ENVIRONMENTS = ["local", "dev", "test", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const boolString = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const url = (what: string) =>
  z.string().url({ message: `must be a full URL (${what})` });

const envSchema = z
  .object({
    CALM_ENV: z.enum(ENVIRONMENTS, { message: `must be one of ${ENVIRONMENTS.join(", ")}` }).default("local"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().default("127.0.0.1"),
    CALM_POLICY_PRESET: z.string().min(1).default("dorset"),
    CALM_POLICY_FILE: z.string().optional(),

    STORAGE_CONNECTION_STRING: z.string().optional(),
    STORAGE_TABLE_ENDPOINT: url("the storage account's table endpoint").optional(),
    STORAGE_BLOB_ENDPOINT: url("the storage account's blob endpoint").optional(),
    STORAGE_TABLE_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,20}$/, { message: "must be letters and digits, starting with a letter, at most 21" }).default("calm"),
    AZURE_CLIENT_ID: z.string().optional(),
    CALM_IDENTIFIER_HASH_KEY: z.string().min(16, { message: "must be at least 16 characters" }).optional(),

    AAD_TENANT_ID: z.string().optional(),
    AAD_APP_CLIENT_ID: z.string().optional(),
    AAD_APP_ID_URI: z.string().optional(),
    /** For on-behalf-of calls to Graph as the signed-in user (the portal's directory). Key Vault in production. */
    AAD_APP_CLIENT_SECRET: z.string().min(1).optional(),
    AAD_AUTHORITY_HOST: url("the Entra ID authority host").default("https://login.microsoftonline.com"),
    AAD_JWKS_URI: url("the JWKS endpoint").optional(),
    CALM_API_SCOPE: z.string().default("access_as_user"),
    CALM_ROLE_GROUPS: z.string().optional(),
    CALM_DEV_SIGNIN: boolString,

    BOT_ID: z.string().optional(),
    BOT_TENANT_ID: z.string().optional(),
    BOT_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMsi"]).optional(),
    BOT_PASSWORD: z.string().optional(),
    BOT_ENDPOINT: z.string().optional(),
    TAB_ENDPOINT: z.string().optional(),
    /** The bot's role map (Entra app roles are not in bot activities): JSON of user object id → CALM roles, e.g.
     * {"<oid>":["officer"]}. Members of the decision body get their roles from their seats. */
    CALM_BOT_ROLES: z.string().optional(),
    /** Roles for any other member of the tenant who talks to the bot, comma-separated (default: none). */
    CALM_BOT_DEFAULT_ROLES: z.string().optional(),

    GRAPH_BASE_URL: url("the Microsoft Graph base URL").default("https://graph.microsoft.com"),
    /** How the server calls Graph as itself (diverts, mail marking): off, its managed identity, or a fixed token
     * for the local Graph simulator. */
    GRAPH_AUTH: z.enum(["off", "managed-identity", "simulator"]).default("off"),
    GRAPH_RATE_PER_SECOND: z.coerce.number().min(1).max(10_000).default(50),
    /** The public https base URL Graph sends change notifications to (e.g. https://calm.example.org). */
    CALM_PUBLIC_URL: url("the public address of this server").optional(),
    /** The mail-enabled group whose members' inboxes are watched for mail from listed senders. */
    CALM_MAIL_SCOPE_GROUP: z.string().max(320).optional(),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
    CALM_INDEX_POLL_MS: z.coerce.number().int().min(100).max(60000).default(500),
    /** The lifecycle scheduler (reviews due, expiry, reminders, notifications, retention): on or off, and how often. */
    CALM_SCHEDULER: z.enum(["on", "off"]).default("on"),
    CALM_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(60_000),
    /** Set by App Service on each instance: names the instance in the scheduler's leases. */
    WEBSITE_INSTANCE_ID: z.string().max(200).optional(),
    CALM_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    // The audit spool (docs/security.md "Audit spool"): a folder on storage that outlives the process; each
    // instance uses its own subfolder (WEBSITE_INSTANCE_ID). Unset: audited requests wait for Table Storage.
    CALM_AUDIT_SPOOL_DIR: z.string().min(1).max(500).optional(),
    // Which audit hash chain this instance appends to (docs/security.md "Audit chain"): one shared chain, or one
    // per App Service instance (WEBSITE_INSTANCE_ID) so instances never contend for the chain's head.
    CALM_AUDIT_CHAIN: z.string().regex(/^(per-instance|[A-Za-z0-9._-]{1,40})$/, { message: "must be per-instance, or a chain id of 1-40 letters, digits, dots, dashes or underscores" }).default("main"),
  })
  .superRefine((env, ctx) => {
    const production = env.CALM_ENV !== "local";
    if (env.CALM_DEV_SIGNIN && production) {
      ctx.addIssue({
        code: "custom",
        path: ["CALM_DEV_SIGNIN"],
        message: `must not be set when CALM_ENV is ${env.CALM_ENV}: development sign-in exists only on a local machine`,
      });
    }
    if (production) {
      for (const key of ["AAD_TENANT_ID", "AAD_APP_CLIENT_ID"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `is required when CALM_ENV is ${env.CALM_ENV}` });
      }
      if (!env.STORAGE_TABLE_ENDPOINT && !env.STORAGE_CONNECTION_STRING) {
        ctx.addIssue({ code: "custom", path: ["STORAGE_TABLE_ENDPOINT"], message: "is required (or STORAGE_CONNECTION_STRING) outside local" });
      }
      if (env.STORAGE_CONNECTION_STRING && env.CALM_ENV === "prod") {
        ctx.addIssue({ code: "custom", path: ["STORAGE_CONNECTION_STRING"], message: "must not be used in prod: use STORAGE_TABLE_ENDPOINT with a managed identity" });
      }
      if (!env.CALM_IDENTIFIER_HASH_KEY) {
        ctx.addIssue({ code: "custom", path: ["CALM_IDENTIFIER_HASH_KEY"], message: "is required outside local (App Service fills it from Key Vault)" });
      }
    }
    if (env.GRAPH_AUTH === "simulator" && production) {
      ctx.addIssue({ code: "custom", path: ["GRAPH_AUTH"], message: `must not be "simulator" when CALM_ENV is ${env.CALM_ENV}: use managed-identity` });
    }
    if (env.CALM_BOT_ROLES) {
      let good = false;
      try {
        good = z.record(z.string(), z.array(z.enum(ROLES))).safeParse(JSON.parse(env.CALM_BOT_ROLES)).success;
      } catch {
        good = false;
      }
      if (!good) ctx.addIssue({ code: "custom", path: ["CALM_BOT_ROLES"], message: `must be JSON mapping user object ids to lists of roles (${ROLES.join(", ")}), e.g. {"<object-id>":["officer"]}` });
    }
    if (env.CALM_BOT_DEFAULT_ROLES) {
      const unknown = env.CALM_BOT_DEFAULT_ROLES.split(",").map((r) => r.trim()).filter((r) => r && !(ROLES as readonly string[]).includes(r));
      if (unknown.length > 0) ctx.addIssue({ code: "custom", path: ["CALM_BOT_DEFAULT_ROLES"], message: `names roles CALM does not have (${unknown.join(", ")}); use ${ROLES.join(", ")}` });
    }
    if (env.CALM_ROLE_GROUPS) {
      try {
        const parsed: unknown = JSON.parse(env.CALM_ROLE_GROUPS);
        const check = z.record(z.string(), z.array(z.enum(ROLES))).safeParse(parsed);
        if (!check.success) throw new Error("shape");
      } catch {
        ctx.addIssue({
          code: "custom",
          path: ["CALM_ROLE_GROUPS"],
          message: `must be JSON mapping Entra group ids to lists of roles (${ROLES.join(", ")}), e.g. {"<group-id>":["officer"]}`,
        });
      }
    }
  });

export interface Config {
  env: Environment;
  port: number;
  host: string;
  policy: { preset: string; file?: string };
  storage:
    | { kind: "memory" }
    | { kind: "connectionString"; connectionString: string; tablePrefix: string }
    | { kind: "managedIdentity"; tableEndpoint: string; blobEndpoint?: string; clientId?: string; tablePrefix: string };
  identifierHashKey: string;
  auth: {
    tenantId: string;
    /** Accepted audiences: the app's client id and its Application ID URI. */
    audiences: string[];
    issuers: string[];
    jwksUri: string;
    requiredScope: string;
    roleGroups: Record<string, Role[]>;
    devSignIn: boolean;
    /** The app registration's client id, and its secret when on-behalf-of Graph calls are configured. */
    clientId: string;
    clientSecret?: string;
    authorityHost: string;
  };
  bot: {
    appId?: string;
    tenantId?: string;
    appType?: "MultiTenant" | "SingleTenant" | "UserAssignedMsi";
    password?: string;
    /** User object id → roles (CALM_BOT_ROLES). */
    roles: Record<string, Role[]>;
    defaultRoles: Role[];
    /** Local only, with no bot registration: accept unsigned activities (the Agents Playground). */
    allowUnauthenticated: boolean;
    tabUrl?: string;
  };
  graphBaseUrl: string;
  graph: { auth: "off" | "managed-identity" | "simulator"; ratePerSecond: number; publicUrl?: string; markingScopeGroup?: string };
  indexPollMs: number;
  /** The lifecycle scheduler (issue 7). */
  lifecycle: { schedulerEnabled: boolean; schedulerIntervalMs: number; instanceId?: string };
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  appInsightsConnectionString?: string;
  /** The audit hash chain this instance appends to. */
  auditChainId: string;
  /** This instance's audit spool folder, if spooling is on. */
  auditSpoolDir?: string;
}

/** Fictional ids used only on a developer machine. */
export const LOCAL_TENANT_ID = "00000000-0000-4000-8000-00000000c41a";
export const LOCAL_APP_CLIENT_ID = "00000000-0000-4000-8000-0000000ca1a0";
const LOCAL_HASH_KEY = "calm-local-development-identifier-key";

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(readonly problems: string[]) {
    super(`CALM cannot start because its configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}\nFix these environment variables and start it again.`);
    this.name = "ConfigError";
  }
}

/** Reads and validates configuration. `source` defaults to process.env; tests pass their own. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== "") picked[key] = value;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
  }
  const e = parsed.data;
  const tenantId = e.AAD_TENANT_ID ?? LOCAL_TENANT_ID;
  const clientId = e.AAD_APP_CLIENT_ID ?? LOCAL_APP_CLIENT_ID;
  const audiences = [clientId, ...(e.AAD_APP_ID_URI ? [e.AAD_APP_ID_URI] : [`api://${clientId}`])];
  const authority = e.AAD_AUTHORITY_HOST.replace(/\/+$/, "");
  // This instance's name, safe in a chain id and a folder name: the per-instance audit chain and spool folder.
  const instance = (e.WEBSITE_INSTANCE_ID ?? "local").replace(/[^A-Za-z0-9]/g, "").slice(0, 32) || "local";

  let storage: Config["storage"];
  if (e.STORAGE_TABLE_ENDPOINT) {
    storage = { kind: "managedIdentity", tableEndpoint: e.STORAGE_TABLE_ENDPOINT, blobEndpoint: e.STORAGE_BLOB_ENDPOINT, clientId: e.AZURE_CLIENT_ID, tablePrefix: e.STORAGE_TABLE_PREFIX };
  } else if (e.STORAGE_CONNECTION_STRING) {
    storage = { kind: "connectionString", connectionString: e.STORAGE_CONNECTION_STRING, tablePrefix: e.STORAGE_TABLE_PREFIX };
  } else {
    storage = { kind: "memory" };
  }

  return {
    env: e.CALM_ENV,
    port: e.PORT,
    host: e.HOST,
    policy: { preset: e.CALM_POLICY_PRESET, file: e.CALM_POLICY_FILE },
    storage,
    identifierHashKey: e.CALM_IDENTIFIER_HASH_KEY ?? LOCAL_HASH_KEY,
    auth: {
      tenantId,
      audiences,
      // v2.0 tokens, and v1.0 tokens for APIs whose manifest still issues them.
      issuers: [`${authority}/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`],
      jwksUri: e.AAD_JWKS_URI ?? `${authority}/${tenantId}/discovery/v2.0/keys`,
      requiredScope: e.CALM_API_SCOPE,
      roleGroups: e.CALM_ROLE_GROUPS ? (JSON.parse(e.CALM_ROLE_GROUPS) as Record<string, Role[]>) : {},
      devSignIn: e.CALM_DEV_SIGNIN,
      clientId,
      ...(e.AAD_APP_CLIENT_SECRET ? { clientSecret: e.AAD_APP_CLIENT_SECRET } : {}),
      authorityHost: authority,
    },
    bot: {
      appId: e.BOT_ID,
      tenantId: e.BOT_TENANT_ID,
      appType: e.BOT_TYPE,
      password: e.BOT_PASSWORD,
      roles: e.CALM_BOT_ROLES ? (JSON.parse(e.CALM_BOT_ROLES) as Record<string, Role[]>) : {},
      defaultRoles: (e.CALM_BOT_DEFAULT_ROLES ?? "").split(",").map((r) => r.trim()).filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
      allowUnauthenticated: e.CALM_ENV === "local" && !e.BOT_ID,
      ...(e.TAB_ENDPOINT ? { tabUrl: e.TAB_ENDPOINT } : {}),
    },
    graphBaseUrl: e.GRAPH_BASE_URL,
    graph: { auth: e.GRAPH_AUTH, ratePerSecond: e.GRAPH_RATE_PER_SECOND, publicUrl: e.CALM_PUBLIC_URL, markingScopeGroup: e.CALM_MAIL_SCOPE_GROUP },
    indexPollMs: e.CALM_INDEX_POLL_MS,
    lifecycle: { schedulerEnabled: e.CALM_SCHEDULER === "on", schedulerIntervalMs: e.CALM_SCHEDULER_INTERVAL_MS, instanceId: e.WEBSITE_INSTANCE_ID },
    logLevel: e.CALM_LOG_LEVEL,
    appInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING,
    auditSpoolDir: e.CALM_AUDIT_SPOOL_DIR ? path.join(path.resolve(e.CALM_AUDIT_SPOOL_DIR), instance) : undefined,
    auditChainId: e.CALM_AUDIT_CHAIN === "per-instance" ? `i-${instance}` : e.CALM_AUDIT_CHAIN,
  };
}
