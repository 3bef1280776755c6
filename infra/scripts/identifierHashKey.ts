// Provision step (m365agents.yml): makes sure the HMAC key that hashes identifiers in storage keys exists in the
// toolkit's secret file env/.env.<env>.user, so every deployment writes the SAME key to Key Vault.
//
// The key must never change once data exists: every stored lookup key is derived from it. So this script
// generates a key only on the very first provision. If a previous provision already happened (its Key Vault
// secret URI is in env/.env.<env>) but the key is missing locally, it stops and explains how to restore the
// key from Key Vault instead of silently minting a new one.
import { randomBytes } from "node:crypto";

export const KEY_VARIABLE = "SECRET_CALM_IDENTIFIER_HASH_KEY";
export const MIN_KEY_LENGTH = 32;

export type Decision =
  | { ok: true; action: "keep" }
  | { ok: true; action: "generate"; output: string }
  | { ok: false; code: "HASH_KEY_TOO_SHORT" | "HASH_KEY_MISSING_AFTER_PROVISION"; message: string };

/** The toolkit leaves `${{VAR}}` in place when VAR is undefined; treat that as "not set". */
export function present(value: string | undefined): value is string {
  return value !== undefined && value !== "" && !value.startsWith("${{");
}

export function decide(existingKey: string | undefined, secretUri: string | undefined, newKey: () => string, envName = "<env>"): Decision {
  if (present(existingKey)) {
    if (existingKey.length < MIN_KEY_LENGTH) {
      return {
        ok: false,
        code: "HASH_KEY_TOO_SHORT",
        message: `${KEY_VARIABLE} in env/.env.${envName}.user is shorter than ${MIN_KEY_LENGTH} characters. If CALM has never held data in this environment, delete the line and provision again to generate a strong key; otherwise restore the key from Key Vault.`,
      };
    }
    return { ok: true, action: "keep" };
  }
  if (present(secretUri)) {
    return {
      ok: false,
      code: "HASH_KEY_MISSING_AFTER_PROVISION",
      message: [
        `${KEY_VARIABLE} is missing from env/.env.${envName}.user, but this environment was provisioned before and Key Vault already holds the key.`,
        "A new key would make every stored record unfindable, so provisioning stopped. Restore the existing key:",
        `  az keyvault secret show --id "${secretUri}" --query value -o tsv`,
        `and add it to env/.env.${envName}.user as ${KEY_VARIABLE}=<value>, then provision again.`,
      ].join("\n"),
    };
  }
  return { ok: true, action: "generate", output: `::set-teamsfx-env ${KEY_VARIABLE}=${newKey()}` };
}

export function newIdentifierHashKey(): string {
  // 48 random bytes: 64 URL-safe characters, comfortably above the 32-character minimum.
  return randomBytes(48).toString("base64url");
}

if (require.main === module) {
  const result = decide(process.env.CALM_EXISTING_HASH_KEY, process.env.CALM_EXISTING_HASH_KEY_SECRET_URI, newIdentifierHashKey, process.env.TEAMSFX_ENV || "<env>");
  if (!result.ok) {
    console.error(`${result.code}: ${result.message}`);
    process.exitCode = 1;
  } else if (result.action === "generate") {
    console.log("Generated a new identifier hash key (first provision of this environment); the toolkit keeps it in the .user file.");
    console.log(result.output);
  } else {
    console.log("Identifier hash key found in the .user file; keeping it.");
  }
}
