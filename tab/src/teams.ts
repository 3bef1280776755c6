// The only module that touches Microsoft Teams (@microsoft/teams-js). Everything else in the tab gets what it
// needs from here as plain values and callbacks, so the portal also runs in a browser for local development.
// teams-js is loaded only when the page is framed: in a plain browser tab it is never fetched or run.

export type ThemeName = "light" | "dark" | "contrast";

export interface TeamsSession {
  theme: ThemeName;
  /** Teams single sign-on: an Entra access token for CALM's API (audience = CALM's app id URI). */
  getToken(): Promise<string>;
  onThemeChange(handler: (theme: ThemeName) => void): void;
  /** Whether Teams opened this page as a channel tab's settings page. */
  isSettingsPage: boolean;
  /** Channel tab set-up: remembers which portal page the tab shows. */
  saveChannelTab(input: { path: string; name: string }): void;
}

function themeOf(name: string | undefined): ThemeName {
  return name === "dark" ? "dark" : name === "contrast" ? "contrast" : "light";
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Teams did not answer in time")), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error instanceof Error ? error : new Error(String(error))); },
    );
  });
}

/** Connects to Teams when the page is inside it; resolves undefined in an ordinary browser tab. */
export async function connectToTeams(timeoutMs = 5000): Promise<TeamsSession | undefined> {
  // A top-level window is never a Teams tab (Teams hosts tabs in a frame or web view).
  if (window.self === window.top) return undefined;
  const { app, authentication, FrameContexts, pages } = await import("@microsoft/teams-js");
  try {
    await withTimeout(app.initialize(), timeoutMs);
  } catch (error) {
    // Framed by something that is not Teams (a preview, another portal): carry on as a browser page.
    console.info("CALM: not running inside Teams", error instanceof Error ? error.message : "");
    return undefined;
  }
  const context = await app.getContext();
  app.notifyAppLoaded();
  void app.notifySuccess();
  const isSettingsPage = context.page.frameContext === FrameContexts.settings;
  return {
    theme: themeOf(context.app.theme),
    async getToken() {
      try {
        return await authentication.getAuthToken();
      } catch (error) {
        // Usually consent: the council has not yet allowed Teams to sign people in to CALM.
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(`Teams could not sign you in to CALM. If CALM is new here, ask your IT team to grant consent for it, then open the tab again. (Teams said: ${detail})`);
      }
    },
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(themeOf(t))),
    isSettingsPage,
    saveChannelTab({ path, name }) {
      pages.config.registerOnSaveHandler((event) => {
        const base = `${window.location.origin}/tab/`;
        pages.config
          .setConfig({ contentUrl: `${base}#${path}`, websiteUrl: `${base}#${path}`, entityId: `calm${path.replace(/\W+/g, "-")}`, suggestedDisplayName: name })
          .then(() => event.notifySuccess())
          .catch((error: unknown) => event.notifyFailure(error instanceof Error ? error.message : "CALM could not save the tab. Try again."));
      });
      pages.config.setValidityState(true);
    },
  };
}
