// Ports for what happens after someone is listed (issue 7): the warning ladder, contact notes (positive,
// neutral, breach), reviews, appeals, letters, retention, marker notifications and the scheduler's leases.
//
// Every lifecycle store is a `Collection`: records with an id, an etag, and equality queries on their string
// and boolean fields. Two implementations pass one contract suite (tests/contract/lifecycleContract.ts):
// memory (adapters/memory/lifecycle.ts) and Azure Tables (adapters/tables/lifecycle.ts). The rules are the
// ones stores.ts states: create never overwrites (AlreadyExistsError); update carries the etag it read
// (ConcurrencyError if stale, NotFoundError if gone); delete is idempotent; reads return copies.
import type {
  Appeal,
  AppealOutcome,
  ContactNote,
  IncidentCategory,
  IsoDate,
  IsoDateTime,
  Letter,
  NotificationSubscription,
  Restriction,
  Review,
  RiskLevel,
  StaffRef,
  Warning,
  WarningStep,
} from "../../../core/src/domain";

/** Values a `find` can match: the string and boolean fields of a record (others are stored as JSON). */
export type FindValue = string | boolean;

export interface Collection<T extends { id: string; etag?: string }> {
  get(id: string): Promise<T | undefined>;
  create(record: T): Promise<T>;
  /** Replaces the record read with `record.etag`. */
  update(record: T): Promise<T>;
  /** Deleting a missing record is not an error (a retried purge converges). */
  delete(id: string): Promise<void>;
  /** Records whose named fields equal the values given (every record for `{}`), in id order. */
  find(where?: Partial<Record<string, FindValue>>): Promise<T[]>;
}

// ---------------------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------------------

/** What the ladder suggested when a step was recorded (core nextWarningStep). */
export interface LadderSuggestion {
  kind: "warning" | "restrict" | "no-ladder";
  step?: WarningStep;
  label?: string;
  bypassed: boolean;
  source?: string;
}

/** A warning given to a subject (West Oxfordshire Steps 1-3, East Suffolk 4.4, West Lindsey 10-11). */
export interface WarningRecord extends Warning {
  /** The incident category that prompted it, for the bypass rule. */
  category?: IncidentCategory;
  suggested: LadderSuggestion;
  /** Set when staff gave a different step from the one suggested: why. */
  departureReason?: string;
  createdAt: IsoDateTime;
  etag?: string;
}

/** A restriction imposed at once, without warnings (West Lindsey 12.3), with its ground and reason. */
export interface ImmediateRestrictionRecord {
  id: string;
  subjectId: string;
  entryId: string;
  reference: string;
  ground: string;
  groundDescription: string;
  reason: string;
  policeReference?: string;
  by: StaffRef;
  at: IsoDateTime;
  restrictionIds: string[];
  etag?: string;
}

/** Positive or neutral contact (East Suffolk 4.7), or a contact that breached a restriction. */
export interface ContactRecord extends ContactNote {
  id: string;
  entryId: string;
  subjectId: string;
  /** For breaches: the channel the contact came through. */
  channel?: string;
  createdAt: IsoDateTime;
  etag?: string;
}

export interface Variation {
  riskLevel?: RiskLevel;
  restrictions?: Restriction[];
  guidance?: string[];
}

export type ReviewStatus = "open" | "decided" | "closed";

export interface ReviewRecord extends Review {
  subjectId: string;
  /** The entry's opaque reference (`CAL-0042`): what the channel post and the tab show. */
  reference: string;
  status: ReviewStatus;
  openedAt: IsoDateTime;
  /** Who approves the outcome, as the policy names them (`review.approver`), else the decision body. */
  approverName: string;
  approvedOn?: IsoDate;
  /** Minute or meeting reference of the approval. */
  approvalReference?: string;
  recordedBy?: StaffRef;
  suggestion?: { outcome: "remove" | "extend" | "keep"; reasons: string[]; sources: string[] };
  variation?: Variation;
  reasons?: string;
  /** The entry's dates after the outcome. */
  nextReviewOn?: IsoDate;
  expiresOn?: IsoDate;
  /** Whether the policy says the customer is told of this outcome. */
  tellCustomer?: "never" | "where-possible" | "where-appropriate" | "always" | null;
  postedToChannelAt?: IsoDateTime;
  closedReason?: string;
  etag?: string;
}

export type AppealStatus = "received" | "decided" | "withdrawn" | "referred";

