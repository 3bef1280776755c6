// The staff portal's API over HTTP, part 2: the subject page (tiers, history, special-category data), restrictions,
// recorded contact, reviews and appeals, access grants (and that they widen every view, lookups included), the
// audit trail, the policy and its dates, and garbage bodies on every route (never a 5xx).
import assert from "node:assert/strict";
import { getPreset } from "../../../core/src/policy/presets";
import type { Restriction, Role } from "../../../core/src/domain";
import { bindPolicy } from "../../../bot/src/policyBinding";
import { LocalDirectory } from "../../../bot/src/adapters/http/devDirectory";
import { PERSONAS } from "../../../bot/src/adapters/http/devSignIn";
import { createMemoryLifecycleStores } from "../../../bot/src/adapters/memory/lifecycle";
import { createMemoryPortalStores } from "../../../bot/src/adapters/memory/portal";
import { buildDemoData } from "../../../scripts/demo/demoData";
import { simplePolicy, startTestApp, type TestApp } from "../../support/testApp";
import { aSubject, anEntry } from "../../support/fixtures";

const TODAY = "2026-11-23";
type Json = Record<string, unknown>;

/** A persona's token, or one with these roles under a made-up id. */
const personaNamed = (name: string) => PERSONAS.find((p) => p.displayName === name)!;

