import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { acceptsConnections } from "../../lib/server/probes";

// The production stack exactly as `npm start` runs it (embedded PostgreSQL, realtime sidecar, Meta
// sandbox, `next start`), on ports and a data directory of its own, with its output in a file.

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
  /** A PostgreSQL still runs on the data directory after the supervisor exited. */
  postgresLeft: boolean;
  /** The supervisor exited 0 by itself and left no PostgreSQL running. */
  clean: boolean;
}

export interface RunningStack {
  /** The supervisor's process (tsx running scripts/start.ts). */
  pid: number;
  /** Exited unexpectedly: the soak stops and reports it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<StackExit>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function postgresRunning(dataDir: string): boolean {
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

/** Every run starts from an empty database; refused while a database of an earlier run still lives. */
export async function freshStart(dataDir: string, ports: StackPorts): Promise<void> {
  if (postgresRunning(dataDir)) throw new Error(`a PostgreSQL still runs on ${dataDir}; stop it first`);
  for (const [name, port] of Object.entries(ports)) {
    if (await acceptsConnections(port)) throw new Error(`port ${port} (${name}) is in use; stop whatever listens there first`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
}

/** `next build` when there is no production build yet (the soak measures what ships). */
export async function ensureBuild(root: string, say: (line: string) => void): Promise<void> {
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  say("no production build in .next: running next build");
  const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`next build exited with ${code}`);
}

export function startStack(root: string, options: { dataDir: string; ports: StackPorts; logFile: string }): RunningStack {
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
        // The embedded database and the sandbox, whatever the developer's environment says.
        DATABASE_URL: "",
        META_APP_ID: "",
        DATA_DIR: dataDir,
        PORT: String(ports.app),
        APP_URL: `http://localhost:${ports.app}`,
        REALTIME_PORT: String(ports.realtime),
        REALTIME_URL: `http://localhost:${ports.realtime}`,
        SANDBOX_PORT: String(ports.sandbox),
        EMBEDDED_POSTGRES_PORT: String(ports.postgres),
        LOG_LEVEL: "warn",
      },
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the stack");
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
        const postgresLeft = postgresRunning(dataDir);
        return { ...final, ms, postgresLeft, clean: exit !== null && final.code === 0 && !postgresLeft };
      })();
      return stopping;
    },
  };
}

export async function waitForHealth(appUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(new URL("/api/health", appUrl)).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(1_000);
  }
  throw new Error(`the app did not become healthy within ${timeoutMs / 1000} s`);
}
