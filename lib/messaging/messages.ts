import "server-only";
import { z } from "zod";
import type { Database } from "@/db/client";
import { findConversationForUser } from "@/db/queries/conversations";
import { findMessageForUser, listConversationMessages, searchMessages } from "@/db/queries/messages";
import { decodeCursor, encodeCursor, pageOf } from "@/lib/api/pagination";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { AppError } from "@/lib/errors";
import { markMessageRead } from "@/lib/messaging/read";
import { toMessageDto, type MessageDto } from "@/lib/messaging/serialize";
import type { SearchMessagesQuery } from "@/lib/validations/messaging";

const threadCursor = z.object({ t: z.iso.datetime(), id: z.uuid() });
const searchCursor = z.object({ r: z.number().nullable(), t: z.iso.datetime(), id: z.uuid() });

export async function listThreadPage(
  db: Database,
  params: { userId: string; conversationId: string; cursor?: string; limit: number },
): Promise<{ messages: MessageDto[]; nextCursor: string | null }> {
  const conversation = await findConversationForUser(db, { userId: params.userId, id: params.conversationId });
  if (!conversation) throw AppError.notFound("Conversation");
  const before = decodeCursor(params.cursor, threadCursor);
  const rows = await listConversationMessages(db, {
    conversationId: conversation.conversation.id,
    before: before ? { sentAt: new Date(before.t), id: before.id } : undefined,
    limit: params.limit + 1,
  });
  const page = pageOf(rows, params.limit, (last) => encodeCursor({ t: last.sentAt.toISOString(), id: last.id }));
  return { messages: page.items.map(toMessageDto), nextCursor: page.nextCursor };
}

export async function searchMessagePage(
  db: Database,
  params: { userId: string; query: SearchMessagesQuery },
): Promise<{ messages: MessageDto[]; nextCursor: string | null }> {
  const { query } = params;
  if (query.workspaceId) await resolveWorkspace(db, { userId: params.userId, workspaceId: query.workspaceId });
  const after = decodeCursor(query.cursor, searchCursor);
  const rows = await searchMessages(db, {
    userId: params.userId,
    workspaceId: query.workspaceId,
    platform: query.platform,
    conversationId: query.conversationId,
    direction: query.direction,
    unread: query.unread,
    q: query.q,
    since: query.since,
    until: query.until,
    after: after ? { rank: after.r, sentAt: new Date(after.t), id: after.id } : undefined,
    limit: query.limit + 1,
  });
  const page = pageOf(rows, query.limit, (last) => encodeCursor({ r: last.rank, t: last.sentAt.toISOString(), id: last.id }));
  return { messages: page.items.map(toMessageDto), nextCursor: page.nextCursor };
}

export async function getMessage(db: Database, params: { userId: string; id: string }): Promise<MessageDto> {
  const message = await findMessageForUser(db, params);
  if (!message) throw AppError.notFound("Message");
  return toMessageDto(message);
}

export async function readMessage(db: Database, params: { userId: string; id: string }): Promise<MessageDto> {
  await markMessageRead(db, { userId: params.userId, messageId: params.id });
  return getMessage(db, params);
}
