// The Bicep templates, checked as text (no Bicep CLI on this machine): the security settings issue 9 asks for,
// @description on every parameter, outputs named after the environment variables the server reads, modules
// given exactly the parameters they declare, and one parameters file per environment.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import {
  INFRA, appSettingNames, blockAfter, code, modules, outputs, params, readInfra, resourceBlock, resourceType,
} from "./bicepText";

/** Environment variables the server reads (bot/src/config.ts and the deployment contract in issue 9). */
export const SERVER_ENV = new Set([
  "CALM_ENV", "PORT", "HOST", "CALM_POLICY_PRESET", "CALM_POLICY_FILE", "STORAGE_CONNECTION_STRING",
  "STORAGE_TABLE_ENDPOINT", "STORAGE_BLOB_ENDPOINT", "AZURE_CLIENT_ID", "AAD_TENANT_ID", "AAD_APP_CLIENT_ID",
  "AAD_APP_ID_URI", "BOT_ID", "BOT_TENANT_ID", "BOT_TYPE", "BOT_DOMAIN", "BOT_ENDPOINT", "TAB_DOMAIN",
  "TAB_ENDPOINT", "GRAPH_BASE_URL", "CALM_IDENTIFIER_HASH_KEY_SECRET_URI", "CALM_IDENTIFIER_HASH_KEY",
  "APPLICATIONINSIGHTS_CONNECTION_STRING", "CALM_ROLE_GROUPS", "CALM_DEV_SIGNIN", "TEAMS_APP_ID",
  "SPOC_DEFAULT_MAILBOX", "CALM_AUDIT_SPOOL_DIR",
]);

/** Outputs the toolkit itself consumes (zip deploy needs the web app's resource id). */
const TOOLKIT_OUTPUTS = new Set(["AZURE_APP_SERVICE_RESOURCE_ID"]);

/** App settings that configure App Service itself rather than the server. */
const PLATFORM_SETTINGS = new Set([
  "NODE_ENV", "SCM_DO_BUILD_DURING_DEPLOYMENT", "CUSTOM_BUILD_COMMAND", "XDT_MicrosoftApplicationInsights_Mode",
  "XDT_MicrosoftApplicationInsights_BaseExtensions", "XDT_MicrosoftApplicationInsights_NodeJS",
  "InstrumentationEngine_EXTENSION_VERSION", "DiagnosticServices_EXTENSION_VERSION",
  "SnapshotDebugger_EXTENSION_VERSION", "APPINSIGHTS_PROFILERFEATURE_VERSION", "APPINSIGHTS_SNAPSHOTFEATURE_VERSION",
]);

const main = readInfra("azure.bicep");
const moduleFiles = readdirSync(path.join(INFRA, "modules")).filter((f) => f.endsWith(".bicep"));
const allFiles = ["azure.bicep", ...moduleFiles.map((f) => `modules/${f}`)];

function property(block: string, name: string): string | undefined {
  const match = new RegExp(`^\\s*${name}:\\s*(.+)$`, "m").exec(code(block));
  return match?.[1]?.trim();
}

