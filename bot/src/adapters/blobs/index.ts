// Blob stores for evidence and letters: AzureBlobStore in production, MemoryBlobStore in unit tests.
export { AzureBlobStore, createAzureBlobStore, type AzureBlobStoreOptions, type BlobRetryOptions } from "./azureBlobStore";
export { MemoryBlobStore } from "../memory/blobs";
