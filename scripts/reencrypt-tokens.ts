// npm run tokens:reencrypt — after putting a new key first in TOKEN_ENCRYPTION_KEY, moves every stored
// platform token under it. Without DATABASE_URL it uses the embedded database, so `npm run dev` (or
// `npm start`) must be running.
import { commandEnv } from "./lib/stack";

Object.assign(process.env, commandEnv(process.env.NODE_ENV === "production" ? "production" : "development"));
const { closeDb, getDb } = await import("@/db/client");
const { reencryptTokens } = await import("@/lib/platforms/rotate-keys");
const result = await reencryptTokens(getDb());
process.stdout.write(`re-encrypted ${result.reencrypted} token(s); ${result.current} already under the newest key\n`);
await closeDb();
