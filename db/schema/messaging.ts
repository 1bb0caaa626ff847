import { sql, type SQL } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt, id, timestamptz, tsvector, updatedAt } from "./columns";
import { messageDirectionEnum, messageStatusEnum, messageTypeEnum, platformEnum, sentFromEnum } from "./enums";
import { platformAccounts } from "./platforms";
import { workspaces } from "./workspaces";

/** The person on the other side: a PSID (Messenger), IGSID (Instagram) or wa_id / BSUID (WhatsApp). */
export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    platformAccountId: uuid()
      .notNull()
      .references(() => platformAccounts.id, { onDelete: "cascade" }),
    platform: platformEnum().notNull(),
    // Page-scoped on Meta, so unique per platform account, not globally.
    externalId: text().notNull(),
    name: text(),
    username: text(),
    avatarUrl: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("contacts_account_external_unique").on(t.platformAccountId, t.externalId),
    index("contacts_workspace_idx").on(t.workspaceId),
  ],
);

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    platformAccountId: uuid()
      .notNull()
      .references(() => platformAccounts.id, { onDelete: "cascade" }),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    platform: platformEnum().notNull(),
    // Graph's conversation id (t_…) where the platform has one; WhatsApp has none.
    externalId: text(),
    lastMessageAt: timestamptz(),
    lastMessagePreview: text(),
    lastMessageDirection: messageDirectionEnum(),
    unreadCount: integer().notNull().default(0),
    // Messenger's delivery/read watermarks: an echo that arrives after them is already delivered/read.
    deliveredWatermarkAt: timestamptz(),
    readWatermarkAt: timestamptz(),
    // The customer's last message or window-opening action: drives the 24-hour reply window.
    lastIncomingAt: timestamptz(),
    isArchived: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("conversations_account_contact_unique").on(t.platformAccountId, t.contactId),
    index("conversations_workspace_activity_idx").on(t.workspaceId, t.lastMessageAt.desc(), t.id.desc()),
    index("conversations_account_activity_idx").on(t.platformAccountId, t.lastMessageAt.desc(), t.id.desc()),
  ],
);

export interface Attachment {
  type: string;
  url: string | null;
  mimeType: string | null;
  name: string | null;
  /** Where we keep our own copy (Meta's URLs expire); set once the media is stored. */
  storageKey?: string | null;
  /** The platform's media id (WhatsApp), used to fetch it. */
  mediaId?: string | null;
  size?: number | null;
}

export interface Reaction {
  /** Null: withdrawn. Kept so a late copy of the earlier reaction cannot bring it back. */
  emoji: string | null;
  from: "customer" | "business";
  at: string;
}

export interface MessageError {
  code: string;
  message: string;
  platformCode?: number | string | null;
}

export const messages = pgTable(
  "messages",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    platformAccountId: uuid()
      .notNull()
      .references(() => platformAccounts.id, { onDelete: "cascade" }),
    platform: platformEnum().notNull(),
    // The platform's message id (mid / wamid); null only while an outgoing send is pending.
    externalId: text(),
    direction: messageDirectionEnum().notNull(),
    type: messageTypeEnum().notNull(),
    text: text(),
    payload: jsonb().$type<Record<string, unknown>>(),
    attachments: jsonb().$type<Attachment[]>().notNull().default([]),
    reactions: jsonb().$type<Reaction[]>().notNull().default([]),
    senderId: text(),
    senderName: text(),
    sentByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    status: messageStatusEnum().notNull(),
    // The platform's time of the latest status applied, so late events never move a status back.
    statusAt: timestamptz(),
    isRead: boolean().notNull().default(false),
    readAt: timestamptz(),
    sentAt: timestamptz().notNull(),
    replyToId: uuid(),
    replyToExternalId: text(),
    sentFrom: sentFromEnum(),
    error: jsonb().$type<MessageError>(),
    editedAt: timestamptz(),
    deletedAt: timestamptz(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // 'simple' matches any language word for word; 'english' adds stems so "orders" finds "ordered".
    searchVector: tsvector()
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`to_tsvector('simple'::regconfig, coalesce(${messages.text}, '')) || to_tsvector('english'::regconfig, coalesce(${messages.text}, ''))`,
      ),
  },
  (t) => [
    uniqueIndex("messages_account_external_unique").on(t.platformAccountId, t.externalId),
    index("messages_conversation_sent_at_idx").on(t.conversationId, t.sentAt.desc(), t.id.desc()),
    index("messages_workspace_sent_at_idx").on(t.workspaceId, t.sentAt),
    index("messages_search_idx").using("gin", t.searchVector),
    index("messages_unread_idx")
      .on(t.conversationId)
      .where(sql`${t.direction} = 'incoming' and ${t.isRead} = false`),
    // Replies still waiting for the message they quote (linkReplies runs for every new message);
    // partial, so it holds only those few rows instead of making each ingest scan the account's messages.
    index("messages_unlinked_replies_idx")
      .on(t.platformAccountId, t.replyToExternalId)
      .where(sql`${t.replyToId} is null and ${t.replyToExternalId} is not null`),
  ],
);

/**
 * Something that happened to a message before the message itself reached us (Meta does not
 * order deliveries): a status, a reaction, an edit, an unsend. Applied, in their own time order,
 * when the message appears.
 */
export const pendingMessageEvents = pgTable(
  "pending_message_events",
  {
    id: id(),
    platformAccountId: uuid()
      .notNull()
      .references(() => platformAccounts.id, { onDelete: "cascade" }),
    externalId: text().notNull(),
    kind: text().$type<"status" | "reaction" | "edit" | "delete">().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamptz().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("pending_message_events_lookup_idx").on(t.platformAccountId, t.externalId)],
);

export type Contact = typeof contacts.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
