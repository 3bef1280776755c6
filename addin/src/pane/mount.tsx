// Puts the pane on a page in the theme Outlook is using (light, dark, or high contrast when Windows forces
// colours), with the API client and sign-in wired up. Used by taskpane.html and the local dev page.
import { StrictMode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { FluentProvider, teamsHighContrastTheme, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { createApi, type Api } from "../api";
import { devToken, getToken, setDevToken } from "../auth";
import { prefersDark } from "../outlook";
import { App, NotInOutlook, type PaneMode } from "./App";

export function paneModeFrom(search: string): PaneMode {
  const mode = new URLSearchParams(search).get("mode");
  return mode === "report" || mode === "compose" ? mode : "read";
}

function theme() {
  if (typeof matchMedia === "function" && matchMedia("(forced-colors: active)").matches) return teamsHighContrastTheme;
  return prefersDark() ? webDarkTheme : webLightTheme;
}

export function mountPane(element: HTMLElement, options: { mode: PaneMode; api?: Api; inOutlook: boolean }): Root {
  const root = createRoot(element);
  const api = options.api ?? createApi({ baseUrl: "", getToken });
  root.render(
    <StrictMode>
      <FluentProvider theme={options.inOutlook ? theme() : webLightTheme} style={{ minHeight: "100%" }}>
        {options.inOutlook ? <App mode={options.mode} api={api} auth={{ devToken, setDevToken }} /> : <NotInOutlook />}
      </FluentProvider>
    </StrictMode>,
  );
  return root;
}
