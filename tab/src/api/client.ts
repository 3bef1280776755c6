// The only module in the tab that calls fetch. Every request carries the caller's token and says it comes from
// the tab (X-Calm-Surface, for the audit log); every failure becomes an ApiError with the server's stable code
// and its plain-English message, ready to show.
import type {
  AuditTrail,
  AuditVerification,
  CaseView,
  CloseResponse,
  EntryPanel,
  EvidenceResponse,
  Explanation,
  Grant,
  IncidentDraft,
  LookupMatch,
  Meta,
  Persona,
  Principal,
  ReferralDraft,
  RegisterQuery,
  ReportResponse,
  RestrictionInput,
  SearchResult,
  Settings,
  SubjectPage,
  WorkList,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: { field: string; message: string; code?: string }[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface TokenSource {
  /** The current token, or undefined when nobody is signed in. */
  get(): Promise<string | undefined>;
  /** A fresh token after the server said the old one expired (Teams SSO); undefined if none can be had. */
  refresh(): Promise<string | undefined>;
  /** Nobody is signed in any more: the app shows sign-in. */
  signedOut(reason: string): void;
}

interface Problem {
  code?: string;
  detail?: string;
  errors?: { field: string; message: string; code?: string }[];
  requestId?: string;
}

const NETWORK_MESSAGE = "CALM could not reach the server. Check your connection and try again.";

async function problemOf(res: Response): Promise<ApiError> {
  let body: Problem = {};
  try {
    body = (await res.json()) as Problem;
  } catch (error) {
    // Not a problem document (a proxy's error page): fall back to the status alone.
    console.info("CALM: error answer was not JSON", error instanceof Error ? error.name : "");
  }
  const fallback = res.status >= 500 ? "Something went wrong on our side and nothing was changed. Try again in a minute." : "The request could not be completed. Reload the page and try again.";
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.detail ?? fallback, body.errors ?? [], body.requestId);
}

/** Local development sign-in: the fictional personas, or undefined when the server has it turned off. */
export async function listPersonas(): Promise<Persona[] | undefined> {
  let res: Response;
  try {
    res = await fetch("/api/dev/personas", { headers: { accept: "application/json" } });
  } catch {
    throw new ApiError(0, "NETWORK", NETWORK_MESSAGE);
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw await problemOf(res);
  return ((await res.json()) as { personas: Persona[] }).personas;
}

export async function devSignIn(personaId: string): Promise<{ token: string; persona: Persona }> {
  let res: Response;
  try {
    res = await fetch("/api/dev/signin", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ personaId }) });
  } catch {
    throw new ApiError(0, "NETWORK", NETWORK_MESSAGE);
  }
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as { token: string; persona: Persona };
}