describe("API: staff portal work (subject page, restrictions, contact, reviews, grants, audit, policy)", function () {
  this.timeout(30_000);
  let t: TestApp;
  const lifecycle = createMemoryLifecycleStores();

  const as = async (who: string | Role[], path: string, init: Parameters<TestApp["call"]>[1] = {}, extra: { groups?: string[] } = {}) => {
    const token = typeof who === "string"
      ? await t.issuer.token({ oid: personaNamed(who).id, name: who, roles: personaNamed(who).roles, claims: extra.groups ? { groups: extra.groups } : {} })
      : await t.issuer.token({ oid: `test-${who.join("-")}`, roles: who, claims: extra.groups ? { groups: extra.groups } : {} });
    return t.call(path, { ...init, token, headers: { "x-calm-surface": "tab", ...init.headers } });
  };
  const page = async (who: string | Role[], subjectId: string) => as(who, `/api/portal/subjects/${subjectId}`);

  before(async () => {
    t = await startTestApp({
      policy: bindPolicy(getPreset("dorset")!),
      directory: new LocalDirectory(),
      portalStores: createMemoryPortalStores(lifecycle.contacts),
    });
    t.clock.set(`${TODAY}T10:00:00.000Z`);
    const data = buildDemoData(TODAY);
    data.subjects[1]!.sensitiveNotes = "Told the panel about a long-term health condition.";
    for (const e of data.entries) await t.stores.register.create(e);
    for (const i of data.incidents) await t.stores.incidents.create(i);
    for (const s of data.subjects) await t.stores.subjects.create(s);
    // A removed entry, for the "cannot change a removed entry" answers.
    const gone = await t.stores.subjects.create(aSubject({ id: "test-subject-removed", displayName: "Riley Removed", emails: ["riley.removed@example.org"], phones: [], addresses: [] }));
    await t.stores.register.create(anEntry(gone.id, "medium", { id: "test-entry-removed", reference: "CAL-0009", status: "removed", removedOn: "2026-11-01", removalReason: "Review: behaviour improved." }));
    for (const s of [...data.subjects, gone]) await t.app.services.lookup.subjectChanged(s.id);
  });
  after(() => t.stop());

  describe("GET /api/portal/subjects/:id", () => {
    it("gives a manager the full page: the entry in the one shape, details, history and incidents; and audits the view", async () => {
      const res = await page("Max Manager", "demo-subject-0001");
      assert.equal(res.status, 200);
      const p = res.json as Json & { entries: { card: { statusLine: string; whatToDo: string[] }; etag?: string }[]; timeline: { kind: string; title: string }[]; subject: Json; can: Record<string, boolean> };
      assert.equal(p.view, "full");
      assert.match(p.entries[0]!.card.statusLine, /On the Unreasonable Behaviours schedule — Medium risk/);
      assert.ok(p.entries[0]!.card.whatToDo.length <= 3);
      assert.ok(p.entries[0]!.etag);
      assert.deepEqual(p.subject.emails, ["alex.example@example.org"]);
      const kinds = new Set(p.timeline.map((i) => i.kind));
      for (const k of ["incident", "entry", "restriction", "review"]) assert.ok(kinds.has(k), `timeline has ${k}`);
      assert.equal(p.can.editRestrictions, true);
      const events = await t.stores.audit.listBySubject("demo-subject-0001");
      assert.ok(events.some((e) => e.action === "view" && e.what.includes("subject-page") && e.what.includes("view:full")));
    });

    it("gives an officer the summary of a medium entry: no history, no identifiers; a low entry is not found (Dorset 7.1)", async () => {
      const res = await page("Ola Officer", "demo-subject-0001");
      assert.equal(res.status, 200);
      assert.equal(res.json.view, "summary");
      assert.deepEqual(res.json.timeline, []);
      assert.equal((res.json.subject as Json).emails, undefined);
      assert.equal((res.json.entries as { etag?: string }[])[0]!.etag, undefined);
      const low = await page("Ola Officer", "demo-subject-0003");
      assert.equal(low.status, 404);
      assert.equal(low.json.code, "SUBJECT_NOT_FOUND");
    });

    it("answers exactly the same 404 for a hidden entry and for nobody at all", async () => {
      const hidden = await page("Connor Contractor", "demo-subject-0002");
      const nobody = await page("Connor Contractor", "no-such-subject");
      assert.equal(hidden.status, 404);
      assert.equal(nobody.status, 404);
      assert.equal(hidden.json.detail, nobody.json.detail);
      assert.equal((await page("Audrey Auditor", "demo-subject-0001")).status, 404);
    });

    it("shows special-category notes to the decision body only (Dorset 4.10)", async () => {
      const panel = await page("Pam Panel", "demo-subject-0002");
      assert.equal((panel.json.subject as Json).sensitiveNotes, "Told the panel about a long-term health condition.");
      const manager = await page("Max Manager", "demo-subject-0002");
      assert.equal((manager.json.subject as Json).sensitiveNotes, undefined);
    });

    it("shows someone reported but not listed to a manager, and to nobody without referral duties", async () => {
      const manager = await page("Max Manager", "demo-subject-0005");
      assert.equal(manager.status, 200);
      assert.equal(manager.json.listed, false);
      assert.equal((manager.json.incidents as unknown[]).length, 1);
      assert.equal((await page("Ola Officer", "demo-subject-0005")).status, 404);
    });

    it("refuses odd ids with a 404 or 400, never a 5xx", async () => {
      for (const id of ["%00", "a".repeat(300), "..%2F..%2Fetc", "%E0%A4%A", "x'y"]) {
        const res = await page("Max Manager", id);
        assert.ok(res.status === 404 || res.status === 400, `${id}: ${res.status}`);
      }
    });
  });

  describe("PUT /api/portal/entries/:id/restrictions", () => {
    const read = async (id: string) => (await t.stores.register.get(id))!;
    const asInput = (r: Restriction) => ({ id: r.id, kind: r.kind, params: r.params, serviceAreas: r.serviceAreas, startsOn: r.startsOn, ...(r.endsOn ? { endsOn: r.endsOn } : {}), staffInstruction: r.staffInstruction });
    const put = (who: string | Role[], entryId: string, body: unknown) => as(who, `/api/portal/entries/${entryId}/restrictions`, { method: "PUT", body });

    it("adds an offered restriction, keeps an older one the policy no longer offers, and refreshes the lookup card", async () => {
      const entry = await read("demo-entry-0001");
      const body = {
        etag: entry.etag,
        restrictions: [
          ...entry.restrictions.map(asInput),
          { kind: "single-channel", params: { channel: "email" }, serviceAreas: [], startsOn: TODAY, staffInstruction: "Accept contact by email only; ask callers to write in." },
        ],
      };
      const res = await put("Ada Admin", "demo-entry-0001", body);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal(res.json.added, 1);
      assert.equal(res.json.changed, 0);
      const after = await read("demo-entry-0001");
      assert.equal(after.restrictions.length, 3);
      assert.ok(after.restrictions.some((r) => r.kind === "contact-limit"), "the unoffered one stays as it was");
      const lookup = await as("Ola Officer", "/api/lookup", { body: { query: "alex.example@example.org" } });
      const card = (lookup.json.matches as { card: { restrictions: { text: string }[] } }[])[0]!.card;
      assert.ok(card.restrictions.some((r) => r.text.startsWith("Accept contact by email only")));
      const events = await t.stores.audit.listBySubject("demo-subject-0001");
      assert.ok(events.some((e) => e.action === "update" && e.what.includes("restrictions") && e.what.includes("added:1")));
    });

    it("ends a restriction left out of the list (its history stays) and says so", async () => {
      const entry = await read("demo-entry-0001");
      const kept = entry.restrictions.filter((r) => r.kind !== "contact-limit");
      const res = await put("Max Manager", "demo-entry-0001", { etag: entry.etag, restrictions: kept.map(asInput) });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal(Number(res.json.ended) + Number(res.json.removed), 1);
      const after = await read("demo-entry-0001");
      assert.equal(after.restrictions.length, entry.restrictions.length - (res.json.removed as number));
    });

    it("refuses a stale version with 409, naming what to do", async () => {
      const res = await put("Ada Admin", "demo-entry-0001", { etag: "W/\"stale\"", restrictions: [] });
      assert.equal(res.status, 409);
      assert.equal(res.json.code, "CONCURRENCY_CONFLICT");
      assert.match(String(res.json.detail), /Reload/);
    });

    it("lists every problem: not offered, bad parameters, dates the wrong way round, email diverts", async () => {
      const entry = await read("demo-entry-0002");
      const res = await put("Ada Admin", "demo-entry-0002", {
        etag: entry.etag,
        restrictions: [
          ...entry.restrictions.map(asInput),
          { kind: "building-ban", params: { buildings: ["Civic Centre"] }, serviceAreas: [], startsOn: TODAY, staffInstruction: "Do not admit them." },
          { kind: "single-channel", params: { channel: "pigeon" }, serviceAreas: [], startsOn: TODAY, staffInstruction: "Post only." },
          { kind: "single-channel", params: { channel: "email" }, serviceAreas: [], startsOn: "2027-02-01", endsOn: "2027-01-01", staffInstruction: "Email only." },
          { kind: "email-divert", params: { spocMailbox: "spoc@calm-demo.example" }, serviceAreas: [], startsOn: TODAY, staffInstruction: "Mail goes to the SPOC." },
          { kind: "single-channel", params: { channel: "email" }, serviceAreas: [], startsOn: TODAY, staffInstruction: "   " },
        ],
      });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, "RESTRICTIONS_INVALID");
      const codes = (res.json.errors as { code: string }[]).map((e) => e.code);
      for (const c of ["RESTRICTION_NOT_OFFERED", "RESTRICTION_INVALID", "ENDS_BEFORE_START", "RESTRICTION_DIVERT_MANAGED_ELSEWHERE", "INSTRUCTION_REQUIRED"]) assert.ok(codes.includes(c), `${c} in ${codes.join(",")}`);
      assert.equal((await read("demo-entry-0002")).etag, entry.etag, "nothing was saved");
    });

    it("will not change a removed entry, or one that does not exist", async () => {
      const removed = await put("Ada Admin", "test-entry-removed", { etag: "x", restrictions: [] });
      assert.equal(removed.status, 409);
      assert.equal(removed.json.code, "ENTRY_REMOVED");
      const missing = await put("Ada Admin", "no-such-entry", { etag: "x", restrictions: [] });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, "ENTRY_NOT_FOUND");
    });

    it("is for record owners and register administrators only", async () => {
      for (const who of ["Ola Officer", "Pam Panel", "Charlie Chair", "Cllr Carys Councillor", "Audrey Auditor"]) {
        const res = await put(who, "demo-entry-0001", { etag: "x", restrictions: [] });
        assert.equal(res.status, 403, who);
      }
    });

    const bad: [string, unknown][] = [
      ["no version", { restrictions: [] }],
      ["a kind that does not exist", { etag: "x", restrictions: [{ kind: "curfew", params: {}, serviceAreas: [], startsOn: TODAY, staffInstruction: "x" }] }],
      ["a date that is not a date", { etag: "x", restrictions: [{ kind: "single-channel", params: {}, serviceAreas: [], startsOn: "tomorrow", staffInstruction: "x" }] }],
      ["a setting that is an object", { etag: "x", restrictions: [{ kind: "single-channel", params: { channel: { a: 1 } }, serviceAreas: [], startsOn: TODAY, staffInstruction: "x" }] }],
      ["too many restrictions", { etag: "x", restrictions: Array.from({ length: 31 }, () => ({ kind: "single-channel", params: {}, serviceAreas: [], startsOn: TODAY, staffInstruction: "x" })) }],
      ["an instruction that is too long", { etag: "x", restrictions: [{ kind: "single-channel", params: {}, serviceAreas: [], startsOn: TODAY, staffInstruction: "x".repeat(301) }] }],
    ];
    for (const [what, body] of bad) {
      it(`answers 400 INVALID_BODY to ${what}`, async () => {
        const res = await put("Ada Admin", "demo-entry-0001", body);
        assert.equal(res.status, 400);
        assert.equal(res.json.code, "INVALID_BODY");
      });
    }
  });

  describe("POST /api/portal/entries/:id/contacts", () => {
    const post = (who: string, entryId: string, body: unknown) => as(who, `/api/portal/entries/${entryId}/contacts`, { body });

    it("records positive contact from an officer who sees the summary, into the lifecycle store reviews read", async () => {
      const res = await post("Ola Officer", "demo-entry-0001", { kind: "positive", note: "Polite call about the repair; thanked the officer." });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      const stored = await lifecycle.contacts.find({ entryId: "demo-entry-0001" });
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.kind, "positive");
      assert.equal(stored[0]!.by.displayName, "Ola Officer");
      const manager = await page("Max Manager", "demo-subject-0001");
      assert.ok((manager.json.timeline as { kind: string; title: string }[]).some((i) => i.kind === "contact" && /Positive contact recorded by Ola Officer/.test(i.title)));
    });

    it("keeps an entry the officer may not see hidden, and refuses removed entries", async () => {
      assert.equal((await post("Ola Officer", "demo-entry-0003", { kind: "neutral", note: "Called" })).status, 404);
      const removed = await post("Max Manager", "test-entry-removed", { kind: "neutral", note: "Called" });
      assert.equal(removed.status, 409);
    });

    it("explains a contact in the future, or a time that is not a time", async () => {
      const future = await post("Max Manager", "demo-entry-0001", { kind: "neutral", note: "Called", at: "2030-01-01T09:00:00Z" });
      assert.equal(future.status, 400);
      assert.equal(future.json.code, "CONTACT_INVALID");
      assert.equal((future.json.errors as { code: string }[])[0]!.code, "CONTACT_IN_FUTURE");
      const nonsense = await post("Max Manager", "demo-entry-0001", { kind: "neutral", note: "Called", at: "last Tuesday" });
      assert.equal(nonsense.status, 400);
      const blank = await post("Max Manager", "demo-entry-0001", { kind: "neutral", note: "   " });
      assert.equal(blank.status, 400);
    });

    it("takes only positive or neutral (breaches are incidents), and refuses roles without the permission", async () => {
      const breach = await post("Max Manager", "demo-entry-0001", { kind: "breach", note: "Phoned twice" });
      assert.equal(breach.status, 400);
      assert.equal(breach.json.code, "INVALID_BODY");
      assert.equal((await post("Connor Contractor", "demo-entry-0001", { kind: "neutral", note: "x" })).status, 403);
      assert.equal((await post("Audrey Auditor", "demo-entry-0001", { kind: "neutral", note: "x" })).status, 403);
    });
  });

  describe("GET /api/portal/reviews", () => {
    it("lists appeals in progress from the register, and reviews by how soon they are due", async () => {
      const res = await as("Ada Admin", "/api/portal/reviews");
      assert.equal(res.status, 200);
      const refs = (k: string) => (res.json[k] as { reference: string }[]).map((r) => r.reference);
      assert.deepEqual(refs("appeals"), ["CAL-0002"]);
      assert.deepEqual(refs("overdue"), []);
      assert.ok(Array.isArray(res.json.sections));
    });

    it("shows an officer's tier only, if they had the permission; officers do not", async () => {
      assert.equal((await as("Ola Officer", "/api/portal/reviews")).status, 403);
      assert.equal((await as("Abe Appeals", "/api/portal/reviews")).status, 200);
    });
  });

  describe("access grants", () => {
    const registerRefs = async (who: string | Role[], extra: { groups?: string[] } = {}) =>
      ((await as(who, "/api/portal/register/search", { body: {} }, extra)).json.rows as { reference: string }[]).map((r) => r.reference).sort();

    it("a grant to the officer role lets officers see low-risk entries everywhere: register, page and lookup; revoking takes it away", async () => {
      assert.ok(!(await registerRefs("Ola Officer")).includes("CAL-0003"));
      const created = await as("Ada Admin", "/api/portal/grants", { body: { principal: { kind: "role", id: "officer", displayName: "Officers" }, tiers: ["low"], includesPremises: false, rationale: "Officers in Planning deal with low-risk correspondence daily." } });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      const grant = created.json.grant as { id: string; grantedBy: { displayName: string } };
      assert.equal(grant.grantedBy.displayName, "Ada Admin");
      assert.ok((await registerRefs("Ola Officer")).includes("CAL-0003"));
      assert.equal((await page("Ola Officer", "demo-subject-0003")).json.view, "summary", "Dorset 7.1: grants give the summary");
      const lookup = await as("Ola Officer", "/api/lookup", { body: { query: "taylor.testcase@example.org" } });
      assert.equal((lookup.json.matches as unknown[]).length, 1, "the grant feeds the lookup too");

      const revoked = await as("Ada Admin", `/api/portal/grants/${grant.id}/revoke`, { body: { reason: "Planning now asks the register team." } });
      assert.equal(revoked.status, 200);
      assert.ok(!(await registerRefs("Ola Officer")).includes("CAL-0003"));
      const again = await as("Ada Admin", `/api/portal/grants/${grant.id}/revoke`, { body: { reason: "twice" } });
      assert.equal(again.status, 409);
      assert.equal(again.json.code, "GRANT_ALREADY_REVOKED");

      const list = await as("Audrey Auditor", "/api/portal/grants");
      const listed = (list.json.grants as { id: string; active: boolean; revokedBy?: { displayName: string }; revocationReason?: string }[]).find((g) => g.id === grant.id)!;
      assert.equal(listed.active, false, "revoked grants stay on the record (Dorset 7.2)");
      assert.equal(listed.revokedBy?.displayName, "Ada Admin");
      const audit = await t.stores.audit.listByActor(personaNamed("Ada Admin").id);
      assert.ok(audit.some((e) => e.action === "access-grant" && e.what.includes("granted")));
      assert.ok(audit.some((e) => e.action === "access-grant" && e.what.includes("revoked")));
      assert.ok(audit.every((e) => !e.what.join(" ").includes("Planning")), "the rationale stays out of the audit log");
    });

    it("a grant to a group reaches members through the token's groups claim, premises only when included", async () => {
      const group = "00000000-0000-4000-9000-000000000101";
      await as("Charlie Chair", "/api/portal/grants", { body: { principal: { kind: "group", id: group, displayName: "Home visiting officers" }, tiers: ["low", "high"], includesPremises: false, rationale: "Visitors need to know about every risk at the door." } });
      const member = await registerRefs(["contractor"], { groups: [group] });
      assert.ok(member.includes("CAL-0003") && member.includes("CAL-0002"));
      assert.ok(!member.includes("CAL-0004"), "premises were not included");
      assert.deepEqual(await registerRefs(["contractor"]), []);
    });

    it("refuses what cannot be a grant, and people who may not grant", async () => {
      const base = { principal: { kind: "role", id: "officer", displayName: "Officers" }, tiers: ["low"], includesPremises: false, rationale: "A good reason for access." };
      const cases: [unknown, number, string][] = [
        [{ ...base, tiers: [] }, 400, "INVALID_BODY"],
        [{ ...base, rationale: "short" }, 400, "INVALID_BODY"],
        [{ ...base, principal: { kind: "everyone", id: "x", displayName: "x" } }, 400, "INVALID_BODY"],
        [{ ...base, expiresOn: "2020-01-01" }, 400, "GRANT_EXPIRY_IN_PAST"],
        [{ ...base, expiresOn: "next year" }, 400, "INVALID_BODY"],
      ];
      for (const [body, status, code] of cases) {
        const res = await as("Ada Admin", "/api/portal/grants", { body });
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(res.json.code, code);
      }
      assert.equal((await as("Audrey Auditor", "/api/portal/grants", { body: base })).status, 403);
      assert.equal((await as("Max Manager", "/api/portal/grants")).status, 403);
      assert.equal((await as("Ada Admin", "/api/portal/grants/no-such-grant/revoke", { body: { reason: "gone" } })).status, 404);
    });

    it("finds people and groups in the directory for the form", async () => {
      const res = await as("Ada Admin", "/api/portal/directory/search", { body: { query: "home" } });
      assert.deepEqual((res.json.principals as { displayName: string }[]).map((p) => p.displayName), ["Home visiting officers"]);
      assert.equal((await as("Ada Admin", "/api/portal/directory/search", { body: { query: "x" } })).status, 400);
    });
  });

  describe("POST /api/portal/audit", () => {
    it("shows who did what to a record, with names from the directory, and records that it was read", async () => {
      await as("Ola Officer", "/api/lookup", { body: { query: "jamie.sample@example.org" } });
      const res = await as("Audrey Auditor", "/api/portal/audit", { body: { reference: "cal-0002" } });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.deepEqual(res.json.references, ["CAL-0002"]);
      const events = res.json.events as { actorName: string; actionText: string; surfaceText: string }[];
      assert.ok(events.some((e) => e.actorName === "Ola Officer" && e.actionText === "Looked up"));
      const after = await t.stores.audit.listBySubject("demo-subject-0002");
      assert.ok(after.some((e) => e.actorId === personaNamed("Audrey Auditor").id && e.what.includes("audit-trail")));
    });

    it("finds by subject id as well, and says plainly when there is nothing with that reference", async () => {
      assert.equal((await as("Ada Admin", "/api/portal/audit", { body: { subjectId: "demo-subject-0001" } })).status, 200);
      const missing = await as("Ada Admin", "/api/portal/audit", { body: { reference: "CAL-9999" } });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, "AUDIT_SUBJECT_NOT_FOUND");
      for (const body of [{}, { reference: "Alex Example" }, { reference: "CAL-1", subjectId: "x" }, { subjectId: "" }]) {
        assert.equal((await as("Ada Admin", "/api/portal/audit", { body })).status, 400, JSON.stringify(body));
      }
    });
  });

  describe("the policy in force", () => {
    it("describes the policy in plain English with its sources", async () => {
      const res = await as("Ola Officer", "/api/portal/settings");
      assert.equal(res.status, 200);
      assert.equal(res.json.presetId, "dorset");
      const sections = res.json.sections as { heading: string; lines: string[] }[];
      assert.ok(sections.length > 5);
      assert.ok(sections.flatMap((s) => s.lines).some((l) => /Dorset \d/.test(l)));
    });

    it("works out the dates for a decision (calm policy explain), citing the sections", async () => {
      const res = await as("Max Manager", "/api/portal/settings/explain", { body: { decided: "2026-11-23", category: "verbal-abuse", appealReceived: "2026-12-01" } });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const dates = res.json.dates as { id: string; date: string | null; text: string }[];
      assert.ok(dates.find((d) => d.id === "appealBy")?.date);
      assert.match(dates.find((d) => d.id === "appealBy")!.text, /^\d{1,2} [A-Z][a-z]+ \d{4}$/);
      assert.ok((res.json.sources as string[]).some((s) => s.startsWith("Dorset")));
    });

    it("explains dates that are not real or beyond the calendar, and bad bodies", async () => {
      const feb30 = await as("Max Manager", "/api/portal/settings/explain", { body: { decided: "2026-02-30" } });
      assert.equal(feb30.status, 400);
      assert.equal(feb30.json.code, "DATE_INVALID");
      const far = await as("Max Manager", "/api/portal/settings/explain", { body: { decided: "2040-01-01" } });
      assert.equal(far.status, 400);
      assert.equal(far.json.code, "DATE_OUTSIDE_CALENDAR");
      for (const body of [{}, { decided: "23/11/2026" }, { decided: "2026-11-23", category: "rudeness" }, { decided: "2026-11-23", extra: 1 }]) {
        const res = await as("Max Manager", "/api/portal/settings/explain", { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.code, "INVALID_BODY");
      }
    });
  });

  describe("garbage on every portal route", () => {
    const routes: [string, string][] = [
      ["POST", "/api/portal/register/search"],
      ["PUT", "/api/portal/entries/demo-entry-0001/restrictions"],
      ["POST", "/api/portal/entries/demo-entry-0001/contacts"],
      ["POST", "/api/portal/grants"],
      ["POST", "/api/portal/grants/x/revoke"],
      ["POST", "/api/portal/directory/search"],
      ["POST", "/api/portal/audit"],
      ["POST", "/api/portal/settings/explain"],
    ];
    const garbage: string[] = ["null", "42", '"text"', "[]", "[{}]", '{"a":{"b":{"c":[]}}}', '{"text":null,"risk":"high"}', '{"etag":1,"restrictions":"all"}', '{"kind":"positive","note":["x"]}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}'];
    for (const [method, path] of routes) {
      it(`${method} ${path} answers 4xx to garbage, never 5xx`, async () => {
        for (const body of garbage) {
          const res = await as("Ada Admin", path, { method, rawBody: body, headers: { "content-type": "application/json" } });
          assert.ok(res.status >= 400 && res.status < 500, `${body}: ${res.status} ${JSON.stringify(res.json)}`);
        }
      });
    }
  });

  describe("without a policy profile (a test binding)", () => {
    it("says the policy is not loaded instead of failing", async () => {
      const bare = await startTestApp({ policy: simplePolicy });
      try {
        const res = await bare.call("/api/portal/settings", { roles: ["officer"] });
        assert.equal(res.status, 503);
        assert.equal(res.json.code, "POLICY_NOT_LOADED");
        const dir = await bare.call("/api/portal/directory/search", { roles: ["register-admin"], body: { query: "ola" } });
        assert.equal(dir.status, 503);
        assert.equal(dir.json.code, "DIRECTORY_UNAVAILABLE");
      } finally {
        await bare.stop();
      }
    });
  });
});
