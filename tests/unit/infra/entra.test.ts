// The Entra app registration manifest (infra/entra/aad.manifest.json): the app roles authorisation uses, the
// access_as_user scope, the Microsoft clients pre-authorised for SSO, and least-privilege Graph permissions.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
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
  "Mail.ReadBasic": "6be147d2-ea4f-4b5a-a3fa-3eab6f3c140a",
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
};
const TOO_BROAD = {
  "Mail.Read": "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
  "Mail.ReadWrite": "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
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

  it("asks only for the Graph application permissions CALM uses, and none broader", () => {
    const graph = manifest.requiredResourceAccess.find((r) => r.resourceAppId === GRAPH);
    assert.ok(graph);
    const roles = graph.resourceAccess.filter((a) => a.type === "Role").map((a) => a.id).sort();
    assert.deepEqual(roles, Object.values(GRAPH_APPLICATION).sort());
    for (const [name, id] of Object.entries(TOO_BROAD)) assert.ok(!graph.resourceAccess.some((a) => a.id === id), `${name} is not requested`);
    assert.equal(manifest.requiredResourceAccess.length, 1, "Microsoft Graph only");
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
