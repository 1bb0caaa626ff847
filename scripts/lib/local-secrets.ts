import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Secrets for a machine-local run, generated once and kept in the data directory so sessions,
// encrypted tokens and the embedded database survive restarts. Never used for a real deployment.

export interface LocalSecrets {
  AUTH_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
  META_APP_SECRET: string;
  META_WEBHOOK_VERIFY_TOKEN: string;
  POSTGRES_PASSWORD: string;
}

const generators: { [K in keyof LocalSecrets]: () => string } = {
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  TOKEN_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
  META_APP_SECRET: () => randomBytes(16).toString("hex"),
  META_WEBHOOK_VERIFY_TOKEN: () => randomBytes(12).toString("hex"),
  POSTGRES_PASSWORD: () => randomBytes(18).toString("base64url"),
};

export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LocalSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new Error(`${file} is unreadable; delete it to regenerate local secrets.`, { cause: error });
  }
  const secrets = { ...stored } as LocalSecrets;
  let changed = false;
  for (const key of Object.keys(generators) as (keyof LocalSecrets)[]) {
    if (!secrets[key]) {
      secrets[key] = generators[key]();
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
