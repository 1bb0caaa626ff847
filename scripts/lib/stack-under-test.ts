import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { acceptsConnections, isProcessAlive } from "../../lib/server/probes";

// The production stack exactly as `npm start` runs it (embedded PostgreSQL, realtime sidecar, Meta
// sandbox, `next start`), on ports and a data directory of its own, with its output in a file: what
// the bench and the soak measure. Stopped the way a process manager stops it (SIGTERM, ordered
// shutdown, database last), and the stop says whether that went cleanly.

export interface StackPorts {
  app: number;
  realtime: number;
  sandbox: number;
  postgres: number;
}

export interface StackExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From SIGTERM to the supervisor's exit. */
  ms: number;
  /** A PostgreSQL still ran on the data directory after the supervisor exited (it is stopped then). */
  postgresLeft: boolean;
  /** The supervisor exited 0 by itself and left no PostgreSQL running. */
  clean: boolean;
}

export interface RunningStack {
  /** The supervisor's process (tsx running scripts/start.ts): the root of every process of the stack. */
  pid: number;
  /** Exited unexpectedly: the caller stops and reports it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<StackExit>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pid in the data directory's postmaster.pid, if that PostgreSQL still runs. */
function livePostgres(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Every run starts from an empty data directory; refused while a database of an earlier run still lives. */
export async function freshStart(dataDir: string, ports: StackPorts): Promise<void> {
  const running = livePostgres(dataDir);
  if (running) throw new Error(`a PostgreSQL (pid ${running}) still runs on ${dataDir}: is another run still going?`);
  for (const [name, port] of Object.entries(ports)) {
    if (await acceptsConnections(port)) throw new Error(`port ${port} (${name}) is in use; stop whatever listens there first`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
}

/**
 * `next build` when there is no production build yet (what ships is what is measured); returns the
 * seconds it took (0 when none ran).
 */
export function ensureBuild(root: string, say: (line: string) => void, skip = false): number {
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return 0;
  if (skip) throw new Error("there is no production build (.next) and --skip-build was given");
  say("no production build yet: running `next build`");
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  return (performance.now() - started) / 1000;
}

export function startStack(
  root: string,
  options: { dataDir: string; ports: StackPorts; logFile: string; env?: Record<string, string> },
): RunningStack {
  const { dataDir, ports } = options;
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const log = fs.createWriteStream(options.logFile, { flags: "w" });
  const child: ChildProcess = spawn(
    process.execPath,
    [tsx, "--conditions=react-server", path.join(root, "scripts", "start.ts")],
    {
      cwd: root,
      // Its own process group: if it ever fails to stop, the whole tree can still be killed.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // The embedded database and the sandbox whatever the developer's environment or .env says
        // (an empty variable counts as unset and keeps a .env file's value out).
        DATABASE_URL: "",
        META_APP_ID: "",
        META_APP_SECRET: "",
        INSTAGRAM_APP_SECRET: "",
        META_GRAPH_API_URL: "",
        META_OAUTH_DIALOG_URL: "",
        INNGEST_BASE_URL: "",
        INNGEST_DEV: "",
        DATA_DIR: dataDir,
        PORT: String(ports.app),
        APP_URL: `http://localhost:${ports.app}`,
        REALTIME_PORT: String(ports.realtime),
        REALTIME_URL: `http://localhost:${ports.realtime}`,
        SANDBOX_PORT: String(ports.sandbox),
        EMBEDDED_POSTGRES_PORT: String(ports.postgres),
        LOG_LEVEL: "warn",
        ...options.env,
      },
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start scripts/start.ts");
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  let stopping: Promise<StackExit> | undefined;
  return {
    pid,
    exited,
    stop() {
      stopping ??= (async () => {
        const started = Date.now();
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        const exit = await Promise.race([exited, sleep(60_000).then(() => null)]);
        if (!exit) {
          // The supervisor gives each process 10 s; a minute means something hangs. Take it all down.
          process.kill(-pid, "SIGKILL");
          await exited;
        }
        const ms = Date.now() - started;
        const final = exit ?? (await exited);
        const leftover = livePostgres(dataDir);
        if (leftover) {
          // Cut short: stop the database the way the supervisor would have (fast shutdown).
          process.kill(leftover, "SIGINT");
          const deadline = Date.now() + 20_000;
          while (isProcessAlive(leftover) && Date.now() < deadline) await sleep(100);
          if (isProcessAlive(leftover)) process.kill(leftover, "SIGKILL");
        }
        const postgresLeft = leftover !== null;
        return { ...final, ms, postgresLeft, clean: exit !== null && final.code === 0 && !postgresLeft };
      })();
      return stopping;
    },
  };
}

/** Until /api/health says the app, its database and the realtime sidecar are all up. */
export async function waitForHealth(appUrl: string, timeoutMs: number, stack?: RunningStack): Promise<void> {
  let exited = false;
  void stack?.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error("the stack exited during start-up; see its log");
    const healthy = await fetch(new URL("/api/health", appUrl), { signal: AbortSignal.timeout(2_000) }).then(
      async (response) => {
        const body = (await response.json()) as { status?: string; realtime?: string };
        return response.ok && body.status === "ok" && body.realtime === "ok";
      },
      () => false,
    );
    if (healthy) return;
    await sleep(250);
  }
  throw new Error(`the app did not become healthy within ${Math.round(timeoutMs / 1000)} s`);
}
