import "server-only";
import { and, eq, gte, min, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { messages, workspaces } from "@/db/schema";
import { sendJob } from "@/lib/jobs";
import { addDays, todayIn } from "./range";
import { workspaceZone } from "./scope";

// When roll-ups run. Days are closed in each workspace's own zone, so "nightly" is a different UTC
// hour for each workspace: an hourly scan finds the workspaces whose yesterday has no roll-up yet
// (a local midnight passed, or the app was down at it) and asks for their last few closed days.
// Imports of history ask for the span they touched. A day never rolled up is still answered
// correctly, live from messages, only slower.

/** Closed days re-rolled each night: messages and replies of the last days still arrive late. */
export const RECENT_DAYS = 3;

/**
 * Requests the routine roll-up for every workspace that had messages in the last few days and
 * whose last closed day is not rolled up yet. Returns the workspaces it requested them for.
 */
export async function requestDueRollUps(db: Database, now: Date = new Date()): Promise<string[]> {
  const candidates = await db
    .select({ id: workspaces.id, timezone: workspaces.timezone })
    .from(workspaces)
    .where(
      sql`exists (select 1 from ${messages} m where m.workspace_id = ${workspaces.id}
                  and m.sent_at >= ${now}::timestamptz - make_interval(days => ${RECENT_DAYS + 1}))`,
    );
  if (!candidates.length) return [];
  const due = candidates.map((workspace) => {
    const timezone = workspaceZone(workspace.timezone);
    return { workspaceId: workspace.id, timezone, yesterday: addDays(todayIn(timezone, now), -1) };
  });
  const done = await db.execute<{ workspace_id: string }>(sql`
    select distinct a.workspace_id from analytics_daily a
    join unnest(${sql.param(due.map((d) => d.workspaceId))}::uuid[], ${sql.param(due.map((d) => d.yesterday))}::date[])
      as d(workspace_id, day) on a.workspace_id = d.workspace_id and a.date = d.day`);
  const rolledUp = new Set(done.rows.map((row) => row.workspace_id));
  const pending = due.filter((d) => !rolledUp.has(d.workspaceId));
  for (const d of pending) {
    await sendJob("analytics/rollup.requested", {
      workspaceId: d.workspaceId,
      from: addDays(d.yesterday, -(RECENT_DAYS - 1)),
      to: d.yesterday,
      timezone: d.timezone,
    });
  }
  return pending.map((d) => d.workspaceId);
}

/**
 * After a history import: rolls up again every closed day from the oldest message the import
 * stored (messages of that account created since `importStartedAt`). Nothing when it stored none.
 */
export async function requestRollUpAfterImport(
  db: Database,
  params: { workspaceId: string; platformAccountId: string; importStartedAt: Date; now?: Date },
): Promise<{ from: string; to: string } | null> {
  const [row] = await db
    .select({ oldest: min(messages.sentAt), timezone: workspaces.timezone })
    .from(messages)
    .innerJoin(workspaces, eq(workspaces.id, messages.workspaceId))
    .where(and(eq(messages.platformAccountId, params.platformAccountId), gte(messages.createdAt, params.importStartedAt)))
    .groupBy(workspaces.timezone);
  if (!row?.oldest) return null;
  const timezone = workspaceZone(row.timezone);
  const from = todayIn(timezone, row.oldest);
  const to = addDays(todayIn(timezone, params.now), -1);
  if (from > to) return null;
  await sendJob("analytics/rollup.requested", { workspaceId: params.workspaceId, from, to, timezone });
  return { from, to };
}
