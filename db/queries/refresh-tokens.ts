import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { refreshTokens, type RefreshToken } from "@/db/schema";

export async function insertRefreshToken(
  db: Executor,
  params: { userId: string; familyId: string; tokenHash: string; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<RefreshToken> {
  const [row] = await db.insert(refreshTokens).values(params).returning();
  if (!row) throw new Error("refresh token insert returned nothing");
  return row;
}

export async function findRefreshToken(db: Executor, params: { tokenHash: string }): Promise<RefreshToken | undefined> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, params.tokenHash)).limit(1);
  return row;
}

/**
 * Marks a live token spent in one statement, so two concurrent refreshes with the same token cannot
 * both succeed: the loser sees it spent and is treated as reuse.
 */
export async function spendRefreshToken(db: Executor, params: { id: string }): Promise<boolean> {
  const rows = await db
    .update(refreshTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(refreshTokens.id, params.id),
        isNull(refreshTokens.usedAt),
        isNull(refreshTokens.revokedAt),
        sql`${refreshTokens.expiresAt} > now()`,
      ),
    )
    .returning({ id: refreshTokens.id });
  return rows.length === 1;
}

export async function linkReplacement(db: Executor, params: { id: string; replacedById: string }): Promise<void> {
  await db.update(refreshTokens).set({ replacedById: params.replacedById }).where(eq(refreshTokens.id, params.id));
}

export async function revokeFamily(db: Executor, params: { familyId: string }): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, params.familyId), isNull(refreshTokens.revokedAt)));
}

export async function revokeAllForUser(db: Executor, params: { userId: string }): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.userId, params.userId), isNull(refreshTokens.revokedAt)));
}

/** True when the session family was revoked (logout, reuse, password reset): its access tokens die too. */
export async function isFamilyRevoked(db: Executor, params: { familyId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.familyId, params.familyId), sql`${refreshTokens.revokedAt} is not null`))
    .limit(1);
  return Boolean(row);
}
