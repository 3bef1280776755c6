// Who a Teams user is to CALM. Bot activities carry the user's Entra object id but not their app roles (those
// come only in tokens for the API), so the bot asks this port: membership of the decision body, and the role
// map the council keeps (config or store). Locally, the fictional personas.
import type { Caller } from "../../../core/src/domain";

export interface TeamsIdentity {
  /** Entra object id (`from.aadObjectId`); absent for some non-Teams channels. */
  aadObjectId?: string;
  /** The channel's own user id (`from.id`). */
  channelUserId: string;
  tenantId?: string;
  /** The name Teams shows; used only when the directory has none. */
  name?: string;
}

export interface CallerDirectory {
  /** The caller with their CALM roles, or undefined when CALM does not know them (they get a plain
   * "ask for access" answer, never an error). */
  resolve(identity: TeamsIdentity): Promise<Caller | undefined>;
}
