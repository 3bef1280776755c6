// One email from a mailbox the signed-in person can open: their own, or a shared mailbox they have access to. The
// Outlook add-in's "Report this email" asks the server to attach the email as evidence where Outlook itself cannot
// copy it (Mailbox 1.14 is missing). In production it is Microsoft Graph called as the signed-in user
// (on-behalf-of, delegated Mail.Read and Mail.Read.Shared), so CALM can never read mail the person could not read
// themselves; locally it is the Graph simulator, through the same adapter.
import type { UserAssertion } from "./directory";

/** Which email: its REST id (Office.js `convertToRestId`, v2.0: the id Microsoft Graph uses) and the mailbox it is
 * in when that is not the caller's own (a shared mailbox, by address). */
export interface MailItemRef {
  messageId: string;
  mailbox?: string;
}

/** What Graph gives about a message when its MIME cannot be had. */
export interface MailDetails {
  subject: string;
  from?: { name?: string; address?: string };
  receivedDateTime?: string;
  /** The internet headers as received. Empty for mail that never crossed the internet (Exchange keeps none). */
  headers: { name: string; value: string }[];
  /** The body, as plain text where Graph could convert it. */
  body: { contentType: "text" | "html"; content: string };
}

export type UserMailFailure =
  | "MAIL_NOT_FOUND"
  | "MAIL_ACCESS_DENIED"
  | "MAIL_TOO_LARGE"
  | "OBO_CONSENT_REQUIRED"
  | "OBO_FAILED"
  | "GRAPH_UNAVAILABLE";

const MESSAGES: Record<UserMailFailure, string> = {
  MAIL_NOT_FOUND: "CALM could not find that email in the mailbox. It may have been moved or deleted: open it again and try once more.",
  MAIL_ACCESS_DENIED: "CALM may not read that mailbox for you: you need access to it in Outlook. Ask the mailbox's owner or IT.",
  MAIL_TOO_LARGE: "The email is too large to copy whole.",
  OBO_CONSENT_REQUIRED: "CALM may not read your mailbox for you yet. Ask your IT team to grant admin consent for CALM's Microsoft Graph mail permissions (Mail.Read and Mail.Read.Shared).",
  OBO_FAILED: "CALM could not get a Microsoft Graph token for you. Try again; if it keeps happening, tell IT (the app registration's secret or certificate may have expired).",
  GRAPH_UNAVAILABLE: "Microsoft 365 did not answer CALM just now. Try again in a minute.",
};

/** An expected failure with a stable code and a plain message. Never carries the message id, subject or addresses. */
export class UserMailError extends Error {
  constructor(readonly code: UserMailFailure, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(MESSAGES[code], options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UserMailError";
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  readonly retryAfterSeconds: number | undefined;
}

export interface UserMailReader {
  /** The whole message as MIME (an .eml), at most `maxBytes`; MAIL_TOO_LARGE beyond that. */
  mime(ref: MailItemRef, asUser: UserAssertion, maxBytes: number): Promise<Buffer>;
  /** Its internet headers, text, subject, sender and when it came: the fallback when the MIME cannot be had. */
  details(ref: MailItemRef, asUser: UserAssertion): Promise<MailDetails>;
}
