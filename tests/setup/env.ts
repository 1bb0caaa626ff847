import os from "node:os";
import path from "node:path";

// A complete, valid configuration for tests; individual tests override what they exercise.
const testEnv: Record<string, string> = {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  META_APP_ID: "100000000000001",
  META_APP_SECRET: "test-meta-app-secret-0123",
  META_WEBHOOK_VERIFY_TOKEN: "test-verify-token",
  APP_URL: "http://localhost:3000",
  // Nothing listens here, so probes of the sidecar report it down quickly and deterministically.
  REALTIME_URL: "http://127.0.0.1:9",
  // Mail, media and anything else local goes to a scratch directory, never the developer's ./.data.
  DATA_DIR: path.join(os.tmpdir(), `chats-test-data-${process.pid}`),
};

for (const [key, value] of Object.entries(testEnv)) process.env[key] ??= value;
