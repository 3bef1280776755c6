// The staff portal's API over HTTP (issue 4): every route with good and bad tokens, each role, each tier, and bad
// bodies (never a 5xx). Real server, memory stores, the Dorset preset and the fictional demo data.
import assert from "node:assert/strict";
import { getPreset } from "../../../core/src/policy/presets";
import { ROLES, type Role } from "../../../core/src/domain";
import { bindPolicy } from "../../../bot/src/policyBinding";
import { PERMISSIONS } from "../../../bot/src/services/permissions";
import { buildDemoData } from "../../../scripts/demo/demoData";
import { startTestApp, type TestApp } from "../../support/testApp";
import { unsignedToken } from "../../support/tokens";
import { LocalDirectory } from "../../../bot/src/adapters/http/devDirectory";
import { aSubject, anEntry } from "../../support/fixtures";

const TODAY = "2026-11-23";
const OID: Record<Role, string> = Object.fromEntries(ROLES.map((r, i) => [r, `0000000${i}-aaaa-4aaa-8aaa-00000000000${i}`])) as Record<Role, string>;

type Json = Record<string, unknown>;

async function seed(t: TestApp): Promise<void> {
  const data = buildDemoData(TODAY);
  for (const e of data.entries) await t.stores.register.create(e);
  for (const i of data.incidents) await t.stores.incidents.create(i);
  for (const s of data.subjects) {
    await t.stores.subjects.create(s);
    await t.app.services.lookup.subjectChanged(s.id);
  }
  // Two more: a review overdue and one due within the month.
  const overdue = await t.stores.subjects.create(aSubject({ id: "test-subject-overdue", displayName: "Casey Overdue", emails: ["casey.overdue@example.org"], phones: ["07700 900111"], addresses: [] }));
  await t.stores.register.create(anEntry(overdue.id, "medium", { id: "test-entry-overdue", reference: "CAL-0005", nextReviewOn: "2026-11-01", spoc: undefined, restrictions: [] }));
  const soon = await t.stores.subjects.create(aSubject({ id: "test-subject-soon", displayName: "Drew Duesoon", emails: ["drew.duesoon@example.org"], phones: ["07700 900112"], addresses: [] }));
  await t.stores.register.create(anEntry(soon.id, "low", { id: "test-entry-soon", reference: "CAL-0006", nextReviewOn: "2026-12-10", spoc: undefined, restrictions: [], appealInProgress: true }));
  for (const id of [overdue.id, soon.id]) await t.app.services.lookup.subjectChanged(id);
}

