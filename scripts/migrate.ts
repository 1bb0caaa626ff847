// npm run db:migrate: apply migrations to DATABASE_URL by hand (deploy pipelines, Vercel-style hosts).
import { runMigrations } from "@/db/migrate";
import { loadEnv } from "@/lib/env";

const url = loadEnv().DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is required to run migrations by hand.\n");
  process.exit(1);
}
await runMigrations(url);
process.stdout.write("migrations applied\n");
