import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestMeta, type TestMeta } from "./support/sandbox";

const meta: TestMeta = await startTestMeta();

const { GET: listConversations } = await import("@/app/api/conversations/route");
const { GET: summary } = await import("@/app/api/conversations/summary/route");
const { GET: getConversation, PATCH: patchConversation } = await import("@/app/api/conversations/[id]/route");
const { POST: readConversation } = await import("@/app/api/conversations/[id]/read/route");
const { GET: threadMessages } = await import("@/app/api/conversations/[id]/messages/route");
const { GET: searchMessages, POST: sendMessage } = await import("@/app/api/messages/route");
const { GET: getMessage } = await import("@/app/api/messages/[id]/route");
const { PATCH: readMessage } = await import("@/app/api/messages/[id]/read/route");
const { POST: retryMessage } = await import("@/app/api/messages/[id]/retry/route");
const { GET: templates } = await import("@/app/api/platforms/[id]/templates/route");
const { getDb, getPool } = await import("@/db/client");
const { conversations, messages } = await import("@/db/schema");
const { inlineJobs } = await import("@/lib/jobs");
const { createAccount } = await import("./factories/accounts");
const { createConversation, createMessage } = await import("./factories/messaging");
const { call } = await import("./support/api");
const { connectSandboxAccounts, customerActs, injectFailure } = await import("./support/meta-accounts");

type Account = Awaited<ReturnType<typeof createAccount>>;
type Accounts = Awaited<ReturnType<typeof connectSandboxAccounts>>;
interface ConversationBody {
  id: string;
  platform: string;
  platformId: string;
  participant: { externalId: string; name: string | null };
  lastMessagePreview: string;
  lastMessageAt: string;
  unreadCount: number;
  isArchived: boolean;
  canReply: boolean;
  replyWindowEndsAt: string | null;
}
interface MessageBody {
  id: string;
  conversationId: string;
  externalId: string | null;
  direction: string;
  type: string;
  text: string | null;
  status: string;
  sentFrom: string | null;
  error: { code: string; message: string } | null;
}
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

let owner: Account;
let accounts: Accounts;

async function conversationsOf(query = "") {
  return call<{ conversations: ConversationBody[]; nextCursor: string | null } & ErrorBody>(listConversations, {
    token: owner.token,
    path: `/api/conversations${query}`,
  });
}

async function conversationWith(platform: string, customerId: string): Promise<ConversationBody> {
  const { body } = await conversationsOf(`?platform=${platform}&limit=100`);
  const found = body.conversations.find((conversation) => conversation.participant.externalId === customerId);
  if (!found) throw new Error(`no ${platform} conversation with ${customerId}`);
  return found;
}

async function sentThroughMeta() {
  const response = await fetch(`${meta.sandbox.url}/_sandbox/sent`);
  return ((await response.json()) as { sent: { platform: string; request: Record<string, unknown> }[] }).sent;
}

beforeAll(async () => {
  owner = await createAccount();
  accounts = await connectSandboxAccounts(meta, owner.workspace.id);
});

afterAll(async () => {
  await (await inlineJobs()).idle();
  await meta.close();
});

