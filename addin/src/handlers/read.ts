// Read mode (issue 5 item 1): check the sender, and anyone listed on Cc, against the register through the API,
// and put an informational bar on the message when someone is listed ("Sender is on the Customer Alert List —
// see guidance"), never the reason. No match, no bar. The pane is pinnable, so the check runs again each time
// the reader moves to another message; an answer that arrives after they have moved on is dropped.
import { batches, sameAddress, uniqueAddresses } from "../addresses";
import type { Api, SenderResult } from "../api";
import { clearInfoBar, NOTIFICATION_KEYS, readMessage, showInfoBar, type MailAddress, type ReadMessage } from "../outlook";

export interface ListedPerson {
  address: MailAddress;
  result: SenderResult;
  /** "sender" or "cc". */
  role: "sender" | "cc";
}

export type SenderCheck =
  | { state: "no-message" }
  | { state: "checked"; message: ReadMessage; sender?: MailAddress; senderListed: boolean; senderValid: boolean; listed: ListedPerson[]; bar?: string }
  | { state: "failed"; message: ReadMessage; code: string; error: string };

/** The bar's words. Never a reason, a risk or a restriction: only that there is guidance to read. */
export function barText(registerName: string, listed: ListedPerson[]): string | undefined {
  const sender = listed.find((p) => p.role === "sender");
  const person = sender ?? listed[0];
  if (!person) return undefined;
  const minimum = person.result.matches.every((m) => m.card.view === "minimum");
  if (sender) return minimum ? "Take care with this sender — see the CALM guidance before you reply" : `Sender is on the ${registerName} — see guidance`;
  return minimum ? "Take care: someone copied in has CALM guidance — see it before you reply" : `Someone copied in is on the ${registerName} — see guidance`;
}

export async function checkMessage(api: Pick<Api, "checkSenders">, registerName: string, message = readMessage()): Promise<SenderCheck> {
  if (!message) return { state: "no-message" };
  const people: { address: MailAddress; role: "sender" | "cc" }[] = [
    ...(message.from ? [{ address: message.from, role: "sender" as const }] : []),
    ...message.cc.map((address) => ({ address, role: "cc" as const })),
  ];
  const addresses = uniqueAddresses(people.map((p) => p.address));
  if (addresses.length === 0) {
    return { state: "checked", message, sender: message.from, senderListed: false, senderValid: false, listed: [] };
  }
  const results: SenderResult[] = [];
  for (const batch of batches(addresses)) {
    const answer = await api.checkSenders(batch);
    if (!answer.ok) return { state: "failed", message, code: answer.code, error: answer.message };
    results.push(...answer.value.results);
  }
  const resultFor = (a: MailAddress) => results.find((r) => sameAddress(r.address, a.emailAddress));
  const listed: ListedPerson[] = [];
  for (const p of people) {
    const result = resultFor(p.address);
    if (result?.listed && result.matches.length > 0 && !listed.some((l) => sameAddress(l.address.emailAddress, p.address.emailAddress))) {
      listed.push({ address: p.address, result, role: p.role });
    }
  }
  const senderResult = message.from ? resultFor(message.from) : undefined;
  return {
    state: "checked",
    message,
    sender: message.from,
    senderListed: listed.some((l) => l.role === "sender"),
    senderValid: senderResult?.valid ?? false,
    listed,
    bar: barText(registerName, listed),
  };
}

/** Keeps the bar in step with the check: shown when someone is listed, removed otherwise (and on failure, so a
 * bar never outlives the message it belongs to). */
export async function applyBar(check: SenderCheck): Promise<void> {
  if (check.state === "checked" && check.bar) await showInfoBar(NOTIFICATION_KEYS.sender, check.bar);
  else if (check.state !== "no-message") await clearInfoBar(NOTIFICATION_KEYS.sender);
}

/** Runs checks as the reader moves between messages: only the latest check may touch the bar or the pane. */
export class ReadController {
  private generation = 0;

  constructor(private readonly deps: { api: Pick<Api, "checkSenders">; registerName: string; onResult(check: SenderCheck): void }) {}

  async refresh(): Promise<SenderCheck | undefined> {
    const mine = ++this.generation;
    const message = readMessage();
    const check = await checkMessage(this.deps.api, this.deps.registerName, message);
    if (mine !== this.generation) return undefined;
    // The reader may have moved on while we waited: only touch the bar if the same message is still open.
    const now = readMessage();
    if (message && now && (now.itemId ?? now.internetMessageId) === (message.itemId ?? message.internetMessageId)) {
      await applyBar(check).catch(() => undefined);
    }
    if (mine !== this.generation) return undefined;
    this.deps.onResult(check);
    return check;
  }
}
