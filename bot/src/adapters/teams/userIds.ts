// Entra object id → Teams user id (the "29:…" MRI that Adaptive Card `refresh.userIds` needs). Learnt from every
// activity a person sends and from member lookups, kept in memory and in the conversation store (`user:<oid>`),
// so every instance can give members their own view of a vote card.
import type { ConversationStore } from "../../ports/conversations";
import type { Clock, Logger } from "../../ports/system";

export class UserIds {
  private readonly byAad = new Map<string, string>();
  /** Ids looked for in the store and not found, with when (looked for again after a minute). */
  private readonly missing = new Map<string, number>();

  constructor(private readonly deps: { conversations: ConversationStore; clock: Clock; logger: Logger }) {}

  known(aadObjectId: string): boolean {
    return this.byAad.has(aadObjectId);
  }

  /** Records a mapping; writes it to the store only when it is new or changed. */
  remember(aadObjectId: string, teamsUserId: string): void {
    if (this.byAad.get(aadObjectId) === teamsUserId) return;
    this.byAad.set(aadObjectId, teamsUserId);
    this.missing.delete(aadObjectId);
    void this.persist(aadObjectId, teamsUserId).catch((error: unknown) => this.deps.logger.warn("bot.user_id_not_saved", { error: error instanceof Error ? error.name : "unknown" }));
  }

  private async persist(aadObjectId: string, teamsUserId: string): Promise<void> {
    const key = `user:${aadObjectId}`;
    const current = await this.deps.conversations.get(key);
    if (current?.state?.teamsUserId === teamsUserId) return;
    await this.deps.conversations.put({ key, reference: current?.reference ?? {}, ...(current?.activityId ? { activityId: current.activityId } : {}), state: { ...current?.state, teamsUserId }, updatedAt: this.deps.clock.now().toISOString() });
  }

  /** Teams ids for these members, where known (at most 60: the refresh limit). */
  async teamsIdsFor(aadObjectIds: string[]): Promise<string[]> {
    const out: string[] = [];
    const now = this.deps.clock.now().getTime();
    for (const id of aadObjectIds) {
      let teamsId = this.byAad.get(id);
      if (!teamsId && (this.missing.get(id) ?? 0) < now - 60_000) {
        const stored = (await this.deps.conversations.get(`user:${id}`))?.state?.teamsUserId;
        if (stored) {
          teamsId = stored;
          this.byAad.set(id, stored);
        } else {
          this.missing.set(id, now);
        }
      }
      if (teamsId) out.push(teamsId);
      if (out.length >= 60) break;
    }
    return out;
  }
}
