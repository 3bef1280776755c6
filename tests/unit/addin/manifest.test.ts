// The Outlook add-in part of the unified manifest (appPackage/manifest.json "extensions"), validated offline
// against the unified manifest schema shipped in @microsoft/app-manifest, and tied to what the add-in's build
// produces: every page and script the runtimes load, every icon at the size the ribbon expects, every ribbon and
// event action declared in a runtime, and the ids the code uses (Office.actions.associate, the Smart Alert).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { APP_PACKAGE_DIR, ROOT, readEnvFiles, substitute, validateAgainstShippedSchema } from "../../../scripts/package";
import { buildAddinIfStale } from "../../../addin/scripts/build";
import { DIST_DIR } from "../../../addin/scripts/buildState";
import { COMPOSE_PANE_COMMAND_ID } from "../../../addin/src/handlers/compose";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Action { id: string; type: string; pinnable?: boolean }
interface Runtime { id: string; code: { page: string; script?: string }; actions: Action[]; requirements?: { capabilities: { name: string; minVersion: string }[] } }
interface Control { id: string; actionId: string; icons: { size: number; url: string }[] }
interface Extension {
  requirements: { scopes: string[]; capabilities: { name: string; minVersion: string }[] };
  runtimes: Runtime[];
  ribbons: { contexts: string[]; tabs: { groups: { icons: { size: number; url: string }[]; controls: Control[] }[] }[] }[];
  autoRunEvents: { requirements: { capabilities: { name: string; minVersion: string }[] }; events: { type: string; actionId: string; options?: { sendMode: string } }[] }[];
  alternates: { alternateIcons: { icon: { url: string }; highResolutionIcon: { url: string } } }[];
}

const template = readFileSync(path.join(APP_PACKAGE_DIR, "manifest.json"), "utf8");
const HOST = "https://calm.example.org";

/** The manifest filled as for a real deployment (https, one host). */
function filled(): Record<string, Json> {
  const local = readEnvFiles(path.join(ROOT, "env"), "local").values;
  const values = { ...local, TAB_ENDPOINT: HOST, TAB_DOMAIN: "calm.example.org", BOT_ENDPOINT: HOST, BOT_DOMAIN: "calm.example.org", AAD_APP_ID_URI: `api://calm.example.org/${local.AAD_APP_CLIENT_ID}` };
  const { text, problems } = substitute(template, values, "test values");
  assert.deepEqual(problems, []);
  return JSON.parse(text) as Record<string, Json>;
}

function extensionOf(manifest: Record<string, Json>): Extension {
  return (manifest.extensions as unknown as Extension[])[0]!;
}

