// The shape every `calm` command shares, so new commands (`calm audit verify`, `calm sar export`) slot into the
// table in commands.ts without touching the dispatcher.

/** Where a command reads and writes. Tests pass a fake; main.ts passes the real process. */
export interface CliIo {
  /** Writes text and a newline to standard output. */
  stdout(text: string): void;
  /** Writes text and a newline to standard error. */
  stderr(text: string): void;
  /** Reads a UTF-8 file, relative to `cwd`. Throws as fs does. */
  readFile(path: string): string;
  cwd: string;
}

export interface Command {
  /** The words that select the command, e.g. ["policy", "explain"]. */
  path: string[];
  /** Arguments after the path, for the usage line: "<preset|file.json> --decided YYYY-MM-DD". */
  args: string;
  summary: string;
  /** Runs with the arguments after the path; returns the exit code. */
  run(args: string[], io: CliIo): number | Promise<number>;
}

/** Exit codes: 0 done; 1 the input was checked and is not valid (or something unexpected failed); 2 the
 * command was used wrongly (unknown preset, bad date, missing option). */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: one line on stderr, exit 2. */
export class UsageError extends Error {
  readonly code = "CLI_USAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
