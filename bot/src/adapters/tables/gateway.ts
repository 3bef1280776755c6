// A thin layer over one TableClient: every call goes through the error mapping (errors.ts), reads come
// back as plain property bags, and queries page with their own request each so a long listing never runs
// into one overall timeout.
import {
  TableClient,
  TableTransaction,
  type TableEntity,
  type TableEntityResult,
  type TableServiceClientOptions,
  type TransactionAction,
} from "@azure/data-tables";
import type { EntityProps } from "./codec";
import { isRecordNotFound, mapStoreError, type StoreErrorContext } from "./errors";

/** Entra ID credential (managed identity in production). */
import type { TokenCredential } from "@azure/identity";
export type { TokenCredential };

export type StoredRow = TableEntityResult<Record<string, unknown>>;
export type Row = TableEntity<EntityProps>;

/** At most 100 operations per transaction, all in one partition (service limit). */
export const MAX_TRANSACTION_ACTIONS = 100;
const PAGE_SIZE = 1000;

export interface RetryOptions {
  /** Retries after the first attempt, for network errors, 408, 429 and 5xx. Default 3. */
  maxRetries?: number;
  /** First retry delay, doubling each time. Default 200 ms. */
  retryDelayInMs?: number;
  /** Cap on one delay. Default 2000 ms. */
  maxRetryDelayInMs?: number;
  /** Time limit of one attempt; a hung connection fails as StoreUnavailableError. Default 10000 ms. */
  requestTimeoutMs?: number;
  /** Time limit of a whole operation, retries and their pauses included (a query: per page). A slow store
   * answers StoreUnavailableError by then, so a request never waits on storage longer. Default 15000 ms. */
  operationTimeoutMs?: number;
}

