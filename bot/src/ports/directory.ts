// The organisation's directory, as the portal needs it: the names of staff behind ids in the audit trail, and
// people and groups to pick for an access grant. In production it is Microsoft Graph called as the signed-in
// user (on-behalf-of), so a person only ever sees the directory their own account may see; locally it is the
// fictional personas.

/** The caller's own access token for CALM, which the Graph adapter exchanges on their behalf (OBO). */
export interface UserAssertion {
  token: string;
}

export interface DirectoryPrincipal {
  kind: "user" | "group";
  /** Entra object id. */
  id: string;
  displayName: string;
  /** A second line to tell two people apart: job title or email for a person, description for a group. */
  detail?: string;
}

export interface StaffDirectory {
  /** Display names for these object ids; ids the directory does not know are left out. */
  names(ids: string[], asUser: UserAssertion): Promise<Map<string, string>>;
  /** People and groups whose name starts with the text (at most 20). */
  search(text: string, asUser: UserAssertion): Promise<DirectoryPrincipal[]>;
}

/** The directory could not answer (Graph down, consent missing). Callers fall back to what they already know. */
export class DirectoryUnavailableError extends Error {
  readonly code = "DIRECTORY_UNAVAILABLE";
  constructor(readonly reason: "consent" | "unavailable", options?: { cause?: unknown }) {
    super(
      reason === "consent"
        ? "CALM may not read the directory for you yet. Ask your IT team to grant consent for CALM to read basic profiles."
        : "The staff directory is not answering right now. Try again in a minute.",
      options,
    );
    this.name = "DirectoryUnavailableError";
  }
}
