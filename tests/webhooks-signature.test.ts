import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as listConversationsRoute } from "@/app/api/conversations/route";
import { GET as searchMessagesRoute } from "@/app/api/messages/route";
import { GET as verifyRoute, POST as receiveRoute } from "@/app/api/webhooks/[platform]/route";
import { getDb } from "@/db/client";
import { messages, webhookEvents } from "@/db/schema";
import type { ConversationDto, MessageDto } from "@/lib/messaging/serialize";
import type * as Jobs from "@/lib/jobs";
import { createAccount, type TestAccount } from "./factories/accounts";
import { createPlatformAccount } from "./factories/messaging";
import { fixtureIds, fixturePayload } from "./fixtures/webhooks/load";
import { call } from "./support/api";
import { deliver, metaSerialize, processed, sign } from "./support/webhooks";

// The HTTP contract of POST/GET /api/webhooks/{platform}: signatures over the exact bytes Meta
// sent, the refusals (401, 400, 413, 404) and the subscription handshake.

// Env is parsed once, on first use: the Instagram app secret must be in place before anything reads it.
const INSTAGRAM_SECRET = vi.hoisted(() => {
  const secret = "instagram-app-secret-0123456789";
  process.env.INSTAGRAM_APP_SECRET = secret;
  return secret;
});

vi.mock("@/lib/jobs", async (original) => ({
  ...(await original<typeof Jobs>()),
  sendJob: vi.fn(async () => undefined),
}));

const PSID = "7000000000000042";
const UNICODE_TEXT = 'Crème brûlée à 10 € — 👍🏽🧑‍🚀 مرحبا עברית «ok» https://example.com/a/b?c=1 \\ "quoted" 中文';

let owner: TestAccount;

function messengerText(mid: string, text: string, timestamp = 1793700000000) {
  return {
    object: "page",
    entry: [
      {
        id: fixtureIds.messengerPageId,
        time: timestamp + 500,
        messaging: [
          {
            sender: { id: PSID },
            recipient: { id: fixtureIds.messengerPageId },
            timestamp,
            message: { mid, text },
          },
        ],
      },
    ],
  };
}

async function post(platform: string, body: string | Buffer, headers: Record<string, string>) {
  return call<{ received?: boolean; id?: string; error?: { code: string; message: string } }>(receiveRoute, {
    method: "POST",
    path: `/api/webhooks/${platform}`,
    rawBody: body,
    headers: { "content-type": "application/json", ...headers },
    params: { platform },
  });
}

async function storedMessages(): Promise<MessageDto[]> {
  const result = await call<{ messages: MessageDto[] }>(searchMessagesRoute, {
    token: owner.token,
    path: "/api/messages?limit=100",
  });
  expect(result.status).toBe(200);
  return result.body.messages;
}

async function eventCount(): Promise<number> {
  return (await getDb().select({ id: webhookEvents.id }).from(webhookEvents)).length;
}

beforeAll(async () => {
  owner = await createAccount();
  await createPlatformAccount(owner.workspace.id, {
    platform: "messenger",
    externalId: fixtureIds.messengerPageId,
    name: "Bistro",
  });
  await createPlatformAccount(owner.workspace.id, {
    platform: "instagram",
    externalId: fixtureIds.instagramAccountId,
    name: "IG",
  });
  await createPlatformAccount(owner.workspace.id, {
    platform: "whatsapp",
    externalId: fixtureIds.whatsappPhoneNumberId,
    name: "+1 555-010-0001",
  });
});

