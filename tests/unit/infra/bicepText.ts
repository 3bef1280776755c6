// Reads Bicep as text, because the Bicep CLI is not on the test machines. Enough structure for the infra tests:
// parameters with their decorators, outputs, modules and the parameters they are given, and object blocks.
import { readFileSync } from "node:fs";
import path from "node:path";

export const INFRA = path.resolve(__dirname, "../../../infra");

export interface BicepParam {
  name: string;
  type: string;
  decorators: string[];
  hasDefault: boolean;
  line: number;
}

export function readInfra(relative: string): string {
  return readFileSync(path.join(INFRA, relative), "utf8");
}

export function params(text: string): BicepParam[] {
  const lines = text.split(/\r?\n/);
  const found: BicepParam[] = [];
  lines.forEach((line, i) => {
    const match = /^param\s+(\w+)\s+(\w+)(\s*=.*)?$/.exec(line.trim());
    if (!match) return;
    const decorators: string[] = [];
    let j = i - 1;
    while (j >= 0) {
      const t = lines[j]!.trim();
      if (t.startsWith("@")) {
        decorators.unshift(t);
        j--;
      } else if (t === "])") {
        // A multi-line decorator such as @allowed([ ... ]).
        let k = j;
        while (k >= 0 && !lines[k]!.trim().startsWith("@")) k--;
        if (k < 0) break;
        decorators.unshift(lines.slice(k, j + 1).map((l) => l.trim()).join(" "));
        j = k - 1;
      } else {
        break;
      }
    }
    found.push({ name: match[1]!, type: match[2]!, decorators, hasDefault: Boolean(match[3]), line: i + 1 });
  });
  return found;
}

export function outputs(text: string): string[] {
  return [...text.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map((m) => m[1]!);
}

/** The text of the `{ ... }` block that opens at or after `from`, braces balanced (strings are ignored). */
export function blockAfter(text: string, from: number): string {
  const open = text.indexOf("{", from);
  if (open < 0) throw new Error("no block");
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" && text[i - 1] !== "\\") inString = !inString;
    if (inString) continue;
    if (c === "{") depth++;
    if (c === "}") {
      depth--;
      if (depth === 0) return text.slice(open, i + 1);
    }
  }
  throw new Error("unbalanced braces");
}

/** The body of a `resource <symbol> '<type>@<version>' = ...` declaration. */
export function resourceBlock(text: string, symbol: string): string {
  const stripped = code(text);
  const at = stripped.search(new RegExp(`^resource\\s+${symbol}\\s+'`, "m"));
  if (at < 0) throw new Error(`resource ${symbol} not found`);
  return blockAfter(stripped, at);
}

export function resourceType(text: string, symbol: string): string {
  const match = new RegExp(`^resource\\s+${symbol}\\s+'([^'@]+)@`, "m").exec(text);
  if (!match) throw new Error(`resource ${symbol} not found`);
  return match[1]!;
}

export interface ModuleUse {
  symbol: string;
  file: string;
  params: string[];
}

/** Top-level keys of an object block (one level deep only). */
export function topLevelKeys(block: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let inString = false;
  let lineStart = true;
  for (let i = 0; i < block.length; i++) {
    const c = block[i]!;
    if (c === "'" && block[i - 1] !== "\\") inString = !inString;
    if (!inString) {
      if (c === "{" || c === "[" || c === "(") depth++;
      if (c === "}" || c === "]" || c === ")") depth--;
    }
    if (c === "\n") {
      lineStart = true;
      continue;
    }
    if (lineStart && depth === 1 && !inString) {
      const rest = block.slice(i).match(/^\s*([A-Za-z_]\w*)\s*:/);
      if (rest) keys.push(rest[1]!);
      lineStart = false;
    }
  }
  return keys;
}

export function modules(source: string): ModuleUse[] {
  const text = code(source);
  return [...text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=/gm)].map((m) => {
    const body = blockAfter(text, m.index);
    const paramsAt = body.search(/^\s*params:\s*\{/m);
    const paramBlock = paramsAt >= 0 ? blockAfter(body, paramsAt) : "{}";
    return { symbol: m[1]!, file: m[2]!, params: topLevelKeys(paramBlock) };
  });
}

/** Names and values of the app settings `{ name: 'X' value: ... }` declared in a Bicep text. */
export function appSettingNames(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const m of text.matchAll(/name:\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*\n\s*value:\s*(.+)/g)) settings.set(m[1]!, m[2]!.trim());
  return settings;
}

/** Strips `//` comments so assertions look at code only. */
export function code(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length - 1; i++) {
        if (line[i] === "'" && line[i - 1] !== "\\") inString = !inString;
        if (!inString && line[i] === "/" && line[i + 1] === "/") return line.slice(0, i);
      }
      return line;
    })
    .join("\n");
}
