// The dispatcher with a fake command table: how `calm audit verify` and the like will plug in.
import assert from "node:assert/strict";
import { main } from "../../../bot/src/cli/main";
import { UsageError, type CliIo, type Command } from "../../../bot/src/cli/types";

function fakeIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readFile: () => "", cwd: "/" };
}

describe("cli: dispatcher", () => {
  const seen: string[][] = [];
  const commands: Command[] = [
    { path: ["audit", "verify"], args: "", summary: "Verify the audit chain.", run: (args) => (seen.push(args), 0) },
    { path: ["audit"], args: "", summary: "Audit summary.", run: () => 0 },
    { path: ["sar", "export"], args: "<subject>", summary: "Export.", run: () => Promise.resolve(1) },
    { path: ["boom"], args: "", summary: "Fails.", run: () => { throw new Error("disk on fire"); } },
    { path: ["misuse"], args: "", summary: "Usage error.", run: () => { throw new UsageError("say it properly."); } },
  ];

  it("runs the command with the longest matching path and passes the rest of the arguments", async () => {
    const io = fakeIo();
    assert.equal(await main(["audit", "verify", "--from", "2026-01-01"], io, commands), 0);
    assert.deepEqual(seen.pop(), ["--from", "2026-01-01"]);
  });

  it("awaits asynchronous commands and returns their exit code", async () => {
    assert.equal(await main(["sar", "export", "SUBJ-1"], fakeIo(), commands), 1);
  });

  it("turns a UsageError into one line and exit 2", async () => {
    const io = fakeIo();
    assert.equal(await main(["misuse"], io, commands), 2);
    assert.deepEqual(io.err, ["calm misuse: say it properly."]);
  });

  it("reports an unexpected failure and exits 1", async () => {
    const io = fakeIo();
    assert.equal(await main(["boom"], io, commands), 1);
    assert.match(io.err[0]!, /failed unexpectedly: disk on fire/);
  });

  it("shows the group's commands for an unknown subcommand", async () => {
    const io = fakeIo();
    assert.equal(await main(["sar", "import"], io, commands), 2);
    assert.match(io.err.join("\n"), /calm sar export <subject>/);
    assert.doesNotMatch(io.err.join("\n"), /audit verify/);
  });
});
