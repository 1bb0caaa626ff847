import "server-only";
import { getDb } from "@/db/client";
import { requestDueRollUps } from "@/lib/analytics/rollup-requests";
import type { Logger } from "@/lib/logger";
import { checkTokenHealth, cleanUpExpired, reprocessDueWebhooks, requestPeriodicSyncs } from "@/lib/maintenance/tasks";

// What runs on a clock, for both drivers: Inngest crons use `cron`, the in-process scheduler
// `everyMs` (first run after `firstRunMs`).

export interface Schedule {
  id: string;
  cron: string;
  everyMs: number;
  firstRunMs: number;
  run: (log: Logger) => Promise<unknown>;
}

const MINUTE = 60_000;

export const schedules: Schedule[] = [
  {
    id: "reprocess-webhooks",
    cron: "* * * * *",
    everyMs: MINUTE,
    firstRunMs: 15_000,
    run: (log) => reprocessDueWebhooks(getDb(), log),
  },
  {
    id: "periodic-sync",
    cron: "*/15 * * * *",
    everyMs: 15 * MINUTE,
    firstRunMs: 15 * MINUTE,
    run: () => requestPeriodicSyncs(getDb()),
  },
  {
    id: "token-health",
    cron: "0 4 * * *",
    everyMs: 24 * 60 * MINUTE,
    firstRunMs: 5 * MINUTE,
    run: (log) => checkTokenHealth(getDb(), log),
  },
  {
    // Hourly, because each workspace's night falls at its own UTC hour; it only acts after a local midnight.
    id: "analytics-rollup",
    cron: "10 * * * *",
    everyMs: 60 * MINUTE,
    firstRunMs: 2 * MINUTE,
    run: () => requestDueRollUps(getDb()),
  },
  { id: "cleanup", cron: "30 3 * * *", everyMs: 24 * 60 * MINUTE, firstRunMs: 10 * MINUTE, run: () => cleanUpExpired(getDb()) },
];
