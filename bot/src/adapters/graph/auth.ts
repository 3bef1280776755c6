// Where the Graph access token comes from. CALM calls Graph as itself (application permissions, no
// signed-in user): diverts and marking run in the background, for mailboxes of people who are not using
// CALM at that moment.
// - Production on Azure: the app service's managed identity (no secret to store or rotate).
// - Elsewhere: the app registration's client credentials through MSAL (secret or certificate).
// - Tests and the local simulator: a fixed token; the simulator only checks that one is sent.
import { ConfidentialClientApplication } from "@azure/msal-node";
import { ManagedIdentityCredential } from "@azure/identity";
import type { TokenFunction } from "./middleware";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

export type GraphCredentials =
  | { kind: "static"; token: string }
  | { kind: "client-credentials"; tenantId: string; clientId: string; clientSecret: string; authorityHost?: string }
  | { kind: "client-certificate"; tenantId: string; clientId: string; thumbprintSha256: string; privateKeyPem: string; authorityHost?: string }
  | { kind: "managed-identity"; clientId?: string };

interface Token {
  value: string;
  expiresAt: number;
}

/** Caches a token until five minutes before it expires, and shares one refresh between concurrent
 * callers so a burst of requests never asks the identity platform more than once. */
export function cachedTokenFunction(acquire: () => Promise<Token>, now: () => number = Date.now): TokenFunction {
  let current: Token | undefined;
  let inflight: Promise<Token> | undefined;
  return async () => {
    if (current && current.expiresAt - 5 * 60_000 > now()) return current.value;
    inflight ??= acquire().finally(() => { inflight = undefined; });
    current = await inflight;
    return current.value;
  };
}

export class GraphCredentialError extends Error {
  readonly code = "GRAPH_CREDENTIALS_FAILED";
  constructor(options?: { cause?: unknown }) {
    super("CALM could not get a Microsoft Graph token. An administrator must check the app registration (client id, secret or certificate) or the managed identity and its Graph permissions.", options);
    this.name = "GraphCredentialError";
  }
}

export function createTokenFunction(credentials: GraphCredentials): TokenFunction {
  switch (credentials.kind) {
    case "static":
      return () => Promise.resolve(credentials.token);
    case "client-credentials":
    case "client-certificate": {
      const authority = `${credentials.authorityHost ?? "https://login.microsoftonline.com"}/${credentials.tenantId}`;
      const app = new ConfidentialClientApplication({
        auth: {
          clientId: credentials.clientId,
          authority,
          ...(credentials.kind === "client-credentials"
            ? { clientSecret: credentials.clientSecret }
            : { clientCertificate: { thumbprintSha256: credentials.thumbprintSha256, privateKey: credentials.privateKeyPem } }),
        },
      });
      return cachedTokenFunction(async () => {
        try {
          const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
          if (!result?.accessToken) throw new Error("The identity platform returned no access token.");
          return { value: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? Date.now() + 30 * 60_000 };
        } catch (error) {
          throw new GraphCredentialError({ cause: error });
        }
      });
    }
    case "managed-identity": {
      const credential = credentials.clientId ? new ManagedIdentityCredential({ clientId: credentials.clientId }) : new ManagedIdentityCredential();
      return cachedTokenFunction(async () => {
        try {
          const token = await credential.getToken(GRAPH_SCOPE);
          return { value: token.token, expiresAt: token.expiresOnTimestamp };
        } catch (error) {
          throw new GraphCredentialError({ cause: error });
        }
      });
    }
  }
}
