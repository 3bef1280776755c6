// Subject access (issue 8 item 4): one archive of everything held about a person — record, entries, incidents,
// cases and votes, evidence files, representatives, and the audit of who looked them up — through the API and
// through `calm sar export`, itself audited; nothing about anyone else; no file name can climb out of its folder.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import AdmZip from "adm-zip";
import { TableClient } from "@azure/data-tables";
import { createAzureBlobStore } from "../../bot/src/adapters/blobs";
import { MemoryBlobStore } from "../../bot/src/adapters/memory";
import { createMemoryLifecycleStores } from "../../bot/src/adapters/memory/lifecycle";
import type { LetterRecord } from "../../bot/src/ports/lifecycle";
import { createTableStores } from "../../bot/src/adapters/tables";
import type { BlobStore } from "../../bot/src/ports/blobs";
import type { Stores } from "../../bot/src/ports/stores";
import { safeFileName } from "../../bot/src/services/subjectAccess";
import type { AuditEvent } from "../../core/src/domain";
import { startAzurite, type RunningAzurite } from "../../scripts/support/azurite";
import { chainedEvent, rewriteChainedEvent } from "../support/auditRows";
import { temporaryFolders } from "../support/waiting";
import { aVote, fullCase, fullEntry, fullIncident, fullSubject } from "../support/storeFixtures";
import { startTestApp, type TestApp } from "../support/testApp";

const ROOT = path.resolve(__dirname, "../..");
const HOSTILE_NAMES = ["../../../../etc/passwd", "..\\..\\windows\\win.ini", "<script>alert(1)</script>.pdf", "invoice\u202Efdp.exe", "/abs/olute.png", ""];

/** A subject with everything a SAR must find, and a second person whose data must not be in it. */
async function seedPerson(stores: Stores, blobs: BlobStore): Promise<{ subjectId: string; evidence: Map<string, Buffer>; otherName: string }> {
  const subject = await stores.subjects.create(fullSubject({ id: "sar-subject", displayName: "Sally Subjectaccess", emails: ["sally.subjectaccess@example.org"], phones: ["07700 900777"], aliases: ["Sal Subjectaccess"] }));
  await stores.subjects.create(fullSubject({ id: "sar-rep", displayName: "Rex Representative", emails: ["rex.rep@example.org"], phones: [], actsForSubjectId: subject.id }));
  await stores.subjects.create(fullSubject({ id: "sar-other", displayName: "Otto Otherperson", emails: ["otto.otherperson@example.org"], phones: ["07700 900778"] }));
  const caseRecord = await stores.cases.create(fullCase(subject.id, { id: "sar-case", summary: "Threats at reception (SAR case)." }));
  await stores.cases.putVote(aVote(caseRecord.id, "member-1", "add-high"));
  const evidence = new Map<string, Buffer>();
  const incident = fullIncident(subject.id, {
    id: "sar-incident",
    reference: "INC-0777",
    caseId: caseRecord.id,
    description: "Shouted at the officer (SAR incident).",
    evidence: HOSTILE_NAMES.map((fileName, i) => ({ id: `ev-${i}`, kind: "file" as const, fileName, contentType: "application/pdf", sizeBytes: 10, blobName: `evidence/sar-incident/ev-${i}`, addedAt: "2026-11-02T09:30:00.000Z" })),
  });
  await stores.incidents.create(incident);
  for (const [i] of HOSTILE_NAMES.entries()) {
    const data = Buffer.from(`%PDF-1.7 evidence ${i}`);
    evidence.set(`ev-${i}`, data);
    await blobs.put(`evidence/sar-incident/ev-${i}`, data, "application/pdf");
  }
  await stores.register.create(fullEntry(subject.id, { id: "sar-entry-1", reference: "CAL-0777", caseId: caseRecord.id }));
  await stores.register.create(fullEntry(subject.id, { id: "sar-entry-0", reference: "CAL-0700", status: "removed", removedOn: "2026-01-01", removalReason: "Expired." }));
  await stores.incidents.create(fullIncident("sar-other", { id: "other-incident", description: "Otto's incident (not Sally's)." }));
  const at = (m: number) => `2026-11-0${m}T10:00:00.000Z`;
  const looked: AuditEvent[] = [
    { id: "look-1", at: at(3), actorId: "officer-aaa", action: "lookup", surface: "addin", subjectId: subject.id, what: ["CAL-0777", "view:summary"] },
    { id: "look-2", at: at(4), actorId: "manager-bbb", action: "view", surface: "tab", subjectId: subject.id, what: ["subject-page"] },
    { id: "look-other", at: at(4), actorId: "officer-aaa", action: "lookup", surface: "bot", subjectId: "sar-other", what: ["CAL-0888"] },
  ];
  for (const e of looked) await stores.audit.append(e);
  return { subjectId: subject.id, evidence, otherName: "Otto Otherperson" };
}

