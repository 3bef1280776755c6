// The store and blob contracts against the memory implementations used by unit tests.
import { createMemoryStores, MemoryBlobStore } from "../../bot/src/adapters/memory";
import { blobContract } from "./blobContract";
import { storeContract } from "./storeContract";

// One process is one instance: "another instance" of memory stores is the same object.
storeContract("memory", { fresh: () => Promise.resolve(createMemoryStores()), sibling: (s) => Promise.resolve(s) });
blobContract("memory", { fresh: () => Promise.resolve(new MemoryBlobStore()) });
