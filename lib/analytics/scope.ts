import "server-only";
import type { Executor } from "@/db/client";
import type { Platform } from "@/db/schema";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { AppError } from "@/lib/errors";
import type { AnalyticsQuery } from "./params";
import { DEFAULT_PRESET, MAX_RANGE_DAYS, addDays, canonicalTimeZone, daysBetween, presetDays, todayIn } from "./range";

/** Everything an analytics query needs to know: whose data, which days, cut where. */
export interface AnalyticsScope {
  /** The caller; every query carries the membership condition for it. */
  userId: string;
  workspaceId: string;
  workspaceName: string;
  /** The workspace's own zone: roll-ups are cut in it, so only requests in it can use them. */
  workspaceTimezone: string;
  /** The zone days are cut in for this request (canonical IANA name). */
  tz: string;
  /** Inclusive calendar dates in `tz`. */
  from: string;
  to: string;
  platform: Platform | null;
  /** The instant "today" is taken from; tests pin it, requests leave it unset (now). */
  now?: Date;
}

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", "The request is invalid.", {
    details: { issues: [{ path, code: "custom", message }] },
  });
}

/** The zone a workspace's days are cut in; an unusable stored value falls back to UTC. */
export function workspaceZone(stored: string | null | undefined): string {
  return (stored && canonicalTimeZone(stored)) || "UTC";
}

/**
 * Resolves the workspace (the named one if the caller belongs to it, else 404; by default their
 * first), the time zone (default: the workspace's) and the range (default: the last 30 days up to
 * today in that zone), and enforces `from <= to` and the span limit.
 */
export async function resolveAnalyticsScope(
  db: Executor,
  params: { userId: string; query: AnalyticsQuery; now?: Date },
): Promise<AnalyticsScope> {
  const { query } = params;
  const workspace = await resolveWorkspace(db, { userId: params.userId, workspaceId: query.workspaceId });
  const workspaceTimezone = workspaceZone(workspace.timezone);
  const tz = query.tz ?? workspaceTimezone;
  const to = query.to ?? todayIn(tz, params.now);
  const from = query.from ?? addDays(to, -(presetDays(DEFAULT_PRESET) - 1));
  if (from > to) throw invalid(query.from ? "from" : "to", "must not be after `to`");
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) throw invalid("to", `the range may span at most ${MAX_RANGE_DAYS} days`);
  return {
    userId: params.userId,
    workspaceId: workspace.id,
    workspaceName: workspace.name,
    workspaceTimezone,
    tz,
    from,
    to,
    platform: query.platform ?? null,
    now: params.now,
  };
}
