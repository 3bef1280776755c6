// The event-based runtime (commands.html in Outlook on the web, new Outlook and Mac; commands.js on its own in
// classic Outlook on Windows, where there is no page). Registers the handlers by the action ids the manifest
// names. Built as one classic script (no modules) because the JavaScript-only runtime cannot load modules.
import { createApi } from "./api";
import { getToken } from "./auth";
import { onMessageSend, onRecipientsChanged } from "./handlers/compose";
import { associate, type HostEvent } from "./outlook";

declare const __CALM_API_BASE__: string | undefined;

/** The API's origin: the page's own where there is a page; in the JavaScript-only runtime (no location) the
 * origin the add-in was built for (TAB_ENDPOINT at build time). */
export function apiBase(): string {
  const here = typeof location !== "undefined" && /^https?:$/.test(location.protocol) ? location.origin : "";
  return here || (typeof __CALM_API_BASE__ === "string" ? __CALM_API_BASE__ : "");
}

export function registerCommands(api = createApi({ baseUrl: apiBase(), getToken, timeoutMs: 6000 })): void {
  associate({
    onMessageRecipientsChanged: (event: HostEvent) => void onRecipientsChanged(event, api),
    onMessageSend: (event: HostEvent) => void onMessageSend(event, api),
  });
}