/** A fresh idempotency key for a form, made when the form opens and sent with every attempt (docs/api.md). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export class ApiClient {
  constructor(private readonly tokens: TokenSource) {}

  private async send(method: string, path: string, init: { json?: unknown; raw?: Blob; headers?: Record<string, string> } = {}, retried = false): Promise<Response> {
    const token = await this.tokens.get();
    if (!token) {
      this.tokens.signedOut("Sign in to use CALM.");
      throw new ApiError(401, "TOKEN_MISSING", "Sign in to use CALM.");
    }
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json", "x-calm-surface": "tab", ...init.headers };
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.raw) {
      body = init.raw;
    }
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body });
    } catch {
      throw new ApiError(0, "NETWORK", NETWORK_MESSAGE);
    }
    if (res.status === 401) {
      const problem = await problemOf(res);
      if (!retried && problem.code === "TOKEN_EXPIRED") {
        const fresh = await this.tokens.refresh();
        if (fresh) return this.send(method, path, init, true);
      }
      this.tokens.signedOut(problem.message);
      throw problem;
    }
    if (!res.ok) throw await problemOf(res);
    return res;
  }

  private async json<T>(method: string, path: string, init: { json?: unknown; raw?: Blob; headers?: Record<string, string> } = {}): Promise<T> {
    const res = await this.send(method, path, init);
    return (await res.json()) as T;
  }

  // The portal (docs/api.md "Staff portal")
  meta = () => this.json<Meta>("GET", "/api/portal/meta");
  searchRegister = (query: RegisterQuery) => this.json<SearchResult>("POST", "/api/portal/register/search", { json: query });
  subject = (id: string) => this.json<SubjectPage>("GET", `/api/portal/subjects/${encodeURIComponent(id)}`);
  editRestrictions = (entryId: string, etag: string, restrictions: RestrictionInput[]) =>
    this.json<{ entry: EntryPanel; added: number; changed: number; ended: number; removed: number }>("PUT", `/api/portal/entries/${encodeURIComponent(entryId)}/restrictions`, { json: { etag, restrictions } });
  recordContact = (entryId: string, input: { kind: "positive" | "neutral"; note: string; at?: string }) =>
    this.json<{ contact: { id: string } }>("POST", `/api/portal/entries/${encodeURIComponent(entryId)}/contacts`, { json: input });
  workList = () => this.json<WorkList>("GET", "/api/portal/reviews");
  grants = () => this.json<{ grants: Grant[] }>("GET", "/api/portal/grants");
  grant = (input: { principal: Grant["principal"]; tiers: string[]; includesPremises: boolean; rationale: string; expiresOn?: string }) =>
    this.json<{ grant: Grant }>("POST", "/api/portal/grants", { json: input });
  revokeGrant = (id: string, reason: string) => this.json<{ grant: Grant }>("POST", `/api/portal/grants/${encodeURIComponent(id)}/revoke`, { json: { reason } });
  searchDirectory = (query: string) => this.json<{ principals: Principal[] }>("POST", "/api/portal/directory/search", { json: { query } });
  auditTrail = (target: { subjectId: string } | { reference: string }) => this.json<AuditTrail>("POST", "/api/portal/audit", { json: target });
  settings = () => this.json<Settings>("GET", "/api/portal/settings");
  explain = (input: { decided: string; category?: string; notified?: string; appealReceived?: string }) => this.json<Explanation>("POST", "/api/portal/settings/explain", { json: input });

  // For feature modules with their own typed wrappers (tab/src/api/lifecycle.ts): a JSON call, and a file download.
  call = <T>(method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
    this.json<T>(method, path, { ...(json !== undefined ? { json } : {}), ...(headers ? { headers } : {}) });
  download = async (path: string): Promise<{ blob: Blob; fileName: string }> => {
    const res = await this.send("GET", path);
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
    return { blob: await res.blob(), fileName: name ?? "calm-download" };
  };

  // Security and privacy (issue 8): is the audit log intact; one archive of everything held about a person.
  auditChain = (fresh = false) => this.json<AuditVerification>("GET", `/api/audit/verify${fresh ? "?fresh=1" : ""}`);
  subjectAccessExport = async (subject: string): Promise<{ blob: Blob; fileName: string; sha256: string }> => {
    const res = await this.send("POST", "/api/sar/export", { json: { subject } });
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
    return { blob: await res.blob(), fileName: name ?? "calm-subject-access.zip", sha256: res.headers.get("x-calm-sha256") ?? "" };
  };

  // Look-up (the same as the bot's)
  lookup = (query: string) => this.json<{ matches: LookupMatch[] }>("POST", "/api/lookup", { json: { query } });

  // Incidents (docs/api.md "Incidents")
  reportIncident = (draft: IncidentDraft, idempotencyKey: string) => this.json<ReportResponse>("POST", "/api/incidents", { json: draft, headers: { "idempotency-key": idempotencyKey } });
  uploadEvidence = (incidentId: string, file: File, contentType: string, kind?: "email" | "file") =>
    this.json<EvidenceResponse>("POST", `/api/incidents/${encodeURIComponent(incidentId)}/evidence`, {
      raw: file,
      headers: { "content-type": contentType, "x-file-name": encodeURIComponent(file.name), ...(kind ? { "x-evidence-kind": kind } : {}) },
    });

  // Cases and votes (docs/api.md "Cases, votes and decisions")
  openCases = (status: string) => this.json<{ cases: CaseView[] }>("GET", `/api/cases?status=${encodeURIComponent(status)}`);
  caseView = (id: string) => this.json<CaseView>("GET", `/api/cases/${encodeURIComponent(id)}`);
  refer = (draft: ReferralDraft, idempotencyKey: string) => this.json<CaseView & { duplicate: boolean }>("POST", "/api/cases", { json: draft, headers: { "idempotency-key": idempotencyKey } });
  vote = (caseId: string, choice: string) => this.json<{ changed: boolean; ballot: CaseView["ballot"] }>("POST", `/api/cases/${encodeURIComponent(caseId)}/votes`, { json: { choice } });
  declareConflict = (caseId: string, reason: string) => this.json<{ ballot: CaseView["ballot"] }>("POST", `/api/cases/${encodeURIComponent(caseId)}/conflicts`, { json: { reason } });
  ruleConflict = (caseId: string, memberId: string, excluded: boolean) =>
    this.json<{ ballot: CaseView["ballot"] }>("POST", `/api/cases/${encodeURIComponent(caseId)}/conflicts/${encodeURIComponent(memberId)}/ruling`, { json: { excluded } });
  closeVote = (caseId: string, input: { healthConsidered?: { considered: boolean; note?: string }; rationale?: string }) =>
    this.json<CloseResponse>("POST", `/api/cases/${encodeURIComponent(caseId)}/close`, { json: input });
}
