import "server-only";
import type { Database } from "@/db/client";
import { listUserWorkspaces } from "@/db/queries/users";
import {
  findWebhookEvent,
  findWebhookEventForUser,
  listWebhookEventsForUser,
  type WebhookEventListItem,
} from "@/db/queries/webhook-events";
import type { MembershipRole, Platform, WebhookEvent, WebhookEventSummary } from "@/db/schema";
import { decodeCursor, encodeCursor, pageOf } from "@/lib/api/pagination";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import { processWebhookEvent } from "@/lib/webhooks/process";
import { webhookEventCursor, type ListWebhookEventsQuery } from "@/lib/validations/webhook-events";

// Settings → Webhooks and its API: the stored deliveries from Meta that were routed to the caller's
// workspaces, their raw bodies, and a manual "process again" for admins.

export interface WebhookEventDto {
  id: string;
  platform: Platform;
  /** Meta's top-level `object` (page, instagram, whatsapp_business_account). */
  object: string | null;
  status: WebhookEvent["status"];
  signatureOk: boolean;
  attempts: number;
  error: string | null;
  summary: WebhookEventSummary | null;
  receivedAt: string;
  processedAt: string | null;
  /** Bytes of the raw body as received. */
  size: number;
}

export interface WebhookEventDetailDto extends WebhookEventDto {
  /** When the automatic retry of a failed event is due (null when none is planned). */
  nextAttemptAt: string | null;
  /** The raw body exactly as Meta sent it (its escaping included): a string, never re-serialized. */
  payload: string;
}

// A failed entry's error is stored as thrown; a database error's message holds the SQL and its
// parameters (customers' texts among them), which never leave the server. The log keeps it whole.
const FAILED_QUERY = /Failed query: [\s\S]*?(?=; \d+: |$)/g;

function publicError(error: string | null): string | null {
  return error?.replace(FAILED_QUERY, "a database query failed (the server log has the details)") ?? null;
}

function toDto(event: WebhookEventListItem): WebhookEventDto {
  return {
    id: event.id,
    platform: event.platform,
    object: event.object,
    status: event.status,
    signatureOk: event.signatureOk,
    attempts: event.attempts,
    error: publicError(event.error),
    summary: event.summary,
    receivedAt: event.receivedAt.toISOString(),
    processedAt: event.processedAt?.toISOString() ?? null,
    size: event.size,
  };
}

function toDetailDto(event: WebhookEvent): WebhookEventDetailDto {
  return {
    ...toDto({ ...event, size: Buffer.byteLength(event.rawBody, "utf8") }),
    nextAttemptAt: event.nextAttemptAt?.toISOString() ?? null,
    payload: event.rawBody,
  };
}

export async function listWebhookEventPage(
  db: Database,
  params: { userId: string; query: ListWebhookEventsQuery },
): Promise<{ events: WebhookEventDto[]; nextCursor: string | null }> {
  const { query } = params;
  if (query.workspaceId) await resolveWorkspace(db, { userId: params.userId, workspaceId: query.workspaceId });
  const before = decodeCursor(query.cursor, webhookEventCursor);
  const rows = await listWebhookEventsForUser(db, {
    userId: params.userId,
    limit: query.limit + 1,
    before: before && { position: before.p, id: before.id },
    workspaceId: query.workspaceId,
    status: query.status,
    platform: query.platform,
  });
  const page = pageOf(rows, query.limit, (last) => encodeCursor({ p: last.position, id: last.id }));
  return { events: page.items.map(toDto), nextCursor: page.nextCursor };
}

export async function getWebhookEvent(db: Database, params: { userId: string; id: string }): Promise<WebhookEventDetailDto> {
  const event = await findWebhookEventForUser(db, params);
  if (!event) throw AppError.notFound("Webhook event");
  return toDetailDto(event);
}

const rank: Record<MembershipRole, number> = { agent: 0, admin: 1, owner: 2 };

/**
 * Runs processing again for an event routed to one of the caller's workspaces, where they must be
 * an owner or admin. Ingest is idempotent, so reprocessing a processed event changes nothing.
 */
export async function reprocessWebhookEvent(
  db: Database,
  params: { userId: string; id: string; log: Logger },
): Promise<WebhookEventDetailDto> {
  const event = await findWebhookEventForUser(db, params);
  if (!event) throw AppError.notFound("Webhook event");
  const routed = new Set(event.workspaceIds);
  const [best] = (await listUserWorkspaces(db, { userId: params.userId }))
    .filter((workspace) => routed.has(workspace.id))
    .sort((a, b) => rank[b.role] - rank[a.role]);
  if (!best) throw AppError.notFound("Webhook event");
  await resolveWorkspace(db, { userId: params.userId, workspaceId: best.id, minimumRole: "admin" });

  params.log.info({ eventId: event.id, status: event.status, attempts: event.attempts }, "webhook event reprocessed by hand");
  await processWebhookEvent(db, event.id, params.log);
  // Read back by id: if its accounts were disconnected meanwhile it is no longer routed anywhere,
  // but the caller who asked may still see the outcome.
  const updated = await findWebhookEvent(db, { id: event.id });
  if (!updated) throw AppError.notFound("Webhook event");
  return toDetailDto(updated);
}
