// On-behalf-of (OBO): where the server calls Microsoft Graph *as the signed-in user* (issue 4 item 1), it trades
// the user's CALM access token (from Teams SSO) for a Graph token with @azure/msal-node. Graph then applies the
// user's own permissions, so the portal can never show someone more of the directory than they could see
// themselves. (Diverts and mail marking call Graph as the app: auth.ts.)
//
// MSAL keeps the Graph tokens in its in-memory cache, keyed by a hash of the user's token, and refreshes them; the
// user's token itself is never logged or stored.
import {
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  type Configuration,
  type INetworkModule,
} from "@azure/msal-node";

export interface OboOptions {
  tenantId: string;
  /** CALM's app registration (the API the user's token is for). */
  clientId: string;
  /** A client secret, or a certificate (preferred in production; from Key Vault). */
  clientSecret?: string;
  clientCertificate?: { thumbprintSha256: string; privateKeyPem: string };
  authorityHost?: string;
  /** Tests only: answers MSAL's HTTP calls without a network (with `authorityMetadata`). */
  networkClient?: INetworkModule;
  /** Tests only: skips MSAL's authority discovery (JSON of the tenant's OpenID configuration). */
  authorityMetadata?: string;
  cloudDiscoveryMetadata?: string;
}

/** Exchanges the user's token for one with these scopes, e.g. `["https://graph.microsoft.com/User.ReadBasic.All"]`. */
export type OboTokenFunction = (userToken: string, scopes: string[]) => Promise<string>;

export type OboFailureCode = "OBO_CONSENT_REQUIRED" | "OBO_FAILED";

export class OboError extends Error {
  constructor(readonly code: OboFailureCode, options?: { cause?: unknown }) {
    super(
      code === "OBO_CONSENT_REQUIRED"
        ? "CALM may not call Microsoft Graph for you yet. Ask your IT team to grant admin consent for CALM's delegated Graph permissions."
        : "CALM could not get a Microsoft Graph token for you. Try again; if it keeps happening, tell IT (the app registration's secret or certificate may have expired).",
      options,
    );
    this.name = "OboError";
  }
}

export function createOboTokenFunction(options: OboOptions): OboTokenFunction {
  if (!options.clientSecret && !options.clientCertificate) {
    throw new TypeError("On-behalf-of needs the app registration's client secret or certificate (AAD_APP_CLIENT_SECRET).");
  }
  const authority = `${(options.authorityHost ?? "https://login.microsoftonline.com").replace(/\/+$/, "")}/${options.tenantId}`;
  const config: Configuration = {
    auth: {
      clientId: options.clientId,
      authority,
      ...(options.clientSecret
        ? { clientSecret: options.clientSecret }
        : { clientCertificate: { thumbprintSha256: options.clientCertificate!.thumbprintSha256, privateKey: options.clientCertificate!.privateKeyPem } }),
      ...(options.authorityMetadata ? { authorityMetadata: options.authorityMetadata } : {}),
      ...(options.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: options.cloudDiscoveryMetadata } : {}),
    },
    ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
  };
  const app = new ConfidentialClientApplication(config);
  return async (userToken, scopes) => {
    try {
      const result = await app.acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes });
      if (!result?.accessToken) throw new OboError("OBO_FAILED");
      return result.accessToken;
    } catch (error) {
      if (error instanceof OboError) throw error;
      // AADSTS65001 (consent) and interaction-required answers: an administrator must consent; retrying won't help.
      const consent = error instanceof InteractionRequiredAuthError || /AADSTS65001|consent_required|invalid_grant/i.test(error instanceof Error ? error.message : "");
      throw new OboError(consent ? "OBO_CONSENT_REQUIRED" : "OBO_FAILED", { cause: error });
    }
  };
}
