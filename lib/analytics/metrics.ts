import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { conversations, messages, type Platform } from "@/db/schema";
import { counted, dayRowsCtes, dayStart, tenancy, type DayRowsParams } from "./day-rows";
import { addDays, todayIn } from "./range";
import type { AnalyticsScope } from "./scope";

// The figures behind /api/analytics/* and the dashboard: one SQL statement each, built on the
// day-rows shape of day-rows.ts. Definitions: lib/analytics/README.md.

type Row = Record<string, unknown>;

async function rows(db: Executor, query: SQL): Promise<Row[]> {
  const result = await db.execute(query);
  return result.rows as Row[];
}

const int = (value: unknown): number => (typeof value === "number" ? value : Number(value ?? 0));
const seconds = (value: unknown): number | null =>
  value === null || value === undefined ? null : Math.round(Number(value) * 1000) / 1000;

function dayRowsParams(scope: AnalyticsScope, overrides: Partial<DayRowsParams> = {}): DayRowsParams {
  return {
    viewer: { userId: scope.userId },
    workspaceId: scope.workspaceId,
    tz: scope.tz,
    from: scope.from,
    to: scope.to,
    platform: scope.platform,
    // Roll-ups are cut at the workspace's midnight; any other zone is computed live for the whole range.
    useRollups: scope.tz === scope.workspaceTimezone,
    samples: false,
    now: scope.now,
    ...overrides,
  };
}

const platformFilter = (platform: Platform | null) => (platform ? sql` and messages.platform = ${platform}::platform` : sql``);

export interface DayRow {
  date: string;
  platform: Platform;
  incoming: number;
  outgoing: number;
  conversations: number;
  newConversations: number;
  /** Response-time samples in seconds, ascending (empty unless `samples` was asked for). */
  firstResponseSeconds: number[];
  replySeconds: number[];
}

/** The raw day rows, samples included: what the roll-up stores; for checks and tooling. */
export async function readDayRows(db: Executor, params: DayRowsParams): Promise<DayRow[]> {
  const result = await rows(
    db,
    sql`with ${dayRowsCtes(params)}
        select day::text as date, platform::text as platform, incoming, outgoing, conversations, new_conversations
               ${params.samples ? sql`, first_response_seconds, reply_seconds` : sql``}
        from day_rows order by day, platform`,
  );
  return result.map((row) => ({
    date: String(row.date),
    platform: row.platform as Platform,
    incoming: int(row.incoming),
    outgoing: int(row.outgoing),
    conversations: int(row.conversations),
    newConversations: int(row.new_conversations),
    firstResponseSeconds: (row.first_response_seconds as number[] | undefined) ?? [],
    replySeconds: (row.reply_seconds as number[] | undefined) ?? [],
  }));
}

export interface DailyRow {
  date: string;
  platform: Platform;
  incoming: number;
  outgoing: number;
  conversations: number;
}

/**
 * Every day of the range × platform (zeros included), oldest first. The dashboard's most frequent
 * query, so it skips new conversations (per-day figures are in the daily CSV, totals in the breakdown).
 */
export async function getDailySeries(db: Executor, scope: AnalyticsScope): Promise<DailyRow[]> {
  const result = await rows(
    db,
    sql`with ${dayRowsCtes(dayRowsParams(scope, { newConversations: false }))}
        select day::text as date, platform::text as platform, incoming, outgoing, conversations
        from day_rows order by day, platform`,
  );
  return result.map((row) => ({
    date: String(row.date),
    platform: row.platform as Platform,
    incoming: int(row.incoming),
    outgoing: int(row.outgoing),
    conversations: int(row.conversations),
  }));
}

export interface DailyDetailRow extends DailyRow {
  newConversations: number;
  firstResponse: Omit<Percentiles, "samples">;
  reply: Omit<Percentiles, "samples">;
}

/** The daily series with each day's own response-time percentiles (the daily CSV). */
export async function getDailyDetail(db: Executor, scope: AnalyticsScope): Promise<DailyDetailRow[]> {
  const result = await rows(
    db,
    sql`with ${dayRowsCtes(dayRowsParams(scope, { samples: true }))}
        select day::text as date, platform::text as platform, incoming, outgoing, conversations, new_conversations,
               (select percentile_cont(array[0.5, 0.9]) within group (order by v::float8)
                from jsonb_array_elements(day_rows.first_response_seconds) as v) as first_response,
               (select percentile_cont(array[0.5, 0.9]) within group (order by v::float8)
                from jsonb_array_elements(day_rows.reply_seconds) as v) as reply
        from day_rows order by day, platform`,
  );
  return result.map((row) => {
    const [f50, f90] = (row.first_response as number[] | null) ?? [];
    const [r50, r90] = (row.reply as number[] | null) ?? [];
    return {
      date: String(row.date),
      platform: row.platform as Platform,
      incoming: int(row.incoming),
      outgoing: int(row.outgoing),
      conversations: int(row.conversations),
      newConversations: int(row.new_conversations),
      firstResponse: { p50: seconds(f50), p90: seconds(f90) },
      reply: { p50: seconds(r50), p90: seconds(r90) },
    };
  });
}

