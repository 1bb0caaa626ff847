import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestMeta, consentInDialog, type TestMeta } from "./support/sandbox";

// Meta (the sandbox) must be up before anything reads the app's configuration.
const meta: TestMeta = await startTestMeta();

const { GET: listPlatforms } = await import("@/app/api/platforms/route");
const { GET: getPlatform, DELETE: disconnect } = await import("@/app/api/platforms/[id]/route");
const { POST: syncPlatform } = await import("@/app/api/platforms/[id]/sync/route");
const { POST: connectMessenger } = await import("@/app/api/platforms/messenger/connect/route");
const { POST: connectInstagram } = await import("@/app/api/platforms/instagram/connect/route");
const { POST: connectWhatsapp } = await import("@/app/api/platforms/whatsapp/connect/route");
const { GET: callback } = await import("@/app/api/platforms/callback/route");
const { getDb } = await import("@/db/client");
const { platformAccounts, messages, conversations } = await import("@/db/schema");
const { decryptToken } = await import("@/lib/platforms/crypto");
const { reencryptTokens } = await import("@/lib/platforms/rotate-keys");
const { withAccountToken } = await import("@/lib/platforms/account-token");
const { graph } = await import("@/lib/platforms/meta/graph");
const { inlineJobs } = await import("@/lib/jobs");
const { createAccount } = await import("./factories/accounts");
const { createConversation, createMessage } = await import("./factories/messaging");
const { call } = await import("./support/api");

type Account = Awaited<ReturnType<typeof createAccount>>;
interface PlatformBody {
  id: string;
  platform: string;
  externalId: string;
  name: string;
  username: string | null;
  status: string;
}
interface ErrorBody {
  error: { code: string; message: string };
}

const PAGE_ID = "106100000000001";
const IG_ID = "17841400000000001";
const PHONE_ID = "109100000000001";
const WABA_ID = "102200000000001";

afterAll(async () => {
  await (await inlineJobs()).idle();
  await meta.close();
});

async function connectThroughMeta(account: Account, platform: "messenger" | "instagram") {
  const start = await call<{ authorizeUrl: string }>(platform === "messenger" ? connectMessenger : connectInstagram, {
    token: account.token,
    body: {},
  });
  expect(start.status).toBe(200);
  const redirect = await consentInDialog(start.body.authorizeUrl);
  return call<{ platforms: PlatformBody[]; skipped: { name: string; reason: string }[] } & ErrorBody>(callback, {
    token: account.token,
    path: `/api/platforms/callback${redirect.search}`,
    headers: { accept: "application/json" },
  });
}

