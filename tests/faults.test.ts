import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/db/embedded-postgres";
import { runMigrations } from "@/db/migrate";
import { startTestMeta } from "./support/sandbox";

// PostgreSQL goes away in the middle of a steady stream of webhooks and comes back. Meta (the
// sandbox) keeps delivering and redelivers what was refused; in the end every message is stored
// exactly once, health said "down" meanwhile, and the app recovered without a restart.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

// This file runs against a PostgreSQL of its own, which it can stop and start.
const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chats-faults-"));
await fs.chmod(dir, 0o755);
const options = {
  dataDir: path.join(dir, "data"),
  port: await freePort(),
  password: "faults",
  database: "chats",
  ephemeral: true,
};
let postgres = await startEmbeddedPostgres(options);
await runMigrations(postgres.url);
process.env.DATABASE_URL = postgres.url;

// Meta redelivers with backoff for hours; a compressed schedule covers the outage here.
const meta = await startTestMeta({ redelivery: [300, 600, 1000, 1500, 2000, 3000, 4000, 5000, 8000] });

const { GET: health } = await import("@/app/api/health/route");
const { getDb } = await import("@/db/client");
const { inlineJobs } = await import("@/lib/jobs");
const { createAccount } = await import("./factories/accounts");
const { call } = await import("./support/api");
const { connectSandboxAccounts } = await import("./support/meta-accounts");

// Retries queued during the outage back off up to ~62 s in all (webhook/process.requested: 6 attempts)
// before the jobs go idle; on a loaded machine that outlasts the default hook timeout.
afterAll(async () => {
  await (await inlineJobs()).idle();
  await meta.close();
  const { closeDb } = await import("@/db/client");
  const { closeRealtimePublisher } = await import("@/lib/realtime/publish");
  await closeRealtimePublisher();
  await closeDb();
  await postgres.stop();
  await fs.rm(dir, { recursive: true, force: true });
}, 120_000);

async function customerWrites(text: string, customer: string) {
  const response = await fetch(`${meta.sandbox.url}/_sandbox/customers/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ platform: "whatsapp", kind: "text", text, customer }),
  });
  expect(response.status).toBe(202);
}

describe("PostgreSQL stopping mid-stream", () => {
  it("loses nothing and duplicates nothing: every message is stored exactly once after recovery", async () => {
    const owner = await createAccount();
    await connectSandboxAccounts(meta, owner.workspace.id);
    const customers = ["15550100101", "34600100102", "4915100100103", "33600100104"];
    const total = 60;
    const healthDuringOutage: number[] = [];

    const stream = (async () => {
      for (let i = 0; i < total; i++) {
        await customerWrites(`fault-${i}`, customers[i % customers.length] ?? "15550100101");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    // A second in, the database stops for about four seconds, then comes back on the same data.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    healthDuringOutage.push((await call(health)).status);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    postgres = await startEmbeddedPostgres(options);

    await stream;
    await meta.settle();
    await (await inlineJobs()).idle();
    await meta.settle();

    expect(healthDuringOutage).toEqual([503]);
    expect((await call(health)).status).toBe(200);

    const { rows } = await getDb().execute<{ stored: number; distinct: number }>(
      (await import("drizzle-orm"))
        .sql`select count(*)::int as stored, count(distinct text)::int as "distinct" from messages where text like 'fault-%'`,
    );
    expect(rows[0]).toEqual({ stored: total, distinct: total });

    const deliveries = (await (await fetch(`${meta.sandbox.url}/_sandbox/deliveries?platform=whatsapp&limit=500`)).json()) as {
      deliveries: { attempts: { status: number }[] }[];
    };
    const refused = deliveries.deliveries.filter((delivery) =>
      delivery.attempts.some((attempt) => attempt.status >= 500 || attempt.status === 0),
    );
    // The outage was real: Meta saw refusals and had to redeliver.
    expect(refused.length).toBeGreaterThan(0);

    // The realtime publisher's adapter lost its LISTEN connection with the database: its pool got the
    // slot back (a leaked one would keep this from ever finishing).
    const { closeRealtimePublisher } = await import("@/lib/realtime/publish");
    const closed = await Promise.race([
      closeRealtimePublisher().then(() => "closed"),
      new Promise((resolve) => setTimeout(resolve, 10_000, "still waiting for a leaked connection")),
    ]);
    expect(closed).toBe("closed");
  }, 120_000);
});
