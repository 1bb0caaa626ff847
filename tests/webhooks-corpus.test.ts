import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as listConversationsRoute } from "@/app/api/conversations/route";
import { GET as threadRoute } from "@/app/api/conversations/[id]/messages/route";
import { GET as searchMessagesRoute } from "@/app/api/messages/route";
import { GET as getMessageRoute } from "@/app/api/messages/[id]/route";
import type { PlatformAccount, WebhookEvent } from "@/db/schema";
import { sendJob } from "@/lib/jobs";
import type { ConversationDto, MessageDto } from "@/lib/messaging/serialize";
import type * as Jobs from "@/lib/jobs";
import { createAccount, type TestAccount } from "./factories/accounts";
import { createContact, createConversation, createMessage, createPlatformAccount } from "./factories/messaging";
import { fixtureIds, fixturePayload, listFixtures, loadFixture, type FixturePlatform } from "./fixtures/webhooks/load";
import { call } from "./support/api";
import { deliver, deliverAndProcess, processed } from "./support/webhooks";

// The whole fixture corpus replayed signed through the real webhook route, in the order of the
// events' own timestamps, and what it produced read back through the public API only.

// Follow-up jobs (copying media, fetching profile names) would reach for Meta; they have their own
// tests. Here they are recorded, not run, so the stored state is exactly what ingest wrote.
vi.mock("@/lib/jobs", async (original) => ({
  ...(await original<typeof Jobs>()),
  sendJob: vi.fn(async () => undefined),
}));

const PLATFORMS: FixturePlatform[] = ["messenger", "instagram", "whatsapp"];
const PSID1 = "7000000000000001";
const PSID2 = "7000000000000002";
const IGSID1 = "7100000000000001";
const IGSID2 = "7100000000000002";
const IGSID3 = "7100000000000003";
const INES = "15550200001";
const ms = (value: number) => new Date(value).toISOString();
const seconds = (value: number) => new Date(value * 1000).toISOString();

/** The earliest timestamp in a payload (Messenger/Instagram in ms, WhatsApp in s), for chronological replay. */
function firstTimestamp(payload: unknown): number {
  let first = Number.POSITIVE_INFINITY;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        if ((key === "timestamp" || key === "time") && (typeof child === "number" || typeof child === "string")) {
          const value = Number(child);
          first = Math.min(first, value < 1e12 ? value * 1000 : value);
        } else walk(child);
      }
    }
  };
  walk(payload);
  return first;
}

const corpus = PLATFORMS.flatMap((platform) => listFixtures(platform).map((kind) => ({ platform, kind })));
const chronological = [...corpus].sort(
  (a, b) => firstTimestamp(fixturePayload(a.platform, a.kind)) - firstTimestamp(fixturePayload(b.platform, b.kind)),
);

let owner: TestAccount;
const accounts = {} as Record<FixturePlatform, PlatformAccount>;
const events = new Map<string, WebhookEvent>();
/** The business's own earlier WhatsApp sends through Chats, which the corpus's statuses, replies and reactions name. */
const ourSends = new Map<string, string>();

