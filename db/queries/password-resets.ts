import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { passwordResetTokens } from "@/db/schema";

export async function insertPasswordReset(
  db: Executor,
  params: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(passwordResetTokens).values(params);
}

/** Spends a live reset token atomically; returns its user, or undefined if unknown, used or expired. */
export async function spendPasswordReset(db: Executor, params: { tokenHash: string }): Promise<{ userId: string } | undefined> {
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, params.tokenHash),
        isNull(passwordResetTokens.usedAt),
        sql`${passwordResetTokens.expiresAt} > now()`,
      ),
    )
    .returning({ userId: passwordResetTokens.userId });
  return row;
}

/** A new link makes older unused links of the same user useless. */
export async function expireOpenResets(db: Executor, params: { userId: string }): Promise<void> {
  await db
    .update(passwordResetTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResetTokens.userId, params.userId), isNull(passwordResetTokens.usedAt)));
}
