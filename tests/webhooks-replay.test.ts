import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { GET as listConversationsRoute } from "@/app/api/conversations/route";
import { GET as threadRoute } from "@/app/api/conversations/[id]/messages/route";
import { getDb } from "@/db/client";
import { workspaces, type PlatformAccount } from "@/db/schema";
import type { ConversationDto, MessageDto } from "@/lib/messaging/serialize";
import type * as Jobs from "@/lib/jobs";
import { createAccount, type TestAccount } from "./factories/accounts";
import { createContact, createConversation, createMessage, createPlatformAccount } from "./factories/messaging";
import { fixtureIds, fixturePayload, listFixtures, type FixturePlatform } from "./fixtures/webhooks/load";
import { call } from "./support/api";
import { deliverAndProcess } from "./support/webhooks";

// Meta redelivers and reorders. Replaying the corpus twice, or shuffled, must leave the inbox exactly
// as one replay in the order of the events' own timestamps; and the ordering rules hold one by one.

vi.mock("@/lib/jobs", async (original) => ({
  ...(await original<typeof Jobs>()),
  sendJob: vi.fn(async () => undefined),
}));

const PLATFORMS: FixturePlatform[] = ["messenger", "instagram", "whatsapp"];

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

interface Fixture {
  platform: FixturePlatform;
  kind: string;
}

const corpus: Fixture[] = PLATFORMS.flatMap((platform) => listFixtures(platform).map((kind) => ({ platform, kind })));
const chronological = [...corpus].sort(
  (a, b) => firstTimestamp(fixturePayload(a.platform, a.kind)) - firstTimestamp(fixturePayload(b.platform, b.kind)),
);

/** mulberry32: a tiny seeded PRNG, so the shuffled order is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

interface Inbox {
  owner: TestAccount;
  accounts: Record<FixturePlatform, PlatformAccount>;
}

let current: Inbox | undefined;

/**
 * A fresh workspace with the corpus's three accounts connected (an account id can be live in one
 * workspace at a time, so the previous scenario's workspace is deleted first) and the WhatsApp
 * messages Chats sent before the corpus begins.
 */
async function freshInbox(): Promise<Inbox> {
  if (current) await getDb().delete(workspaces).where(eq(workspaces.id, current.owner.workspace.id));
  const owner = await createAccount();
  const accounts: Record<FixturePlatform, PlatformAccount> = {
    messenger: await createPlatformAccount(owner.workspace.id, {
      platform: "messenger",
      externalId: fixtureIds.messengerPageId,
      name: "Bistro",
    }),
    instagram: await createPlatformAccount(owner.workspace.id, {
      platform: "instagram",
      externalId: fixtureIds.instagramAccountId,
      name: "bistro.ig",
    }),
    whatsapp: await createPlatformAccount(owner.workspace.id, {
      platform: "whatsapp",
      externalId: fixtureIds.whatsappPhoneNumberId,
      name: "+1 555-010-0001",
    }),
  };
  const ines = await createConversation(accounts.whatsapp, {
    contact: await createContact(accounts.whatsapp, { externalId: "15550200001", name: null }),
    lastMessageAt: new Date("2026-11-04T09:02:00Z"),
    lastMessagePreview: "Our send 3",
    lastMessageDirection: "outgoing",
  });
  for (const [index, externalId] of [
    "wamid.WFX_OUT_TEXT_0001",
    "wamid.WFX_OUT_TEMPLATE_0001",
    "wamid.WFX_OUT_LIST_0001",
  ].entries()) {
    await createMessage(ines, {
      externalId,
      direction: "outgoing",
      text: `Our send ${index + 1}`,
      status: "sent",
      sentFrom: "chats",
      sentAt: new Date(Date.parse("2026-11-04T09:00:00Z") + index * 60_000),
    });
  }
  current = { owner, accounts };
  return current;
}

async function replay(fixtures: Fixture[]): Promise<void> {
  for (const { platform, kind } of fixtures) {
    const event = await deliverAndProcess(platform, fixturePayload(platform, kind));
    expect(["processed", "ignored"], `${platform}/${kind}: ${event.error ?? ""}`).toContain(event.status);
  }
}

