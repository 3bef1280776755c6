// Lookup: "is this person on the list, and how do I deal with them?" (issue 2 item 5).
//
// An in-memory index of listed subjects answers sender checks in microseconds at 10k listed addresses. It is
// kept fresh two ways: a write on this instance refreshes the subject at once (`subjectChanged`), and every
// instance polls the store's change feed (`RegisterStore.changesSince`) so a listing made elsewhere is seen
// within one poll interval. The index holds only subjects with a current (not removed) entry.
//
// Matching (EXPERIENCE.md "Matching"): an exact email or phone match is certain; a name-only match is a
// *possible* match that needs a second identifier before anyone acts on it.
// Access: each entry is shaped for the caller's view; a hidden entry is left out as if it did not exist.
// Audit: every lookup that finds someone writes one audit event per subject shown. Lookups that find nobody
// are logged (count only) but not audited, so the register never stores the names of people who are not on it.
import { buildEntryCard, type EntryCardModel } from "../../../core/src/present/entryCard";
import type { Caller, EntryView, RegisterEntry, RiskLevel, Subject, Surface } from "../../../core/src/domain";
import { classifyQuery, nameMatchScore, nameTokens, normaliseEmail, normalisePhone, tokensMatch } from "../../../core/src/normalise";
import type { Stores } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";

export interface LookupMatch {
  subjectId: string;
  certainty: "exact" | "possible";
  matchedOn: "email" | "phone" | "name";
  /** What matched, for "Matches <address>" (the caller's own input, normalised). */
  matchedValue: string;
  /** Name matches only: 0-1. */
  score?: number;
  card: EntryCardModel;
}

export interface LookupResult {
  query: { kind: "email" | "phone" | "name"; value: string };
  matches: LookupMatch[];
}

export type LookupOutcome = { ok: true; result: LookupResult } | { ok: false; code: "LOOKUP_QUERY_INVALID"; message: string };

export interface SenderCheckResult {
  address: string;
  /** False when the address is not listed, is not an email address, or the entry is hidden from the caller. */
  listed: boolean;
  valid: boolean;
  matches: LookupMatch[];
}

export interface LookupDeps {
  stores: Pick<Stores, "subjects" | "register" | "audit">;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  registerName: string;
  /** The policy's access rule (core/src/rules/access.ts), bound to the profile in force. */
  viewFor(caller: Caller, entry: { riskLevel: RiskLevel; isPremises: boolean }): EntryView;
  /** Most name matches returned. */
  maxNameMatches?: number;
  /** Told after each audited lookup who was shown to whom (the lookup watch, lookupWatch.ts). Must return at once. */
  onAudited?(actorId: string, subjectIds: string[], surface: Surface): void;
}

interface Listed {
  subject: Subject;
  entries: RegisterEntry[];
  emails: string[];
  phones: string[];
  tokens: string[];
}

const RISK_ORDER: Record<RiskLevel, number> = { high: 3, medium: 2, low: 1 };
const NAME_THRESHOLD = 0.6;

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}

export class LookupService {
  private readonly listed = new Map<string, Listed>();
  private readonly byEmail = new Map<string, Set<string>>();
  private readonly byPhone = new Map<string, Set<string>>();
  private readonly byToken = new Map<string, Set<string>>();
  private cursor: string | undefined;
  private poller: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastPollError: string | undefined;

  constructor(private readonly deps: LookupDeps) {}

  /** Loads every current entry. Takes the change-feed cursor first so nothing written meanwhile is missed. */
  async load(): Promise<void> {
    const { cursor } = await this.deps.stores.register.changesSince(undefined);
    const entriesBySubject = new Map<string, RegisterEntry[]>();
    for await (const entry of this.deps.stores.register.listCurrent()) {
      const list = entriesBySubject.get(entry.subjectId) ?? [];
      list.push(entry);
      entriesBySubject.set(entry.subjectId, list);
    }
    for await (const subject of this.deps.stores.subjects.list()) {
      const entries = entriesBySubject.get(subject.id);
      if (entries) this.put(subject, entries);
    }
    this.cursor = cursor;
  }

