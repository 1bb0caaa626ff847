import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` runs here (no database needed); migrations are applied by the app at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
  strict: true,
  verbose: true,
});