export interface AppealRecord extends Appeal {
  subjectId: string;
  reference: string;
  status: AppealStatus;
  /** `complaints-process`: a record of a challenge under a policy with no appeal (West Lindsey 11.4, 17.1). */
  route: "appeal" | "complaints-process";
  /** The last day to appeal under the policy; null where it sets none. */
  windowEndsOn: IsoDate | null;
  inTime: boolean | null;
  lateAcceptedReason?: string;
  /** Ids of the people involved in the original decision: they may not decide (West Oxfordshire, Appeal). */
  involvedIds: string[];
  recordedBy: StaffRef;
  createdAt: IsoDateTime;
  reasons?: string;
  variation?: Variation;
  deciderNote?: string;
  remindersSent: string[];
  ombudsmanReference?: string;
  etag?: string;
}

export interface LetterRecord extends Letter {
  /** Entry reference (`CAL-0042`) or, for a warning before any listing, the subject's letter reference. */
  reference: string;
  title: string;
  reviewId?: string;
  appealId?: string;
  warningId?: string;
  sender: string;
  sizeBytes: number;
  createdAt: IsoDateTime;
  etag?: string;
}

/** Kept when an entry is removed: when its details are due for deletion (East Suffolk 4.7). */
export interface RetentionRecord {
  /** The entry id. */
  id: string;
  subjectId: string;
  reference: string;
  removedOn: IsoDate;
  /** Null where the policy sets no retention period: an administrator purges by hand. */
  purgeAfter: IsoDate | null;
  status: "waiting" | "purged";
  purgedAt?: IsoDateTime;
  purgedBy?: string;
  etag?: string;
}

export interface SubscriptionRecord extends NotificationSubscription {
  /** Signs webhook bodies (HMAC-SHA256). Shown once, when the subscription is made. */
  secret?: string;
  active: boolean;
  createdBy: string;
  createdAt: IsoDateTime;
  etag?: string;
}

export type DeliveryStatus = "pending" | "delivered" | "gave-up";

/** One notification to one subscriber: the delivery log (East Suffolk 3.1). No personal data: a reference
 * and an action. */
export interface DeliveryRecord {
  id: string;
  subscriptionId: string;
  eventId: string;
  reference: string;
  action: "added" | "removed";
  occurredAt: IsoDateTime;
  targetKind: "teams-channel" | "webhook";
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: IsoDateTime;
  lastStatus?: number;
  lastError?: string;
  deliveredAt?: IsoDateTime;
  createdAt: IsoDateTime;
  etag?: string;
}

/** Whether a subscriber has been told an entry is listed: what the marker sync compares against. */
export interface MarkerState {
  /** The entry id. */
  id: string;
  subjectId: string;
  reference: string;
  listed: boolean;
  changedAt: IsoDateTime;
  etag?: string;
}

/** A claim on one piece of scheduled work (`review-due:<entryId>:<date>`): only the owner runs it, until the
 * lease runs out; once done it never runs again. */
export interface JobLease {
  id: string;
  job: string;
  owner: string;
  leaseUntil: IsoDateTime;
  status: "running" | "done" | "failed";
  attempts: number;
  result?: string;
  completedAt?: IsoDateTime;
  etag?: string;
}

export interface JobResult {
  job: string;
  found: number;
  ran: number;
  skipped: number;
  failed: number;
  notes: string[];
}

export interface SchedulerRunRecord {
  /** `latest`. */
  id: string;
  instanceId: string;
  startedAt: IsoDateTime;
  finishedAt: IsoDateTime;
  intervalMs: number;
  nextRunAt: IsoDateTime;
  ok: boolean;
  results: JobResult[];
  etag?: string;
}

/** A small named value (the marker sync's change-feed cursor). */
export interface SettingRecord {
  id: string;
  value: string;
  updatedAt: IsoDateTime;
  etag?: string;
}

export interface LifecycleStores {
  warnings: Collection<WarningRecord>;
  immediateRestrictions: Collection<ImmediateRestrictionRecord>;
  contacts: Collection<ContactRecord>;
  reviews: Collection<ReviewRecord>;
  appeals: Collection<AppealRecord>;
  letters: Collection<LetterRecord>;
  retention: Collection<RetentionRecord>;
  subscriptions: Collection<SubscriptionRecord>;
  deliveries: Collection<DeliveryRecord>;
  markers: Collection<MarkerState>;
  leases: Collection<JobLease>;
  runs: Collection<SchedulerRunRecord>;
  settings: Collection<SettingRecord>;
}

export const LIFECYCLE_COLLECTIONS = [
  "warnings",
  "immediateRestrictions",
  "contacts",
  "reviews",
  "appeals",
  "letters",
  "retention",
  "subscriptions",
  "deliveries",
  "markers",
  "leases",
  "runs",
  "settings",
] as const satisfies readonly (keyof LifecycleStores)[];

