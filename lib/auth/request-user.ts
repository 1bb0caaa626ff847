import "server-only";
import { getDb } from "@/db/client";
import { isFamilyRevoked } from "@/db/queries/refresh-tokens";
import { findUserById } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { decodeSessionCookie } from "@/lib/auth/session-cookie";
import { verifyAccessToken } from "@/lib/auth/tokens";

export interface RequestUser {
  id: string;
  email: string;
  name: string | null;
  /** The API session (refresh-token family) of a bearer token; absent for browser sessions. */
  sessionId?: string;
  user: User;
}

/**
 * Who is calling: an `Authorization: Bearer` access token (API clients) or the Auth.js session
 * cookie (browsers). Tokens of revoked sessions and sessions older than a password reset count as none.
 */
export async function resolveRequestUser(req: Request): Promise<RequestUser | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const [scheme, token] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token) return null;
    const claims = await verifyAccessToken(token);
    if (!claims) return null;
    const db = getDb();
    const [user, revoked] = await Promise.all([
      findUserById(db, { userId: claims.userId }),
      isFamilyRevoked(db, { familyId: claims.sessionId }),
    ]);
    if (!user || revoked) return null;
    return { id: user.id, email: user.email, name: user.name, sessionId: claims.sessionId, user };
  }

  const session = await decodeSessionCookie(req.headers.get("cookie"));
  if (!session) return null;
  const user = await findUserById(getDb(), { userId: session.userId });
  if (!user || !sessionStillValid(user, session.authTime)) return null;
  return { id: user.id, email: user.email, name: user.name, user };
}

export function sessionStillValid(user: User, authTime: unknown): boolean {
  if (!user.sessionsRevokedAt) return true;
  return typeof authTime === "number" && authTime > user.sessionsRevokedAt.getTime();
}
