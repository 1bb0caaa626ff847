import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { retryOnConflict } from "@/db/retry";
import { deletePlatformAccount, findPlatformAccountForUser, markDisconnected } from "@/db/queries/platform-accounts";
import { platformAccounts, type PlatformAccount } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import { accountToken } from "@/lib/platforms/account-token";
import { graph } from "@/lib/platforms/meta/graph";

/** Whether another live connection still needs the same page (Messenger + Instagram) or WABA. */
async function sharedSubscription(db: Database, account: PlatformAccount): Promise<boolean> {
  const column = account.platform === "whatsapp" ? platformAccounts.businessAccountId : platformAccounts.pageId;
  const value = account.platform === "whatsapp" ? account.businessAccountId : account.pageId;
  if (!value) return false;
  const [other] = await db
    .select({ id: platformAccounts.id })
    .from(platformAccounts)
    .where(and(eq(column, value), ne(platformAccounts.id, account.id), sql`${platformAccounts.status} <> 'disconnected'`))
    .limit(1);
  return Boolean(other);
}

/**
 * Disconnects an account: unsubscribes its webhooks (unless another connection shares the page or
 * WABA), wipes its token, and keeps its history, or deletes it all with `purge`.
 */
export async function disconnectAccount(
  db: Database,
  params: { userId: string; id: string; purge: boolean; log: Logger },
): Promise<PlatformAccount> {
  const account = await findPlatformAccountForUser(db, { userId: params.userId, id: params.id });
  if (!account) throw AppError.notFound("Platform");
  await resolveWorkspace(db, { userId: params.userId, workspaceId: account.workspaceId, minimumRole: "admin" });

  if (account.status !== "disconnected" && account.accessTokenCiphertext && !(await sharedSubscription(db, account))) {
    const target = account.platform === "whatsapp" ? account.businessAccountId : account.pageId;
    try {
      if (target) await graph({ method: "DELETE", path: `${target}/subscribed_apps`, token: accountToken(account) });
    } catch (error) {
      // The token may already be dead; the connection ends on our side either way.
      params.log.warn({ err: error, platformAccountId: account.id }, "could not unsubscribe webhooks while disconnecting");
    }
  }
  // Disconnected first, in its own commit: from here on no webhook routes to the account, so the
  // purge below only waits for ingest already in flight.
  await markDisconnected(db, { id: account.id });
  await recordAudit(db, {
    action: "platform.disconnected",
    workspaceId: account.workspaceId,
    userId: params.userId,
    targetType: account.platform,
    targetId: account.externalId,
    details: { name: account.name, purged: params.purge },
  });
  if (params.purge) await retryOnConflict(() => db.transaction((tx) => deletePlatformAccount(tx, { id: account.id })));
  return account;
}
