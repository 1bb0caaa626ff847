import type pg from "pg";
import { getDailySeries, getPlatformBreakdown, getResponseTimes } from "@/lib/analytics/metrics";
import { addDays, todayIn } from "@/lib/analytics/range";
import type { AnalyticsScope } from "@/lib/analytics/scope";
import type { BenchConfig } from "./config";
import { explainAll, type ExplainedStatement } from "./explain";
import { measureRequests, type Timing } from "./measure";

// Scenario 4: the dashboard's analytics over the seeded data, for the widest preset (90 days up to
// today: closed days from the roll-ups the seed left, as the hourly job and history imports leave
// them, today live from messages): the daily series, the platform breakdown, response times.

export interface AnalyticsResult {
  range: { from: string; to: string; days: number };
  endpoints: Record<"daily" | "platform" | "responseTimes", Timing>;
  plans: Record<string, ExplainedStatement[]>;
}

export async function benchAnalytics(
  db: pg.Pool,
  options: { appUrl: string; token: string; userId: string; workspaceId: string; config: BenchConfig },
): Promise<AnalyticsResult> {
  const { appUrl, token, config } = options;
  const { samples, warmup, days } = config.analytics;
  const to = todayIn("UTC");
  const from = addDays(to, -(days - 1));
  const range = `from=${from}&to=${to}&tz=UTC`;
  const endpoints = {
    daily: await measureRequests(appUrl, token, [`/api/analytics/daily?${range}`], samples, warmup),
    platform: await measureRequests(appUrl, token, [`/api/analytics/platform?${range}`], samples, warmup),
    responseTimes: await measureRequests(appUrl, token, [`/api/analytics/response-times?${range}`], samples, warmup),
  };
  // As lib/analytics/scope.ts resolves it for this user and query (the bench workspace's zone is UTC).
  const scope: AnalyticsScope = {
    userId: options.userId,
    workspaceId: options.workspaceId,
    workspaceName: "bench",
    workspaceTimezone: "UTC",
    tz: "UTC",
    from,
    to,
    platform: null,
  };
  const plans = {
    daily: await explainAll(db, (rec) => getDailySeries(rec, scope)),
    platform: await explainAll(db, (rec) => getPlatformBreakdown(rec, scope)),
    responseTimes: await explainAll(db, (rec) => getResponseTimes(rec, scope)),
  };
  return { range: { from, to, days }, endpoints, plans };
}
