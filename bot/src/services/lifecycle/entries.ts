// Entry-level steps several lifecycle services share: removing an entry (at review, on expiry, when an appeal
// overturns it) with its retention record, and what has happened since an entry was made or last reviewed.
import { purgeDate } from "../../../../core/src/rules/dates";
import type { Incident, IsoDate, RegisterEntry } from "../../../../core/src/domain";
import { sourceOf } from "../../../../core/src/policy/sources";
import { AlreadyExistsError } from "../../ports/errors";
import type { ContactRecord, ReviewRecord } from "../../ports/lifecycle";
import { actorRef, londonDate, type Actor, type LifecycleContext, type Result } from "./context";

export interface SinceLastDecision {
  /** The date the period starts: the last decided review, or the entry's start. */
  since: IsoDate;
  incidents: Incident[];
  contacts: ContactRecord[];
  breaches: ContactRecord[];
  positive: ContactRecord[];
}

/** Incidents and contacts since the entry was made or last reviewed (the review's inputs, East Suffolk 4.7). */
export async function sinceLastDecision(ctx: LifecycleContext, entry: RegisterEntry): Promise<SinceLastDecision> {
  const decided = (await ctx.deps.lifecycle.reviews.find({ entryId: entry.id, status: "decided" }))
    .filter((r) => r.decidedAt !== undefined)
    .map((r) => londonDate(new Date(r.decidedAt!)));
  const since = [entry.startsOn, ...decided].sort().at(-1)!;
  const incidents = (await ctx.deps.stores.incidents.listBySubject(entry.subjectId))
    .filter((i) => londonDate(new Date(i.occurredAt)) > since)
    .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
  const contacts = (await ctx.deps.lifecycle.contacts.find({ entryId: entry.id })).filter((c) => londonDate(new Date(c.at)) > since);
  return {
    since,
    incidents,
    contacts,
    breaches: contacts.filter((c) => c.kind === "breach"),
    positive: contacts.filter((c) => c.kind === "positive" || c.kind === "neutral"),
  };
}

export interface RemovalInput {
  reason: "review" | "expired" | "appeal-overturned";
  /** Plain words for the record. */
  note: string;
}

/** Takes an entry off the register: status removed, the date its details are purged (East Suffolk 4.7: six months
 * after removal; null where the policy sets none), a retention record, open reviews closed. */
export async function removeEntry(ctx: LifecycleContext, actor: Actor, entryId: string, input: RemovalInput): Promise<Result<RegisterEntry>> {
  const today = ctx.today();
  const purgeAfter = purgeDate(ctx.profile, today);
  const changed = await ctx.changeEntry(entryId, (entry) => {
    const { purgeAfter: _old, ...rest } = entry;
    return {
      ...rest,
      status: "removed",
      appealInProgress: false,
      removedOn: today,
      removalReason: input.note,
      ...(purgeAfter === null ? {} : { purgeAfter }),
    };
  });
  if (!changed.ok) return changed;
  const entry = changed.value;
  try {
    await ctx.deps.lifecycle.retention.create({
      id: entry.id,
      subjectId: entry.subjectId,
      reference: entry.reference,
      removedOn: today,
      purgeAfter,
      status: "waiting",
    });
  } catch (error) {
    // Removed before and put back since: the old record is replaced by this removal's.
    if (!(error instanceof AlreadyExistsError)) throw error;
    const old = await ctx.deps.lifecycle.retention.get(entry.id);
    if (old) await ctx.deps.lifecycle.retention.update({ ...old, removedOn: today, purgeAfter, status: "waiting" });
  }
  for (const review of await ctx.deps.lifecycle.reviews.find({ entryId: entry.id, status: "open" })) {
    await closeReview(ctx, review, input.reason === "review" ? "decided" : `entry removed: ${input.note}`);
  }
  const source = sourceOf(ctx.profile, "retention.afterRemoval");
  await ctx.audit(actor, "update", {
    subjectId: entry.subjectId,
    entryId: entry.id,
    what: ["status:removed", `reason:${input.reason}`, `purgeAfter:${purgeAfter ?? "not set"}`, ...(source === undefined ? [] : [`source:${source}`]), `by:${actorRef(actor).id}`],
  });
  ctx.deps.logger.info("lifecycle.entry_removed", { entry: entry.reference, reason: input.reason });
  return { ok: true, value: entry };
}

async function closeReview(ctx: LifecycleContext, review: ReviewRecord, reason: string): Promise<void> {
  if (reason === "decided") return;
  await ctx.deps.lifecycle.reviews.update({ ...review, status: "closed", closedReason: reason, decidedAt: ctx.nowIso() });
}