describe("conversations from customers on every platform", () => {
  it("lists a conversation per customer, newest activity first, with preview, unread count and an open reply window", async () => {
    const messenger = await customerActs(meta, { platform: "messenger", text: "Do you roast on site? ☕" });
    const instagram = await customerActs(meta, { platform: "instagram", text: "Love the new latte art 😍" });
    const whatsapp = await customerActs(meta, { platform: "whatsapp", text: "¿Abren el domingo?" });

    const { status, body } = await conversationsOf();
    expect(status).toBe(200);
    // WhatsApp stamps whole seconds, so across platforms "newest" is only as fine as a second.
    expect(body.conversations.map((conversation) => conversation.platform).sort()).toEqual([
      "instagram",
      "messenger",
      "whatsapp",
    ]);
    const times = body.conversations.map((conversation) => conversation.lastMessageAt);
    expect([...times].sort().reverse()).toEqual(times);
    const latest = await conversationWith("whatsapp", whatsapp.customerId);
    expect(latest).toMatchObject({ lastMessagePreview: "¿Abren el domingo?", unreadCount: 1, canReply: true, isArchived: false });
    expect(new Date(latest?.replyWindowEndsAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await conversationWith("messenger", messenger.customerId)).lastMessagePreview).toBe("Do you roast on site? ☕");
    expect((await conversationWith("instagram", instagram.customerId)).platformId).toBe(accounts.instagram.id);
  });

  it("filters by platform, account and unread, and keeps archived ones apart", async () => {
    const { body } = await conversationsOf(`?platform=messenger`);
    expect(body.conversations.every((conversation) => conversation.platform === "messenger")).toBe(true);
    const byAccount = await conversationsOf(`?platformId=${accounts.whatsapp.id}`);
    expect(byAccount.body.conversations.every((conversation) => conversation.platform === "whatsapp")).toBe(true);
    const unread = await conversationsOf(`?unread=true`);
    expect(unread.body.conversations.every((conversation) => conversation.unreadCount > 0)).toBe(true);

    const target = body.conversations[0];
    const archived = await call<{ conversation: ConversationBody }>(patchConversation, {
      method: "PATCH",
      token: owner.token,
      params: { id: target?.id ?? "" },
      body: { isArchived: true },
    });
    expect(archived.body.conversation.isArchived).toBe(true);
    expect((await conversationsOf()).body.conversations.map((conversation) => conversation.id)).not.toContain(target?.id);
    expect((await conversationsOf("?archived=true")).body.conversations.map((conversation) => conversation.id)).toEqual([
      target?.id,
    ]);
    await call(patchConversation, {
      method: "PATCH",
      token: owner.token,
      params: { id: target?.id ?? "" },
      body: { isArchived: false },
    });
  });

  it("counts conversations and unread ones per platform for the selector", async () => {
    const { body } = await call<{
      platforms: { platform: string; conversations: number; unread: number }[];
      totalUnread: number;
    }>(summary, { token: owner.token });
    expect(body.platforms.map((entry) => entry.platform).sort()).toEqual(["instagram", "messenger", "whatsapp"]);
    expect(body.totalUnread).toBe(body.platforms.reduce((sum, entry) => sum + entry.unread, 0));
  });

  it("answers 400 for a limit outside 1..100, a bad cursor and an unknown platform", async () => {
    expect((await conversationsOf("?limit=0")).status).toBe(400);
    expect((await conversationsOf("?limit=101")).status).toBe(400);
    expect((await conversationsOf("?cursor=not-ours")).body.error.code).toBe("bad_request");
    expect((await conversationsOf("?platform=telegram")).status).toBe(400);
  });
});

describe("reading", () => {
  it("clears the unread count, tells the platform, and reports per message", async () => {
    const writes = await customerActs(meta, { platform: "whatsapp", text: "Hello?", customer: "34600100102" });
    await customerActs(meta, { platform: "whatsapp", text: "Anyone there?", customer: writes.customerId });
    const conversation = await conversationWith("whatsapp", writes.customerId);
    expect(conversation.unreadCount).toBe(2);

    const read = await call<{ conversation: ConversationBody }>(readConversation, {
      method: "POST",
      token: owner.token,
      params: { id: conversation.id },
    });
    expect(read.status).toBe(200);
    expect(read.body.conversation.unreadCount).toBe(0);
    await (await inlineJobs()).idle();
    const told = (await sentThroughMeta()).filter((record) => record.platform === "whatsapp" && record.request.status === "read");
    expect(told.length).toBeGreaterThan(0);

    await customerActs(meta, { platform: "whatsapp", text: "One more", customer: writes.customerId });
    const thread = await call<{ messages: MessageBody[] }>(threadMessages, {
      token: owner.token,
      params: { id: conversation.id },
    });
    // WhatsApp stamps whole seconds: find the message by content, not by position.
    const newest = thread.body.messages.find((message) => message.text === "One more");
    const one = await call<{ message: MessageBody & { isRead: boolean } }>(readMessage, {
      method: "PATCH",
      token: owner.token,
      params: { id: newest?.id ?? "" },
    });
    expect(one.body.message.isRead).toBe(true);
    expect((await conversationWith("whatsapp", writes.customerId)).unreadCount).toBe(0);
  });
});

