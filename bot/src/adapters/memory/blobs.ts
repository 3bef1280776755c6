// In-memory BlobStore: copies in and out, same name rules as AzureBlobStore (tests/contract).
import { assertBlobName, type BlobStore, type StoredBlob } from "../../ports/blobs";

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();

  async put(name: string, data: Buffer, contentType: string): Promise<void> {
    assertBlobName(name);
    this.blobs.set(name, { data: Buffer.from(data), contentType });
    return Promise.resolve();
  }

  async get(name: string): Promise<StoredBlob | undefined> {
    assertBlobName(name);
    const blob = this.blobs.get(name);
    return Promise.resolve(blob ? { data: Buffer.from(blob.data), contentType: blob.contentType } : undefined);
  }

  async delete(name: string): Promise<void> {
    assertBlobName(name);
    this.blobs.delete(name);
    return Promise.resolve();
  }

  async list(prefix: string): Promise<string[]> {
    return Promise.resolve([...this.blobs.keys()].filter((n) => n.startsWith(prefix)).sort());
  }
}
