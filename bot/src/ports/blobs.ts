// Blob port: evidence files (incident evidence, the original abusive email) and issued letters.
// Two implementations pass one contract suite (tests/contract): MemoryBlobStore and AzureBlobStore.
//
// Rules every implementation keeps:
// - Names are relative paths like `evidence/<incidentId>/<evidenceId>`: 1-1024 characters, no leading `/`,
//   no `\`, no `..` segment, no control characters. Use ids, never a person's name, in a blob name.
// - `put` overwrites a blob of the same name; `get` of a missing name is undefined; `delete` of a missing
//   name is not an error (deleting is idempotent, so a retried purge converges).
// - Reads return copies. Unreachable storage surfaces as StoreUnavailableError.

export interface StoredBlob {
  data: Buffer;
  contentType: string;
}

export interface BlobStore {
  put(name: string, data: Buffer, contentType: string): Promise<void>;
  get(name: string): Promise<StoredBlob | undefined>;
  delete(name: string): Promise<void>;
  /** Names starting with `prefix` (`""` = all), in name order. */
  list(prefix: string): Promise<string[]>;
}

/** Checks a blob name against the rules above; throws TypeError with the reason. */
export function assertBlobName(name: string): void {
  const problem =
    typeof name !== "string" || name.length === 0 ? "it is empty"
    : name.length > 1024 ? "it is longer than 1024 characters"
    : name.startsWith("/") ? "it starts with /"
    : name.endsWith("/") ? "it ends with /"
    : name.includes("\\") ? "it contains \\"
    : name.split("/").some((s) => s === ".." || s === "." || s === "") ? "it has an empty, . or .. segment"
    // eslint-disable-next-line no-control-regex
    : /[\u0000-\u001f\u007f]/.test(name) ? "it contains a control character"
    : undefined;
  if (problem !== undefined) throw new TypeError(`Blob name is not valid: ${problem}.`);
}
