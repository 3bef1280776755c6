// A fictional mailbox for the local Outlook stand-in and the browser tests. The senders match the demo data
// `npm start` loads (scripts/demo/demoData.ts): Alex Example (listed, medium, SPOC only), Jamie Sample (listed,
// high), Taylor Testcase (listed, low, Planning only) and people who are not listed. example.org / example.com
// are reserved for examples (RFC 2606).
import type { FakeAddress, FakeMessage } from "./fakeOutlook";

export const ME: FakeAddress = { displayName: "You (local mailbox)", emailAddress: "ola.officer@calm-demo.example" };
export const SPOC_INBOX: FakeAddress = { displayName: "Housing SPOC (shared inbox)", emailAddress: "housing.spoc@calm-demo.example" };

const ALEX = { displayName: "Alex Example", emailAddress: "alex.example@example.org" };
const JAMIE = { displayName: "Jamie Sample", emailAddress: "jamie.sample@example.org" };
const PAT = { displayName: "Pat Public", emailAddress: "pat.public@example.com" };
const TAYLOR = { displayName: "Taylor Testcase", emailAddress: "taylor.testcase@example.org" };

function at(daysAgo: number, hour: number, minute: number, today: Date): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - daysAgo, hour, minute));
  return d.toISOString();
}

export function demoMessages(today = new Date()): FakeMessage[] {
  return [
    {
      id: "msg-alex-1",
      subject: "Still waiting for my repair AGAIN",
      from: ALEX,
      to: [ME],
      cc: [],
      receivedAt: at(0, 8, 12, today),
      body: "This is the fifth time I have written this week. Your staff are useless and I will keep emailing every hour until someone fixes my boiler. Do not bother ringing me, just do your job.",
      internetMessageId: "<alex-1@example.org>",
    },
    {
      id: "msg-pat-1",
      subject: "Bin collection on Friday",
      from: PAT,
      to: [ME],
      cc: [JAMIE],
      receivedAt: at(0, 7, 45, today),
      body: "Hello, could you tell me whether the bins will be collected on Friday as usual? My neighbour, copied in, asked me too. Thank you.",
      internetMessageId: "<pat-1@example.com>",
    },
    {
      id: "msg-alex-2",
      subject: "RE: RE: RE: my repair, why has nobody answered the four emails I sent yesterday about the boiler, the damp in the back bedroom, the broken fence and the letter I never got",
      from: ALEX,
      to: [ME],
      cc: [],
      receivedAt: at(1, 16, 30, today),
      body: "Answer me today or I will keep writing to every councillor until you do.",
      internetMessageId: "<alex-2@example.org>",
    },
    {
      id: "msg-taylor-1",
      subject: "Re: closed planning complaint",
      from: TAYLOR,
      to: [ME],
      cc: [],
      receivedAt: at(2, 10, 5, today),
      body: "I am writing again about the complaint you closed in the spring. I still do not accept the outcome.",
      internetMessageId: "<taylor-1@example.org>",
    },
    {
      id: "msg-odd-1",
      subject: "Message from the scanner",
      from: { displayName: "Scanner on floor 2", emailAddress: "not-an-address" },
      to: [ME],
      cc: [],
      receivedAt: at(3, 12, 0, today),
      body: "A scanned document is attached.",
      internetMessageId: "<scanner-1@calm-demo.example>",
    },
  ];
}
