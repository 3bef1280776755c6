// Test wiring for the Graph features: a simulator with a fictional council tenant, the real Graph adapter
// pointed at it, and quiet defaults (fast Retry-After, short leases) so the suites stay well under a minute.
import { randomUUID } from "node:crypto";
import { createGraphMail, type GraphMailClient, type GraphMailOptions } from "../../../bot/src/adapters/graph";
import type { Logger } from "../../../bot/src/ports/system";
import { GraphSimulator, type GraphSimulatorOptions } from "./server";

export const SPOC = "housing.spoc@example.org";
export const CUSTOMER = "alex.example@example.com";
export const CUSTOMER_ALT = "a.example@example.net";

/** Collects log events so tests can check that nothing personal is logged. */
export function testLogger(): Logger & { lines: { level: string; event: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (event, fields) => { lines.push({ level: "info", event, ...(fields ? { fields } : {}) }); },
    warn: (event, fields) => { lines.push({ level: "warn", event, ...(fields ? { fields } : {}) }); },
    error: (event, fields) => { lines.push({ level: "error", event, ...(fields ? { fields } : {}) }); },
  };
}

export const ids = { next: (): string => randomUUID() };
export const systemClock = { now: (): Date => new Date() };

export interface TenantShape {
  staff: string[];
  councillors: string[];
  group: string;
}

/** A fictional council: `staffCount` housing officers in the group housing-team@, three councillors, a SPOC. */
export function seedTenant(sim: GraphSimulator, staffCount = 12): TenantShape {
  const staff = Array.from({ length: staffCount }, (_, i) => sim.tenant.addUser({ mail: `officer${String(i + 1).padStart(4, "0")}@example.org` }).mail);
  const councillors = ["cllr.one@example.org", "cllr.two@example.org", "cllr.three@example.org"].map((m) => sim.tenant.addUser({ mail: m }).mail);
  sim.tenant.addUser({ mail: SPOC });
  sim.tenant.addUser({ mail: "no.mailbox@example.org", hasMailbox: false });
  sim.tenant.addGroup({ mail: "housing-team@example.org", members: staff });
  return { staff, councillors, group: "housing-team@example.org" };
}

export async function startSim(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const sim = new GraphSimulator({ throttleRetryAfterSeconds: 0.02, latencyMs: { min: 0, max: 2 }, ...options });
  await sim.start();
  return sim;
}

export function graphFor(sim: GraphSimulator, options: Partial<GraphMailOptions> = {}): GraphMailClient {
  return createGraphMail({
    baseUrl: sim.baseUrl,
    getToken: () => Promise.resolve("test-token"),
    ratePerSecond: 5000,
    baseBackoffMs: 10,
    maxBackoffMs: 200,
    timeoutMs: 5000,
    ...options,
  });
}
