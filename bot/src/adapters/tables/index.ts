// Azure Table Storage stores (Azurite locally): the production implementation of the store ports.
// Tables, keys, concurrency and the change feed are described in docs/storage.md.
import type { Stores } from "../../ports/stores";
import { TableAuditStore } from "./audit";
import { TableCaseStore } from "./cases";
import { TableChangeFeed, type ChangeFeedOptions } from "./changeFeed";
import type { TokenCredential } from "@azure/identity";
import { tableGateways, type RetryOptions, type TableGateway } from "./gateway";
import { TableIncidentStore } from "./incidents";
import { TableReferenceCounter } from "./references";
import { TableRegisterStore } from "./register";
import { TableSubjectStore } from "./subjects";

export { TableAuditStore } from "./audit";
export { TableCaseStore } from "./cases";
export { TableChangeFeed, type ChangeFeedOptions } from "./changeFeed";
export { TableGateway, type RetryOptions, type TokenCredential } from "./gateway";
export { TableIncidentStore } from "./incidents";
export { TableReferenceCounter } from "./references";
export { TableRegisterStore } from "./register";
export { TableSubjectStore } from "./subjects";

/** The tables, by role; each is created as `<tablePrefix><Name>`. */
export const TABLE_NAMES = {
  subjects: "Subjects",
  register: "Register",
  changes: "Changes",
  incidents: "Incidents",
  incidentsBySubject: "IncidentsBySubject",
  cases: "Cases",
  casesByStatus: "CasesByStatus",
  audit: "Audit",
  counters: "Counters",
} as const;
export type TableRole = keyof typeof TABLE_NAMES;

interface CommonOptions {
  /** Letters and digits, starting with a letter (default `calm`): isolates instances and test runs. */
  tablePrefix?: string;
  /** Secret for the HMAC-SHA256 of identifiers in keys (Key Vault in production), 16+ characters. */
  identifierHashKey: string | Buffer;
  /** Bounded retries and a per-attempt timeout; the defaults fail an unreachable store within seconds. */
  retry?: RetryOptions;
  /** Create missing tables at start-up (idempotent). Default true. */
  createTables?: boolean;
  /** Plain http (Azurite). Default: true when the endpoint is http://. */
  allowInsecureConnection?: boolean;
  changeFeed?: ChangeFeedOptions;
  /** Which audit hash chain this instance appends to (default "main"; docs/security.md "Audit chain"). */
  auditChainId?: string;
  /** Batching of audit writes (TableAuditOptions): worth raising only behind the audit spool. */
  auditLingerMs?: number;
}

export type TableStoresOptions = CommonOptions &
  (
    | { /** Azurite or a dev account. */ connectionString: string }
    | { /** `https://<account>.table.core.windows.net` */ tableEndpoint: string; /** Managed identity in production. */ credential: TokenCredential }
  );

/** Stores plus what a composition root or a housekeeping job may want beyond the ports. */
export interface TableStores extends Stores {
  subjects: TableSubjectStore;
  register: TableRegisterStore;
  incidents: TableIncidentStore;
  cases: TableCaseStore;
  audit: TableAuditStore;
  references: TableReferenceCounter;
  changeFeed: TableChangeFeed;
  tableNames: Record<TableRole, string>;
}

function hashKeyBuffer(key: string | Buffer): Buffer {
  const buffer = typeof key === "string" ? Buffer.from(key, "utf8") : key;
  if (buffer.length < 16) {
    throw new TypeError("The identifier hash key is too short: use at least 16 characters (a random secret from Key Vault in production).");
  }
  return buffer;
}

/** Builds the table stores and (by default) creates any missing table. Fails with StoreUnavailableError
 * if the storage account cannot be reached. */
export async function createTableStores(options: TableStoresOptions): Promise<TableStores> {
  const { prefix, gateway } = tableGateways(options);
  const hashKey = hashKeyBuffer(options.identifierHashKey);
  const tableNames = Object.fromEntries(
    Object.entries(TABLE_NAMES).map(([role, name]) => [role, `${prefix}${name}`]),
  ) as Record<TableRole, string>;
  const g = Object.fromEntries(Object.entries(TABLE_NAMES).map(([role, name]) => [role, gateway(name)])) as Record<TableRole, TableGateway>;
  if (options.createTables ?? true) {
    await Promise.all(Object.values(g).map((t) => t.ensureTable()));
  }
  const changeFeed = new TableChangeFeed(g.changes, options.changeFeed);
  return {
    subjects: new TableSubjectStore(g.subjects, hashKey),
    register: new TableRegisterStore(g.register, changeFeed),
    incidents: new TableIncidentStore(g.incidents, g.incidentsBySubject),
    cases: new TableCaseStore(g.cases, g.casesByStatus),
    audit: new TableAuditStore(g.audit, { chainId: options.auditChainId, lingerMs: options.auditLingerMs }),
    references: new TableReferenceCounter(g.counters),
    changeFeed,
    tableNames,
  };
}
