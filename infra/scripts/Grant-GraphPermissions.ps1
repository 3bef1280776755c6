<#
.SYNOPSIS
  Grants CALM's Microsoft Graph application permissions to the server's managed identity.

.DESCRIPTION
  Managed identities have no "API permissions" page in the Entra admin centre, so their Graph permissions are
  granted as app role assignments. This script reads the list from infra/entra/graph-permissions.json
  (MailboxSettings.ReadWrite, Mail.ReadWrite, User.Read.All, each with the reason CALM needs it) and assigns
  any that are missing. Running it again changes nothing.

  Run it as a Privileged Role Administrator or Global Administrator (granting application permissions is an
  admin consent). Needs the Microsoft Graph PowerShell SDK: Install-Module Microsoft.Graph -Scope CurrentUser

  Afterwards, limit which mailboxes CALM can touch: infra/scripts/Restrict-MailboxAccess.ps1.

.PARAMETER ManagedIdentityClientId
  AZURE_CLIENT_ID from env/.env.<environment> (written by `atk provision`).

.EXAMPLE
  ./infra/scripts/Grant-GraphPermissions.ps1 -ManagedIdentityClientId 00000000-0000-0000-0000-000000000000
#>
param(
  [Parameter(Mandatory = $true)]
  [ValidatePattern('^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$')]
  [string] $ManagedIdentityClientId
)
$ErrorActionPreference = 'Stop'

$spec = Get-Content -Raw -Path (Join-Path $PSScriptRoot '..\entra\graph-permissions.json') | ConvertFrom-Json

Connect-MgGraph -Scopes 'Application.Read.All', 'AppRoleAssignment.ReadWrite.All' -NoWelcome

$graph = Get-MgServicePrincipal -Filter "appId eq '$($spec.resourceAppId)'"
$identity = Get-MgServicePrincipal -Filter "appId eq '$ManagedIdentityClientId'"
if (-not $identity) {
  throw "No managed identity with client id $ManagedIdentityClientId in this tenant. Use AZURE_CLIENT_ID from env/.env.<environment>, and sign in to the tenant that holds the subscription."
}
$existing = Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $identity.Id -All

foreach ($permission in $spec.applicationPermissions) {
  $role = $graph.AppRoles | Where-Object { $_.Id -eq $permission.id -and $_.Value -eq $permission.value -and $_.AllowedMemberTypes -contains 'Application' }
  if (-not $role) {
    throw "Microsoft Graph has no application permission $($permission.value) with id $($permission.id); check infra/entra/graph-permissions.json."
  }
  if ($existing | Where-Object { $_.AppRoleId -eq $permission.id -and $_.ResourceId -eq $graph.Id }) {
    Write-Host "$($permission.value): already granted"
    continue
  }
  New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $identity.Id -PrincipalId $identity.Id -ResourceId $graph.Id -AppRoleId $permission.id | Out-Null
  Write-Host "$($permission.value): granted. $($permission.why)"
}
