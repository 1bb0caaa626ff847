import { existsSync, readFileSync, rmSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "./e2e/support/chromium";
import { SERVER_LOG } from "./e2e/support/server-log";

// Browser tests run against the production build (`npm start`) with their own data directory and
// ports, so they never touch a developer's running `npm run dev`.

const PORT = 3100;
const DATA_DIR = ".data/e2e";

// Each run starts from an empty database and a fresh Meta sandbox (a page connected by an earlier
// run would otherwise belong to another workspace). Only the main process wipes, and only when no
// PostgreSQL of an earlier run still holds the directory.
function freshDataDir() {
  const pidFile = `${DATA_DIR}/postgres/postmaster.pid`;
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
  let alive = false;
  try {
    alive = pid > 0 && process.kill(pid, 0);
  } catch {
    alive = false;
  }
  if (!alive) rmSync(DATA_DIR, { recursive: true, force: true });
}
if (!process.env.TEST_WORKER_INDEX) freshDataDir();

const SANDBOX_ACCOUNT_SPECS = ["platforms.spec.ts", "inbox.spec.ts"];
// Run once the browser specs are done: the log check reads the whole run's server output, and the
// shutdown spec starts (and stops) a stack of its own, which would compete for the CPU meanwhile.
const AFTER_THE_RUN = ["logs.check.ts", "shutdown.spec.ts"];

const browser = {
  ...devices["Desktop Chrome"],
  launchOptions: { executablePath: chromiumExecutablePath, args: CHROMIUM_ARGS },
};

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: [["list"]],
  timeout: 60_000,
  // First hits of a route compile nothing in production, but sign-up hashes twice (~100 ms each) on 2 cores.
  expect: { timeout: 15_000 },
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "chromium", use: browser, testIgnore: [...SANDBOX_ACCOUNT_SPECS, ...AFTER_THE_RUN] },
    // The sandbox has one Page, one Instagram account and one number, live in one workspace at a
    // time: the specs that connect them take turns.
    { name: "sandbox accounts", use: browser, testMatch: SANDBOX_ACCOUNT_SPECS, workers: 1 },
    { name: "after the run", testMatch: AFTER_THE_RUN, dependencies: ["chromium", "sandbox accounts"] },
  ],
  webServer: {
    // Everything the stack prints also goes to SERVER_LOG, which e2e/logs.check.ts searches for secrets.
    command: `node --import tsx e2e/support/tee-server.ts ${SERVER_LOG} -- npm start`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    env: {
      PORT: String(PORT),
      APP_URL: `http://localhost:${PORT}`,
      DATA_DIR,
      EMBEDDED_POSTGRES_PORT: "54339",
      REALTIME_PORT: "3101",
      SANDBOX_PORT: "3102",
      REALTIME_URL: "http://localhost:3101",
      // info, not warn: the log check needs what a production server really logs, not near silence.
      LOG_LEVEL: "info",
      // Every browser test registers its own user from 127.0.0.1; the limits themselves are integration-tested.
      RATE_LIMIT_SCALE: "100",
    },
  },
});