describe("signatures over the raw bytes", () => {
  it("verifies a non-ASCII body over Meta's escaped bytes and stores the original Unicode text", async () => {
    const body = metaSerialize(messengerText("m_sig-unicode-1", UNICODE_TEXT));
    // Meta's serialization: every non-ASCII character escaped (emoji as surrogate pairs), "/" as "\/".
    expect(body).toContain("Cr\\u00e8me");
    expect(body).toContain("\\ud83d\\udc4d\\ud83c\\udffd");
    expect(body).toContain("https:\\/\\/example.com\\/a\\/b");
    expect(body).not.toContain("è");

    const answer = await post("messenger", body, { "x-hub-signature-256": sign(body) });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ received: true, id: expect.any(String) as string });
    const event = await processed(answer.body.id ?? "");
    expect(event).toMatchObject({ status: "processed", signatureOk: true, rawBody: body });

    const stored = (await storedMessages()).find((message) => message.externalId === "m_sig-unicode-1");
    expect(stored?.text).toBe(UNICODE_TEXT);
    expect(Buffer.from(stored?.text ?? "").equals(Buffer.from(UNICODE_TEXT))).toBe(true);
  });

  it("accepts the same content serialized as plain UTF-8 when the signature covers those bytes, storing the same text", async () => {
    const body = JSON.stringify(messengerText("m_sig-unicode-2", UNICODE_TEXT, 1793700001000));
    expect(body).toContain("Crème");
    const answer = await post("messenger", body, { "x-hub-signature-256": sign(body) });
    expect(answer.status).toBe(200);
    expect((await processed(answer.body.id ?? "")).status).toBe("processed");
    const stored = (await storedMessages()).find((message) => message.externalId === "m_sig-unicode-2");
    expect(stored?.text).toBe(UNICODE_TEXT);
  });

  it("refuses Meta's escaped bytes signed over a re-serialization of them: the signature is checked on the bytes received", async () => {
    const payload = messengerText("m_sig-reserialized", UNICODE_TEXT, 1793700002000);
    const answer = await post("messenger", metaSerialize(payload), { "x-hub-signature-256": sign(JSON.stringify(payload)) });
    expect(answer.status).toBe(401);
    expect((await storedMessages()).map((message) => message.externalId)).not.toContain("m_sig-reserialized");
  });

  it("answers 401 to a bad signature, keeps a rejected excerpt, and processes nothing", async () => {
    const body = metaSerialize(messengerText("m_sig-bad", "forged", 1793700003000));
    const before = await eventCount();
    const answer = await post("messenger", body, { "x-hub-signature-256": sign(body, "not-the-app-secret-at-all") });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: "invalid_signature", message: expect.any(String) as string });
    expect(await eventCount()).toBe(before + 1);
    const [refused] = await getDb().select().from(webhookEvents).where(eq(webhookEvents.rawBody, body));
    expect(refused).toMatchObject({ status: "rejected", signatureOk: false, attempts: 0, workspaceIds: [] });
    expect(refused?.error).toMatch(/signature/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stored = await getDb().select().from(messages).where(eq(messages.externalId, "m_sig-bad"));
    expect(stored).toEqual([]);
  });

  it("answers 401 when the X-Hub-Signature-256 header is missing", async () => {
    const answer = await deliver("messenger", messengerText("m_sig-none", "no header"), { signature: null });
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe("invalid_signature");
  });

  it("answers 401 to the legacy sha1 X-Hub-Signature alone, even when it is right", async () => {
    const body = metaSerialize(messengerText("m_sig-sha1", "legacy", 1793700004000));
    const sha1 = `sha1=${createHmac("sha1", process.env.META_APP_SECRET ?? "")
      .update(body)
      .digest("hex")}`;
    const answer = await post("messenger", body, { "x-hub-signature": sha1 });
    expect(answer.status).toBe(401);
    // A sha1 value in the sha256 header is refused too.
    expect((await post("messenger", body, { "x-hub-signature-256": sha1 })).status).toBe(401);
  });

  it("accepts Instagram events signed with INSTAGRAM_APP_SECRET or the Meta app secret, and only Instagram's", async () => {
    const body = metaSerialize(fixturePayload("instagram", "text"));
    const withInstagramSecret = await post("instagram", body, { "x-hub-signature-256": sign(body, INSTAGRAM_SECRET) });
    expect(withInstagramSecret.status).toBe(200);
    expect((await processed(withInstagramSecret.body.id ?? "")).status).toBe("processed");
    const withMetaSecret = await post("instagram", body, { "x-hub-signature-256": sign(body) });
    expect(withMetaSecret.status).toBe(200);
    // Messenger is signed by the Meta app only.
    const messengerBody = metaSerialize(messengerText("m_sig-ig-secret", "wrong app", 1793700005000));
    expect(
      (await post("messenger", messengerBody, { "x-hub-signature-256": sign(messengerBody, INSTAGRAM_SECRET) })).status,
    ).toBe(401);
    // The redelivery did not duplicate the message.
    const instagram = (await storedMessages()).filter((message) => message.externalId === "aWdfZAG1fixture-text-0001");
    expect(instagram).toHaveLength(1);
  });
});

