import "server-only";
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { inUserWorkspaces } from "@/db/queries/workspaces";
import { analyticsDaily, messages, type Platform } from "@/db/schema";

// The one SQL shape every analytics figure is built from: a row per (day, platform) for every day of
// the range (zeros included) with the day's counts and its response-time samples. Closed days come
// from analytics_daily when the request is in the workspace's own zone and the day has been rolled
// up; every other day (today, future days, days never rolled up, any day in another zone) is
// computed live from messages by exactly the SQL the roll-up itself runs, so the two paths cannot
// disagree. Definitions: lib/analytics/README.md.

/** Who is asking: a user (every query carries the membership condition) or the roll-up job. */
export type Viewer = { userId: string } | { system: true };

export interface DayRowsParams {
  viewer: Viewer;
  workspaceId: string;
  tz: string;
  from: string;
  to: string;
  platform: Platform | null;
  /** Read closed days from analytics_daily (only valid when `tz` is the zone they were cut in). */
  useRollups: boolean;
  /** Compute the response-time sample arrays (skipped by endpoints that show only counts). */
  samples: boolean;
  /**
   * Count new conversations on live days (default true). It costs an index probe per conversation
   * active on a live day, so the daily series, which does not show it, leaves it out (live days then say 0).
   */
  newConversations?: boolean;
  /** The instant "today" is taken from (tests pin it); default the database's now(). */
  now?: Date;
}

export function tenancy(viewer: Viewer, column: AnyColumn): SQL {
  return "userId" in viewer ? inUserWorkspaces(viewer.userId, column) : sql`true`;
}

/**
 * A message that counts: every incoming message, and every outgoing one that was not refused by the
 * platform (a failed send never reached the customer, so it is neither volume nor a reply).
 */
export const counted = (alias: string) => sql.raw(`(${alias}.direction = 'incoming' or ${alias}.status <> 'failed')`);

/** Local midnight starting `date` in `tz`, as timestamptz, computed by Postgres (DST-correct). */
export const dayStart = (date: SQL, tz: string) => sql`((${date})::timestamp at time zone ${tz}::text)`;

/**
 * `with` clauses ending in `day_rows(day, platform, incoming, outgoing, conversations,
 * new_conversations[, first_response_seconds, reply_seconds])`, plus `params(d_from, d_to, today)`
 * and `bounds(start_at, end_at)` for the whole range. Append `select … from day_rows`.
 */
