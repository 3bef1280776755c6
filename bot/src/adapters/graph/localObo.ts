// On-behalf-of on a developer machine (local sign-in, `npm start`): there is no Entra ID to trade the persona's
// token with, so the local issuer mints a delegated Graph token for the same person, with the scopes asked for.
// The Graph simulator reads who it is for (`oid`) and what it allows (`scp`), exactly the parts of a real Graph
// token the real service acts on. index.ts uses this only when local sign-in is on and GRAPH_AUTH=simulator.
import { decodeJwt } from "jose";
import type { LocalIssuer } from "../http/devSignIn";
import { OboError, type OboTokenFunction } from "./obo";

export const GRAPH_AUDIENCE = "https://graph.microsoft.com";

export function createLocalOboTokenFunction(issuer: Pick<LocalIssuer, "mint">): OboTokenFunction {
  return async (userToken, scopes) => {
    let claims: ReturnType<typeof decodeJwt>;
    try {
      // The router has already checked this token's signature and claims; here only who it is for is read.
      claims = decodeJwt(userToken);
    } catch (error) {
      throw new OboError("OBO_FAILED", { cause: error });
    }
    if (typeof claims.oid !== "string") throw new OboError("OBO_FAILED");
    const scope = scopes.map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//, "")).join(" ");
    return issuer.mint(
      {
        oid: claims.oid,
        ...(typeof claims.name === "string" ? { name: claims.name } : {}),
        ...(typeof claims.preferred_username === "string" ? { preferred_username: claims.preferred_username } : {}),
      },
      { audience: GRAPH_AUDIENCE, scope, expiresInSec: 600 },
    );
  };
}
