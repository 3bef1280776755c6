// Follows the register's change feed for the lifecycle, whoever wrote the change (a case decision, a ratification,
// an immediate restriction, a review, an appeal, expiry):
// - an entry removed gets its retention record (when its details are purged), and one put back loses it;
// - with marker notifications (East Suffolk 3.1), subscribers are told of entries added and removed.
// The cursor is kept in the lifecycle store, so whichever instance runs the watch next carries on from it. The
// first run reads the whole register once as its starting point.
import { purgeDate } from "../../../../core/src/rules/dates";
import type { RegisterEntry } from "../../../../core/src/domain";
import { AlreadyExistsError, ConcurrencyError } from "../../ports/errors";
import type { LifecycleContext } from "./context";
import type { NotificationService } from "./notifications";

export const REGISTER_CURSOR = "register-cursor";

export class RegisterWatch {
  constructor(private readonly ctx: LifecycleContext, private readonly notifications: NotificationService) {}

  /** The first run: takes the cursor, then records what is on the register now (retention records for removed
   * entries; listed markers, told to nobody, for current ones). Safe to repeat. */
  async ensureBaseline(): Promise<boolean> {
    if (await this.ctx.deps.lifecycle.settings.get(REGISTER_CURSOR)) return false;
    const { cursor } = await this.ctx.deps.stores.register.changesSince(undefined);
    for await (const subject of this.ctx.deps.stores.subjects.list()) {
      for (const entry of await this.ctx.deps.stores.register.listBySubject(subject.id)) {
        await this.retention(entry);
        if (this.notifications.enabled() && entry.status !== "removed") {
          await this.notifications.baseline({ id: entry.id, subjectId: entry.subjectId, reference: entry.reference, listed: true });
        }
      }
    }
    try {
      await this.ctx.deps.lifecycle.settings.create({ id: REGISTER_CURSOR, value: cursor, updatedAt: this.ctx.nowIso() });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    return true;
  }

  /** One pass over the changes since the saved cursor. */
  async sync(): Promise<{ subjects: number; queued: number; baseline: boolean }> {
    if (await this.ensureBaseline()) return { subjects: 0, queued: 0, baseline: true };
    const setting = (await this.ctx.deps.lifecycle.settings.get(REGISTER_CURSOR))!;
    const { subjectIds, cursor } = await this.ctx.deps.stores.register.changesSince(setting.value);
    const subjects = [...new Set(subjectIds)];
    let queued = 0;
    for (const subjectId of subjects) {
      const entries = await this.ctx.deps.stores.register.listBySubject(subjectId);
      for (const entry of entries) await this.retention(entry);
      queued += await this.notifications.reconcileSubject(subjectId, entries);
    }
    // The cursor moves after the work: a crash in between repeats the pass, which the marker states and retention
    // records make harmless. Another instance saving first means it did the same pass.
    try {
      await this.ctx.deps.lifecycle.settings.update({ ...setting, value: cursor, updatedAt: this.ctx.nowIso() });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    return { subjects: subjects.length, queued, baseline: false };
  }

  private async retention(entry: RegisterEntry): Promise<void> {
    const retention = this.ctx.deps.lifecycle.retention;
    const record = await retention.get(entry.id);
    if (entry.status !== "removed") {
      if (record && record.status === "waiting") await retention.delete(entry.id);
      return;
    }
    if (record) return;
    const removedOn = entry.removedOn ?? entry.updatedAt.slice(0, 10);
    try {
      await retention.create({
        id: entry.id,
        subjectId: entry.subjectId,
        reference: entry.reference,
        removedOn,
        purgeAfter: entry.purgeAfter ?? purgeDate(this.ctx.profile, removedOn),
        status: "waiting",
      });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }
}