function resourceOfType(file: string, type: string): string {
  const text = readInfra(file);
  const symbols = [...text.matchAll(/^resource\s+(\w+)\s+'/gm)].map((m) => m[1]!);
  const symbol = symbols.find((s) => resourceType(text, s) === type);
  assert.ok(symbol, `${file} declares a ${type}`);
  return resourceBlock(text, symbol);
}

describe("infra: Bicep templates (read as text)", () => {
  describe("parameters and outputs", () => {
    for (const file of allFiles) {
      it(`${file}: every parameter has a @description`, () => {
        const declared = params(readInfra(file));
        assert.ok(declared.length > 0, `${file} declares parameters`);
        const missing = declared.filter((p) => !p.decorators.some((d) => d.startsWith("@description(")));
        assert.deepEqual(missing.map((p) => `${p.name} (line ${p.line})`), []);
      });
    }

    it("every output of azure.bicep is named after an environment variable the server reads", () => {
      const names = outputs(main);
      assert.ok(names.length >= 10);
      const strangers = names.filter((n) => !SERVER_ENV.has(n) && !TOOLKIT_OUTPUTS.has(n));
      assert.deepEqual(strangers, []);
    });

    it("outputs fill everything a deployed server and the app package need", () => {
      const names = new Set(outputs(main));
      for (const needed of ["STORAGE_TABLE_ENDPOINT", "STORAGE_BLOB_ENDPOINT", "AZURE_CLIENT_ID", "BOT_ID", "BOT_TENANT_ID",
        "BOT_DOMAIN", "BOT_ENDPOINT", "TAB_DOMAIN", "TAB_ENDPOINT", "AAD_APP_ID_URI", "AAD_TENANT_ID",
        "CALM_IDENTIFIER_HASH_KEY_SECRET_URI", "AZURE_APP_SERVICE_RESOURCE_ID"]) {
        assert.ok(names.has(needed), `output ${needed}`);
      }
    });

    it("the identifier hash key parameter is @secure and long enough", () => {
      for (const file of ["azure.bicep", "modules/keyVault.bicep"]) {
        const key = params(readInfra(file)).find((p) => p.name === "identifierHashKey");
        assert.ok(key, `${file} has identifierHashKey`);
        assert.ok(key.decorators.includes("@secure()"), `${file}: identifierHashKey is @secure`);
        assert.ok(key.decorators.some((d) => /^@minLength\((3[2-9]|[4-9]\d|\d{3,})\)$/.test(d)), `${file}: identifierHashKey has @minLength >= 32`);
        assert.equal(key.hasDefault, false, "no default: a key in the template would be a secret in the repository");
      }
    });

    it("no secret-looking parameter has a default value", () => {
      for (const file of allFiles) {
        for (const p of params(readInfra(file))) {
          if (/(key|secret|password)$/i.test(p.name) && p.name !== "identifierHashKey") assert.equal(p.hasDefault, false, `${file}: ${p.name}`);
        }
      }
    });
  });

  describe("modules", () => {
    const uses = modules(main);

    it("azure.bicep uses every module file, and each exists", () => {
      assert.deepEqual(uses.map((u) => u.file).sort(), moduleFiles.map((f) => `modules/${f}`).sort());
      for (const use of uses) assert.ok(existsSync(path.join(INFRA, use.file)), use.file);
    });

    for (const file of moduleFiles) {
      it(`modules/${file} gets exactly the parameters it declares, every required one included`, () => {
        const use = uses.find((u) => u.file === `modules/${file}`);
        assert.ok(use);
        const declared = params(readInfra(`modules/${file}`));
        const names = new Set(declared.map((p) => p.name));
        assert.deepEqual(use.params.filter((p) => !names.has(p)), [], "parameters the module does not declare");
        const required = declared.filter((p) => !p.hasDefault).map((p) => p.name);
        assert.deepEqual(required.filter((r) => !use.params.includes(r)), [], "required parameters not passed");
      });
    }
  });

  describe("managed identity and App Service", () => {
    const site = resourceOfType("modules/appService.bicep", "Microsoft.Web/sites");
    const plan = resourceOfType("modules/appService.bicep", "Microsoft.Web/serverfarms");

    it("a user-assigned managed identity exists and the web app runs as it", () => {
      assert.equal(resourceType(main, "identity"), "Microsoft.ManagedIdentity/userAssignedIdentities");
      assert.equal(property(site, "type"), "'UserAssigned'");
      assert.match(site, /userAssignedIdentities:\s*\{\s*'\$\{identityId\}':\s*\{\}/);
      assert.equal(property(site, "keyVaultReferenceIdentity"), "identityId");
    });

    it("Linux, Node 20, always on, health check /healthz", () => {
      assert.equal(property(plan, "reserved"), "true");
      assert.equal(property(site, "kind"), "'app,linux'");
      assert.equal(property(site, "linuxFxVersion"), "'NODE|20-lts'");
      assert.equal(property(site, "alwaysOn"), "true");
      assert.equal(property(site, "healthCheckPath"), "'/healthz'");
    });

    it("HTTPS only, TLS 1.2+, FTPS disabled, no remote debugging", () => {
      assert.equal(property(site, "httpsOnly"), "true");
      assert.equal(property(site, "minTlsVersion"), "'1.2'");
      assert.equal(property(site, "scmMinTlsVersion"), "'1.2'");
      assert.equal(property(site, "ftpsState"), "'Disabled'");
      assert.equal(property(site, "remoteDebuggingEnabled"), "false");
      const ftp = resourceOfType("modules/appService.bicep", "Microsoft.Web/sites/basicPublishingCredentialsPolicies");
      assert.equal(property(ftp, "allow"), "false");
    });

    it("stateless scale-out: no ARR affinity, several instances in production", () => {
      assert.equal(property(site, "clientAffinityEnabled"), "false");
      const prod = JSON.parse(readInfra("azure.parameters.prod.json")) as { parameters: Record<string, { value: unknown }> };
      assert.ok(Number(prod.parameters.appServiceInstanceCount?.value) >= 2, "prod runs at least two instances");
    });

    it("no request-level logs that would hold personal data", () => {
      assert.equal(property(site, "httpLoggingEnabled"), "false");
      assert.equal(property(site, "requestTracingEnabled"), "false");
      assert.equal(property(site, "detailedErrorLoggingEnabled"), "false");
      const diagnostics = resourceOfType("modules/appService.bicep", "Microsoft.Insights/diagnosticSettings");
      assert.doesNotMatch(code(diagnostics), /AppServiceHTTPLogs/, "HTTP logs (client IPs, query strings) are not collected");
      assert.match(diagnostics, /AppServiceConsoleLogs/);
    });
  });

  describe("app settings", () => {
    const settings = appSettingNames(main);

    it("every app setting is a server environment variable or an App Service platform setting", () => {
      const strangers = [...settings.keys()].filter((n) => !SERVER_ENV.has(n) && !PLATFORM_SETTINGS.has(n));
      assert.deepEqual(strangers, []);
    });

    it("the server gets its storage endpoints, identity, bot and Entra settings", () => {
      for (const name of ["CALM_ENV", "HOST", "CALM_POLICY_PRESET", "STORAGE_TABLE_ENDPOINT", "STORAGE_BLOB_ENDPOINT",
        "AZURE_CLIENT_ID", "AAD_TENANT_ID", "AAD_APP_CLIENT_ID", "AAD_APP_ID_URI", "BOT_ID", "BOT_TENANT_ID", "BOT_TYPE",
        "BOT_DOMAIN", "BOT_ENDPOINT", "TAB_DOMAIN", "TAB_ENDPOINT", "GRAPH_BASE_URL", "CALM_IDENTIFIER_HASH_KEY",
        "CALM_IDENTIFIER_HASH_KEY_SECRET_URI", "APPLICATIONINSIGHTS_CONNECTION_STRING"]) {
        assert.ok(settings.has(name), `app setting ${name}`);
      }
      assert.equal(settings.get("BOT_TYPE"), "'UserAssignedMsi'");
      assert.equal(settings.get("HOST"), "'0.0.0.0'");
      assert.equal(settings.get("CALM_DEV_SIGNIN"), "'false'");
    });

    it("the audit spool is on, under /home (App Service's persistent storage, which outlives an instance's restarts)", () => {
      assert.equal(settings.get("CALM_AUDIT_SPOOL_DIR"), "'/home/data/calm/audit-spool'");
    });

    it("no connection string or account key for storage: managed identity only", () => {
      assert.ok(!settings.has("STORAGE_CONNECTION_STRING"));
      assert.doesNotMatch(code(main), /listKeys\(|AccountKey=/);
    });

    it("the identifier hash key is a Key Vault reference, never a literal", () => {
      assert.match(settings.get("CALM_IDENTIFIER_HASH_KEY") ?? "", /^'@Microsoft\.KeyVault\(SecretUri=\$\{keyVault\.outputs\.identifierHashKeySecretUri\}\)'$/);
    });

    it("Azure's own request collectors stay off (agent unset, snapshot debugger, profiler and base extensions disabled)", () => {
      assert.ok(!settings.has("ApplicationInsightsAgent_EXTENSION_VERSION"), "no codeless agent (it records full URLs)");
      for (const name of ["XDT_MicrosoftApplicationInsights_Mode", "XDT_MicrosoftApplicationInsights_BaseExtensions",
        "InstrumentationEngine_EXTENSION_VERSION", "SnapshotDebugger_EXTENSION_VERSION", "APPINSIGHTS_SNAPSHOTFEATURE_VERSION",
        "APPINSIGHTS_PROFILERFEATURE_VERSION", "DiagnosticServices_EXTENSION_VERSION"]) {
        assert.equal(settings.get(name), "'disabled'", name);
      }
    });
  });

  describe("storage", () => {
    const storage = readInfra("modules/storage.bicep");
    const account = resourceOfType("modules/storage.bicep", "Microsoft.Storage/storageAccounts");

    it("no shared-key access, HTTPS only, TLS 1.2, no public blob access", () => {
      assert.equal(property(account, "allowSharedKeyAccess"), "false");
      assert.equal(property(account, "supportsHttpsTrafficOnly"), "true");
      assert.equal(property(account, "minimumTlsVersion"), "'TLS1_2'");
      assert.equal(property(account, "allowBlobPublicAccess"), "false");
      assert.equal(property(account, "defaultToOAuthAuthentication"), "true");
    });

    it("the identity gets Storage Table Data Contributor and Storage Blob Data Contributor on the account", () => {
      assert.match(storage, /var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'/);
      assert.match(storage, /var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'/);
      for (const symbol of ["tableDataContributor", "blobDataContributor"]) {
        assert.equal(resourceType(storage, symbol), "Microsoft.Authorization/roleAssignments");
        const block = resourceBlock(storage, symbol);
        assert.equal(property(block, "scope"), "account");
        assert.equal(property(block, "principalId"), "principalId");
        assert.equal(property(block, "principalType"), "'ServicePrincipal'");
      }
      assert.match(resourceBlock(storage, "tableDataContributor"), /storageTableDataContributor\)/);
      assert.match(resourceBlock(storage, "blobDataContributor"), /storageBlobDataContributor\)/);
    });

    it("deleted blobs are recoverable only for a short, set time", () => {
      const blob = resourceOfType("modules/storage.bicep", "Microsoft.Storage/storageAccounts/blobServices");
      assert.match(blob, /deleteRetentionPolicy:\s*\{\s*enabled: true\s*days: blobSoftDeleteDays/);
    });
  });

  describe("Key Vault", () => {
    const kvText = readInfra("modules/keyVault.bicep");
    const vault = resourceOfType("modules/keyVault.bicep", "Microsoft.KeyVault/vaults");

    it("RBAC authorisation, soft delete and purge protection", () => {
      assert.equal(property(vault, "enableRbacAuthorization"), "true");
      assert.equal(property(vault, "enableSoftDelete"), "true");
      assert.equal(property(vault, "enablePurgeProtection"), "true");
      assert.doesNotMatch(code(vault), /accessPolicies/);
    });

    it("holds the identifier hash key, readable by the identity through Key Vault Secrets User on that secret only", () => {
      const secret = resourceOfType("modules/keyVault.bicep", "Microsoft.KeyVault/vaults/secrets");
      assert.equal(property(secret, "value"), "identifierHashKey");
      assert.match(kvText, /var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'/);
      const assignment = resourceBlock(kvText, "secretsUser");
      assert.equal(property(assignment, "scope"), "identifierHashKeySecret");
      assert.equal(property(assignment, "principalId"), "principalId");
    });
  });

  describe("monitoring", () => {
    it("Application Insights is workspace-based and keeps IP masking on", () => {
      const ai = resourceOfType("modules/monitoring.bicep", "Microsoft.Insights/components");
      assert.equal(property(ai, "DisableIpMasking"), "false");
      assert.equal(property(ai, "WorkspaceResourceId"), "workspace.id");
    });

    it("says, where it matters, that the server logs no personal data", () => {
      assert.match(readInfra("modules/monitoring.bicep"), /server logs no personal data/);
    });
  });

  describe("Azure Bot", () => {
    const botText = readInfra("modules/botService.bicep");
    const bot = resourceOfType("modules/botService.bicep", "Microsoft.BotService/botServices");

    it("uses the user-assigned managed identity (no bot password)", () => {
      assert.equal(property(bot, "msaAppType"), "'UserAssignedMSI'");
      assert.equal(property(bot, "msaAppId"), "identityClientId");
      assert.equal(property(bot, "msaAppMSIResourceId"), "identityResourceId");
      const use = modules(main).find((m) => m.file === "modules/botService.bicep");
      assert.ok(use);
      const body = blockAfter(code(main), code(main).indexOf("module bot "));
      assert.match(body, /identityClientId: identity\.properties\.clientId/);
      assert.match(body, /endpoint: '\$\{endpoint\}\/api\/messages'/);
    });

    it("has the Teams channel", () => {
      const channel = resourceOfType("modules/botService.bicep", "Microsoft.BotService/botServices/channels");
      assert.equal(property(channel, "name"), "'MsTeamsChannel'");
      assert.match(botText, /channelName: 'MsTeamsChannel'/);
    });
  });

  describe("parameters files", () => {
    const declared = params(main);
    const declaredNames = new Set(declared.map((p) => p.name));

    for (const env of ["dev", "prod"]) {
      const file = `azure.parameters.${env}.json`;

      it(`${file} exists, references only declared parameters and sets every required one`, () => {
        assert.ok(existsSync(path.join(INFRA, file)), file);
        const json = JSON.parse(readInfra(file)) as { parameters: Record<string, { value: unknown }> };
        const given = Object.keys(json.parameters);
        assert.deepEqual(given.filter((g) => !declaredNames.has(g)), [], "undeclared parameters");
        const required = declared.filter((p) => !p.hasDefault).map((p) => p.name);
        assert.deepEqual(required.filter((r) => !given.includes(r)), [], "required parameters missing");
        assert.equal(json.parameters.calmEnv?.value, env);
      });

      it(`${file}: every value is allowed, and secrets come only from the toolkit's .user file`, () => {
        const json = JSON.parse(readInfra(file)) as { parameters: Record<string, { value: unknown }> };
        for (const p of declared) {
          const allowed = p.decorators.find((d) => d.startsWith("@allowed(["));
          const value = json.parameters[p.name]?.value;
          if (!allowed || typeof value !== "string" || value.startsWith("${{")) continue;
          assert.ok(allowed.includes(`'${value}'`), `${p.name}=${value} is one of ${allowed}`);
        }
        assert.equal(json.parameters.identifierHashKey?.value, "${{SECRET_CALM_IDENTIFIER_HASH_KEY}}");
      });

      it(`${file}: every \${{VAR}} it uses is defined in env/.env.${env} or written by provision`, () => {
        const text = readInfra(file);
        const envFile = readFileSync(path.resolve(INFRA, `../env/.env.${env}`), "utf8");
        const defined = new Set([...envFile.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
        const used = [...text.matchAll(/\$\{\{([A-Z_][A-Z0-9_]*)\}\}/g)].map((m) => m[1]!);
        assert.deepEqual(used.filter((u) => !defined.has(u)), []);
      });
    }
  });
});
