import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { startTestMeta, type TestMeta } from "./support/sandbox";

// What stops a hostile page or a runaway client: cookie-authenticated changes from another site are
// refused, every authenticated caller has a per-user budget answered with 429 + Retry-After, and the
// audit trail is for a workspace's owners only.

// A hundredth of the real limits, so a test reaches them in a dozen calls (set before env is parsed).
const SCALE = 0.01;
process.env.RATE_LIMIT_SCALE = String(SCALE);
const meta: TestMeta = await startTestMeta();

const { GET: me } = await import("@/app/api/auth/me/route");
const { GET: listAudit } = await import("@/app/api/audit-events/route");
const { GET: getConversation, PATCH: patchConversation } = await import("@/app/api/conversations/[id]/route");
const { POST: connectWhatsapp } = await import("@/app/api/platforms/whatsapp/connect/route");
const { getDb } = await import("@/db/client");
const { startApiSession } = await import("@/lib/auth/api-sessions");
const { inlineJobs } = await import("@/lib/jobs");
const { rateRules } = await import("@/lib/rate-limit");
const { addTeammate, createAccount } = await import("./factories/accounts");
const { createConversation, createPlatformAccount } = await import("./factories/messaging");
const { call } = await import("./support/api");
const { SANDBOX } = await import("./support/meta-accounts");

afterAll(async () => {
  // Connecting the number starts a history import through the sandbox; let it finish first.
  await (await inlineJobs()).idle();
  await meta.close();
});

const APP_ORIGIN = "http://localhost:3000";
const FOREIGN_ORIGIN = "https://attacker.example";

interface ErrorBody {
  error: { code: string; message: string; details?: { retryAfter?: number } };
}

/** The Auth.js session cookie a browser holds after signing in as this user. */
async function sessionCookie(userId: string): Promise<string> {
  const name = "authjs.session-token";
  const value = await encode({ token: { uid: userId, authTime: Date.now() }, secret: process.env.AUTH_SECRET ?? "", salt: name });
  return `${name}=${value}`;
}

describe("cookie-authenticated changes from another site", () => {
  async function conversationOfNewAccount() {
    const account = await createAccount();
    const platform = await createPlatformAccount(account.workspace.id);
    const conversation = await createConversation(platform);
    return { account, conversation, cookie: await sessionCookie(account.user.id) };
  }

  async function archived(token: string, id: string) {
    const result = await call<{ conversation: { isArchived: boolean } }>(getConversation, { token, params: { id } });
    return result.body.conversation.isArchived;
  }

  it("are refused with 403 and change nothing", async () => {
    const { account, conversation, cookie } = await conversationOfNewAccount();
    const result = await call<ErrorBody>(patchConversation, {
      method: "PATCH",
      body: { isArchived: true },
      headers: { cookie, origin: FOREIGN_ORIGIN },
      params: { id: conversation.id },
    });
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe("forbidden");
    expect(await archived(account.token, conversation.id)).toBe(false);
  });

  it("go through from the app's own origin", async () => {
    const { account, conversation, cookie } = await conversationOfNewAccount();
    const result = await call(patchConversation, {
      method: "PATCH",
      body: { isArchived: true },
      headers: { cookie, origin: APP_ORIGIN },
      params: { id: conversation.id },
    });
    expect(result.status).toBe(200);
    expect(await archived(account.token, conversation.id)).toBe(true);
  });

  it("are not what a bearer token is checked for: a browser never attaches one by itself", async () => {
    const { account, conversation } = await conversationOfNewAccount();
    const result = await call(patchConversation, {
      method: "PATCH",
      body: { isArchived: true },
      token: account.token,
      headers: { origin: FOREIGN_ORIGIN },
      params: { id: conversation.id },
    });
    expect(result.status).toBe(200);
  });

  it("leave reads alone, which CORS keeps unreadable to the other site", async () => {
    const { conversation, cookie } = await conversationOfNewAccount();
    const result = await call(getConversation, { headers: { cookie, origin: FOREIGN_ORIGIN }, params: { id: conversation.id } });
    expect(result.status).toBe(200);
  });
});

describe("the per-user API limit", () => {
  const allowed = Math.ceil(rateRules.apiPerUser.limit * SCALE);

  it("answers 429 rate_limited with Retry-After once a user's calls exceed RATE_LIMIT_SCALE × the limit", async () => {
    const account = await createAccount();
    for (let i = 0; i < allowed; i++) expect((await call(me, { token: account.token })).status).toBe(200);
    const refused = await call<ErrorBody>(me, { token: account.token });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(rateRules.apiPerUser.windowSeconds);
    expect(refused.body.error.details?.retryAfter).toBe(retryAfter);
  });

  it("counts the user, not the token or the browser: a fresh session is just as limited", async () => {
    const account = await createAccount();
    for (let i = 0; i < allowed; i++) await call(me, { token: account.token });
    const { accessToken } = await startApiSession(getDb(), account.user, { ip: "127.0.0.1", userAgent: "vitest" });
    expect((await call(me, { token: accessToken })).status).toBe(429);
    expect((await call(me, { headers: { cookie: await sessionCookie(account.user.id) } })).status).toBe(429);
  });

  it("leaves every other user's budget untouched", async () => {
    const busy = await createAccount();
    const other = await createAccount();
    for (let i = 0; i <= allowed; i++) await call(me, { token: busy.token });
    expect((await call(me, { token: busy.token })).status).toBe(429);
    expect((await call(me, { token: other.token })).status).toBe(200);
  });
});

describe("GET /api/audit-events", () => {
  interface AuditBody {
    events: { action: string; targetType: string | null; targetId: string | null }[];
  }

  it("shows the owner their workspace's security events and nobody else anything of it", async () => {
    const owner = await createAccount();
    const systemToken = meta.sandbox.context.systemUserToken(SANDBOX.wabaId);
    const connected = await call<{ platform: { id: string } }>(connectWhatsapp, {
      token: owner.token,
      body: { accessToken: systemToken, phoneNumberId: SANDBOX.phoneNumberId, businessAccountId: SANDBOX.wabaId },
    });
    expect(connected.status).toBe(201);

    const seen = await call<AuditBody>(listAudit, { token: owner.token });
    expect(seen.status).toBe(200);
    expect(seen.body.events).toContainEqual(
      expect.objectContaining({ action: "platform.connected", targetType: "whatsapp", targetId: SANDBOX.phoneNumberId }),
    );
    expect(seen.text).not.toContain(systemToken);

    for (const role of ["admin", "agent"] as const) {
      const teammate = await addTeammate(owner.workspace, role);
      const refused = await call<ErrorBody>(listAudit, { token: teammate.token });
      expect(refused.status, role).toBe(403);
      expect(refused.body.error.code).toBe("forbidden");
    }

    const stranger = await createAccount();
    const asked = await call<ErrorBody>(listAudit, {
      token: stranger.token,
      path: `/api/audit-events?workspaceId=${owner.workspace.id}`,
    });
    expect(asked.status).toBe(404);
    const own = await call<AuditBody>(listAudit, { token: stranger.token });
    expect(own.status).toBe(200);
    expect(own.body.events.map((event) => event.action)).not.toContain("platform.connected");

    expect((await call(listAudit, {})).status).toBe(401);
  });
});
