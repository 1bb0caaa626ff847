import "server-only";
import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { keyFor } from "@/lib/auth/tokens";

// Sockets authenticate with a short-lived HS256 token minted by GET /api/realtime/token. It names the
// user and the workspaces whose rooms the socket may join; its key is derived for the "realtime"
// purpose, so an API access token never passes as one (nor the other way round).

const ISSUER = "chats";
export const REALTIME_AUDIENCE = "chats-realtime";
/** Five minutes: enough to connect; the browser fetches a fresh one for every (re)connection. */
export const REALTIME_TOKEN_TTL_SECONDS = 300;
// Allows for small clock differences between app and sidecar hosts.
const CLOCK_TOLERANCE_SECONDS = 5;

export interface RealtimeClaims {
  userId: string;
  workspaceIds: string[];
  expiresAt: Date;
}

export type RealtimeTokenCheck = { ok: true; claims: RealtimeClaims } | { ok: false; reason: "expired" | "invalid" };

export async function signRealtimeToken(
  user: { id: string },
  workspaceIds: readonly string[],
  options: { ttlSeconds?: number } = {},
): Promise<string> {
  const ttl = options.ttlSeconds ?? REALTIME_TOKEN_TTL_SECONDS;
  return new SignJWT({ typ: "realtime", wsp: [...workspaceIds] })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(REALTIME_AUDIENCE)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
    .sign(keyFor("realtime"));
}

/** Checks signature, issuer, audience and expiry; says why a token is refused (never throws). */
export async function verifyRealtimeToken(token: unknown): Promise<RealtimeTokenCheck> {
  if (typeof token !== "string" || token.length === 0 || token.length > 8192) return { ok: false, reason: "invalid" };
  try {
    const { payload } = await jwtVerify(token, keyFor("realtime"), {
      issuer: ISSUER,
      audience: REALTIME_AUDIENCE,
      algorithms: ["HS256"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    const workspaceIds = payload.wsp;
    if (
      payload.typ !== "realtime" ||
      typeof payload.sub !== "string" ||
      typeof payload.exp !== "number" ||
      !Array.isArray(workspaceIds) ||
      !workspaceIds.every((id): id is string => typeof id === "string")
    ) {
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, claims: { userId: payload.sub, workspaceIds, expiresAt: new Date(payload.exp * 1000) } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