describe("Messenger and Instagram connect through Meta OAuth", () => {
  let owner: Account;
  beforeAll(async () => {
    owner = await createAccount();
  });

  it("returns Meta's dialog URL with our app, redirect, scopes and a signed state", async () => {
    const { body } = await call<{ authorizeUrl: string }>(connectMessenger, { token: owner.token, body: {} });
    const url = new URL(body.authorizeUrl);
    expect(url.origin).toBe(meta.sandbox.url);
    expect(url.pathname).toMatch(/^\/v\d+\.\d+\/dialog\/oauth$/);
    expect(url.searchParams.get("client_id")).toBe(process.env.META_APP_ID);
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3000/api/platforms/callback");
    expect(url.searchParams.get("scope")).toContain("pages_messaging");
    expect(url.searchParams.get("state")?.split(".")).toHaveLength(3);
  });

  it("connects the shared page, keeps its token encrypted and never returns it", async () => {
    const result = await connectThroughMeta(owner, "messenger");
    expect(result.status).toBe(200);
    expect(result.body.platforms).toEqual([
      expect.objectContaining({ platform: "messenger", externalId: PAGE_ID, name: "Acme Coffee", status: "active" }),
    ]);
    expect(result.text).not.toMatch(/access_?token|ciphertext/i);

    const [row] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.externalId, PAGE_ID));
    expect(row?.accessTokenCiphertext).toMatch(/^v1\./);
    expect(decryptToken(row?.accessTokenCiphertext ?? "")).toBe(meta.sandbox.context.pageToken(PAGE_ID));
    expect(meta.sandbox.state.subscriptions.get(PAGE_ID)).toEqual(
      expect.arrayContaining(["messages", "message_echoes", "message_reads"]),
    );
  });

  it("connects the linked Instagram account through its page", async () => {
    const result = await connectThroughMeta(owner, "instagram");
    expect(result.body.platforms).toEqual([
      expect.objectContaining({ platform: "instagram", externalId: IG_ID, username: "acme.coffee" }),
    ]);
    const [row] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.externalId, IG_ID));
    expect(row?.pageId).toBe(PAGE_ID);
  });

  it("updates a reconnected account in place instead of duplicating it", async () => {
    const before = await getDb().select().from(platformAccounts).where(eq(platformAccounts.externalId, PAGE_ID));
    await connectThroughMeta(owner, "messenger");
    const after = await getDb().select().from(platformAccounts).where(eq(platformAccounts.externalId, PAGE_ID));
    expect(after.map((row) => row.id)).toEqual(before.map((row) => row.id));
  });

  it("refuses a page that another workspace has connected, with a clear reason", async () => {
    const other = await createAccount();
    const result = await connectThroughMeta(other, "messenger");
    expect(result.status).toBe(200);
    expect(result.body.platforms).toEqual([]);
    expect(result.body.skipped[0]?.reason).toMatch(/already connected to another Chats workspace/);
  });

  it("rejects a tampered, replayed, foreign or expired state", async () => {
    const start = await call<{ authorizeUrl: string }>(connectMessenger, { token: owner.token, body: {} });
    const redirect = await consentInDialog(start.body.authorizeUrl);
    const state = redirect.searchParams.get("state") ?? "";
    const code = redirect.searchParams.get("code") ?? "";
    const attempt = (account: Account, s: string) =>
      call<ErrorBody>(callback, {
        token: account.token,
        path: `/api/platforms/callback?code=${code}&state=${encodeURIComponent(s)}`,
        headers: { accept: "application/json" },
      });

    const tampered = `${state.slice(0, -4)}AAAA`;
    expect((await attempt(owner, tampered)).body.error.code).toBe("invalid_token");
    const stranger = await createAccount();
    expect((await attempt(stranger, state)).body.error.message).toMatch(/another user/);
    expect((await attempt(owner, state)).status).toBe(200);
    const replay = await attempt(owner, state);
    expect(replay.status).toBe(400);
    expect(replay.body.error.message).toMatch(/already used/);

    const late = await call<{ authorizeUrl: string }>(connectMessenger, { token: owner.token, body: {} });
    const lateRedirect = await consentInDialog(late.body.authorizeUrl);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * 60 * 1000 });
    try {
      const expired = await call<ErrorBody>(callback, {
        token: owner.token,
        path: `/api/platforms/callback${lateRedirect.search}`,
        headers: { accept: "application/json" },
      });
      expect(expired.body.error.message).toMatch(/expired/);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends the browser back to Settings → Platforms, with Meta's refusal when the user cancels", async () => {
    const start = await call<{ authorizeUrl: string }>(connectMessenger, { token: owner.token, body: {} });
    const redirect = await consentInDialog(start.body.authorizeUrl, "deny");
    const result = await call(callback, { token: owner.token, path: `/api/platforms/callback${redirect.search}` });
    expect(result.status).toBe(303);
    const location = new URL(result.headers.get("location") ?? "");
    expect(location.pathname).toBe("/settings/platforms");
    expect(location.searchParams.get("error")).toBeTruthy();
  });
});

describe("WhatsApp connect by token", () => {
  it("checks the token with Meta before storing and answers 201 with the number", async () => {
    await getDb().delete(platformAccounts).where(eq(platformAccounts.externalId, PHONE_ID));
    const owner = await createAccount();
    const token = meta.sandbox.context.systemUserToken(WABA_ID);
    const result = await call<{ platform: PlatformBody }>(connectWhatsapp, {
      token: owner.token,
      body: { accessToken: token, phoneNumberId: PHONE_ID, businessAccountId: WABA_ID },
    });
    expect(result.status).toBe(201);
    expect(result.body.platform).toMatchObject({
      platform: "whatsapp",
      externalId: PHONE_ID,
      name: "Acme Coffee",
      username: "+1 555-010-0001",
      status: "active",
    });
    expect(result.text).not.toContain(token);
  });

  it("answers 422 platform_rejected with Meta's message for a refused token, and stores nothing", async () => {
    const owner = await createAccount();
    const result = await call<ErrorBody>(connectWhatsapp, {
      token: owner.token,
      body: { accessToken: `EAAG${randomBytes(20).toString("hex")}`, phoneNumberId: PHONE_ID, businessAccountId: WABA_ID },
    });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe("platform_rejected");
    expect(result.body.error.message).toMatch(/Meta refused these WhatsApp credentials: .+/);
    const rows = await getDb().select().from(platformAccounts).where(eq(platformAccounts.workspaceId, owner.workspace.id));
    expect(rows).toEqual([]);
  });

  it("answers 400 with field errors for malformed input", async () => {
    const owner = await createAccount();
    const result = await call<{ error: { code: string; details: { issues: { path: string }[] } } }>(connectWhatsapp, {
      token: owner.token,
      body: { accessToken: "short", phoneNumberId: "+1 555", businessAccountId: "" },
    });
    expect(result.status).toBe(400);
    expect(result.body.error.details.issues.map((issue) => issue.path).sort()).toEqual([
      "accessToken",
      "businessAccountId",
      "phoneNumberId",
    ]);
  });
});