describe("sending", () => {
  it("sends text inside the window: 201 once Meta accepted, the call recorded, statuses advancing by webhook", async () => {
    const writes = await customerActs(meta, {
      platform: "messenger",
      text: "What time do you open?",
      customer: "24016000000000102",
    });
    const conversation = await conversationWith("messenger", writes.customerId);
    const result = await call<{ message: MessageBody }>(sendMessage, {
      token: owner.token,
      body: { conversationId: conversation.id, text: "We open at 7 — see you! ☀️" },
    });
    expect(result.status).toBe(201);
    expect(result.body.message).toMatchObject({
      direction: "outgoing",
      status: "sent",
      sentFrom: "chats",
      text: "We open at 7 — see you! ☀️",
    });
    expect(result.body.message.externalId).toBeTruthy();

    const recorded = (await sentThroughMeta()).filter((record) => record.platform === "messenger" && "message" in record.request);
    expect(recorded.at(-1)?.request).toMatchObject({
      recipient: { id: writes.customerId },
      message: { text: "We open at 7 — see you! ☀️" },
    });

    await meta.settle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await meta.settle();
    const stored = await call<{ message: MessageBody }>(getMessage, {
      token: owner.token,
      params: { id: result.body.message.id },
    });
    expect(["delivered", "read"]).toContain(stored.body.message.status);
    // The echo of our own send was recognised, not stored twice.
    const thread = await call<{ messages: MessageBody[] }>(threadMessages, {
      token: owner.token,
      params: { id: conversation.id },
    });
    expect(thread.body.messages.filter((message) => message.text === "We open at 7 — see you! ☀️")).toHaveLength(1);
    expect((await conversationWith("messenger", writes.customerId)).unreadCount).toBe(0);
  });

  it("refuses free text outside the 24-hour window with 422, but sends a WhatsApp template", async () => {
    const conversation = await createConversation(accounts.whatsapp, {
      contact: undefined,
      lastIncomingAt: new Date(Date.now() - 30 * 3600_000),
      lastMessageAt: new Date(Date.now() - 30 * 3600_000),
    });
    await getDb()
      .update(conversations)
      .set({ lastIncomingAt: new Date(Date.now() - 30 * 3600_000) })
      .where(eq(conversations.id, conversation.id));
    // The sandbox must know this customer for the template to be deliverable.
    await getDb().execute(sql`update contacts set external_id = '97150100105' where id = ${conversation.contactId}`);

    const text = await call<ErrorBody>(sendMessage, {
      token: owner.token,
      body: { conversationId: conversation.id, text: "Hi again!" },
    });
    expect(text.status).toBe(422);
    expect(text.body.error.code).toBe("outside_messaging_window");
    expect(text.body.error.message).toMatch(/template/);

    const template = await call<{ message: MessageBody }>(sendMessage, {
      token: owner.token,
      body: {
        conversationId: conversation.id,
        template: {
          name: "order_ready",
          language: "en_US",
          components: [
            {
              type: "body",
              parameters: [
                { type: "text", text: "Ana" },
                { type: "text", text: "#42" },
              ],
            },
          ],
        },
      },
    });
    expect(template.status).toBe(201);
    expect(template.body.message).toMatchObject({ type: "template", status: "sent" });
    const recorded = (await sentThroughMeta()).filter(
      (record) => record.platform === "whatsapp" && record.request.type === "template",
    );
    expect(recorded.at(-1)?.request).toMatchObject({ template: { name: "order_ready", language: { code: "en_US" } } });

    const listed = await call<{ templates: { name: string; parameters: number }[] }>(templates, {
      token: owner.token,
      params: { id: accounts.whatsapp.id },
    });
    expect(listed.body.templates).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "order_ready", parameters: 2 })]),
    );
  });

  it("keeps a send Meta could not take as failed (502), retries it on request, and answers 422 for a refusal", async () => {
    const writes = await customerActs(meta, {
      platform: "instagram",
      text: "Is the oat milk vegan?",
      customer: "17849000000000203",
    });
    const conversation = await conversationWith("instagram", writes.customerId);
    await injectFailure(meta, { kind: "server_error", count: 1, status: 503 });
    const failed = await call<ErrorBody & { error: { details: { messageId: string } } }>(sendMessage, {
      token: owner.token,
      body: { conversationId: conversation.id, text: "Yes, it is!" },
    });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe("platform_unavailable");
    const stored = await call<{ message: MessageBody }>(getMessage, {
      token: owner.token,
      params: { id: failed.body.error.details.messageId },
    });
    expect(stored.body.message).toMatchObject({ status: "failed", error: { code: "platform_unavailable" } });

    const retried = await call<{ message: MessageBody }>(retryMessage, {
      method: "POST",
      token: owner.token,
      params: { id: stored.body.message.id },
    });
    expect(retried.status).toBe(201);
    expect(retried.body.message.status).toBe("sent");
    expect(
      (await call<ErrorBody>(retryMessage, { method: "POST", token: owner.token, params: { id: stored.body.message.id } }))
        .status,
    ).toBe(409);

    await injectFailure(meta, { kind: "outside_window", count: 1 });
    const refused = await call<ErrorBody>(sendMessage, {
      token: owner.token,
      body: { conversationId: conversation.id, text: "Still there?" },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("outside_messaging_window");
  });

  it("answers 400 for malformed sends and 404 for another workspace's conversation", async () => {
    const stranger = await createAccount();
    const { body } = await conversationsOf();
    const id = body.conversations[0]?.id ?? "";
    expect((await call(sendMessage, { token: owner.token, body: { conversationId: id } })).status).toBe(400);
    expect((await call(sendMessage, { token: owner.token, body: { conversationId: id, text: "" } })).status).toBe(400);
    expect(
      (
        await call(sendMessage, {
          token: owner.token,
          body: { conversationId: id, attachment: { type: "image", url: "ftp://x" } },
        })
      ).status,
    ).toBe(400);
    expect((await call(sendMessage, { token: stranger.token, body: { conversationId: id, text: "hi" } })).status).toBe(404);
  });
});