export interface DayFigures {
  incoming: number;
  outgoing: number;
  activeConversations: number;
  newConversations: number;
}

export interface Stats {
  date: string;
  timezone: string;
  today: DayFigures & { unread: number };
  yesterday: DayFigures;
  byPlatform: (DayFigures & { platform: Platform; unread: number; yesterday: DayFigures })[];
}

const emptyDay = (): DayFigures => ({ incoming: 0, outgoing: 0, activeConversations: 0, newConversations: 0 });

/** Today and yesterday in the scope's zone (its from/to are not used), plus unread now. */
export async function getStats(db: Executor, scope: AnalyticsScope): Promise<Stats> {
  const today = todayIn(scope.tz, scope.now);
  const yesterday = addDays(today, -1);
  const result = await rows(
    db,
    sql`with ${dayRowsCtes(dayRowsParams(scope, { from: yesterday, to: today }))},
        unread as (
          select conversations.platform, sum(conversations.unread_count)::int as unread
          from conversations
          where conversations.workspace_id = ${scope.workspaceId}::uuid and ${tenancy({ userId: scope.userId }, conversations.workspaceId)}
            and not conversations.is_archived and conversations.unread_count > 0
            ${scope.platform ? sql` and conversations.platform = ${scope.platform}::platform` : sql``}
          group by conversations.platform
        )
        select dr.day::text as date, dr.platform::text as platform, dr.incoming, dr.outgoing, dr.conversations,
               dr.new_conversations, coalesce(u.unread, 0) as unread
        from day_rows dr left join unread u on u.platform = dr.platform
        order by dr.day, dr.platform`,
  );
  const stats: Stats = {
    date: today,
    timezone: scope.tz,
    today: { ...emptyDay(), unread: 0 },
    yesterday: emptyDay(),
    byPlatform: [],
  };
  const perPlatform = new Map<Platform, Stats["byPlatform"][number]>();
  for (const row of result) {
    const platform = row.platform as Platform;
    const entry = perPlatform.get(platform) ?? { platform, ...emptyDay(), unread: int(row.unread), yesterday: emptyDay() };
    perPlatform.set(platform, entry);
    const figures: DayFigures = {
      incoming: int(row.incoming),
      outgoing: int(row.outgoing),
      activeConversations: int(row.conversations),
      newConversations: int(row.new_conversations),
    };
    const isToday = row.date === today;
    const target = isToday ? entry : entry.yesterday;
    const total = isToday ? stats.today : stats.yesterday;
    for (const key of Object.keys(figures) as (keyof DayFigures)[]) {
      target[key] += figures[key];
      total[key] += figures[key];
    }
    if (isToday) stats.today.unread += entry.unread;
  }
  stats.byPlatform = [...perPlatform.values()];
  return stats;
}

export interface PlatformRow {
  platform: Platform;
  incoming: number;
  outgoing: number;
  /** Distinct conversations with a message in the range. */
  conversations: number;
  newConversations: number;
  /** This platform's part (0..1) of all messages in the range, 0 when there are none. */
  share: number;
}

export interface PlatformBreakdown {
  platforms: PlatformRow[];
  totals: Omit<PlatformRow, "platform" | "share">;
}

export async function getPlatformBreakdown(db: Executor, scope: AnalyticsScope): Promise<PlatformBreakdown> {
  const result = await rows(
    db,
    sql`with ${dayRowsCtes(dayRowsParams(scope))},
        totals as (
          select platform, sum(incoming)::int as incoming, sum(outgoing)::int as outgoing, sum(new_conversations)::int as new_conversations
          from day_rows group by platform
        ),
        -- Distinct conversations with a message in the range: one short index probe per candidate
        -- conversation instead of reading every message of the range. Ingest keeps last_message_at at
        -- the newest message, so a conversation last active before the range cannot qualify (unset: probed).
        -- LATERAL … LIMIT 1 keeps it a probe: written as EXISTS, the planner may turn it into a hash
        -- semi-join over all the range's messages.
        active as (
          select conversations.platform, count(*)::int as conversations
          from conversations
          cross join lateral (
            select 1 from messages m
            where m.conversation_id = conversations.id
              and m.sent_at >= (select start_at from bounds) and m.sent_at < (select end_at from bounds) and ${counted("m")}
            limit 1
          ) as hit
          where conversations.workspace_id = ${scope.workspaceId}::uuid and ${tenancy({ userId: scope.userId }, conversations.workspaceId)}
            and (conversations.last_message_at is null or conversations.last_message_at >= (select start_at from bounds))
            ${scope.platform ? sql` and conversations.platform = ${scope.platform}::platform` : sql``}
          group by conversations.platform
        )
        select t.platform::text as platform, t.incoming, t.outgoing, coalesce(a.conversations, 0) as conversations, t.new_conversations,
               coalesce((t.incoming + t.outgoing)::float8 / nullif(sum(t.incoming + t.outgoing) over (), 0), 0) as share
        from totals t left join active a on a.platform = t.platform
        order by t.platform`,
  );
  const platforms = result.map((row) => ({
    platform: row.platform as Platform,
    incoming: int(row.incoming),
    outgoing: int(row.outgoing),
    conversations: int(row.conversations),
    newConversations: int(row.new_conversations),
    share: Math.round(Number(row.share) * 10_000) / 10_000,
  }));
  const totals = platforms.reduce(
    (sum, row) => ({
      incoming: sum.incoming + row.incoming,
      outgoing: sum.outgoing + row.outgoing,
      conversations: sum.conversations + row.conversations,
      newConversations: sum.newConversations + row.newConversations,
    }),
    { incoming: 0, outgoing: 0, conversations: 0, newConversations: 0 },
  );
  return { platforms, totals };
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  /** How many waits / messages the figures are computed from. */
  samples: number;
}

