// The add-in's only HTTP client. Every call returns a value, never throws: `{ ok: true, value }` or
// `{ ok: false, code, message }` with a message a person can act on (EXPERIENCE.md: say what happened and what
// to do next). Personal data goes in bodies, never in URLs. A slow or unreachable server gives up after a
// timeout, so nothing in Outlook waits on CALM for long.
import type { EntryCardModel } from "../../core/src/present/entryCard";

export type ApiResult<T> = { ok: true; value: T; status: number } | { ok: false; code: string; message: string; status?: number; errors?: { field: string; code?: string; message: string }[] };

export interface SenderMatch {
  subjectId: string;
  certainty: "exact" | "possible";
  matchedOn: "email" | "phone" | "name";
  matchedValue: string;
  card: EntryCardModel;
}
export interface SenderResult {
  address: string;
  listed: boolean;
  valid: boolean;
  matches: SenderMatch[];
}

export interface RecipientGuard {
  address: string;
  valid: boolean;
  listed: boolean;
  reference?: string;
  view?: "full" | "summary" | "minimum";
  statusLine?: string;
  riskLevel?: "low" | "medium" | "high";
  riskLabel?: string;
  whatToDo: string[];
  restrictions: { kind: string; effect: "stop" | "warn"; text?: string }[];
  spoc?: { displayName: string; mailbox: string };
  youAreSpoc: boolean;
  stopsSend: boolean;
  warns: boolean;
}

export interface AddinSettings {
  registerName: string;
  sendAnywayReasons: { id: string; label: string }[];
  /** Categories where one report may cover many contacts (East Suffolk 4.2); null: one report per incident. */
  multiContactCategories?: string[] | null;
}

export interface Me {
  id: string;
  displayName: string;
  roles: string[];
  serviceAreas: string[];
}

export interface IncidentSummary {
  id: string;
  reference: string;
  subjectId?: string;
  category?: string;
  contactCount?: number;
  reportedAt?: string;
}

export interface NewIncident {
  subject: { existingId: string } | { new: { kind: "person"; displayName: string; emails: string[] } };
  occurredAt: string;
  location: string;
  channel: "email";
  serviceArea: string;
  category: string;
  description: string;
  hateIncident: boolean;
  immediateAction: "none";
  contacts?: { at: string; channel: "email"; summary: string }[];
}

export interface CreatedIncident {
  incident: IncidentSummary & { evidence?: unknown[] };
  duplicate?: boolean;
  whatHappensNext?: string[];
  evidenceUpload?: { url: string; maxBytes: number; allowedTypes: string[] };
}

export interface Persona {
  id: string;
  displayName: string;
  roles: string[];
  description: string;
}

