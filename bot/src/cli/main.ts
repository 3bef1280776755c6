// `calm`: the admin command line. bin/calm.js registers tsx and calls `main`, so `npx calm …` works from the
// project root without a build. Exit codes: 0 done, 1 not valid / unexpected failure, 2 wrong usage.

import { readFileSync } from "node:fs";
import { COMMANDS } from "./commands";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from "./types";

export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(`${text}\n`),
    stderr: (text) => void process.stderr.write(`${text}\n`),
    readFile: (path) => readFileSync(path, "utf8"),
    cwd: process.cwd(),
  };
}

function usageLines(commands: Command[]): string[] {
  return [
    "Usage: calm <command> [arguments]",
    "",
    ...commands.flatMap((c) => [`  calm ${[...c.path, c.args].filter((s) => s.length > 0).join(" ")}`, `      ${c.summary}`]),
  ];
}

/** The command whose path is the longest prefix of argv. */
function findCommand(argv: string[], commands: Command[]): Command | undefined {
  const matches = commands.filter((c) => c.path.every((word, i) => argv[i] === word));
  return matches.sort((a, b) => b.path.length - a.path.length)[0];
}

export async function main(argv: string[], io: CliIo = nodeIo(), commands: Command[] = COMMANDS): Promise<number> {
  if (argv.length === 1 && ["help", "--help", "-h"].includes(argv[0]!)) {
    for (const line of usageLines(commands)) io.stdout(line);
    return EXIT_OK;
  }
  const command = findCommand(argv, commands);
  if (!command) {
    const group = commands.filter((c) => argv.length > 0 && c.path[0] === argv[0]);
    const said = argv.length === 0 ? "no command given" : `unknown command "${argv.join(" ")}"`;
    io.stderr(`calm: ${said}. Run \`npx calm help\` to see the commands.`);
    for (const line of usageLines(group.length > 0 ? group : commands)) io.stderr(line);
    return EXIT_USAGE;
  }
  try {
    return await command.run(argv.slice(command.path.length), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`calm ${command.path.join(" ")}: ${error.message}`);
      return EXIT_USAGE;
    }
    io.stderr(`calm ${command.path.join(" ")}: failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_INVALID;
  }
}
