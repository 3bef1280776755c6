// Sign-in for the add-in: Office single sign-on gives a token for the CALM API (the manifest's
// webApplicationInfo, pre-authorised for Outlook in infra/entra/aad.manifest.json), so staff never see a sign-in
// box. When SSO cannot work, the person is told why and what to do (consent missing, not signed in, an old
// Outlook). On a developer machine with local sign-in on, a fictional persona's token stands in for SSO.
import { OutlookError, ssoToken } from "./outlook";

export type TokenOutcome = { ok: true; token: string } | { ok: false; code: string; message: string };

/** Office's getAccessToken error codes (Office.js "Troubleshoot error messages for single sign-on"). */
export function ssoProblem(code: number | undefined): { code: string; message: string } {
  switch (code) {
    case 13001:
      return { code: "SIGN_IN_NEEDED", message: "You are not signed in to Outlook with your council account. Sign in to Outlook, then open CALM again." };
    case 13002:
      return { code: "CONSENT_DECLINED", message: "CALM needs your permission to sign you in, and it was not given. Open CALM again and choose Accept, or ask IT to grant consent for everyone." };
    case 13003:
      return { code: "ACCOUNT_NOT_SUPPORTED", message: "CALM works only with your council work account. Sign in to Outlook with it and try again." };
    case 13004:
    case 13005:
    case 13007:
      return { code: "CONSENT_MISSING", message: "CALM has not been given permission to sign you in. Ask IT to grant admin consent for CALM in Entra ID (see the README, 'Deploy to your tenant', step 4), then try again." };
    case 13006:
      return { code: "SIGN_IN_CLIENT_ERROR", message: "Outlook could not sign you in to CALM just now. Close Outlook, open it again and try once more; if it keeps happening, tell IT." };
    case 13008:
      return { code: "SIGN_IN_BUSY", message: "Outlook is still signing you in. Wait a moment and try again." };
    case 13010:
      return { code: "SIGN_IN_BLOCKED", message: "Your browser is blocking the sign-in. Add this site to your trusted sites, or use the Outlook app." };
    case 13012:
    case 13000:
    case 13013:
      return { code: "SSO_NOT_SUPPORTED", message: "This version of Outlook cannot sign add-ins in. Update Outlook, or use Outlook on the web." };
    default:
      return { code: "SIGN_IN_FAILED", message: "CALM could not sign you in. Close the pane and open it again; if it keeps happening, tell IT." };
  }
}

const DEV_TOKEN_KEY = "calm.addin.devToken";

function session(): Storage | undefined {
  try {
    return typeof sessionStorage === "undefined" ? undefined : sessionStorage;
  } catch {
    // Storage can be blocked (privacy settings, the JavaScript-only event runtime): then there is no dev token.
    return undefined;
  }
}

/** Local development only: a persona token from POST /api/dev/signin, kept for this browser tab. */
export function setDevToken(token: string | undefined): void {
  const store = session();
  if (!store) return;
  if (token) store.setItem(DEV_TOKEN_KEY, token);
  else store.removeItem(DEV_TOKEN_KEY);
}

export function devToken(): string | undefined {
  return session()?.getItem(DEV_TOKEN_KEY) ?? undefined;
}

/** The token for the next API call: the local persona's if one was chosen, otherwise Office SSO. */
export async function getToken(): Promise<TokenOutcome> {
  const dev = devToken();
  if (dev) return { ok: true, token: dev };
  try {
    return { ok: true, token: await ssoToken() };
  } catch (error) {
    const code = error instanceof OutlookError ? error.code : undefined;
    return { ok: false, ...ssoProblem(code) };
  }
}
