import { databaseUrl } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { EnvError, loadEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { closeRealtimePublisher } from "@/lib/realtime/publish";
import { startRealtimeServer } from "./server";

// `npm run realtime`: the Socket.IO sidecar as its own process (`npm run dev`/`npm start` spawn it).
// Configuration comes from lib/env.ts: REALTIME_PORT, DATABASE_URL, APP_URL, AUTH_SECRET, LOG_LEVEL.

async function main(): Promise<void> {
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      for (const problem of error.problems) console.error(`realtime: invalid configuration: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const log = logger.child({ scope: "realtime" });
  const url = databaseUrl();
  // The adapter needs its attachments table; migrating is idempotent and serialized with the app's.
  await runMigrations(url);

  const server = await startRealtimeServer({ port: env.REALTIME_PORT, databaseUrl: url, appUrl: env.APP_URL, log });
  log.info(`realtime sidecar listening on port ${server.port} (sockets from ${new URL(env.APP_URL).origin}, health at /health)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received; closing sockets, adapter and database pools`);
    const forced = setTimeout(() => {
      log.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, 10_000);
    forced.unref();
    Promise.all([server.close(), closeRealtimePublisher()]).then(
      () => {
        log.info("realtime sidecar stopped");
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, "realtime sidecar did not stop cleanly");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`realtime: failed to start: ${(err as Error).message}`);
  process.exit(1);
});
