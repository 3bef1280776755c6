// What the case service tells the decision body's channel (issue 3 item 3). Implemented by the Teams adapter
// (proactive messages with 429 backoff); a no-op where no channel is set up. A notification failing never undoes
// the write that caused it: the case is saved, and the card can be posted again.
import type { Case } from "../../../core/src/domain";

export interface CaseNotifier {
  /** A case was referred (or a ratification case opened): post its vote card to the channel. */
  caseOpened(c: Case): Promise<void>;
  /** The ballot or the case changed: update the posted card in place. */
  caseChanged(caseId: string): Promise<void>;
}

export const silentNotifier: CaseNotifier = {
  caseOpened: async () => undefined,
  caseChanged: async () => undefined,
};
