import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";
import { findPlatformAccount } from "@/db/queries/platform-accounts";
import { incrementalSince, startSync, syncStep, type SyncState } from "@/lib/sync/backfill";
import { inngest } from "../client";
import { syncRequested } from "../events";
import { orRetry } from "./step-errors";

// History import: one durable step per page of conversations, so a failure resumes at that page.
export const syncPlatform = inngest.createFunction(
  {
    id: "sync-platform",
    triggers: [syncRequested],
    // One import per account at a time, and at most a few per workspace's pages at once.
    concurrency: [{ key: "event.data.platformAccountId", limit: 1 }, { limit: 5 }],
    // Meta's per-page Graph limits: keep each account's imports to a steady pace.
    throttle: { key: "event.data.platformAccountId", limit: 30, period: "1m" },
    retries: 8,
  },
  async ({ event, step }) => {
    const log = logger.child({ scope: "inngest.sync", platformAccountId: event.data.platformAccountId });
    const start = await step.run("start", async () => {
      const account = await findPlatformAccount(getDb(), { id: event.data.platformAccountId });
      if (!account) return null;
      const since = event.data.reason === "periodic" ? incrementalSince(account) : null;
      return startSync(getDb(), { platformAccountId: account.id, syncId: event.data.syncId, since });
    });
    if (!start) return { imported: 0 };
    let state: SyncState = start;
    for (let page = 0; ; page++) {
      const current = state;
      const result = await step.run(`import-page-${page}`, () =>
        orRetry(() => syncStep(getDb(), { platformAccountId: event.data.platformAccountId, state: current }, log)),
      );
      state = result.state;
      if (result.done) break;
    }
    return { imported: state.imported };
  },
);
