// Reading mail through Microsoft Graph for "Report this email", in tests: the Graph simulator with the demo tenant,
// and the real adapter (GraphUserMail) against it with the local on-behalf-of stand-in. The server is given
// `userMail`, which reads through the real adapter, or, after withoutConsent(), through one whose on-behalf-of
// exchange fails as it does in a tenant that has not consented to CALM's mail permissions.
import { createLocalIssuer } from "../../bot/src/adapters/http/devSignIn";
import { createLocalOboTokenFunction } from "../../bot/src/adapters/graph/localObo";
import { OboError } from "../../bot/src/adapters/graph/obo";
import { GraphUserMail } from "../../bot/src/adapters/graph/userMail";
import type { UserMailReader } from "../../bot/src/ports/userMail";
import { startGraphSimulator, type GraphSimulator } from "./graphSimulator/server";
import { seedDemoTenant } from "./graphSimulator/seed";

export interface SimulatedMail {
  sim: GraphSimulator;
  /** For the server's `userMail`. */
  userMail: UserMailReader;
  /** Until reset(): every read fails as without admin consent (OBO_CONSENT_REQUIRED). */
  withoutConsent(): void;
  /** The real adapter again, and no faults left in the simulator. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startSimulatedMail(seed: Parameters<typeof seedDemoTenant>[1]): Promise<SimulatedMail> {
  const sim = await startGraphSimulator({ latencyMs: { min: 0, max: 1 } });
  seedDemoTenant(sim, seed);
  const graph = new GraphUserMail({ baseUrl: sim.baseUrl, obo: createLocalOboTokenFunction(await createLocalIssuer("00000000-0000-4000-8000-00000000c41a", "api://calm")) });
  const noConsent = new GraphUserMail({ baseUrl: sim.baseUrl, obo: () => Promise.reject(new OboError("OBO_CONSENT_REQUIRED")) });
  let reader: UserMailReader = graph;
  return {
    sim,
    userMail: { mime: (...a) => reader.mime(...a), details: (...a) => reader.details(...a) },
    withoutConsent: () => { reader = noConsent; },
    reset: () => {
      reader = graph;
      sim.clearFaults();
    },
    stop: () => sim.stop(),
  };
}
