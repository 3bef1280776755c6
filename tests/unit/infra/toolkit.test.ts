// The Microsoft 365 Agents Toolkit project files: m365agents.yml (provision, deploy, publish), the local one,
// the committed env files (no secrets), and the provision step that guards the identifier hash key.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { decide, KEY_VARIABLE, MIN_KEY_LENGTH, newIdentifierHashKey, present } from "../../../infra/scripts/identifierHashKey";
import { outputs, readInfra } from "./bicepText";

const ROOT = path.resolve(__dirname, "../../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

interface Step { uses: string; text: string }

/** Splits a toolkit yml into its lifecycle sections and the steps (`- uses: ...`) of each, in order. */
function lifecycle(text: string): Record<string, Step[]> {
  const sections: Record<string, Step[]> = {};
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const section = /^(provision|deploy|publish):\s*$/.exec(line);
    if (section) {
      current = section[1]!;
      sections[current] = [];
      continue;
    }
    if (/^\S/.test(line) && !line.startsWith("#")) current = undefined;
    if (!current) continue;
    const step = /^\s{2}- uses:\s*(\S+)/.exec(line);
    if (step) sections[current]!.push({ uses: step[1]!, text: `${line}\n` });
    else if (sections[current]!.length) sections[current]![sections[current]!.length - 1]!.text += `${line}\n`;
  }
  return sections;
}

function withValue(step: Step, key: string): string | undefined {
  return new RegExp(`^\\s+${key}:\\s*(.+)$`, "m").exec(step.text)?.[1]?.trim();
}

function envKeys(file: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const m of read(file).matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)) values.set(m[1]!, m[2]!);
  return values;
}

/** Variables the toolkit provides itself. */
const TOOLKIT_BUILT_INS = new Set(["TEAMSFX_ENV", "AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP_NAME"]);

