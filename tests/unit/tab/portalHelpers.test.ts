// The staff portal's plain logic, without a browser: hash routes, GOV.UK dates in UK time, server problems mapped
// to the form's fields, and the evidence types checked before upload.
import assert from "node:assert/strict";
import { href, parseRoute } from "../../../tab/src/app/router";
import { formatDate, formatWhen, problemsFrom } from "../../../tab/src/components/ui";
import { ApiError } from "../../../tab/src/api/client";
import { typeOf } from "../../../tab/src/pages/Report";

describe("Staff portal helpers", () => {
  describe("hash routes", () => {
    const cases: [string, ReturnType<typeof parseRoute>][] = [
      ["", { page: "home" }],
      ["#/", { page: "home" }],
      ["#/register", { page: "register" }],
      ["#/register/", { page: "register" }],
      ["#/subjects/demo-subject-0001", { page: "subject", id: "demo-subject-0001" }],
      ["#/subjects", { page: "register" }],
      ["#/cases/abc%2Fdef", { page: "case", id: "abc/def" }],
      ["#/audit/s-1", { page: "audit", subjectId: "s-1" }],
      ["#/audit", { page: "audit" }],
      ["#/nowhere", { page: "not-found" }],
    ];
    for (const [hash, route] of cases) {
      it(`${hash || "(empty)"} → ${route.page}`, () => assert.deepEqual(parseRoute(hash), route));
    }
    it("round-trips ids through href, escaping what needs it", () => {
      const route = { page: "subject" as const, id: "a b/c" };
      assert.equal(href(route), "#/subjects/a%20b%2Fc");
      assert.deepEqual(parseRoute(href(route)), route);
    });
  });

  describe("dates", () => {
    it("writes calendar dates GOV.UK style", () => {
      assert.equal(formatDate("2027-03-03"), "3 March 2027");
      assert.equal(formatDate(undefined), "");
      assert.equal(formatDate("soon"), "soon");
    });
    it("writes instants in UK time, summer time included", () => {
      assert.equal(formatWhen("2026-11-23T09:30:00.000Z"), "23 November 2026 at 9:30am");
      assert.equal(formatWhen("2026-07-01T12:05:00.000Z"), "1 July 2026 at 1:05pm");
      assert.equal(formatWhen("2026-07-01"), "1 July 2026");
    });
  });

  describe("server problems on the form", () => {
    const error = new ApiError(400, "INCIDENT_INVALID", "Fix the fields listed.", [
      { field: "subject.new.displayName", message: "Enter the person's name." },
      { field: "witnesses.0.name", message: "Enter the witness's name." },
      { field: "somethingElse", message: "Something else is wrong." },
    ]);
    it("maps each field to its control, by exact name or by prefix, and the rest to a fallback", () => {
      assert.deepEqual(problemsFrom(error, { "subject.new.displayName": "new-name", witnesses: "add-witness" }, "description"), [
        { fieldId: "new-name", message: "Enter the person's name." },
        { fieldId: "add-witness", message: "Enter the witness's name." },
        { fieldId: "description", message: "Something else is wrong." },
      ]);
    });
    it("gives nothing for errors without fields (the page shows the message instead)", () => {
      assert.deepEqual(problemsFrom(new ApiError(503, "STORE_UNAVAILABLE", "Try again."), {}, "x"), []);
      assert.deepEqual(problemsFrom(new Error("boom"), {}, "x"), []);
    });
  });

  describe("evidence types", () => {
    const file = (name: string, type: string) => ({ name, type }) as File;
    it("trusts a known type, and names the type of emails browsers leave blank", () => {
      assert.equal(typeOf(file("photo.png", "image/png")), "image/png");
      assert.equal(typeOf(file("original.eml", "")), "message/rfc822");
      assert.equal(typeOf(file("original.MSG", "")), "application/vnd.ms-outlook");
    });
    it("refuses types the server will not keep", () => {
      assert.equal(typeOf(file("run.exe", "application/x-msdownload")), undefined);
      assert.equal(typeOf(file("page.html", "text/html")), undefined);
    });
  });
});
