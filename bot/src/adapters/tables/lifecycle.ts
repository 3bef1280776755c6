// Lifecycle records on Azure Tables (issue 7; ports in bot/src/ports/lifecycle.ts). One table,
// `<prefix>Lifecycle`, one partition per collection:
//   PartitionKey = collection (`reviews`, `appeals`, `leases`, …), RowKey = the record's escaped id.
// A council's lifecycle records number in the hundreds to a few thousand a year, far inside one partition's
// throughput; `find` is a filtered query inside the partition. Records are encoded by the shared codec (so the
// memory stores hit the same limits), every update is etag-guarded, deletes converge.
import type { TokenCredential } from "@azure/identity";
import { LIFECYCLE_COLLECTIONS, type Collection, type FindValue, type LifecycleStores } from "../../ports/lifecycle";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { tableGateways, TableGateway, type RetryOptions, type StoredRow } from "./gateway";
import { keyPart } from "./keys";

export const LIFECYCLE_TABLE_NAME = "Lifecycle";

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** An OData literal for a `find` value. Only string and boolean fields are stored as themselves (codec.ts). */
function literal(value: FindValue): string {
  return typeof value === "boolean" ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

/** Checks a `find` clause: field names a property can have, values strings or booleans. */
export function assertWhere(entity: string, where: Partial<Record<string, FindValue>>): [string, FindValue][] {
  const clauses = Object.entries(where).filter((e): e is [string, FindValue] => e[1] !== undefined);
  for (const [name, value] of clauses) {
    if (!FIELD_NAME.test(name)) throw new TypeError(`Cannot find ${entity} records by "${name}": not a field name.`);
    if (typeof value !== "string" && typeof value !== "boolean") {
      throw new TypeError(`Cannot find ${entity} records by "${name}": only text and true/false fields can be matched.`);
    }
  }
  return clauses;
}

export class TableCollection<T extends { id: string; etag?: string }> implements Collection<T> {
  constructor(
    private readonly table: TableGateway,
    private readonly partition: string,
    private readonly entity: string,
  ) {}

  private ctx(operation: string, id: string): StoreErrorContext {
    return { operation: `lifecycle.${this.partition}.${operation}`, entity: this.entity, id };
  }

  private decode(row: StoredRow): T {
    return { ...decodeRecord<T>(row), etag: row.etag };
  }

  async get(id: string): Promise<T | undefined> {
    const row = await this.table.get(this.partition, keyPart(this.entity, id), this.ctx("get", id));
    return row ? this.decode(row) : undefined;
  }

  async create(record: T): Promise<T> {
    const props = encodeRecord(this.entity, record.id, record);
    const etag = await this.table.create({ partitionKey: this.partition, rowKey: keyPart(this.entity, record.id), ...props }, this.ctx("create", record.id));
    return { ...decodeRecord<T>(props), etag };
  }

  async update(record: T): Promise<T> {
    const expected = requireEtag(this.entity, record.id, record.etag);
    const props = encodeRecord(this.entity, record.id, record);
    const etag = await this.table.replace({ partitionKey: this.partition, rowKey: keyPart(this.entity, record.id), ...props }, expected, this.ctx("update", record.id));
    return { ...decodeRecord<T>(props), etag };
  }

  async delete(id: string): Promise<void> {
    await this.table.delete(this.partition, keyPart(this.entity, id), this.ctx("delete", id));
  }

  async find(where: Partial<Record<string, FindValue>> = {}): Promise<T[]> {
    const clauses = assertWhere(this.entity, where);
    const filter = [`PartitionKey eq ${literal(this.partition)}`, ...clauses.map(([name, value]) => `${name} eq ${literal(value)}`)].join(" and ");
    const out: T[] = [];
    for await (const row of this.table.query(filter, this.ctx("find", "*"))) out.push(this.decode(row));
    return out;
  }
}

/** How each collection is named in errors ("The review was changed by someone else…"). */
export const LIFECYCLE_ENTITIES: Record<keyof LifecycleStores, string> = {
  warnings: "warning",
  immediateRestrictions: "immediate restriction",
  contacts: "contact note",
  reviews: "review",
  appeals: "appeal",
  letters: "letter",
  retention: "retention record",
  subscriptions: "notification subscription",
  deliveries: "notification delivery",
  markers: "marker state",
  leases: "scheduled job",
  runs: "scheduler run",
  settings: "setting",
};

export type LifecycleTableStoresOptions = {
  /** Letters and digits, starting with a letter (default `calm`), as for the other table stores. */
  tablePrefix?: string;
  retry?: RetryOptions;
  createTables?: boolean;
  allowInsecureConnection?: boolean;
} & ({ connectionString: string } | { tableEndpoint: string; credential: TokenCredential });

export interface LifecycleTableStores extends LifecycleStores {
  tableName: string;
}

export async function createLifecycleTableStores(options: LifecycleTableStoresOptions): Promise<LifecycleTableStores> {
  const tables = tableGateways(options);
  const tableName = `${tables.prefix}${LIFECYCLE_TABLE_NAME}`;
  const gateway = tables.gateway(LIFECYCLE_TABLE_NAME);
  if (options.createTables ?? true) await gateway.ensureTable();
  const stores = Object.fromEntries(
    LIFECYCLE_COLLECTIONS.map((name) => [name, new TableCollection(gateway, name, LIFECYCLE_ENTITIES[name])]),
  ) as unknown as LifecycleStores;
  return { ...stores, tableName };
}
