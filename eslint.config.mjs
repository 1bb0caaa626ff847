import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    files: ["**/*.ts", "**/*.tsx"],
    plugins: { drizzle },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "error",
      // Whole-table deletes and updates are never what we mean; both need a where().
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "executor"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "executor"] }],
      "no-console": "error",
      "@next/next/no-img-element": "off",
    },
  },
  {
    // Process launchers and the sidecars talk to the terminal directly.
    files: ["scripts/**", "sandbox/**", "realtime/**", "e2e/**", "tests/**"],
    rules: { "no-console": "off" },
  },
  {
    // The env module is the one reader of process.env (plus launchers and config files, which write it for children).
    files: ["**/*.ts", "**/*.tsx"],
    ignores: [
      "lib/env.ts",
      "scripts/**",
      "instrumentation.ts",
      // Tests set variables to drive the behaviour under test.
      "tests/**",
      "**/*.test.ts",
      "e2e/**",
      "playwright.config.ts",
      "vitest.config.ts",
    ],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env.ts." },
      ],
    },
  },
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    ".data/**",
    "db/migrations/**",
    "bench/results/**",
    "playwright-report/**",
    "test-results/**",
  ]),
]);
