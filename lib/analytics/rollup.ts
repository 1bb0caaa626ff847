import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { platformEnum, workspaces } from "@/db/schema";
import { dayRowsCtes } from "./day-rows";
import { addDays, isCalendarDate, todayIn } from "./range";
import { workspaceZone } from "./scope";

// The roll-up of closed days into analytics_daily, a plain domain function the background job wraps.
// It runs the very SQL the live path runs (day-rows.ts with roll-ups off), so a rolled-up day and the
// same day computed live are equal by construction; tests/analytics.test.ts checks both against an
// independent computation.

export interface RollUpResult {
  /** Closed days written (each as one row per platform, zeros included). */
  days: number;
  from: string | null;
  to: string | null;
  timezone: string;
}

/**
 * Upserts analytics_daily for every closed day of [from, to] in the workspace's zone, a row per
 * platform even when zero (a day with rows counts as rolled up; a day without falls back to live).
 * Idempotent: re-running recomputes the days from messages and overwrites them. Days that are not
 * closed yet (today or later in the zone) are skipped: they are always computed live.
 *
 * Re-run it for days whose messages change after the fact: the last couple of days (late webhooks,
 * replies to yesterday's messages arriving today) and the span of any backfill import.
 */
export async function rollUpDays(
  db: Executor,
  params: { workspaceId: string; from: string; to: string; timezone?: string; now?: Date },
): Promise<RollUpResult> {
  if (!isCalendarDate(params.from) || !isCalendarDate(params.to)) throw new Error("rollUpDays: from/to must be YYYY-MM-DD");
  const [workspace] = await db
    .select({ timezone: workspaces.timezone })
    .from(workspaces)
    .where(eq(workspaces.id, params.workspaceId))
    .limit(1);
  if (!workspace) throw new Error(`rollUpDays: workspace ${params.workspaceId} not found`);
  const timezone = workspaceZone(workspace.timezone);
  // analytics_daily has no zone column: rows cut in any other zone would be read as the workspace's.
  if (params.timezone && workspaceZone(params.timezone) !== timezone) {
    throw new Error(`rollUpDays: roll-ups are cut in the workspace's zone (${timezone}), not ${params.timezone}`);
  }
  const lastClosed = addDays(todayIn(timezone, params.now), -1);
  const to = params.to < lastClosed ? params.to : lastClosed;
  if (params.from > to) return { days: 0, from: null, to: null, timezone };

  const ctes = dayRowsCtes({
    viewer: { system: true },
    workspaceId: params.workspaceId,
    tz: timezone,
    from: params.from,
    to,
    platform: null,
    useRollups: false,
    samples: true,
  });
  const result = await db.execute(sql`
    with ${ctes}
    insert into analytics_daily as a (workspace_id, date, platform, incoming, outgoing, conversations, new_conversations,
                                      first_response_seconds, reply_seconds, updated_at)
    select ${params.workspaceId}::uuid, day, platform, incoming, outgoing, conversations, new_conversations,
           first_response_seconds, reply_seconds, now()
    from day_rows
    on conflict (workspace_id, date, platform) do update set
      incoming = excluded.incoming,
      outgoing = excluded.outgoing,
      conversations = excluded.conversations,
      new_conversations = excluded.new_conversations,
      first_response_seconds = excluded.first_response_seconds,
      reply_seconds = excluded.reply_seconds,
      updated_at = now()`);
  // One row per day and platform.
  return { days: Math.round((result.rowCount ?? 0) / platformEnum.enumValues.length), from: params.from, to, timezone };
}
