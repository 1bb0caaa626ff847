import "server-only";
import { after } from "next/server";
import type { Logger } from "@/lib/logger";

/**
 * Runs work once the response is on its way (Next's `after`, which serverless hosts keep alive for),
 * so the caller's latency never depends on it. Outside a request (scripts, tests) it simply starts.
 */
export function afterResponse(log: Logger, label: string, task: () => Promise<unknown>): void {
  const run = () => task().catch((error: unknown) => log.error({ err: error }, `${label} failed`));
  try {
    after(run);
  } catch {
    void run();
  }
}
