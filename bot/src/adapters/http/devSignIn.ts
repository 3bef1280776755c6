// Local development sign-in: pick a fictional persona, get a token. It exists only when config says
// CALM_ENV=local and CALM_DEV_SIGNIN=true (config.ts refuses the flag anywhere else), and the tokens it mints
// go through exactly the same TokenValidator as Entra ID's: only the key set differs.
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from "jose";
import type { Role } from "../../../../core/src/domain";

export interface Persona {
  id: string;
  displayName: string;
  email: string;
  roles: Role[];
  serviceAreas: string[];
  /** What this persona is for, shown on the sign-in page. */
  description: string;
}

/** Plainly fictional staff for local use and tests. */
export const PERSONAS: Persona[] = [
  { id: "00000000-0000-4000-8000-000000000001", displayName: "Ola Officer", email: "ola.officer@calm-demo.example", roles: ["officer"], serviceAreas: ["Housing"], description: "Front-line officer: reports incidents and looks people up." },
  { id: "00000000-0000-4000-8000-000000000002", displayName: "Max Manager", email: "max.manager@calm-demo.example", roles: ["manager", "officer"], serviceAreas: ["Housing"], description: "Line manager: refers cases to the panel and owns records." },
  { id: "00000000-0000-4000-8000-000000000003", displayName: "Pam Panel", email: "pam.panel@calm-demo.example", roles: ["panel-member"], serviceAreas: ["Environmental Health"], description: "Panel member: votes on cases." },
  { id: "00000000-0000-4000-8000-000000000004", displayName: "Charlie Chair", email: "charlie.chair@calm-demo.example", roles: ["chair", "panel-member"], serviceAreas: ["Customer Services"], description: "Panel chair: closes votes and makes emergency additions." },
  { id: "00000000-0000-4000-8000-000000000005", displayName: "Ada Admin", email: "ada.admin@calm-demo.example", roles: ["register-admin"], serviceAreas: ["Customer Services"], description: "Register administrator: keeps the register, letters, reviews and appeals." },
  { id: "00000000-0000-4000-8000-000000000006", displayName: "Cllr Carys Councillor", email: "carys.councillor@calm-demo.example", roles: ["councillor"], serviceAreas: [], description: "Ward councillor: no register access; sees 'take care' guidance only." },
  { id: "00000000-0000-4000-8000-000000000007", displayName: "Connor Contractor", email: "connor.contractor@calm-demo.example", roles: ["contractor"], serviceAreas: ["Repairs"], description: "Contractor: no register access; sees 'take care' guidance only." },
  { id: "00000000-0000-4000-8000-000000000008", displayName: "Abe Appeals", email: "abe.appeals@calm-demo.example", roles: ["appeal-officer"], serviceAreas: [], description: "Appeal officer: decides appeals on decisions they took no part in." },
  { id: "00000000-0000-4000-8000-000000000009", displayName: "Audrey Auditor", email: "audrey.auditor@calm-demo.example", roles: ["auditor"], serviceAreas: [], description: "Information Asset Owner / DPO: who saw what, retention, subject access." },
  // The rest of the demo panel, so a preset's quorum can be reached (Dorset 4.3-4.4: six members, quorum of four).
  { id: "00000000-0000-4000-8000-000000000010", displayName: "Petra Panel", email: "petra.panel@calm-demo.example", roles: ["panel-member"], serviceAreas: ["Health and Safety"], description: "Panel member: votes on cases." },
  { id: "00000000-0000-4000-8000-000000000011", displayName: "Percy Panel", email: "percy.panel@calm-demo.example", roles: ["panel-member"], serviceAreas: ["Customer Services"], description: "Panel member: votes on cases." },
  { id: "00000000-0000-4000-8000-000000000012", displayName: "Polly Panel", email: "polly.panel@calm-demo.example", roles: ["panel-member"], serviceAreas: ["Adult Social Care"], description: "Panel member: votes on cases." },
  { id: "00000000-0000-4000-8000-000000000013", displayName: "Paddy Panel", email: "paddy.panel@calm-demo.example", roles: ["panel-member"], serviceAreas: ["Equality and Diversity"], description: "Panel member: votes on cases." },
  { id: "00000000-0000-4000-8000-000000000014", displayName: "Dee Deputy", email: "dee.deputy@calm-demo.example", roles: ["manager"], serviceAreas: ["Legal"], description: "The named deputy: makes a high-risk emergency addition when the chair is absent." },
];

export interface LocalIssuer {
  jwks: JSONWebKeySet;
  issuer: string;
  /** Mints an access token shaped like Entra ID's v2.0 tokens. */
  mint(claims: { oid: string; name?: string; preferred_username?: string; roles?: string[]; groups?: string[]; calm_services?: string[] }, options?: { expiresInSec?: number; scope?: string; audience?: string; tenantId?: string; notBeforeSec?: number }): Promise<string>;
}

/** A signing key pair made at start-up, never written anywhere. */
export async function createLocalIssuer(tenantId: string, audience: string, authorityHost = "https://login.microsoftonline.com"): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const issuer = `${authorityHost.replace(/\/+$/, "")}/${tenantId}/v2.0`;
  return {
    jwks: { keys: [jwk] },
    issuer,
    async mint(claims, options = {}) {
      const nowSec = Math.floor(Date.now() / 1000);
      return new SignJWT({
        ...claims,
        tid: options.tenantId ?? tenantId,
        scp: options.scope ?? "access_as_user",
        ver: "2.0",
      })
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuer(issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(nowSec)
        .setNotBefore(nowSec + (options.notBeforeSec ?? 0))
        .setExpirationTime(nowSec + (options.expiresInSec ?? 3600))
        .sign(privateKey);
    },
  };
}

export function personaClaims(p: Persona) {
  return { oid: p.id, name: p.displayName, preferred_username: p.email, roles: p.roles, calm_services: p.serviceAreas };
}
