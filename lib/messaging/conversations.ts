import "server-only";
import { z } from "zod";
import type { Database } from "@/db/client";
import {
  findConversationForUser,
  listConversations,
  setConversationArchived,
  summarizeConversations,
} from "@/db/queries/conversations";
import { decodeCursor, encodeCursor, pageOf } from "@/lib/api/pagination";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { AppError } from "@/lib/errors";
import { markConversationRead } from "@/lib/messaging/read";
import { toConversationDto, type ConversationDto } from "@/lib/messaging/serialize";
import type { ListConversationsQuery } from "@/lib/validations/messaging";

const conversationCursor = z.object({ t: z.iso.datetime(), id: z.uuid() });

export async function listConversationPage(
  db: Database,
  params: { userId: string; query: ListConversationsQuery },
): Promise<{ conversations: ConversationDto[]; nextCursor: string | null }> {
  const { query } = params;
  if (query.workspaceId) await resolveWorkspace(db, { userId: params.userId, workspaceId: query.workspaceId });
  const after = decodeCursor(query.cursor, conversationCursor);
  const rows = await listConversations(db, {
    userId: params.userId,
    workspaceId: query.workspaceId,
    platform: query.platform,
    platformAccountId: query.platformId,
    unread: query.unread,
    archived: query.archived,
    q: query.q,
    after: after ? { lastMessageAt: new Date(after.t), id: after.id } : undefined,
    limit: query.limit + 1,
  });
  const now = new Date();
  const page = pageOf(rows, query.limit, (last) =>
    encodeCursor({ t: last.conversation.lastMessageAt?.toISOString() ?? null, id: last.conversation.id }),
  );
  return {
    conversations: page.items.map((row) => toConversationDto(row.conversation, row.contact, now)),
    nextCursor: page.nextCursor,
  };
}

export async function getConversation(db: Database, params: { userId: string; id: string }): Promise<ConversationDto> {
  const row = await findConversationForUser(db, params);
  if (!row) throw AppError.notFound("Conversation");
  return toConversationDto(row.conversation, row.contact);
}

export async function archiveConversation(
  db: Database,
  params: { userId: string; id: string; isArchived: boolean },
): Promise<ConversationDto> {
  const row = await findConversationForUser(db, params);
  if (!row) throw AppError.notFound("Conversation");
  const updated = await setConversationArchived(db, { id: row.conversation.id, isArchived: params.isArchived });
  if (!updated) throw AppError.notFound("Conversation");
  return toConversationDto(updated, row.contact);
}

/** Marks the conversation read (and tells the platform in the background); answers the updated conversation. */
export async function readConversation(db: Database, params: { userId: string; id: string }): Promise<ConversationDto> {
  await markConversationRead(db, { userId: params.userId, conversationId: params.id });
  return getConversation(db, params);
}

export async function conversationSummary(db: Database, params: { userId: string; workspaceId?: string }) {
  if (params.workspaceId) await resolveWorkspace(db, { userId: params.userId, workspaceId: params.workspaceId });
  const platforms = await summarizeConversations(db, params);
  return { platforms, totalUnread: platforms.reduce((sum, platform) => sum + platform.unread, 0) };
}
