// Entry of taskpane.html. Office.js comes from Microsoft's CDN before this script; outside Outlook (or offline)
// it is missing or never becomes ready, and the page says where to go instead.
import { whenReady } from "../outlook";
import { mountPane, paneModeFrom } from "./mount";

async function start(): Promise<void> {
  const element = document.getElementById("root");
  if (!element) return;
  const ready = await whenReady(8000);
  mountPane(element, { mode: paneModeFrom(location.search), inOutlook: !!ready?.host });
}

void start();
