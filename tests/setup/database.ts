import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { closeDb } from "@/db/client";

// A fresh database per test file, cloned from the migrated template (milliseconds, not a migration run).

const adminUrl = inject("postgresAdminUrl");
const template = inject("templateDatabase");
const name = `test_${randomBytes(6).toString("hex")}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createFromTemplate(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((client) => client.query(`create database ${name} template ${template}`));
      return;
    } catch (error) {
      // Two files cloning the template at the same instant collide (55006); take turns.
      if ((error as { code?: string }).code !== "55006" || attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
}

await createFromTemplate();
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();

afterAll(async () => {
  // Background work and the realtime emitter hold connections too; let them finish and close first.
  const { inlineJobs } = await import("@/lib/jobs");
  await (await inlineJobs()).idle();
  const { closeRealtimePublisher } = await import("@/lib/realtime/publish");
  await closeRealtimePublisher();
  await closeDb();
  await admin((client) => client.query(`drop database if exists ${name} with (force)`));
});
