import "server-only";
import type { Database } from "@/db/client";
import { retryOnConflict } from "@/db/retry";
import { findRoutableAccounts, findWebhookEvent, finishWebhookEvent } from "@/db/queries/webhook-events";
import type { WebhookEvent, WebhookEventSummary } from "@/db/schema";
import { env } from "@/lib/env";
import type { Logger } from "@/lib/logger";
import { sendJob } from "@/lib/jobs";
import { recordChanges } from "@/lib/messaging/announce";
import { withRealtime } from "@/lib/realtime/publish";
import { applyEntry, type Change } from "@/lib/webhooks/apply";
import { parseWebhook } from "@/lib/webhooks/parse";
import { createSlots } from "@/lib/webhooks/processing-slots";

export const MAX_PROCESSING_ATTEMPTS = 8;
const BACKOFF_SECONDS = [30, 120, 600, 1800, 3600, 10_800, 21_600, 43_200];

export interface ProcessResult {
  status: WebhookEvent["status"];
  changes: Change[];
  summary: WebhookEventSummary;
}

/**
 * Processes a stored webhook event: parse, route each entry to its platform account, apply each
 * entry in its own transaction. A failing entry leaves the event `failed` with its error for a later
 * attempt; the entries that succeeded are idempotent, so the retry repeats nothing.
 */
/**
 * What actually went wrong, for the stored event: the innermost cause with its SQL state, never
 * Drizzle's wrapper (which spells out the query and its parameters, customer text included).
 */
export function rootCause(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error && current.cause !== current) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  const code = (current as { code?: unknown }).code;
  return typeof code === "string" ? `${message} (${code})` : message;
}

/** Work that must not hold up ingest: copying media before Meta's URLs expire, fetching new contacts' names. */
async function requestFollowUps(changes: Change[], newContactIds: string[], log: Logger): Promise<void> {
  try {
    for (const change of changes) {
      if (
        change.type === "new_message" &&
        change.message.attachments.some((attachment) => attachment.url || attachment.mediaId)
      ) {
        await sendJob("media/store.requested", { messageId: change.message.id });
      }
    }
    for (const contactId of newContactIds) await sendJob("contact/profile.requested", { contactId });
  } catch (error) {
    // The periodic scans find this work again; the event itself is safely applied.
    log.warn({ err: error }, "could not queue follow-up jobs after ingest");
  }
}

export async function processWebhookEvent(
  db: Database,
  eventId: string,
  log: Logger,
  options: { onlyPending?: boolean } = {},
): Promise<ProcessResult | undefined> {
  const event = await findWebhookEvent(db, { id: eventId });
  if (!event || !event.signatureOk || event.status === "rejected") return undefined;
  if (options.onlyPending && event.status !== "pending") return undefined;

  let body: unknown;
  try {
    body = JSON.parse(event.rawBody);
  } catch {
    body = undefined;
  }
  const parsed = parseWebhook(event.platform, body);
  const summary: WebhookEventSummary = {
    kinds: {},
    entries: parsed.entries.length,
    unrouted: [],
    ignored: [],
    rejected: [...parsed.rejected],
  };
  const entries = parsed.entries.filter((entry) => {
    summary.ignored.push(...entry.ignored);
    summary.rejected.push(...entry.rejected);
    for (const item of entry.events) summary.kinds[item.kind] = (summary.kinds[item.kind] ?? 0) + 1;
    return entry.events.length > 0;
  });

  const accounts = await findRoutableAccounts(db, {
    platform: event.platform,
    externalIds: [...new Set(entries.map((entry) => entry.accountExternalId))],
  });
  const byExternalId = new Map(accounts.map((account) => [account.externalId, account]));
  const workspaceIds = new Set<string>();
  const changes: Change[] = [];
  const failures: string[] = [];

  for (const entry of entries) {
    const account = byExternalId.get(entry.accountExternalId);
    if (!account) {
      // Nobody connected this page/number (or it was disconnected): recorded, not an error.
      summary.unrouted.push(entry.accountExternalId);
      continue;
    }
    workspaceIds.add(account.workspaceId);
    try {
      // Live listeners learn of the changes from the outbox, written in the entry's own transaction.
      const outcome = await retryOnConflict(() =>
        withRealtime(db, async (tx, record) => {
          const applied = await applyEntry(tx, account, entry, env.META_APP_ID);
          await recordChanges(record, applied.changes);
          return applied;
        }),
      );
      changes.push(...outcome.changes);
      await requestFollowUps(
        outcome.changes,
        outcome.newContacts.map((contact) => contact.id),
        log,
      );
      if (outcome.waiting) summary.waiting = (summary.waiting ?? 0) + outcome.waiting;
    } catch (error) {
      failures.push(`${entry.accountExternalId}: ${rootCause(error)}`);
      log.error({ err: error, eventId, account: account.id }, "webhook entry failed; the event will be retried");
    }
  }

  if (summary.unrouted.length) log.info({ eventId, unrouted: summary.unrouted }, "webhook entries for accounts nobody connected");
  if (summary.rejected.length)
    log.warn({ eventId, rejected: summary.rejected.slice(0, 5) }, "webhook parts did not match Meta's documented shape");

  const attempt = event.attempts + 1;
  const status: WebhookEvent["status"] = failures.length ? "failed" : workspaceIds.size === 0 ? "ignored" : "processed";
  const error = failures.length
    ? failures.join("; ").slice(0, 2000)
    : summary.rejected.length
      ? `${summary.rejected.length} part(s) did not match Meta's documented shape`
      : null;
  const backoff = BACKOFF_SECONDS[Math.min(attempt - 1, BACKOFF_SECONDS.length - 1)] ?? 3600;
  await finishWebhookEvent(db, {
    id: eventId,
    status,
    object: parsed.object,
    error,
    summary,
    workspaceIds: [...workspaceIds],
    nextAttemptAt: status === "failed" && attempt < MAX_PROCESSING_ATTEMPTS ? new Date(Date.now() + backoff * 1000) : null,
  });
  return { status, changes, summary };
}

// A few connections per process for processing after the 200, so acknowledgements always find one.
const processingSlots = createSlots(4, 10_000);

/**
 * Right after the 200: process the stored event. If that cannot even start (the database went away
 * between storing and processing), a background job tries again shortly; the periodic scan is the
 * last resort. The event is safe either way.
 */
export async function processAfterReceipt(db: Database, eventId: string, log: Logger): Promise<void> {
  let failure: unknown;
  // Only while still pending: an event that waited in line past a minute may meanwhile have been
  // processed by the retry scan.
  const queued = await processingSlots.run(() =>
    processWebhookEvent(db, eventId, log, { onlyPending: true }).catch((error: unknown) => {
      failure = error;
    }),
  );
  if (!queued) log.warn({ eventId }, "webhook processing backlog is full; the retry scan will process this event");
  if (failure === undefined) return;
  // Outside the slot: queueing the retry may be an HTTP call to Inngest.
  log.warn({ err: failure, eventId }, "webhook processing could not run; retrying in the background");
  await sendJob("webhook/process.requested", { eventId }, { delayMs: 2_000 });
}
