import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import * as schema from "./schema";

export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What every query function takes first: the database or a transaction. */
export type Executor = Database | Transaction;

interface DbState {
  pool: pg.Pool;
  db: Database;
}

// Kept on globalThis so dev-server reloads reuse one pool instead of leaking connections.
const globalForDb = globalThis as unknown as { chatsDb?: DbState };

export function databaseUrl(): string {
  const url = env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start Chats with `npm run dev` or `npm start` (they run an embedded PostgreSQL), or set DATABASE_URL.",
    );
  }
  return url;
}

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: "chats",
  });
  // A connection losing its server (Postgres restarted) must not crash the process: the pool reports
  // idle ones here, and every client gets a listener of its own for while it is checked out (the
  // realtime adapter holds one for LISTEN). The pool replaces them; the adapter reconnects.
  pool.on("error", (err) => logger.warn({ err, scope: "db" }, "idle database connection lost"));
  pool.on("connect", (client) => {
    client.on("error", (err) => logger.warn({ err, scope: "db" }, "database connection lost"));
  });
  return pool;
}

/**
 * A pool for @socket.io/postgres-adapter, which holds one client for LISTEN and, when that
 * connection drops (a database restart), reconnects with a new client without releasing the old
 * one (adapter 0.5). Each restart would leak a slot (NOTIFYs then wait forever for a free
 * connection) and pool.end() would never finish. Here a held client that ends goes back to the
 * pool, which discards it.
 */
export function createAdapterPool(url: string, max: number): pg.Pool {
  const pool = createPool(url, max);
  const held = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => held.add(client));
  pool.on("release", (_err, client) => held.delete(client));
  pool.on("connect", (client) => {
    // pg emits "end" after it has failed the client's queries, whose callers release first.
    client.on("end", () => {
      if (held.has(client)) (client as pg.PoolClient).release(new Error("connection ended"));
    });
  });
  return pool;
}

function state(): DbState {
  if (!globalForDb.chatsDb) {
    const pool = createPool(databaseUrl());
    globalForDb.chatsDb = { pool, db: drizzle({ client: pool, schema, casing: "snake_case" }) };
  }
  return globalForDb.chatsDb;
}

export const getDb = (): Database => state().db;
export const getPool = (): pg.Pool => state().pool;

/** Closes the pool (tests, graceful shutdown); the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const current = globalForDb.chatsDb;
  globalForDb.chatsDb = undefined;
  await current?.pool.end();
}
