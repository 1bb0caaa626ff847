import "server-only";
import { and, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { textQuery } from "@/db/queries/conversations";
import { inUserWorkspaces } from "@/db/queries/workspaces";
import { messages, type Message, type MessageDirectionFilter, type Platform } from "@/db/schema";
import { newestFirst } from "@/db/queries/order";

/** A thread page, newest first; keyset on (sent_at, id) served by messages_conversation_sent_at_idx. */
export async function listConversationMessages(
  db: Executor,
  params: { conversationId: string; before?: { sentAt: Date; id: string }; limit: number },
): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, params.conversationId),
        params.before ? sql`(${messages.sentAt}, ${messages.id}) < (${params.before.sentAt}, ${params.before.id})` : undefined,
      ),
    )
    .orderBy(newestFirst(messages.sentAt), newestFirst(messages.id))
    .limit(params.limit);
}

export interface MessageSearch {
  userId: string;
  workspaceId?: string;
  platform?: Platform;
  conversationId?: string;
  direction?: MessageDirectionFilter;
  unread?: boolean;
  q?: string;
  since?: Date;
  until?: Date;
  limit: number;
  after?: { rank: number | null; sentAt: Date; id: string };
}

export type RankedMessage = Message & { rank: number | null };

/**
 * Messages across the caller's workspaces with filters. With `q`, full-text matches ranked best
 * first (ties newest first); without, newest first. One query per page.
 */
export async function searchMessages(db: Executor, search: MessageSearch): Promise<RankedMessage[]> {
  const rank: SQL<number | null> = search.q
    ? sql<number>`ts_rank(${messages.searchVector}, ${textQuery(search.q)})`
    : sql<null>`null::real`;
  const conditions: (SQL | undefined)[] = [
    inUserWorkspaces(search.userId, messages.workspaceId),
    search.workspaceId ? eq(messages.workspaceId, search.workspaceId) : undefined,
    search.platform ? eq(messages.platform, search.platform) : undefined,
    search.conversationId ? eq(messages.conversationId, search.conversationId) : undefined,
    search.direction ? eq(messages.direction, search.direction) : undefined,
    search.unread ? and(eq(messages.direction, "incoming"), eq(messages.isRead, false)) : undefined,
    search.q ? sql`${messages.searchVector} @@ ${textQuery(search.q)}` : undefined,
    search.since ? gte(messages.sentAt, search.since) : undefined,
    search.until ? lte(messages.sentAt, search.until) : undefined,
  ];
  if (search.after) {
    conditions.push(
      search.q
        ? sql`(${rank}, ${messages.sentAt}, ${messages.id}) < (${search.after.rank ?? 0}::real, ${search.after.sentAt}, ${search.after.id})`
        : sql`(${messages.sentAt}, ${messages.id}) < (${search.after.sentAt}, ${search.after.id})`,
    );
  }
  const rows = await db
    .select({ message: messages, rank })
    .from(messages)
    .where(and(...conditions))
    .orderBy(...(search.q ? [sql`${rank} desc`] : []), newestFirst(messages.sentAt), newestFirst(messages.id))
    .limit(search.limit);
  return rows.map((row) => ({ ...row.message, rank: row.rank }));
}

export async function findMessageForUser(db: Executor, params: { userId: string; id: string }): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.id, params.id), inUserWorkspaces(params.userId, messages.workspaceId)))
    .limit(1);
  return row;
}
