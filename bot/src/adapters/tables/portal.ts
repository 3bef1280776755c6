// The staff portal's tables (docs/storage.md "Portal"):
//   <prefix>AccessGrants  PartitionKey "grant", RowKey = the grant id. One partition: a council keeps tens of
//                         grants, and the whole list is read at once (to feed the access rule).
// Recorded contact is kept in the lifecycle table's `contacts` partition (adapters/tables/lifecycle.ts), shared
// with reviews, retention and subject access exports.
// Keys hold ids only, never a note's text or anyone's name.
import { odata } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import type { AccessGrant } from "../../../../core/src/domain";
import type { ContactRecord } from "../../ports/lifecycle";
import type { AccessGrantStore, PortalStores } from "../../ports/portal";
import { contactsFromCollection } from "../../services/portal/contacts";
import { LIFECYCLE_ENTITIES, LIFECYCLE_TABLE_NAME, TableCollection } from "./lifecycle";
import { decodeRecord, encodeRecord } from "./codec";
import { requireEtag, type StoreErrorContext } from "./errors";
import { tableGateways, TableGateway, type RetryOptions, type StoredRow } from "./gateway";
import { keyPart } from "./keys";

const GRANTS = "grant";

function ctx(operation: string, entity: string, id: string): StoreErrorContext {
  return { operation: `portal.${operation}`, entity, id };
}

function withEtag<T>(row: StoredRow): T & { etag: string } {
  return { ...decodeRecord<T>(row), etag: row.etag };
}

/** Oldest first, then by id. Shared with the memory store. */
export function byGrantedAt(a: AccessGrant, b: AccessGrant): number {
  return a.grantedAt < b.grantedAt ? -1 : a.grantedAt > b.grantedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class TableAccessGrantStore implements AccessGrantStore {
  constructor(private readonly table: TableGateway) {}

  async get(id: string): Promise<AccessGrant | undefined> {
    const row = await this.table.get(GRANTS, keyPart("access grant", id), ctx("grants.get", "access grant", id));
    return row ? withEtag<AccessGrant>(row) : undefined;
  }

  async create(grant: AccessGrant): Promise<AccessGrant> {
    const props = encodeRecord("access grant", grant.id, grant);
    const etag = await this.table.create({ partitionKey: GRANTS, rowKey: keyPart("access grant", grant.id), ...props }, ctx("grants.create", "access grant", grant.id));
    return { ...decodeRecord<AccessGrant>(props), etag };
  }

  async update(grant: AccessGrant): Promise<AccessGrant> {
    const c = ctx("grants.update", "access grant", grant.id);
    const expected = requireEtag("access grant", grant.id, grant.etag);
    const props = encodeRecord("access grant", grant.id, grant);
    const etag = await this.table.replace({ partitionKey: GRANTS, rowKey: keyPart("access grant", grant.id), ...props }, expected, c);
    return { ...decodeRecord<AccessGrant>(props), etag };
  }

  async list(): Promise<AccessGrant[]> {
    const out: AccessGrant[] = [];
    for await (const row of this.table.query(odata`PartitionKey eq ${GRANTS}`, ctx("grants.list", "access grant", "*"))) out.push(withEtag<AccessGrant>(row));
    return out.sort(byGrantedAt);
  }
}

export const PORTAL_TABLE_NAMES = { grants: "AccessGrants", lifecycle: LIFECYCLE_TABLE_NAME } as const;

export type PortalTableStoresOptions = {
  tablePrefix?: string;
  retry?: RetryOptions;
  createTables?: boolean;
  allowInsecureConnection?: boolean;
} & ({ connectionString: string } | { tableEndpoint: string; credential: TokenCredential });

export async function createPortalTableStores(options: PortalTableStoresOptions): Promise<PortalStores & { tableNames: Record<keyof typeof PORTAL_TABLE_NAMES, string> }> {
  const { gateway } = tableGateways(options);
  const grants = gateway(PORTAL_TABLE_NAMES.grants);
  const lifecycle = gateway(PORTAL_TABLE_NAMES.lifecycle);
  if (options.createTables ?? true) await Promise.all([grants.ensureTable(), lifecycle.ensureTable()]);
  return {
    grants: new TableAccessGrantStore(grants),
    contacts: contactsFromCollection(new TableCollection<ContactRecord>(lifecycle, "contacts", LIFECYCLE_ENTITIES.contacts)),
    tableNames: { grants: grants.tableName, lifecycle: lifecycle.tableName },
  };
}
