import "server-only";
import type { Executor } from "@/db/client";
import {
  getDailySeries,
  getPlatformBreakdown,
  getResponseTimes,
  type DailyRow,
  type PlatformBreakdown,
  type ResponseTimes,
} from "./metrics";
import type { AnalyticsScope } from "./scope";

/** Everything the PDF report shows for a range, gathered in parallel (three statements). */
export interface Report {
  workspaceName: string;
  from: string;
  to: string;
  timezone: string;
  platform: AnalyticsScope["platform"];
  generatedAt: Date;
  daily: DailyRow[];
  breakdown: PlatformBreakdown;
  responseTimes: ResponseTimes;
}

export async function buildReport(db: Executor, scope: AnalyticsScope, generatedAt: Date = new Date()): Promise<Report> {
  const [daily, breakdown, responseTimes] = await Promise.all([
    getDailySeries(db, scope),
    getPlatformBreakdown(db, scope),
    getResponseTimes(db, scope),
  ]);
  return {
    workspaceName: scope.workspaceName,
    from: scope.from,
    to: scope.to,
    timezone: scope.tz,
    platform: scope.platform,
    generatedAt,
    daily,
    breakdown,
    responseTimes,
  };
}
