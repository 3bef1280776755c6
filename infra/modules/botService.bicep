// The Azure Bot registration: Teams sends bot messages to https://<host>/api/messages. The bot's identity is
// the same user-assigned managed identity the server runs as (msaAppType UserAssignedMSI), so there is no bot
// password anywhere.

@description('Bot resource name (globally unique bot handle).')
param name string

@description('Name users see for the bot.')
@maxLength(42)
param displayName string

@description('Bot Service SKU. The Teams channel is a standard channel and free on F0.')
@allowed([
  'F0'
  'S1'
])
param skuName string

@description('Public HTTPS messaging endpoint, e.g. https://calm.example.org/api/messages.')
param endpoint string

@description('Client id of the user-assigned managed identity (becomes the bot id, BOT_ID).')
param identityClientId string

@description('Resource id of the user-assigned managed identity.')
param identityResourceId string

@description('Entra tenant of the managed identity.')
param tenantId string

@description('Tags applied to every resource.')
param tags object

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  // Bot registrations are global; the conversation data itself stays in the council's storage account.
  location: 'global'
  kind: 'azurebot'
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: tenantId
    // No Direct Line or Web Chat secrets: Teams is the only way in.
    disableLocalAuth: true
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}

output id string = bot.id
output name string = bot.name
