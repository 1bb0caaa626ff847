import "server-only";
import { env } from "@/lib/env";
import type { JobEvents, JobName } from "@/lib/jobs/events";
import { InlineJobs } from "@/lib/jobs/inline";
import { logger } from "@/lib/logger";

export type JobsDriverName = "inngest" | "inline";

/** Inngest when it is configured (Cloud keys, a self-hosted server or a dev server); else in-process. */
export function jobsDriverName(): JobsDriverName {
  return env.INNGEST_EVENT_KEY || env.INNGEST_BASE_URL || env.INNGEST_DEV ? "inngest" : "inline";
}

const globalForJobs = globalThis as unknown as { chatsInlineJobs?: Promise<InlineJobs> };

/** The in-process runner (created on first use; definitions load lazily to keep imports acyclic). */
export function inlineJobs(): Promise<InlineJobs> {
  globalForJobs.chatsInlineJobs ??= import("@/lib/jobs/definitions").then(
    ({ jobDefinitions }) => new InlineJobs(jobDefinitions, logger.child({ scope: "jobs" })),
  );
  return globalForJobs.chatsInlineJobs;
}

/** Starts a background job (after `delayMs`, for retries); never waits for it to run. */
export async function sendJob<K extends JobName>(name: K, data: JobEvents[K], options: { delayMs?: number } = {}): Promise<void> {
  if (jobsDriverName() === "inngest") {
    const { inngest } = await import("@/inngest/client");
    await inngest.send({ name, data, ...(options.delayMs ? { ts: Date.now() + options.delayMs } : {}) });
    return;
  }
  (await inlineJobs()).send(name, data, options.delayMs);
}
