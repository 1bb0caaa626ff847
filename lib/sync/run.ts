import "server-only";
import type { Database } from "@/db/client";
import { findPlatformAccount } from "@/db/queries/platform-accounts";
import type { JobEvents } from "@/lib/jobs/events";
import type { Logger } from "@/lib/logger";
import { GraphError } from "@/lib/platforms/meta/graph";
import { incrementalSince, startSync, syncStep } from "@/lib/sync/backfill";

export interface RunOptions {
  /** Waits after a rate limit or a Meta outage before the step is tried again (then it gives up). */
  retryDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
  pageSize?: number;
}

// Meta's guidance for rate limits (codes 4/17/32/613) is to slow down; minutes, not seconds.
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 60_000, 300_000, 600_000];

export function isRetryable(error: unknown): boolean {
  return error instanceof GraphError ? error.transient : true;
}

/**
 * The in-process driver's sync: start, then steps until done, each transient failure waited out
 * with backoff. The Inngest function runs the same startSync / syncStep as durable steps instead.
 */
export async function runSync(
  db: Database,
  data: JobEvents["platform/sync.requested"],
  log: Logger,
  options: RunOptions = {},
): Promise<number> {
  const account = await findPlatformAccount(db, { id: data.platformAccountId });
  if (!account) return 0;
  const since = data.reason === "periodic" ? incrementalSince(account) : null;
  let state = await startSync(db, { platformAccountId: account.id, syncId: data.syncId, since, pageSize: options.pageSize });
  if (!state) return 0;
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ;) {
    try {
      const result = await syncStep(db, { platformAccountId: account.id, state }, log);
      state = result.state;
      attempt = 0;
      if (result.done) return state.imported;
    } catch (error) {
      const delay = delays[attempt];
      if (!isRetryable(error) || delay === undefined) throw error;
      attempt += 1;
      log.warn(
        { err: error, platformAccountId: account.id, retryInMs: delay },
        "sync step failed; waiting before resuming from the saved position",
      );
      await sleep(delay);
    }
  }
}
