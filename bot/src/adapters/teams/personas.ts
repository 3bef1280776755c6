// Locally (CALM_ENV=local with development sign-in), Teams users are the fictional personas: the Agents Playground's
// mock users carry the personas' ids as their Entra object ids (.m365agentsplayground.yml), and this map gives them
// the personas' roles. Production uses CALM_BOT_ROLES and the decision body's seats instead.
import type { Persona } from "../http/devSignIn";
import type { RoleMapEntry } from "../../services/callerDirectory";

export function personaRoleMap(personas: readonly Persona[]): Map<string, RoleMapEntry> {
  return new Map(personas.map((p) => [p.id, { displayName: p.displayName, email: p.email, roles: p.roles, serviceAreas: p.serviceAreas }]));
}