describe("infra: Microsoft 365 Agents Toolkit project", () => {
  const yml = read("m365agents.yml");
  const steps = lifecycle(yml);

  it("uses a current yaml schema version", () => {
    assert.match(yml, /^version: v1\.(9|1\d)$/m);
    assert.match(yml, /^environmentFolderPath: \.\/env$/m);
  });

  it("provision: Teams app, Entra app, Azure resources, Entra update, then the validated app package", () => {
    const order = steps.provision!.map((s) => s.uses);
    const expected = ["teamsApp/create", "aadApp/create", "script", "arm/deploy", "aadApp/update", "teamsApp/validateManifest",
      "teamsApp/zipAppPackage", "teamsApp/validateAppPackage", "teamsApp/update"];
    let at = -1;
    for (const action of expected) {
      const next = order.indexOf(action, at + 1);
      assert.ok(next > at, `${action} comes after ${order[at] ?? "the start"} (order: ${order.join(", ")})`);
      at = next;
    }
  });

  it("provision: the Entra app has no client secret (the server uses its managed identity)", () => {
    const create = steps.provision!.find((s) => s.uses === "aadApp/create")!;
    assert.equal(withValue(create, "generateClientSecret"), "false");
    assert.equal(withValue(create, "signInAudience"), "AzureADMyOrg");
    assert.equal(withValue(create, "clientId"), "AAD_APP_CLIENT_ID");
  });

  it("provision: arm/deploy points at infra/azure.bicep and a parameters file that exists for dev and prod", () => {
    const deploy = steps.provision!.find((s) => s.uses === "arm/deploy")!;
    assert.equal(withValue(deploy, "- path"), "./infra/azure.bicep");
    const parameters = withValue(deploy, "parameters")!;
    assert.equal(parameters, "./infra/azure.parameters.${{TEAMSFX_ENV}}.json");
    for (const env of ["dev", "prod"]) assert.ok(existsSync(path.join(ROOT, parameters.replace("${{TEAMSFX_ENV}}", env))), env);
  });

  it("provision: aadApp/update uses infra/entra/aad.manifest.json and writes into an ignored build folder", () => {
    const update = steps.provision!.find((s) => s.uses === "aadApp/update")!;
    assert.equal(withValue(update, "manifestPath"), "./infra/entra/aad.manifest.json");
    assert.ok(existsSync(path.join(ROOT, "infra/entra/aad.manifest.json")));
    const out = withValue(update, "outputFilePath")!.replace("${{TEAMSFX_ENV}}", "dev").replace(/^\.\//, "");
    execFileSync("git", ["check-ignore", "-q", out], { cwd: ROOT });
  });

  it("deploy: npm build, then zip deploy to the App Service the Bicep created", () => {
    const order = steps.deploy!.map((s) => s.uses);
    assert.ok(order.includes("cli/runNpmCommand"));
    assert.equal(order[order.length - 1], "azureAppService/zipDeploy");
    const build = steps.deploy!.filter((s) => s.uses === "cli/runNpmCommand").map((s) => withValue(s, "args"));
    assert.ok(build.some((a) => a?.startsWith("run build")), "runs the build script");
    const zip = steps.deploy!.find((s) => s.uses === "azureAppService/zipDeploy")!;
    assert.equal(withValue(zip, "resourceId"), "${{AZURE_APP_SERVICE_RESOURCE_ID}}");
    assert.ok(outputs(readInfra("azure.bicep")).includes("AZURE_APP_SERVICE_RESOURCE_ID"));
    const ignore = withValue(zip, "ignoreFile")!;
    const ignored = read(ignore).split(/\r?\n/);
    for (const pattern of ["node_modules/", "tests/", "env/", ".env.*"]) assert.ok(ignored.includes(pattern), `${ignore} ignores ${pattern}`);
  });

  it("publish: validates, zips and submits the package to the tenant's admin centre", () => {
    const order = steps.publish!.map((s) => s.uses);
    assert.deepEqual(order.slice(-2), ["teamsApp/update", "teamsApp/publishAppPackage"]);
    assert.ok(order.includes("teamsApp/validateAppPackage"));
  });

  it("every ${{VAR}} in m365agents.yml is set in env/.env.dev, written by an earlier step, or a toolkit built-in", () => {
    const defined = new Set([...envKeys("env/.env.dev").keys(), ...TOOLKIT_BUILT_INS, ...outputs(readInfra("azure.bicep"))]);
    const problems: string[] = [];
    for (const [section, list] of Object.entries(steps)) {
      const written = new Set<string>();
      for (const step of list) {
        for (const m of step.text.matchAll(/\$\{\{([A-Z_][A-Z0-9_]*)\}\}/g)) {
          if (!defined.has(m[1]!) && !written.has(m[1]!)) problems.push(`${section} ${step.uses}: ${m[1]}`);
        }
        const writes = /writeToEnvironmentFile:\n((?:\s{6}\w+: [A-Z_0-9]+\n)+)/.exec(step.text)?.[1] ?? "";
        for (const m of writes.matchAll(/: ([A-Z_0-9]+)/g)) written.add(m[1]!);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("m365agents.local.yml exists, keeps the bot secret in the git-ignored .user file", () => {
    const local = read("m365agents.local.yml");
    assert.match(local, /^version: v1\.(9|1\d)$/m);
    assert.match(local, /clientSecret: SECRET_BOT_PASSWORD/);
    assert.match(local, /target: \.\/env\/\.env\.local\.user/);
    execFileSync("git", ["check-ignore", "-q", "env/.env.local.user"], { cwd: ROOT });
  });

  describe("env files", () => {
    for (const env of ["local", "dev", "prod"]) {
      const file = `env/.env.${env}`;

      it(`${file} is committed without secrets`, () => {
        assert.ok(existsSync(path.join(ROOT, file)));
        const values = envKeys(file);
        for (const [key, value] of values) {
          if (key.startsWith("SECRET_")) assert.equal(value, "", `${key} must stay empty here (the toolkit keeps it in ${file}.user)`);
          assert.doesNotMatch(value, /AccountKey=|SharedAccessSignature=|[?&]sig=|InstrumentationKey=|-----BEGIN/, `${key} looks like a secret`);
          assert.ok(!/(PASSWORD|CLIENT_SECRET)$/.test(key) || value === "", `${key} must not be committed`);
        }
        assert.ok(!values.has("STORAGE_CONNECTION_STRING") || env === "local", "no storage connection string outside local");
        execFileSync("git", ["check-ignore", "-q", `${file}.user`], { cwd: ROOT });
      });
    }

    it("env/.env.local and env/.env.dev name the environment the server expects", () => {
      assert.equal(envKeys("env/.env.local").get("CALM_ENV"), "local");
      assert.equal(envKeys("env/.env.dev").get("CALM_ENV"), "dev");
      assert.equal(envKeys("env/.env.prod").get("CALM_ENV"), "prod");
      assert.equal(envKeys("env/.env.dev").get("CALM_DEV_SIGNIN"), undefined, "development sign-in is for local only");
    });
  });

  describe("identifier hash key provision step", () => {
    const fixed = () => "k".repeat(64);

    it("generates a key on the first provision and hands it to the toolkit as a secret", () => {
      const result = decide(undefined, undefined, fixed, "dev");
      assert.deepEqual(result, { ok: true, action: "generate", output: `::set-teamsfx-env ${KEY_VARIABLE}=${"k".repeat(64)}` });
      assert.ok(KEY_VARIABLE.startsWith("SECRET_"), "the toolkit stores SECRET_ variables in the .user file");
    });

    it("treats an unfilled toolkit placeholder as not set", () => {
      assert.equal(present("${{SECRET_CALM_IDENTIFIER_HASH_KEY}}"), false);
      assert.equal(decide("${{SECRET_CALM_IDENTIFIER_HASH_KEY}}", "${{CALM_IDENTIFIER_HASH_KEY_SECRET_URI}}", fixed).ok, true);
    });

    it("keeps an existing key", () => {
      assert.deepEqual(decide("x".repeat(MIN_KEY_LENGTH), "https://kv.example.org/secrets/k", fixed), { ok: true, action: "keep" });
    });

    it("refuses to mint a new key when the environment was provisioned before, and says how to restore it", () => {
      const result = decide(undefined, "https://kv-calm.vault.azure.net/secrets/calm-identifier-hash-key", fixed, "prod");
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.code, "HASH_KEY_MISSING_AFTER_PROVISION");
      assert.match(result.message, /az keyvault secret show --id "https:\/\/kv-calm\.vault\.azure\.net\/secrets\/calm-identifier-hash-key"/);
      assert.match(result.message, /env\/\.env\.prod\.user/);
    });

    it("refuses a key that is too short", () => {
      const result = decide("short", undefined, fixed);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.code, "HASH_KEY_TOO_SHORT");
    });

    it("new keys are long and different every time", () => {
      const a = newIdentifierHashKey(), b = newIdentifierHashKey();
      assert.ok(a.length >= MIN_KEY_LENGTH);
      assert.notEqual(a, b);
      assert.match(a, /^[A-Za-z0-9_-]+$/, "safe in an env file without quoting");
    });

    it("the yml runs the script with the existing key and Key Vault secret URI", () => {
      const step = steps.provision!.find((s) => s.uses === "script")!;
      assert.match(step.text, /CALM_EXISTING_HASH_KEY: \$\{\{SECRET_CALM_IDENTIFIER_HASH_KEY\}\}/);
      assert.match(step.text, /CALM_EXISTING_HASH_KEY_SECRET_URI: \$\{\{CALM_IDENTIFIER_HASH_KEY_SECRET_URI\}\}/);
      assert.match(step.text, /tsx infra\/scripts\/identifierHashKey\.ts/);
    });
  });
});
