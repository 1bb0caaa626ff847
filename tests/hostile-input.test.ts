import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMeta, type TestMeta } from "./support/sandbox";

// Whatever arrives — markup, RTL, emoji, NUL bytes, megabytes, deep nesting, wrong types — is either
// stored verbatim (and comes back as the same text) or refused with the contract's error envelope.
// Never a 500, never a stack trace.

const meta: TestMeta = await startTestMeta();

const { POST: register } = await import("@/app/api/auth/register/route");
const { POST: login } = await import("@/app/api/auth/login/route");
const { POST: refresh } = await import("@/app/api/auth/refresh/route");
const { POST: logout } = await import("@/app/api/auth/logout/route");
const { POST: forgot } = await import("@/app/api/auth/password/forgot/route");
const { POST: reset } = await import("@/app/api/auth/password/reset/route");
const { POST: connectWhatsapp } = await import("@/app/api/platforms/whatsapp/connect/route");
const { POST: connectMessenger } = await import("@/app/api/platforms/messenger/connect/route");
const { GET: listConversations } = await import("@/app/api/conversations/route");
const { PATCH: patchConversation } = await import("@/app/api/conversations/[id]/route");
const { GET: threadMessages } = await import("@/app/api/conversations/[id]/messages/route");
const { GET: searchMessages, POST: sendMessage } = await import("@/app/api/messages/route");
const { inlineJobs } = await import("@/lib/jobs");
const { createAccount } = await import("./factories/accounts");
const { call, uniqueIp } = await import("./support/api");
const { connectSandboxAccounts, customerActs } = await import("./support/meta-accounts");
const { deliverAndProcess } = await import("./support/webhooks");

type Handler = Parameters<typeof call>[0];
type Account = Awaited<ReturnType<typeof createAccount>>;

const hostileStrings: Record<string, string> = {
  markup: `<script>alert("x")</script><img src=x onerror=alert(1)>&amp; "quotes" 'single'`,
  rtl: "مرحبا، هل الطلب جاهز؟ ‏שלום‎ \u202Eevil\u202C",
  emoji: "👩🏽‍💻 🇳🇴 ☕️ 𝟘𝟙𝟚 e\u0301",
  sql: `'; DROP TABLE messages; -- " OR 1=1`,
  control: "tab\tnewline\ncarriage\rbell\u0007",
  nul: "before\u0000after",
  long: "x".repeat(4 * 1024 * 1024 + 10),
};
const wrongTypes: unknown[] = [null, 42, true, [], {}, ["a"], { nested: "x" }];