export function dayRowsCtes(p: DayRowsParams): SQL {
  const platformFilter = (alias: string) => (p.platform ? sql` and ${sql.raw(alias)}.platform = ${p.platform}::platform` : sql``);
  const platforms = p.platform
    ? sql`select ${p.platform}::platform as platform`
    : sql`select unnest(enum_range(null::platform)) as platform`;

  const rolled = p.useRollups
    ? sql`
      rolled as (
        select analytics_daily.date as day, analytics_daily.platform, analytics_daily.incoming, analytics_daily.outgoing,
               analytics_daily.conversations, analytics_daily.new_conversations
               ${p.samples ? sql`, analytics_daily.first_response_seconds, analytics_daily.reply_seconds` : sql``}
        from analytics_daily, params
        where analytics_daily.workspace_id = ${p.workspaceId}::uuid and ${tenancy(p.viewer, analyticsDaily.workspaceId)}
          and analytics_daily.date >= params.d_from and analytics_daily.date <= params.d_to and analytics_daily.date < params.today
          ${platformFilter("analytics_daily")}
      ),
      rolled_days as (select distinct day from rolled),`
    : sql`
      rolled as (
        select null::date as day, null::platform as platform, 0 as incoming, 0 as outgoing, 0 as conversations, 0 as new_conversations
               ${p.samples ? sql`, '[]'::jsonb as first_response_seconds, '[]'::jsonb as reply_seconds` : sql``}
        where false
      ),
      rolled_days as (select null::date as day where false),`;

  const sampleCtes = p.samples
    ? sql`,
      -- Per conversation in time order: the previous message's direction, and the first outgoing
      -- message after this one (a frame anchored at the partition start, so Postgres aggregates it
      -- incrementally instead of once per row).
      seq as (
        select lm.*,
               lag(lm.direction) over (partition by lm.conversation_id order by lm.sent_at, lm.id) as prev_direction,
               min(lm.sent_at) filter (where lm.direction = 'outgoing') over (
                 partition by lm.conversation_id order by lm.sent_at desc, lm.id desc
                 rows between unbounded preceding and 1 preceding
               ) as next_outgoing_at
        from live_msgs lm
      ),
      -- Materialized: inlined, each aggregate below would re-run the correlated look-ups per row.
      -- The look-ups spell their order exactly as messages_conversation_sent_at_idx is built
      -- (sent_at desc nulls last, id desc nulls last), so each is a short walk of that index
      -- (forwards for "last before", backwards for "first after") instead of a sort of the whole conversation.
      waits as materialized (
        select s.day, s.platform, s.sent_at,
               -- No reply inside the live range: the first reply after it, if any.
               coalesce(s.next_outgoing_at, (
                 select o.sent_at from messages o
                 where o.conversation_id = s.conversation_id and o.workspace_id = ${p.workspaceId}::uuid
                   and o.direction = 'outgoing' and o.status <> 'failed' and o.sent_at >= (select end_at from live_range)
                 order by o.sent_at asc nulls first, o.id asc nulls first limit 1
               )) as answered_at,
               -- First in the live range: the conversation's last message before it decides.
               coalesce(s.prev_direction, (
                 select p.direction from messages p
                 where p.conversation_id = s.conversation_id and p.workspace_id = ${p.workspaceId}::uuid
                   and p.sent_at < (select start_at from live_range) and ${counted("p")}
                 order by p.sent_at desc nulls last, p.id desc nulls last limit 1
               ), 'outgoing') = 'outgoing' as opens_wait
        from seq s
        where s.direction = 'incoming'
      ),
      sample_aggs as (
        select w.day, w.platform,
               coalesce(jsonb_agg(round(extract(epoch from w.answered_at - w.sent_at), 3)::float8 order by w.answered_at - w.sent_at)
                 filter (where w.answered_at is not null and w.opens_wait), '[]'::jsonb) as first_response_seconds,
               coalesce(jsonb_agg(round(extract(epoch from w.answered_at - w.sent_at), 3)::float8 order by w.answered_at - w.sent_at)
                 filter (where w.answered_at is not null), '[]'::jsonb) as reply_seconds
        from waits w
        group by w.day, w.platform
      )`
    : sql``;

  return sql`
    params as (
      select ${p.from}::date as d_from, ${p.to}::date as d_to, (${p.now ? sql`${p.now.toISOString()}::timestamptz` : sql`now()`} at time zone ${p.tz}::text)::date as today
    ),
    bounds as (
      select ${dayStart(sql`params.d_from`, p.tz)} as start_at, ${dayStart(sql`params.d_to + 1`, p.tz)} as end_at from params
    ),
    days as (
      select params.d_from + i as day from params, generate_series(0, params.d_to - params.d_from) as i
    ),
    platforms as (${platforms}),
    ${rolled}
    live_days as (
      select day from days where day not in (select day from rolled_days)
    ),
    live_range as (
      select ${dayStart(sql`(select min(day) from live_days)`, p.tz)} as start_at,
             ${dayStart(sql`(select max(day) from live_days) + 1`, p.tz)} as end_at
    ),
    live_msgs as (
      select messages.id, messages.conversation_id, messages.platform, messages.direction, messages.sent_at,
             (messages.sent_at at time zone ${p.tz}::text)::date as day
      from messages
      where messages.workspace_id = ${p.workspaceId}::uuid and ${tenancy(p.viewer, messages.workspaceId)}
        and messages.sent_at >= (select start_at from live_range) and messages.sent_at < (select end_at from live_range)
        and ${counted("messages")} ${platformFilter("messages")}
    ),
    -- Grouped per conversation first, so "distinct conversations" is a hash aggregate, not a sort.
    counts as (
      select day, platform, sum(n_in)::int as incoming, sum(n_out)::int as outgoing, count(*)::int as conversations
      from (
        select day, platform, conversation_id,
               count(*) filter (where direction = 'incoming') as n_in,
               count(*) filter (where direction = 'outgoing') as n_out
        from live_msgs
        group by day, platform, conversation_id
      ) per_conversation
      group by day, platform
    ),
    -- A conversation is new on the day of its first (counted) message ever.
    firsts as (
      select distinct on (conversation_id) conversation_id, platform, day
      from live_msgs
      order by conversation_id, sent_at, id
    ),
${
  p.newConversations === false
    ? sql`new_convs as (select null::date as day, null::platform as platform, 0 as new_conversations where false)`
    : sql`
    -- An index probe per conversation (LATERAL … LIMIT 1, which the planner cannot turn into a scan of
    -- the conversation's whole history the way it may rewrite NOT EXISTS).
    new_convs as (
      select f.day, f.platform, count(*)::int as new_conversations
      from firsts f
      left join lateral (
        select 1 as found from messages p
        where p.conversation_id = f.conversation_id and p.workspace_id = ${p.workspaceId}::uuid
          and p.sent_at < (select start_at from live_range) and ${counted("p")}
        limit 1
      ) earlier on true
      where earlier.found is null
      group by f.day, f.platform
    )`
}${sampleCtes},
    day_rows as (
      select d.day, pl.platform,
             case when rd.day is not null then coalesce(r.incoming, 0) else coalesce(c.incoming, 0) end as incoming,
             case when rd.day is not null then coalesce(r.outgoing, 0) else coalesce(c.outgoing, 0) end as outgoing,
             case when rd.day is not null then coalesce(r.conversations, 0) else coalesce(c.conversations, 0) end as conversations,
             case when rd.day is not null then coalesce(r.new_conversations, 0) else coalesce(n.new_conversations, 0) end as new_conversations
             ${
               p.samples
                 ? sql`,
             case when rd.day is not null then coalesce(r.first_response_seconds, '[]'::jsonb)
                  else coalesce(s.first_response_seconds, '[]'::jsonb) end as first_response_seconds,
             case when rd.day is not null then coalesce(r.reply_seconds, '[]'::jsonb)
                  else coalesce(s.reply_seconds, '[]'::jsonb) end as reply_seconds`
                 : sql``
             }
      from days d
      cross join platforms pl
      left join rolled_days rd on rd.day = d.day
      left join rolled r on r.day = d.day and r.platform = pl.platform
      left join counts c on c.day = d.day and c.platform = pl.platform
      left join new_convs n on n.day = d.day and n.platform = pl.platform
      ${p.samples ? sql`left join sample_aggs s on s.day = d.day and s.platform = pl.platform` : sql``}
    )`;
}
