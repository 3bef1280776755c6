// A small, strict argument parser: positional arguments and `--name value` / `--name=value` options. Anything
// not declared is a usage error, so a typo never silently changes an answer.

import { UsageError } from "./types";

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
}

export function parseArgs(args: string[], allowedOptions: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!allowedOptions.includes(name)) {
      const known = allowedOptions.length > 0 ? ` Options: ${allowedOptions.map((o) => `--${o}`).join(", ")}.` : "";
      throw new UsageError(`unknown option --${name}.${known}`);
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value.length === 0 || (eq < 0 && value.startsWith("--"))) {
      throw new UsageError(`--${name} needs a value.`);
    }
    if (options.has(name)) throw new UsageError(`--${name} is given twice. Give it once.`);
    options.set(name, value);
  }
  return { positional, options };
}

export function expectPositional(parsed: ParsedArgs, count: number, usage: string): string[] {
  if (parsed.positional.length !== count) {
    throw new UsageError(`expected ${count} argument${count === 1 ? "" : "s"}, got ${parsed.positional.length}. Usage: calm ${usage}`);
  }
  return parsed.positional;
}
