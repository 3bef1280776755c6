// Idempotent creates (docs/api.md "Conventions"): a form sends one Idempotency-Key for all its attempts, and a
// repeat (a double click, a retry after a timeout) gets the first answer back instead of a second warning, letter
// or appeal. The first answer is kept for a day in the lifecycle settings, keyed by caller, action and key.
import { createHash } from "node:crypto";
import { AlreadyExistsError } from "../../ports/errors";
import type { LifecycleContext } from "./context";

const KEPT_MS = 24 * 3600_000;
const PREFIX = "idem:";

export interface Remembered {
  status: number;
  json: unknown;
  duplicate: boolean;
}

export class Idempotency {
  constructor(private readonly ctx: LifecycleContext) {}

  private id(callerId: string, action: string, key: string): string {
    // Hashed: the key is the caller's own string, and ids must fit a table key.
    return PREFIX + createHash("sha256").update(`${callerId}\u0000${action}\u0000${key}`).digest("base64url");
  }

  /** Runs `create` once per (caller, action, key); a repeat returns the first answer with `duplicate: true`. */
  async once(callerId: string, action: string, key: string, create: () => Promise<{ status: number; json: unknown }>): Promise<Remembered> {
    const settings = this.ctx.deps.lifecycle.settings;
    const id = this.id(callerId, action, key);
    const seen = await settings.get(id);
    if (seen && Date.parse(seen.updatedAt) > this.ctx.now().getTime() - KEPT_MS) return { ...(JSON.parse(seen.value) as { status: number; json: unknown }), duplicate: true };
    const answer = await create();
    // Only successes are remembered: a refusal can be put right and sent again with the same key.
    if (answer.status < 300) {
      try {
        if (seen) await settings.update({ ...seen, value: JSON.stringify(answer), updatedAt: this.ctx.nowIso() });
        else await settings.create({ id, value: JSON.stringify(answer), updatedAt: this.ctx.nowIso() });
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
    return { ...answer, duplicate: false };
  }

  /** Drops answers older than a day (the scheduler's housekeeping). */
  async prune(): Promise<number> {
    const cutoff = new Date(this.ctx.now().getTime() - KEPT_MS).toISOString();
    let n = 0;
    for (const s of await this.ctx.deps.lifecycle.settings.find()) {
      if (s.id.startsWith(PREFIX) && s.updatedAt < cutoff) {
        await this.ctx.deps.lifecycle.settings.delete(s.id);
        n++;
      }
    }
    return n;
  }
}
