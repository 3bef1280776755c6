// CALM in a council's Azure subscription: one resource group holding
//   - a user-assigned managed identity: the server's only credential (storage, Key Vault, bot, Graph)
//   - App Service (Linux, Node 20) running the server: bot endpoint, REST API, tab and add-in pages
//   - a Storage account (Tables + blobs) reachable with Entra ID only
//   - Key Vault holding the identifier hash key
//   - Log Analytics + Application Insights, with personal data kept out
//   - the Azure Bot registration with the Teams channel
// Deployed by the Microsoft 365 Agents Toolkit (`arm/deploy` in m365agents.yml). Every output is named after the
// environment variable it fills, so the toolkit writes it straight into env/.env.<environment>.

targetScope = 'resourceGroup'

@description('Short lower-case name used in every resource name, e.g. calmdev or calmprod (3-12 letters or digits).')
@minLength(3)
@maxLength(12)
param resourceBaseName string

@description('Azure region for everything except the (global) bot registration. UK councils usually choose uksouth or ukwest.')
param location string = resourceGroup().location

@description('Which CALM environment this is (CALM_ENV). Development sign-in is refused by the server outside local.')
@allowed([
  'dev'
  'test'
  'prod'
])
param calmEnv string

@description('Built-in policy preset the server applies (CALM_POLICY_PRESET): the council whose policy CALM follows.')
@allowed([
  'dorset'
  'east-suffolk'
  'west-oxfordshire'
  'west-lindsey'
  'tamworth'
])
param policyPreset string = 'dorset'

@description('Optional path, inside the deployed app, of a council\'s own policy JSON (CALM_POLICY_FILE). Empty uses the preset.')
param policyFile string = ''

@description('Client id of the API and tab app registration (AAD_APP_CLIENT_ID), created by aadApp/create.')
param aadAppClientId string

@description('Entra tenant that signs staff in (AAD_TENANT_ID). Defaults to the tenant of this subscription.')
param aadTenantId string = tenant().tenantId

@description('Optional custom host name already bound to the web app (e.g. calm.example.org). Empty uses <app>.azurewebsites.net.')
param publicHostName string = ''

@description('App Service plan SKU: B1 for a trial, P0v3/P1v3 for production.')
param appServiceSkuName string = 'B1'

@description('Instances that always run (2 or more in production, so maintenance never takes CALM down).')
@minValue(1)
@maxValue(30)
param appServiceInstanceCount int = 1

@description('Most instances autoscale may run on sustained high CPU (equal to appServiceInstanceCount: no autoscale).')
@minValue(1)
@maxValue(30)
param appServiceMaxInstanceCount int = 1

