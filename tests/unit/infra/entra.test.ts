// The Entra app registration manifest (infra/entra/aad.manifest.json): the app roles authorisation uses, the
// access_as_user scope, the Microsoft clients pre-authorised for SSO, least-privilege delegated Graph permissions
// (sign-in, the portal's directory, reading one email for "Report this email"), and the application Graph
// permissions of the server's managed identity (listed in infra/entra/graph-permissions.json).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { MAIL_SCOPES } from "../../../bot/src/adapters/graph/userMail";
import { ROLES } from "../../../core/src/domain";

const ROOT = path.resolve(__dirname, "../../..");
const raw = readFileSync(path.join(ROOT, "infra/entra/aad.manifest.json"), "utf8");

interface AppRole { id: string; value: string; displayName: string; description: string; allowedMemberTypes: string[]; isEnabled: boolean }
interface Scope { id: string; value: string; type: string; isEnabled: boolean }
interface Manifest {
  appId: string;
  signInAudience: string;
  identifierUris: string[];
  groupMembershipClaims?: string;
  api: { requestedAccessTokenVersion: number; oauth2PermissionScopes: Scope[]; preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }> };
  appRoles: AppRole[];
  optionalClaims: { accessToken: Array<{ name: string }> };
  requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: "Scope" | "Role" }> }>;
}
const manifest = JSON.parse(raw) as Manifest;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GRAPH = "00000003-0000-0000-c000-000000000000";

// Microsoft Graph permission ids (Graph permissions reference).
const GRAPH_APPLICATION = {
  "MailboxSettings.ReadWrite": "6931bccd-447a-43d1-b442-00a195474933",
  "Mail.ReadWrite": "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
};
const SIGN_IN = {
  "User.Read": "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
  openid: "37f7f235-527c-4136-accd-4a02d197296e",
  profile: "14dad69e-099b-42c9-810b-d002981feec1",
  email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
  // The portal's staff directory (names behind ids, people and groups to grant access to) calls Graph on behalf
  // of the signed-in user, so it sees no more than that person could (bot/src/adapters/graph/directory.ts).
  "User.ReadBasic.All": "b340eb25-3456-403f-be2f-af7a0d370277",
  "GroupMember.Read.All": "bc024368-1153-4739-b217-4326f2e966d0",
  // "Report this email" where Outlook cannot copy the email: the server reads that one email as the signed-in user,
  // from their own mailbox or a shared one they can open (bot/src/adapters/graph/userMail.ts).
  "Mail.Read": "570282fd-fa5c-430d-a7fd-fc8dc98a9dca",
  "Mail.Read.Shared": "7b9103a5-4610-446b-9670-80643382c1fa",
};
/** Delegated mail permissions that would let CALM change or send mail as the user. */
const MAIL_WRITE_DELEGATED = {
  "Mail.ReadWrite": "024d486e-b451-40bb-833d-3e66d98c5c73",
  "Mail.ReadWrite.Shared": "5df07973-7d5d-46ed-9847-1271055cbd51",
  "Mail.Send": "e383f46e-2787-4529-855e-0e479a3ffac0",
};
const TOO_BROAD = {
  "Mail.Read (redundant next to Mail.ReadWrite)": "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
  "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
  "Mail.Send": "b633e1c5-b582-4048-a93e-9f11b44c7e96",
  "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
  "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca",
};

// Client ids Microsoft documents for SSO from Teams, Microsoft 365 and Outlook ("Configure your tab app in
// Microsoft Entra ID", Teams platform docs) and for Office add-ins ("Register an Office Add-in that uses SSO").
const PRE_AUTHORISED = {
  "Teams desktop and mobile": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
  "Teams web": "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
  "Microsoft 365 web": "4765445b-32c6-49b0-83e6-1d93765276ca",
  "Microsoft 365 desktop": "0ec893e0-5785-4de6-99da-4ed124e5296c",
  "Microsoft 365 mobile and Outlook desktop": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
  "Outlook web": "bc59ab01-8403-45c6-8796-ac3ef710b3e3",
  "Outlook mobile": "27922004-5251-4030-b22d-91ecd9a37ea4",
  "All Microsoft Office application endpoints": "ea5a67f6-b6f3-4338-b240-c655ddc3cc8e",
};

