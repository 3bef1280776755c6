// Files a person attaches in their personal chat with CALM become evidence on their last report. Teams sends a file
// as a `file.download.info` attachment with a short-lived download URL; the bytes are fetched (https, allowed hosts
// only, stopped at the size limit), checked and stored by IncidentService like any other evidence upload.
import type { Attachment } from "botbuilder";
import type { Caller } from "../../../../core/src/domain";
import type { Logger } from "../../ports/system";
import type { IncidentService } from "../../services/incidents";
import { INCIDENT_LIMITS } from "../../services/incidents";

export type AttachmentFetcher = (url: string, maxBytes: number) => Promise<{ data: Buffer; contentType?: string }>;

export class AttachmentFetchError extends Error {
  constructor(readonly code: "ATTACHMENT_TOO_LARGE" | "ATTACHMENT_HOST_NOT_ALLOWED" | "ATTACHMENT_DOWNLOAD_FAILED", message: string) {
    super(message);
    this.name = "AttachmentFetchError";
  }
}

const BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp", pdf: "application/pdf", txt: "text/plain",
  eml: "message/rfc822", msg: "application/vnd.ms-outlook", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  mp3: "audio/mpeg", m4a: "audio/mp4", wav: "audio/wav", mp4: "video/mp4",
};

export function contentTypeFor(fileName: string, declared?: string): string {
  const ext = fileName.split(".").pop()?.toLowerCase() ?? "";
  return BY_EXTENSION[ext] ?? declared ?? "application/octet-stream";
}

/** A fetcher for Teams file downloads: https only (plain http only to this machine, for local tools), hosts on the
 * allow list, at most `maxBytes` read. */
export function httpAttachmentFetcher(options: { allowedHosts: string[]; timeoutMs?: number; allowLocalHttp?: boolean }): AttachmentFetcher {
  const allowed = (host: string) => options.allowedHosts.some((h) => (h.startsWith(".") ? host.endsWith(h) : host === h));
  return async (url, maxBytes) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new AttachmentFetchError("ATTACHMENT_DOWNLOAD_FAILED", "The file link is not valid.");
    }
    const local = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost";
    if (!(parsed.protocol === "https:" && allowed(parsed.hostname)) && !(options.allowLocalHttp && local)) {
      throw new AttachmentFetchError("ATTACHMENT_HOST_NOT_ALLOWED", "CALM cannot fetch files from there.");
    }
    const res = await fetch(parsed, { redirect: "error", signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
    if (!res.ok || !res.body) throw new AttachmentFetchError("ATTACHMENT_DOWNLOAD_FAILED", `The file could not be downloaded (${res.status}).`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) throw new AttachmentFetchError("ATTACHMENT_TOO_LARGE", `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB.`);
      chunks.push(Buffer.from(chunk));
    }
    return { data: Buffer.concat(chunks), ...(res.headers.get("content-type") ? { contentType: res.headers.get("content-type")! } : {}) };
  };
}

export async function addEvidenceFromAttachments(input: { files: Attachment[]; fetch: AttachmentFetcher; incidents: IncidentService; caller: Caller; incidentId: string; logger: Logger }): Promise<{ fileName: string; ok: boolean; message: string }[]> {
  const results: { fileName: string; ok: boolean; message: string }[] = [];
  for (const file of input.files.slice(0, 10)) {
    const fileName = (file.name ?? "file").slice(0, 120);
    const content = file.content as { downloadUrl?: unknown; fileType?: unknown } | undefined;
    const url = typeof content?.downloadUrl === "string" ? content.downloadUrl : file.contentUrl;
    if (!url) {
      results.push({ fileName, ok: false, message: "Teams did not send the file. Try attaching it again." });
      continue;
    }
    try {
      const got = await input.fetch(url, INCIDENT_LIMITS.evidenceBytes + 1);
      const declared = file.contentType.startsWith("application/vnd.microsoft") ? got.contentType : file.contentType;
      const outcome = await input.incidents.addEvidence(input.caller, input.incidentId, { data: got.data, contentType: contentTypeFor(fileName, declared), fileName }, "bot");
      results.push(outcome.ok ? { fileName, ok: true, message: "" } : { fileName, ok: false, message: outcome.message });
    } catch (error) {
      if (error instanceof AttachmentFetchError) {
        results.push({ fileName, ok: false, message: error.code === "ATTACHMENT_TOO_LARGE" ? `${error.message} For CCTV or long recordings, say where the footage is kept instead.` : `${error.message} Try again, or add it in the staff portal.` });
      } else {
        input.logger.warn("bot.attachment_failed", { error: error instanceof Error ? error.name : "unknown" });
        results.push({ fileName, ok: false, message: "It could not be added just now. Try again in a minute." });
      }
    }
  }
  return results;
}
