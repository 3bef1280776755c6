// Plainly fictional people and entries for tests.
import type { Caller, RegisterEntry, RiskLevel, Role, Subject } from "../../core/src/domain";

let n = 0;
const nextId = (p: string) => `${p}-${String(++n).padStart(5, "0")}`;
const AT = "2026-11-01T09:00:00.000Z";

export function aSubject(over: Partial<Subject> = {}): Subject {
  return {
    id: nextId("sub"),
    kind: "person",
    displayName: "Alex Example",
    aliases: [],
    emails: ["alex.example@example.org"],
    phones: ["07700 900123"],
    addresses: [{ lines: ["1 Fictional Lane"], town: "Exampleton", postcode: "EX1 1AA" }],
    socialHandles: [],
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

export function anEntry(subjectId: string, riskLevel: RiskLevel = "medium", over: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    id: nextId("ent"),
    reference: `CAL-${String(n).padStart(4, "0")}`,
    subjectId,
    riskLevel,
    categories: ["verbal-abuse"],
    restrictions: [
      { id: nextId("res"), kind: "single-point-of-contact", params: {}, serviceAreas: [], startsOn: "2026-11-01", endsOn: "2027-05-01", staffInstruction: "Only reply from the Housing SPOC mailbox." },
    ],
    guidance: ["Do not visit alone."],
    spoc: { displayName: "Sam Spoc", mailbox: "spoc.housing@calm-demo.example", serviceArea: "Housing" },
    startsOn: "2026-11-01",
    expiresOn: "2027-05-01",
    nextReviewOn: "2027-05-01",
    recordOwner: { id: "owner-1", displayName: "Max Manager" },
    status: "active",
    appealInProgress: false,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

export function aCaller(roles: Role[] = ["officer"], over: Partial<Caller> = {}): Caller {
  return { id: `caller-${roles.join("-") || "none"}`, tenantId: "t", displayName: "Test Caller", roles, serviceAreas: [], ...over };
}