describe("infra: Entra app registration manifest", () => {
  it("is single-tenant and asks for v2 access tokens", () => {
    assert.equal(manifest.signInAudience, "AzureADMyOrg");
    assert.equal(manifest.api.requestedAccessTokenVersion, 2);
    assert.equal(manifest.appId, "${{AAD_APP_CLIENT_ID}}");
  });

  it("declares exactly the CALM roles authorisation uses, with stable unique ids", () => {
    assert.deepEqual(manifest.appRoles.map((r) => r.value).sort(), [...ROLES].sort());
    const ids = manifest.appRoles.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const role of manifest.appRoles) {
      assert.match(role.id, GUID, `${role.value} has a fixed GUID (ids must not change between deployments)`);
      assert.deepEqual(role.allowedMemberTypes, ["User"]);
      assert.equal(role.isEnabled, true);
      assert.ok(role.displayName && role.description.length > 20, `${role.value} explains itself to the admin assigning it`);
    }
  });

  it("exposes the access_as_user scope at api://<TAB_DOMAIN>/<AAD_APP_CLIENT_ID>", () => {
    const [scope] = manifest.api.oauth2PermissionScopes;
    assert.equal(manifest.api.oauth2PermissionScopes.length, 1);
    assert.equal(scope?.value, "access_as_user");
    assert.equal(scope?.type, "User");
    assert.equal(scope?.id, "${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}");
    assert.deepEqual(manifest.identifierUris, ["api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}"]);
  });

  it("pre-authorises the Teams, Microsoft 365 and Outlook clients for that scope only", () => {
    const byId = new Map(manifest.api.preAuthorizedApplications.map((p) => [p.appId, p.delegatedPermissionIds]));
    for (const [client, id] of Object.entries(PRE_AUTHORISED)) {
      assert.deepEqual(byId.get(id), ["${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}"], client);
    }
    assert.equal(byId.size, Object.keys(PRE_AUTHORISED).length, "no other client is pre-authorised");
  });

  it("asks only for sign-in, directory-reading and mail-reading delegated permissions: the server's own Graph access belongs to its managed identity", () => {
    const graph = manifest.requiredResourceAccess.find((r) => r.resourceAppId === GRAPH);
    assert.ok(graph);
    assert.deepEqual(graph.resourceAccess.filter((a) => a.type === "Role"), [], "no application permissions on the sign-in app");
    assert.deepEqual(graph.resourceAccess.map((a) => a.id).sort(), Object.values(SIGN_IN).sort());
    assert.equal(manifest.requiredResourceAccess.length, 1, "Microsoft Graph only");
  });

  it("reads mail on the user's behalf but can neither change nor send it", () => {
    const asked = new Set(manifest.requiredResourceAccess.flatMap((r) => r.resourceAccess.map((a) => a.id)));
    for (const [name, id] of Object.entries(MAIL_WRITE_DELEGATED)) assert.ok(!asked.has(id), `${name} is not requested`);
    // The adapter asks for exactly these two when it trades the user's token (on-behalf-of), and the manifest has both.
    assert.deepEqual(MAIL_SCOPES, { own: ["https://graph.microsoft.com/Mail.Read"], shared: ["https://graph.microsoft.com/Mail.Read.Shared"] });
    for (const name of ["Mail.Read", "Mail.Read.Shared"] as const) assert.ok(asked.has(SIGN_IN[name]), `${name} is requested`);
  });

  describe("Graph application permissions for the managed identity", () => {
    const spec = JSON.parse(readFileSync(path.join(ROOT, "infra/entra/graph-permissions.json"), "utf8")) as {
      resourceAppId: string;
      applicationPermissions: Array<{ value: string; id: string; why: string }>;
    };

    it("lists exactly the permissions the Graph adapter needs, with their ids and a reason each", () => {
      assert.equal(spec.resourceAppId, GRAPH);
      assert.deepEqual(Object.fromEntries(spec.applicationPermissions.map((p) => [p.value, p.id])), GRAPH_APPLICATION);
      for (const p of spec.applicationPermissions) assert.ok(p.why.length > 60, `${p.value} says why CALM needs it`);
    });

    it("asks for nothing broader: no reading all mail without need, no sending, no directory writes", () => {
      for (const [name, id] of Object.entries(TOO_BROAD)) {
        assert.ok(!spec.applicationPermissions.some((p) => p.id === id || p.value === name), `${name} is not requested`);
      }
    });

    it("the grant script reads that list and assigns only missing permissions, to the managed identity", () => {
      const script = readFileSync(path.join(ROOT, "infra/scripts/Grant-GraphPermissions.ps1"), "utf8");
      assert.match(script, /entra\\graph-permissions\.json/);
      assert.match(script, /New-MgServicePrincipalAppRoleAssignment/);
      assert.match(script, /already granted/);
    });

    it("the restriction script creates an Exchange application access policy and tests it both ways", () => {
      const script = readFileSync(path.join(ROOT, "infra/scripts/Restrict-MailboxAccess.ps1"), "utf8");
      assert.match(script, /New-ApplicationAccessPolicy -AppId \$ManagedIdentityClientId -PolicyScopeGroupId \$GroupEmail -AccessRight RestrictAccess/);
      assert.match(script, /Test-ApplicationAccessPolicy/);
    });

    it("README's deployment section explains every permission and the admin consents", () => {
      const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
      const section = readme.slice(readme.indexOf("## Deploy to your tenant"));
      assert.doesNotMatch(section, /\(Being written\.\)/);
      for (const p of spec.applicationPermissions) assert.ok(section.includes(p.value), `README explains ${p.value}`);
      assert.match(section, /New-ApplicationAccessPolicy|Restrict-MailboxAccess/);
      assert.match(section, /admin consent/i);
    });
  });

  it("emits groups only for groups assigned to the app, and adds email and idtyp to access tokens", () => {
    assert.equal(manifest.groupMembershipClaims, "ApplicationGroup");
    assert.deepEqual(manifest.optionalClaims.accessToken.map((c) => c.name).sort(), ["email", "idtyp"]);
  });

  it("uses only placeholders the toolkit provides", () => {
    const used = new Set([...raw.matchAll(/\$\{\{([A-Z_][A-Z0-9_]*)\}\}/g)].map((m) => m[1]!));
    const provided = new Set(["AAD_APP_OBJECT_ID", "AAD_APP_CLIENT_ID", "AAD_APP_ACCESS_AS_USER_PERMISSION_ID", "TAB_DOMAIN", "APP_NAME_SUFFIX"]);
    assert.deepEqual([...used].filter((u) => !provided.has(u)), []);
  });
});
