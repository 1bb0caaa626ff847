import type { Metadata } from "next";
import Link from "next/link";
import { PlatformChart } from "@/components/charts/platform-chart";
import { VolumeChart } from "@/components/charts/volume-chart";
import { Card, CardEmpty } from "@/components/dashboard/card";
import { ExportButtons } from "@/components/dashboard/export-buttons";
import { HourHeatmap } from "@/components/dashboard/hour-heatmap";
import { RangePicker } from "@/components/dashboard/range-picker";
import { ResponseTimeCards } from "@/components/dashboard/response-time-cards";
import { StatCards } from "@/components/dashboard/stat-cards";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import { resolveDashboardSelection } from "@/lib/analytics/dashboard-selection";
import {
  getBusiestHours,
  getDailySeries,
  getPlatformBreakdown,
  getResponseTimes,
  getStats,
  hasAnyMessages,
} from "@/lib/analytics/metrics";
import { daysBetween, formatLongDate, formatRange } from "@/lib/analytics/range";
import { workspaceZone, type AnalyticsScope } from "@/lib/analytics/scope";
import { getCurrentWorkspace, requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Dashboard" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/dashboard");
  const { current } = await getCurrentWorkspace(user.id);
  const workspaceTimezone = workspaceZone(current.timezone);
  const selection = resolveDashboardSelection(await searchParams, workspaceTimezone);
  const db = getDb();

  if (!(await hasAnyMessages(db, { userId: user.id, workspaceId: current.id }))) {
    return (
      <div className="mx-auto max-w-6xl p-4 sm:p-6">
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <EmptyState
          title="No activity yet"
          action={
            <Link
              href="/settings/platforms"
              className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
            >
              Connect a platform
            </Link>
          }
        >
          Once customers write to your Instagram, Messenger or WhatsApp accounts, this page shows today&apos;s messages against
          yesterday, volume per day and platform, how fast your team answers, and the busiest hours of the week, with CSV and PDF
          exports.
        </EmptyState>
      </div>
    );
  }

  const scope: AnalyticsScope = {
    userId: user.id,
    workspaceId: current.id,
    workspaceName: current.name,
    workspaceTimezone,
    tz: selection.tz,
    from: selection.from,
    to: selection.to,
    platform: null,
  };
  const [stats, daily, breakdown, times, hours] = await Promise.all([
    getStats(db, scope),
    getDailySeries(db, scope),
    getPlatformBreakdown(db, scope),
    getResponseTimes(db, scope),
    getBusiestHours(db, scope),
  ]);
  const rangeText = formatRange(selection);
  const rangeTotal = breakdown.totals.incoming + breakdown.totals.outgoing;
  const exportQuery = new URLSearchParams({
    from: scope.from,
    to: scope.to,
    tz: scope.tz,
    workspaceId: scope.workspaceId,
  }).toString();

  return (
    <div className="mx-auto max-w-6xl space-y-5 p-4 pb-10 sm:p-6">
      <header className="flex flex-col gap-3 lg:flex-row lg:items-start lg:justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Dashboard</h1>
          <p className="mt-1 text-sm text-slate-500" data-testid="range-description">
            {rangeText} · {selection.tz}
          </p>
        </div>
        <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-start lg:justify-end">
          <RangePicker selection={selection} workspaceTimezone={workspaceTimezone} />
          <ExportButtons query={exportQuery} />
        </div>
      </header>

      {selection.notice ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          {selection.notice}
        </p>
      ) : null}

      <section aria-labelledby="today-heading" className="space-y-2">
        <h2 id="today-heading" className="text-sm font-semibold text-slate-900">
          Today <span className="font-normal text-slate-500">· {formatLongDate(stats.date)}</span>
        </h2>
        <StatCards stats={stats} />
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card
          title="Message volume"
          headingId="volume-heading"
          description="Incoming and outgoing messages, stacked by platform"
          className="lg:col-span-2"
        >
          <VolumeChart
            // A new range starts from its own default grouping (days up to two months, then weeks).
            key={`${scope.from}:${scope.to}`}
            rows={daily}
            rangeLabel={`in ${rangeText}`}
            defaultGranularity={daysBetween(scope.from, scope.to) + 1 > 62 ? "weekly" : "daily"}
          />
        </Card>
        <Card title="By platform" headingId="platform-heading" description="Share of all messages in the range">
          {rangeTotal > 0 ? (
            <PlatformChart platforms={breakdown.platforms} />
          ) : (
            <CardEmpty>No messages in this range. The split between Instagram, Messenger and WhatsApp appears here.</CardEmpty>
          )}
        </Card>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card
          title="Response times"
          headingId="response-heading"
          description="First response: from a customer's first unanswered message to the team's reply. Reply time: from every customer message."
        >
          <ResponseTimeCards times={times} />
        </Card>
        <Card
          title="Busiest hours"
          headingId="hours-heading"
          description={`Customer messages by weekday and hour, ${selection.tz}`}
        >
          <HourHeatmap hours={hours} timezone={selection.tz} />
        </Card>
      </div>
    </div>
  );
}
