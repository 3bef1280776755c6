// The staff directory on a developer machine: the fictional personas and a few fictional groups, so the portal's
// audit trail shows names and the access-grant form can find people without Microsoft Graph. Used only when local
// development sign-in is on (index.ts), and by tests.
import type { DirectoryPrincipal, StaffDirectory } from "../../ports/directory";
import { PERSONAS } from "./devSignIn";

/** Plainly fictional groups, with fixed ids so tests and demo grants can name them. */
export const DEMO_GROUPS: DirectoryPrincipal[] = [
  { kind: "group", id: "00000000-0000-4000-9000-000000000101", displayName: "Home visiting officers", detail: "Staff who visit people at home" },
  { kind: "group", id: "00000000-0000-4000-9000-000000000102", displayName: "Housing team", detail: "Housing officers and managers" },
  { kind: "group", id: "00000000-0000-4000-9000-000000000103", displayName: "Revenues and benefits team", detail: "Council tax and benefits" },
  { kind: "group", id: "00000000-0000-4000-9000-000000000104", displayName: "Environmental health officers", detail: "Inspections and complaints" },
];

const PEOPLE: DirectoryPrincipal[] = PERSONAS.map((p) => ({ kind: "user", id: p.id, displayName: p.displayName, detail: p.email }));

export class LocalDirectory implements StaffDirectory {
  constructor(private readonly extra: DirectoryPrincipal[] = []) {}

  private all(): DirectoryPrincipal[] {
    return [...PEOPLE, ...DEMO_GROUPS, ...this.extra];
  }

  async names(ids: string[]): Promise<Map<string, string>> {
    const wanted = new Set(ids);
    return Promise.resolve(new Map(this.all().filter((p) => wanted.has(p.id)).map((p) => [p.id, p.displayName])));
  }

  async search(text: string): Promise<DirectoryPrincipal[]> {
    const q = text.trim().toLowerCase();
    if (q.length === 0) return Promise.resolve([]);
    // Like Graph's $search on displayName: any word of the name starts with the text.
    return Promise.resolve(this.all().filter((p) => p.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || p.displayName.toLowerCase().startsWith(q)).slice(0, 20));
  }
}
