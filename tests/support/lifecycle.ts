// A lifecycle service over memory stores with a fake clock, a recording channel and webhook sender, and the real
// .docx letter writer: for the lifecycle unit, scenario and scheduler tests.
import AdmZip from "adm-zip";
import { MemoryBlobStore, createMemoryStores } from "../../bot/src/adapters/memory";
import { createMemoryLifecycleStores, MemoryChannelNotifier, RecordingWebhookSender } from "../../bot/src/adapters/memory/lifecycle";
import { docxLetterWriter, docxReportWriter } from "../../bot/src/adapters/letters";
import { FakeClock } from "../../bot/src/adapters/system/clock";
import { silentLogger } from "../../bot/src/adapters/system/logger";
import type { LifecycleStores } from "../../bot/src/ports/lifecycle";
import type { Stores } from "../../bot/src/ports/stores";
import { LifecycleService } from "../../bot/src/services/lifecycle";
import { RegisterService } from "../../bot/src/services/register";
import type { Caller, Case, DecisionOutcome, Incident, IncidentCategory, RegisterEntry, Restriction, Role, StaffRef, Subject } from "../../core/src/domain";
import { registerName } from "../../core/src/policy/describe";
import type { PolicyProfile } from "../../core/src/policy/schema";
import { entryViewFor } from "../../core/src/rules/access";

export interface LifecycleHarness {
  service: LifecycleService;
  stores: Stores;
  lifecycle: LifecycleStores;
  blobs: MemoryBlobStore;
  clock: FakeClock;
  channel: MemoryChannelNotifier;
  webhooks: RecordingWebhookSender;
  profile: PolicyProfile;
  /** Another server instance over the same stores (its own scheduler). */
  sibling(instanceId: string): LifecycleService;
}

export function lifecycleHarness(profile: PolicyProfile, start = "2027-01-04T09:00:00.000Z", shared?: { stores: Stores; lifecycle: LifecycleStores; blobs: MemoryBlobStore; clock: FakeClock }): LifecycleHarness {
  const stores = shared?.stores ?? createMemoryStores();
  const lifecycle = shared?.lifecycle ?? createMemoryLifecycleStores();
  const blobs = shared?.blobs ?? new MemoryBlobStore();
  const clock = shared?.clock ?? new FakeClock(start);
  const channel = new MemoryChannelNotifier();
  const webhooks = new RecordingWebhookSender();
  let n = 0;
  const make = (instanceId: string) =>
    new LifecycleService(
      {
        profile,
        registerName: registerName(profile),
        stores,
        lifecycle,
        blobs,
        clock,
        ids: { next: () => `${instanceId}-${String(++n).padStart(5, "0")}` },
        logger: silentLogger,
        letters: docxLetterWriter,
        reports: docxReportWriter,
        channel,
        webhooks,
        subjectChanged: (id) => stores.register.markChanged(id, clock.now().toISOString()),
        viewFor: (caller, entry) => entryViewFor(profile, caller.roles, entry),
        allowInsecureWebhooks: true,
      },
      { intervalMs: 60_000, instanceId },
    );
  return { service: make("a"), stores, lifecycle, blobs, clock, channel, webhooks, profile, sibling: make };
}

export const STAFF: Record<string, Caller> = {
  officer: caller("00000000-0000-4000-8000-000000000001", "Ola Officer", ["officer"]),
  manager: caller("00000000-0000-4000-8000-000000000002", "Max Manager", ["manager", "officer"]),
  panel: caller("00000000-0000-4000-8000-000000000003", "Pam Panel", ["panel-member"]),
  chair: caller("00000000-0000-4000-8000-000000000004", "Charlie Chair", ["chair", "panel-member"]),
  admin: caller("00000000-0000-4000-8000-000000000005", "Ada Admin", ["register-admin"]),
  appeals: caller("00000000-0000-4000-8000-000000000008", "Abe Appeals", ["appeal-officer"]),
  auditor: caller("00000000-0000-4000-8000-000000000009", "Audrey Auditor", ["auditor"]),
};

function caller(id: string, displayName: string, roles: Role[]): Caller {
  return { id, tenantId: "test-tenant", displayName, email: `${displayName.toLowerCase().replace(/ /g, ".")}@calm-demo.example`, roles, serviceAreas: ["Housing"] };
}

export function ref(c: Caller): StaffRef {
  return { id: c.id, displayName: c.displayName };
}

