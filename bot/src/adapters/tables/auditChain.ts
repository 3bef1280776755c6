// The audit log as an append-only hash chain (issue 8 item 3; docs/security.md "Audit chain"). Shared by the
// table and memory audit stores so both chain and verify exactly alike.
//
// Each event carries the chain it is in, its place in it (seq 1, 2, 3…), the hash of the event before it
// (`prevHash`; the first event of a chain links to GENESIS_HASH) and its own hash: SHA-256 over `prevHash` and
// a canonical JSON of every other field. Changing any stored field of an event, deleting one, reordering
// them or cutting the tail off is then visible to `verifyAuditChains`, which names the event concerned by
// chain, seq and id (never by anything personal).
import { createHash } from "node:crypto";
import type { AuditEvent } from "../../../../core/src/domain";
import { StoreLimitError } from "../../ports/errors";
import type { AuditChainProblem, AuditVerification } from "../../ports/stores";

export type ChainedAuditEvent = AuditEvent & { chainId: string; seq: number; prevHash: string; hash: string };

export const GENESIS_HASH = "0".repeat(64);
/** Most problems listed in a verification; the count is always complete. */
export const MAX_LISTED_PROBLEMS = 100;

/** Largest audit event kept, as JSON. The table store writes an event three times (in its chain block and in two
 * listing copies), blocks of at most ~400 KB, and a transaction may carry at most 4 MiB; real events (references,
 * not content) are a few hundred bytes. */
export const MAX_AUDIT_EVENT_BYTES = 32 * 1024;

/** Throws StoreLimitError for an audit event over MAX_AUDIT_EVENT_BYTES (both audit stores, before anything is
 * written); otherwise answers its size as JSON, in bytes. */
export function assertAuditEventSize(event: AuditEvent): number {
  const bytes = Buffer.byteLength(JSON.stringify(event), "utf8");
  if (bytes > MAX_AUDIT_EVENT_BYTES) {
    throw new StoreLimitError("audit event", event.id.slice(0, 40), `about ${Math.ceil(bytes / 1024)} KiB; at most ${MAX_AUDIT_EVENT_BYTES / 1024} KiB`);
  }
  return bytes;
}

/** A chain id goes into keys: letters, digits, `.`, `_` and `-`, 1-40 characters. */
export function assertChainId(chainId: string): void {
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(chainId)) {
    throw new TypeError(`Audit chain id "${chainId.slice(0, 40)}" is not valid: use 1-40 letters, digits, dots, dashes or underscores.`);
  }
}

/** JSON with object keys sorted at every level and undefined left out: the same event always gives the same
 * text, whatever order its fields were set in or came back from storage. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The hash an event must carry: SHA-256 (hex) of its `prevHash`, a newline, and the canonical JSON of every
 * field except `hash` itself (and the store's `etag`). Any field added to AuditEvent later is covered too. */
export function auditEventHash(event: AuditEvent): string {
  const { hash: _hash, ...rest } = event as AuditEvent & { etag?: string };
  delete (rest as { etag?: string }).etag;
  return createHash("sha256").update(`${event.prevHash ?? ""}\n${canonicalJson(rest)}`, "utf8").digest("hex");
}

/** Links `event` after a chain whose last event is (`seq`, `hash`). */
export function chainEvent(event: AuditEvent, chainId: string, after: { seq: number; hash: string }): ChainedAuditEvent {
  const { hash: _h, prevHash: _p, chainId: _c, seq: _s, ...plain } = event;
  const linked = { ...plain, chainId, seq: after.seq + 1, prevHash: after.hash };
  return { ...linked, hash: auditEventHash(linked) };
}

/** What a verifier reads from a store. Both audit stores provide it. */
export interface AuditChainSource {
  /** Every chain ever started. */
  chainIds(): Promise<string[]>;
  /** The chain's head: its last seq and hash. */
  head(chainId: string): Promise<{ seq: number; hash: string } | undefined>;
  /** The chain's events in seq order, as stored. */
  events(chainId: string): AsyncIterable<AuditEvent>;
  /** The copies of events kept for listing by subject and by actor. */
  indexRows(): AsyncIterable<{ kind: "subject" | "actor"; key: string; event: AuditEvent }>;
}

interface ChainState {
  hashes: string[];
  actorRows: Uint8Array;
  subjectRows: Uint8Array;
  wantsSubjectRow: Uint8Array;
  ids: string[];
}

const describe = (e: AuditEvent): string => `event ${e.id} (${e.action} at ${e.at})`;

/** Checks every chain from its first event to its head, then checks each listing copy against the chain.
 * Reads everything once; memory grows with the number of events (about 100 bytes each). */
