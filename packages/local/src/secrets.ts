import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { LocalSecrets } from "./cloud";
import { generateStaffSigningKey } from "./staff-issuer";

const SECRET_NAMES = ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT", "WEBHOOK_SECRET", "STAFF_TOKEN"] as const;

/** The data folder `npm start` and the CLI share: DATA_DIR, or `.data` in the working directory. */
export const localDataDir = (): string => resolve(process.env.DATA_DIR ?? ".data");

/** Where the local secrets are kept. */
export const localSecretsFile = (dataDir: string): string => join(dataDir, "local-secrets.json");

/**
 * Local secrets are made once and kept in the data folder, so links in old emails and staff tokens
 * keep working. Secrets added by a newer version are generated and added to the file. `npm start`
 * and the CLI both call this, so either may be first.
 */
export function localSecrets(dataDir: string): LocalSecrets {
  mkdirSync(dataDir, { recursive: true });
  const file = localSecretsFile(dataDir);
  const stored: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets = { ...stored } as LocalSecrets;
  for (const name of SECRET_NAMES) secrets[name] ??= `local-${randomBytes(18).toString("base64url")}`;
  secrets.STAFF_SIGNING_KEY ??= generateStaffSigningKey();
  if (SECRET_NAMES.some((n) => stored[n] === undefined) || stored.STAFF_SIGNING_KEY === undefined) {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
