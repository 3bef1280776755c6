// Demo data for `npm start`: plainly fictional people, places and staff. Emails use example.org (reserved by
// RFC 2606), phone numbers come from Ofcom's drama range (07700 900xxx), and names say what they are.
// Nothing here is, or resembles, a real person from the policy documents.
import type { Incident, RegisterEntry, Subject } from "../../core/src/domain";
import { addCalendarMonths } from "../../core/src/calendar/dates";
import { PERSONAS } from "../../bot/src/adapters/http/devSignIn";
import type { Stores } from "../../bot/src/ports/stores";

const persona = (name: string) => {
  const p = PERSONAS.find((x) => x.displayName === name);
  if (!p) throw new Error(`No persona ${name}`);
  return { id: p.id, displayName: p.displayName, email: p.email };
};

export const DEMO_MARKER_SUBJECT_ID = "demo-subject-0001";

export interface DemoSet {
  subjects: Subject[];
  entries: RegisterEntry[];
  incidents: Incident[];
}

/** Builds the demo set relative to `today`, so review dates are always in the near future. */
export function buildDemoData(today: string): DemoSet {
  const at = `${today}T09:00:00.000Z`;
  const owner = persona("Max Manager");
  const officer = persona("Ola Officer");
  const subject = (id: string, over: Partial<Subject>): Subject => ({
    id, kind: "person", displayName: "", aliases: [], emails: [], phones: [], addresses: [], socialHandles: [], createdAt: at, updatedAt: at, ...over,
  });
  const subjects: Subject[] = [
    subject(DEMO_MARKER_SUBJECT_ID, { displayName: "Alex Example", aliases: ["Alexander Example"], emails: ["alex.example@example.org"], phones: ["07700 900001"], addresses: [{ lines: ["1 Fictional Lane"], town: "Exampleton", postcode: "EX1 1AA" }] }),
    subject("demo-subject-0002", { displayName: "Jamie Sample", emails: ["jamie.sample@example.org", "j.sample.demo@example.net"], phones: ["07700 900002"], addresses: [{ lines: ["22 Placeholder Road"], town: "Exampleton", postcode: "EX2 2BB" }] }),
    subject("demo-subject-0003", { displayName: "Taylor Testcase", emails: ["taylor.testcase@example.org"], phones: ["07700 900003"], addresses: [{ lines: ["3 Mock Street"], town: "Sampleford", postcode: "EX3 3CC" }] }),
    subject("demo-subject-0004", { kind: "premises", displayName: "4 Imaginary Close, Sampleford", addresses: [{ lines: ["4 Imaginary Close"], town: "Sampleford", postcode: "EX4 4DD" }] }),
    subject("demo-subject-0005", { displayName: "Robin Referral", emails: ["robin.referral@example.org"], phones: ["07700 900005"] }),
  ];
  const entry = (id: string, ref: string, subjectId: string, over: Partial<RegisterEntry>): RegisterEntry => ({
    id, reference: ref, subjectId, riskLevel: "low", categories: [], restrictions: [], guidance: [], startsOn: today,
    recordOwner: owner, status: "active", appealInProgress: false, createdAt: at, updatedAt: at, ...over,
  });
  const entries: RegisterEntry[] = [
    entry("demo-entry-0001", "CAL-0001", "demo-subject-0001", {
      riskLevel: "medium",
      categories: ["verbal-abuse", "unreasonably-persistent-contact"],
      guidance: ["Keep calls short and end the call if the language becomes abusive.", "Do not agree to meet in person."],
      spoc: { displayName: "Sam Spoc", mailbox: "housing.spoc@calm-demo.example", serviceArea: "Housing" },
      restrictions: [
        { id: "demo-res-0001", kind: "single-point-of-contact", params: {}, serviceAreas: [], startsOn: today, endsOn: addCalendarMonths(today, 12), staffInstruction: "Only the Housing SPOC replies; pass any contact to them." },
        { id: "demo-res-0002", kind: "contact-limit", params: { perWeek: 1, channel: "phone" }, serviceAreas: ["Housing"], startsOn: today, endsOn: addCalendarMonths(today, 6), staffInstruction: "Accept one phone call a week; take a message for any other call." },
      ],
      expiresOn: addCalendarMonths(today, 12),
      nextReviewOn: addCalendarMonths(today, 6),
    }),
    entry("demo-entry-0002", "CAL-0002", "demo-subject-0002", {
      riskLevel: "high",
      categories: ["verbal-threat", "physical-violence-no-injury"],
      guidance: ["Do not visit alone: home visits only in pairs.", "Meet only at the Civic Centre with a witness present."],
      spoc: { displayName: "Sam Spoc", mailbox: "housing.spoc@calm-demo.example", serviceArea: "Housing" },
      restrictions: [
        { id: "demo-res-0003", kind: "home-visits-in-pairs", params: {}, serviceAreas: [], startsOn: today, staffInstruction: "Visit only in pairs, and tell the office when you arrive and leave." },
        { id: "demo-res-0004", kind: "building-ban", params: { buildings: ["Exampleton Leisure Centre"] }, serviceAreas: [], startsOn: today, endsOn: addCalendarMonths(today, 12), staffInstruction: "Do not admit them to Exampleton Leisure Centre; call security if they arrive." },
      ],
      expiresOn: addCalendarMonths(today, 24),
      nextReviewOn: addCalendarMonths(today, 6),
      appealInProgress: true,
    }),
    entry("demo-entry-0003", "CAL-0003", "demo-subject-0003", {
      riskLevel: "low",
      categories: ["unreasonably-persistent-contact"],
      guidance: ["Reply only to new matters; previous complaints are closed."],
      restrictions: [
        { id: "demo-res-0005", kind: "correspondence-filed-without-acknowledgement", params: {}, serviceAreas: ["Planning"], startsOn: today, endsOn: addCalendarMonths(today, 6), staffInstruction: "Read and file emails on the closed complaint without replying, but check each for anything new or any safeguarding concern." },
      ],
      expiresOn: addCalendarMonths(today, 6),
      nextReviewOn: addCalendarMonths(today, 3),
    }),
    entry("demo-entry-0004", "CAL-0004", "demo-subject-0004", {
      riskLevel: "high",
      categories: ["premises-risk"],
      guidance: ["Dangerous dog at this address: do not enter the garden.", "Visit only in pairs and phone ahead."],
      restrictions: [
        { id: "demo-res-0006", kind: "home-visits-in-pairs", params: {}, serviceAreas: [], startsOn: today, staffInstruction: "Visit only in pairs and phone the occupier before arriving." },
      ],
      nextReviewOn: addCalendarMonths(today, 12),
    }),
  ];
  const incidents: Incident[] = [
    {
      id: "demo-incident-0001", reference: "INC-0001", subjectId: "demo-subject-0001", reporter: officer, occurredAt: `${today}T08:15:00.000Z`,
      location: "Exampleton Council contact centre", channel: "phone", serviceArea: "Housing", category: "verbal-abuse",
      description: "Caller swore repeatedly at the officer after being told the repair was booked for next week. Officer gave a warning and ended the call.",
      witnesses: [], evidence: [], hateIncident: false, immediateAction: "call-ended", reportedAt: at,
    },
    {
      id: "demo-incident-0002", reference: "INC-0002", subjectId: "demo-subject-0005", reporter: officer, occurredAt: `${today}T10:30:00.000Z`,
      location: "Civic Centre reception", channel: "face-to-face", serviceArea: "Revenues", category: "verbal-threat",
      description: "Visitor said they would 'sort out' the officer after work. Security asked them to leave.",
      witnesses: [{ name: "Wendy Witness", statement: "I heard the threat from the next desk.", isStaff: true }], evidence: [], hateIncident: false,
      immediateAction: "asked-to-leave", reportedAt: at,
    },
  ];
  return { subjects, entries, incidents };
}