export async function aSubject(stores: Stores, over: Partial<Subject> = {}): Promise<Subject> {
  const at = "2027-01-04T09:00:00.000Z";
  return stores.subjects.create({
    id: `subject-${Math.random().toString(36).slice(2, 10)}`,
    kind: "person",
    displayName: "Alex Example",
    aliases: [],
    emails: ["alex.example@example.org"],
    phones: ["07700 900001"],
    addresses: [{ lines: ["1 Fictional Lane"], town: "Exampleton", postcode: "EX1 1AA" }],
    socialHandles: [],
    createdAt: at,
    updatedAt: at,
    ...over,
  });
}

let incidentNo = 0;
export async function anIncident(stores: Stores, subjectId: string, over: Partial<Incident> & { category: IncidentCategory; occurredAt: string }): Promise<Incident> {
  incidentNo++;
  return stores.incidents.create({
    id: `incident-${incidentNo}-${Math.random().toString(36).slice(2, 8)}`,
    reference: `INC-${String(incidentNo).padStart(4, "0")}`,
    subjectId,
    reporter: ref(STAFF.officer!),
    location: "Exampleton contact centre",
    channel: "phone",
    serviceArea: "Housing",
    description: "Caller swore repeatedly at the officer after being told the repair was booked for next week.",
    witnesses: [],
    evidence: [],
    hateIncident: false,
    immediateAction: "call-ended",
    reportedAt: over.occurredAt,
    ...over,
  });
}

/** The decision body's decision: the case with its votes (a fixture), put on the register by RegisterService as
 * the case service does when the chair closes the vote. */
export async function aDecision(
  h: LifecycleHarness,
  input: { subjectId: string; incidents: Incident[]; outcome: DecisionOutcome; decidedAt: string; restrictions: Restriction[]; voters: Caller[]; presenter: Caller },
): Promise<{ case: Case; entry: RegisterEntry }> {
  const { stores, profile } = h;
  const c = await stores.cases.create({
    id: `case-${Math.random().toString(36).slice(2, 10)}`,
    reference: await stores.references.next("CASE"),
    subjectId: input.subjectId,
    incidentIds: input.incidents.map((i) => i.id),
    recommendedOutcome: input.outcome,
    recommendedRestrictions: input.restrictions,
    presentingManager: ref(input.presenter),
    summary: "Repeated abuse and a threat to a housing officer by phone.",
    recommendedGuidance: ["Keep calls short and end the call if the language becomes abusive."],
    recommendedSpoc: { displayName: "Sam Spoc", mailbox: "housing.spoc@calm-demo.example", serviceArea: "Housing" },
    status: "decided",
    referredAt: input.incidents[input.incidents.length - 1]!.reportedAt,
    decision: {
      outcome: input.outcome,
      decidedAt: input.decidedAt,
      decidedBy: input.voters.map(ref),
      votesFor: input.voters.length,
      votesCast: input.voters.length,
      eligibleVoters: input.voters.length,
      quorumMet: true,
      restrictions: input.restrictions,
    },
  });
  for (const v of input.voters) await stores.cases.putVote({ caseId: c.id, voter: ref(v), choice: input.outcome, castAt: input.decidedAt });
  // The register service puts the decision on the register, as the case service does when a vote closes.
  const register = new RegisterService({ stores, profile, clock: { now: () => new Date(input.decidedAt) }, ids: { next: () => `id-${Math.random().toString(36).slice(2, 10)}` }, logger: silentLogger, lookup: { subjectChanged: (id) => stores.register.markChanged(id, input.decidedAt) } });
  const entry = await register.applyDecision({ case: c, decision: c.decision!, status: "active", actor: ref(input.presenter) });
  if (!entry) throw new Error(`The outcome ${input.outcome} adds nobody to the register.`);
  const updated = await stores.cases.update({ ...c, entryId: entry.id });
  return { case: updated, entry };
}

/** The text of a .docx (word/document.xml without its tags), to check what a letter says. */
export function docxText(data: Buffer): string {
  const zip = new AdmZip(data);
  const xml = zip.readAsText("word/document.xml");
  if (!xml) throw new Error("No word/document.xml in the document.");
  return xml
    .replace(/<w:tab\/>/g, "\t")
    .replace(/<\/w:p>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** Sets the fake clock to 09:00 London time on a date (UTC in winter, BST in summer make no odds at 09:00Z). */
export function at(clock: FakeClock, date: string, time = "09:00:00"): void {
  clock.set(`${date}T${time}.000Z`);
}
