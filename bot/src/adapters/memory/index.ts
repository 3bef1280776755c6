// In-memory stores for unit tests and the demo: they pass the same contract suite as the table stores
// (tests/contract), so what a unit test sees is what production does, bar the network.
import type { Stores } from "../../ports/stores";
import { MemoryAuditStore } from "./audit";
import { MemoryCaseStore } from "./cases";
import { MemoryIncidentStore } from "./incidents";
import { MemoryReferenceCounter } from "./references";
import { MemoryRegisterStore } from "./register";
import { MemorySubjectStore } from "./subjects";

export { MemoryAuditStore } from "./audit";
export { MemoryBlobStore } from "./blobs";
export { MemoryCaseStore } from "./cases";
export { MemoryIncidentStore } from "./incidents";
export { MemoryReferenceCounter } from "./references";
export { MemoryRegisterStore } from "./register";
export { MemorySubjectStore } from "./subjects";

export function createMemoryStores(): Stores {
  return {
    subjects: new MemorySubjectStore(),
    register: new MemoryRegisterStore(),
    incidents: new MemoryIncidentStore(),
    cases: new MemoryCaseStore(),
    audit: new MemoryAuditStore(),
    references: new MemoryReferenceCounter(),
  };
}
