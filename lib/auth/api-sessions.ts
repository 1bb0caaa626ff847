import "server-only";
import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import {
  findRefreshToken,
  insertRefreshToken,
  linkReplacement,
  revokeFamily,
  spendRefreshToken,
} from "@/db/queries/refresh-tokens";
import { findUserById } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { toPublicUser, type PublicUser } from "@/lib/auth/accounts";
import { recordAudit } from "@/lib/audit/record";
import { opaqueToken, sha256, signAccessToken } from "@/lib/auth/tokens";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

// API sessions for scripts and integrations: a short-lived access JWT plus a rotating refresh token.
// Each refresh spends the old token; presenting a spent one means it leaked, so the family dies.

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshExpiresIn: number;
  user: PublicUser;
}

interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

async function issue(db: Database, user: User, familyId: string, client: ClientInfo) {
  const refreshToken = opaqueToken("rt");
  const row = await insertRefreshToken(db, {
    userId: user.id,
    familyId,
    tokenHash: sha256(refreshToken),
    expiresAt: new Date(Date.now() + env.JWT_REFRESH_TTL * 1000),
    ...client,
  });
  const pair: TokenPair = {
    accessToken: await signAccessToken({ userId: user.id, sessionId: familyId }),
    refreshToken,
    tokenType: "Bearer",
    expiresIn: env.JWT_ACCESS_TTL,
    refreshExpiresIn: env.JWT_REFRESH_TTL,
    user: toPublicUser(user),
  };
  return { pair, rowId: row.id };
}

export async function startApiSession(db: Database, user: User, client: ClientInfo): Promise<TokenPair> {
  return (await issue(db, user, randomUUID(), client)).pair;
}

export async function refreshApiSession(db: Database, refreshToken: string, client: ClientInfo): Promise<TokenPair> {
  const row = await findRefreshToken(db, { tokenHash: sha256(refreshToken) });
  if (!row || row.revokedAt || row.expiresAt <= new Date()) throw invalidRefreshToken();

  const spent = await spendRefreshToken(db, { id: row.id });
  if (!spent) {
    await revokeFamily(db, { familyId: row.familyId });
    await recordAudit(db, {
      action: "auth.refresh_token_reused",
      userId: row.userId,
      client,
      details: { sessionId: row.familyId },
    });
    logger.warn(
      { scope: "auth", userId: row.userId, familyId: row.familyId },
      "spent refresh token presented again; session family revoked",
    );
    throw new AppError("refresh_token_reused", "This refresh token was already used; the session has been ended. Sign in again.");
  }
  const user = await findUserById(db, { userId: row.userId });
  if (!user) throw invalidRefreshToken();
  const { pair, rowId } = await issue(db, user, row.familyId, client);
  await linkReplacement(db, { id: row.id, replacedById: rowId });
  return pair;
}

/** Ends the API session the refresh token belongs to, if it is the caller's. */
export async function endApiSession(db: Database, params: { userId: string; refreshToken?: string; sessionId?: string }) {
  if (params.refreshToken) {
    const row = await findRefreshToken(db, { tokenHash: sha256(params.refreshToken) });
    if (row && row.userId === params.userId) await revokeFamily(db, { familyId: row.familyId });
  }
  if (params.sessionId) await revokeFamily(db, { familyId: params.sessionId });
}

function invalidRefreshToken() {
  return new AppError("invalid_refresh_token", "The refresh token is invalid or expired.");
}
