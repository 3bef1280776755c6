// Key Vault for the one secret that cannot be a managed identity: the HMAC key that turns identifiers
// (emails, phone numbers, addresses) into storage keys, so no identifier is ever stored in a key in clear.
// RBAC only (no access policies), soft delete with purge protection, and the server may read that secret only.

@description('Key Vault name (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Entra tenant the vault trusts.')
param tenantId string

@description('Days a deleted vault or secret can be recovered (7-90). Purge protection is always on.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('The HMAC key for identifiers (at least 32 characters). Set it once; changing it orphans every stored key.')
@secure()
@minLength(32)
param identifierHashKey string

@description('Principal id of the managed identity the server runs as.')
param principalId string

@description('Tags applied to every resource.')
param tags object

// Built-in role: Key Vault Secrets User (read secret values).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource identifierHashKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'calm-identifier-hash-key'
  tags: tags
  properties: {
    value: identifierHashKey
    contentType: 'HMAC key for identifier hashing (CALM). Do not rotate without re-keying storage.'
    attributes: {
      enabled: true
    }
  }
}

// Scoped to the one secret, not the vault: the server can read this secret and nothing else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(identifierHashKeySecret.id, principalId, keyVaultSecretsUser)
  scope: identifierHashKeySecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = vault.id
output name string = vault.name
output identifierHashKeySecretUri string = identifierHashKeySecret.properties.secretUri
