// In-memory IncidentStore: same keys, limits, copies and errors as TableIncidentStore (tests/contract).
import type { Incident } from "../../../../core/src/domain";
import type { IncidentStore } from "../../ports/stores";
import { keyPart } from "../tables/keys";
import { MemoryRecords } from "./records";

export class MemoryIncidentStore implements IncidentStore {
  private readonly records = new MemoryRecords<Incident>("incident");

  async get(id: string): Promise<Incident | undefined> {
    return Promise.resolve(this.records.read(keyPart("incident", id)));
  }

  async create(incident: Incident): Promise<Incident> {
    keyPart("subject", incident.subjectId);
    return Promise.resolve(this.records.create(keyPart("incident", incident.id), incident.id, incident));
  }

  async update(incident: Incident): Promise<Incident> {
    keyPart("subject", incident.subjectId);
    return Promise.resolve(this.records.replace(keyPart("incident", incident.id), incident.id, incident, incident.etag));
  }

  async listBySubject(subjectId: string): Promise<Incident[]> {
    keyPart("subject", subjectId);
    return Promise.resolve(this.records.list("", (i) => i.subjectId === subjectId));
  }

  async delete(id: string): Promise<void> {
    this.records.delete(keyPart("incident", id));
    return Promise.resolve();
  }
}
