// npm run db:migrate — apply migrations by hand (deploy pipelines, Vercel-style hosts). The app also
// applies them at start-up; without DATABASE_URL this targets the embedded database of `npm run dev`.
import { runMigrations } from "@/db/migrate";
import { commandEnv } from "./lib/stack";

const env = commandEnv(process.env.NODE_ENV === "production" ? "production" : "development");
if (!env.DATABASE_URL) throw new Error("DATABASE_URL could not be determined");
await runMigrations(env.DATABASE_URL);
process.stdout.write("migrations applied\n");
