import "server-only";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import type { Executor, Transaction } from "@/db/client";
import { inUserWorkspaces } from "@/db/queries/workspaces";
import { memberships, realtimeEvents, type RealtimeEventRow } from "@/db/schema";
import type { RealtimeEvent, ServerEventPayloads, ServerEventType } from "@/lib/realtime/events";

// The realtime outbox (realtime_events). An event is recorded in the transaction of the change it
// announces, so it exists exactly when the change does; publishing happens after commit (publish.ts)
// and a client that missed the live push reads it here by cursor.

export type RecordEventInput<T extends ServerEventType = ServerEventType> = {
  [K in T]: {
    workspaceId: string;
    conversationId?: string | null;
    type: K;
    payload: ServerEventPayloads[K];
  };
}[T];

function toEvent(row: RealtimeEventRow): RealtimeEvent {
  return {
    cursor: String(row.id),
    type: row.type as ServerEventType,
    workspaceId: row.workspaceId,
    conversationId: row.conversationId,
    createdAt: row.createdAt.toISOString(),
    payload: row.payload,
  } as RealtimeEvent;
}

/** Writes one event into the outbox; pass the transaction of the change it announces. */
export async function recordEvent<T extends ServerEventType>(
  tx: Transaction,
  input: RecordEventInput<T>,
): Promise<RealtimeEvent<T>> {
  const [row] = await tx
    .insert(realtimeEvents)
    .values({
      workspaceId: input.workspaceId,
      conversationId: input.conversationId ?? null,
      type: input.type,
      payload: input.payload as Record<string, unknown>,
    })
    .returning();
  if (!row) throw new Error("realtime event insert returned nothing");
  return toEvent(row) as RealtimeEvent<T>;
}

export const MAX_EVENTS_PAGE = 500;

export interface EventsPage {
  events: RealtimeEvent[];
  /** Resume after this cursor next time (the last listed event, or `after` when none). */
  nextCursor: string;
  hasMore: boolean;
}

/** The user's events after a cursor, oldest first, at most `limit` (capped at 500). */
export async function listEventsSince(
  db: Executor,
  params: { userId: string; after: string; limit: number },
): Promise<EventsPage> {
  const limit = Math.min(Math.max(1, Math.floor(params.limit)), MAX_EVENTS_PAGE);
  const rows = await db
    .select()
    .from(realtimeEvents)
    .where(and(sql`${realtimeEvents.id} > ${params.after}::bigint`, inUserWorkspaces(params.userId, realtimeEvents.workspaceId)))
    .orderBy(asc(realtimeEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { events: page.map(toEvent), nextCursor: last ? String(last.id) : params.after, hasMore: rows.length > limit };
}

/** The newest cursor the user can see ("0" when there is none): where a fresh client starts. */
export async function latestCursor(db: Executor, params: { userId: string }): Promise<string> {
  // One index probe per workspace on (workspace_id, id), however many events other workspaces have.
  const [row] = await db
    .select({
      // Spelled out with an alias: drizzle leaves columns unqualified in one-table queries.
      cursor: sql<
        string | null
      >`max((select max(e.id) from ${realtimeEvents} e where e.workspace_id = ${memberships}.workspace_id))::text`,
    })
    .from(memberships)
    .where(eq(memberships.userId, params.userId));
  return row?.cursor ?? "0";
}

/** Retention: removes events recorded before `before`; returns how many went. */
export async function deleteEventsOlderThan(db: Executor, params: { before: Date }): Promise<number> {
  const result = await db.delete(realtimeEvents).where(lt(realtimeEvents.createdAt, params.before));
  return result.rowCount ?? 0;
}
