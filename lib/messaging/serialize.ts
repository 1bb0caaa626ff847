import "server-only";
import type { Contact, Conversation, Message } from "@/db/schema";

// The public shapes of API.md ("Conversations and messages"). Nothing internal (storage keys,
// tokens, search vectors) leaves through here.

export const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface MessageDto {
  id: string;
  conversationId: string;
  platform: Message["platform"];
  externalId: string | null;
  direction: Message["direction"];
  type: Message["type"];
  text: string | null;
  payload: Record<string, unknown> | null;
  attachments: { type: string; url: string | null; mimeType: string | null; name: string | null }[];
  reactions: { emoji: string; from: "customer" | "business"; at: string }[];
  senderId: string | null;
  senderName: string | null;
  status: Message["status"];
  isRead: boolean;
  sentAt: string;
  replyToId: string | null;
  replyToExternalId: string | null;
  sentFrom: Message["sentFrom"];
  error: Message["error"];
  editedAt: string | null;
  deletedAt: string | null;
}

export interface ConversationDto {
  id: string;
  platform: Conversation["platform"];
  platformId: string;
  participant: { id: string; externalId: string; name: string | null; username: string | null; avatarUrl: string | null };
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  lastMessageDirection: Conversation["lastMessageDirection"];
  unreadCount: number;
  isArchived: boolean;
  canReply: boolean;
  replyWindowEndsAt: string | null;
}

/** Our own copy of a media file is served (with a tenancy check) by the media route; else Meta's URL. */
export function mediaUrl(messageId: string, index: number): string {
  return `/api/media/${messageId}/${index}`;
}

export function toMessageDto(message: Message): MessageDto {
  return {
    id: message.id,
    conversationId: message.conversationId,
    platform: message.platform,
    externalId: message.externalId,
    direction: message.direction,
    type: message.type,
    text: message.text,
    payload: message.payload ?? null,
    attachments: message.attachments.map((attachment, index) => ({
      type: attachment.type,
      url: attachment.storageKey ? mediaUrl(message.id, index) : attachment.url,
      mimeType: attachment.mimeType,
      name: attachment.name,
    })),
    reactions: message.reactions.flatMap((reaction) =>
      reaction.emoji ? [{ emoji: reaction.emoji, from: reaction.from, at: reaction.at }] : [],
    ),
    senderId: message.senderId,
    senderName: message.senderName,
    status: message.status,
    isRead: message.isRead,
    sentAt: message.sentAt.toISOString(),
    replyToId: message.replyToId,
    replyToExternalId: message.replyToExternalId,
    sentFrom: message.sentFrom,
    error: message.error ?? null,
    editedAt: message.editedAt?.toISOString() ?? null,
    deletedAt: message.deletedAt?.toISOString() ?? null,
  };
}

export function replyWindowEndsAt(lastIncomingAt: Date | null): Date | null {
  return lastIncomingAt ? new Date(lastIncomingAt.getTime() + REPLY_WINDOW_MS) : null;
}

export function toConversationDto(conversation: Conversation, contact: Contact, now = new Date()): ConversationDto {
  const windowEnds = replyWindowEndsAt(conversation.lastIncomingAt);
  return {
    id: conversation.id,
    platform: conversation.platform,
    platformId: conversation.platformAccountId,
    participant: {
      id: contact.id,
      externalId: contact.externalId,
      name: contact.name,
      username: contact.username,
      avatarUrl: contact.avatarUrl,
    },
    lastMessageAt: conversation.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: conversation.lastMessagePreview,
    lastMessageDirection: conversation.lastMessageDirection,
    unreadCount: conversation.unreadCount,
    isArchived: conversation.isArchived,
    canReply: windowEnds !== null && windowEnds.getTime() > now.getTime(),
    replyWindowEndsAt: windowEnds?.toISOString() ?? null,
  };
}
