// Storage ports of the staff portal (issue 4): access grants and recorded contact.
//
// Rules every implementation keeps (as in stores.ts): `create`/`add` never overwrite (AlreadyExistsError);
// `update` carries the etag it read (ConcurrencyError if stale); reads return copies; unreachable storage is
// StoreUnavailableError. Both run the contract suite in tests/contract/portalStoreContract.ts.
import type { AccessGrant, ContactNote, IsoDateTime } from "../../../core/src/domain";

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

/** Positive, neutral or breach contact recorded against a register entry (East Suffolk 4.7): an input to its
 * next review. */
export interface RecordedContact extends ContactNote {
  id: string;
  entryId: string;
  subjectId: string;
  recordedAt: IsoDateTime;
}

export interface ContactNoteStore {
  add(note: RecordedContact): Promise<RecordedContact>;
  /** Notes on one entry, oldest first (by `at`, then id). */
  listByEntry(entryId: string): Promise<RecordedContact[]>;
}

export interface PortalStores {
  grants: AccessGrantStore;
  contacts: ContactNoteStore;
}
