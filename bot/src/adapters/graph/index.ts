// The Graph adapter, assembled: SDK transport → scheduler (batching, limits, retries) → GraphMail.
// The product's code path is the same against graph.microsoft.com and the local simulator; only
// `baseUrl` (GRAPH_BASE_URL) and the credentials differ.
import type { GraphMail } from "../../ports/graph";
import { createTokenFunction, type GraphCredentials } from "./auth";
import { SchedulerGraphMail } from "./graphMail";
import type { TokenFunction } from "./middleware";
import { GraphScheduler, type GraphTransport, type SchedulerOptions, type SchedulerStats } from "./scheduler";
import { SdkGraphTransport } from "./transport";

export { GraphScheduler, TransportFailure } from "./scheduler";
export type { GraphOperation, GraphReply, GraphTransport, BatchReply, SchedulerOptions, SchedulerStats } from "./scheduler";
export { SdkGraphTransport } from "./transport";
export { createTokenFunction, cachedTokenFunction, GRAPH_SCOPE, GraphCredentialError } from "./auth";
export type { GraphCredentials } from "./auth";

export interface GraphMailOptions extends Partial<Omit<SchedulerOptions, "ratePerSecond">> {
  /** Without the version, e.g. `https://graph.microsoft.com` or the simulator's base URL. */
  baseUrl: string;
  /** Either credentials or a ready token function. */
  credentials?: GraphCredentials;
  getToken?: TokenFunction;
  /** The global budget in requests per second, shared by everything this process sends to Graph.
   * With several server instances, give each its share of the tenant's budget. Default 50. */
  ratePerSecond?: number;
  /** Per HTTP request. Default 30 s. */
  timeoutMs?: number;
  /** Tests only: replace the HTTP transport. */
  transport?: GraphTransport;
}

export interface GraphMailClient extends GraphMail {
  stats(): SchedulerStats;
  /** Stops sending; queued calls fail with GRAPH_CLOSED. */
  close(): void;
}

export function createGraphMail(options: GraphMailOptions): GraphMailClient {
  const getToken = options.getToken ?? (options.credentials ? createTokenFunction(options.credentials) : undefined);
  if (!getToken && !options.transport) {
    throw new TypeError("The Graph adapter needs credentials or a token function.");
  }
  const transport = options.transport ?? new SdkGraphTransport({ baseUrl: options.baseUrl, getToken: getToken!, timeoutMs: options.timeoutMs });
  const scheduler = new GraphScheduler(transport, { ...options, ratePerSecond: options.ratePerSecond ?? 50 });
  const mail = new SchedulerGraphMail(scheduler);
  // Bind the port's methods onto a plain object so the client can be spread, stubbed and passed around.
  const client: GraphMailClient = {
    listMessageRules: (m) => mail.listMessageRules(m),
    createMessageRule: (m, r) => mail.createMessageRule(m, r),
    updateMessageRule: (m, id, p) => mail.updateMessageRule(m, id, p),
    deleteMessageRule: (m, id) => mail.deleteMessageRule(m, id),
    findMailFolder: (m, n) => mail.findMailFolder(m, n),
    createMailFolder: (m, n) => mail.createMailFolder(m, n),
    getMessage: (m, id) => mail.getMessage(m, id),
    listInboxMessages: (m, o) => mail.listInboxMessages(m, o),
    setMessageCategories: (m, id, c, e) => mail.setMessageCategories(m, id, c, e),
    createSubscription: (s) => mail.createSubscription(s),
    renewSubscription: (id, e) => mail.renewSubscription(id, e),
    deleteSubscription: (id) => mail.deleteSubscription(id),
    getUser: (u) => mail.getUser(u),
    listGroupMembers: (g) => mail.listGroupMembers(g),
    stats: () => scheduler.stats(),
    close: () => scheduler.close(),
  };
  return client;
}
