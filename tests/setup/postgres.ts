import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../db/embedded-postgres";
import { runMigrations } from "../../db/migrate";

// One embedded PostgreSQL for the whole run; each test file clones the migrated template database.

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    templateDatabase: string;
  }
}

export const TEMPLATE_DATABASE = "chats_template";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export default async function setup(project: TestProject) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "chats-test-pg-"));
  await fs.chmod(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, "data"),
    port: await freePort(),
    password: "test",
    database: TEMPLATE_DATABASE,
    ephemeral: true,
  });
  await runMigrations(postgres.urlFor(TEMPLATE_DATABASE));
  // Allow cloning while nobody is connected; connections are refused to keep it pristine.
  const admin = new pg.Client({ connectionString: postgres.urlFor("postgres") });
  await admin.connect();
  await admin.query(`alter database ${TEMPLATE_DATABASE} with is_template true allow_connections false`);
  await admin.end();

  project.provide("postgresAdminUrl", postgres.urlFor("postgres"));
  project.provide("templateDatabase", TEMPLATE_DATABASE);

  return async () => {
    await postgres.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