describe("refused bodies", () => {
  it("answers 400 with the error envelope to malformed JSON that is correctly signed", async () => {
    const body = '{"object":"page","entry":[{"id":"106100000000001",';
    const answer = await post("messenger", body, { "x-hub-signature-256": sign(body) });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: "invalid_json", message: expect.any(String) as string } });
    const [stored] = await getDb().select().from(webhookEvents).where(eq(webhookEvents.rawBody, body));
    expect(stored).toMatchObject({ status: "rejected", signatureOk: true });
  });

  it("answers 413 to a body of 4 MiB and one byte", async () => {
    const body = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const answer = await post("whatsapp", body, { "x-hub-signature-256": sign(body) });
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe("payload_too_large");
  });

  it("accepts a 3 MB WhatsApp body, keeping its unknown fields in the stored event", async () => {
    const payload = structuredClone(fixturePayload("whatsapp", "text")) as {
      entry: { changes: { value: Record<string, unknown> }[] }[];
    };
    const value = payload.entry[0]?.changes[0]?.value;
    if (!value) throw new Error("fixture shape changed");
    // A field this version of the API does not know, large enough to bring the body to ~3 MB.
    value.x_future_field = "ação ".repeat(210_000);
    const body = metaSerialize(payload);
    expect(body.length).toBeGreaterThan(3_000_000);
    expect(body.length).toBeLessThan(4 * 1024 * 1024);
    const answer = await post("whatsapp", body, { "x-hub-signature-256": sign(body) });
    expect(answer.status).toBe(200);
    const event = await processed(answer.body.id ?? "");
    expect(event.status).toBe("processed");
    expect(event.rawBody).toBe(body);
    expect((await storedMessages()).find((message) => message.externalId === "wamid.WFX_TEXT_0001")?.text).toBe(
      "Olá! Vocês entregam em Lisboa? 🚚",
    );
  });

  it("answers 404 to a platform that is not Meta's", async () => {
    const body = metaSerialize(messengerText("m_sig-telegram", "hi"));
    expect((await post("telegram", body, { "x-hub-signature-256": sign(body) })).status).toBe(404);
    const verify = await call(verifyRoute, {
      path: "/api/webhooks/telegram?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1",
      params: { platform: "telegram" },
    });
    expect(verify.status).toBe(404);
  });

  it("stores a redelivered event again and answers 200, without a second message or unread count", async () => {
    const payload = messengerText("m_sig-redelivered", "Once only", 1793700006000);
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await deliver("messenger", payload);
      expect(answer.status).toBe(200);
      await processed(answer.body.id ?? "");
    }
    expect((await storedMessages()).filter((message) => message.externalId === "m_sig-redelivered")).toHaveLength(1);
    const list = await call<{ conversations: ConversationDto[] }>(listConversationsRoute, {
      token: owner.token,
      path: "/api/conversations",
    });
    const conversation = list.body.conversations.find((candidate) => candidate.participant.externalId === PSID);
    // m_sig-unicode-1, m_sig-unicode-2 and this one.
    expect(conversation?.unreadCount).toBe(3);
  });
});

describe("GET subscription handshake", () => {
  it("echoes hub.challenge as text/plain for our verify token", async () => {
    const answer = await call(verifyRoute, {
      path: "/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444",
      params: { platform: "whatsapp" },
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("1158201444");
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("answers 403 to a wrong verify token or another mode", async () => {
    const wrong = await call(verifyRoute, {
      path: "/api/webhooks/messenger?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=ch4ll3nge",
      params: { platform: "messenger" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toContain("ch4ll3nge");
    const mode = await call(verifyRoute, {
      path: "/api/webhooks/instagram?hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1",
      params: { platform: "instagram" },
    });
    expect(mode.status).toBe(403);
  });
});