/** The file of addin/dist a manifest URL loads. */
function distFile(url: string): string {
  assert.ok(url.startsWith(`${HOST}/addin/`), url);
  return path.join(DIST_DIR, new URL(url).pathname.slice("/addin/".length));
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString("ascii"), "PNG", `${file} is a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("Outlook add-in manifest (offline, against the shipped unified manifest schema)", function () {
  this.timeout(60_000);
  const manifest = filled();
  const extension = extensionOf(manifest);
  const actions = extension.runtimes.flatMap((r) => r.actions.map((a) => ({ ...a, runtime: r })));
  const controls = extension.ribbons.flatMap((r) => r.tabs.flatMap((t) => t.groups.flatMap((g) => g.controls.map((c) => ({ ...c, contexts: r.contexts })))));

  before(async () => { await buildAddinIfStale({ quiet: true }); });

  it("is valid against the schema, with no network", async () => {
    assert.deepEqual(await validateAgainstShippedSchema(manifest), []);
  });

  const broken: [string, (e: Extension & Record<string, unknown>) => void, RegExp][] = [
    ["a send mode Outlook does not know", (e) => { e.autoRunEvents[1]!.events[0]!.options = { sendMode: "warnOnly" }; }, /autoRunEvents/],
    ["a runtime without its page", (e) => { delete (e.runtimes[0]!.code as Partial<Runtime["code"]>).page; }, /runtimes/],
    ["an unknown property on the extension", (e) => { e.surprise = true; }, /surprise|additional/i],
    ["a ribbon icon size Outlook cannot use", (e) => { e.ribbons[0]!.tabs[0]!.groups[0]!.icons[0]!.size = 17; }, /ribbons/],
  ];
  for (const [what, breakIt, where] of broken) {
    it(`the schema check catches ${what}`, async () => {
      const copy = JSON.parse(JSON.stringify(manifest)) as Record<string, Json>;
      breakIt(extensionOf(copy) as Extension & Record<string, unknown>);
      const errors = await validateAgainstShippedSchema(copy);
      assert.ok(errors.some((e) => where.test(e)), errors.join("\n"));
    });
  }

  it("loads only pages and scripts the add-in build produces", () => {
    for (const r of extension.runtimes) {
      const page = new URL(r.code.page);
      assert.ok(existsSync(distFile(`${page.origin}${page.pathname}`)), `${r.id}: ${r.code.page}`);
      if (r.code.script) assert.ok(existsSync(distFile(r.code.script)), `${r.id}: ${r.code.script}`);
    }
    assert.deepEqual(extension.runtimes.map((r) => r.code.page.replace(HOST, "")).sort(), [
      "/addin/commands.html", "/addin/taskpane.html", "/addin/taskpane.html?mode=compose", "/addin/taskpane.html?mode=report",
    ]);
  });

  it("points every icon at a built file of the size it claims (ribbon 16/32/80, older Outlook 64 and 128)", () => {
    const icons = [
      ...extension.ribbons.flatMap((r) => r.tabs.flatMap((t) => t.groups.flatMap((g) => [...g.icons, ...g.controls.flatMap((c) => c.icons)]))),
      { size: 64, url: extension.alternates[0]!.alternateIcons.icon.url },
      { size: 128, url: extension.alternates[0]!.alternateIcons.highResolutionIcon.url },
    ];
    for (const icon of icons) {
      const file = distFile(icon.url);
      assert.ok(existsSync(file), icon.url);
      assert.deepEqual(pngSize(file), { width: icon.size, height: icon.size }, icon.url);
    }
  });

  it("declares every ribbon button's action as a page in a runtime: a pinnable read pane, the report form, the compose pane", () => {
    for (const c of controls) {
      const action = actions.find((a) => a.id === c.actionId);
      assert.equal(action?.type, "openPage", c.id);
    }
    const read = controls.find((c) => c.id === "calmCheckSender")!;
    assert.deepEqual(read.contexts, ["mailRead"]);
    assert.equal(actions.find((a) => a.id === read.actionId)?.pinnable, true, "pinnable, so it follows the reader (ItemChanged)");
    const compose = controls.find((c) => c.id === COMPOSE_PANE_COMMAND_ID);
    assert.ok(compose, "the Smart Alert's commandId is a compose-mode control");
    assert.deepEqual(compose.contexts, ["mailCompose"]);
  });

  it("runs the event handlers from commands.html, with commands.js for classic Outlook on Windows, at the right requirement sets", () => {
    const minimum: Record<string, string> = { messageRecipientsChanged: "1.11", messageSending: "1.12" };
    for (const group of extension.autoRunEvents) {
      for (const event of group.events) {
        const action = actions.find((a) => a.id === event.actionId);
        assert.equal(action?.type, "executeFunction", event.type);
        assert.equal(action.runtime.code.page, `${HOST}/addin/commands.html`);
        assert.equal(action.runtime.code.script, `${HOST}/addin/commands.js`);
        assert.equal(group.requirements.capabilities.find((c) => c.name === "Mailbox")?.minVersion, minimum[event.type], event.type);
      }
    }
    const sending = extension.autoRunEvents.flatMap((g) => g.events).find((e) => e.type === "messageSending");
    assert.deepEqual(sending?.options, { sendMode: "softBlock" });
  });

  it("keeps every id unique, and under the schema's 64 characters", () => {
    const ids = [...extension.runtimes.map((r) => r.id), ...actions.map((a) => a.id), ...controls.map((c) => c.id)];
    assert.equal(new Set(ids).size, ids.length, ids.join(", "));
    assert.ok(ids.every((id) => id.length <= 64));
  });

  it("the built commands.js is one classic script that registers the handlers (no module syntax)", () => {
    const script = readFileSync(path.join(DIST_DIR, "commands.js"), "utf8");
    assert.doesNotMatch(script, /^\s*(import|export)\s/m);
    assert.match(script, /onMessageRecipientsChanged/);
    assert.match(script, /onMessageSend/);
  });
});