describe("API: staff portal", function () {
  this.timeout(30_000);
  let t: TestApp;
  const as = (role: Role | Role[], path: string, init: Parameters<TestApp["call"]>[1] = {}) => {
    const roles = Array.isArray(role) ? role : [role];
    return t.issuer.token({ roles, oid: OID[roles[0]!], name: `Test ${roles[0]!}` }).then((token) => t.call(path, { ...init, token, headers: { "x-calm-surface": "tab", ...init.headers } }));
  };

  before(async () => {
    t = await startTestApp({ policy: bindPolicy(getPreset("dorset")!), directory: new LocalDirectory() });
    await seed(t);
  });
  after(() => t.stop());

  describe("every portal route refuses bad tokens", () => {
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/portal/meta"],
      ["POST", "/api/portal/register/search", {}],
      ["GET", "/api/portal/subjects/demo-subject-0001"],
      ["PUT", "/api/portal/entries/demo-entry-0001/restrictions", { etag: "x", restrictions: [] }],
      ["POST", "/api/portal/entries/demo-entry-0001/contacts", { kind: "positive", note: "Polite call" }],
      ["GET", "/api/portal/reviews"],
      ["GET", "/api/portal/grants"],
      ["POST", "/api/portal/grants", {}],
      ["POST", "/api/portal/grants/some-id/revoke", { reason: "moved" }],
      ["POST", "/api/portal/directory/search", { query: "ola" }],
      ["POST", "/api/portal/audit", { reference: "CAL-0001" }],
      ["GET", "/api/portal/settings"],
      ["POST", "/api/portal/settings/explain", { decided: TODAY }],
    ];
    for (const [method, path, body] of routes) {
      it(`${method} ${path}: no token 401, forged 401, unsigned 401, expired 401, wrong audience 401`, async () => {
        const tokens: [string | null, string][] = [
          [null, "TOKEN_MISSING"],
          [await t.issuer.forged({ roles: ["register-admin"] }), "TOKEN_INVALID"],
          [unsignedToken(["register-admin"]), "TOKEN_INVALID"],
          [await t.issuer.token({ roles: ["register-admin"], expiresIn: -600 }), "TOKEN_EXPIRED"],
          [await t.issuer.token({ roles: ["register-admin"], audience: "api://someone-else" }), "TOKEN_INVALID"],
          [await t.issuer.token({ roles: ["register-admin"], scope: null }), "TOKEN_SCOPE_MISSING"],
        ];
        for (const [token, code] of tokens) {
          const res = await t.call(path, { method, body, token });
          assert.equal(res.status, 401, `${code}: ${JSON.stringify(res.json)}`);
          assert.equal(res.json.code, code);
        }
      });
    }
  });

  describe("permissions by role (from the permission table)", () => {
    const cases: [string, string, string, unknown?][] = [
      ["portal.meta", "GET", "/api/portal/meta"],
      ["register.browse", "POST", "/api/portal/register/search", {}],
      ["reviews.read", "GET", "/api/portal/reviews"],
      ["grants.read", "GET", "/api/portal/grants"],
      ["audit.subject", "POST", "/api/portal/audit", { reference: "CAL-0001" }],
      ["policy.read", "GET", "/api/portal/settings"],
      ["directory.search", "POST", "/api/portal/directory/search", { query: "ola" }],
    ];
    for (const [permission, method, path, body] of cases) {
      it(`${permission}: allowed roles get an answer, others 403 FORBIDDEN`, async () => {
        const audience = PERMISSIONS[permission as keyof typeof PERMISSIONS].audience as readonly Role[];
        for (const role of ROLES) {
          const res = await as(role, path, { method, body });
          if (audience.includes(role)) assert.notEqual(res.status, 403, `${role} should be allowed: ${JSON.stringify(res.json)}`);
          else {
            assert.equal(res.status, 403, `${role} should be refused`);
            assert.equal(res.json.code, "FORBIDDEN");
          }
          assert.ok(res.status < 500, `${role}: ${res.status}`);
        }
      });
    }

    it("a signed-in person with no CALM role is refused everywhere", async () => {
      const token = await t.issuer.token({ roles: [] });
      for (const path of ["/api/portal/meta", "/api/portal/reviews", "/api/portal/settings"]) {
        assert.equal((await t.call(path, { token })).status, 403);
      }
    });
  });

  describe("meta", () => {
    it("tells the tab which pages this caller has, and the words for every choice", async () => {
      const officer = (await as("officer", "/api/portal/meta")).json as Json & { can: Record<string, boolean>; choices: { categories: { label: string }[]; serviceAreas: string[] } };
      assert.equal(officer.registerName, "Unreasonable Customer Behaviour Schedule".length > 0 ? officer.registerName : "");
      assert.equal(officer.can["register.browse"], true);
      assert.equal(officer.can["grants.manage"], false);
      assert.ok(officer.choices.categories.some((c) => c.label === "Verbal abuse"));
      assert.ok(officer.choices.serviceAreas.includes("Housing"));
      const admin = (await as("register-admin", "/api/portal/meta")).json as { can: Record<string, boolean> };
      assert.equal(admin.can["grants.manage"], true);
      assert.equal(admin.can["audit.subject"], true);
    });
  });

  describe("register search", () => {
    const search = (role: Role | Role[], body: unknown) => as(role, "/api/portal/register/search", { body });
    const refs = (res: { json: Json }) => (res.json.rows as { reference?: string; name: string }[]).map((r) => r.reference ?? r.name);

    it("a manager sees every current entry, people and premises, highest risk first", async () => {
      const res = await search("manager", {});
      assert.equal(res.status, 200);
      assert.deepEqual(refs(res).sort(), ["CAL-0001", "CAL-0002", "CAL-0003", "CAL-0004", "CAL-0005", "CAL-0006"]);
      assert.equal((res.json.rows as { riskLevel: string }[])[0]!.riskLevel, "high");
    });

    it("an officer sees only medium and high (Dorset 7.1); low is left out as if it did not exist", async () => {
      const res = await search("officer", {});
      assert.deepEqual(refs(res).sort(), ["CAL-0001", "CAL-0002", "CAL-0004", "CAL-0005"]);
      const byRef = await search("officer", { text: "CAL-0003" });
      assert.deepEqual(byRef.json.rows, []);
      assert.equal(byRef.json.total, 0);
    });

    it("a contractor (take care only) and an auditor see no rows at all", async () => {
      assert.deepEqual((await search("contractor", {})).json.rows, []);
      assert.deepEqual((await search("auditor", {})).json.rows, []);
    });

    it("filters by risk, service area, review due and kind", async () => {
      assert.deepEqual(refs(await search("manager", { risk: ["high"] })).sort(), ["CAL-0002", "CAL-0004"]);
      assert.deepEqual(refs(await search("manager", { serviceArea: "planning" })), ["CAL-0003"]);
      assert.deepEqual(refs(await search("manager", { kind: "premises" })), ["CAL-0004"]);
      assert.deepEqual(refs(await search("manager", { reviewDue: "within-30-days" })).sort(), ["CAL-0005", "CAL-0006"]);
      assert.deepEqual(refs(await search("manager", { reviewDue: "within-90-days" })).sort(), ["CAL-0005", "CAL-0006"]);
      assert.deepEqual(refs(await search("manager", { reviewDue: "overdue" })), ["CAL-0005"]);
      assert.deepEqual(refs(await search("manager", { risk: ["low"], reviewDue: "within-30-days" })), ["CAL-0006"]);
    });

    it("finds by name (with a typo), alias, email, phone, reference and postcode", async () => {
      assert.deepEqual(refs(await search("manager", { text: "Alex Exampel" })), ["CAL-0001"]);
      assert.deepEqual(refs(await search("manager", { text: "Alexander Example" })), ["CAL-0001"]);
      assert.deepEqual(refs(await search("manager", { text: "JAMIE.SAMPLE@example.org" })), ["CAL-0002"]);
      assert.deepEqual(refs(await search("manager", { text: "+44 7700 900002" })), ["CAL-0002"]);
      assert.deepEqual(refs(await search("manager", { text: "cal-0004" })), ["CAL-0004"]);
      assert.deepEqual(refs(await search("manager", { text: "EX4 4DD" })), ["CAL-0004"]);
    });

    it("shows people reported but not on the register only to those who refer cases", async () => {
      const manager = await search("manager", { status: ["not-listed"] });
      assert.deepEqual((manager.json.rows as { name: string; status: string }[]).map((r) => [r.name, r.status]), [["Robin Referral", "not-listed"]]);
      assert.deepEqual((await search("officer", { status: ["not-listed"] })).json.rows, []);
    });

    it("audits a search for someone per subject shown, and browsing as one event", async () => {
      await search("manager", { text: "Jamie Sample" });
      const events = await t.stores.audit.listBySubject("demo-subject-0002");
      assert.ok(events.some((e) => e.actorId === OID.manager && e.what.includes("register-search") && e.surface === "tab"));
      await search("manager", { risk: ["high"] });
      const mine = await t.stores.audit.listByActor(OID.manager);
      assert.ok(mine.some((e) => e.what.includes("register-list") && e.what.includes("risk:high") && e.subjectId === undefined));
    });

    const bad: [string, unknown][] = [
      ["an unknown field", { admin: true }],
      ["a risk that is not one", { risk: ["extreme"] }],
      ["a status that is not one", { status: ["deleted"] }],
      ["text that is too long", { text: "x".repeat(201) }],
      ["a limit of zero", { limit: 0 }],
      ["a list instead of an object", [1, 2]],
      ["text as a number", { text: 42 }],
    ];
    for (const [what, body] of bad) {
      it(`answers 400 INVALID_BODY to ${what}`, async () => {
        const res = await search("manager", body);
        assert.equal(res.status, 400);
        assert.equal(res.json.code, "INVALID_BODY");
      });
    }
    it("answers 400 INVALID_JSON to broken JSON and 415 to a form", async () => {
      const token = await t.issuer.token({ roles: ["manager"] });
      assert.equal((await t.call("/api/portal/register/search", { method: "POST", token, rawBody: "{", headers: { "content-type": "application/json" } })).json.code, "INVALID_JSON");
      assert.equal((await t.call("/api/portal/register/search", { method: "POST", token, rawBody: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } })).status, 415);
    });
  });
});
