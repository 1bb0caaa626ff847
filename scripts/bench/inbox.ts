import type pg from "pg";
import { findConversationForUser, listConversations } from "@/db/queries/conversations";
import { listConversationMessages, searchMessages } from "@/db/queries/messages";
import type { BenchConfig } from "./config";
import { explainAll, type ExplainedStatement } from "./explain";
import { measureRequests, type Timing } from "./measure";
import { api } from "./session";

// Scenario 3: the inbox API over the seeded data, as the inbox page and API clients call it:
// the conversation list (first page, and later pages by cursor), a thread page, and search (`q`)
// over messages and over conversations. Each is timed end to end over HTTP (sequentially, so a
// request never waits behind the bench's own), and the statements behind it are EXPLAINed.

interface ConversationDto {
  id: string;
  lastMessageAt: string;
}

export interface InboxResult {
  endpoints: Record<"listFirstPage" | "listLaterPage" | "threadPage" | "searchMessages" | "searchConversations", Timing>;
  searchTerms: string[];
  /** How deep the "later page" requests went: page numbers of the list. */
  laterPages: { from: number; to: number };
  plans: Record<string, ExplainedStatement[]>;
}

/** Common words, rarer words, a name, a phrase, another language, an order number: what people type. */
const SEARCH_TERMS = ["refund", "Yirgacheffe", "tracking number", "Priya", "entregamos", "cold brew"];

/** Pages through the list once (bounded) to collect later-page cursors and conversations to open. */
async function walkList(appUrl: string, token: string, maxPages: number) {
  const pages: { cursor: string; last: ConversationDto }[] = [];
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 1; page <= maxPages; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const body: { conversations: ConversationDto[]; nextCursor: string | null } = await api(
      appUrl,
      `/api/conversations?limit=50${query}`,
      { token },
    );
    ids.push(...body.conversations.map((conversation) => conversation.id));
    const last = body.conversations[body.conversations.length - 1];
    if (!body.nextCursor || !last) break;
    pages.push({ cursor: body.nextCursor, last });
    cursor = body.nextCursor;
  }
  return { pages, ids };
}

async function orderNumber(db: pg.Pool, workspaceId: string): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `select substring(text from '#([0-9]{5})') as n from messages where workspace_id = $1 and text like '%#%' limit 1`,
    [workspaceId],
  );
  return rows[0]?.n ?? "48213";
}

/** A fixed shuffle (so runs compare) of the first `count` items. */
function spread<T>(items: T[], count: number): T[] {
  const picked: T[] = [];
  for (let i = 0; i < count && items.length; i++) picked.push(items[(i * 7919) % items.length] as T);
  return picked;
}

export async function benchInbox(
  db: pg.Pool,
  options: { appUrl: string; token: string; userId: string; workspaceId: string; config: BenchConfig },
): Promise<InboxResult> {
  const { appUrl, token, userId, config } = options;
  const { samples, warmup } = config.inbox;
  const { pages, ids } = await walkList(appUrl, token, 40);
  if (pages.length < 2 || ids.length === 0) throw new Error("the seeded inbox has too few conversations to page through");
  // pages[k] holds the cursor of page k + 2; "later" starts at page 6 (or as deep as the data goes).
  const skip = Math.min(4, pages.length - 1);
  const later = pages.slice(skip);
  const terms = [...SEARCH_TERMS, await orderNumber(db, options.workspaceId)];
  const threads = spread(ids, 100);
  const q = (term: string) => encodeURIComponent(term);

  const endpoints = {
    listFirstPage: await measureRequests(appUrl, token, ["/api/conversations?limit=50"], samples, warmup),
    listLaterPage: await measureRequests(
      appUrl,
      token,
      later.map((page) => `/api/conversations?limit=50&cursor=${encodeURIComponent(page.cursor)}`),
      samples,
      warmup,
    ),
    threadPage: await measureRequests(
      appUrl,
      token,
      threads.map((id) => `/api/conversations/${id}/messages?limit=50`),
      samples,
      warmup,
    ),
    searchMessages: await measureRequests(
      appUrl,
      token,
      terms.map((term) => `/api/messages?q=${q(term)}&limit=50`),
      samples,
      warmup,
    ),
    searchConversations: await measureRequests(
      appUrl,
      token,
      terms.map((term) => `/api/conversations?q=${q(term)}&limit=50`),
      samples,
      warmup,
    ),
  };

  const deep = later[later.length - 1]?.last;
  const thread = threads[0] as string;
  // The statements the routes run (db/queries, called as lib/messaging calls them: limit + 1 to learn about a next page).
  const plans: Record<string, ExplainedStatement[]> = {
    listFirstPage: await explainAll(db, (rec) => listConversations(rec, { userId, archived: false, limit: 51 })),
    listLaterPage: await explainAll(db, (rec) =>
      listConversations(rec, {
        userId,
        archived: false,
        limit: 51,
        after: deep ? { lastMessageAt: new Date(deep.lastMessageAt), id: deep.id } : undefined,
      }),
    ),
    threadPage: await explainAll(db, async (rec) => {
      await findConversationForUser(rec, { userId, id: thread });
      await listConversationMessages(rec, { conversationId: thread, limit: 51 });
    }),
  };
  for (const term of [terms[0] as string, terms[terms.length - 1] as string]) {
    plans[`searchMessages:${term}`] = await explainAll(db, (rec) => searchMessages(rec, { userId, q: term, limit: 51 }));
    plans[`searchConversations:${term}`] = await explainAll(db, (rec) =>
      listConversations(rec, { userId, archived: false, q: term, limit: 51 }),
    );
  }
  return { endpoints, searchTerms: terms, laterPages: { from: skip + 2, to: pages.length + 1 }, plans };
}
