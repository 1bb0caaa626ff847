import "server-only";
import { databaseUrl } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { EnvError, loadEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

/** Server start-up: a bad configuration stops the process with one line per problem. */
export async function boot(): Promise<void> {
  try {
    loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      for (const problem of error.problems) process.stderr.write(`Invalid configuration: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = logger.child({ scope: "boot" });
  const started = Date.now();
  await runMigrations(databaseUrl());
  log.info({ ms: Date.now() - started }, "database migrations applied");
}