@description('Storage redundancy: Standard_LRS for dev, Standard_ZRS (or GZRS) for production.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Days deleted evidence and letter blobs can still be restored (1-365). Short, so removal really removes.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

@description('Days a deleted Key Vault or secret can be recovered (7-90). Purge protection is always on.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteDays int = 90

@description('Days Log Analytics keeps logs and telemetry (30-730).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('HMAC key that hashes identifiers in storage keys (at least 32 characters). Generated once by infra/scripts/identifierHashKey.ts and kept in env/.env.<env>.user; never change it after go-live.')
@secure()
@minLength(32)
param identifierHashKey string

@description('Name staff see for the bot in Teams.')
@maxLength(42)
param botDisplayName string = 'CALM'

@description('Bot Service SKU. F0 is enough: Teams is a standard channel.')
@allowed([
  'F0'
  'S1'
])
param botSkuName string = 'F0'

@description('Optional JSON map of Entra group ids to CALM roles (CALM_ROLE_GROUPS); app roles are preferred.')
param roleGroups string = ''

@description('Optional mailbox that receives diverted mail when a SPOC is a shared inbox (SPOC_DEFAULT_MAILBOX).')
param spocDefaultMailbox string = ''

@description('Teams app id (TEAMS_APP_ID), used in deep links from cards to the tab. Filled by teamsApp/create.')
param teamsAppId string = ''

@description('Microsoft Graph base URL (GRAPH_BASE_URL). Change only for a national cloud.')
param graphBaseUrl string = 'https://graph.microsoft.com'

@description('Command App Service runs to start the server. A 32 MB young generation (--max-semi-space-size) cuts the time the server spends collecting the short-lived objects of each request by about 40% (13% of its busy time to 8% in bench:lookup, which runs with the same flag); it costs at most about 100 MB of memory.')
param startupCommand string = 'node --max-semi-space-size=32 --import tsx bot/src/index.ts'

@description('Tags applied to every resource (e.g. cost centre, data owner).')
param tags object = {}

var defaultTags = {
  application: 'calm'
  environment: calmEnv
}
var allTags = union(defaultTags, tags)
var baseName = toLower(resourceBaseName)
var suffix = uniqueString(resourceGroup().id, baseName)
var siteName = '${baseName}-${suffix}'
var hostName = empty(publicHostName) ? '${siteName}.azurewebsites.net' : toLower(publicHostName)
var endpoint = 'https://${hostName}'
var appIdUri = 'api://${hostName}/${aadAppClientId}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}'
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'calm-monitoring'
  params: {
    workspaceName: 'log-${baseName}-${suffix}'
    appInsightsName: 'appi-${baseName}-${suffix}'
    location: location
    retentionInDays: logRetentionDays
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'calm-storage'
  params: {
    name: take('st${replace(baseName, '-', '')}${suffix}', 24)
    location: location
    skuName: storageSkuName
    blobSoftDeleteDays: blobSoftDeleteDays
    principalId: identity.properties.principalId
    tags: allTags
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'calm-keyvault'
  params: {
    name: 'kv-${take(baseName, 8)}-${take(suffix, 10)}'
    location: location
    tenantId: aadTenantId
    softDeleteRetentionInDays: keyVaultSoftDeleteDays
    identifierHashKey: identifierHashKey
    principalId: identity.properties.principalId
    tags: allTags
  }
}

// Environment variables the server reads (bot/src/config.ts). Secrets are Key Vault references, resolved by
// App Service with the managed identity; nothing secret is stored in the app settings themselves.
var requiredSettings = [
  {
    name: 'CALM_ENV'
    value: calmEnv
  }
  // App Service forwards traffic to the container on PORT; the server must listen on all interfaces there.
  {
    name: 'HOST'
    value: '0.0.0.0'
  }
  {
    name: 'CALM_POLICY_PRESET'
    value: policyPreset
  }
  // The audit spool (docs/security.md "Audit spool"): audited requests wait for this folder, not for Table Storage.
  // Under /home, App Service's persistent storage, so it outlives the instance's restarts; one subfolder per instance.
  {
    name: 'CALM_AUDIT_SPOOL_DIR'
    value: '/home/data/calm/audit-spool'
  }
  {
    name: 'CALM_DEV_SIGNIN'
    value: 'false'
  }
  {
    name: 'STORAGE_TABLE_ENDPOINT'
    value: storage.outputs.tableEndpoint
  }
  {
    name: 'STORAGE_BLOB_ENDPOINT'
    value: storage.outputs.blobEndpoint
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'AAD_TENANT_ID'
    value: aadTenantId
  }
  {
    name: 'AAD_APP_CLIENT_ID'
    value: aadAppClientId
  }
  {
    name: 'AAD_APP_ID_URI'
    value: appIdUri
  }
  {
    name: 'BOT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'BOT_TENANT_ID'
    value: identity.properties.tenantId
  }
  {
    name: 'BOT_TYPE'
    value: 'UserAssignedMsi'
  }
  {
    name: 'BOT_DOMAIN'
    value: hostName
  }
  {
    name: 'BOT_ENDPOINT'
    value: endpoint
  }
  {
    name: 'TAB_DOMAIN'
    value: hostName
  }
  {
    name: 'TAB_ENDPOINT'
    value: endpoint
  }
  {
    name: 'GRAPH_BASE_URL'
    value: graphBaseUrl
  }
  {
    name: 'CALM_IDENTIFIER_HASH_KEY'
    value: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.identifierHashKeySecretUri})'
  }
  {
    name: 'CALM_IDENTIFIER_HASH_KEY_SECRET_URI'
    value: keyVault.outputs.identifierHashKeySecretUri
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: monitoring.outputs.appInsightsConnectionString
  }
  // Telemetry comes only from the server's own code, which logs no personal data. Azure's own collectors stay
  // off: no codeless Application Insights agent (ApplicationInsightsAgent_EXTENSION_VERSION is left unset; the
  // agent records full request URLs, query strings included), no instrumentation engine or base extensions
  // (they capture dependency command text and request details), no snapshot debugger or profiler (they can
  // capture request bodies and local variables).
  {
    name: 'XDT_MicrosoftApplicationInsights_Mode'
    value: 'disabled'
  }
  {
    name: 'XDT_MicrosoftApplicationInsights_BaseExtensions'
    value: 'disabled'
  }
  {
    name: 'XDT_MicrosoftApplicationInsights_NodeJS'
    value: '0'
  }
  {
    name: 'InstrumentationEngine_EXTENSION_VERSION'
    value: 'disabled'
  }
  {
    name: 'DiagnosticServices_EXTENSION_VERSION'
    value: 'disabled'
  }
  {
    name: 'SnapshotDebugger_EXTENSION_VERSION'
    value: 'disabled'
  }
  {
    name: 'APPINSIGHTS_PROFILERFEATURE_VERSION'
    value: 'disabled'
  }
  {
    name: 'APPINSIGHTS_SNAPSHOTFEATURE_VERSION'
    value: 'disabled'
  }
  // Zip deploy uploads built code without node_modules; App Service installs production dependencies only.
  {
    name: 'NODE_ENV'
    value: 'production'
  }
  {
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'true'
  }
  {
    name: 'CUSTOM_BUILD_COMMAND'
    value: 'npm ci --omit=dev --no-audit --no-fund'
  }
]
var policyFileSetting = empty(policyFile) ? [] : [
  {
    name: 'CALM_POLICY_FILE'
    value: policyFile
  }
]
var roleGroupsSetting = empty(roleGroups) ? [] : [
  {
    name: 'CALM_ROLE_GROUPS'
    value: roleGroups
  }
]
var spocDefaultMailboxSetting = empty(spocDefaultMailbox) ? [] : [
  {
    name: 'SPOC_DEFAULT_MAILBOX'
    value: spocDefaultMailbox
  }
]
var teamsAppIdSetting = empty(teamsAppId) ? [] : [
  {
    name: 'TEAMS_APP_ID'
    value: teamsAppId
  }
]
var optionalSettings = concat(policyFileSetting, roleGroupsSetting, spocDefaultMailboxSetting, teamsAppIdSetting)

module app 'modules/appService.bicep' = {
  name: 'calm-app'
  params: {
    planName: 'asp-${baseName}-${suffix}'
    siteName: siteName
    location: location
    skuName: appServiceSkuName
    instanceCount: appServiceInstanceCount
    maxInstanceCount: max(appServiceMaxInstanceCount, appServiceInstanceCount)
    identityId: identity.id
    startupCommand: startupCommand
    appSettings: concat(requiredSettings, optionalSettings)
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module bot 'modules/botService.bicep' = {
  name: 'calm-bot'
  params: {
    name: 'bot-${baseName}-${suffix}'
    displayName: botDisplayName
    skuName: botSkuName
    endpoint: '${endpoint}/api/messages'
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    tenantId: identity.properties.tenantId
    tags: allTags
  }
}

// Outputs: each is named after the environment variable it fills (the toolkit writes them to env/.env.<env>).
output AZURE_APP_SERVICE_RESOURCE_ID string = app.outputs.id
output AZURE_CLIENT_ID string = identity.properties.clientId
output AAD_TENANT_ID string = aadTenantId
output AAD_APP_ID_URI string = appIdUri
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = hostName
output BOT_ENDPOINT string = endpoint
output TAB_DOMAIN string = hostName
output TAB_ENDPOINT string = endpoint
output STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output CALM_IDENTIFIER_HASH_KEY_SECRET_URI string = keyVault.outputs.identifierHashKeySecretUri
