import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { inUserWorkspaces } from "@/db/queries/workspaces";
import { conversations, messages, type Platform } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { sendJob } from "@/lib/jobs";
import { logger } from "@/lib/logger";
import { withRealtime, type PublishOptions, type RecordFn } from "@/lib/realtime/publish";

// Read state: one domain function per REST route (POST /api/conversations/{id}/read,
// PATCH /api/messages/{id}/read) and the sockets' `mark_read`. Each marks incoming messages read,
// recomputes the conversation's unread count and records `message_read` in the same transaction;
// the event is published after commit.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReadReceipt {
  workspaceId: string;
  platform: Platform;
  platformAccountId: string;
  contactId: string;
  /** The platform id of the newest message read now (WhatsApp marks it and all before it read). */
  lastReadExternalId: string | null;
}

export interface ReadResult {
  conversationId: string;
  /** The incoming messages that became read now (empty when they already were). */
  messageIds: string[];
  unreadCount: number;
  /**
   * Hook point for telling the platform the customer's messages were seen (Messenger/Instagram
   * `mark_seen`, WhatsApp read status). Null when nothing became read. No Graph call happens here.
   */
  receipt: ReadReceipt | null;
}

type ConversationRow = Omit<ReadReceipt, "lastReadExternalId"> & { id: string; unreadCount: number };

async function lockConversation(tx: Transaction, where: ReturnType<typeof and>): Promise<ConversationRow | undefined> {
  // The row lock orders us with ingest and other readers touching the same unread count.
  const [row] = await tx
    .select({
      id: conversations.id,
      workspaceId: conversations.workspaceId,
      platform: conversations.platform,
      platformAccountId: conversations.platformAccountId,
      contactId: conversations.contactId,
      unreadCount: conversations.unreadCount,
    })
    .from(conversations)
    .where(where)
    .limit(1)
    .for("update");
  return row;
}

async function settle(
  tx: Transaction,
  record: RecordFn,
  conversation: ConversationRow,
  read: { id: string; externalId: string | null }[],
): Promise<ReadResult> {
  // Counted, not assumed: a message that arrived meanwhile stays unread.
  const [updated] = await tx
    .update(conversations)
    .set({
      unreadCount: sql`(select count(*)::int from ${messages} where ${messages.conversationId} = ${conversation.id} and ${messages.direction} = 'incoming' and ${messages.isRead} = false)`,
    })
    .where(eq(conversations.id, conversation.id))
    .returning({ unreadCount: conversations.unreadCount });
  const unreadCount = updated?.unreadCount ?? 0;
  const messageIds = read.map((message) => message.id);
  if (messageIds.length > 0 || unreadCount !== conversation.unreadCount) {
    await record({
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      type: "message_read",
      payload: { messageIds, conversationId: conversation.id, unreadCount },
    });
  }
  const { id: _id, unreadCount: _before, ...receipt } = conversation;
  return {
    conversationId: conversation.id,
    messageIds,
    unreadCount,
    receipt: read.length > 0 ? { ...receipt, lastReadExternalId: read[0]?.externalId ?? null } : null,
  };
}

/**
 * Tells the platform the business has seen the messages (Messenger/Instagram mark_seen, WhatsApp
 * read status) as a background job: the reader never waits on Meta, and a failure costs nothing here.
 */
async function requestSeenNotice(result: ReadResult): Promise<ReadResult> {
  if (result.receipt?.lastReadExternalId) {
    try {
      await sendJob("conversation/seen.requested", {
        conversationId: result.conversationId,
        messageExternalIds: [result.receipt.lastReadExternalId],
      });
    } catch (error) {
      logger.warn(
        { err: error, scope: "messaging.read", conversationId: result.conversationId },
        "could not queue the seen notice for the platform",
      );
    }
  }
  return result;
}

/** Marks every incoming message of the conversation read. Unknown or another workspace's: 404. */
export async function markConversationRead(
  db: Database,
  params: { userId: string; conversationId: string },
  options: PublishOptions = {},
): Promise<ReadResult> {
  if (!UUID.test(params.conversationId)) throw AppError.notFound("Conversation");
  const result = await withRealtime(
    db,
    async (tx, record) => {
      const conversation = await lockConversation(
        tx,
        and(eq(conversations.id, params.conversationId), inUserWorkspaces(params.userId, conversations.workspaceId)),
      );
      if (!conversation) throw AppError.notFound("Conversation");
      const unread = and(
        eq(messages.conversationId, conversation.id),
        eq(messages.direction, "incoming"),
        eq(messages.isRead, false),
      );
      const read = await tx
        .update(messages)
        .set({ isRead: true, readAt: sql`now()` })
        .where(unread)
        .returning({ id: messages.id, externalId: messages.externalId, sentAt: messages.sentAt });
      read.sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime());
      return settle(tx, record, conversation, read);
    },
    options,
  );
  return requestSeenNotice(result);
}

/** Marks one incoming message read (an outgoing one stays as it is). Unknown or another workspace's: 404. */
export async function markMessageRead(
  db: Database,
  params: { userId: string; messageId: string },
  options: PublishOptions = {},
): Promise<ReadResult> {
  if (!UUID.test(params.messageId)) throw AppError.notFound("Message");
  const result = await withRealtime(
    db,
    async (tx, record) => {
      const [target] = await tx
        .select({ conversationId: messages.conversationId })
        .from(messages)
        .where(and(eq(messages.id, params.messageId), inUserWorkspaces(params.userId, messages.workspaceId)))
        .limit(1);
      if (!target) throw AppError.notFound("Message");
      const conversation = await lockConversation(tx, eq(conversations.id, target.conversationId));
      if (!conversation) throw AppError.notFound("Message");
      const read = await tx
        .update(messages)
        .set({ isRead: true, readAt: sql`now()` })
        .where(
          and(
            eq(messages.id, params.messageId),
            eq(messages.conversationId, conversation.id),
            eq(messages.direction, "incoming"),
            eq(messages.isRead, false),
          ),
        )
        .returning({ id: messages.id, externalId: messages.externalId });
      return settle(tx, record, conversation, read);
    },
    options,
  );
  return requestSeenNotice(result);
}
