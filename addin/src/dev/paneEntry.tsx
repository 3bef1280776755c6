// Entry of dev-pane.html: the CALM pane, framed by the local Outlook stand-in (dev.html). It takes the stand-in's
// Office host from the page that frames it, as a pane in Outlook gets Office.js from Outlook, then starts exactly
// as taskpane.html does.
import type { FakeOutlook } from "./fakeOutlook";
import { mountPane, paneModeFrom } from "../pane/mount";

const host = (window.parent as Window & { __calmFakeOutlook?: FakeOutlook }).__calmFakeOutlook;
const element = document.getElementById("root");
if (element) {
  if (host) {
    host.openPane();
    (window as { Office?: unknown }).Office = host.office;
  }
  mountPane(element, { mode: paneModeFrom(location.search), inOutlook: !!host });
}