export interface ResponseTimes {
  firstResponse: Percentiles;
  reply: Percentiles;
  byPlatform: { platform: Platform; firstResponse: Percentiles; reply: Percentiles }[];
}

const noSamples = (): Percentiles => ({ p50: null, p90: null, samples: 0 });

export async function getResponseTimes(db: Executor, scope: AnalyticsScope): Promise<ResponseTimes> {
  const result = await rows(
    db,
    sql`with ${dayRowsCtes(dayRowsParams(scope, { samples: true }))},
        samples as (
          select day_rows.platform, 'first' as kind, v::float8 as s
          from day_rows, jsonb_array_elements(day_rows.first_response_seconds) as v
          union all
          select day_rows.platform, 'reply' as kind, v::float8 as s
          from day_rows, jsonb_array_elements(day_rows.reply_seconds) as v
        )
        select kind, platform::text as platform, grouping(platform) as all_platforms,
               percentile_cont(array[0.5, 0.9]) within group (order by s) as p, count(*)::int as n
        from samples
        group by grouping sets ((kind, platform), (kind))`,
  );
  const times: ResponseTimes = { firstResponse: noSamples(), reply: noSamples(), byPlatform: [] };
  const perPlatform = new Map<Platform, ResponseTimes["byPlatform"][number]>();
  for (const row of result) {
    const [p50, p90] = (row.p as number[] | null) ?? [];
    const figures: Percentiles = { p50: seconds(p50), p90: seconds(p90), samples: int(row.n) };
    const key = row.kind === "first" ? "firstResponse" : "reply";
    if (int(row.all_platforms) === 1) {
      times[key] = figures;
    } else {
      const platform = row.platform as Platform;
      const entry = perPlatform.get(platform) ?? { platform, firstResponse: noSamples(), reply: noSamples() };
      entry[key] = figures;
      perPlatform.set(platform, entry);
    }
  }
  times.byPlatform = [...perPlatform.values()].sort((a, b) => a.platform.localeCompare(b.platform));
  return times;
}

export interface HourCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday, in the scope's zone. */
  weekday: number;
  hour: number;
  incoming: number;
  outgoing: number;
}

/** Message counts per local (weekday, hour) over the range: 168 cells, zeros included. */
export async function getBusiestHours(db: Executor, scope: AnalyticsScope): Promise<HourCell[]> {
  const result = await rows(
    db,
    sql`with bounds as (
          select ${dayStart(sql`${scope.from}::date`, scope.tz)} as start_at, ${dayStart(sql`${scope.to}::date + 1`, scope.tz)} as end_at
        )
        select extract(isodow from local_at)::int as weekday, extract(hour from local_at)::int as hour,
               count(*) filter (where direction = 'incoming')::int as incoming,
               count(*) filter (where direction = 'outgoing')::int as outgoing
        from (
          select messages.sent_at at time zone ${scope.tz}::text as local_at, messages.direction
          from messages
          where messages.workspace_id = ${scope.workspaceId}::uuid and ${tenancy({ userId: scope.userId }, messages.workspaceId)}
            and messages.sent_at >= (select start_at from bounds) and messages.sent_at < (select end_at from bounds)
            and ${counted("messages")} ${platformFilter(scope.platform)}
        ) m
        group by 1, 2`,
  );
  const cells = new Map(result.map((row) => [`${int(row.weekday)}:${int(row.hour)}`, row]));
  const out: HourCell[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const row = cells.get(`${weekday}:${hour}`);
      out.push({ weekday, hour, incoming: int(row?.incoming), outgoing: int(row?.outgoing) });
    }
  }
  return out;
}

/** Whether the workspace has ever had a message: decides between the dashboard and its empty state. */
export async function hasAnyMessages(db: Executor, params: { userId: string; workspaceId: string }): Promise<boolean> {
  const [row] = await rows(
    db,
    sql`select exists (
          select 1 from messages
          where messages.workspace_id = ${params.workspaceId}::uuid and ${tenancy({ userId: params.userId }, messages.workspaceId)}
        ) as any`,
  );
  return row?.any === true;
}
