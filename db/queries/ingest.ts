import "server-only";
import { and, eq, getTableColumns, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import {
  contacts,
  conversations,
  messages,
  pendingMessageEvents,
  type Contact,
  type Conversation,
  type Message,
  type MessageError,
  type MessageStatus,
  type NewMessage,
  type Platform,
  type Reaction,
} from "@/db/schema";

// The writes of webhook ingest and sync. Each is idempotent, so a redelivered or reprocessed event
// changes nothing the first delivery did not.

export async function upsertContact(
  db: Executor,
  params: {
    workspaceId: string;
    platformAccountId: string;
    platform: Platform;
    externalId: string;
    name?: string | null;
    username?: string | null;
  },
): Promise<{ contact: Contact; created: boolean }> {
  const [row] = await db
    .insert(contacts)
    .values({
      workspaceId: params.workspaceId,
      platformAccountId: params.platformAccountId,
      platform: params.platform,
      externalId: params.externalId,
      name: params.name ?? null,
      username: params.username ?? null,
    })
    .onConflictDoUpdate({
      target: [contacts.platformAccountId, contacts.externalId],
      // A payload without a name never erases the one we know.
      set: {
        name: sql`coalesce(excluded.name, ${contacts.name})`,
        username: sql`coalesce(excluded.username, ${contacts.username})`,
      },
    })
    // xmax = 0 only on a freshly inserted row: tells a new contact from a known one in the same trip.
    .returning({ ...getTableColumns(contacts), created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error("contact upsert returned nothing");
  const { created, ...contact } = row;
  return { contact, created };
}

export async function upsertConversation(
  db: Executor,
  params: { workspaceId: string; platformAccountId: string; platform: Platform; contactId: string },
): Promise<Conversation> {
  const [row] = await db
    .insert(conversations)
    .values(params)
    .onConflictDoUpdate({
      target: [conversations.platformAccountId, conversations.contactId],
      set: { platform: sql`excluded.platform` },
    })
    .returning();
  if (!row) throw new Error("conversation upsert returned nothing");
  return row;
}

/** Inserts unless the platform's message id is already stored; undefined means "seen before". */
export async function insertMessageIfNew(db: Executor, values: NewMessage): Promise<Message | undefined> {
  const [row] = await db
    .insert(messages)
    .values(values)
    .onConflictDoNothing({ target: [messages.platformAccountId, messages.externalId] })
    .returning();
  return row;
}

export async function findMessageByExternalId(
  db: Executor,
  params: { platformAccountId: string; externalId: string },
): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.platformAccountId, params.platformAccountId), eq(messages.externalId, params.externalId)))
    .limit(1);
  return row;
}

/**
 * Statuses only move forward: pending < sent < failed < delivered < read. A late "delivered" never
 * undoes "read"; "failed" after "sent" sticks, but a message already delivered stays delivered.
 */
export function statusRank(status: SQL | MessageStatus): SQL {
  const value = typeof status === "string" ? sql`${status}::message_status` : status;
  return sql`(case ${value} when 'pending' then 0 when 'sent' then 1 when 'failed' then 2 when 'delivered' then 3 when 'read' then 4 else 0 end)`;
}

export async function advanceMessageStatus(
  db: Executor,
  params: { messageId: string; status: MessageStatus; at: Date; error?: MessageError | null },
): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({
      status: params.status,
      statusAt: params.at,
      error: params.status === "failed" ? (params.error ?? null) : sql`${messages.error}`,
    })
    .where(and(eq(messages.id, params.messageId), sql`${statusRank(params.status)} > ${statusRank(sql`${messages.status}`)}`))
    .returning();
  return row;
}

/** Messenger delivery/read watermarks: every outgoing message up to the watermark (and any listed mid). */
export async function advanceUpToWatermark(
  db: Executor,
  params: { conversationId: string; status: "delivered" | "read"; watermark: Date; externalIds: string[]; at: Date },
): Promise<Message[]> {
  const covered = params.externalIds.length
    ? sql`(${lte(messages.sentAt, params.watermark)} or ${inArray(messages.externalId, params.externalIds)})`
    : lte(messages.sentAt, params.watermark);
  return db
    .update(messages)
    .set({ status: params.status, statusAt: params.at })
    .where(
      and(
        eq(messages.conversationId, params.conversationId),
        eq(messages.direction, "outgoing"),
        covered,
        sql`${messages.status} <> 'pending'`,
        sql`${statusRank(params.status)} > ${statusRank(sql`${messages.status}`)}`,
      ),
    )
    .returning();
}

export type PendingKind = "status" | "reaction" | "edit" | "delete";

/** Keeps an event about a message we do not have yet; it is applied when the message appears. */
export async function keepPendingEvent(
  db: Executor,
  params: {
    platformAccountId: string;
    externalId: string;
    kind: PendingKind;
    payload: Record<string, unknown>;
    occurredAt: Date;
  },
): Promise<void> {
  await db.insert(pendingMessageEvents).values(params);
}

