import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Server modules import "server-only"; under test they run outside React's server graph.
      "server-only": path.join(root, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    setupFiles: ["./tests/setup/env.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{lib,db,sandbox,realtime,inngest,components,scripts}/**/*.test.{ts,tsx}"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          globalSetup: ["./tests/setup/postgres.ts"],
          setupFiles: ["./tests/setup/env.ts", "./tests/setup/database.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
