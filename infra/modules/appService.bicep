// The CALM server on App Service (Linux, Node 20): one stateless Node process per instance, behind App
// Service's load balancer. Sessions, caches and schedulers live in Table Storage, so instances can be added
// or removed at any time; ARR affinity is off so no user is pinned to one instance.

@description('App Service plan name.')
param planName string

@description('Web app name (becomes <name>.azurewebsites.net).')
param siteName string

@description('Azure region.')
param location string

@description('App Service plan SKU: B1 for a small trial, P0v3 or P1v3 for production (zone redundancy needs Premium).')
param skuName string

@description('Instances the plan runs all the time (2 or more keeps the service up during platform maintenance).')
@minValue(1)
@maxValue(30)
param instanceCount int

@description('Largest number of instances autoscale may add on high CPU; equal to instanceCount turns autoscale off.')
@minValue(1)
@maxValue(30)
param maxInstanceCount int

@description('Resource id of the user-assigned managed identity the server runs as.')
param identityId string

@description('Command that starts the server.')
param startupCommand string

@description('App settings (environment variables) for the server, as name/value pairs.')
param appSettings array

@description('Log Analytics workspace that receives the server\'s console output and platform logs.')
param workspaceId string

@description('Tags applied to every resource.')
param tags object

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    // Key Vault references in app settings are resolved with the same managed identity.
    keyVaultReferenceIdentity: identityId
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: startupCommand
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      remoteDebuggingEnabled: false
      use32BitWorkerProcess: false
      // No request-level logs on the box: HTTP logs hold client IPs and query strings, failed-request traces
      // hold headers. The server writes its own log lines, which carry no personal data.
      httpLoggingEnabled: false
      detailedErrorLoggingEnabled: false
      requestTracingEnabled: false
      appSettings: appSettings
    }
  }
}

// FTP publishing is off entirely; the toolkit deploys with zip deploy.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// Console output (the server's own log lines) and platform events only. AppServiceHTTPLogs is deliberately
// not collected: it records client IP addresses and full query strings.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'calm-logs'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

resource autoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = if (maxInstanceCount > instanceCount) {
  name: '${planName}-autoscale'
  location: location
  tags: tags
  properties: {
    enabled: true
    targetResourceUri: plan.id
    profiles: [
      {
        name: 'cpu'
        capacity: {
          minimum: string(instanceCount)
          maximum: string(maxInstanceCount)
          default: string(instanceCount)
        }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 70
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT10M'
            }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT30M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: 30
            }
            scaleAction: {
              direction: 'Decrease'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT30M'
            }
          }
        ]
      }
    ]
  }
}

output id string = site.id
output defaultHostName string = site.properties.defaultHostName
