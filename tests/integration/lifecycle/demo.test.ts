// `npm start`'s demo data on Azurite, as a new user finds it: under the default policy (Dorset) every letter type
// can be produced for the demo people and opened; under the other presets each letter the policy allows can be,
// and the rest are refused with the policy's reason.
import assert from "node:assert/strict";
import { createTableStores } from "../../../bot/src/adapters/tables";
import { createLifecycleTableStores } from "../../../bot/src/adapters/tables/lifecycle";
import { MemoryBlobStore } from "../../../bot/src/adapters/memory";
import { MemoryChannelNotifier, RecordingWebhookSender } from "../../../bot/src/adapters/memory/lifecycle";
import { docxLetterWriter, docxReportWriter } from "../../../bot/src/adapters/letters";
import { silentLogger } from "../../../bot/src/adapters/system/logger";
import { LifecycleService } from "../../../bot/src/services/lifecycle";
import { LETTER_TYPES, type LetterType } from "../../../core/src/domain";
import { getPreset, PRESET_IDS } from "../../../core/src/policy/presets";
import { registerName } from "../../../core/src/policy/describe";
import { entryViewFor } from "../../../core/src/rules/access";
import { seedDemoData } from "../../../scripts/demo/demoData";
import { seedLifecycleDemo } from "../../../scripts/demo/lifecycleDemo";
import { startAzurite, type RunningAzurite } from "../../../scripts/support/azurite";
import { freshPrefix } from "../../support/storeFixtures";
import { docxText, STAFF } from "../../support/lifecycle";

/** Which entry each letter type is produced for in the demo (CAL-0002 is high risk: the legal letter). */
const FOR: Record<LetterType, string> = {
  warning: "demo-entry-0001",
  restriction: "demo-entry-0001",
  "legal-cease-and-desist": "demo-entry-0002",
  "review-outcome": "demo-entry-0003",
  "appeal-outcome": "demo-entry-0001",
  "divert-notice": "demo-entry-0001",
};

describe("demo data: every letter type for the demo people", function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  before(async () => {
    azurite = await startAzurite({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  for (const preset of PRESET_IDS) {
    it(`${preset}: seeds once, then each letter the policy allows is produced and opens`, async () => {
      const profile = getPreset(preset)!;
      const tablePrefix = freshPrefix();
      const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix, identifierHashKey: "demo-test-identifier-hash-key" });
      const today = new Date().toISOString().slice(0, 10);
      await seedDemoData(stores, today, (id) => stores.register.markChanged(id, new Date().toISOString()));
      const first = await seedLifecycleDemo({ stores, connectionString: azurite.connectionString, tablePrefix, preset, today });
      assert.equal(first.seeded, true);
      assert.equal((await seedLifecycleDemo({ stores, connectionString: azurite.connectionString, tablePrefix, preset, today })).seeded, false, "runs once");

      const lifecycle = await createLifecycleTableStores({ connectionString: azurite.connectionString, tablePrefix });
      let n = 0;
      const service = new LifecycleService(
        {
          profile,
          registerName: registerName(profile),
          stores,
          lifecycle,
          blobs: new MemoryBlobStore(),
          clock: { now: () => new Date() },
          ids: { next: () => `t-${++n}` },
          logger: silentLogger,
          letters: docxLetterWriter,
          reports: docxReportWriter,
          channel: new MemoryChannelNotifier(),
          webhooks: new RecordingWebhookSender(),
          subjectChanged: (id) => stores.register.markChanged(id, new Date().toISOString()),
          viewFor: (caller, entry) => entryViewFor(profile, caller.roles, entry),
        },
        { intervalMs: 60_000, instanceId: "test" },
      );
      const produced: string[] = [];
      const refused: string[] = [];
      for (const type of LETTER_TYPES) {
        const r = await service.letters.produce(STAFF.manager!, { type, entryId: FOR[type] });
        if (!r.ok) {
          refused.push(`${type}:${r.code}`);
          continue;
        }
        const doc = await service.letters.document(STAFF.manager!, r.value.letter.id);
        assert.ok(doc.ok);
        const text = docxText(doc.value.data);
        assert.ok(text.includes("Dear ") && text.includes(profile.council), `${type} opens as a letter from ${profile.council}`);
        produced.push(type);
      }
      const expected: Record<string, { produced: string[]; refused: string[] }> = {
        // Dorset: everything (4.8, 4.12, 4.13.1, 4.13.3, 6.1); removal is never told, but this review kept the entry.
        dorset: { produced: [...LETTER_TYPES], refused: [] },
        // No email divert in the other policies, so no divert to give notice of; West Lindsey has no appeal (11.4).
        "east-suffolk": { produced: LETTER_TYPES.filter((t) => t !== "divert-notice"), refused: ["divert-notice:LETTER_INCOMPLETE"] },
        "west-oxfordshire": { produced: LETTER_TYPES.filter((t) => t !== "divert-notice"), refused: ["divert-notice:LETTER_INCOMPLETE"] },
        "west-lindsey": { produced: LETTER_TYPES.filter((t) => t !== "divert-notice" && t !== "appeal-outcome"), refused: ["appeal-outcome:LETTER_INCOMPLETE", "divert-notice:LETTER_INCOMPLETE"] },
        tamworth: { produced: LETTER_TYPES.filter((t) => t !== "divert-notice"), refused: ["divert-notice:LETTER_INCOMPLETE"] },
      };
      assert.deepEqual({ produced, refused }, expected[preset], JSON.stringify(first.notes));
    });
  }
});
