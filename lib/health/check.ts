import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";

export type Probe = "ok" | "down";

export interface Health {
  status: "ok" | "down";
  db: Probe;
  realtime: Probe;
  inngest: Probe;
}

const PROBE_TIMEOUT_MS = 1_500;

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function probeDatabase(): Promise<Probe> {
  try {
    await withTimeout(getDb().execute(sql`select 1`), PROBE_TIMEOUT_MS);
    return "ok";
  } catch {
    return "down";
  }
}

async function probeHttp(url: string): Promise<Probe> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), cache: "no-store" });
    return response.ok ? "ok" : "down";
  } catch {
    return "down";
  }
}

/** Background jobs: healthy when the configured Inngest server answers (no driver runs yet: down). */
async function probeJobs(): Promise<Probe> {
  if (!env.INNGEST_BASE_URL) return "down";
  return probeHttp(new URL("/health", env.INNGEST_BASE_URL).toString());
}

export async function checkHealth(): Promise<Health> {
  const [db, realtime, inngest] = await Promise.all([
    probeDatabase(),
    probeHttp(new URL("/health", env.REALTIME_INTERNAL_URL ?? env.REALTIME_URL).toString()),
    probeJobs(),
  ]);
  return { status: db === "ok" ? "ok" : "down", db, realtime, inngest };
}