type SnapshotMessage = Omit<MessageDto, "id" | "conversationId" | "replyToId"> & { replyTo: string | null };
type Snapshot = Record<
  string,
  Omit<ConversationDto, "id" | "platformId" | "participant" | "canReply"> & {
    participant: Omit<ConversationDto["participant"], "id">;
    messages: SnapshotMessage[];
  }
>;

/**
 * Everything the inbox shows, through the public API, with our generated ids replaced by what they
 * stand for (conversations keyed by platform and customer, quoted messages by their platform id).
 */
async function snapshot(inbox: Inbox): Promise<Snapshot> {
  const list = await call<{ conversations: ConversationDto[]; nextCursor: string | null }>(listConversationsRoute, {
    token: inbox.owner.token,
    path: "/api/conversations?limit=100",
  });
  expect(list.status).toBe(200);
  expect(list.body.nextCursor).toBeNull();
  const result: Snapshot = {};
  const externalIdOf = new Map<string, string | null>();
  const threads: [ConversationDto, MessageDto[]][] = [];
  for (const conversation of list.body.conversations) {
    const page = await call<{ messages: MessageDto[]; nextCursor: string | null }>(threadRoute, {
      token: inbox.owner.token,
      path: `/api/conversations/${conversation.id}/messages?limit=100`,
      params: { id: conversation.id },
    });
    expect(page.status).toBe(200);
    for (const stored of page.body.messages) externalIdOf.set(stored.id, stored.externalId);
    threads.push([conversation, page.body.messages]);
  }
  for (const [conversation, messages] of threads) {
    const { id: _id, platformId: _platformId, canReply: _canReply, participant, ...rest } = conversation;
    const { id: _participantId, ...person } = participant;
    result[`${conversation.platform}:${participant.externalId}`] = {
      ...rest,
      participant: person,
      messages: messages
        .map(({ id: _messageId, conversationId: _conversationId, replyToId, ...message }) => ({
          ...message,
          replyTo: replyToId ? (externalIdOf.get(replyToId) ?? "(unknown id)") : null,
        }))
        .sort((a, b) => a.sentAt.localeCompare(b.sentAt) || String(a.externalId).localeCompare(String(b.externalId))),
    };
  }
  return result;
}

describe("replaying the corpus", () => {
  let once: Promise<Snapshot> | undefined;

  /** The reference: one replay in the order of the events' own timestamps (computed once per file). */
  function replayedOnceInOrder(): Promise<Snapshot> {
    once ??= (async () => {
      const inbox = await freshInbox();
      await replay(chronological);
      return snapshot(inbox);
    })();
    return once;
  }

  it("once in the order of the events' own timestamps gives a complete inbox", async () => {
    // Messenger 5, Instagram 5 and WhatsApp 8 customers wrote (or were written to).
    expect(Object.keys(await replayedOnceInOrder())).toHaveLength(18);
  });

  it("twice in a row gives the same final state as once: redeliveries change nothing", async () => {
    const expected = await replayedOnceInOrder();
    const inbox = await freshInbox();
    await replay(chronological);
    await replay(chronological);
    expect(await snapshot(inbox)).toEqual(expected);
  });

  it("in a shuffled order (seed 20261102) gives the same final state as once in order", async () => {
    const expected = await replayedOnceInOrder();
    const inbox = await freshInbox();
    await replay(shuffled(corpus, 20261102));
    expect(await snapshot(inbox)).toEqual(expected);
  });

  it("in reverse order, then again in order, gives the same final state as once in order", async () => {
    const expected = await replayedOnceInOrder();
    const inbox = await freshInbox();
    await replay([...chronological].reverse());
    await replay(chronological);
    expect(await snapshot(inbox)).toEqual(expected);
  });
});

