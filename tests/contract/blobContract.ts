// The blob contract (bot/src/ports/blobs.ts): MemoryBlobStore and AzureBlobStore run this same suite.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { BlobStore } from "../../bot/src/ports/blobs";

export interface BlobContractHarness {
  /** A fresh, empty store (its own container) for one test. */
  fresh(): Promise<BlobStore>;
}

export function blobContract(name: string, h: BlobContractHarness): void {
  describe(`blob contract: ${name}`, function () {
    let blobs: BlobStore;
    beforeEach(async () => {
      blobs = await h.fresh();
    });

    it("round-trips bytes and content type exactly (every byte value, 1 MB)", async () => {
      const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const big = Buffer.concat([every, randomBytes(1024 * 1024)]);
      await blobs.put("evidence/inc-1/ev-1", big, "application/pdf");
      const read = await blobs.get("evidence/inc-1/ev-1");
      assert.ok(read);
      assert.equal(read.contentType, "application/pdf");
      assert.ok(read.data.equals(big));
    });

    it("an empty file is kept as empty", async () => {
      await blobs.put("letters/empty", Buffer.alloc(0), "text/plain");
      const read = await blobs.get("letters/empty");
      assert.equal(read?.data.length, 0);
      assert.equal(read?.contentType, "text/plain");
    });

    it("put overwrites; get of a missing name is undefined", async () => {
      await blobs.put("letters/l-1.docx", Buffer.from("first"), "text/plain");
      await blobs.put("letters/l-1.docx", Buffer.from("second"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
      const read = await blobs.get("letters/l-1.docx");
      assert.equal(read?.data.toString(), "second");
      assert.equal(read?.contentType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
      assert.equal(await blobs.get("letters/missing"), undefined);
    });

    it("returns copies: changing a buffer after put or after get changes nothing stored", async () => {
      const data = Buffer.from("original");
      await blobs.put("evidence/a", data, "text/plain");
      data.write("XXXXXXXX");
      const read = (await blobs.get("evidence/a"))!;
      assert.equal(read.data.toString(), "original");
      read.data.write("YYYYYYYY");
      assert.equal((await blobs.get("evidence/a"))!.data.toString(), "original");
    });

    it("delete removes, and deleting again (or a missing name) is fine", async () => {
      await blobs.put("evidence/b", Buffer.from("x"), "text/plain");
      await blobs.delete("evidence/b");
      assert.equal(await blobs.get("evidence/b"), undefined);
      await blobs.delete("evidence/b");
      await blobs.delete("evidence/never-there");
    });

    it("lists by prefix, in name order", async () => {
      for (const n of ["evidence/inc-2/b", "evidence/inc-2/a", "evidence/inc-20/a", "letters/l-1", "evidence/inc-1/z"]) {
        await blobs.put(n, Buffer.from(n), "text/plain");
      }
      assert.deepEqual(await blobs.list("evidence/inc-2/"), ["evidence/inc-2/a", "evidence/inc-2/b"]);
      assert.deepEqual(await blobs.list("evidence/"), ["evidence/inc-1/z", "evidence/inc-2/a", "evidence/inc-2/b", "evidence/inc-20/a"]);
      assert.deepEqual(await blobs.list(""), ["evidence/inc-1/z", "evidence/inc-2/a", "evidence/inc-2/b", "evidence/inc-20/a", "letters/l-1"]);
      assert.deepEqual(await blobs.list("nothing/"), []);
    });

    it("keeps names with spaces and unicode", async () => {
      await blobs.put("letters/l-2/Réponse finale 🙂.pdf", Buffer.from("pdf"), "application/pdf");
      assert.equal((await blobs.get("letters/l-2/Réponse finale 🙂.pdf"))?.data.toString(), "pdf");
      assert.deepEqual(await blobs.list("letters/l-2/"), ["letters/l-2/Réponse finale 🙂.pdf"]);
    });

    it("refuses names that are empty, absolute, or climb out of their folder", async () => {
      for (const bad of ["", "/evidence/a", "evidence/../x", "evidence//a", "evidence\\a", "evidence/a/", "a\u0000b"]) {
        await assert.rejects(blobs.put(bad, Buffer.from("x"), "text/plain"), TypeError, JSON.stringify(bad));
        await assert.rejects(blobs.get(bad), TypeError);
      }
    });
  });
}
