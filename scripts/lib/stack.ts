import path from "node:path";
import nextEnv from "@next/env";
import { startEmbeddedPostgres } from "@/db/embedded-postgres";
import { EnvError, parseEnv, type Env } from "@/lib/env";
import { connectDemoWorkspace } from "./demo";
import { loadLocalSecrets } from "./local-secrets";
import { Supervisor } from "./supervisor";
import { acceptsConnections } from "../../lib/server/probes";

export type StackMode = "development" | "production";

type Source = Record<string, string | undefined>;

/** The Meta app id the sandbox plays; any id works as long as app and sandbox agree. */
export const SANDBOX_APP_ID = "990000000000001";

export interface StackEnv {
  source: Source;
  env: Env;
  embedded: boolean;
  postgresPassword: string;
  /** Set when no META_APP_ID is configured: the local Meta sandbox plays Meta on this port. */
  sandboxPort: number | null;
}

/**
 * Builds the environment the app runs with: .env files, then secrets generated into the data
 * directory for a machine-local run. Real deployments (production with DATABASE_URL) get no
 * generated app secrets, so a missing one stops start-up instead of being papered over. Without
 * META_APP_ID the sandbox stands in for Meta, and the Meta secrets it shares with the app are local.
 */
export function resolveStackEnv(mode: StackMode, processEnv: Source): StackEnv {
  const source: Source = { NEXT_TELEMETRY_DISABLED: "1", ...processEnv, NODE_ENV: mode };
  const embedded = !source.DATABASE_URL;
  const sandbox = !source.META_APP_ID;
  const local = mode === "development" || embedded;
  let postgresPassword = "";
  if (local || sandbox) {
    const secrets = loadLocalSecrets(path.resolve(source.DATA_DIR || ".data"));
    if (local) {
      source.AUTH_SECRET ||= secrets.AUTH_SECRET;
      source.TOKEN_ENCRYPTION_KEY ||= secrets.TOKEN_ENCRYPTION_KEY;
      source.META_WEBHOOK_VERIFY_TOKEN ||= secrets.META_WEBHOOK_VERIFY_TOKEN;
      postgresPassword = secrets.POSTGRES_PASSWORD;
    }
    if (sandbox) {
      source.META_APP_SECRET ||= secrets.META_APP_SECRET;
      source.META_WEBHOOK_VERIFY_TOKEN ||= secrets.META_WEBHOOK_VERIFY_TOKEN;
    }
  }
  let sandboxPort: number | null = null;
  if (sandbox) {
    sandboxPort = Number(source.SANDBOX_PORT || 3002);
    if (!Number.isInteger(sandboxPort) || sandboxPort < 1 || sandboxPort > 65535) {
      throw new EnvError([`SANDBOX_PORT must be a port number`]);
    }
    // 127.0.0.1, not localhost: the sandbox binds IPv4 loopback and Node may resolve localhost to ::1 first.
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    source.META_APP_ID = SANDBOX_APP_ID;
    source.META_GRAPH_API_URL = sandboxUrl;
    source.META_OAUTH_DIALOG_URL = sandboxUrl;
  }
  return { source, env: parseEnv(source), embedded, postgresPassword, sandboxPort };
}

/**
 * For one-off commands (migrate, re-encrypt): the same environment `npm run dev` / `npm start` give
 * the app, with DATABASE_URL pointing at the embedded PostgreSQL when that is what the stack runs.
 */
