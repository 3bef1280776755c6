// Headers on every response. The CSP lets Teams and Outlook frame the tab and add-in pages (frame-ancestors) and
// nothing else; scripts load only from this server (and Office.js from Microsoft's CDN for the add-in).
export const FRAME_ANCESTORS = [
  "'self'",
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://*.teams.microsoft.us",
  "https://*.cloud.microsoft",
  "https://*.office.com",
  "https://*.office365.com",
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook.live.com",
  "https://*.microsoft365.com",
];

/** For JSON API answers: nothing in them is ever rendered or framed, so the policy forbids everything. Kept short
 * because every sender check pays for every header byte. */
export function apiHeaders(): Record<string, string> {
  return {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cache-Control": "no-store",
  };
}

/** For the tab and add-in pages. */
export function securityHeaders(): Record<string, string> {
  return {
    "Content-Security-Policy": [
      "default-src 'self'",
      "script-src 'self' https://appsforoffice.microsoft.com https://res.cdn.office.net",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      // TeamsJS 2.19+ fetches the list of trusted Microsoft 365 hosts from this CDN on start-up (the move to
      // *.cloud.microsoft); without it the tab does not initialise inside Teams. Found by tests/security/headers.test.ts.
      "connect-src 'self' https://res.cdn.office.net",
      "font-src 'self' data: https://res-1.cdn.office.net",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${FRAME_ANCESTORS.join(" ")}`,
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
  };
}
