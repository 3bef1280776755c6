// Small things tests wait for or clean up after: a condition that becomes true in its own time, and temporary
// folders that go when the suite ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Polls `check` every `everyMs` until it passes (true) or `ms` runs out (false); a check that throws counts as not yet. */
export async function eventually(ms: number, check: () => boolean | Promise<boolean>, everyMs = 100): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await Promise.resolve().then(check).catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/** Makes temporary folders (`<tmp>/<prefix>XXXXXX`) and removes every one it made; call `removeAll` in `after`. */
export function temporaryFolders(): { make(prefix: string): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make(prefix) {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
