import "server-only";
import { hkdfSync, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";
import type { Executor } from "@/db/client";
import { verificationTokens, type Platform } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

// The OAuth `state` of a connect: signed (tampering fails), bound to the user and workspace that
// started it, valid 10 minutes, and single-use (its nonce is spent on the callback).

export const STATE_TTL_SECONDS = 600;
const IDENTIFIER = "platform-connect-state";
const AUDIENCE = "chats-connect";

function stateKey(): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", env.AUTH_SECRET, "chats", "chats connect state v1", 32));
}

export interface ConnectState {
  userId: string;
  workspaceId: string;
  platform: Extract<Platform, "messenger" | "instagram">;
}

export async function issueConnectState(db: Executor, state: ConnectState): Promise<string> {
  const nonce = randomUUID();
  await db
    .insert(verificationTokens)
    .values({ identifier: IDENTIFIER, token: nonce, expires: new Date(Date.now() + STATE_TTL_SECONDS * 1000) });
  return new SignJWT({ wid: state.workspaceId, platform: state.platform })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(state.userId)
    .setAudience(AUDIENCE)
    .setJti(nonce)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + STATE_TTL_SECONDS)
    .sign(stateKey());
}

const invalidState = (why: string) =>
  new AppError("invalid_token", `This connection attempt is not valid (${why}). Start again from Settings → Platforms.`);

/** Verifies and spends a state for this user; any failure (forged, expired, replayed, someone else's) is a 400. */
export async function consumeConnectState(db: Executor, token: string, userId: string): Promise<ConnectState> {
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(token, stateKey(), { audience: AUDIENCE, algorithms: ["HS256"] }));
  } catch (error) {
    throw invalidState((error as { code?: string }).code === "ERR_JWT_EXPIRED" ? "it expired" : "its signature does not match");
  }
  const platform = payload.platform;
  if (payload.sub !== userId) throw invalidState("it was started by another user");
  if (
    typeof payload.wid !== "string" ||
    typeof payload.jti !== "string" ||
    (platform !== "messenger" && platform !== "instagram")
  ) {
    throw invalidState("it is incomplete");
  }
  const spent = await db
    .delete(verificationTokens)
    .where(and(eq(verificationTokens.identifier, IDENTIFIER), eq(verificationTokens.token, payload.jti)))
    .returning({ expires: verificationTokens.expires });
  if (spent.length === 0) throw invalidState("it was already used");
  return { userId, workspaceId: payload.wid, platform };
}