  /** Polls the change feed every `intervalMs` until `stop()`. Errors are logged and retried next tick. */
  startPolling(intervalMs: number): void {
    if (this.poller) return;
    this.poller = setInterval(() => {
      if (this.polling) return;
      this.polling = this.pollOnce()
        .then(() => undefined)
        .catch((error: unknown) => {
          const name = error instanceof Error ? error.name : "UnknownError";
          if (this.lastPollError !== name) this.deps.logger.warn("lookup.poll_failed", { error: name });
          this.lastPollError = name;
        })
        .finally(() => { this.polling = undefined; });
    }, intervalMs);
    this.poller.unref();
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    await this.polling;
  }

  /** One poll of the change feed: refreshes every subject another instance changed. */
  async pollOnce(): Promise<number> {
    const { subjectIds, cursor } = await this.deps.stores.register.changesSince(this.cursor);
    for (const id of new Set(subjectIds)) await this.refresh(id);
    this.cursor = cursor;
    this.lastPollError = undefined;
    return subjectIds.length;
  }

  /** Call after writing a subject or its entry on this instance: visible here at once, elsewhere next poll. */
  async subjectChanged(subjectId: string): Promise<void> {
    await this.deps.stores.register.markChanged(subjectId, this.deps.clock.now().toISOString());
    await this.refresh(subjectId);
  }

  /** Re-reads one subject from the store into the index. */
  async refresh(subjectId: string): Promise<void> {
    const [subject, entries] = await Promise.all([
      this.deps.stores.subjects.get(subjectId),
      this.deps.stores.register.listBySubject(subjectId),
    ]);
    const current = entries.filter((e) => e.status !== "removed");
    if (!subject || current.length === 0) this.drop(subjectId);
    else this.put(subject, current);
  }

  get size(): number {
    return this.listed.size;
  }

  /** Free-text lookup: an email, a phone number or a name. */
  async lookup(caller: Caller, text: string, surface: Surface): Promise<LookupOutcome> {
    const query = classifyQuery(text);
    if (!query) {
      return { ok: false, code: "LOOKUP_QUERY_INVALID", message: "Enter an email address, a phone number or a name (at least two letters)." };
    }
    let matches: LookupMatch[];
    if (query.kind === "email") matches = this.exact(caller, "email", query.value, this.byEmail.get(query.value));
    else if (query.kind === "phone") matches = this.exact(caller, "phone", query.value, this.byPhone.get(query.value));
    else matches = this.byName(caller, query.value);
    await this.audit(caller, surface, matches);
    this.deps.logger.info("lookup", { surface, kind: query.kind, matches: matches.length });
    return { ok: true, result: { query, matches } };
  }

  /** Sender check for Outlook and the Graph marker: many addresses, exact email matches only. Answers at once
   * (no promise, no wait for the next turn) when nobody is found, as for nearly every sender; only a check that
   * finds someone waits for its audit. */
  checkSenders(caller: Caller, addresses: string[], surface: Surface): SenderCheckResult[] | Promise<SenderCheckResult[]> {
    const results: SenderCheckResult[] = [];
    const found: LookupMatch[] = [];
    for (const address of addresses) {
      const email = normaliseEmail(address);
      if (!email) {
        results.push({ address, listed: false, valid: false, matches: [] });
        continue;
      }
      const matches = this.exact(caller, "email", email, this.byEmail.get(email));
      found.push(...matches);
      results.push({ address, listed: matches.length > 0, valid: true, matches });
    }
    if (found.length === 0) return results;
    return this.audit(caller, surface, found).then(() => {
      this.deps.logger.info("lookup.senders", { surface, checked: addresses.length, matches: found.length });
      return results;
    });
  }

  /** Whether an address belongs to a listed subject, for server-side mail marking (no caller, no view). */
  isListedAddress(address: string): { listed: boolean; reference?: string } {
    const email = normaliseEmail(address);
    const ids = email ? this.byEmail.get(email) : undefined;
    if (!ids) return { listed: false };
    for (const id of ids) {
      const top = this.listed.get(id)?.entries[0];
      if (top) return { listed: true, reference: top.reference };
    }
    return { listed: false };
  }

