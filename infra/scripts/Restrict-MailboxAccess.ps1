<#
.SYNOPSIS
  Limits CALM's mailbox access to the mailboxes in one mail-enabled security group.

.DESCRIPTION
  Graph application permissions such as MailboxSettings.ReadWrite and Mail.ReadWrite apply to EVERY mailbox in
  the tenant until Exchange Online narrows them. This script creates an Exchange application access policy so
  the CALM managed identity can reach only members of the group you name (staff and councillors in scope for
  diverts and marking, plus the SPOC mailboxes), then tests it against one member and one non-member.

  Run it as an Exchange Administrator. Needs the Exchange Online PowerShell module:
  Install-Module ExchangeOnlineManagement -Scope CurrentUser

  Microsoft is moving from application access policies to RBAC for Applications in Exchange Online; docs/deploy.md
  shows the equivalent management scope and role assignments if your tenant already uses those.

.PARAMETER ManagedIdentityClientId
  AZURE_CLIENT_ID from env/.env.<environment>.

.PARAMETER GroupEmail
  Email address of the mail-enabled security group of in-scope mailboxes, e.g. calm-mailboxes@example.org.

.PARAMETER MemberToTest
  A mailbox in the group (should be "Granted").

.PARAMETER NonMemberToTest
  A mailbox outside the group (should be "Denied").
#>
param(
  [Parameter(Mandatory = $true)]
  [ValidatePattern('^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$')]
  [string] $ManagedIdentityClientId,
  [Parameter(Mandatory = $true)] [string] $GroupEmail,
  [Parameter(Mandatory = $true)] [string] $MemberToTest,
  [Parameter(Mandatory = $true)] [string] $NonMemberToTest
)
$ErrorActionPreference = 'Stop'

Connect-ExchangeOnline -ShowBanner:$false

$current = Get-ApplicationAccessPolicy | Where-Object { $_.AppId -eq $ManagedIdentityClientId }
if ($current) {
  Write-Host "An application access policy for $ManagedIdentityClientId already exists (scope: $($current.ScopeName)); leaving it."
} else {
  New-ApplicationAccessPolicy -AppId $ManagedIdentityClientId -PolicyScopeGroupId $GroupEmail -AccessRight RestrictAccess `
    -Description 'CALM: divert and marking only in the mailboxes of this group' | Out-Null
  Write-Host "Created: CALM may reach only mailboxes in $GroupEmail. Changes can take up to an hour to apply."
}

foreach ($mailbox in @($MemberToTest, $NonMemberToTest)) {
  $result = Test-ApplicationAccessPolicy -Identity $mailbox -AppId $ManagedIdentityClientId
  Write-Host "$mailbox : $($result.AccessCheckResult)"
}
