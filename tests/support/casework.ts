// Issue 3's services on memory stores with the demo panel seated, for unit tests of incidents, cases and the
// register. Fictional personas only (bot/src/adapters/http/devSignIn.ts).
import { createMemoryStores } from "../../bot/src/adapters/memory";
import { createMemoryBotStores } from "../../bot/src/adapters/memory/bot";
import { MemoryBlobStore } from "../../bot/src/adapters/memory/blobs";
import { FakeClock } from "../../bot/src/adapters/system/clock";
import { silentLogger } from "../../bot/src/adapters/system/logger";
import { PERSONAS } from "../../bot/src/adapters/http/devSignIn";
import type { CaseNotifier } from "../../bot/src/ports/caseNotifier";
import type { BotStores } from "../../bot/src/ports/conversations";
import type { Stores } from "../../bot/src/ports/stores";
import { createCasework, type Casework } from "../../bot/src/services/casework";
import type { IncidentDraft } from "../../bot/src/services/incidents";
import type { Caller, Case, Role } from "../../core/src/domain";
import { getPreset } from "../../core/src/policy/presets";
import type { PolicyProfile } from "../../core/src/policy/schema";
import { demoPanel } from "../../scripts/demo/panel";

export const NOW = "2026-11-23T10:00:00.000Z";

export interface RecordingNotifier extends CaseNotifier {
  opened: Case[];
  changed: string[];
}

export function recordingNotifier(): RecordingNotifier {
  const n: RecordingNotifier = {
    opened: [],
    changed: [],
    caseOpened: async (c) => { n.opened.push(c); },
    caseChanged: async (id) => { n.changed.push(id); },
  };
  return n;
}

export interface CaseworkHarness {
  cw: Casework;
  stores: Stores;
  bot: BotStores;
  blobs: MemoryBlobStore;
  clock: FakeClock;
  notifier: RecordingNotifier;
  profile: PolicyProfile;
  changedSubjects: string[];
}

export async function aCasework(options: { preset?: string; profile?: PolicyProfile; seat?: boolean } = {}): Promise<CaseworkHarness> {
  const profile = options.profile ?? getPreset(options.preset ?? "dorset")!;
  const stores = createMemoryStores();
  const bot = createMemoryBotStores();
  const blobs = new MemoryBlobStore();
  const clock = new FakeClock(NOW);
  const notifier = recordingNotifier();
  const changedSubjects: string[] = [];
  let n = 0;
  const cw = createCasework({
    stores, blobs, botStores: bot, profile, clock, ids: { next: () => `id-${++n}` }, logger: silentLogger,
    lookup: { subjectChanged: async (id) => { changedSubjects.push(id); } },
    notifier,
    sleep: async () => undefined,
  });
  if (options.seat !== false) for (const seat of demoPanel(profile, NOW)) await bot.decisionBody.put(seat);
  return { cw, stores, bot, blobs, clock, notifier, profile, changedSubjects };
}

/** A caller for a persona, with the roles a seat on the body adds (as the bot's directory gives them). */
export function persona(name: string, extraRoles: Role[] = []): Caller {
  const p = PERSONAS.find((x) => x.displayName === name);
  if (!p) throw new Error(`No persona ${name}`);
  return { id: p.id, tenantId: "t", displayName: p.displayName, email: p.email, roles: [...new Set([...p.roles, ...extraRoles])], serviceAreas: p.serviceAreas };
}

export const PANEL = ["Charlie Chair", "Pam Panel", "Petra Panel", "Percy Panel", "Polly Panel", "Paddy Panel"] as const;

/** A complete, valid report about a new person. */
export function aReport(over: Partial<IncidentDraft> = {}): IncidentDraft {
  return {
    subject: { new: { kind: "person", displayName: "Alex Example", emails: ["alex.example@example.org"], phones: ["07700 900123"] } },
    occurredAt: "2026-11-23T09:30:00.000Z",
    location: "Civic Centre reception",
    channel: "face-to-face",
    serviceArea: "Housing",
    category: "verbal-abuse",
    description: "Shouted abuse at the reception desk and refused to leave when asked.",
    witnesses: [{ name: "Wendy Witness", statement: "I heard the shouting from the back office.", isStaff: true }],
    hateIncident: false,
    immediateAction: "asked-to-leave",
    ...over,
  };
}

let keyCounter = 0;
export function aKey(): string {
  return `key-${String(++keyCounter).padStart(8, "0")}-${Date.now().toString(36)}`;
}
