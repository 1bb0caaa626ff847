import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { keyFor, signAccessToken } from "@/lib/auth/tokens";
import { REALTIME_TOKEN_TTL_SECONDS, signRealtimeToken, verifyRealtimeToken } from "./token";

const user = { id: "6f1c1d0e-1c1a-4f5e-9a43-2d0c3b8e1a11" };
const workspaces = ["0b8f6b9e-7a53-4c1e-8d0f-5c7b9a2e3d41", "3c2d1e0f-9a8b-4c7d-8e6f-5a4b3c2d1e0f"];

describe("realtime tokens", () => {
  it("carry the user and workspaces and expire after five minutes", async () => {
    const before = Math.floor(Date.now() / 1000);
    const check = await verifyRealtimeToken(await signRealtimeToken(user, workspaces));
    expect(check).toMatchObject({ ok: true, claims: { userId: user.id, workspaceIds: workspaces } });
    if (!check.ok) throw new Error("unreachable");
    const lifetime = check.claims.expiresAt.getTime() / 1000 - before;
    expect(lifetime).toBeGreaterThanOrEqual(REALTIME_TOKEN_TTL_SECONDS - 1);
    expect(lifetime).toBeLessThanOrEqual(REALTIME_TOKEN_TTL_SECONDS + 1);
    expect(REALTIME_TOKEN_TTL_SECONDS).toBe(300);
  });

  it("are refused as expired once their time is up", async () => {
    const token = await signRealtimeToken(user, workspaces, { ttlSeconds: -60 });
    expect(await verifyRealtimeToken(token)).toEqual({ ok: false, reason: "expired" });
  });

  it("are refused when signed for another audience", async () => {
    const token = await new SignJWT({ typ: "realtime", wsp: workspaces })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer("chats")
      .setAudience("chats-api")
      .setExpirationTime("5m")
      .sign(keyFor("realtime"));
    expect(await verifyRealtimeToken(token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("never accept an API access token, nor a tampered or malformed one", async () => {
    const access = await signAccessToken({ userId: user.id, sessionId: "family" });
    expect(await verifyRealtimeToken(access)).toEqual({ ok: false, reason: "invalid" });

    const token = await signRealtimeToken(user, workspaces);
    const [header, , signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: user.id, wsp: [...workspaces, "other"], aud: "chats-realtime" })).toString(
      "base64url",
    );
    expect(await verifyRealtimeToken(`${header}.${forged}.${signature}`)).toEqual({ ok: false, reason: "invalid" });
    for (const bad of ["", "not-a-jwt", 42, null, undefined, { token }]) {
      expect(await verifyRealtimeToken(bad)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("refuse a token signed with a key derived for another purpose", async () => {
    const token = await new SignJWT({ typ: "realtime", wsp: workspaces })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer("chats")
      .setAudience("chats-realtime")
      .setExpirationTime("5m")
      .sign(keyFor("access"));
    expect(await verifyRealtimeToken(token)).toEqual({ ok: false, reason: "invalid" });
  });
});
