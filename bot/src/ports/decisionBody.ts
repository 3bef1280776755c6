// Who sits on the decision body (DOMAIN.md "Vote and decision"): the people behind the policy's positions.
// The profile names the positions (Dorset 4.3: six, the Service Manager for Assurance chairs); this store says
// which member of staff holds each one, and who is the named deputy for emergency additions (Dorset 4.13.2).
// Membership decides who may vote: a role alone is not enough.
//
// Rules every implementation keeps (tests/contract/botStoreContract.ts): reads return copies; `put` replaces the
// seat of the same user (the administrator's latest word wins); `remove` of a missing seat is not an error;
// unreachable storage is StoreUnavailableError.
import type { IsoDateTime } from "../../../core/src/domain";

export const SEAT_CAPACITIES = ["chair", "member", "emergency-deputy"] as const;
/** `chair` and `member` vote; `emergency-deputy` does not vote, but may make an emergency addition when the
 * chair is absent (Dorset 4.13.2: the Director for Legal and Democratic). */
export type SeatCapacity = (typeof SEAT_CAPACITIES)[number];

export interface DecisionBodySeat {
  /** Entra object id (or a persona id locally). */
  userId: string;
  displayName: string;
  email?: string;
  capacity: SeatCapacity;
  /** The position held, by the profile's member id (`decisionBody.members[].id`), where one is named. */
  positionId?: string;
  updatedAt: IsoDateTime;
  etag?: string;
}

export interface DecisionBodyStore {
  /** Every seat, in user id order. A body has a handful of people. */
  list(): Promise<DecisionBodySeat[]>;
  get(userId: string): Promise<DecisionBodySeat | undefined>;
  put(seat: DecisionBodySeat): Promise<DecisionBodySeat>;
  remove(userId: string): Promise<void>;
}

/** The voting members (chair first), from a list of seats. */
export function votingSeats(seats: DecisionBodySeat[]): DecisionBodySeat[] {
  return seats.filter((s) => s.capacity !== "emergency-deputy").sort((a, b) => (a.capacity === "chair" ? -1 : b.capacity === "chair" ? 1 : a.displayName.localeCompare(b.displayName)));
}
