// The stand-in host as a classic script, for the Chromium tests: they serve it in place of Office.js from
// Microsoft's CDN, so the production pages (taskpane.html, commands.html) run unchanged against it. The test puts
// its mailbox in `window.__CALM_FAKE_OUTLOOK__` before the page loads, and drives the host through
// `window.__calmFakeOutlook`.
import { FakeOutlook, type FakeDraft, type FakeOutlookOptions } from "./fakeOutlook";

interface FakeSetup extends FakeOutlookOptions {
  /** Open this message in read mode, or start this draft in compose mode. */
  select?: number;
  compose?: Partial<FakeDraft>;
}

const w = window as unknown as { __CALM_FAKE_OUTLOOK__?: FakeSetup; __calmFakeOutlook?: FakeOutlook };
const setup = w.__CALM_FAKE_OUTLOOK__;
if (setup) {
  const fake = new FakeOutlook(setup).install(w as { Office?: unknown });
  if (setup.compose) fake.compose(setup.compose);
  else if (setup.select !== undefined) fake.select(setup.select);
  w.__calmFakeOutlook = fake;
}
