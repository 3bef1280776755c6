// Identifiers are matched normalised (DOMAIN.md "Subject"): however staff or Outlook write an address, the same
// person is found, and anything that is not an address finds nobody.
import assert from "node:assert/strict";
import { classifyQuery, normaliseEmail, normalisePhone } from "../../../core/src/normalise";

describe("normalising email addresses", () => {
  it("leaves an address already in normal form as it is (the common case for a sender check)", () => {
    for (const address of ["alex.example@example.org", "a_b-c.d@mail.council.example.gov.uk", "x1@sub-domain.example"]) {
      assert.equal(normaliseEmail(address), address);
    }
  });

  it("undoes case, spaces, +tags, display names and mailto: the same person is found however it is written", () => {
    const same = [
      " Alex.Example+Council@Example.ORG ",
      "Alex Example <alex.example@example.org>",
      "\"Example, Alex\" <Alex.Example+news@example.org>  ",
      "mailto:alex.example@example.org",
      "MAILTO:Alex.Example@Example.org",
      "alex.example @ example.org",
    ];
    for (const input of same) assert.equal(normaliseEmail(input), "alex.example@example.org", input);
  });

  it("finds nobody for what is not an address, whether or not it looks normal", () => {
    const bad = ["", "alex", "@example.org", "alex@", "alex@example", "alex@-example.org", "alex@example-.org", "alex@@example.org",
      "alex@exa_mple.org", "a".repeat(310) + "@example.org", "alex@example..org", "alex(at)example.org"];
    for (const input of bad) assert.equal(normaliseEmail(input), undefined, input);
  });

  it("treats a non-ASCII address the same on every path", () => {
    assert.equal(normaliseEmail("JOSÉ@example.org"), "josé@example.org");
    assert.equal(normaliseEmail("josé@example.org"), "josé@example.org");
  });
});

describe("normalising phone numbers and free-text queries", () => {
  it("writes UK numbers in E.164 whichever way they were typed", () => {
    for (const input of ["07700 900123", "+44 7700 900123", "0044 7700 900123", "+44 (0)7700 900123", "tel:07700-900-123"]) {
      assert.equal(normalisePhone(input), "+447700900123", input);
    }
    assert.equal(normalisePhone("12345"), undefined);
    assert.equal(normalisePhone("call me"), undefined);
  });

  it("tells an email, a phone number and a name apart", () => {
    assert.deepEqual(classifyQuery(" Alex.Example@Example.org "), { kind: "email", value: "alex.example@example.org" });
    assert.deepEqual(classifyQuery("07700 900123"), { kind: "phone", value: "+447700900123" });
    assert.equal(classifyQuery("   ")?.kind, undefined);
    assert.equal(classifyQuery("Alex Example")?.kind, "name");
  });
});