describe("disconnect, purge, sync and tenancy", () => {
  async function connectedWhatsapp() {
    // The sandbox has one number and it can be live in one workspace only: free it first.
    await meta.settle();
    await getDb().delete(platformAccounts).where(eq(platformAccounts.externalId, PHONE_ID));
    const owner = await createAccount();
    const token = meta.sandbox.context.systemUserToken(WABA_ID);
    const { body } = await call<{ platform: PlatformBody }>(connectWhatsapp, {
      token: owner.token,
      body: { accessToken: token, phoneNumberId: PHONE_ID, businessAccountId: WABA_ID },
    });
    const [row] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.id, body.platform.id));
    if (!row) throw new Error("not connected");
    return { owner, account: row };
  }

  it("keeps the history when disconnecting, and wipes the token", async () => {
    const { owner, account } = await connectedWhatsapp();
    const conversation = await createConversation(account);
    await createMessage(conversation);
    expect(
      (
        await call(disconnect, {
          method: "DELETE",
          token: owner.token,
          params: { id: account.id },
          path: `/api/platforms/${account.id}`,
        })
      ).status,
    ).toBe(204);
    const [row] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.id, account.id));
    expect(row).toMatchObject({ status: "disconnected", accessTokenCiphertext: null });
    expect(await getDb().select().from(messages).where(eq(messages.conversationId, conversation.id))).toHaveLength(1);
  });

  it("deletes the account and its history with purge=true", async () => {
    const { owner, account } = await connectedWhatsapp();
    const conversation = await createConversation(account);
    await createMessage(conversation);
    const result = await call(disconnect, {
      method: "DELETE",
      token: owner.token,
      params: { id: account.id },
      path: `/api/platforms/${account.id}?purge=true`,
    });
    expect(result.status).toBe(204);
    expect(await getDb().select().from(platformAccounts).where(eq(platformAccounts.id, account.id))).toEqual([]);
    expect(await getDb().select().from(conversations).where(eq(conversations.id, conversation.id))).toEqual([]);
  });

  it("answers 404 to another workspace for every platform route, and 401 without credentials", async () => {
    const { account } = await connectedWhatsapp();
    const stranger = await createAccount();
    const params = { id: account.id };
    expect((await call(getPlatform, { token: stranger.token, params })).status).toBe(404);
    expect((await call(disconnect, { method: "DELETE", token: stranger.token, params })).status).toBe(404);
    expect((await call(syncPlatform, { method: "POST", token: stranger.token, params })).status).toBe(404);
    expect((await call(listPlatforms, { token: stranger.token })).body).toEqual({ platforms: [] });
    expect((await call(getPlatform, { params })).status).toBe(401);
  });

  it("starts a sync with 202 and a sync id", async () => {
    const { owner, account } = await connectedWhatsapp();
    const result = await call<{ syncId: string }>(syncPlatform, {
      method: "POST",
      token: owner.token,
      params: { id: account.id },
    });
    expect(result.status).toBe(202);
    expect(result.body.syncId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("marks an account needs_reauth as soon as Meta refuses its token", async () => {
    const { account } = await connectedWhatsapp();
    await fetch(`${meta.sandbox.url}/_sandbox/tokens/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: meta.sandbox.context.systemUserToken(WABA_ID) }),
    });
    await expect(withAccountToken(getDb(), account, (token) => graph({ path: PHONE_ID, token }))).rejects.toMatchObject({
      kind: "token",
    });
    const [row] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.id, account.id));
    expect(row?.status).toBe("needs_reauth");
    expect(row?.statusReason).toMatch(/Meta refused the access token/);
  });
});

describe("encryption key rotation", () => {
  it("moves every token under the new first key, and the old key can then go", async () => {
    const rows = await getDb().select().from(platformAccounts);
    const withTokens = rows.filter((row) => row.accessTokenCiphertext);
    expect(withTokens.length).toBeGreaterThan(0);
    const oldKey = Buffer.from(process.env.TOKEN_ENCRYPTION_KEY ?? "", "base64");
    const newKey = randomBytes(32);
    const plain = new Map(withTokens.map((row) => [row.id, decryptToken(row.accessTokenCiphertext ?? "", [oldKey])]));

    const first = await reencryptTokens(getDb(), [newKey, oldKey]);
    expect(first).toEqual({ reencrypted: withTokens.length, current: 0 });
    const again = await reencryptTokens(getDb(), [newKey, oldKey]);
    expect(again).toEqual({ reencrypted: 0, current: withTokens.length });

    for (const row of await getDb().select().from(platformAccounts)) {
      if (!row.accessTokenCiphertext) continue;
      expect(decryptToken(row.accessTokenCiphertext, [newKey])).toBe(plain.get(row.id));
    }
  });
});