export async function verifyAuditChains(
  source: AuditChainSource,
  checkedAt: string,
  /** With `--repair`: rewrites the listing copies an event is missing from (the chain itself is never changed). */
  repair?: (chainId: string, seq: number, missing: ("actor" | "subject")[]) => Promise<void>,
): Promise<AuditVerification> {
  const problems: AuditChainProblem[] = [];
  let problemCount = 0;
  const report = (p: AuditChainProblem): void => {
    problemCount += 1;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
  };
  const chains: AuditVerification["chains"] = [];
  const states = new Map<string, ChainState>();
  let events = 0;
  let repaired = 0;

  for (const chainId of await source.chainIds()) {
    const state: ChainState = { hashes: [], actorRows: new Uint8Array(0), subjectRows: new Uint8Array(0), wantsSubjectRow: new Uint8Array(0), ids: [] };
    const wantsSubject: number[] = [];
    states.set(chainId, state);
    let expectedSeq = 1;
    let prev = GENESIS_HASH;
    for await (const event of source.events(chainId)) {
      events += 1;
      const seq = event.seq ?? Number.NaN;
      if (!Number.isInteger(seq) || seq < expectedSeq) {
        report({ kind: "altered", chainId, seq: event.seq, eventId: event.id, message: `Chain ${chainId}: ${describe(event)} has seq ${String(event.seq)} where ${expectedSeq} or later was expected: it was changed or copied.` });
        continue;
      }
      if (seq > expectedSeq) {
        report({ kind: "missing", chainId, seq: expectedSeq, message: `Chain ${chainId}: event${seq - expectedSeq > 1 ? `s ${expectedSeq}-${seq - 1} are` : ` ${expectedSeq} is`} missing (deleted from the store, or no longer readable).` });
        prev = "(missing)";
      }
      if (event.chainId !== chainId) {
        report({ kind: "altered", chainId, seq, eventId: event.id, message: `Chain ${chainId}: ${describe(event)} at seq ${seq} says it belongs to chain ${String(event.chainId)}: it was changed.` });
      }
      if (event.prevHash !== prev && prev !== "(missing)") {
        report({ kind: "broken-link", chainId, seq, eventId: event.id, message: `Chain ${chainId}: ${describe(event)} at seq ${seq} does not link to event ${seq - 1}: event ${seq - 1} (or its hash) was changed, or this event was.` });
      }
      if (auditEventHash(event) !== event.hash) {
        report({ kind: "altered", chainId, seq, eventId: event.id, message: `Chain ${chainId}: ${describe(event)} at seq ${seq} does not match its hash: its stored content was changed after it was written.` });
      }
      state.hashes[seq] = event.hash ?? "";
      state.ids[seq] = event.id;
      if (event.subjectId !== undefined) wantsSubject.push(seq);
      prev = event.hash ?? "";
      expectedSeq = seq + 1;
    }
    const lastSeq = expectedSeq - 1;
    const head = await source.head(chainId);
    if (!head) {
      if (lastSeq > 0) report({ kind: "head-mismatch", chainId, message: `Chain ${chainId}: its head record is missing, so events after ${lastSeq} may have been removed.` });
    } else if (head.seq !== lastSeq || head.hash !== prev) {
      report({
        kind: "head-mismatch",
        chainId,
        seq: head.seq,
        message: head.seq > lastSeq
          ? `Chain ${chainId}: the head says ${head.seq} events were written but only ${lastSeq} are there: the newest were deleted.`
          : `Chain ${chainId}: the head (seq ${head.seq}) does not match the last event (seq ${lastSeq}): the head or the last event was changed.`,
      });
    }
    state.actorRows = new Uint8Array(lastSeq + 1);
    state.subjectRows = new Uint8Array(lastSeq + 1);
    state.wantsSubjectRow = new Uint8Array(lastSeq + 1);
    for (const s of wantsSubject) state.wantsSubjectRow[s] = 1;
    chains.push({ chainId, events: lastSeq, headSeq: head?.seq ?? 0, headHash: head?.hash ?? GENESIS_HASH });
  }

  for await (const { kind, key, event } of source.indexRows()) {
    const state = event.chainId !== undefined ? states.get(event.chainId) : undefined;
    const seq = event.seq;
    if (!state || seq === undefined || !Number.isInteger(seq) || state.hashes[seq] === undefined) {
      report({ kind: "not-chained", chainId: event.chainId, seq, eventId: event.id, message: `The ${kind} listing holds ${describe(event)}, which is not in any chain: it was added outside CALM or its chain was removed.` });
      continue;
    }
    // A copy that is there but altered counts as there: it is reported once, as altered, not also as missing.
    if (kind === "actor") state.actorRows[seq] = 1;
    else state.subjectRows[seq] = 1;
    if (state.hashes[seq] !== event.hash || auditEventHash(event) !== event.hash || state.ids[seq] !== event.id) {
      report({ kind: "index-altered", chainId: event.chainId, seq, eventId: event.id, message: `The ${kind} listing's copy of ${describe(event)} (chain ${String(event.chainId)}, seq ${seq}) differs from the chain: the copy was changed.` });
      continue;
    }
    const expectedKey = kind === "actor" ? event.actorId : event.subjectId;
    if (expectedKey !== key) {
      report({ kind: "index-altered", chainId: event.chainId, seq, eventId: event.id, message: `The ${kind} listing files ${describe(event)} under the wrong ${kind}: it was moved.` });
    }
  }

  for (const [chainId, state] of states) {
    for (let seq = 1; seq < state.actorRows.length; seq++) {
      if (state.hashes[seq] === undefined) continue;
      const missing: ("actor" | "subject")[] = [];
      if (!state.actorRows[seq]) missing.push("actor");
      if (state.wantsSubjectRow[seq] && !state.subjectRows[seq]) missing.push("subject");
      if (missing.length > 0 && repair) {
        await repair(chainId, seq, missing);
        repaired += 1;
      } else if (missing.length > 0) {
        report({ kind: "index-missing", chainId, seq, eventId: state.ids[seq], message: `Chain ${chainId}: event ${state.ids[seq]} (seq ${seq}) is missing from the ${missing.join(" and ")} listing. Run \`calm audit verify --repair\` to restore it from the chain.` });
      }
    }
  }

  return {
    intact: problemCount === 0,
    checkedAt,
    chains,
    events,
    problemCount,
    problems,
    ...(repair ? { repaired } : {}),
  };
}
