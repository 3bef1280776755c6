// `calm audit verify` and `calm sar export` (issue 8 items 3 and 4): for the DPO and IT, against the storage in
// the environment (the same settings as the server: STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT;
// bot/src/config.ts reads them).
import { writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import type { BlobStore } from "../ports/blobs";
import type { AuditVerification, Stores } from "../ports/stores";
import type { Clock, IdGenerator } from "../ports/system";
import { lifecycleCollections, SubjectAccessService, type SubjectRecordSource } from "../services/subjectAccess";
import { parseArgs } from "./args";
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo, type Command } from "./types";

export interface SecurityCliDeps {
  /** The stores the server uses; undefined when no storage is configured (memory would show nothing). */
  openStores(): Promise<{ stores: Stores; blobs?: BlobStore; collections?: Record<string, SubjectRecordSource> } | undefined>;
  writeFile(path: string, data: Buffer): void;
  clock: Clock;
  ids: IdGenerator;
  /** Who is running the command, for the audit log. */
  whoAmI(): string;
}

const NO_STORAGE = "no storage is configured. Set STORAGE_CONNECTION_STRING (or STORAGE_TABLE_ENDPOINT with a managed identity) to the storage the server uses, then run it again.";

function printVerification(io: CliIo, result: AuditVerification): void {
  io.stdout(result.intact ? "Audit log intact." : "AUDIT LOG NOT INTACT.");
  io.stdout(`Checked ${result.events} events in ${result.chains.length} chain${result.chains.length === 1 ? "" : "s"} at ${result.checkedAt}.`);
  for (const c of result.chains) io.stdout(`  chain ${c.chainId}: ${c.events} events, head ${c.headSeq} ${c.headHash.slice(0, 16)}…`);
  if (result.repaired !== undefined) io.stdout(`Restored ${result.repaired} missing listing cop${result.repaired === 1 ? "y" : "ies"} from the chain.`);
  if (result.problemCount > 0) {
    io.stdout(`${result.problemCount} problem${result.problemCount === 1 ? "" : "s"}${result.problemCount > result.problems.length ? ` (first ${result.problems.length} shown)` : ""}:`);
    for (const p of result.problems) io.stdout(`  [${p.kind}] ${p.message}`);
    io.stdout("Keep a copy of this output: it is evidence. Tell the Information Asset Owner and IT security.");
  }
}

export function securityCommands(deps: SecurityCliDeps): Command[] {
  return [
    {
      path: ["audit", "verify"],
      args: "[--repair] [--json]",
      summary: "Check that the audit log's hash chain is intact and name any event that was changed, deleted or added. Exit 0 intact, 1 not.",
      async run(args, io) {
        const parsed = parseArgs(args.map((a) => (a === "--repair" || a === "--json" ? `${a}=yes` : a)), ["repair", "json"]);
        if (parsed.positional.length > 0) throw new UsageError("takes no arguments. Usage: calm audit verify [--repair] [--json]");
        const opened = await deps.openStores();
        if (!opened) throw new UsageError(NO_STORAGE);
        const result = await opened.stores.audit.verify({ repair: parsed.options.has("repair") });
        await opened.stores.audit.append({
          id: deps.ids.next(),
          at: deps.clock.now().toISOString(),
          actorId: deps.whoAmI(),
          action: "view",
          surface: "cli",
          what: ["audit-chain-check", `intact:${result.intact}`, `events:${result.events}`, `problems:${result.problemCount}`],
        });
        if (parsed.options.has("json")) io.stdout(JSON.stringify(result, null, 2));
        else printVerification(io, result);
        return result.intact ? EXIT_OK : EXIT_INVALID;
      },
    },
    {
      path: ["sar", "export"],
      args: "<subject id | email | phone> [--out file.zip] [--by name]",
      summary: "Write one archive of everything held about a person for a subject access request (audited).",
      async run(args, io) {
        const parsed = parseArgs(args, ["out", "by"]);
        if (parsed.positional.length !== 1) throw new UsageError("expected the subject's id, email address or phone number. Usage: calm sar export <subject> [--out file.zip] [--by name]");
        const opened = await deps.openStores();
        if (!opened) throw new UsageError(NO_STORAGE);
        const service = new SubjectAccessService({
          stores: opened.stores,
          blobs: opened.blobs,
          collections: opened.collections,
          clock: deps.clock,
          ids: deps.ids,
          logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        });
        const resolved = await service.resolve(parsed.positional[0]!);
        if (!resolved.ok) {
          io.stderr(`calm sar export: ${resolved.message}`);
          for (const id of resolved.candidates ?? []) io.stderr(`  ${id}`);
          return EXIT_INVALID;
        }
        const actor = parsed.options.get("by") ?? deps.whoAmI();
        const outcome = await service.export(actor, resolved.subjectId, "cli");
        if (!outcome.ok) {
          io.stderr(`calm sar export: ${outcome.message}`);
          return EXIT_INVALID;
        }
        const out = resolve(io.cwd, parsed.options.get("out") ?? outcome.fileName);
        deps.writeFile(out, outcome.zip);
        io.stdout(`Wrote ${out}: ${outcome.files} files, ${outcome.zip.length} bytes, SHA-256 ${outcome.sha256}.`);
        io.stdout("The export is recorded in the audit log. Review the archive (README.txt) before releasing anything: it contains other people's data.");
        return EXIT_OK;
      },
    },
  ];
}

/** The commands wired to the real environment: config from process.env (config.ts), the server's stores. */
export function defaultSecurityCommands(): Command[] {
  return securityCommands({
    async openStores() {
      // Loaded on use, not at the top, so `calm policy …` never pays for the storage SDKs (half a second). The
      // CLI runs under tsx's require hook (bin/calm.js), which dynamic import() would bypass.
      /* eslint-disable @typescript-eslint/no-require-imports -- lazy load, see above */
      const { loadConfig } = require("../config") as typeof import("../config");
      const { storesFor, blobsFor, lifecycleStoresFor } = require("../index") as typeof import("../index");
      const { createLogger } = require("../adapters/system/logger") as typeof import("../adapters/system/logger");
      /* eslint-enable @typescript-eslint/no-require-imports */
      const config = loadConfig();
      if (config.storage.kind === "memory") return undefined;
      // Straight to storage, never through the audit spool: the spool's folder belongs to the running server.
      const { stores } = await storesFor({ ...config, auditSpoolDir: undefined }, createLogger("warn"));
      return { stores, blobs: await blobsFor(config), collections: lifecycleCollections(await lifecycleStoresFor(config)) };
    },
    writeFile: (path, data) => writeFileSync(path, data, { mode: 0o600 }),
    clock: { now: () => new Date() },
    ids: { next: () => crypto.randomUUID() },
    whoAmI: () => `cli:${userInfo().username}`,
  });
}
