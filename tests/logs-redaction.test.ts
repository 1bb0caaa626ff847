import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentInDialog, startTestMeta, type TestMeta } from "./support/sandbox";

// Everything the app logs while people sign up and in, connect their Meta accounts, customers write
// in, replies go out and fail, and a forged webhook is refused, captured at the most verbose level.
// No password, API or Meta token, app secret or customer's words may appear in it. (The e2e run
// greps the whole stack's output for the same things: e2e/logs.check.ts.)

process.env.LOG_LEVEL = "trace";
const meta: TestMeta = await startTestMeta();

const { createLogger } = await import("@/lib/logger");
const captured: string[] = [];
(globalThis as { chatsLogger?: unknown }).chatsLogger = createLogger({ write: (line: string) => void captured.push(line) });

const { POST: login } = await import("@/app/api/auth/login/route");
const { POST: register } = await import("@/app/api/auth/register/route");
const { GET: listConversations } = await import("@/app/api/conversations/route");
const { POST: sendMessage } = await import("@/app/api/messages/route");
const { GET: callback } = await import("@/app/api/platforms/callback/route");
const { POST: connectMessenger } = await import("@/app/api/platforms/messenger/connect/route");
const { POST: connectWhatsapp } = await import("@/app/api/platforms/whatsapp/connect/route");
const { inlineJobs } = await import("@/lib/jobs");
const { call, uniqueIp } = await import("./support/api");
const { SANDBOX, customerActs, injectFailure } = await import("./support/meta-accounts");
const { deliver } = await import("./support/webhooks");

/** Every value that must never be logged, by what it is (the name is what a failure reports). */
const secrets = new Map<string, string>([
  ["META_APP_SECRET", process.env.META_APP_SECRET ?? ""],
  ["AUTH_SECRET", process.env.AUTH_SECRET ?? ""],
  ["TOKEN_ENCRYPTION_KEY", process.env.TOKEN_ENCRYPTION_KEY ?? ""],
  ["sandbox page token", meta.sandbox.context.pageToken(SANDBOX.pageId)],
  ["sandbox WhatsApp system-user token", meta.sandbox.context.systemUserToken(SANDBOX.wabaId)],
  ["sandbox app token", meta.sandbox.context.appToken()],
]);
// The sandbox's user tokens are minted during the OAuth exchange and never shown to the test; they
// all share this shape (sandbox/tokens.ts).
const SANDBOX_TOKEN = /EAAS[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{32}/;

const unique = (label: string) => `${label}-${randomBytes(8).toString("hex")}`;

function leaks(): string[] {
  const log = captured.join("");
  const named = [...secrets].filter(([, value]) => value && log.includes(value)).map(([name]) => name);
  return SANDBOX_TOKEN.test(log) ? [...named, "a sandbox access token"] : named;
}

let accessToken = "";

beforeAll(async () => {
  const password = unique("pw");
  secrets.set("the user's password", password);
  const email = `${unique("logs")}@example.com`;
  expect((await call(register, { body: { email, password, name: "Log Reader" }, ip: uniqueIp() })).status).toBe(201);
  const signedIn = await call<{ accessToken: string; refreshToken: string }>(login, {
    body: { email, password },
    ip: uniqueIp(),
  });
  expect(signedIn.status).toBe(200);
  accessToken = signedIn.body.accessToken;
  secrets.set("the API access token", signedIn.body.accessToken);
  secrets.set("the API refresh token", signedIn.body.refreshToken);

  const wrong = unique("wrong-pw");
  secrets.set("a mistyped password", wrong);
  expect((await call(login, { body: { email, password: wrong }, ip: uniqueIp() })).status).toBe(401);
});

afterAll(async () => {
  await (await inlineJobs()).idle();
  await meta.close();
});

async function conversationOf(customerId: string): Promise<string> {
  const listed = await call<{ conversations: { id: string; participant: { externalId: string } }[] }>(listConversations, {
    token: accessToken,
    path: "/api/conversations?limit=100",
  });
  const conversation = listed.body.conversations.find((item) => item.participant.externalId === customerId);
  if (!conversation) throw new Error(`no conversation with ${customerId}`);
  return conversation.id;
}

describe("the app's logs", () => {
  it("hold no token through a Messenger connect by OAuth and a WhatsApp connect by token", async () => {
    const start = await call<{ authorizeUrl: string }>(connectMessenger, { token: accessToken, body: {} });
    const redirect = await consentInDialog(start.body.authorizeUrl);
    const connected = await call(callback, {
      token: accessToken,
      path: `/api/platforms/callback${redirect.search}`,
      headers: { accept: "application/json" },
    });
    expect(connected.status).toBe(200);

    const refusedToken = `EAAS${unique("forged")}`;
    secrets.set("a token Meta refused", refusedToken);
    const refused = await call(connectWhatsapp, {
      token: accessToken,
      body: { accessToken: refusedToken, phoneNumberId: SANDBOX.phoneNumberId, businessAccountId: SANDBOX.wabaId },
    });
    expect(refused.status).toBe(422);
    const whatsapp = await call(connectWhatsapp, {
      token: accessToken,
      body: {
        accessToken: meta.sandbox.context.systemUserToken(SANDBOX.wabaId),
        phoneNumberId: SANDBOX.phoneNumberId,
        businessAccountId: SANDBOX.wabaId,
      },
    });
    expect(whatsapp.status).toBe(201);
    await (await inlineJobs()).idle();
    await meta.settle();
    expect(leaks()).toEqual([]);
  });

  it("hold no customer's words from webhooks, nor the business's replies, sent or failed", async () => {
    const incoming = unique("customer-words");
    secrets.set("a customer's message", incoming);
    const wrote = await customerActs(meta, { platform: "whatsapp", text: incoming });
    const conversationId = await conversationOf(wrote.customerId);

    const reply = unique("reply-words");
    secrets.set("a reply", reply);
    expect((await call(sendMessage, { token: accessToken, body: { conversationId, text: reply } })).status).toBe(201);

    const failedReply = unique("failed-reply-words");
    secrets.set("a reply Meta failed to take", failedReply);
    await injectFailure(meta, { kind: "server_error", count: 1, status: 503 });
    const failed = await call(sendMessage, { token: accessToken, body: { conversationId, text: failedReply } });
    expect(failed.status).toBe(502);
    await meta.settle();

    // The failure was logged (so this looked at a real log line), without the words or the token.
    expect(captured.some((line) => line.includes("send failed"))).toBe(true);
    expect(leaks()).toEqual([]);
  });

  it("hold no words of a forged webhook they refused", async () => {
    const forged = unique("forged-words");
    secrets.set("a forged webhook's text", forged);
    const payload = {
      object: "page",
      entry: [
        {
          id: SANDBOX.pageId,
          time: Date.now(),
          messaging: [
            {
              sender: { id: "24000000000000001" },
              recipient: { id: SANDBOX.pageId },
              timestamp: Date.now(),
              message: { mid: `m_${unique("forged")}`, text: forged },
            },
          ],
        },
      ],
    };
    const refused = await deliver("messenger", payload, { signature: "sha256=00" });
    expect(refused.status).toBe(401);
    expect(captured.some((line) => line.includes("webhook refused"))).toBe(true);
    expect(leaks()).toEqual([]);
  });

  it("were captured at all, so the checks above looked at something", () => {
    expect(captured.length).toBeGreaterThan(5);
    expect(captured.every((line) => JSON.parse(line) !== null)).toBe(true);
  });
});
