import "server-only";
import type { Database } from "@/db/client";
import { requestRollUpAfterImport } from "@/lib/analytics/rollup-requests";
import { settleImportedReadState } from "@/db/queries/ingest";
import { findPlatformAccount, updateSyncState } from "@/db/queries/platform-accounts";
import type { PlatformAccount } from "@/db/schema";
import type { Logger } from "@/lib/logger";
import { withAccountToken } from "@/lib/platforms/account-token";
import { graph, graphPages } from "@/lib/platforms/meta/graph";
import { withRealtime } from "@/lib/realtime/publish";
import { GRAPH_MESSAGE_FIELDS, graphMessageEvents, type GraphMessage, type GraphParticipant } from "@/lib/sync/graph-messages";
import { applyEntry } from "@/lib/webhooks/apply";
import type { NormalizedEvent } from "@/lib/webhooks/events";

// History import for Messenger and Instagram through the Conversations API, one page of
// conversations per step. The position is saved after every step, so a failed or interrupted
// import resumes where it stopped; messages are keyed by their platform id, so running it again
// imports nothing twice. WhatsApp has no history API: its history arrives as webhooks.

export const CONVERSATIONS_PER_STEP = 25;
const MESSAGES_PER_PAGE = 50;
const MAX_MESSAGE_PAGES = 40;

export interface SyncState {
  syncId: string;
  /** Meta's `paging.next` for the conversations still to import; null before the first step. */
  next: string | null;
  /** Incremental syncs stop at conversations untouched since this instant. */
  since: string | null;
  imported: number;
  conversations: number;
  /** Conversations per step (smaller steps save the position more often). */
  pageSize: number;
  /** When the import began (its messages are the ones created since); absent in cursors saved before. */
  startedAt?: string;
}

export interface StepResult {
  state: SyncState;
  done: boolean;
}

interface GraphConversation {
  id: string;
  updated_time: string;
  unread_count?: number;
  participants?: { data?: GraphParticipant[] };
}

export function supportsHistory(account: Pick<PlatformAccount, "platform">): boolean {
  return account.platform !== "whatsapp";
}

function initialState(account: PlatformAccount, syncId: string, since: Date | null, pageSize: number): SyncState {
  const saved = account.syncCursor as SyncState | null;
  if (saved && saved.syncId === syncId) return saved;
  return {
    syncId,
    next: null,
    since: since?.toISOString() ?? null,
    imported: 0,
    conversations: 0,
    pageSize,
    startedAt: new Date().toISOString(),
  };
}

/** Announces the start (for the Sync now button and the connect flow) and returns the state to run with. */
export async function startSync(
  db: Database,
  params: { platformAccountId: string; syncId: string; since: Date | null; pageSize?: number },
): Promise<SyncState | null> {
  const account = await findPlatformAccount(db, { id: params.platformAccountId });
  if (!account || account.status !== "active") return null;
  const state = initialState(account, params.syncId, params.since, params.pageSize ?? CONVERSATIONS_PER_STEP);
  await withRealtime(db, async (tx, record) => {
    await updateSyncState(tx, { id: account.id, syncCursor: { ...state } });
    await record({
      workspaceId: account.workspaceId,
      type: "sync_started",
      payload: { platformId: account.id, syncId: params.syncId },
    });
  });
  return state;
}