async function conversations(): Promise<ConversationDto[]> {
  const all: ConversationDto[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { conversations: ConversationDto[]; nextCursor: string | null } } = await call(
      listConversationsRoute,
      { token: owner.token, path: `/api/conversations?limit=100${cursor ? `&cursor=${cursor}` : ""}` },
    );
    expect(page.status).toBe(200);
    all.push(...page.body.conversations);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

async function conversationWith(platform: FixturePlatform, participant: string): Promise<ConversationDto> {
  const found = (await conversations()).find(
    (conversation) => conversation.platform === platform && conversation.participant.externalId === participant,
  );
  if (!found) throw new Error(`no ${platform} conversation with ${participant}`);
  return found;
}

async function thread(conversationId: string): Promise<MessageDto[]> {
  const result = await call<{ messages: MessageDto[]; nextCursor: string | null }>(threadRoute, {
    token: owner.token,
    path: `/api/conversations/${conversationId}/messages?limit=100`,
    params: { id: conversationId },
  });
  expect(result.status).toBe(200);
  expect(result.body.nextCursor).toBeNull();
  return result.body.messages;
}

async function allMessages(platform: FixturePlatform): Promise<MessageDto[]> {
  const all: MessageDto[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { messages: MessageDto[]; nextCursor: string | null } } = await call(
      searchMessagesRoute,
      { token: owner.token, path: `/api/messages?platform=${platform}&limit=100${cursor ? `&cursor=${cursor}` : ""}` },
    );
    expect(page.status).toBe(200);
    all.push(...page.body.messages);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

/** One message by its platform id, read through GET /api/messages/{id}. */
async function message(platform: FixturePlatform, externalId: string): Promise<MessageDto> {
  const found = (await allMessages(platform)).find((candidate) => candidate.externalId === externalId);
  if (!found) throw new Error(`no ${platform} message ${externalId}`);
  const result = await call<{ message: MessageDto }>(getMessageRoute, {
    token: owner.token,
    path: `/api/messages/${found.id}`,
    params: { id: found.id },
  });
  expect(result.status).toBe(200);
  return result.body.message;
}

function fixtureEvent(platform: FixturePlatform, kind: string): WebhookEvent {
  const event = events.get(`${platform}/${kind}`);
  if (!event) throw new Error(`fixture ${platform}/${kind} was not replayed`);
  return event;
}

beforeAll(async () => {
  owner = await createAccount();
  accounts.messenger = await createPlatformAccount(owner.workspace.id, {
    platform: "messenger",
    externalId: fixtureIds.messengerPageId,
    pageId: fixtureIds.messengerPageId,
    name: "Bistro",
  });
  accounts.instagram = await createPlatformAccount(owner.workspace.id, {
    platform: "instagram",
    externalId: fixtureIds.instagramAccountId,
    pageId: fixtureIds.messengerPageId,
    name: "bistro.ig",
  });
  accounts.whatsapp = await createPlatformAccount(owner.workspace.id, {
    platform: "whatsapp",
    externalId: fixtureIds.whatsappPhoneNumberId,
    businessAccountId: fixtureIds.whatsappBusinessAccountId,
    name: "+1 555-010-0001",
  });

  // Messages Chats sent on WhatsApp before the corpus begins (Meta answered each send with its wamid).
  const sends: [string, string, string][] = [
    [INES, "wamid.WFX_OUT_TEXT_0001", "Yes, we deliver in Lisbon."],
    [INES, "wamid.WFX_OUT_VOICE_0001", "(voice note)"],
    [INES, "wamid.WFX_OUT_TEMPLATE_0001", "Your order 42 ships tomorrow."],
    [INES, "wamid.WFX_OUT_INTERACTIVE_0001", "Confirm order 42?"],
    [INES, "wamid.WFX_OUT_LIST_0001", "Pick a slot"],
    ["15550200005", "wamid.WFX_OUT_FAILED_0001", "Are you still there?"],
    ["15550200006", "wamid.WFX_OUT_MIXED_0001", "Your parcel is on its way."],
  ];
  const threads = new Map<string, Awaited<ReturnType<typeof createConversation>>>();
  for (const [index, [customer, externalId, text]] of sends.entries()) {
    let conversation = threads.get(customer);
    if (!conversation) {
      const contact = await createContact(accounts.whatsapp, { externalId: customer, name: null });
      conversation = await createConversation(accounts.whatsapp, { contact });
      threads.set(customer, conversation);
    }
    const sent = await createMessage(conversation, {
      externalId,
      direction: "outgoing",
      text,
      status: "sent",
      sentFrom: "chats",
      sentAt: new Date(Date.parse("2026-11-04T09:00:00Z") + index * 60_000),
    });
    ourSends.set(externalId, sent.id);
  }

  for (const { platform, kind } of chronological) {
    const answer = await deliver(platform, fixturePayload(platform, kind));
    expect(answer.status, `${platform}/${kind} answered ${answer.text}`).toBe(200);
    events.set(`${platform}/${kind}`, await processed(answer.body.id ?? ""));
  }
});

describe("replaying the whole corpus signed through the webhook route", () => {
  it("covers all 75 fixtures of the three platforms", () => {
    expect(corpus).toHaveLength(75);
    expect(events.size).toBe(75);
  });

  it("processes every fixture without a failure, once, and ignores those with nothing for the inbox", () => {
    const nothingForTheInbox = [
      "messenger/standby",
      "instagram/comments-change",
      "whatsapp/account-update",
      "whatsapp/template-status-update",
      "whatsapp/errors",
    ];
    for (const [name, event] of events) {
      expect(event.signatureOk, name).toBe(true);
      expect(event.attempts, name).toBe(1);
      expect(event.error, name).toBeNull();
      expect(event.status, name).toBe(nothingForTheInbox.includes(name) ? "ignored" : "processed");
      expect(event.processedAt, name).not.toBeNull();
      expect(event.summary?.rejected, name).toEqual([]);
    }
    for (const name of nothingForTheInbox) {
      const [platform, kind] = name.split("/") as [FixturePlatform, string];
      expect(fixtureEvent(platform, kind).summary?.ignored.length, name).toBeGreaterThan(0);
    }
  });

  it("records the entries of accounts nobody connected and skips them without failing the batch", async () => {
    expect(fixtureEvent("messenger", "batched")).toMatchObject({
      status: "processed",
      summary: { unrouted: [fixtureIds.otherMessengerPageId], kinds: { message: 3, reaction: 1, watermark: 1 } },
    });
    expect(fixtureEvent("instagram", "batched")).toMatchObject({
      status: "processed",
      summary: { unrouted: [fixtureIds.otherInstagramAccountId] },
    });
    expect(fixtureEvent("whatsapp", "batched")).toMatchObject({
      status: "processed",
      summary: { unrouted: [fixtureIds.otherWhatsappPhoneNumberId] },
    });
    // What the connected accounts got from the same POSTs is there; the others' messages are not.
    expect((await message("messenger", "m_mfx-batch-0002")).text).toBe("Second");
    expect((await message("instagram", "aWdfZAG1fixture-batch-0001")).text).toBe("One");
    expect((await message("whatsapp", "wamid.WFX_BATCH_0001")).text).toBe("Primeiro número");
    const everything = [
      ...(await allMessages("messenger")),
      ...(await allMessages("instagram")),
      ...(await allMessages("whatsapp")),
    ];
    const ids = everything.map((stored) => stored.externalId);
    expect(ids).not.toContain("m_mfx-batch-other-0001");
    expect(ids).not.toContain("aWdfZAG1fixture-batch-other-0001");
    expect(ids).not.toContain("wamid.WFX_BATCH_0002");
  });

  it("stores exactly the messages of the corpus: nothing from standby, handover, comments or opt-ins", async () => {
    const messenger = (await allMessages("messenger")).map((stored) => stored.externalId).sort();
    expect(messenger).toEqual(
      [
        "m_mfx-adref-0001",
        "m_mfx-audio-0001",
        "m_mfx-batch-0001",
        "m_mfx-batch-0002",
        "m_mfx-echo-app-0001",
        "m_mfx-echo-app-0002",
        "m_mfx-echo-native-0001",
        "m_mfx-echo-native-0002",
        "m_mfx-fallback-0001",
        "m_mfx-fallback-0002",
        "m_mfx-file-0001",
        "m_mfx-image-0001",
        "m_mfx-postback-0001",
        "m_mfx-quick-0001",
        "m_mfx-reply-0001",
        "m_mfx-sticker-0001",
        "m_mfx-text-0001",
        "m_mfx-unicode-0001",
        "m_mfx-video-0001",
        "postback:7000000000000005:1793613060000:GET_STARTED",
      ].sort(),
    );
    expect(await allMessages("instagram")).toHaveLength(22);
    // 23 incoming + 2 echoes from the Business app + the 7 sends seeded above.
    expect(await allMessages("whatsapp")).toHaveLength(23 + 2 + 7);
  });

  it("asks for the media of every new attachment with a URL or media id to be copied", async () => {
    const requested = vi
      .mocked(sendJob)
      .mock.calls.filter(([name]) => name === "media/store.requested")
      .map(([, data]) => (data as { messageId: string }).messageId);
    expect(requested).toContain((await message("messenger", "m_mfx-image-0001")).id);
    expect(requested).toContain((await message("whatsapp", "wamid.WFX_DOCUMENT_0001")).id);
    expect(requested).not.toContain((await message("messenger", "m_mfx-text-0001")).id);
  });
});

describe("Messenger fixtures, as the API shows them", () => {
  it("keeps a text message with its platform time, sender and unread state", async () => {
    expect(await message("messenger", "m_mfx-text-0001")).toMatchObject({
      platform: "messenger",
      direction: "incoming",
      type: "text",
      status: "received",
      isRead: false,
      senderId: PSID1,
      sentFrom: null,
      sentAt: ms(1793610000123),
      replyToId: null,
      replyToExternalId: null,
      deletedAt: null,
    });
  });

  it("applies the customer's edit to the text and marks it edited", async () => {
    const edited = await message("messenger", "m_mfx-text-0001");
    expect(edited.text).toBe("Bonjour ! Ça coûte combien, la tarte Tatin ? 🥧");
    expect(edited.editedAt).toBe(ms(1793613600000));
  });

  it("stores a quick reply as interactive with its title as text and its payload", async () => {
    expect(await message("messenger", "m_mfx-quick-0001")).toMatchObject({
      type: "interactive",
      text: "Yes, book it 📅",
      payload: { kind: "quick_reply", payload: "BOOK_SLOT_2026-11-05T10:00" },
    });
  });

  it("stores the attachments of photos, audio, video, files, stickers and shared links with their URLs", async () => {
    const image = await message("messenger", "m_mfx-image-0001");
    expect(image.type).toBe("image");
    expect(image.attachments).toEqual([
      {
        type: "image",
        url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/fixture-photo-1.jpg?_nc_cat=1&oh=00_fixture&oe=6A000001",
        mimeType: null,
        name: null,
      },
      {
        type: "image",
        url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/fixture-photo-2.jpg?_nc_cat=1&oh=00_fixture&oe=6A000002",
        mimeType: null,
        name: null,
      },
    ]);
    for (const [id, type] of [
      ["m_mfx-audio-0001", "audio"],
      ["m_mfx-video-0001", "video"],
      ["m_mfx-file-0001", "file"],
      ["m_mfx-sticker-0001", "sticker"],
    ] as const) {
      const stored = await message("messenger", id);
      expect(stored.type, id).toBe(type);
      expect(stored.attachments, id).toHaveLength(1);
      expect(stored.attachments[0]?.type, id).toBe(type);
      expect(stored.attachments[0]?.url, id).toMatch(
        /^https:\/\/(cdn\.fbsbx\.com|scontent\.xx\.fbcdn\.net|video\.xx\.fbcdn\.net)\//,
      );
    }
    expect(await message("messenger", "m_mfx-fallback-0001")).toMatchObject({
      type: "share",
      attachments: [{ type: "fallback", url: "https://example.com/menu?lang=fr", mimeType: null, name: "Notre carte — Bistro" }],
    });
    expect(await message("messenger", "m_mfx-fallback-0002")).toMatchObject({
      type: "unsupported",
      attachments: [{ type: "fallback", url: null }],
    });
  });

  it("keeps the ad referral of a first message in its payload", async () => {
    expect((await message("messenger", "m_mfx-adref-0001")).payload).toEqual({
      referral: {
        ref: "winter-menu",
        ad_id: "120200000000001",
        source: "ADS",
        type: "OPEN_THREAD",
        ads_context_data: {
          ad_title: "Winter menu",
          photo_url: "https://scontent.xx.fbcdn.net/v/fixture-ad.jpg",
          post_id: "106100000000001_900000000000001",
        },
      },
    });
  });

  it("stores echoes of our app's sends as outgoing from Chats, and echoes from Meta's apps as native", async () => {
    expect(await message("messenger", "m_mfx-echo-app-0001")).toMatchObject({
      direction: "outgoing",
      sentFrom: "chats",
      text: "Your table is booked for 19:30 ✅",
      senderId: fixtureIds.messengerPageId,
    });
    expect(await message("messenger", "m_mfx-echo-app-0002")).toMatchObject({
      direction: "outgoing",
      sentFrom: "chats",
      type: "template",
    });
    // Business Suite (another app id) and the phone app (no app id) are both native.
    expect(await message("messenger", "m_mfx-echo-native-0001")).toMatchObject({ direction: "outgoing", sentFrom: "native" });
    expect(await message("messenger", "m_mfx-echo-native-0002")).toMatchObject({
      direction: "outgoing",
      sentFrom: "native",
      text: "Typed on the phone 📱",
    });
  });

  it("moves outgoing messages to delivered and read by the watermarks of the right customer", async () => {
    // PSID1 read up to 09:35:10: both echoes of our sends. PSID2 only got a delivery receipt.
    expect((await message("messenger", "m_mfx-echo-app-0001")).status).toBe("read");
    expect((await message("messenger", "m_mfx-echo-app-0002")).status).toBe("read");
    expect((await message("messenger", "m_mfx-echo-native-0001")).status).toBe("delivered");
    expect((await message("messenger", "m_mfx-echo-native-0002")).status).toBe("delivered");
    // Incoming messages are never given a delivery status.
    expect((await message("messenger", "m_mfx-text-0001")).status).toBe("received");
  });

  it("puts reactions on the target message and removes them when withdrawn", async () => {
    // ❤️ at 09:46 then unreact at 09:47 on the first echo; 👍 (batched) on the second.
    expect((await message("messenger", "m_mfx-echo-app-0001")).reactions).toEqual([]);
    expect((await message("messenger", "m_mfx-echo-app-0002")).reactions).toEqual([
      { emoji: "👍", from: "customer", at: ms(1793614503000) },
    ]);
  });

  it("stores postbacks as interactive messages, with a deterministic id when Meta gives none", async () => {
    expect(await message("messenger", "m_mfx-postback-0001")).toMatchObject({
      type: "interactive",
      text: "Talk to a human",
      payload: { kind: "postback", payload: "HANDOFF" },
    });
    expect(await message("messenger", "postback:7000000000000005:1793613060000:GET_STARTED")).toMatchObject({
      type: "interactive",
      text: "Get Started",
      senderId: "7000000000000005",
      payload: {
        kind: "postback",
        payload: "GET_STARTED",
        referral: { ref: "winter-promo", source: "SHORTLINK", type: "OPEN_THREAD" },
      },
    });
  });

  it("keeps the quoted message's platform id on a reply", async () => {
    expect(await message("messenger", "m_mfx-reply-0001")).toMatchObject({
      text: "Which one?",
      replyToExternalId: "m_mfx-echo-app-0001",
    });
  });

  it("keeps the conversation bookkeeping: unread incoming messages, preview, last activity and the reply window", async () => {
    const first = await conversationWith("messenger", PSID1);
    expect(first).toMatchObject({
      unreadCount: 11,
      lastMessagePreview: "Talk to a human",
      lastMessageAt: ms(1793613000000),
      lastMessageDirection: "incoming",
      // The m.me referral at 09:55 reopened the window after the last message.
      replyWindowEndsAt: ms(1793613300000 + 24 * 3600 * 1000),
      isArchived: false,
      canReply: false,
    });
    expect(await thread(first.id)).toHaveLength(13);

    const second = await conversationWith("messenger", PSID2);
    expect(second).toMatchObject({
      unreadCount: 1,
      lastMessagePreview: "Typed on the phone 📱",
      lastMessageDirection: "outgoing",
      replyWindowEndsAt: ms(1793613330000 + 24 * 3600 * 1000),
    });
    // A conversation only shows once it has a message: the opt-in's customer has none.
    const participants = (await conversations()).map((conversation) => conversation.participant.externalId);
    expect(participants).not.toContain("7000000000000006");
  });
});

describe("Instagram fixtures, as the API shows them", () => {
  it("stores text with its flag emoji and the customer's unsend as a deletion that keeps the row", async () => {
    expect(await message("instagram", "aWdfZAG1fixture-text-0001")).toMatchObject({
      type: "text",
      direction: "incoming",
      text: null,
      sentAt: ms(1793692800250),
      deletedAt: ms(1793696100000),
      attachments: [],
      payload: null,
    });
  });

  it("stores images, videos, audio and files as typed messages with their attachments", async () => {
    for (const type of ["image", "video", "audio", "file"] as const) {
      expect(await message("instagram", `aWdfZAG1fixture-${type}-0001`)).toMatchObject({
        type,
        attachments: [
          {
            type,
            url: `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=fixture-${type}&signature=x`,
            mimeType: null,
            name: null,
          },
        ],
      });
    }
  });

  it("stores shared posts and reels as shares, reels with their title", async () => {
    expect(await message("instagram", "aWdfZAG1fixture-share-0001")).toMatchObject({ type: "share", text: null });
    expect((await message("instagram", "aWdfZAG1fixture-igreel-0001")).attachments).toEqual([
      {
        type: "share",
        url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=fixture-reel-1&signature=x",
        mimeType: null,
        name: "Our kitchen at 7am 🍳",
      },
    ]);
  });

  it("stores story mentions with the story and story replies with the story in the payload", async () => {
    expect(await message("instagram", "aWdfZAG1fixture-mention-0001")).toMatchObject({
      type: "story_mention",
      attachments: [
        { type: "story", url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=fixture-story-mention&signature=x" },
      ],
    });
    expect(await message("instagram", "aWdfZAG1fixture-storyreply-0001")).toMatchObject({
      type: "text",
      text: "Where is this? 😍",
      replyToId: null,
      replyToExternalId: null,
      payload: {
        story: {
          url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=fixture-story&signature=x",
          id: "17900000000000001",
        },
      },
    });
  });

  it("stores quick replies, postbacks and product referrals with their payloads", async () => {
    expect(await message("instagram", "aWdfZAG1fixture-quick-0001")).toMatchObject({
      type: "interactive",
      text: "Size M",
      payload: { kind: "quick_reply", payload: "SIZE_M" },
    });
    expect(await message("instagram", "aWdfZAG1fixture-postback-0001")).toMatchObject({
      type: "interactive",
      text: "Opening hours?",
      payload: { kind: "postback", payload: "ICEBREAKER_HOURS" },
    });
    expect((await message("instagram", "aWdfZAG1fixture-product-0001")).payload).toEqual({
      referral: { product: { id: "7000000000000777" } },
    });
  });

  it("stores what the API cannot show as unsupported messages", async () => {
    expect(await message("instagram", "aWdfZAG1fixture-unsupported-0001")).toMatchObject({ type: "unsupported", text: null });
    expect(await message("instagram", "aWdfZAG1fixture-unsupatt-0001")).toMatchObject({
      type: "unsupported",
      attachments: [{ type: "unsupported", url: null }],
    });
    expect(await message("instagram", "aWdfZAG1fixture-fallback-0001")).toMatchObject({
      type: "share",
      attachments: [{ type: "fallback", url: "https://example.com/lookbook", name: "Lookbook" }],
    });
  });

  it("tells our app's echoes from the Instagram app's, and marks each read by the seen event that names it", async () => {
    expect(await message("instagram", "aWdfZAG1fixture-echo-app-0001")).toMatchObject({
      direction: "outgoing",
      sentFrom: "chats",
      text: "We ship to the Canaries in 3–5 days 📦",
      status: "read",
      reactions: [],
    });
    expect(await message("instagram", "aWdfZAG1fixture-echo-native-0001")).toMatchObject({
      direction: "outgoing",
      sentFrom: "native",
      type: "image",
      status: "read",
    });
  });

  it("keeps the quoted message's platform id on a reply", async () => {
    expect(await message("instagram", "aWdfZAG1fixture-reply-0001")).toMatchObject({
      text: "This one please",
      replyToExternalId: "aWdfZAG1fixture-echo-app-0001",
    });
  });

  it("counts unread incoming messages per conversation and opens the window on a referral", async () => {
    expect(await conversationWith("instagram", IGSID1)).toMatchObject({
      unreadCount: 9,
      lastMessagePreview: "[Photo]",
      lastMessageDirection: "outgoing",
      replyWindowEndsAt: ms(1793697600000 + 24 * 3600 * 1000),
    });
    expect(await conversationWith("instagram", IGSID2)).toMatchObject({
      unreadCount: 5,
      lastMessagePreview: "[Unsupported message]",
    });
    expect(await conversationWith("instagram", IGSID3)).toMatchObject({ unreadCount: 4, lastMessagePreview: "Two" });
  });
});

describe("WhatsApp fixtures, as the API shows them", () => {
  it("names the customer from contacts[].profile.name and keeps text with its platform time", async () => {
    const conversation = await conversationWith("whatsapp", INES);
    expect(conversation.participant).toMatchObject({ externalId: INES, name: "Inês Araújo" });
    expect(await message("whatsapp", "wamid.WFX_TEXT_0001")).toMatchObject({
      type: "text",
      text: "Olá! Vocês entregam em Lisboa? 🚚",
      sentAt: seconds(1793786400),
      senderId: INES,
      senderName: "Inês Araújo",
    });
  });

  it("stores media with caption as text, MIME type, file name and no Meta URL", async () => {
    expect(await message("whatsapp", "wamid.WFX_IMAGE_0001")).toMatchObject({
      type: "image",
      text: "A minha encomenda chegou assim 😕",
      attachments: [{ type: "image", url: null, mimeType: "image/jpeg", name: null }],
    });
    expect(await message("whatsapp", "wamid.WFX_VOICE_0001")).toMatchObject({
      type: "audio",
      attachments: [{ type: "audio", mimeType: "audio/ogg; codecs=opus" }],
    });
    expect(await message("whatsapp", "wamid.WFX_VIDEO_0001")).toMatchObject({ type: "video", text: "Vejam isto" });
    expect(await message("whatsapp", "wamid.WFX_DOCUMENT_0001")).toMatchObject({
      type: "file",
      text: "Fatura de novembro",
      attachments: [{ type: "file", mimeType: "application/pdf", name: "Fatura-2026-11.pdf" }],
    });
    expect(await message("whatsapp", "wamid.WFX_STICKER_0001")).toMatchObject({
      type: "sticker",
      attachments: [{ type: "sticker", mimeType: "image/webp" }],
    });
  });

  it("stores locations and contact cards in the payload", async () => {
    expect(await message("whatsapp", "wamid.WFX_LOCATION_0001")).toMatchObject({
      type: "location",
      payload: {
        latitude: 38.7223,
        longitude: -9.1393,
        name: "Praça do Comércio",
        address: "Praça do Comércio, 1100-148 Lisboa",
      },
    });
    expect(await message("whatsapp", "wamid.WFX_CONTACTS_0001")).toMatchObject({
      type: "contact",
      payload: { contacts: [{ name: { formatted_name: "João Silva" }, org: { company: "Silva & Filhos" } }] },
    });
  });

  it("stores button, list and template-button replies as interactive, linked to the message they answer", async () => {
    expect(await message("whatsapp", "wamid.WFX_BUTTONREPLY_0001")).toMatchObject({
      type: "interactive",
      text: "Confirmar ✅",
      payload: { kind: "button_reply", payload: "confirm-order-42" },
      replyToExternalId: "wamid.WFX_OUT_INTERACTIVE_0001",
      replyToId: ourSends.get("wamid.WFX_OUT_INTERACTIVE_0001"),
    });
    expect(await message("whatsapp", "wamid.WFX_LISTREPLY_0001")).toMatchObject({
      type: "interactive",
      text: "Qui 5, 19:00",
      payload: { kind: "list_reply", payload: "slot-2026-11-05-1900", description: "Mesa para 2" },
      replyToId: ourSends.get("wamid.WFX_OUT_LIST_0001"),
    });
    expect(await message("whatsapp", "wamid.WFX_BUTTON_0001")).toMatchObject({
      type: "interactive",
      text: "Reagendar",
      payload: { kind: "button", payload: "RESCHEDULE_ORDER_42" },
      replyToId: ourSends.get("wamid.WFX_OUT_TEMPLATE_0001"),
    });
  });

  it("links a quoted reply to our message and marks forwarded messages", async () => {
    expect(await message("whatsapp", "wamid.WFX_REPLY_0001")).toMatchObject({
      text: "Sim, esse mesmo",
      replyToExternalId: "wamid.WFX_OUT_TEXT_0001",
      replyToId: ourSends.get("wamid.WFX_OUT_TEXT_0001"),
    });
    expect((await message("whatsapp", "wamid.WFX_FORWARDED_0001")).payload).toEqual({ forwarded: true });
    expect((await message("whatsapp", "wamid.WFX_FORWARDED_0002")).payload).toEqual({ frequentlyForwarded: true });
  });

  it("adds a reaction to our template and removes it again, and never counts reactions as unread", async () => {
    expect((await message("whatsapp", "wamid.WFX_OUT_TEMPLATE_0001")).reactions).toEqual([]);
    expect((await message("whatsapp", "wamid.WFX_OUT_LIST_0001")).reactions).toEqual([]);
    const ids = (await allMessages("whatsapp")).map((stored) => stored.externalId);
    expect(ids).not.toContain("wamid.WFX_REACTION_0001");
    expect(ids).not.toContain("wamid.WFX_UNREACT_0001");
  });

  it("moves our sends through sent, delivered and read, counts played as read, and keeps a failure's error", async () => {
    expect((await message("whatsapp", "wamid.WFX_OUT_TEXT_0001")).status).toBe("read");
    expect((await message("whatsapp", "wamid.WFX_OUT_VOICE_0001")).status).toBe("read");
    expect((await message("whatsapp", "wamid.WFX_OUT_MIXED_0001")).status).toBe("read");
    expect(await message("whatsapp", "wamid.WFX_OUT_FAILED_0001")).toMatchObject({
      status: "failed",
      error: {
        code: "platform_rejected",
        message: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        platformCode: 131047,
      },
    });
    // The incoming message of the same POST is stored beside the statuses.
    expect(await message("whatsapp", "wamid.WFX_MIXED_0001")).toMatchObject({ direction: "incoming", status: "received" });
  });

  it("stores unsupported and unknown types with Meta's errors in the payload", async () => {
    expect(await message("whatsapp", "wamid.WFX_UNSUPPORTED_0001")).toMatchObject({
      type: "unsupported",
      payload: { unsupportedType: "video_note" },
    });
    expect(await message("whatsapp", "wamid.WFX_UNKNOWN_0001")).toMatchObject({
      type: "unsupported",
      payload: { errors: [{ code: 131051 }] },
    });
  });

  it("keeps a click-to-WhatsApp ad referral and identifies username-only users by their business-scoped id", async () => {
    expect((await message("whatsapp", "wamid.WFX_REFERRAL_0001")).payload).toMatchObject({
      referral: { source_type: "ad", ctwa_clid: "fixture-ctwa-clid-0001" },
    });
    expect((await conversationWith("whatsapp", "US.13491208655302741918")).participant).toMatchObject({
      name: "Dana",
      username: "@dana.cooks",
    });
    expect((await conversationWith("whatsapp", "BR.1502576394655843")).participant).toMatchObject({
      name: "Rafa",
      username: "@rafa",
    });
  });

  it("stores messages sent from the WhatsApp Business app as native outgoing messages in the customer's conversation", async () => {
    expect(await message("whatsapp", "wamid.WFX_ECHO_0001")).toMatchObject({
      direction: "outgoing",
      sentFrom: "native",
      text: "Olá Inês, já enviámos 📦",
      status: "sent",
    });
    const ines = await conversationWith("whatsapp", INES);
    expect(ines).toMatchObject({
      // Every incoming message of Inês, none of the outgoing ones.
      unreadCount: 15,
      lastMessagePreview: "Talão",
      lastMessageDirection: "outgoing",
      lastMessageAt: seconds(1793794520),
      replyWindowEndsAt: new Date((1793791530 + 24 * 3600) * 1000).toISOString(),
    });
    expect((await message("whatsapp", "wamid.WFX_ECHO_0002")).conversationId).toBe(ines.id);
  });

  it("keeps a status for a message not yet known and applies it when the message appears", async () => {
    const echo = structuredClone(fixturePayload("whatsapp", "smb-message-echo"));
    const value = (echo as { entry: { changes: { value: { message_echoes: Record<string, unknown>[] } }[] }[] }).entry[0]
      ?.changes[0]?.value;
    if (!value) throw new Error("fixture shape changed");
    value.message_echoes = [
      {
        from: fixtureIds.whatsappDisplayPhoneNumber,
        to: "15550200007",
        id: "wamid.WFX_NEVER_SEEN_0001",
        timestamp: "1793793290",
        type: "text",
        text: { body: "Sent from the phone before the status arrived" },
      },
    ];
    const event = await deliverAndProcess("whatsapp", echo);
    expect(event.status).toBe("processed");
    expect(await message("whatsapp", "wamid.WFX_NEVER_SEEN_0001")).toMatchObject({
      direction: "outgoing",
      status: "delivered",
      sentFrom: "native",
    });
  });
});

describe("text stored byte for byte", () => {
  it.each([
    ["messenger", "m_mfx-unicode-0001"],
    ["instagram", "aWdfZAG1fixture-unicode-0001"],
    ["whatsapp", "wamid.WFX_UNICODE_0001"],
  ] as const)("keeps emoji, RTL, HTML, control characters and spaces of the %s fixture exactly", async (platform, id) => {
    const original = JSON.stringify(loadFixture(platform, "text-unicode").payload).match(
      /"(?:text|body)":("(?:[^"\\]|\\.)*")/,
    )?.[1];
    const expected = JSON.parse(original ?? '""') as string;
    expect(expected).toContain("👍🏽");
    const stored = await message(platform, id);
    expect(stored.text).toBe(expected);
    expect(Buffer.from(stored.text ?? "", "utf8").equals(Buffer.from(expected, "utf8"))).toBe(true);
  });

  it("finds the stored Arabic and Hebrew words by full-text search", async () => {
    const result = await call<{ messages: MessageDto[] }>(searchMessagesRoute, {
      token: owner.token,
      path: `/api/messages?q=${encodeURIComponent("שלום")}`,
    });
    expect(result.status).toBe(200);
    expect(result.body.messages.map((found) => found.externalId).sort()).toEqual(
      ["aWdfZAG1fixture-unicode-0001", "m_mfx-unicode-0001", "wamid.WFX_UNICODE_0001"].sort(),
    );
  });
});