const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}"bottom"${"}".repeat(depth)}`;

let owner: Account;

/** A fresh API session of the account (logout ends the one it is called with). */
async function createAccountToken(account: Account): Promise<string> {
  const { startApiSession } = await import("@/lib/auth/api-sessions");
  const { getDb } = await import("@/db/client");
  return (await startApiSession(getDb(), account.user, { ip: "127.0.0.1", userAgent: "vitest" })).accessToken;
}
let conversationId = "";

beforeAll(async () => {
  owner = await createAccount();
  await connectSandboxAccounts(meta, owner.workspace.id);
  await customerActs(meta, { platform: "messenger", text: "hello" });
  const { body } = await call<{ conversations: { id: string }[] }>(listConversations, { token: owner.token });
  conversationId = body.conversations[0]?.id ?? "";
});

afterAll(async () => {
  await (await inlineJobs()).idle();
  await meta.close();
});

function expectContract(result: { status: number; text: string; body: unknown }, label: string) {
  expect(result.status, `${label} must not be a server error: ${result.text.slice(0, 200)}`).toBeLessThan(500);
  if (result.status >= 400) {
    expect(result.body, label).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(result.text, label).not.toMatch(/\bat .+\.(ts|js):\d+|Failed query|stack/i);
  }
}

interface Target {
  name: string;
  handler: Handler;
  body: () => Record<string, unknown>;
  fields: string[];
  /** "own": a throwaway account (logout ends the session it is called with). */
  auth?: boolean | "own";
  params?: () => Record<string, string>;
  method?: string;
}

const targets: Target[] = [
  {
    name: "register",
    handler: register,
    body: () => ({ email: `h${Math.random()}@example.com`, password: "long enough pw", name: "Name" }),
    fields: ["email", "password", "name"],
  },
  {
    name: "login",
    handler: login,
    body: () => ({ email: "nobody@example.com", password: "whatever pw" }),
    fields: ["email", "password"],
  },
  { name: "refresh", handler: refresh, body: () => ({ refreshToken: "rt_x" }), fields: ["refreshToken"] },
  { name: "logout", handler: logout, body: () => ({ refreshToken: "rt_x" }), fields: ["refreshToken"], auth: "own" },
  { name: "forgot", handler: forgot, body: () => ({ email: "nobody@example.com" }), fields: ["email"] },
  { name: "reset", handler: reset, body: () => ({ token: "pr_x", password: "long enough pw" }), fields: ["token", "password"] },
  {
    name: "whatsapp connect",
    handler: connectWhatsapp,
    body: () => ({
      accessToken: "EAAG" + "a".repeat(30),
      phoneNumberId: "109100000000999",
      businessAccountId: "102200000000999",
    }),
    fields: ["accessToken", "phoneNumberId", "businessAccountId"],
    auth: true,
  },
  { name: "messenger connect", handler: connectMessenger, body: () => ({}), fields: ["workspaceId"], auth: true },
  {
    name: "archive",
    handler: patchConversation,
    body: () => ({ isArchived: false }),
    fields: ["isArchived"],
    auth: true,
    params: () => ({ id: conversationId }),
    method: "PATCH",
  },
  {
    name: "send",
    handler: sendMessage,
    body: () => ({ conversationId, text: "hi" }),
    fields: ["conversationId", "text"],
    auth: true,
  },
];

describe("hostile values in every JSON field", () => {
  for (const target of targets) {
    it(`${target.name}: strings, wrong types, huge and deep bodies are stored verbatim or refused cleanly`, async () => {
      const own = target.auth === "own" ? await createAccount() : undefined;
      const send = async (body: unknown, raw?: string) =>
        call(target.handler, {
          method: target.method ?? "POST",
          token: own ? await createAccountToken(own) : target.auth ? owner.token : undefined,
          params: target.params?.(),
          ...(raw !== undefined ? { rawBody: raw, headers: { "content-type": "application/json" } } : { body }),
          ip: uniqueIp(),
        });
      for (const field of target.fields) {
        for (const [kind, value] of Object.entries(hostileStrings)) {
          const result = await send({ ...target.body(), [field]: value });
          expectContract(result, `${target.name}.${field} = ${kind}`);
          if (kind === "nul" || kind === "long")
            expect(result.status, `${target.name}.${field} = ${kind}`).toBeGreaterThanOrEqual(400);
        }
        for (const value of wrongTypes)
          expectContract(await send({ ...target.body(), [field]: value }), `${target.name}.${field} = ${JSON.stringify(value)}`);
      }
      expectContract(await send(undefined, deepObject(10_000)), `${target.name} deep body`);
      expectContract(await send(undefined, "[".repeat(100_000) + "]".repeat(100_000)), `${target.name} deeply nested arrays`);
      expectContract(await send(undefined, '{"a":'), `${target.name} truncated JSON`);
      expectContract(await send(undefined, "\u0000\u0001\u0002"), `${target.name} binary`);
      expectContract(await send([1, 2, 3]), `${target.name} array body`);
    });
  }
});

describe("hostile query strings", () => {
  it("search and filters answer 200 or 400 with the envelope, never 500", async () => {
    const queries = [
      "q=" + encodeURIComponent(`' OR 1=1 --`),
      "q=" + encodeURIComponent("&|!():* <-> ''"),
      "q=" + encodeURIComponent("a\u0000b"),
      "q=" + "x".repeat(5000),
      "limit=-1",
      "limit=1e9",
      "limit=abc",
      "cursor=%00%00",
      "since=9999-99-99",
      "platform[]=x",
      "unread=maybe",
    ];
    for (const query of queries) {
      expectContract(
        await call(listConversations, { token: owner.token, path: `/api/conversations?${query}` }),
        `conversations ?${query}`,
      );
      expectContract(await call(searchMessages, { token: owner.token, path: `/api/messages?${query}` }), `messages ?${query}`);
    }
    expectContract(await call(threadMessages, { token: owner.token, params: { id: "not-a-uuid" } }), "thread with a bad id");
    expectContract(
      await call(threadMessages, {
        token: owner.token,
        params: { id: conversationId },
        path: `/api/conversations/${conversationId}/messages?cursor=${"A".repeat(400)}`,
      }),
      "thread with a forged cursor",
    );
  });
});

describe("hostile text from customers and agents comes back exactly", () => {
  it("stores a customer's markup, RTL, emoji and control characters byte for byte, and NUL as U+FFFD", async () => {
    const texts = [
      hostileStrings.markup,
      hostileStrings.rtl,
      hostileStrings.emoji,
      hostileStrings.sql,
      hostileStrings.control,
      hostileStrings.nul,
    ];
    for (const [index, text] of texts.entries()) {
      const payload = {
        object: "page",
        entry: [
          {
            id: "106100000000001",
            time: Date.now(),
            messaging: [
              {
                sender: { id: "24016000000000107" },
                recipient: { id: "106100000000001" },
                timestamp: Date.now() + index,
                message: { mid: `m_hostile_${index}`, text },
              },
            ],
          },
        ],
      };
      const event = await deliverAndProcess("messenger", payload);
      expect(event.status, `event for text ${index}`).toBe("processed");
    }
    const { body } = await call<{ messages: { externalId: string; text: string }[] }>(searchMessages, {
      token: owner.token,
      path: "/api/messages?limit=100",
    });
    for (const [index, text] of texts.entries()) {
      const stored = body.messages.find((message) => message.externalId === `m_hostile_${index}`);
      expect(stored?.text, `text ${index}`).toBe((text ?? "").replace(/\u0000/g, "\uFFFD"));
    }
  });

  it("sends an agent's markup and emoji verbatim to the platform", async () => {
    const text = `${hostileStrings.markup} ${hostileStrings.emoji} ${hostileStrings.rtl}`;
    const result = await call<{ message: { text: string } }>(sendMessage, { token: owner.token, body: { conversationId, text } });
    expect(result.status).toBe(201);
    expect(result.body.message.text).toBe(text);
    const sent = (await (await fetch(`${meta.sandbox.url}/_sandbox/sent?platform=messenger`)).json()) as {
      sent: { request: { message?: { text?: string } } }[];
    };
    expect(sent.sent.some((record) => record.request.message?.text === text)).toBe(true);
  });
});
