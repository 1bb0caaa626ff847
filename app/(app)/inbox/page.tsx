import type { Metadata } from "next";
import { InboxApp, type InboxAppProps } from "@/components/inbox/inbox-app";
import { parseFilters } from "@/components/inbox/format";
import { LIST_PAGE_SIZE, THREAD_PAGE_SIZE } from "@/components/inbox/inbox-api";
import { getDb } from "@/db/client";
import { listPlatformAccountsForUser } from "@/db/queries/platform-accounts";
import { getCurrentWorkspace, requireUser } from "@/lib/auth/session";
import { conversationSummary, getConversation, listConversationPage } from "@/lib/messaging/conversations";
import { listThreadPage } from "@/lib/messaging/messages";

export const metadata: Metadata = { title: "Inbox" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SearchParams = Record<string, string | string[] | undefined>;

// The first screen renders here (list, counts and a deep-linked thread); the client takes over after.
export default async function InboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const first = (name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const user = await requireUser("/inbox");
  const { current } = await getCurrentWorkspace(user.id);
  const db = getDb();
  const filters = parseFilters(first);
  const openId = first("c");

  const [accounts, page, summary, open] = await Promise.all([
    listPlatformAccountsForUser(db, { userId: user.id, workspaceId: current.id }),
    listConversationPage(db, {
      userId: user.id,
      query: {
        workspaceId: current.id,
        platform: filters.platform ?? undefined,
        unread: filters.unread || undefined,
        archived: filters.archived || undefined,
        q: filters.q.trim() || undefined,
        limit: LIST_PAGE_SIZE,
      },
    }),
    conversationSummary(db, { userId: user.id, workspaceId: current.id }),
    openId && UUID.test(openId) ? loadOpen(user.id, openId) : null,
  ]);
  const live = accounts.filter((account) => account.status !== "disconnected");

  const props: InboxAppProps = {
    workspaceId: current.id,
    serverNow: requestTime(),
    hasPlatforms: live.length > 0,
    platforms: [...new Set(live.map((account) => account.platform))],
    initialFilters: filters,
    initialConversations: page.conversations,
    initialNextCursor: page.nextCursor,
    initialSummary: summary,
    initialOpen: open,
  };
  return <InboxApp {...props} />;
}

/** The server's "now" for relative times in the first render (the browser's clock takes over once hydrated). */
function requestTime(): number {
  return Date.now();
}

async function loadOpen(userId: string, id: string): Promise<InboxAppProps["initialOpen"]> {
  try {
    const [conversation, thread] = await Promise.all([
      getConversation(getDb(), { userId, id }),
      listThreadPage(getDb(), { userId, conversationId: id, limit: THREAD_PAGE_SIZE }),
    ]);
    return { conversation, messages: thread.messages, nextCursor: thread.nextCursor };
  } catch {
    // Not found (or not ours): the client shows that, after asking the API itself.
    return null;
  }
}
