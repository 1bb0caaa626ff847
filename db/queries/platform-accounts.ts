import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { platformAccounts, type Platform, type PlatformAccount } from "@/db/schema";
import { inUserWorkspaces } from "@/db/queries/workspaces";

export async function listPlatformAccountsForUser(
  db: Executor,
  params: { userId: string; workspaceId?: string },
): Promise<PlatformAccount[]> {
  return db
    .select()
    .from(platformAccounts)
    .where(
      and(
        inUserWorkspaces(params.userId, platformAccounts.workspaceId),
        params.workspaceId ? eq(platformAccounts.workspaceId, params.workspaceId) : undefined,
      ),
    )
    .orderBy(asc(platformAccounts.platform), asc(platformAccounts.name));
}

export async function findPlatformAccountForUser(
  db: Executor,
  params: { userId: string; id: string },
): Promise<PlatformAccount | undefined> {
  const [row] = await db
    .select()
    .from(platformAccounts)
    .where(and(eq(platformAccounts.id, params.id), inUserWorkspaces(params.userId, platformAccounts.workspaceId)))
    .limit(1);
  return row;
}

export async function findPlatformAccount(db: Executor, params: { id: string }): Promise<PlatformAccount | undefined> {
  const [row] = await db.select().from(platformAccounts).where(eq(platformAccounts.id, params.id)).limit(1);
  return row;
}

/** The live connection of a page/account/number in any workspace (there is at most one). */
export async function findLiveByExternalId(
  db: Executor,
  params: { platform: Platform; externalId: string },
): Promise<PlatformAccount | undefined> {
  const [row] = await db
    .select()
    .from(platformAccounts)
    .where(
      and(
        eq(platformAccounts.platform, params.platform),
        eq(platformAccounts.externalId, params.externalId),
        sql`${platformAccounts.status} <> 'disconnected'`,
      ),
    )
    .limit(1);
  return row;
}

export interface ConnectValues {
  workspaceId: string;
  platform: Platform;
  externalId: string;
  name: string;
  username: string | null;
  pictureUrl: string | null;
  pageId: string | null;
  businessAccountId: string | null;
  accessTokenCiphertext: string;
  tokenExpiresAt: Date | null;
  connectedByUserId: string;
}

/** Creates the connection, or brings the workspace's existing one (even disconnected) back in place. */
export async function upsertConnection(db: Executor, values: ConnectValues): Promise<PlatformAccount> {
  const [row] = await db
    .insert(platformAccounts)
    .values({ ...values, status: "active", statusReason: null, connectedAt: sql`now()` })
    .onConflictDoUpdate({
      target: [platformAccounts.workspaceId, platformAccounts.platform, platformAccounts.externalId],
      set: {
        name: values.name,
        username: values.username,
        pictureUrl: values.pictureUrl,
        pageId: values.pageId,
        businessAccountId: values.businessAccountId,
        accessTokenCiphertext: values.accessTokenCiphertext,
        tokenExpiresAt: values.tokenExpiresAt,
        connectedByUserId: values.connectedByUserId,
        status: "active",
        statusReason: null,
        connectedAt: sql`case when ${platformAccounts.status} = 'disconnected' then now() else ${platformAccounts.connectedAt} end`,
      },
    })
    .returning();
  if (!row) throw new Error("platform account upsert returned nothing");
  return row;
}

export async function markNeedsReauth(
  db: Executor,
  params: { id: string; reason: string },
): Promise<PlatformAccount | undefined> {
  const [row] = await db
    .update(platformAccounts)
    .set({ status: "needs_reauth", statusReason: params.reason })
    .where(and(eq(platformAccounts.id, params.id), eq(platformAccounts.status, "active")))
    .returning();
  return row;
}

export async function markDisconnected(db: Executor, params: { id: string }): Promise<void> {
  await db
    .update(platformAccounts)
    .set({
      status: "disconnected",
      statusReason: "Disconnected by a user",
      accessTokenCiphertext: null,
      tokenExpiresAt: null,
      syncCursor: null,
    })
    .where(eq(platformAccounts.id, params.id));
}

/**
 * Locks the account row first: ingest transactions hold a key-share lock on it while they insert
 * its contacts and messages, so this waits for them instead of deadlocking with their row locks.
 */
export async function lockPlatformAccount(db: Executor, params: { id: string }): Promise<void> {
  await db.select({ id: platformAccounts.id }).from(platformAccounts).where(eq(platformAccounts.id, params.id)).for("update");
}

/** Purge: the account and, by cascade, its contacts, conversations and messages. Call inside a transaction. */
export async function deletePlatformAccount(db: Executor, params: { id: string }): Promise<void> {
  await lockPlatformAccount(db, params);
  await db.delete(platformAccounts).where(eq(platformAccounts.id, params.id));
}

export async function updateSyncState(
  db: Executor,
  params: { id: string; syncCursor?: Record<string, unknown> | null; lastSyncedAt?: Date },
): Promise<void> {
  await db
    .update(platformAccounts)
    .set({
      ...(params.syncCursor !== undefined ? { syncCursor: params.syncCursor } : {}),
      ...(params.lastSyncedAt ? { lastSyncedAt: params.lastSyncedAt } : {}),
    })
    .where(eq(platformAccounts.id, params.id));
}

export async function updateTokenCiphertext(db: Executor, params: { id: string; ciphertext: string }): Promise<void> {
  await db.update(platformAccounts).set({ accessTokenCiphertext: params.ciphertext }).where(eq(platformAccounts.id, params.id));
}

export async function listAllWithTokens(
  db: Executor,
): Promise<Pick<PlatformAccount, "id" | "workspaceId" | "accessTokenCiphertext">[]> {
  return db
    .select({
      id: platformAccounts.id,
      workspaceId: platformAccounts.workspaceId,
      accessTokenCiphertext: platformAccounts.accessTokenCiphertext,
    })
    .from(platformAccounts)
    .where(sql`${platformAccounts.accessTokenCiphertext} is not null`);
}
