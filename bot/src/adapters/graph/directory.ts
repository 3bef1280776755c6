// The staff directory from Microsoft Graph, called as the signed-in user (OBO, obo.ts): the names behind staff
// ids in the audit trail (one `directoryObjects/getByIds` call for up to 1,000 ids) and people and groups to pick
// for an access grant (`$search` on displayName). Delegated permissions: User.ReadBasic.All and
// GroupMember.Read.All (infra/entra). Names found are cached for ten minutes per id; nothing else is kept.
import { DirectoryUnavailableError, type DirectoryPrincipal, type StaffDirectory, type UserAssertion } from "../../ports/directory";
import { OboError, type OboTokenFunction } from "./obo";

export const DIRECTORY_SCOPES = ["https://graph.microsoft.com/User.ReadBasic.All", "https://graph.microsoft.com/GroupMember.Read.All"];

export interface GraphDirectoryOptions {
  /** Without the version: `https://graph.microsoft.com` (GRAPH_BASE_URL). */
  baseUrl: string;
  obo: OboTokenFunction;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface GraphObject {
  "@odata.type"?: string;
  id?: string;
  displayName?: string | null;
  mail?: string | null;
  jobTitle?: string | null;
  description?: string | null;
}

const NAME_TTL_MS = 10 * 60_000;

export class GraphDirectory implements StaffDirectory {
  private readonly names_ = new Map<string, { name: string; until: number }>();
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: GraphDirectoryOptions) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  private async call(asUser: UserAssertion, path: string, init: { method?: string; body?: unknown; search?: boolean } = {}): Promise<unknown> {
    let token: string;
    try {
      token = await this.options.obo(asUser.token, DIRECTORY_SCOPES);
    } catch (error) {
      if (error instanceof OboError) throw new DirectoryUnavailableError(error.code === "OBO_CONSENT_REQUIRED" ? "consent" : "unavailable", { cause: error });
      throw error;
    }
    let res: Response;
    try {
      res = await this.fetch(`${this.options.baseUrl.replace(/\/+$/, "")}/v1.0${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(init.body ? { "content-type": "application/json" } : {}),
          // $search needs the advanced query header.
          ...(init.search ? { consistencylevel: "eventual" } : {}),
        },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DirectoryUnavailableError("unavailable", { cause: error });
    }
    if (res.status === 401 || res.status === 403) throw new DirectoryUnavailableError("consent");
    if (!res.ok) throw new DirectoryUnavailableError("unavailable");
    try {
      return (await res.json()) as unknown;
    } catch (error) {
      throw new DirectoryUnavailableError("unavailable", { cause: error });
    }
  }

  private static values(body: unknown): GraphObject[] {
    const value = (body as { value?: unknown } | null)?.value;
    return Array.isArray(value) ? value.filter((v): v is GraphObject => typeof v === "object" && v !== null) : [];
  }

  async names(ids: string[], asUser: UserAssertion): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const now = this.now();
    // Only directory object ids (GUIDs) go to Graph; local persona ids and the like are simply not found.
    const missing = [...new Set(ids)].filter((id) => {
      const hit = this.names_.get(id);
      if (hit && hit.until > now) {
        out.set(id, hit.name);
        return false;
      }
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
    });
    for (let i = 0; i < missing.length; i += 1000) {
      const body = await this.call(asUser, "/directoryObjects/getByIds", { method: "POST", body: { ids: missing.slice(i, i + 1000), types: ["user", "group"] } });
      for (const o of GraphDirectory.values(body)) {
        if (!o.id || !o.displayName) continue;
        out.set(o.id, o.displayName);
        this.names_.set(o.id, { name: o.displayName, until: now + NAME_TTL_MS });
      }
    }
    return out;
  }

  async search(text: string, asUser: UserAssertion): Promise<DirectoryPrincipal[]> {
    // $search takes a quoted phrase: quotes and backslashes in the text would end it early.
    const clean = text.replace(/["\\]/g, " ").trim().slice(0, 100);
    if (!clean) return [];
    const q = encodeURIComponent(`"displayName:${clean}"`);
    const [users, groups] = await Promise.all([
      this.call(asUser, `/users?$search=${q}&$select=id,displayName,mail,jobTitle&$top=10`, { search: true }),
      this.call(asUser, `/groups?$search=${q}&$select=id,displayName,description&$top=10`, { search: true }),
    ]);
    const people: DirectoryPrincipal[] = GraphDirectory.values(users).flatMap((u) => (u.id && u.displayName ? [{ kind: "user" as const, id: u.id, displayName: u.displayName, ...(u.jobTitle || u.mail ? { detail: (u.jobTitle ?? u.mail)! } : {}) }] : []));
    const teams: DirectoryPrincipal[] = GraphDirectory.values(groups).flatMap((g) => (g.id && g.displayName ? [{ kind: "group" as const, id: g.id, displayName: g.displayName, ...(g.description ? { detail: g.description } : {}) }] : []));
    return [...people, ...teams].slice(0, 20);
  }
}
