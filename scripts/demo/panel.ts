// The demo decision body: fictional personas in the positions the policy profile names (Dorset 4.3: six, the
// Service Manager for Assurance chairs), plus the named deputy for emergency additions where the policy has one
// (Dorset 4.13.2). Used by `npm start`, the tests, the benchmark and the Agents Playground.
import type { PolicyProfile } from "../../core/src/policy/schema";
import { PERSONAS } from "../../bot/src/adapters/http/devSignIn";
import type { DecisionBodySeat, DecisionBodyStore } from "../../bot/src/ports/decisionBody";

const CHAIR = "Charlie Chair";
const MEMBERS = ["Pam Panel", "Petra Panel", "Percy Panel", "Polly Panel", "Paddy Panel"];
const DEPUTY = "Dee Deputy";

function persona(name: string) {
  const p = PERSONAS.find((x) => x.displayName === name);
  if (!p) throw new Error(`No persona ${name}`);
  return p;
}

/** The seats for a profile: the chair's position to Charlie Chair, the other positions in order to the panel
 * personas (as many as the policy has positions, up to five), and Dee Deputy where the policy names a deputy. */
export function demoPanel(profile: PolicyProfile, at: string): DecisionBodySeat[] {
  const positions = profile.decisionBody.members;
  // A body whose policy names no chair (West Lindsey's Determination Team) still needs someone to close a vote:
  // Charlie Chair takes the first position and chairs.
  const chairPosition = positions.find((m) => m.chair) ?? positions[0];
  const others = positions.filter((m) => m !== chairPosition);
  const seats: DecisionBodySeat[] = [];
  const seat = (name: string, capacity: DecisionBodySeat["capacity"], positionId?: string): DecisionBodySeat => {
    const p = persona(name);
    return { userId: p.id, displayName: p.displayName, email: p.email, capacity, ...(positionId ? { positionId } : {}), updatedAt: at };
  };
  seats.push(seat(CHAIR, "chair", chairPosition?.id));
  others.slice(0, MEMBERS.length).forEach((position, i) => seats.push(seat(MEMBERS[i]!, "member", position.id)));
  if (profile.decisionBody.emergency?.deputy) seats.push(seat(DEPUTY, "emergency-deputy"));
  return seats;
}

/** Puts the demo panel in the store unless somebody already sits there. Returns how many seats it wrote. */
export async function seedDemoPanel(store: DecisionBodyStore, profile: PolicyProfile, at: string): Promise<number> {
  if ((await store.list()).length > 0) return 0;
  const seats = demoPanel(profile, at);
  for (const s of seats) await store.put(s);
  return seats.length;
}
