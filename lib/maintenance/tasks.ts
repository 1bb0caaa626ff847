import "server-only";
import { and, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { markNeedsReauth } from "@/db/queries/platform-accounts";
import { deleteExpiredRateLimits } from "@/db/queries/rate-limits";
import { findRetryableEvents } from "@/db/queries/webhook-events";
import {
  passwordResetTokens,
  pendingMessageEvents,
  platformAccounts,
  verificationTokens,
  type PlatformAccount,
} from "@/db/schema";
import { env } from "@/lib/env";
import type { Logger } from "@/lib/logger";
import { accountToken } from "@/lib/platforms/account-token";
import { appAccessToken } from "@/lib/platforms/connect-meta";
import { graph, GraphError } from "@/lib/platforms/meta/graph";
import { PAGE_WEBHOOK_FIELDS } from "@/lib/platforms/meta/scopes";
import { deleteEventsOlderThan } from "@/lib/realtime/outbox";
import { requestSync } from "@/lib/sync/request";
import { MAX_PROCESSING_ATTEMPTS, processWebhookEvent } from "@/lib/webhooks/process";

// The periodic work of Chats as plain functions; the schedules (lib/jobs/schedules.ts) run them
// in-process or as Inngest crons.

/** Stored webhook events whose processing failed (or never ran), tried again with bounded attempts. */
export async function reprocessDueWebhooks(db: Database, log: Logger): Promise<number> {
  const due = await findRetryableEvents(db, { maxAttempts: MAX_PROCESSING_ATTEMPTS, limit: 200 });
  for (const event of due) await processWebhookEvent(db, event.id, log);
  if (due.length) log.info({ count: due.length }, "webhook events reprocessed");
  return due.length;
}

/** An incremental sync of every live Messenger/Instagram account, catching anything webhooks missed. */
export async function requestPeriodicSyncs(db: Database): Promise<number> {
  const accounts = await db
    .select({ id: platformAccounts.id })
    .from(platformAccounts)
    .where(
      and(
        sql`${platformAccounts.status} = 'active'`,
        inArray(platformAccounts.platform, ["messenger", "instagram"]),
        isNull(platformAccounts.syncCursor),
      ),
    );
  for (const account of accounts) await requestSync(account, "periodic");
  return accounts.length;
}

async function checkAccount(
  db: Database,
  account: PlatformAccount,
  log: Logger,
): Promise<"ok" | "needs_reauth" | "resubscribed"> {
  const token = accountToken(account);
  // Debug-Token — developers.facebook.com/docs/graph-api/reference/debug_token
  const debug = await graph<{ data?: { is_valid?: boolean; error?: { message?: string } } }>({
    path: "debug_token",
    query: { input_token: token },
    token: appAccessToken(),
  });
  if (debug.data?.is_valid === false) {
    await markNeedsReauth(db, {
      id: account.id,
      reason: `Meta reports the access token is no longer valid${debug.data.error?.message ? `: ${debug.data.error.message}` : ""}.`,
    });
    return "needs_reauth";
  }
  const target = account.platform === "whatsapp" ? account.businessAccountId : account.pageId;
  if (!target) return "ok";
  const subscriptions = await graph<{ data?: { id?: string; whatsapp_business_api_data?: { id?: string } }[] }>({
    path: `${target}/subscribed_apps`,
    token,
  });
  const subscribed = (subscriptions.data ?? []).some((app) => (app.id ?? app.whatsapp_business_api_data?.id) === env.META_APP_ID);
  if (subscribed) return "ok";
  // Meta unsubscribes an app after an hour of failed deliveries; subscribe it again.
  await graph({
    method: "POST",
    path: `${target}/subscribed_apps`,
    token,
    body: account.platform === "whatsapp" ? undefined : { subscribed_fields: PAGE_WEBHOOK_FIELDS.join(",") },
  });
  log.warn({ platformAccountId: account.id }, "webhooks were unsubscribed by Meta; subscribed again");
  return "resubscribed";
}

/** Daily: tokens still valid (else needs_reauth) and webhooks still subscribed (else re-subscribe). */
export async function checkTokenHealth(db: Database, log: Logger): Promise<Record<string, number>> {
  const accounts = await db
    .select()
    .from(platformAccounts)
    .where(sql`${platformAccounts.status} = 'active'`);
  const counts: Record<string, number> = { ok: 0, needs_reauth: 0, resubscribed: 0, unknown: 0 };
  for (const account of accounts) {
    try {
      const outcome = await checkAccount(db, account, log);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    } catch (error) {
      if (error instanceof GraphError && error.kind === "token") {
        await markNeedsReauth(db, { id: account.id, reason: `Meta refused the access token: ${error.message}` });
        counts.needs_reauth = (counts.needs_reauth ?? 0) + 1;
      } else {
        counts.unknown = (counts.unknown ?? 0) + 1;
        log.warn({ err: error, platformAccountId: account.id }, "token health check could not complete");
      }
    }
  }
  log.info(counts, "token health checked");
  return counts;
}

export const REALTIME_RETENTION_DAYS = 7;

/** Daily: expired rate-limit windows, OAuth states, reset links and old realtime events go. */
export async function cleanUpExpired(db: Database): Promise<Record<string, number>> {
  const dayAgo = new Date(Date.now() - 24 * 3600_000);
  const [rateLimits, states, resets, events, waiting] = await Promise.all([
    deleteExpiredRateLimits(db),
    db
      .delete(verificationTokens)
      .where(lt(verificationTokens.expires, new Date()))
      .returning({ token: verificationTokens.token }),
    db
      .delete(passwordResetTokens)
      .where(or(lt(passwordResetTokens.expiresAt, dayAgo), lt(passwordResetTokens.usedAt, dayAgo)))
      .returning({ id: passwordResetTokens.id }),
    deleteEventsOlderThan(db, { before: new Date(Date.now() - REALTIME_RETENTION_DAYS * 24 * 3600_000) }),
    // Events about messages that never arrived (sent before the account was connected, say).
    db
      .delete(pendingMessageEvents)
      .where(lt(pendingMessageEvents.createdAt, new Date(Date.now() - 14 * 24 * 3600_000)))
      .returning({ id: pendingMessageEvents.id }),
  ]);
  return {
    rateLimits,
    oauthStates: states.length,
    passwordResets: resets.length,
    realtimeEvents: events,
    pendingMessageEvents: waiting.length,
  };
}
