import "server-only";
import { databaseUrl, getDb } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoAccount } from "@/lib/demo/account";
import { jobsDriverName } from "@/lib/jobs";
import { startInlineScheduler } from "@/lib/jobs/scheduler";
import { EnvError, loadEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

/** Server start-up: a bad configuration stops the process with one line per problem. */
export async function boot(): Promise<void> {
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
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
  const driver = jobsDriverName();
  if (driver === "inline") {
    log.info("background jobs: in-process driver (no Inngest configured); scheduled tasks run here");
    startInlineScheduler(logger.child({ scope: "scheduler" }));
  } else {
    log.info(
      { baseUrl: env.INNGEST_BASE_URL ?? (env.INNGEST_DEV ? "dev server" : "Inngest Cloud") },
      "background jobs: Inngest driver",
    );
  }
  if (env.NODE_ENV === "development") {
    const { created } = await ensureDemoAccount(getDb());
    log.info(`demo account ${created ? "created" : "ready"}: sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  }
}
