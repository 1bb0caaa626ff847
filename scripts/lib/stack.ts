import path from "node:path";
import nextEnv from "@next/env";
import { startEmbeddedPostgres } from "@/db/embedded-postgres";
import { EnvError, parseEnv, type Env } from "@/lib/env";
import { loadLocalSecrets } from "./local-secrets";
import { Supervisor } from "./supervisor";

export type StackMode = "development" | "production";

type Source = Record<string, string | undefined>;

/**
 * Builds the environment the app runs with: .env files, then secrets generated into the data
 * directory for a machine-local run. Real deployments (production with DATABASE_URL) get nothing
 * generated, so a missing secret stops start-up instead of being papered over.
 */
export function resolveStackEnv(
  mode: StackMode,
  processEnv: Source,
): { source: Source; env: Env; embedded: boolean; postgresPassword: string } {
  const source: Source = { NEXT_TELEMETRY_DISABLED: "1", ...processEnv, NODE_ENV: mode };
  const embedded = !source.DATABASE_URL;
  let postgresPassword = "";
  if (mode === "development" || embedded) {
    const secrets = loadLocalSecrets(path.resolve(source.DATA_DIR || ".data"));
    source.AUTH_SECRET ||= secrets.AUTH_SECRET;
    source.TOKEN_ENCRYPTION_KEY ||= secrets.TOKEN_ENCRYPTION_KEY;
    source.META_WEBHOOK_VERIFY_TOKEN ||= secrets.META_WEBHOOK_VERIFY_TOKEN;
    // A generated app secret only makes sense against the local Meta sandbox, which shares it.
    if (!source.META_APP_ID) source.META_APP_SECRET ||= secrets.META_APP_SECRET;
    postgresPassword = secrets.POSTGRES_PASSWORD;
  }
  return { source, env: parseEnv(source), embedded, postgresPassword };
}

export async function runStack(mode: StackMode): Promise<void> {
  const root = process.cwd();
  nextEnv.loadEnvConfig(root, mode === "development", { info: () => undefined, error: () => undefined });

  const supervisor = new Supervisor((code) => process.exit(code));
  const say = supervisor.logger("chats");

  let resolved: ReturnType<typeof resolveStackEnv>;
  try {
    resolved = resolveStackEnv(mode, process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      for (const problem of error.problems) process.stderr.write(`Invalid configuration: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { source, env, embedded, postgresPassword } = resolved;

  try {
    if (embedded) {
      if (mode === "production")
        say(
          "production build with the embedded PostgreSQL and secrets kept in " +
            env.DATA_DIR +
            " (a local trial; set DATABASE_URL, AUTH_SECRET and TOKEN_ENCRYPTION_KEY to deploy)",
        );
      const postgres = await startEmbeddedPostgres({
        dataDir: path.resolve(env.DATA_DIR, "postgres"),
        port: env.EMBEDDED_POSTGRES_PORT,
        password: postgresPassword,
        database: "chats",
        log: supervisor.logger("db"),
      });
      supervisor.add({ name: "db", stop: () => postgres.stop() });
      source.DATABASE_URL = postgres.url;
      say(`embedded PostgreSQL ready on 127.0.0.1:${postgres.port} (data in ${path.join(env.DATA_DIR, "postgres")})`);
    } else {
      say("using the PostgreSQL at DATABASE_URL");
    }

    const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
    const command = mode === "development" ? "dev" : "start";
    supervisor.spawn("web", process.execPath, [nextBin, command, "--port", String(env.PORT)], source as NodeJS.ProcessEnv);
    say(`app starting at ${env.APP_URL}`);
  } catch (error) {
    say(`start-up failed: ${(error as Error).message}`);
    await supervisor.shutdown(1);
  }
}