describe("threads and search", () => {
  it("pages a thread newest first without gaps or repeats while messages keep arriving", async () => {
    const conversation = await createConversation(accounts.messenger, { lastMessageAt: new Date() });
    const base = Date.now() - 3600_000;
    for (let i = 0; i < 25; i++) await createMessage(conversation, { text: `message ${i}`, sentAt: new Date(base + i * 1000) });
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: { body: { messages: MessageBody[]; nextCursor: string | null } } = await call(threadMessages, {
        token: owner.token,
        params: { id: conversation.id },
        path: `/api/conversations/${conversation.id}/messages?limit=10${cursor ? `&cursor=${cursor}` : ""}`,
      });
      seen.push(...page.body.messages.map((message) => message.text ?? ""));
      cursor = page.body.nextCursor;
      // New messages land at the top while we page down: they must not disturb the pages below.
      await createMessage(conversation, { text: `late ${round++}`, sentAt: new Date() });
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `message ${24 - i}`));
  });

  it("pages the conversation list without repeats while new conversations arrive", async () => {
    const other = await createAccount();
    const account = (await connectSandboxAccounts(meta, other.workspace.id).catch(() => null)) ?? null;
    const platform =
      account?.messenger ?? (await (await import("./factories/messaging")).createPlatformAccount(other.workspace.id));
    const base = Date.now() - 7200_000;
    for (let i = 0; i < 12; i++) await createConversation(platform, { lastMessageAt: new Date(base + i * 60_000) });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { conversations: ConversationBody[]; nextCursor: string | null } } = await call(listConversations, {
        token: other.token,
        path: `/api/conversations?limit=5${cursor ? `&cursor=${cursor}` : ""}`,
      });
      ids.push(...page.body.conversations.map((conversation) => conversation.id));
      cursor = page.body.nextCursor;
      await createConversation(platform, { lastMessageAt: new Date() });
    } while (cursor);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it("finds messages by words, English stems and non-English words, best match first", async () => {
    const conversation = await createConversation(accounts.whatsapp, { lastMessageAt: new Date() });
    await createMessage(conversation, { text: "My order was delivered to the wrong address" });
    await createMessage(conversation, { text: "Ordering two flat whites for pickup" });
    await createMessage(conversation, { text: "Wo ist meine Bestellung? Grüße aus München" });
    await createMessage(conversation, { text: "unrelated chatter about weather" });
    const search = async (q: string) =>
      (
        await call<{ messages: MessageBody[] }>(searchMessages, {
          token: owner.token,
          path: `/api/messages?q=${encodeURIComponent(q)}&conversationId=${conversation.id}`,
        })
      ).body.messages.map((message) => message.text);
    expect(await search("orders")).toEqual(
      expect.arrayContaining(["My order was delivered to the wrong address", "Ordering two flat whites for pickup"]),
    );
    expect(await search("Bestellung")).toEqual(["Wo ist meine Bestellung? Grüße aus München"]);
    expect(await search("münchen")).toEqual(["Wo ist meine Bestellung? Grüße aus München"]);
    expect((await search("wrong address"))[0]).toBe("My order was delivered to the wrong address");
    expect(await search("refund")).toEqual([]);

    const list = await conversationsOf(`?q=${encodeURIComponent("Bestellung")}`);
    expect(list.body.conversations.map((item) => item.id)).toContain(conversation.id);
  });

  it("filters messages by direction, platform and time, and validates dates", async () => {
    const since = new Date(Date.now() - 3600_000).toISOString();
    const { body } = await call<{ messages: MessageBody[] }>(searchMessages, {
      token: owner.token,
      path: `/api/messages?direction=outgoing&since=${since}&platform=messenger`,
    });
    expect(body.messages.length).toBeGreaterThan(0);
    expect(body.messages.every((message) => message.direction === "outgoing")).toBe(true);
    expect((await call(searchMessages, { token: owner.token, path: "/api/messages?since=yesterday" })).status).toBe(400);
    expect(
      (
        await call(searchMessages, {
          token: owner.token,
          path: `/api/messages?since=${new Date().toISOString()}&until=2020-01-01T00:00:00Z`,
        })
      ).status,
    ).toBe(400);
  });

  it("lists a page with a constant number of queries, whatever its size", async () => {
    const pool = getPool();
    const spy = vi.spyOn(pool, "query");
    await conversationsOf("?limit=2");
    const small = spy.mock.calls.length;
    spy.mockClear();
    await conversationsOf("?limit=100");
    const large = spy.mock.calls.length;
    spy.mockRestore();
    expect(large).toBe(small);
  });
});

