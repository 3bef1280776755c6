// Log Analytics and workspace-based Application Insights.
//
// Personal data stays out: CALM's server logs no personal data (names, emails, phones, addresses, reasons) by
// design - see bot/src/adapters/system/logger.ts - and this module keeps Azure from adding any of its own:
//  - IP masking stays on (DisableIpMasking false), so client IP addresses are never stored;
//  - no codeless agent, snapshot debugger or profiler (they can capture request URLs, bodies and local variables);
//  - App Service HTTP logs, which hold client IPs and query strings, are not sent here (see appService.bicep).

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Days Log Analytics keeps logs and telemetry (30-730). Keep it no longer than your retention schedule needs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Tags applied to every resource.')
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  kind: 'web'
  tags: tags
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Keep the last octet of client IPs zeroed: no IP address is personal data we hold.
    DisableIpMasking: false
  }
}

output workspaceId string = workspace.id
output appInsightsConnectionString string = appInsights.properties.ConnectionString
