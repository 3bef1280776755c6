// The unified app manifest: valid against the schema shipped in @microsoft/app-manifest once env/.env.local is
// filled in (offline), and carrying the bot, the tabs and the Outlook add-in the product needs.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  APP_PACKAGE_DIR, ROOT, checkConsistency, parseEnvText, placeholdersIn, readEnvFiles, schemaPathFor, substitute,
  validateAgainstShippedSchema,
} from "../../../scripts/package";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, Json>;

const template = readFileSync(path.join(APP_PACKAGE_DIR, "manifest.json"), "utf8");
const local = readEnvFiles(path.join(ROOT, "env"), "local");

function filled(values: Record<string, string> = local.values): Obj {
  const { text, problems } = substitute(template, values, "env/.env.local");
  assert.deepEqual(problems, []);
  return JSON.parse(text) as Obj;
}

const obj = (v: Json | undefined): Obj => {
  assert.ok(v && typeof v === "object" && !Array.isArray(v), "an object");
  return v;
};
const arr = (v: Json | undefined): Json[] => {
  assert.ok(Array.isArray(v), "an array");
  return v;
};

describe("app package: manifest", () => {
  const manifest = filled();

  it("uses a manifest version whose schema ships with @microsoft/app-manifest", () => {
    assert.equal(manifest.manifestVersion, "1.24");
    assert.doesNotThrow(() => readFileSync(schemaPathFor("1.24")));
    assert.equal(manifest.$schema, "https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json");
  });

  it("is valid against that schema, offline, after substitution with env/.env.local", async function () {
    this.timeout(20000);
    assert.deepEqual(await validateAgainstShippedSchema(manifest), []);
    assert.deepEqual(checkConsistency(manifest, APP_PACKAGE_DIR), []);
  });

  it("the schema check catches a broken manifest (bad bot id, unknown property)", async function () {
    this.timeout(20000);
    const broken = filled({ ...local.values, BOT_ID: "not-a-guid" });
    broken.surprise = true;
    const errors = await validateAgainstShippedSchema(broken);
    assert.ok(errors.some((e) => e.includes("/bots/0/botId")), errors.join("\n"));
    assert.ok(errors.some((e) => e.includes("surprise")), errors.join("\n"));
  });

  it("every placeholder is one env/.env.local sets", () => {
    assert.deepEqual(placeholdersIn(template).filter((p) => !(p in local.values)), []);
  });

  it("has one bot in personal, team and group chat scopes, with the report and lookup commands", () => {
    const [bot] = arr(manifest.bots).map(obj);
    assert.equal(bot?.botId, local.values.BOT_ID);
    assert.deepEqual(arr(bot?.scopes), ["personal", "team", "groupChat"]);
    const commands = arr(obj(arr(bot?.commandLists)[0]).commands).map((c) => obj(c).title);
    assert.deepEqual(commands, ["report", "lookup"]);
  });

  it("has the staff portal as a static tab and a configurable tab for the panel's channel", () => {
    const tabs = arr(manifest.staticTabs).map(obj);
    const portal = tabs.find((t) => t.entityId === "calm-portal");
    assert.equal(portal?.contentUrl, `${local.values.TAB_ENDPOINT}/tab/`);
    assert.deepEqual(arr(portal?.scopes), ["personal"]);
    const [configurable] = arr(manifest.configurableTabs).map(obj);
    assert.equal(configurable?.configurationUrl, `${local.values.TAB_ENDPOINT}/tab/config`);
    assert.deepEqual(arr(configurable?.scopes), ["team"]);
  });

  it("signs staff in with the API app registration (webApplicationInfo) and allows only the app's domain", () => {
    assert.deepEqual(manifest.webApplicationInfo, { id: local.values.AAD_APP_CLIENT_ID, resource: local.values.AAD_APP_ID_URI });
    assert.deepEqual(manifest.validDomains, [local.values.TAB_DOMAIN]);
  });

  describe("Outlook add-in extension", () => {
    const [extension] = arr(manifest.extensions).map(obj);
    const runtimes = arr(extension?.runtimes).map(obj);
    const actions: Array<{ id: Json; type: Json; pinnable: Json; runtime: Obj }> = runtimes.flatMap((r) =>
      arr(r.actions).map((a) => ({ id: obj(a).id ?? null, type: obj(a).type ?? null, pinnable: obj(a).pinnable ?? null, runtime: r })));

    it("needs Mailbox 1.5 or later, for mail", () => {
      const requirements = obj(extension?.requirements);
      assert.deepEqual(arr(requirements.scopes), ["mail"]);
      assert.deepEqual(arr(requirements.capabilities), [{ name: "Mailbox", minVersion: "1.5" }]);
    });

    it("has a pinnable task pane at /addin/taskpane.html, opened from read mode", () => {
      const pane = actions.find((a) => a.id === "openCalmPane");
      assert.equal(pane?.type, "openPage");
      assert.equal(pane?.pinnable, true);
      assert.equal(obj(pane?.runtime.code).page, `${local.values.TAB_ENDPOINT}/addin/taskpane.html`);
      const [ribbon] = arr(extension?.ribbons).map(obj);
      assert.deepEqual(arr(ribbon?.contexts), ["mailRead"]);
    });

    it("has a \"Report this email\" command on the ribbon", () => {
      const controls = arr(extension?.ribbons).map(obj)
        .flatMap((r) => arr(r.tabs).map(obj)).flatMap((t) => arr(t.groups).map(obj)).flatMap((g) => arr(g.controls).map(obj));
      const report = controls.find((c) => c.label === "Report this email");
      assert.ok(report, "a Report this email button");
      const action = actions.find((a) => a.id === report.actionId);
      assert.ok(action, "its action is declared in a runtime");
      assert.match(JSON.stringify(obj(action.runtime.code).page), /\/addin\/taskpane\.html\?mode=report"$/);
      for (const control of controls) {
        assert.deepEqual(arr(control.icons).map((i) => obj(i).size), [16, 32, 80], `${JSON.stringify(control.label)} has the three ribbon icon sizes`);
      }
    });

    it("runs on recipients changing and on send, from the runtime at /addin/commands.html", () => {
      const events = arr(extension?.autoRunEvents).map(obj).flatMap((e) => arr(e.events).map(obj));
      assert.deepEqual(events.map((e) => e.type).sort(), ["messageRecipientsChanged", "messageSending"]);
      for (const event of events) {
        const action = actions.find((a) => a.id === event.actionId);
        assert.equal(action?.type, "executeFunction", `${JSON.stringify(event.type)} runs a function`);
        assert.equal(obj(action?.runtime.code).page, `${local.values.TAB_ENDPOINT}/addin/commands.html`);
      }
      const send = events.find((e) => e.type === "messageSending");
      // Soft block (issue 5 item 3): the add-in decides, so a non-SPOC is stopped until they give a reason
      // (audited) or remove the person; if the add-in is unavailable, Outlook sends anyway. Never a hard block.
      assert.deepEqual(send?.options, { sendMode: "softBlock" }, "a soft block the sender can get past with a reason, never a hard block");
    });

    it("has a compose-mode \"Contact guidance\" pane, the one the Smart Alert's \"Give a reason\" opens", () => {
      const compose = arr(extension?.ribbons).map(obj).filter((r) => arr(r.contexts).includes("mailCompose"));
      const controls = compose.flatMap((r) => arr(r.tabs).map(obj)).flatMap((t) => arr(t.groups).map(obj)).flatMap((g) => arr(g.controls).map(obj));
      const guidance = controls.find((c) => c.id === "calmComposeGuidance");
      assert.ok(guidance, "a calmComposeGuidance button in compose mode");
      const action = actions.find((a) => a.id === guidance.actionId);
      assert.equal(action?.type, "openPage");
      assert.equal(obj(action?.runtime.code).page, `${local.values.TAB_ENDPOINT}/addin/taskpane.html?mode=compose`);
    });

    it("asks only for read-item permission on the mailbox", () => {
      assert.deepEqual(manifest.authorization, { permissions: { resourceSpecific: [{ name: "MailboxItem.Read.User", type: "Delegated" }] } });
    });
  });

  describe("consistency checks beyond the schema", () => {
    it("catch a page on a host that is not a valid domain", () => {
      const moved = filled({ ...local.values, TAB_DOMAIN: "calm.example.org" });
      const problems = checkConsistency(moved, APP_PACKAGE_DIR);
      assert.ok(problems.some((p) => p.includes("not in validDomains")), problems.join("\n"));
    });

    it("catch an SSO resource that does not belong to the app", () => {
      const wrong = filled({ ...local.values, AAD_APP_ID_URI: "api://localhost:3978/00000000-0000-4000-8000-000000000bad" });
      const problems = checkConsistency(wrong, APP_PACKAGE_DIR);
      assert.ok(problems.some((p) => p.includes("webApplicationInfo.resource")), problems.join("\n"));
    });
  });

  describe("env files and placeholders", () => {
    it("parses quotes, comments and blank values like the toolkit", () => {
      assert.deepEqual(parseEnvText('# c\nA=1\nB=" (dev)"\nC=\nD=x # note\nexport E=\'q\'\n'), { A: "1", B: " (dev)", C: "", D: "x", E: "q" });
    });

    it("names every missing or empty value, and escapes values for JSON", () => {
      const { problems, text } = substitute('{"a":"${{A}}","b":"${{B}}","c":"${{C}}","s":"x${{APP_NAME_SUFFIX}}"}', { B: "", C: 'say "hi"', APP_NAME_SUFFIX: "" }, "env/.env.test");
      assert.deepEqual(problems, ["A is not set: add A=<value> to env/.env.test", "B is empty: give it a value in env/.env.test"]);
      assert.equal((JSON.parse(text) as Record<string, string>).c, 'say "hi"');
    });
  });
});
