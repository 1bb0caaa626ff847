import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadLocalSecrets, type LocalSecrets } from "../lib/local-secrets";
import { BENCH_DATA_DIR, BENCH_PORTS } from "./config";
import { isProcessAlive } from "../../lib/server/probes";

// The system under test, started exactly as `npm start` starts it (scripts/start.ts: embedded
// PostgreSQL, realtime sidecar, Meta sandbox, `next start`), on the bench's own ports and data
// directory, and stopped the same way Ctrl-C stops it: SIGTERM, ordered shutdown, database last.

const root = process.cwd();
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

export interface BenchStack {
  appUrl: string;
  realtimeUrl: string;
  sandboxUrl: string;
  databaseUrl: string;
  secrets: LocalSecrets;
  /** The `scripts/start.ts` process: the root of every process of the stack. */
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Builds `.next` when there is no production build yet; returns the seconds it took (0 when none ran). */
export function ensureBuild(say: (line: string) => void, skip: boolean): number {
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return 0;
  if (skip) throw new Error("there is no production build (.next) and --skip-build was given");
  say("no production build yet: running `next build` (counts towards the run time)");
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  return (performance.now() - started) / 1000;
}

/** The pid in a postmaster.pid file, if that postgres is still running. */
function livePostgres(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} within ${Math.round(timeoutMs / 1000)} s`);
}

async function healthy(appUrl: string): Promise<boolean> {
  try {
    const response = await fetch(new URL("/api/health", appUrl), { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { status?: string; realtime?: string };
    return response.ok && body.status === "ok" && body.realtime === "ok";
  } catch {
    return false;
  }
}

/** Starts the stack on an empty data directory (a run never measures the leftovers of another). */
export async function startStack(say: (line: string) => void): Promise<BenchStack> {
  const dataDir = path.resolve(root, BENCH_DATA_DIR);
  const running = livePostgres(dataDir);
  if (running) throw new Error(`a PostgreSQL (pid ${running}) still runs on ${BENCH_DATA_DIR}: is another bench running?`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  // Generated before the stack starts so the bench shares them: the app secret signs the load's webhooks.
  const secrets = loadLocalSecrets(dataDir);
  const logFile = path.join(dataDir, "stack.log");
  const log = fs.openSync(logFile, "a");
  const appUrl = `http://localhost:${BENCH_PORTS.app}`;
  const realtimeUrl = `http://localhost:${BENCH_PORTS.realtime}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Empty counts as unset for the stack, and an empty variable also keeps a .env file's value out:
    // the bench always measures the embedded database and the sandbox.
    DATABASE_URL: "",
    META_APP_ID: "",
    META_APP_SECRET: "",
    INSTAGRAM_APP_SECRET: "",
    META_GRAPH_API_URL: "",
    META_OAUTH_DIALOG_URL: "",
    INNGEST_BASE_URL: "",
    INNGEST_DEV: "",
    DATA_DIR: BENCH_DATA_DIR,
    PORT: String(BENCH_PORTS.app),
    REALTIME_PORT: String(BENCH_PORTS.realtime),
    SANDBOX_PORT: String(BENCH_PORTS.sandbox),
    EMBEDDED_POSTGRES_PORT: String(BENCH_PORTS.postgres),
    APP_URL: appUrl,
    REALTIME_URL: realtimeUrl,
    // One bench user makes thousands of API calls a minute from one address.
    RATE_LIMIT_SCALE: "1000",
    // Access tokens outlive a full run.
    JWT_ACCESS_TTL: "7200",
  };
  const child = spawn(process.execPath, [tsx, "--conditions=react-server", path.join(root, "scripts", "start.ts")], {
    env,
    detached: true,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error("could not start scripts/start.ts");
  const pid = child.pid;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => (exited = true));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (!exited) {
        process.kill(pid, "SIGTERM");
        await Promise.race([exitedPromise, new Promise((resolve) => setTimeout(resolve, 45_000))]);
      }
      // The supervisor stops postgres last; if it was cut short, stop ours the same way (fast shutdown).
      const leftover = livePostgres(dataDir);
      if (leftover) {
        say(`stopping the bench PostgreSQL (pid ${leftover}) left running`);
        process.kill(leftover, "SIGINT");
        await waitFor("PostgreSQL did not stop", 20_000, () => !isProcessAlive(leftover)).catch(() =>
          process.kill(leftover, "SIGKILL"),
        );
      }
    })());

  const stack: BenchStack = {
    appUrl,
    realtimeUrl,
    sandboxUrl: `http://127.0.0.1:${BENCH_PORTS.sandbox}`,
    databaseUrl: `postgres://postgres:${encodeURIComponent(secrets.POSTGRES_PASSWORD)}@127.0.0.1:${BENCH_PORTS.postgres}/chats`,
    secrets,
    pid,
    logFile,
    stop,
  };
  try {
    await waitFor("the stack did not become healthy", 120_000, async () => {
      if (exited) throw new Error(`the stack exited during start-up; see ${logFile}`);
      return healthy(appUrl);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return stack;
}