  private exact(caller: Caller, on: "email" | "phone", value: string, ids: Set<string> | undefined): LookupMatch[] {
    if (!ids) return [];
    const matches: LookupMatch[] = [];
    for (const id of ids) {
      const item = this.listed.get(id);
      const card = item && this.cardFor(caller, item);
      if (card) matches.push({ subjectId: id, certainty: "exact", matchedOn: on, matchedValue: value, card });
    }
    return matches;
  }

  private byName(caller: Caller, value: string): LookupMatch[] {
    const queryTokens = nameTokens(value);
    // Candidates: subjects sharing a token with the query, exactly or within a typo. Scanning the token keys
    // (not the subjects) keeps this to tens of thousands of short strings at 10k listed people.
    const candidates = new Set<string>();
    for (const [token, ids] of this.byToken) {
      if (queryTokens.some((q) => q.length > 1 && tokensMatch(q, token))) for (const id of ids) candidates.add(id);
    }
    const scored: LookupMatch[] = [];
    for (const id of candidates) {
      const item = this.listed.get(id);
      if (!item) continue;
      const names = [item.subject.displayName, ...item.subject.aliases];
      let best = 0;
      let bestName = "";
      for (const n of names) {
        const s = nameMatchScore(value, n);
        if (s > best) { best = s; bestName = n; }
      }
      if (best < NAME_THRESHOLD) continue;
      const card = this.cardFor(caller, item);
      if (card) scored.push({ subjectId: id, certainty: "possible", matchedOn: "name", matchedValue: bestName, score: best, card });
    }
    scored.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || RISK_ORDER[b.card.riskLevel] - RISK_ORDER[a.card.riskLevel]);
    return scored.slice(0, this.deps.maxNameMatches ?? 10);
  }

  /** The entry the caller sees for a subject: the highest-risk one they may see, or none. */
  private cardFor(caller: Caller, item: Listed): EntryCardModel | undefined {
    const isPremises = item.subject.kind === "premises";
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    for (const entry of item.entries) {
      const view = this.deps.viewFor(caller, { riskLevel: entry.riskLevel, isPremises });
      if (view === "hidden") continue;
      return buildEntryCard({ registerName: this.deps.registerName, subject: item.subject, entry, view, today });
    }
    return undefined;
  }

  private async audit(caller: Caller, surface: Surface, matches: LookupMatch[]): Promise<void> {
    if (matches.length === 0) return;
    const at = this.deps.clock.now().toISOString();
    await Promise.all(
      matches.map((m) =>
        this.deps.stores.audit.append({
          id: this.deps.ids.next(),
          at,
          actorId: caller.id,
          action: "lookup",
          surface,
          subjectId: m.subjectId,
          what: [m.card.reference, `view:${m.card.view}`, `match:${m.matchedOn}:${m.certainty}`],
        }),
      ),
    );
    this.deps.onAudited?.(caller.id, matches.map((m) => m.subjectId), surface);
  }

  private put(subject: Subject, entries: RegisterEntry[]): void {
    this.drop(subject.id);
    const sorted = [...entries].sort((a, b) => RISK_ORDER[b.riskLevel] - RISK_ORDER[a.riskLevel]);
    const emails = [...new Set(subject.emails.map((e) => normaliseEmail(e)).filter((e): e is string => !!e))];
    const phones = [...new Set(subject.phones.map((p) => normalisePhone(p)).filter((p): p is string => !!p))];
    const tokens = [...new Set([subject.displayName, ...subject.aliases].flatMap((n) => nameTokens(n)))];
    const item: Listed = { subject, entries: sorted, emails, phones, tokens };
    this.listed.set(subject.id, item);
    for (const e of emails) addTo(this.byEmail, e, subject.id);
    for (const p of phones) addTo(this.byPhone, p, subject.id);
    for (const t of tokens) addTo(this.byToken, t, subject.id);
  }

  private drop(subjectId: string): void {
    const old = this.listed.get(subjectId);
    if (!old) return;
    for (const e of old.emails) removeFrom(this.byEmail, e, subjectId);
    for (const p of old.phones) removeFrom(this.byPhone, p, subjectId);
    for (const t of old.tokens) removeFrom(this.byToken, t, subjectId);
    this.listed.delete(subjectId);
  }
}