/** Default for RetryOptions.operationTimeoutMs: under the HTTP server's 30 s request timeout, with room. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 15_000;

/** JSON text with every character outside ASCII written as a `\uXXXX` escape: the same JSON value, in ASCII bytes. */
export function asciiJson(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** For the local emulator only. Azurite (3.37) turns each piece of an entity request's body into text on its own,
 * so a character whose UTF-8 bytes straddle two pieces (they are 64 KiB) is stored mangled: a long note with an
 * emoji in it came back changed. Sent as ASCII (asciiJson), the body cannot be cut inside a character. Azure
 * itself reads bodies whole, so it gets them as the SDK writes them. */
const asciiBodies: NonNullable<TableServiceClientOptions["additionalPolicies"]>[number]["policy"] = {
  name: "calmAsciiBodiesForAzurite",
  sendRequest: (request, next) => {
    if (typeof request.body === "string") request.body = asciiJson(request.body);
    return next(request);
  },
};

/** Client options with a bounded retry and a per-attempt timeout, so an unreachable store fails within
 * seconds (StoreUnavailableError), not after the SDK's default of minutes. A plain-http endpoint is the local
 * emulator: only there are insecure connections allowed, and bodies sent as ASCII (asciiBodies). */
export function clientOptions(retry: RetryOptions | undefined, allowInsecureConnection: boolean): TableServiceClientOptions {
  const timeoutMs = retry?.requestTimeoutMs ?? 10_000;
  return {
    allowInsecureConnection,
    retryOptions: {
      maxRetries: retry?.maxRetries ?? 3,
      retryDelayInMs: retry?.retryDelayInMs ?? 200,
      maxRetryDelayInMs: retry?.maxRetryDelayInMs ?? 2000,
    },
    additionalPolicies: [
      {
        position: "perRetry",
        policy: {
          name: "calmRequestTimeout",
          sendRequest: (request, next) => {
            if (!request.timeout) request.timeout = timeoutMs;
            return next(request);
          },
        },
      },
      ...(allowInsecureConnection ? [{ position: "perCall" as const, policy: asciiBodies }] : []),
    ],
  };
}

/** How a family of table stores reaches its tables: a connection string (Azurite, dev) or an endpoint with a
 * credential (managed identity), plus the shared options. */
export type TableConnection = {
  tablePrefix?: string;
  retry?: RetryOptions;
  allowInsecureConnection?: boolean;
} & ({ connectionString: string } | { tableEndpoint: string; credential: TokenCredential });

/** Opens the tables of one store family: checks the prefix once, allows plain http only for a local endpoint
 * (Azurite), and returns a gateway factory by table name (`<prefix><name>`). */
export function tableGateways(options: TableConnection): { prefix: string; gateway: (name: string) => TableGateway } {
  const prefix = options.tablePrefix ?? "calm";
  if (!/^[A-Za-z][A-Za-z0-9]{0,39}$/.test(prefix)) throw new TypeError(`Table prefix "${prefix}" is not valid: use up to 40 letters and digits, starting with a letter.`);
  const endpoint = "connectionString" in options ? endpointOf(options.connectionString) : options.tableEndpoint;
  const opts = clientOptions(options.retry, options.allowInsecureConnection ?? endpoint.startsWith("http://"));
  return {
    prefix,
    gateway: (name) =>
      new TableGateway(
        "connectionString" in options
          ? TableClient.fromConnectionString(options.connectionString, `${prefix}${name}`, opts)
          : new TableClient(options.tableEndpoint, `${prefix}${name}`, options.credential, opts),
        { operationTimeoutMs: options.retry?.operationTimeoutMs },
      ),
  };
}

/** The table endpoint a connection string names: its TableEndpoint, else just the scheme its protocol implies. */
function endpointOf(connectionString: string): string {
  const explicit = /(?:^|;)\s*TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  if (explicit) return explicit.trim();
  const protocol = /(?:^|;)\s*DefaultEndpointsProtocol=([^;]+)/i.exec(connectionString)?.[1]?.trim().toLowerCase();
  return protocol === "http" ? "http://" : "https://";
}

export class TableGateway {
  private readonly operationTimeoutMs: number;

  constructor(readonly client: TableClient, options: { operationTimeoutMs?: number } = {}) {
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  }

  /** Runs one operation under a fresh deadline (issue 8: slow storage must not hold a request), cleared once the
   * operation ends. (AbortSignal.timeout cannot be cleared: each operation left a timer that fired later and built a
   * TimeoutError for any signal not yet collected: after seeding 20,000 rows, 2% of the sender-check benchmark's CPU.) */
  private async within<T>(run: (deadline: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), this.operationTimeoutMs);
    try {
      return await run({ abortSignal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  get tableName(): string {
    return this.client.tableName;
  }

  /** Creates the table if it is missing (the SDK already treats 409 "exists" as success). */
  async ensureTable(): Promise<void> {
    try {
      await this.within((d) => this.client.createTable(d));
    } catch (err) {
      throw mapStoreError(err, { operation: `${this.tableName}.createTable`, entity: "table", id: this.tableName });
    }
  }

  async get(partitionKey: string, rowKey: string, ctx: StoreErrorContext): Promise<StoredRow | undefined> {
    try {
      return await this.within((d) => this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey, d));
    } catch (err) {
      if (isRecordNotFound(err)) return undefined;
      throw mapStoreError(err, ctx);
    }
  }

  /** Inserts; AlreadyExistsError if the key is taken. Returns the new etag. */
  async create(row: Row, ctx: StoreErrorContext): Promise<string> {
    try {
      return requireEtagFrom((await this.within((d) => this.client.createEntity(row, d))).etag, ctx);
    } catch (err) {
      throw mapStoreError(err, ctx);
    }
  }

  /** Replaces only if the stored row still has `etag`; ConcurrencyError if not, NotFoundError if gone. */
  async replace(row: Row, etag: string, ctx: StoreErrorContext): Promise<string> {
    try {
      return requireEtagFrom((await this.within((d) => this.client.updateEntity(row, "Replace", { etag, ...d }))).etag, ctx);
    } catch (err) {
      throw mapStoreError(err, ctx);
    }
  }

  /** Insert or replace, unconditionally (derived rows, and records where the last write wins by design). */
  async upsert(row: Row, ctx: StoreErrorContext): Promise<string> {
    try {
      return requireEtagFrom((await this.within((d) => this.client.upsertEntity(row, "Replace", d))).etag, ctx);
    } catch (err) {
      throw mapStoreError(err, ctx);
    }
  }

  /** Deletes; a missing row is fine (deleting converges when retried). */
  async delete(partitionKey: string, rowKey: string, ctx: StoreErrorContext): Promise<void> {
    try {
      await this.within((d) => this.client.deleteEntity(partitionKey, rowKey, d));
    } catch (err) {
      if (isRecordNotFound(err)) return;
      throw mapStoreError(err, ctx);
    }
  }

  /** All actions, one partition, all or nothing. Returns the etag of each action's row, in order. */
  async transaction(actions: TransactionAction[], ctx: StoreErrorContext): Promise<(string | undefined)[]> {
    if (actions.length === 0) return [];
    if (actions.length > MAX_TRANSACTION_ACTIONS) {
      throw new RangeError(`A transaction takes at most ${MAX_TRANSACTION_ACTIONS} actions, got ${actions.length} (${ctx.operation}).`);
    }
    try {
      const response = await this.within((d) => this.client.submitTransaction(actions, d));
      return response.subResponses.map((r) => r.etag);
    } catch (err) {
      throw mapStoreError(err, ctx);
    }
  }

  /** Upserts rows of one partition in transactions of up to 100, each all or nothing (for rows where writing one
   * again changes nothing, so a retry after a partial failure converges). */
  async upsertAll(rows: Row[], ctx: StoreErrorContext): Promise<void> {
    for (let i = 0; i < rows.length; i += MAX_TRANSACTION_ACTIONS) {
      const chunk = rows.slice(i, i + MAX_TRANSACTION_ACTIONS);
      await this.transaction(transactionOf((t) => { for (const row of chunk) t.upsertEntity(row, "Replace"); }), ctx);
    }
  }

  /** Rows matching an OData filter (build it with the `odata` template only), page by page, in key order. */
  async *query(filter: string, ctx: StoreErrorContext, select?: string[], pageSize = PAGE_SIZE): AsyncIterable<StoredRow> {
    let continuationToken: string | undefined;
    do {
      let page: { value: StoredRow[]; continuationToken?: string | undefined } | undefined;
      try {
        const result = await this.within((d) => this.client
          .listEntities<Record<string, unknown>>({ queryOptions: select ? { filter, select } : { filter }, ...d })
          .byPage({ maxPageSize: pageSize, ...(continuationToken ? { continuationToken } : {}) })
          .next());
        page = result.done ? undefined : { value: result.value, continuationToken: result.value.continuationToken };
      } catch (err) {
        throw mapStoreError(err, ctx);
      }
      if (!page) return;
      for (const row of page.value) yield row;
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }

  /** The first `limit` rows of a query (newest-first listings stop early instead of reading everything). */
  async first(filter: string, limit: number | undefined, ctx: StoreErrorContext): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    const pageSize = limit === undefined ? PAGE_SIZE : Math.min(limit, PAGE_SIZE);
    for await (const row of this.query(filter, ctx, undefined, pageSize)) {
      rows.push(row);
      if (limit !== undefined && rows.length >= limit) break;
    }
    return rows;
  }
}

function requireEtagFrom(etag: string | undefined, ctx: StoreErrorContext): string {
  if (!etag) throw new Error(`The store did not return an etag for ${ctx.operation}; the write may not have happened. Read the record again.`);
  return etag;
}

/** Builds a transaction from a list of steps, for readability at the call sites. */
export function transactionOf(build: (t: TableTransaction) => void): TransactionAction[] {
  const t = new TableTransaction();
  build(t);
  return t.actions;
}