export interface ApiOptions {
  /** "" for the page's own origin. */
  baseUrl: string;
  /** A token for the CALM API; a failure is shown to the person as it is. */
  getToken(): Promise<{ ok: true; token: string } | { ok: false; code: string; message: string }>;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const UNREACHABLE = "CALM could not be reached. Check your connection and try again; if it keeps happening, tell IT.";
const TIMED_OUT = "CALM took too long to answer. Try again in a minute; if it keeps happening, tell IT.";

function problemMessage(status: number): string {
  if (status === 401) return "CALM could not confirm who you are. Close the pane and open it again; if it keeps happening, tell IT.";
  if (status === 403) return "Your CALM role does not allow this. Ask a register administrator if you need access.";
  if (status === 503) return "CALM's storage is busy or down. Try again in a minute.";
  if (status >= 500) return "Something went wrong in CALM and nothing was changed. Try again; if it keeps happening, tell IT.";
  return "CALM could not do that. Check what you entered and try again.";
}

export function createApi(options: ApiOptions) {
  const fetchImpl = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 8000;

  async function request<T>(method: string, path: string, init: { body?: unknown; raw?: { bytes: Uint8Array; contentType: string; headers?: Record<string, string> }; auth?: boolean; idempotencyKey?: string; timeoutMs?: number } = {}): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { "X-Calm-Surface": "addin", Accept: "application/json" };
    if (init.auth !== false) {
      const token = await options.getToken();
      if (!token.ok) return { ok: false, code: token.code, message: token.message };
      headers.Authorization = `Bearer ${token.token}`;
    }
    if (init.idempotencyKey) headers["Idempotency-Key"] = init.idempotencyKey;
    let body: BodyInit | undefined;
    if (init.raw) {
      Object.assign(headers, { "Content-Type": init.raw.contentType }, init.raw.headers);
      body = init.raw.bytes as unknown as BodyInit;
    } else if (init.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(init.body);
    }
    const controller = typeof AbortController === "function" ? new AbortController() : undefined;
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller?.abort(); }, init.timeoutMs ?? timeoutMs);
    let res: Response;
    try {
      res = await fetchImpl(`${options.baseUrl}${path}`, { method, headers, body, signal: controller?.signal });
    } catch {
      // fetch rejects only when no answer came (offline, refused, aborted): say which of the two it was.
      return { ok: false, code: timedOut ? "API_TIMEOUT" : "API_UNREACHABLE", message: timedOut ? TIMED_OUT : UNREACHABLE };
    } finally {
      clearTimeout(timer);
    }
    let json: unknown = undefined;
    const text = await res.text().catch(() => "");
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (res.ok) return { ok: true, value: json as T, status: res.status };
    const problem = (json ?? {}) as { code?: unknown; detail?: unknown; errors?: unknown };
    return {
      ok: false,
      status: res.status,
      code: typeof problem.code === "string" ? problem.code : `HTTP_${res.status}`,
      message: typeof problem.detail === "string" && problem.detail ? problem.detail : problemMessage(res.status),
      errors: Array.isArray(problem.errors) ? (problem.errors as { field: string; code?: string; message: string }[]) : undefined,
    };
  }

  return {
    settings: () => request<AddinSettings>("GET", "/api/addin/settings"),
    me: () => request<Me>("GET", "/api/me"),
    checkSenders: (addresses: string[]) => request<{ results: SenderResult[] }>("POST", "/api/senders/check", { body: { addresses } }),
    checkRecipients: (addresses: string[], from?: string) =>
      request<{ results: RecipientGuard[] }>("POST", "/api/addin/recipients/check", { body: from ? { addresses, from } : { addresses } }),
    sendAnyway: (input: { addresses: string[]; from?: string; reason: string; note?: string }) =>
      request<{ recorded: { reference: string; auditId: string }[]; at: string }>("POST", "/api/addin/send-anyway", { body: input }),
    openReport: (input: { subjectId?: string; email?: string }) =>
      request<{ subjectId: string | null; report: IncidentSummary | null }>("POST", "/api/addin/reports/open", { body: input }),
    createIncident: (incident: NewIncident, idempotencyKey: string) =>
      request<CreatedIncident>("POST", "/api/incidents", { body: incident, idempotencyKey }),
    addContacts: (incidentId: string, contacts: NonNullable<NewIncident["contacts"]>, idempotencyKey: string) =>
      request<{ incident: IncidentSummary; duplicate?: boolean }>("POST", `/api/incidents/${encodeURIComponent(incidentId)}/contacts`, { body: { contacts }, idempotencyKey }),
    // The same bytes and name uploaded twice make one evidence item (docs/api.md), so a retry is safe.
    addEvidence: (incidentId: string, file: { bytes: Uint8Array; contentType: string; fileName: string }) =>
      request<{ evidence: { id: string; fileName?: string; sizeBytes?: number }; duplicate?: boolean }>("POST", `/api/incidents/${encodeURIComponent(incidentId)}/evidence`, {
        raw: { bytes: file.bytes, contentType: file.contentType, headers: { "X-File-Name": encodeURIComponent(file.fileName), "X-Evidence-Kind": "email" } },
      }),
    // Where Outlook cannot copy the email, the server copies it from the mailbox through Microsoft 365 (as the signed-in
    // person). The id and mailbox go in the body. One key per form: a retry attaches it once (docs/api.md).
    attachEmailFromMailbox: (incidentId: string, email: { messageId: string; mailbox?: string }, idempotencyKey: string) =>
      request<{ evidence: { id: string; fileName?: string; contentType?: string; sizeBytes?: number }; source: "mime" | "headers-and-text"; duplicate?: boolean }>(
        "POST", `/api/incidents/${encodeURIComponent(incidentId)}/evidence/email`, { body: email, idempotencyKey, timeoutMs: 30_000 },
      ),
    devPersonas: () => request<{ personas: Persona[] }>("GET", "/api/dev/personas", { auth: false }),
    devSignIn: (personaId: string) => request<{ token: string; persona: { id: string; displayName: string; roles: string[] } }>("POST", "/api/dev/signin", { body: { personaId }, auth: false }),
  };
}

export type Api = ReturnType<typeof createApi>;
