// Evidence files and letters in Azure Blob Storage (Azurite locally): one private container per use.
// Blob names carry ids only (bot/src/ports/blobs.ts), never a person's name: they appear in URLs and logs.
import { BlobServiceClient, ContainerClient, type StoragePipelineOptions } from "@azure/storage-blob";
import type { TokenCredential } from "@azure/identity";
import { assertBlobName, type BlobStore, type StoredBlob } from "../../ports/blobs";
import { isRecordNotFound, mapStoreError, type StoreErrorContext } from "../tables/errors";

export interface BlobRetryOptions {
  /** Attempts in all, including the first. Default 4. */
  maxTries?: number;
  /** Time limit of one attempt. Default 60000 ms (evidence files can be several MB). */
  tryTimeoutInMs?: number;
  /** First retry delay, doubling. Default 200 ms. */
  retryDelayInMs?: number;
  /** Cap on one delay. Default 2000 ms. */
  maxRetryDelayInMs?: number;
}

interface CommonOptions {
  /** Lower-case letters, digits and hyphens, 3-63 characters (e.g. `calm-evidence`). */
  containerName: string;
  retry?: BlobRetryOptions;
  /** Create the container if it is missing (private: no anonymous access). Default true. */
  createContainer?: boolean;
}

export type AzureBlobStoreOptions = CommonOptions &
  (
    | { /** Azurite or a dev account. */ connectionString: string }
    | { /** `https://<account>.blob.core.windows.net` */ blobEndpoint: string; /** Managed identity. */ credential: TokenCredential }
  );

function pipelineOptions(retry: BlobRetryOptions | undefined): StoragePipelineOptions {
  return {
    retryOptions: {
      maxTries: retry?.maxTries ?? 4,
      tryTimeoutInMs: retry?.tryTimeoutInMs ?? 60_000,
      retryDelayInMs: retry?.retryDelayInMs ?? 200,
      maxRetryDelayInMs: retry?.maxRetryDelayInMs ?? 2000,
    },
  };
}

export class AzureBlobStore implements BlobStore {
  constructor(private readonly container: ContainerClient) {}

  private ctx(operation: string, name: string): StoreErrorContext {
    // The blob name is ids only, but keep it out of error text anyway: the operation is enough.
    return { operation: `blobs.${operation}`, entity: "file", id: name.split("/")[0] ?? "" };
  }

  /** Creates the container if missing. No `access` option: the container stays private. */
  async ensureContainer(): Promise<void> {
    try {
      await this.container.createIfNotExists();
    } catch (err) {
      throw mapStoreError(err, { operation: "blobs.createContainer", entity: "container", id: this.container.containerName });
    }
  }

  async put(name: string, data: Buffer, contentType: string): Promise<void> {
    assertBlobName(name);
    try {
      await this.container.getBlockBlobClient(name).uploadData(data, { blobHTTPHeaders: { blobContentType: contentType } });
    } catch (err) {
      throw mapStoreError(err, this.ctx("put", name));
    }
  }

  async get(name: string): Promise<StoredBlob | undefined> {
    assertBlobName(name);
    try {
      const response = await this.container.getBlobClient(name).download();
      const body = response.readableStreamBody;
      const chunks: Buffer[] = [];
      if (body) for await (const chunk of body) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
      return { data: Buffer.concat(chunks), contentType: response.contentType ?? "application/octet-stream" };
    } catch (err) {
      if (isRecordNotFound(err)) return undefined;
      throw mapStoreError(err, this.ctx("get", name));
    }
  }

  async delete(name: string): Promise<void> {
    assertBlobName(name);
    try {
      await this.container.getBlobClient(name).deleteIfExists({ deleteSnapshots: "include" });
    } catch (err) {
      throw mapStoreError(err, this.ctx("delete", name));
    }
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat(prefix ? { prefix } : {})) names.push(blob.name);
    } catch (err) {
      throw mapStoreError(err, this.ctx("list", prefix));
    }
    return names.sort();
  }
}

/** Builds the blob store and (by default) creates its private container. Fails with StoreUnavailableError
 * if the storage account cannot be reached. */
export async function createAzureBlobStore(options: AzureBlobStoreOptions): Promise<AzureBlobStore> {
  if (!/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/.test(options.containerName)) {
    throw new TypeError(`Container name "${options.containerName}" is not valid: 3-63 lower-case letters, digits and single hyphens.`);
  }
  const pipeline = pipelineOptions(options.retry);
  const service = "connectionString" in options
    ? BlobServiceClient.fromConnectionString(options.connectionString, pipeline)
    : new BlobServiceClient(options.blobEndpoint, options.credential, pipeline);
  const store = new AzureBlobStore(service.getContainerClient(options.containerName));
  if (options.createContainer ?? true) await store.ensureContainer();
  return store;
}
