// Storage ports of the staff portal (issue 4): access grants, and the portal's view of recorded contact.
//
// Rules every implementation keeps (as in stores.ts): `create`/`add` never overwrite (AlreadyExistsError);
// `update` carries the etag it read (ConcurrencyError if stale); reads return copies; unreachable storage is
// StoreUnavailableError. Both run the contract suite in tests/contract/portalStoreContract.ts.
import type { AccessGrant } from "../../../core/src/domain";
import type { ContactRecord } from "./lifecycle";

/** Who may see the register, at which tiers, why, and who said so (Dorset 7.1-7.2). A grant is never deleted:
 * revoking it sets `revokedAt`, so the record of who had access stays. */
export interface AccessGrantStore {
  get(id: string): Promise<AccessGrant | undefined>;
  create(grant: AccessGrant): Promise<AccessGrant>;
  /** Replaces the grant read with `etag` (revocation). */
  update(grant: AccessGrant): Promise<AccessGrant>;
  /** Every grant, revoked ones included, oldest first. Councils hold tens of grants, not thousands. */
  list(): Promise<AccessGrant[]>;
}

/** Positive or neutral contact recorded against a register entry (East Suffolk 4.7): an input to its next
 * review. The record is the lifecycle feature's ContactRecord (ports/lifecycle.ts), kept in its `contacts`
 * collection, so reviews, retention purges and subject access exports see every note wherever it was recorded. */
export type RecordedContact = ContactRecord;

export interface ContactNoteStore {
  add(note: RecordedContact): Promise<RecordedContact>;
  /** Notes on one entry, oldest first (by `at`, then id). */
  listByEntry(entryId: string): Promise<RecordedContact[]>;
}

export interface PortalStores {
  grants: AccessGrantStore;
  contacts: ContactNoteStore;
}
