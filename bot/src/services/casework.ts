// Issue 3's services, built together because they call each other: the register takes decisions, incidents move
// review dates on the register, cases write decisions. Built by createApp when the policy binding carries its
// profile (the rules read it); a test binding without one simply has no casework routes.
import type { PolicyProfile } from "../../../core/src/policy/schema";
import { registerName } from "../../../core/src/policy/describe";
import type { BlobStore } from "../ports/blobs";
import { silentNotifier, type CaseNotifier } from "../ports/caseNotifier";
import type { BotStores, ConversationStore } from "../ports/conversations";
import type { DecisionBodyStore } from "../ports/decisionBody";
import type { Stores } from "../ports/stores";
import type { Clock, IdGenerator, Logger } from "../ports/system";
import type { UserMailReader } from "../ports/userMail";
import { CaseService } from "./cases";
import { IncidentService } from "./incidents";
import { RegisterService } from "./register";

export interface CaseworkDeps {
  stores: Stores;
  blobs: BlobStore;
  botStores: BotStores;
  profile: PolicyProfile;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  lookup: { subjectChanged(subjectId: string): Promise<void> };
  notifier?: CaseNotifier;
  sleep?: (ms: number) => Promise<void>;
  /** Emails read from a mailbox as the signed-in person, for "Report this email" (Microsoft Graph on their behalf). */
  mail?: UserMailReader;
}

export interface Casework {
  incidents: IncidentService;
  cases: CaseService;
  register: RegisterService;
  decisionBody: DecisionBodyStore;
  conversations: ConversationStore;
  profile: PolicyProfile;
  registerName: string;
}

export function createCasework(deps: CaseworkDeps): Casework {
  const register = new RegisterService({ stores: deps.stores, profile: deps.profile, clock: deps.clock, ids: deps.ids, logger: deps.logger, lookup: deps.lookup });
  const incidents = new IncidentService({ stores: deps.stores, blobs: deps.blobs, profile: deps.profile, register, clock: deps.clock, logger: deps.logger, lookup: deps.lookup, ...(deps.mail ? { mail: deps.mail } : {}) });
  const cases = new CaseService({
    stores: deps.stores,
    decisionBody: deps.botStores.decisionBody,
    profile: deps.profile,
    register,
    notifier: deps.notifier ?? silentNotifier,
    clock: deps.clock,
    ids: deps.ids,
    logger: deps.logger,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  return { incidents, cases, register, decisionBody: deps.botStores.decisionBody, conversations: deps.botStores.conversations, profile: deps.profile, registerName: registerName(deps.profile) };
}
