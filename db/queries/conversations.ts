import "server-only";
import { and, eq, gt, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findUserWorkspaceIds, inUserWorkspaces } from "@/db/queries/workspaces";
import { contacts, conversations, messages, type Contact, type Conversation, type Platform } from "@/db/schema";
import { newestFirst } from "@/db/queries/order";

export interface ConversationRow {
  conversation: Conversation;
  contact: Contact;
}

/** websearch syntax, matched word for word ('simple') and by English stems, as the search vector holds both. */
export function textQuery(q: string): SQL {
  return sql`(websearch_to_tsquery('english'::regconfig, ${q}) || websearch_to_tsquery('simple'::regconfig, ${q}))`;
}

export interface ConversationFilters {
  userId: string;
  workspaceId?: string;
  platform?: Platform;
  platformAccountId?: string;
  unread?: boolean;
  archived?: boolean;
  q?: string;
  after?: { lastMessageAt: Date; id: string };
  limit: number;
}

/**
 * One page of the conversation list, newest activity first, in one query (contact joined).
 * Keyset on (last_message_at, id) served by conversations_workspace_activity_idx.
 */
export async function listConversations(db: Executor, filters: ConversationFilters): Promise<ConversationRow[]> {
  // The workspaces spelled out: with only the membership subquery, PostgreSQL cannot walk the
  // activity index in order, and sorted all 20,000 conversations of a workspace (each joined to its
  // contact) for every page: 100+ ms instead of a few (npm run bench, scenario 3).
  const workspaceIds = filters.workspaceId ? [filters.workspaceId] : await findUserWorkspaceIds(db, { userId: filters.userId });
  const [onlyWorkspace] = workspaceIds;
  if (onlyWorkspace === undefined) return [];
  const conditions: (SQL | undefined)[] = [
    inUserWorkspaces(filters.userId, conversations.workspaceId),
    workspaceIds.length === 1 ? eq(conversations.workspaceId, onlyWorkspace) : inArray(conversations.workspaceId, workspaceIds),
    // A conversation shows once it has a message; a bare referral has nothing to show yet.
    isNotNull(conversations.lastMessageAt),
    eq(conversations.isArchived, filters.archived ?? false),
    filters.platform ? eq(conversations.platform, filters.platform) : undefined,
    filters.platformAccountId ? eq(conversations.platformAccountId, filters.platformAccountId) : undefined,
    filters.unread ? gt(conversations.unreadCount, 0) : undefined,
    filters.after
      ? sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${filters.after.lastMessageAt}, ${filters.after.id})`
      : undefined,
  ];
  if (filters.q) {
    const like = `%${filters.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    conditions.push(
      sql`(${contacts.name} ilike ${like} or ${contacts.username} ilike ${like} or ${contacts.externalId} = ${filters.q} or ${conversations.id} in (
        select ${messages.conversationId} from ${messages}
        where ${inUserWorkspaces(filters.userId, messages.workspaceId)} and ${messages.searchVector} @@ ${textQuery(filters.q)}))`,
    );
  }
  return db
    .select({ conversation: conversations, contact: contacts })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(...conditions))
    .orderBy(newestFirst(conversations.lastMessageAt), newestFirst(conversations.id))
    .limit(filters.limit);
}

export async function findConversationForUser(
  db: Executor,
  params: { userId: string; id: string },
): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select({ conversation: conversations, contact: contacts })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(conversations.id, params.id), inUserWorkspaces(params.userId, conversations.workspaceId)))
    .limit(1);
  return row;
}

export async function setConversationArchived(
  db: Executor,
  params: { id: string; isArchived: boolean },
): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ isArchived: params.isArchived })
    .where(eq(conversations.id, params.id))
    .returning();
  return row;
}

export interface PlatformSummary {
  platform: Platform;
  conversations: number;
  unread: number;
}

/** Per-platform counts for the inbox's platform selector (non-archived conversations). */
export async function summarizeConversations(
  db: Executor,
  params: { userId: string; workspaceId?: string },
): Promise<PlatformSummary[]> {
  return db
    .select({
      platform: conversations.platform,
      conversations: sql<number>`count(*)::int`,
      unread: sql<number>`count(*) filter (where ${conversations.unreadCount} > 0)::int`,
    })
    .from(conversations)
    .where(
      and(
        inUserWorkspaces(params.userId, conversations.workspaceId),
        params.workspaceId ? eq(conversations.workspaceId, params.workspaceId) : undefined,
        eq(conversations.isArchived, false),
        isNotNull(conversations.lastMessageAt),
      ),
    )
    .groupBy(conversations.platform);
}

export async function findConversationsByIds(db: Executor, params: { ids: string[] }): Promise<Conversation[]> {
  if (params.ids.length === 0) return [];
  return db.select().from(conversations).where(inArray(conversations.id, params.ids));
}