function readZip(buffer: Buffer): Map<string, Buffer> {
  const zip = new AdmZip(buffer);
  return new Map(zip.getEntries().map((e) => [e.entryName, e.getData()]));
}

function checkArchive(files: Map<string, Buffer>, seeded: { evidence: Map<string, Buffer>; otherName: string }): void {
  for (const name of files.keys()) {
    assert.ok(!name.startsWith("/") && !name.includes("\\") && !name.split("/").includes(".."), `unsafe entry name ${name}`);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001f\u202e<>]/.test(name), `odd characters in ${JSON.stringify(name)}`);
  }
  for (const required of ["README.txt", "manifest.json", "subject.json", "register-entries.json", "incidents.json", "cases.json", "audit-log.json", "related-subjects.json"]) {
    assert.ok(files.has(required), `${required} is in the archive (has: ${[...files.keys()].join(", ")})`);
  }
  const json = (name: string) => JSON.parse(files.get(name)!.toString("utf8")) as unknown;
  assert.equal((json("subject.json") as { displayName: string }).displayName, "Sally Subjectaccess");
  assert.deepEqual((json("register-entries.json") as { reference: string }[]).map((e) => e.reference).sort(), ["CAL-0700", "CAL-0777"], "removed entries too");
  assert.equal((json("incidents.json") as unknown[]).length, 1);
  const cases = json("cases.json") as { id: string; votes: unknown[] }[];
  assert.deepEqual(cases.map((c) => [c.id, c.votes.length]), [["sar-case", 1]]);
  assert.deepEqual((json("related-subjects.json") as { id: string }[]).map((s) => s.id), ["sar-rep"]);
  const audit = json("audit-log.json") as AuditEvent[];
  assert.deepEqual(audit.filter((e) => e.id.startsWith("look")).map((e) => [e.actorId, e.action, e.surface]), [["officer-aaa", "lookup", "addin"], ["manager-bbb", "view", "tab"]], "who looked them up, oldest first");
  const evidenceFiles = [...files.keys()].filter((n) => n.startsWith("files/evidence/"));
  assert.equal(evidenceFiles.length, seeded.evidence.size);
  for (const [id, data] of seeded.evidence) {
    const entry = evidenceFiles.find((n) => n.includes(`/${id}-`));
    assert.ok(entry, `evidence ${id} is in the archive`);
    assert.deepEqual(files.get(entry), data);
  }
  const manifest = json("manifest.json") as { files: { path: string; sha256: string }[]; missing: string[] };
  assert.deepEqual(manifest.missing, []);
  for (const f of manifest.files) assert.ok(files.has(f.path), `manifest lists ${f.path}`);
  const everything = [...files.values()].map((b) => b.toString("utf8")).join("\n");
  assert.ok(!everything.includes(seeded.otherName) && !everything.includes("otto.otherperson") && !everything.includes("Otto's incident"), "nothing about anyone else");
  assert.match(files.get("README.txt")!.toString("utf8"), /other people's personal data/);
}

