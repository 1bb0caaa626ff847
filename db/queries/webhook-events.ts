import "server-only";
import { and, arrayContains, arrayOverlaps, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import {
  memberships,
  platformAccounts,
  webhookEvents,
  type Platform,
  type PlatformAccount,
  type WebhookEvent,
  type WebhookEventSummary,
} from "@/db/schema";
import { newestFirst } from "@/db/queries/order";

export async function insertWebhookEvent(
  db: Executor,
  params: {
    platform: Platform;
    rawBody: string;
    signatureOk: boolean;
    object?: string | null;
    status?: WebhookEvent["status"];
    error?: string | null;
  },
): Promise<string> {
  const [row] = await db
    .insert(webhookEvents)
    .values({
      platform: params.platform,
      rawBody: params.rawBody,
      signatureOk: params.signatureOk,
      object: params.object ?? null,
      status: params.status ?? "pending",
      error: params.error ?? null,
    })
    .returning({ id: webhookEvents.id });
  if (!row) throw new Error("webhook event insert returned nothing");
  return row.id;
}

export async function findWebhookEvent(db: Executor, params: { id: string }): Promise<WebhookEvent | undefined> {
  const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, params.id)).limit(1);
  return row;
}

export async function finishWebhookEvent(
  db: Executor,
  params: {
    id: string;
    status: WebhookEvent["status"];
    object: string | null;
    error: string | null;
    summary: WebhookEventSummary;
    workspaceIds: string[];
    nextAttemptAt: Date | null;
  },
): Promise<void> {
  await db
    .update(webhookEvents)
    .set({
      status: params.status,
      object: params.object,
      error: params.error,
      summary: params.summary,
      workspaceIds: params.workspaceIds,
      attempts: sql`${webhookEvents.attempts} + 1`,
      processedAt: params.status === "failed" ? null : sql`now()`,
      nextAttemptAt: params.nextAttemptAt,
    })
    .where(eq(webhookEvents.id, params.id));
}

/** Live accounts (not disconnected) that webhook entries route to, by the ids Meta puts on them. */
export async function findRoutableAccounts(
  db: Executor,
  params: { platform: Platform; externalIds: string[] },
): Promise<PlatformAccount[]> {
  if (params.externalIds.length === 0) return [];
  return db
    .select()
    .from(platformAccounts)
    .where(
      and(
        eq(platformAccounts.platform, params.platform),
        inArray(platformAccounts.externalId, params.externalIds),
        sql`${platformAccounts.status} <> 'disconnected'`,
      ),
    );
}

/** Events due for another processing attempt: failed ones whose backoff elapsed, and pending ones left behind. */
export async function findRetryableEvents(
  db: Executor,
  params: { maxAttempts: number; limit: number },
): Promise<{ id: string }[]> {
  return db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(
      and(
        lt(webhookEvents.attempts, params.maxAttempts),
        or(
          and(eq(webhookEvents.status, "failed"), sql`${webhookEvents.nextAttemptAt} <= now()`),
          // Stored but never processed (the process stopped right after answering Meta).
          and(eq(webhookEvents.status, "pending"), sql`${webhookEvents.receivedAt} < now() - interval '1 minute'`),
        ),
      ),
    )
    .orderBy(webhookEvents.receivedAt)
    .limit(params.limit);
}

export interface WebhookEventListItem {
  id: string;
  platform: Platform;
  object: string | null;
  status: WebhookEvent["status"];
  signatureOk: boolean;
  attempts: number;
  error: string | null;
  summary: WebhookEventSummary | null;
  receivedAt: Date;
  processedAt: Date | null;
  size: number;
}

/** Recent events routed to any of the user's workspaces, newest first (keyset paginated). */
export async function listWebhookEventsForUser(
  db: Executor,
  params: {
    userId: string;
    limit: number;
    before?: { position: string; id: string };
    status?: WebhookEvent["status"];
    platform?: Platform;
    workspaceId?: string;
  },
  /** `position`: received_at at full (microsecond) precision, for the next page's cursor. */
): Promise<(WebhookEventListItem & { position: string })[]> {
  const mine = sql`(select array_agg(${memberships.workspaceId}) from ${memberships} where ${memberships.userId} = ${params.userId})`;
  return db
    .select({
      id: webhookEvents.id,
      platform: webhookEvents.platform,
      object: webhookEvents.object,
      status: webhookEvents.status,
      signatureOk: webhookEvents.signatureOk,
      attempts: webhookEvents.attempts,
      error: webhookEvents.error,
      summary: webhookEvents.summary,
      receivedAt: webhookEvents.receivedAt,
      processedAt: webhookEvents.processedAt,
      size: sql<number>`octet_length(${webhookEvents.rawBody})`,
      position: sql<string>`${webhookEvents.receivedAt}::text`,
    })
    .from(webhookEvents)
    .where(
      and(
        arrayOverlaps(webhookEvents.workspaceIds, mine),
        params.status ? eq(webhookEvents.status, params.status) : undefined,
        params.platform ? eq(webhookEvents.platform, params.platform) : undefined,
        params.workspaceId ? arrayContains(webhookEvents.workspaceIds, [params.workspaceId]) : undefined,
        // Compared at the column's own precision: a JS Date would drop microseconds and skip rows.
        params.before
          ? sql`(${webhookEvents.receivedAt}, ${webhookEvents.id}) < (${params.before.position}::timestamptz, ${params.before.id})`
          : undefined,
      ),
    )
    .orderBy(newestFirst(webhookEvents.receivedAt), newestFirst(webhookEvents.id))
    .limit(params.limit);
}

/** One event with its raw body, if it was routed to one of the user's workspaces. */
export async function findWebhookEventForUser(
  db: Executor,
  params: { userId: string; id: string },
): Promise<WebhookEvent | undefined> {
  const mine = sql`(select array_agg(${memberships.workspaceId}) from ${memberships} where ${memberships.userId} = ${params.userId})`;
  const [row] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.id, params.id), arrayOverlaps(webhookEvents.workspaceIds, mine)))
    .limit(1);
  return row;
}
