// Stopping a child process the way `npm start` and the tests expect: SIGTERM, then SIGKILL if it is still running
// after a grace period. Resolves once it has exited (at once if it already had).
import type { ChildProcess } from "node:child_process";

export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => { clearTimeout(timer); resolve(); });
    child.kill("SIGTERM");
  });
}