export function commandEnv(mode: StackMode): Record<string, string | undefined> {
  nextEnv.loadEnvConfig(process.cwd(), mode === "development", { info: () => undefined, error: () => undefined });
  const resolved = resolveStackEnv(mode, process.env);
  const source = { ...resolved.source };
  if (resolved.embedded) {
    source.DATABASE_URL = `postgres://postgres:${encodeURIComponent(resolved.postgresPassword)}@127.0.0.1:${resolved.env.EMBEDDED_POSTGRES_PORT}/chats`;
  }
  return source;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await acceptsConnections(port))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runStack(mode: StackMode): Promise<void> {
  const root = process.cwd();
  nextEnv.loadEnvConfig(root, mode === "development", { info: () => undefined, error: () => undefined });

  const supervisor = new Supervisor((code) => process.exit(code));
  const say = supervisor.logger("chats");
  // A signal may arrive at any point of start-up (a deploy, Ctrl-C, a test runner giving up): what is
  // being started is registered before it is awaited, and nothing more starts once shutdown has begun,
  // so nothing is left running behind us.
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => (stopping = true));

  let resolved: StackEnv;
  try {
    resolved = resolveStackEnv(mode, process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      for (const problem of error.problems) process.stderr.write(`Invalid configuration: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { source, env, embedded, postgresPassword, sandboxPort } = resolved;
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

  try {
    if (embedded) {
      if (mode === "production") {
        say(
          `production build with the embedded PostgreSQL and secrets in ${env.DATA_DIR} (a local trial; set DATABASE_URL, AUTH_SECRET and TOKEN_ENCRYPTION_KEY to deploy)`,
        );
      }
      const starting = startEmbeddedPostgres({
        dataDir: path.resolve(env.DATA_DIR, "postgres"),
        port: env.EMBEDDED_POSTGRES_PORT,
        password: postgresPassword,
        database: "chats",
        log: supervisor.logger("db"),
      });
      // Stopping mid-start waits for initdb and the server to come up, then stops the server.
      supervisor.add({
        name: "db",
        stop: () =>
          starting.then(
            (postgres) => postgres.stop(),
            () => undefined,
          ),
      });
      const postgres = await starting;
      if (stopping) return;
      source.DATABASE_URL = postgres.url;
      say(`embedded PostgreSQL ready on 127.0.0.1:${postgres.port} (data in ${path.join(env.DATA_DIR, "postgres")})`);
    } else {
      say("using the PostgreSQL at DATABASE_URL");
    }

    supervisor.spawn(
      "realtime",
      process.execPath,
      [tsx, "--conditions=react-server", path.join(root, "realtime", "main.ts")],
      source as NodeJS.ProcessEnv,
    );
    await waitForPort(env.REALTIME_PORT, 30_000);
    if (stopping) return;
    say(`realtime sidecar on port ${env.REALTIME_PORT}`);

    if (sandboxPort !== null) {
      supervisor.spawn("sandbox", process.execPath, [tsx, path.join(root, "sandbox", "main.ts")], {
        ...(source as NodeJS.ProcessEnv),
        SANDBOX_PORT: String(sandboxPort),
        // Webhooks go to this machine's app whatever its public APP_URL says.
        APP_URL: `http://localhost:${env.PORT}`,
        SANDBOX_STATE_FILE: path.resolve(env.DATA_DIR, "sandbox", "state.json"),
      });
      await waitForPort(sandboxPort, 30_000);
      if (stopping) return;
      say(
        `no META_APP_ID: the local Meta sandbox plays Meta at http://localhost:${sandboxPort} (open it to write as a customer)`,
      );
    } else {
      say(`using Meta app ${env.META_APP_ID} at ${env.META_GRAPH_API_URL}`);
    }

    const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
    const command = mode === "development" ? "dev" : "start";
    supervisor.spawn("web", process.execPath, [nextBin, command, "--port", String(env.PORT)], source as NodeJS.ProcessEnv);
    say(`app starting at ${env.APP_URL}`);
    if (mode === "development" && sandboxPort !== null) {
      say("demo account: sign in as demo@chats.local / chats-demo");
      connectDemoWorkspace({
        appUrl: `http://localhost:${env.PORT}`,
        sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
        dataDir: path.resolve(env.DATA_DIR),
        say,
      }).catch((error: unknown) => say(`could not connect the demo workspace to the sandbox: ${(error as Error).message}`));
    }
  } catch (error) {
    say(`start-up failed: ${(error as Error).message}`);
    await supervisor.shutdown(1);
  }
}
