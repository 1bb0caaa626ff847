import { getDb } from "@/db/client";
import { rollUpDays } from "@/lib/analytics/rollup";
import { inngest } from "../client";
import { rollupRequested } from "../events";

// Closed days of a workspace recomputed into analytics_daily (nightly via the analytics-rollup
// schedule, after a history import, or on demand for a range).
export const rollUpAnalytics = inngest.createFunction(
  {
    id: "roll-up-analytics",
    triggers: [rollupRequested],
    concurrency: [{ key: "event.data.workspaceId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => step.run("roll-up", () => rollUpDays(getDb(), event.data)),
);