/** Imports one page of conversations (with all their messages since the bound) and saves the position. */
export async function syncStep(
  db: Database,
  params: { platformAccountId: string; state: SyncState },
  log: Logger,
): Promise<StepResult> {
  const account = await findPlatformAccount(db, { id: params.platformAccountId });
  if (!account || account.status !== "active") return { state: params.state, done: true };
  const state = { ...params.state };
  if (!supportsHistory(account)) {
    await finish(db, account, state);
    return { state, done: true };
  }
  const since = state.since ? new Date(state.since) : null;
  const businessId = account.externalId;

  const page = await withAccountToken(db, account, (token) =>
    graph<{ data: GraphConversation[]; paging?: { next?: string } }>(
      state.next
        ? { path: state.next, token }
        : {
            path: `${account.pageId ?? account.externalId}/conversations`,
            token,
            query: {
              platform: account.platform,
              fields: "id,updated_time,unread_count,participants",
              limit: state.pageSize ?? CONVERSATIONS_PER_STEP,
            },
          },
    ),
  );

  let reachedBound = false;
  for (const conversation of page.data) {
    if (since && new Date(conversation.updated_time) < since) {
      reachedBound = true;
      break;
    }
    const person = conversation.participants?.data?.find((participant) => participant.id !== businessId);
    if (!person) continue;
    const customer = { externalId: person.id, name: person.name ?? null, username: person.username ?? null };
    const events: NormalizedEvent[] = [];
    await withAccountToken(db, account, async (token) => {
      for await (const messages of graphPages<GraphMessage>(
        { path: `${conversation.id}/messages`, token, query: { fields: GRAPH_MESSAGE_FIELDS, limit: MESSAGES_PER_PAGE } },
        MAX_MESSAGE_PAGES,
      )) {
        const fresh = since ? messages.filter((message) => new Date(message.created_time) >= since) : messages;
        for (const message of fresh) events.push(...graphMessageEvents(message, businessId, customer));
        if (fresh.length < messages.length) break;
      }
    });
    // No live announcements per message: a history import would flood open inboxes. Progress events instead.
    const outcome = await withRealtime(db, async (tx) => {
      const entry = { platform: account.platform, accountExternalId: businessId, events, ignored: [], rejected: [] };
      const applied = await applyEntry(tx, account, entry, undefined);
      const imported = applied.changes.flatMap((change) => (change.type === "new_message" ? [change.message] : []));
      const conversationId = imported[0]?.conversationId;
      // History is not all news: only as many messages as Meta counts unread stay unread.
      if (conversationId && typeof conversation.unread_count === "number") {
        const importedIds = imported.map((message) => message.id);
        await settleImportedReadState(tx, { conversationId, importedIds, platformUnread: conversation.unread_count });
      }
      return applied;
    });
    state.imported += outcome.changes.filter((change) => change.type === "new_message").length;
    state.conversations += 1;
  }

  state.next = reachedBound ? null : (page.paging?.next ?? null);
  const done = state.next === null;
  if (done) {
    await finish(db, account, state);
  } else {
    await withRealtime(db, async (tx, record) => {
      await updateSyncState(tx, { id: account.id, syncCursor: { ...state } });
      await record({
        workspaceId: account.workspaceId,
        type: "sync_progress",
        payload: { platformId: account.id, syncId: state.syncId, imported: state.imported, conversations: state.conversations },
      });
    });
  }
  log.info(
    { platformAccountId: account.id, syncId: state.syncId, imported: state.imported, conversations: state.conversations, done },
    done ? "sync completed" : "sync step",
  );
  return { state, done };
}

async function finish(db: Database, account: PlatformAccount, state: SyncState): Promise<void> {
  await withRealtime(db, async (tx, record) => {
    await updateSyncState(tx, { id: account.id, syncCursor: null, lastSyncedAt: new Date() });
    await record({
      workspaceId: account.workspaceId,
      type: "sync_completed",
      payload: { platformId: account.id, syncId: state.syncId, imported: state.imported },
    });
  });
  // Imported history lands on closed days: their roll-ups are recomputed to include it.
  if (state.imported > 0 && state.startedAt) {
    await requestRollUpAfterImport(db, {
      workspaceId: account.workspaceId,
      platformAccountId: account.id,
      importStartedAt: new Date(state.startedAt),
    });
  }
}

/** When a periodic sync should look back to: the last sync, with an overlap for clock skew. */
export function incrementalSince(account: Pick<PlatformAccount, "lastSyncedAt">): Date | null {
  return account.lastSyncedAt ? new Date(account.lastSyncedAt.getTime() - 10 * 60_000) : null;
}
