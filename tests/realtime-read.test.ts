import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { conversations, messages } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { markConversationRead, markMessageRead } from "@/lib/messaging/read";
import type { RealtimeEvent } from "@/lib/realtime/events";
import { listEventsSince } from "@/lib/realtime/outbox";
import type { RealtimePublisher } from "@/lib/realtime/publish";
import { addTeammate, createAccount } from "@/tests/factories/accounts";
import { createConversation, createMessage, createPlatformAccount } from "@/tests/factories/messaging";

// lib/messaging/read.ts: the one read-state path behind the REST routes and the sockets' mark_read.

function recorder() {
  const published: RealtimeEvent[] = [];
  const publisher: RealtimePublisher = { publish: (events) => published.push(...events) };
  return { published, options: { publisher } };
}

async function unreadConversation(workspaceId: string, unread: number) {
  const conversation = await createConversation(await createPlatformAccount(workspaceId, { platform: "whatsapp" }), {
    unreadCount: unread,
  });
  const incoming = [];
  for (let i = 0; i < unread; i++) {
    incoming.push(await createMessage(conversation, { sentAt: new Date(Date.now() - (unread - i) * 60_000) }));
  }
  const outgoing = await createMessage(conversation, { direction: "outgoing" });
  return { conversation, incoming, outgoing };
}

async function conversationRow(id: string) {
  const [row] = await getDb().select().from(conversations).where(eq(conversations.id, id));
  return row;
}

async function messageRow(id: string) {
  const [row] = await getDb().select().from(messages).where(eq(messages.id, id));
  return row;
}

describe("markConversationRead", () => {
  it("marks every incoming message read, zeroes the unread count and publishes message_read after commit", async () => {
    const alice = await createAccount();
    const { conversation, incoming, outgoing } = await unreadConversation(alice.workspace.id, 3);
    const { published, options } = recorder();

    const result = await markConversationRead(getDb(), { userId: alice.user.id, conversationId: conversation.id }, options);

    expect(result.conversationId).toBe(conversation.id);
    expect(result.unreadCount).toBe(0);
    expect([...result.messageIds].sort()).toEqual(incoming.map((message) => message.id).sort());
    expect(result.receipt).toEqual({
      workspaceId: alice.workspace.id,
      platform: "whatsapp",
      platformAccountId: conversation.platformAccountId,
      contactId: conversation.contactId,
      lastReadExternalId: incoming[2]?.externalId,
    });
    for (const message of incoming) {
      const row = await messageRow(message.id);
      expect(row?.isRead).toBe(true);
      expect(row?.readAt).toBeInstanceOf(Date);
    }
    expect((await messageRow(outgoing.id))?.isRead).toBe(false);
    expect((await conversationRow(conversation.id))?.unreadCount).toBe(0);

    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      type: "message_read",
      workspaceId: alice.workspace.id,
      conversationId: conversation.id,
      payload: { conversationId: conversation.id, unreadCount: 0 },
    });
    const outbox = await listEventsSince(getDb(), { userId: alice.user.id, after: "0", limit: 10 });
    expect(outbox.events).toEqual(published);
  });

  it("records no event when there was nothing to read", async () => {
    const alice = await createAccount();
    const { conversation } = await unreadConversation(alice.workspace.id, 1);
    await markConversationRead(getDb(), { userId: alice.user.id, conversationId: conversation.id }, recorder().options);
    const { published, options } = recorder();
    const again = await markConversationRead(getDb(), { userId: alice.user.id, conversationId: conversation.id }, options);
    expect(again).toMatchObject({ messageIds: [], unreadCount: 0, receipt: null });
    expect(published).toEqual([]);
  });

  it("works for every member of the workspace", async () => {
    const alice = await createAccount();
    const teammate = await addTeammate(alice.workspace, "agent");
    const { conversation } = await unreadConversation(alice.workspace.id, 2);
    const result = await markConversationRead(
      getDb(),
      { userId: teammate.user.id, conversationId: conversation.id },
      recorder().options,
    );
    expect(result.messageIds).toHaveLength(2);
  });

  it("answers not found for another workspace's, an unknown or a malformed conversation, and changes nothing", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const { conversation, incoming } = await unreadConversation(bob.workspace.id, 2);
    const { published, options } = recorder();
    for (const conversationId of [conversation.id, "7d1f0c4e-2b8a-4c3d-9e6f-0a1b2c3d4e5f", "not-a-uuid"]) {
      const attempt = markConversationRead(getDb(), { userId: alice.user.id, conversationId }, options);
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({ code: "not_found", message: "Conversation not found." });
    }
    expect((await messageRow(incoming[0]?.id ?? ""))?.isRead).toBe(false);
    expect((await conversationRow(conversation.id))?.unreadCount).toBe(2);
    expect(published).toEqual([]);
  });
});

describe("markMessageRead", () => {
  it("marks one incoming message read and leaves the exact count of the others", async () => {
    const alice = await createAccount();
    const { conversation, incoming } = await unreadConversation(alice.workspace.id, 3);
    const { published, options } = recorder();
    const target = incoming[1];
    if (!target) throw new Error("factory made no messages");

    const result = await markMessageRead(getDb(), { userId: alice.user.id, messageId: target.id }, options);

    expect(result).toMatchObject({ conversationId: conversation.id, messageIds: [target.id], unreadCount: 2 });
    expect(result.receipt?.lastReadExternalId).toBe(target.externalId);
    expect((await messageRow(target.id))?.isRead).toBe(true);
    expect((await messageRow(incoming[0]?.id ?? ""))?.isRead).toBe(false);
    expect((await conversationRow(conversation.id))?.unreadCount).toBe(2);
    expect(published.map((event) => event.payload)).toEqual([
      { messageIds: [target.id], conversationId: conversation.id, unreadCount: 2 },
    ]);
  });

  it("leaves an outgoing message as it is and announces nothing", async () => {
    const alice = await createAccount();
    const { outgoing } = await unreadConversation(alice.workspace.id, 1);
    const { published, options } = recorder();
    const result = await markMessageRead(getDb(), { userId: alice.user.id, messageId: outgoing.id }, options);
    expect(result).toMatchObject({ messageIds: [], unreadCount: 1, receipt: null });
    expect(published).toEqual([]);
  });

  it("corrects a drifted unread count and announces it", async () => {
    const alice = await createAccount();
    const { conversation, incoming } = await unreadConversation(alice.workspace.id, 2);
    await markMessageRead(getDb(), { userId: alice.user.id, messageId: incoming[0]?.id ?? "" }, recorder().options);
    await getDb().update(conversations).set({ unreadCount: 9 }).where(eq(conversations.id, conversation.id));
    const { published, options } = recorder();
    const result = await markMessageRead(getDb(), { userId: alice.user.id, messageId: incoming[0]?.id ?? "" }, options);
    expect(result).toMatchObject({ messageIds: [], unreadCount: 1 });
    expect(published.map((event) => event.payload)).toEqual([
      { messageIds: [], conversationId: conversation.id, unreadCount: 1 },
    ]);
  });

  it("answers not found for another workspace's or an unknown message", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const { incoming } = await unreadConversation(bob.workspace.id, 1);
    for (const messageId of [incoming[0]?.id ?? "", "7d1f0c4e-2b8a-4c3d-9e6f-0a1b2c3d4e5f", "x"]) {
      await expect(markMessageRead(getDb(), { userId: alice.user.id, messageId }, recorder().options)).rejects.toMatchObject({
        code: "not_found",
        message: "Message not found.",
      });
    }
    expect((await messageRow(incoming[0]?.id ?? ""))?.isRead).toBe(false);
  });
});
