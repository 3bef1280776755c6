import { randomUUID } from "node:crypto";
import type { Clock, IdGenerator } from "../../ports/system";

export const systemClock: Clock = { now: () => new Date() };
export const uuidIds: IdGenerator = { next: () => randomUUID() };

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  private current: Date;
  constructor(start: string | Date) { this.current = new Date(start); }
  now(): Date { return new Date(this.current); }
  set(at: string | Date): void { this.current = new Date(at); }
  advance(ms: number): void { this.current = new Date(this.current.getTime() + ms); }
}