/** Loads the demo set once: if the marker subject exists, nothing is written. Safe to run again after a crash. */
export async function seedDemoData(stores: Stores, today: string, onChanged: (subjectId: string) => Promise<void>): Promise<{ seeded: boolean }> {
  if (await stores.subjects.get(DEMO_MARKER_SUBJECT_ID)) return { seeded: false };
  const data = buildDemoData(today);
  // The marker subject goes last, so a seed interrupted half-way runs again in full next time.
  const ordered = [...data.subjects.slice(1), data.subjects[0]!];
  for (const e of data.entries) await createIfMissing(() => stores.register.get(e.id), () => stores.register.create(e));
  for (const i of data.incidents) await createIfMissing(() => stores.incidents.get(i.id), () => stores.incidents.create(i));
  // Move the counters past the demo references before the marker is written (a rerun may skip numbers,
  // which is harmless; it never reuses one).
  for (let i = 0; i < data.entries.length; i++) await stores.references.next("CAL");
  for (let i = 0; i < data.incidents.length; i++) await stores.references.next("INC");
  for (const s of ordered) {
    await createIfMissing(() => stores.subjects.get(s.id), () => stores.subjects.create(s));
    await onChanged(s.id);
  }
  return { seeded: true };
}

async function createIfMissing<T>(get: () => Promise<T | undefined>, create: () => Promise<T>): Promise<void> {
  if (!(await get())) await create();
}
