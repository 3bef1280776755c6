// Lifecycle demo data for `npm start` (issue 7), on top of scripts/demo/demoData.ts: enough history that every
// letter type can be produced and opened for the fictional demo people under the policy in force — a warning, an
// incident behind the high-risk entry (for the legal letter), an email divert (for the divert notice), a decided
// review (for the review outcome letter) and a decided appeal (for the appeal outcome letter), plus an appeal still
// waiting. Written through the lifecycle services, so each step follows the policy; a step the policy does not
// allow (West Lindsey has no appeal) is skipped and said so. Runs once: a marker in the lifecycle settings.
import { MemoryBlobStore } from "../../bot/src/adapters/memory";
import { docxLetterWriter, docxReportWriter } from "../../bot/src/adapters/letters";
import { MemoryChannelNotifier } from "../../bot/src/adapters/memory/lifecycle";
import { createLifecycleTableStores } from "../../bot/src/adapters/tables/lifecycle";
import { httpWebhookSender } from "../../bot/src/adapters/webhooks/http";
import { createLogger } from "../../bot/src/adapters/system/logger";
import { PERSONAS } from "../../bot/src/adapters/http/devSignIn";
import type { Stores } from "../../bot/src/ports/stores";
import { LifecycleService, type Result } from "../../bot/src/services/lifecycle";
import type { Caller } from "../../core/src/domain";
import { getPreset } from "../../core/src/policy/presets";
import { registerName } from "../../core/src/policy/describe";
import { entryViewFor } from "../../core/src/rules/access";
import { addDays } from "../../core/src/calendar/dates";

const MARKER = "demo-lifecycle-seeded";

function persona(name: string): Caller {
  const p = PERSONAS.find((x) => x.displayName === name);
  if (!p) throw new Error(`No persona ${name}`);
  return { id: p.id, tenantId: "local", displayName: p.displayName, email: p.email, roles: p.roles, serviceAreas: p.serviceAreas };
}

export async function seedLifecycleDemo(input: { stores: Stores; connectionString: string; tablePrefix: string; preset: string; today: string }): Promise<{ seeded: boolean; notes: string[] }> {
  const profile = getPreset(input.preset);
  if (!profile) return { seeded: false, notes: [`No preset "${input.preset}"; lifecycle demo data skipped.`] };
  const lifecycle = await createLifecycleTableStores({ connectionString: input.connectionString, tablePrefix: input.tablePrefix });
  if (await lifecycle.settings.get(MARKER)) return { seeded: false, notes: [] };
  const { stores, today } = input;
  const clock = { now: () => new Date() };
  let n = 0;
  const service = new LifecycleService(
    {
      profile,
      registerName: registerName(profile),
      stores,
      lifecycle,
      blobs: new MemoryBlobStore(), // the seed writes no files
      clock,
      ids: { next: () => `demo-lifecycle-${String(++n).padStart(4, "0")}` },
      logger: createLogger("silent"),
      letters: docxLetterWriter,
      reports: docxReportWriter,
      channel: new MemoryChannelNotifier(),
      webhooks: httpWebhookSender,
      subjectChanged: (id) => stores.register.markChanged(id, new Date().toISOString()),
      viewFor: (caller, entry) => entryViewFor(profile, caller.roles, entry),
    },
    { intervalMs: 60_000, instanceId: "demo-seed" },
  );
  const notes = await seedLifecycleHistory(service, stores, today);
  await lifecycle.settings.create({ id: MARKER, value: today, updatedAt: new Date().toISOString() });
  return { seeded: true, notes };
}

/** The demo history, written through a lifecycle service (npm start's over the table stores; the browser tests'
 * over the app's own). Returns notes on steps the policy did not allow. */
export async function seedLifecycleHistory(service: LifecycleService, stores: Stores, today: string): Promise<string[]> {
  const profile = service.ctx.profile;
  const officer = persona("Ola Officer");
  const admin = persona("Ada Admin");
  const chair = persona("Charlie Chair");
  const appeals = persona("Abe Appeals");
  const notes: string[] = [];
  const step = async <T>(what: string, run: () => Promise<Result<T>>): Promise<T | undefined> => {
    const r = await run();
    if (!r.ok) {
      notes.push(`${what}: skipped (${r.code}).`);
      return undefined;
    }
    return r.value;
  };

  // A warning for the person reported but not listed (Robin Referral, INC-0002).
  const ladder = profile.warnings;
  await step("Warning for Robin Referral", () =>
    service.warnings.record(officer, {
      subjectId: "demo-subject-0005",
      step: ladder?.steps[0]?.step ?? "formal-written",
      category: "verbal-abuse",
      incidentIds: ["demo-incident-0002"],
      note: "Told at reception that threats to staff are not acceptable.",
    }),
  );

  // The incident behind the high-risk entry (CAL-0002), so its letters can describe what happened.
  if (!(await stores.incidents.get("demo-incident-0003"))) {
    const at = `${addDays(today, -3)}T14:20:00.000Z`;
    await stores.incidents.create({
      id: "demo-incident-0003",
      reference: await stores.references.next("INC"),
      subjectId: "demo-subject-0002",
      reporter: { id: officer.id, displayName: officer.displayName },
      occurredAt: at,
      location: "22 Placeholder Road (home visit)",
      channel: "home-visit",
      serviceArea: "Housing",
      category: "verbal-threat",
      description: "Tenant shouted and threatened to hit the officer with a walking stick during a repairs inspection. The officer left.",
      witnesses: [],
      evidence: [],
      hateIncident: false,
      immediateAction: "meeting-ended",
      reportedAt: at,
    });
  }

  // An email divert to the SPOC on CAL-0001, where the policy has one (Dorset 4.12), for the divert notice.
  if (profile.restrictions.catalogue.some((r) => r.kind === "email-divert")) {
    await step("Email divert on CAL-0001", () => service.restrictions.add(admin, "demo-entry-0001", { kind: "email-divert", params: { spocMailbox: "housing.spoc@calm-demo.example" } }));
  }

  // A decided review of CAL-0003 (kept in place), for the review outcome letter.
  const review = await step("Review of CAL-0003", () => service.reviews.startNow(chair, "demo-entry-0003"));
  if (review) {
    await step("Review outcome for CAL-0003", () =>
      service.reviews.decide(chair, review.id, { outcome: "extend", approvedOn: today, approvalReference: "Demo panel meeting", reasons: "Correspondence on the closed complaint has continued; the arrangement is working and stays." }),
    );
  }

  // A decided appeal on CAL-0001 (upheld), and one still waiting on CAL-0002.
  const appeal = await step("Appeal on CAL-0001", () => service.appeals.receive(admin, "demo-entry-0001", { receivedOn: today, grounds: "The decision was unreasonable: I only called about my repair." }));
  if (appeal) {
    await step("Appeal decision on CAL-0001", () => service.appeals.decide(appeals, appeal.id, { outcome: "upheld", reasons: "The calls were abusive on several occasions; the single point of contact is in proportion." }));
  }
  await step("Appeal on CAL-0002", () => service.appeals.receive(admin, "demo-entry-0002", { receivedOn: today, grounds: "I was not given a chance to explain what happened at the inspection." }));

  return notes;
}
