// Wires Graph mail protection (issue 6) into the server: SPOC diverts and server-side marking of mail from listed
// senders. Built only when Graph is configured (GRAPH_AUTH is not "off"); the services live in
// bot/src/services/divert and bot/src/services/mailMarking, the Graph adapter in bot/src/adapters/graph.
import { randomBytes } from "node:crypto";
import { createGraphMail, type GraphMailClient } from "./adapters/graph";
import type { GraphCredentials } from "./adapters/graph/auth";
import { MemoryDivertJobStore, MemoryDivertStore } from "./adapters/memory/divertJobs";
import { MemoryMailSubscriptionStore, MemoryMailWorkQueue } from "./adapters/memory/mailMarking";
import { createDivertTableStores } from "./adapters/tables/divertJobs";
import { createMailMarkingTableStores } from "./adapters/tables/mailMarking";
import type { TokenCredential } from "./adapters/tables";
import { createDivertService, type DivertService } from "./services/divert";
import { createMailMarking, type MailMarking } from "./services/mailMarking";
import type { AuditStore } from "./ports/stores";
import type { Clock, IdGenerator, Logger } from "./ports/system";

export interface MailProtection {
  graph: GraphMailClient;
  diverts: DivertService;
  /** Present when a public URL and an in-scope group are configured (Graph must be able to call us back). */
  marking?: MailMarking;
  /** Starts background work: resuming divert jobs, reconciling rules, draining the marking queue. */
  start(): void;
  stop(): Promise<void>;
}

export interface MailProtectionOptions {
  graphBaseUrl: string;
  credentials: GraphCredentials;
  ratePerSecond: number;
  storage:
    | { kind: "memory" }
    | { kind: "connectionString"; connectionString: string; tablePrefix: string }
    | { kind: "managedIdentity"; tableEndpoint: string; credential: TokenCredential; tablePrefix: string };
  identifierHashKey: string;
  /** The public https base URL Graph posts change notifications to; without it, no marking. */
  publicBaseUrl?: string;
  /** The mail-enabled group whose members' inboxes are watched for mail from listed senders. */
  markingScopeGroup?: string;
  /** The lookup index's answer for one address (LookupService.isListedAddress). */
  isListedAddress(email: string): { listed: boolean; reference?: string };
  audit: AuditStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Reconcile divert rules against what CALM made, every so often (ms). Default 6 hours. */
  reconcileEveryMs?: number;
}

export async function createMailProtection(o: MailProtectionOptions): Promise<MailProtection> {
  const graph = createGraphMail({ baseUrl: o.graphBaseUrl, credentials: o.credentials, ratePerSecond: o.ratePerSecond });
  const tableOptions = o.storage.kind === "connectionString"
    ? { connectionString: o.storage.connectionString, tablePrefix: o.storage.tablePrefix, identifierHashKey: o.identifierHashKey }
    : o.storage.kind === "managedIdentity"
      ? { tableEndpoint: o.storage.tableEndpoint, credential: o.storage.credential, tablePrefix: o.storage.tablePrefix, identifierHashKey: o.identifierHashKey }
      : undefined;
  const divertStores = tableOptions ? await createDivertTableStores(tableOptions) : { jobs: new MemoryDivertJobStore(), diverts: new MemoryDivertStore() };
  const diverts = createDivertService({ graph, jobs: divertStores.jobs, diverts: divertStores.diverts, clock: o.clock, ids: o.ids, logger: o.logger, audit: o.audit });

  let marking: MailMarking | undefined;
  if (o.publicBaseUrl && o.markingScopeGroup) {
    const base = o.publicBaseUrl.replace(/\/+$/, "");
    const markingStores = tableOptions ? await createMailMarkingTableStores(tableOptions) : { queue: new MemoryMailWorkQueue(), subscriptions: new MemoryMailSubscriptionStore() };
    const group = o.markingScopeGroup;
    marking = createMailMarking({
      graph,
      queue: markingStores.queue,
      subscriptions: markingStores.subscriptions,
      clock: o.clock,
      ids: o.ids,
      logger: o.logger,
      // The lookup index answers from memory: a listed sender is known within a poll of being listed anywhere.
      isListedSender: async (email) => o.isListedAddress(email),
      listInScopeMailboxes: async () => (await graph.listGroupMembers(group)).map((u) => u.mail).filter((m): m is string => !!m),
      notificationUrl: `${base}/api/graph/notifications`,
      lifecycleNotificationUrl: `${base}/api/graph/lifecycle`,
      randomSecret: () => randomBytes(24).toString("base64url"),
    });
  }

  const stops: (() => void | Promise<void>)[] = [];
  return {
    graph,
    diverts,
    marking,
    start() {
      stops.push(diverts.start({ resumeEveryMs: 30_000, reconcileEveryMs: o.reconcileEveryMs ?? 6 * 3600_000, reconcileMode: "repair" }));
      if (marking) stops.push(marking.start());
    },
    async stop() {
      await Promise.all(stops.splice(0).map(async (s) => s()));
      await diverts.stop("graceful");
      graph.close();
    },
  };
}
