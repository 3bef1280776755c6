// In-memory access grants, and recorded contact over a memory lifecycle collection: same keys, limits, copies and
// errors as the table stores (bot/src/adapters/tables/portal.ts), for unit tests and a memory-backed server.
import type { AccessGrant } from "../../../../core/src/domain";
import type { Collection, ContactRecord } from "../../ports/lifecycle";
import type { AccessGrantStore, PortalStores } from "../../ports/portal";
import { contactsFromCollection } from "../../services/portal/contacts";
import { byGrantedAt } from "../tables/portal";
import { keyPart } from "../tables/keys";
import { LIFECYCLE_ENTITIES } from "../tables/lifecycle";
import { MemoryCollection } from "./lifecycle";
import { MemoryRecords } from "./records";

export class MemoryAccessGrantStore implements AccessGrantStore {
  private readonly records = new MemoryRecords<AccessGrant>("access grant");

  async get(id: string): Promise<AccessGrant | undefined> {
    return Promise.resolve(this.records.read(keyPart("access grant", id)));
  }

  async create(grant: AccessGrant): Promise<AccessGrant> {
    return Promise.resolve(this.records.create(keyPart("access grant", grant.id), grant.id, grant));
  }

  async update(grant: AccessGrant): Promise<AccessGrant> {
    return Promise.resolve(this.records.replace(keyPart("access grant", grant.id), grant.id, grant, grant.etag));
  }

  async list(): Promise<AccessGrant[]> {
    return Promise.resolve(this.records.list().sort(byGrantedAt));
  }
}

/** `contacts`: the lifecycle stores' contacts collection, when the server has one, so both features share it. */
export function createMemoryPortalStores(contacts?: Collection<ContactRecord>): PortalStores {
  return {
    grants: new MemoryAccessGrantStore(),
    contacts: contactsFromCollection(contacts ?? new MemoryCollection<ContactRecord>(LIFECYCLE_ENTITIES.contacts)),
  };
}