// Single-rule checks: each names one ordering guarantee, so a failure points at one cause.
describe("ordering rules of ingest", () => {
  async function messageOf(inbox: Inbox, platform: FixturePlatform, externalId: string): Promise<MessageDto | undefined> {
    const all = Object.values(await snapshotWithIds(inbox)).flat();
    return all.find((message) => message.platform === platform && message.externalId === externalId);
  }

  async function snapshotWithIds(inbox: Inbox): Promise<Record<string, MessageDto[]>> {
    const list = await call<{ conversations: ConversationDto[] }>(listConversationsRoute, {
      token: inbox.owner.token,
      path: "/api/conversations?limit=100",
    });
    const result: Record<string, MessageDto[]> = {};
    for (const conversation of list.body.conversations) {
      const page = await call<{ messages: MessageDto[] }>(threadRoute, {
        token: inbox.owner.token,
        path: `/api/conversations/${conversation.id}/messages?limit=100`,
        params: { id: conversation.id },
      });
      result[conversation.id] = page.body.messages;
    }
    return result;
  }

  function whatsappStatus(id: string, status: string, timestamp: number) {
    return {
      object: "whatsapp_business_account",
      entry: [
        {
          id: fixtureIds.whatsappBusinessAccountId,
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: {
                  display_phone_number: fixtureIds.whatsappDisplayPhoneNumber,
                  phone_number_id: fixtureIds.whatsappPhoneNumberId,
                },
                statuses: [{ id, status, timestamp: String(timestamp), recipient_id: "15550200001" }],
              },
            },
          ],
        },
      ],
    };
  }

  it("never moves a status backwards: a late delivered or sent leaves read as read", async () => {
    const inbox = await freshInbox();
    await deliverAndProcess("whatsapp", whatsappStatus("wamid.WFX_OUT_TEXT_0001", "read", 1793792460));
    await deliverAndProcess("whatsapp", whatsappStatus("wamid.WFX_OUT_TEXT_0001", "delivered", 1793792402));
    await deliverAndProcess("whatsapp", whatsappStatus("wamid.WFX_OUT_TEXT_0001", "sent", 1793792400));
    expect((await messageOf(inbox, "whatsapp", "wamid.WFX_OUT_TEXT_0001"))?.status).toBe("read");
    // Messenger: the read watermark first, the delivery receipt after it.
    await deliverAndProcess("messenger", fixturePayload("messenger", "echo-app"));
    await deliverAndProcess("messenger", fixturePayload("messenger", "read"));
    await deliverAndProcess("messenger", fixturePayload("messenger", "delivery"));
    expect((await messageOf(inbox, "messenger", "m_mfx-echo-app-0001"))?.status).toBe("read");
    expect((await messageOf(inbox, "messenger", "m_mfx-echo-app-0002"))?.status).toBe("read");
  });

  it("keeps a status for a message not yet known and applies it when the message appears", async () => {
    const inbox = await freshInbox();
    // Instagram "seen" names the echo before the echo itself arrives.
    await deliverAndProcess("instagram", fixturePayload("instagram", "seen"));
    expect(await messageOf(inbox, "instagram", "aWdfZAG1fixture-echo-app-0001")).toBeUndefined();
    await deliverAndProcess("instagram", fixturePayload("instagram", "echo"));
    expect(await messageOf(inbox, "instagram", "aWdfZAG1fixture-echo-app-0001")).toMatchObject({
      status: "read",
      direction: "outgoing",
    });
  });

  it("matches the echo of a message Chats sent to that message instead of storing it twice", async () => {
    const inbox = await freshInbox();
    const conversation = await createConversation(inbox.accounts.messenger, {
      contact: await createContact(inbox.accounts.messenger, { externalId: "7000000000000001", name: "Camille" }),
    });
    const sent = await createMessage(conversation, {
      externalId: "m_mfx-echo-app-0001",
      direction: "outgoing",
      text: "Your table is booked for 19:30 ✅",
      status: "sent",
      sentFrom: "chats",
      sentAt: new Date(1793612100000),
    });
    const event = await deliverAndProcess("messenger", fixturePayload("messenger", "echo-app"));
    expect(event.status).toBe("processed");
    const thread = (await snapshotWithIds(inbox))[conversation.id] ?? [];
    expect(thread.filter((message) => message.externalId === "m_mfx-echo-app-0001")).toEqual([
      expect.objectContaining({
        id: sent.id,
        sentFrom: "chats",
        direction: "outgoing",
        text: "Your table is booked for 19:30 ✅",
      }),
    ]);
    // The other echo of the POST (a template we sent, not yet stored on our side) is stored once, as ours.
    expect(thread.filter((message) => message.externalId === "m_mfx-echo-app-0002")).toEqual([
      expect.objectContaining({ sentFrom: "chats", type: "template" }),
    ]);
  });

  it("applies a read watermark that arrives before the echo of the message it covers", async () => {
    const inbox = await freshInbox();
    await deliverAndProcess("messenger", fixturePayload("messenger", "read"));
    await deliverAndProcess("messenger", fixturePayload("messenger", "echo-app"));
    expect((await messageOf(inbox, "messenger", "m_mfx-echo-app-0001"))?.status).toBe("read");
  });

  it("applies a reaction that arrives before the message it reacts to", async () => {
    const inbox = await freshInbox();
    await deliverAndProcess("instagram", fixturePayload("instagram", "reaction"));
    await deliverAndProcess("instagram", fixturePayload("instagram", "echo"));
    expect((await messageOf(inbox, "instagram", "aWdfZAG1fixture-echo-app-0001"))?.reactions).toEqual([
      { emoji: "❤️", from: "customer", at: new Date(1793696700000).toISOString() },
    ]);
  });

  it("keeps a withdrawn reaction withdrawn when the reaction itself is redelivered or arrives late", async () => {
    const inbox = await freshInbox();
    await deliverAndProcess("messenger", fixturePayload("messenger", "echo-app"));
    await deliverAndProcess("messenger", fixturePayload("messenger", "reaction"));
    await deliverAndProcess("messenger", fixturePayload("messenger", "reaction-unreact"));
    expect((await messageOf(inbox, "messenger", "m_mfx-echo-app-0001"))?.reactions).toEqual([]);
    // Meta redelivers the reaction (09:46) after the unreact (09:47) was applied.
    await deliverAndProcess("messenger", fixturePayload("messenger", "reaction"));
    expect((await messageOf(inbox, "messenger", "m_mfx-echo-app-0001"))?.reactions).toEqual([]);
  });

  it("applies an edit that arrives before the message it edits", async () => {
    const inbox = await freshInbox();
    await deliverAndProcess("messenger", fixturePayload("messenger", "message-edit"));
    await deliverAndProcess("messenger", fixturePayload("messenger", "text"));
    expect(await messageOf(inbox, "messenger", "m_mfx-text-0001")).toMatchObject({
      text: "Bonjour ! Ça coûte combien, la tarte Tatin ? 🥧",
      editedAt: new Date(1793613600000).toISOString(),
    });
  });

  it("applies an unsend that arrives before the message it deletes", async () => {
    const inbox = await freshInbox();
    await deliverAndProcess("instagram", fixturePayload("instagram", "deleted"));
    await deliverAndProcess("instagram", fixturePayload("instagram", "text"));
    expect(await messageOf(inbox, "instagram", "aWdfZAG1fixture-text-0001")).toMatchObject({
      text: null,
      deletedAt: new Date(1793696100000).toISOString(),
    });
  });

  it("links a reply to the quoted message when the quoted message arrives after the reply", async () => {
    const inbox = await freshInbox();
    await deliverAndProcess("messenger", fixturePayload("messenger", "reply-to"));
    await deliverAndProcess("messenger", fixturePayload("messenger", "echo-app"));
    const quoted = await messageOf(inbox, "messenger", "m_mfx-echo-app-0001");
    expect(await messageOf(inbox, "messenger", "m_mfx-reply-0001")).toMatchObject({
      replyToExternalId: "m_mfx-echo-app-0001",
      replyToId: quoted?.id,
    });
  });
});