describe("tenancy", () => {
  it("answers 404 to another workspace for every conversation and message route, and 401 without credentials", async () => {
    const stranger = await createAccount();
    const { body } = await conversationsOf();
    const conversationId = body.conversations[0]?.id ?? "";
    const [message] = await getDb().select().from(messages).where(eq(messages.conversationId, conversationId)).limit(1);
    const messageId = message?.id ?? "";
    const as = { token: stranger.token };
    expect((await call(getConversation, { ...as, params: { id: conversationId } })).status).toBe(404);
    expect(
      (await call(patchConversation, { ...as, method: "PATCH", params: { id: conversationId }, body: { isArchived: true } }))
        .status,
    ).toBe(404);
    expect((await call(readConversation, { ...as, method: "POST", params: { id: conversationId } })).status).toBe(404);
    expect((await call(threadMessages, { ...as, params: { id: conversationId } })).status).toBe(404);
    expect((await call(getMessage, { ...as, params: { id: messageId } })).status).toBe(404);
    expect((await call(readMessage, { ...as, method: "PATCH", params: { id: messageId } })).status).toBe(404);
    expect((await call(retryMessage, { ...as, method: "POST", params: { id: messageId } })).status).toBe(404);
    expect((await call(templates, { ...as, params: { id: accounts.whatsapp.id } })).status).toBe(404);
    expect((await call<{ conversations: unknown[] }>(listConversations, as)).body.conversations).toEqual([]);
    expect((await call<{ messages: unknown[] }>(searchMessages, as)).body.messages).toEqual([]);
    expect((await call(listConversations)).status).toBe(401);
    expect((await call(getConversation, { params: { id: conversationId } })).status).toBe(401);
  });
});

describe("media and contacts", () => {
  it("copies incoming media into storage and serves it to members only", async () => {
    const { GET: media } = await import("@/app/api/media/[messageId]/[index]/route");
    const sent = await customerActs(meta, {
      platform: "whatsapp",
      kind: "image",
      text: "Is this the right bag?",
      customer: "4915100100103",
    });
    await (await inlineJobs()).idle();
    const conversation = await conversationWith("whatsapp", sent.customerId);
    const thread = await call<{
      messages: (MessageBody & { attachments: { type: string; url: string | null; mimeType: string | null }[] })[];
    }>(threadMessages, {
      token: owner.token,
      params: { id: conversation.id },
    });
    const image = thread.body.messages.find((message) => message.type === "image");
    expect(image?.text).toBe("Is this the right bag?");
    expect(image?.attachments[0]?.url).toBe(`/api/media/${image?.id}/0`);

    const response = await call(media, { token: owner.token, params: { messageId: image?.id ?? "", index: "0" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\//);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.text.length).toBeGreaterThan(0);

    const stranger = await createAccount();
    expect((await call(media, { token: stranger.token, params: { messageId: image?.id ?? "", index: "0" } })).status).toBe(404);
    expect((await call(media, { token: owner.token, params: { messageId: image?.id ?? "", index: "7" } })).status).toBe(404);
  });

  it("fetches a new Messenger customer's name from the profile API", async () => {
    const sent = await customerActs(meta, { platform: "messenger", text: "Hi!", customer: "24016000000000104" });
    await (await inlineJobs()).idle();
    const conversation = await conversationWith("messenger", sent.customerId);
    expect(conversation.participant.name).toBe("Omar Haddad");
  });
});