describe("security: subject access export", function () {
  this.timeout(120_000);

  it("cleans file names: no folders, no control or direction characters, never empty", () => {
    for (const [input, expected] of [
      ["../../../../etc/passwd", "passwd"],
      ["..\\..\\windows\\win.ini", "win.ini"],
      ["<script>alert(1)</script>.pdf", "script_.pdf"], // "/" in "</script>" is a folder separator: only the last part stays
      ["invoice\u202Efdp.exe", "invoicefdp.exe"],
      ["..", "file"],
      ["", "file"],
      [".hidden", "hidden"],
    ] as const) assert.equal(safeFileName(input), expected, input);
  });

  describe("through the API (POST /api/sar/export)", () => {
    let t: TestApp;
    let seeded: Awaited<ReturnType<typeof seedPerson>>;
    const lifecycle = createMemoryLifecycleStores();
    before(async () => {
      const blobs = new MemoryBlobStore();
      t = await startTestApp({ blobs, lifecycle: { stores: lifecycle, scheduler: { enabled: false } } });
      seeded = await seedPerson(t.stores, blobs);
      // A letter sent to them (record and file), from the lifecycle stores the app shares.
      const letter: LetterRecord = {
        id: "sar-letter-1", subjectId: seeded.subjectId, entryId: "sar-entry-1", type: "restriction", issuedBy: { id: "manager-bbb", displayName: "Max Manager" },
        issuedAt: "2026-11-05T10:00:00.000Z", parts: ["incident-details"], blobName: "letters/sar-letter-1.docx", heldAtReception: false, equalityQuestionnaireAttached: true,
        reference: "CAL-0777", title: "Restriction letter", sender: "Operations Manager", sizeBytes: 12, createdAt: "2026-11-05T10:00:00.000Z",
      };
      await lifecycle.letters.create(letter);
      await blobs.put("letters/sar-letter-1.docx", Buffer.from("PK fake docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    });
    after(() => t.stop());

    it("gives an auditor one archive of everything held about the person, found by email, and audits the export", async () => {
      const token = await t.issuer.token({ oid: "dpo-1", roles: ["auditor"] });
      const res = await fetch(`${t.url}/api/sar/export`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-calm-surface": "tab" }, body: JSON.stringify({ subject: "Sally.Subjectaccess@Example.org" }) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/zip");
      assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="calm-sar-sar-subject-\d{4}-\d{2}-\d{2}\.zip"$/);
      const zip = Buffer.from(await res.arrayBuffer());
      const files = readZip(zip);
      checkArchive(files, seeded);
      assert.deepEqual((JSON.parse(files.get("letters.json")!.toString("utf8")) as { id: string }[]).map((l) => l.id), ["sar-letter-1"], "letters sent to them");
      const letterFile = [...files.keys()].find((n) => n.startsWith("files/letters/sar-letter-1-"));
      assert.ok(letterFile, `the letter itself is in the archive (${[...files.keys()].join(", ")})`);
      assert.equal(files.get(letterFile)!.toString("utf8"), "PK fake docx");
      const exported = (await t.stores.audit.listBySubject(seeded.subjectId)).filter((e) => e.action === "sar-export");
      assert.equal(exported.length, 1);
      assert.equal(exported[0]!.actorId, "dpo-1");
      assert.equal(exported[0]!.surface, "tab");
      assert.ok(exported[0]!.what.includes(`sha256:${res.headers.get("x-calm-sha256")}`), "the audit records exactly which archive was handed out");
    });

    it("says plainly when the person cannot be found, is only named, or is ambiguous — and exports nothing", async () => {
      const token = await t.issuer.token({ oid: "dpo-1", roles: ["auditor"] });
      const before = (await t.stores.audit.listByActor("dpo-1")).length;
      const cases: [string, number, string][] = [
        ["nobody@example.org", 404, "SAR_SUBJECT_NOT_FOUND"],
        ["Sally Subjectaccess", 400, "SAR_SUBJECT_QUERY_INVALID"],
        ["no-such-id", 400, "SAR_SUBJECT_QUERY_INVALID"],
      ];
      for (const [subject, status, code] of cases) {
        const res = await t.call("/api/sar/export", { token, body: { subject } });
        assert.equal(res.status, status, subject);
        assert.equal(res.json.code, code);
        assert.ok(String(res.json.detail).length > 20);
      }
      await t.stores.subjects.create(fullSubject({ id: "sar-twin", displayName: "Twin", emails: ["sally.subjectaccess@example.org"], phones: [] }));
      const twin = await t.call("/api/sar/export", { token, body: { subject: "sally.subjectaccess@example.org" } });
      assert.equal(twin.status, 409);
      assert.equal(twin.json.code, "SAR_SUBJECT_AMBIGUOUS");
      const byId = await fetch(`${t.url}/api/sar/export`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ subject: "sar-subject" }) });
      assert.equal(byId.status, 200, "the id still works when an email is shared");
      assert.equal((await t.stores.audit.listByActor("dpo-1")).filter((e) => e.action === "sar-export").length - before >= 1, true);
    });

    it("is for auditors only", async () => {
      for (const role of ["register-admin", "officer", "manager", "chair"]) {
        const res = await t.call("/api/sar/export", { roles: [role], body: { subject: "sar-subject" } });
        assert.equal(res.status, 403, role);
      }
    });

    it("shows auditors and register administrators whether the audit chain is intact, and audits the check", async () => {
      const res = await t.call("/api/audit/verify?fresh=1", { token: await t.issuer.token({ oid: "dpo-2", roles: ["auditor"] }) });
      assert.equal(res.status, 200);
      assert.equal(res.json.intact, true);
      assert.ok(Number(res.json.events) >= 3);
      const checks = (await t.stores.audit.listByActor("dpo-2")).filter((e) => e.what.includes("audit-chain-check"));
      assert.equal(checks.length, 1);
      assert.equal((await t.call("/api/audit/verify", { roles: ["officer"] })).status, 403);
    });
  });

  describe("through the command line (calm sar export, calm audit verify) on Azure Storage", () => {
    let azurite: RunningAzurite;
    let env: NodeJS.ProcessEnv;
    let seeded: Awaited<ReturnType<typeof seedPerson>>;
    let auditTable: string;
    const prefix = `sar${Date.now() % 100000}`;

    before(async () => {
      azurite = await startAzurite({ inMemory: true });
      const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: "sar-cli-identifier-hash-key" });
      auditTable = stores.tableNames.audit;
      const blobs = await createAzureBlobStore({ connectionString: azurite.connectionString, containerName: "calm-files" });
      seeded = await seedPerson(stores, blobs);
      env = { ...process.env, CALM_ENV: "local", STORAGE_CONNECTION_STRING: azurite.connectionString, STORAGE_TABLE_PREFIX: prefix, CALM_IDENTIFIER_HASH_KEY: "sar-cli-identifier-hash-key" };
    });
    const folders = temporaryFolders();
    after(async () => {
      await azurite?.stop();
      folders.removeAll();
    });

    const calm = (args: string[], cwd: string) => spawnSync(process.execPath, [path.join(ROOT, "bin/calm.js"), ...args], { cwd, env, encoding: "utf8", timeout: 60_000 });

    it("writes the archive where asked, audited as the person running it", async () => {
      const dir = folders.make("calm-sar-");
      const run = calm(["sar", "export", "07700 900777", "--out", "request-42.zip", "--by", "dpo.jones"], dir);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /Wrote .*request-42\.zip: \d+ files/);
      checkArchive(readZip(readFileSync(path.join(dir, "request-42.zip"))), seeded);
      const stores = await createTableStores({ connectionString: azurite.connectionString, tablePrefix: prefix, identifierHashKey: "sar-cli-identifier-hash-key" });
      const exported = (await stores.audit.listBySubject(seeded.subjectId)).filter((e) => e.action === "sar-export");
      assert.deepEqual(exported.map((e) => [e.actorId, e.surface]), [["dpo.jones", "cli"]]);
    });

    it("refuses a name alone, and explains a missing storage setting", () => {
      const dir = folders.make("calm-sar-");
      const byName = calm(["sar", "export", "Sally Subjectaccess"], dir);
      assert.equal(byName.status, 1);
      assert.match(byName.stderr, /A name is not enough/);
      const noStorage = spawnSync(process.execPath, [path.join(ROOT, "bin/calm.js"), "sar", "export", "x"], { cwd: dir, env: { PATH: process.env.PATH }, encoding: "utf8" });
      assert.equal(noStorage.status, 2);
      assert.match(noStorage.stderr, /STORAGE_CONNECTION_STRING/);
    });

    it("`calm audit verify` exits 0 on an intact log, and 1 naming the event after one is tampered with", async () => {
      const dir = folders.make("calm-verify-");
      const ok = calm(["audit", "verify"], dir);
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /Audit log intact\./);

      const table = TableClient.fromConnectionString(azurite.connectionString, auditTable, { allowInsecureConnection: true });
      const row = await chainedEvent(table, 2);
      await rewriteChainedEvent(table, 2, (e) => ({ ...e, actorId: "nobody-at-all" }));
      const broken = calm(["audit", "verify"], dir);
      assert.equal(broken.status, 1);
      assert.match(broken.stdout, /AUDIT LOG NOT INTACT/);
      assert.match(broken.stdout, new RegExp(`\\[altered\\] Chain main: event ${String(row.id)} .*seq 2`));
      const json = calm(["audit", "verify", "--json"], dir);
      const parsed = JSON.parse(json.stdout) as { intact: boolean; problems: { eventId: string }[] };
      assert.equal(parsed.intact, false);
      assert.equal(parsed.problems[0]!.eventId, row.id);
    });
  });
});
