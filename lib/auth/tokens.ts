import "server-only";
import { createHash, hkdfSync, randomBytes, randomUUID } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { env } from "@/lib/env";

// API access tokens are short-lived HS256 JWTs; refresh tokens are opaque random strings of which
// only a SHA-256 is stored. Keys are derived from AUTH_SECRET per purpose, never the secret itself.

const ISSUER = "chats";
const AUDIENCE = "chats-api";

export type TokenPurpose = "access" | "realtime";

/** The HS256 key for one kind of token; a token signed for one purpose never verifies as another. */
export function keyFor(purpose: TokenPurpose): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", env.AUTH_SECRET, "chats", `chats ${purpose} token v1`, 32));
}

export interface AccessClaims {
  userId: string;
  /** The refresh-token family (the API session) this access token belongs to. */
  sessionId: string;
}

export async function signAccessToken(claims: AccessClaims, ttlSeconds = env.JWT_ACCESS_TTL): Promise<string> {
  return new SignJWT({ sid: claims.sessionId, typ: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keyFor("access"));
}

/** Returns the claims of a valid, unexpired access token, or null for anything else. */
export async function verifyAccessToken(token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor("access"), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (payload.typ !== "access" || typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return { userId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}

/** A fresh opaque secret with a recognisable prefix (so leaked tokens are easy to grep for). */
export function opaqueToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