// ---------------------------------------------------------------------------------------------------------
// Outbound
// ---------------------------------------------------------------------------------------------------------

/** A post to a Teams channel. Opaque references and actions only: no names, addresses or reasons
 * (EXPERIENCE.md "Notifications and anything that leaves the register"). */
export interface ChannelMessage {
  kind: "review-due" | "appeal-reminder" | "marker" | "scheduler";
  title: string;
  text: string;
  reference?: string;
}

/** Posts to the decision body's channel (no `conversationId`) or to a named channel (a marker subscription).
 * The composition root wires it to the bot's proactive sender. Throws if the post could not be made. */
export interface ChannelNotifier {
  post(message: ChannelMessage, conversationId?: string): Promise<void>;
}

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Sends one signed webhook request. Resolves with the HTTP status; rejects on a network failure or timeout. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<{ status: number }>;
}

// ---------------------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------------------

/** One part of a letter, by the ids the policy's required-contents list uses (core LETTER_PARTS), or a
 * template's own framing ("opening", "closing"). */
export interface LetterSection {
  part: string;
  heading?: string;
  paragraphs: string[];
  bullets?: string[];
}

export interface LetterDraft {
  type: Letter["type"];
  title: string;
  dateText: string;
  reference: string;
  /** The address block, or the "held at reception" note (West Lindsey 11.3). */
  addressLines: string[];
  heldAtReception: boolean;
  salutation: string;
  sections: LetterSection[];
  signOff: string[];
  equalityQuestionnaire: boolean;
  /** Policy parts the letter contains (core LETTER_PARTS ids). */
  presentParts: string[];
  /** Parts this kind of letter cannot do without, whatever the policy lists (a review outcome letter needs the
   * outcome): refused like a policy part when missing. */
  essentialParts: string[];
}

/** Everything a letter template may draw on. Built by the service; composed by the letters adapter. */
export interface LetterContext {
  type: Letter["type"];
  today: IsoDate;
  council: string;
  registerName: string;
  decisionBodyName: string;
  reference: string;
  recipient: { name: string; addressLines: string[]; noFixedAddress: boolean; isPremises: boolean };
  holdAtReception: boolean;
  equalityQuestionnaire: boolean;
  sender: { name: string; role: string | null };
  entry?: {
    riskLevel: RiskLevel;
    riskLabel: string;
    riskDefinition: string | null;
    categories: IncidentCategory[];
    startsOn: IsoDate;
    expiresOn?: IsoDate;
    nextReviewOn?: IsoDate;
    indefinite: boolean;
    spoc?: { displayName: string; mailbox: string; phone?: string; serviceArea?: string };
    restrictions: Restriction[];
    restrictionLabels: Record<string, string>;
  };
  incidents: { occurredAt: IsoDateTime; location: string; channel: string; category: IncidentCategory; description: string; reference: string }[];
  warning?: { step: WarningStep; label: string; nextStepText: string | null };
  review?: { outcome: "remove" | "extend" | "vary"; decidedOn: IsoDate; approverName: string; nextReviewOn?: IsoDate; expiresOn?: IsoDate; reasons?: string };
  appeal?: { receivedOn: IsoDate; outcome: AppealOutcome; decidedOn: IsoDate; reasons?: string; ombudsman: boolean };
  appealRights: { route: "appeal" | "complaints-process"; byDate: IsoDate | null; windowText: string | null; to: string[]; grounds: string[]; ombudsman: boolean } | null;
  monitoring: { intervalText: string | null; by: string | null };
  divertInPlace: { spocMailbox: string } | null;
  /** When what the letter sets up will be reviewed: the entry's review date, or for a warning one review
   * interval from today (West Lindsey 11.4); absent where the policy sets no review. */
  reviewOn?: IsoDate;
  /** The parts the policy requires and asks for "if relevant" (core letterRequirements). */
  policyParts: { required: string[]; ifRelevant: string[] };
  /** Staff's own words for a part, which replace or complete the template's. */
  texts: Record<string, string>;
}

export interface LetterWriter {
  compose(context: LetterContext): LetterDraft;
  render(draft: LetterDraft): Promise<Buffer>;
}

/** Renders a quarterly report to .docx. */
export interface ReportWriter {
  renderDocx(report: ReportDocument): Promise<Buffer>;
}

export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  generatedText: string;
  tables: ReportTable[];
  notes: string[];
}
