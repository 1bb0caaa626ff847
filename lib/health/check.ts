import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { jobsDriverName } from "@/lib/jobs";

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

/**
 * Background jobs: the in-process driver lives in this process, so it is up when we are; a
 * self-hosted or dev Inngest server must answer its /health; Inngest Cloud is assumed up.
 */
async function probeJobs(): Promise<Probe> {
  if (jobsDriverName() === "inline") return "ok";
  const base =
    env.INNGEST_BASE_URL ??
    (env.INNGEST_DEV ? (/^https?:\/\//.test(env.INNGEST_DEV) ? env.INNGEST_DEV : "http://localhost:8288") : null);
  return base ? probeHttp(new URL("/health", base).toString()) : "ok";
}

export async function checkHealth(): Promise<Health> {
  const [db, realtime, inngest] = await Promise.all([
    probeDatabase(),
    probeHttp(new URL("/health", env.REALTIME_INTERNAL_URL ?? env.REALTIME_URL).toString()),
    probeJobs(),
  ]);
  return { status: db === "ok" ? "ok" : "down", db, realtime, inngest };
}