/** The events that were waiting for this message, oldest first, removed as they are handed over. */
export async function takePendingEvents(db: Executor, params: { platformAccountId: string; externalId: string }) {
  const rows = await db
    .delete(pendingMessageEvents)
    .where(
      and(
        eq(pendingMessageEvents.platformAccountId, params.platformAccountId),
        eq(pendingMessageEvents.externalId, params.externalId),
      ),
    )
    .returning();
  return rows.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

/** Remembers Messenger's watermarks on the conversation, for echoes that arrive after them. */
export async function raiseWatermark(
  db: Executor,
  params: { conversationId: string; status: "delivered" | "read"; watermark: Date },
): Promise<void> {
  const column = params.status === "read" ? conversations.readWatermarkAt : conversations.deliveredWatermarkAt;
  await db
    .update(conversations)
    .set(
      params.status === "read"
        ? { readWatermarkAt: sql`greatest(${column}, ${params.watermark})` }
        : { deliveredWatermarkAt: sql`greatest(${column}, ${params.watermark})` },
    )
    .where(eq(conversations.id, params.conversationId));
}

/** Replies stored before the message they quote get linked to it once it arrives. */
export async function linkReplies(
  db: Executor,
  params: { platformAccountId: string; externalId: string; messageId: string },
): Promise<Message[]> {
  return db
    .update(messages)
    .set({ replyToId: params.messageId })
    .where(
      and(
        eq(messages.platformAccountId, params.platformAccountId),
        eq(messages.replyToExternalId, params.externalId),
        sql`${messages.replyToId} is null`,
      ),
    )
    .returning();
}

/**
 * Conversation bookkeeping for a newly stored message. Ordered by the message's own time: an old
 * message arriving late never replaces a newer preview.
 */
export async function recordMessageInConversation(
  db: Executor,
  params: { conversationId: string; message: Pick<Message, "sentAt" | "direction" | "isRead">; preview: string },
): Promise<Conversation> {
  const { message } = params;
  const newer = sql`(${conversations.lastMessageAt} is null or ${conversations.lastMessageAt} <= ${message.sentAt})`;
  const [row] = await db
    .update(conversations)
    .set({
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${message.sentAt})`,
      lastMessagePreview: sql`case when ${newer} then ${params.preview} else ${conversations.lastMessagePreview} end`,
      lastMessageDirection: sql`case when ${newer} then ${message.direction}::message_direction else ${conversations.lastMessageDirection} end`,
      unreadCount:
        message.direction === "incoming" && !message.isRead
          ? sql`${conversations.unreadCount} + 1`
          : sql`${conversations.unreadCount}`,
      lastIncomingAt:
        message.direction === "incoming"
          ? sql`greatest(${conversations.lastIncomingAt}, ${message.sentAt})`
          : sql`${conversations.lastIncomingAt}`,
    })
    .where(eq(conversations.id, params.conversationId))
    .returning();
  if (!row) throw new Error("conversation vanished during ingest");
  return row;
}

/** A customer action that opens the reply window without a message (referral, opt-in). */
export async function touchReplyWindow(db: Executor, params: { conversationId: string; at: Date }): Promise<void> {
  await db
    .update(conversations)
    .set({ lastIncomingAt: sql`greatest(${conversations.lastIncomingAt}, ${params.at})` })
    .where(eq(conversations.id, params.conversationId));
}

export async function setReactions(
  db: Executor,
  params: { messageId: string; reactions: Reaction[] },
): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ reactions: params.reactions })
    .where(eq(messages.id, params.messageId))
    .returning();
  return row;
}

export async function editMessageText(
  db: Executor,
  params: { messageId: string; text: string | null; at: Date },
): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ text: params.text, editedAt: params.at })
    .where(and(eq(messages.id, params.messageId), sql`(${messages.editedAt} is null or ${messages.editedAt} <= ${params.at})`))
    .returning();
  return row;
}

/** The customer unsent the message: its content goes, the row stays so the thread keeps its shape. */
export async function markMessageDeleted(db: Executor, params: { messageId: string; at: Date }): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ deletedAt: params.at, text: null, attachments: [], payload: null })
    .where(eq(messages.id, params.messageId))
    .returning();
  return row;
}

/**
 * A history import learns from the platform how many of a conversation's messages the business
 * has not read; of the messages just imported, only those newest ones stay unread.
 */
export async function settleImportedReadState(
  db: Executor,
  params: { conversationId: string; importedIds: string[]; platformUnread: number },
): Promise<void> {
  if (params.importedIds.length > 0) {
    await db
      .update(messages)
      .set({ isRead: true, readAt: sql`now()` })
      .where(
        and(
          inArray(messages.id, params.importedIds),
          eq(messages.direction, "incoming"),
          sql`${messages.id} not in (select id from ${messages} where ${messages.conversationId} = ${params.conversationId} and ${messages.direction} = 'incoming' order by ${messages.sentAt} desc limit ${params.platformUnread})`,
        ),
      );
  }
  await db
    .update(conversations)
    .set({
      unreadCount: sql`(select count(*)::int from ${messages} where ${messages.conversationId} = ${params.conversationId} and ${messages.direction} = 'incoming' and ${messages.isRead} = false)`,
    })
    .where(eq(conversations.id, params.conversationId));
}
