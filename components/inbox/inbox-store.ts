import { matchesFilters } from "./format";
import type { Conversation, Filters, Message, Summary, ThreadMessage } from "./types";

// The inbox's client state as one reducer: conversations by id (the list, the thread header and the
// details pane all read the same object), the list's order and paging, cached threads, and the
// per-platform summary. REST pages, optimistic sends and realtime events all become actions here.

export type LoadStatus = "loading" | "ready" | "error";

export interface ListState {
  /** The filters (as a query string) this list was loaded for. */
  key: string;
  ids: string[];
  nextCursor: string | null;
  status: LoadStatus;
  loadingMore: boolean;
  error: string | null;
}

export interface ThreadState {
  /** Oldest first. */
  messages: ThreadMessage[];
  nextCursor: string | null;
  status: LoadStatus;
  loadingOlder: boolean;
  error: string | null;
}

export interface InboxState {
  conversations: Record<string, Conversation>;
  list: ListState;
  threads: Record<string, ThreadState>;
  summary: Summary;
  /** Counts changes to conversations (events, local actions): REST answers are dated by it. */
  clock: number;
  /** When each conversation last changed, by `clock`. */
  changedAt: Record<string, number>;
  /**
   * Messages another one took the place of (an optimistic bubble, an echo folded into our send).
   * Events and REST pages can arrive in any order, so one that still carries such a message must
   * not bring it back.
   */
  replaced: Record<string, true>;
}

export type InboxAction =
  | { type: "list/invalidate" }
  | {
      type: "list/loaded";
      key: string;
      conversations: Conversation[];
      nextCursor: string | null;
      append: boolean;
      /** `clock` when the request left: anything changed since is newer than the answer. */
      since: number;
      filters: Filters;
    }
  | { type: "list/error"; key: string; error: string; append: boolean }
  | { type: "list/loadingMore"; key: string }
  | { type: "conversation/upsert"; conversation: Conversation; filters: Filters; keep?: boolean }
  | { type: "conversation/patch"; id: string; patch: Partial<Conversation>; filters: Filters; keep?: boolean }
  | { type: "thread/loading"; id: string }
  | { type: "thread/loaded"; id: string; messages: Message[]; nextCursor: string | null; mode: "first" | "older" | "refresh" }
  | { type: "thread/error"; id: string; error: string; older: boolean }
  | { type: "thread/loadingOlder"; id: string }
  | { type: "threads/forget"; except: string | null }
  | { type: "message/upsert"; message: ThreadMessage; replaces?: string }
  | { type: "message/patch"; conversationId: string; id: string; patch: Partial<ThreadMessage> }
  | { type: "message/status"; id: string; status: Message["status"] }
  | { type: "messages/read"; conversationId: string; messageIds: string[]; unreadCount: number; filters: Filters; keep?: boolean }
  | { type: "summary/set"; summary: Summary };

export function initialInboxState(params: {
  key: string;
  conversations: Conversation[];
  nextCursor: string | null;
  summary: Summary;
  open?: { conversation: Conversation; messages: Message[]; nextCursor: string | null } | null;
}): InboxState {
  const conversations: Record<string, Conversation> = {};
  for (const conversation of params.conversations) conversations[conversation.id] = conversation;
  const threads: Record<string, ThreadState> = {};
  if (params.open) {
    conversations[params.open.conversation.id] ??= params.open.conversation;
    threads[params.open.conversation.id] = readyThread(params.open.messages, params.open.nextCursor);
  }
  return {
    conversations,
    list: {
      key: params.key,
      ids: params.conversations.map((conversation) => conversation.id),
      nextCursor: params.nextCursor,
      status: "ready",
      loadingMore: false,
      error: null,
    },
    threads,
    summary: params.summary,
    clock: 0,
    changedAt: {},
    replaced: {},
  };
}

/** The state with `conversation` stored and marked as changed now. */
function withConversation(state: InboxState, conversation: Conversation): InboxState {
  const clock = state.clock + 1;
  return {
    ...state,
    conversations: { ...state.conversations, [conversation.id]: conversation },
    clock,
    changedAt: { ...state.changedAt, [conversation.id]: clock },
  };
}

function readyThread(newestFirst: Message[], nextCursor: string | null): ThreadState {
  return { messages: sortMessages([...newestFirst]), nextCursor, status: "ready", loadingOlder: false, error: null };
}

/** Newest activity first, ties by id, as the API orders the list. */
export function compareConversations(a: Conversation, b: Conversation): number {
  const at = a.lastMessageAt ?? "";
  const bt = b.lastMessageAt ?? "";
  if (at !== bt) return Date.parse(bt || "1970-01-01") - Date.parse(at || "1970-01-01");
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Oldest first; sends still in flight stay at the end, in the order they were made. */
export function sortMessages(messages: ThreadMessage[]): ThreadMessage[] {
  return messages.sort((a, b) => {
    if (a.local && !b.local) return 1;
    if (!a.local && b.local) return -1;
    const diff = Date.parse(a.sentAt) - Date.parse(b.sentAt);
    if (diff !== 0) return diff;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

const statusRank: Record<Message["status"], number> = { received: 0, pending: 1, failed: 1, sent: 2, delivered: 3, read: 4 };

/** Late or reordered status events never move a message back (a retry may move failed forward). */
export function nextStatus(current: Message["status"], incoming: Message["status"]): Message["status"] {
  if (incoming === "failed") return current === "delivered" || current === "read" ? current : "failed";
  return statusRank[incoming] >= statusRank[current] ? incoming : current;
}

/**
 * Places a conversation in the loaded list where the API would, or takes it out when it no longer
 * belongs. `keep` holds a listed conversation in the list anyway (the open one, read under "Unread").
 */
function reposition(
  list: ListState,
  conversations: Record<string, Conversation>,
  conversation: Conversation,
  filters: Filters,
  keep = false,
): ListState {
  const present = list.ids.includes(conversation.id);
  const ids = list.ids.filter((id) => id !== conversation.id);
  // Under a search only the server knows what matches: keep what it listed, add nothing.
  const belongs = (keep && present) || (matchesFilters(conversation, filters) && (filters.q.trim() === "" || present));
  if (!belongs) return present ? { ...list, ids } : list;
  let index = ids.findIndex((id) => {
    const other = conversations[id];
    return other !== undefined && compareConversations(conversation, other) < 0;
  });
  if (index === -1) {
    // Older than everything loaded: it arrives with a later page, unless this is the last one.
    if (list.nextCursor !== null && !present) return list;
    index = ids.length;
  }
  ids.splice(index, 0, conversation.id);
  return { ...list, ids };
}

function updateThread(state: InboxState, id: string, update: (thread: ThreadState) => ThreadState): InboxState {
  const thread = state.threads[id];
  if (!thread) return state;
  return { ...state, threads: { ...state.threads, [id]: update(thread) } };
}

function mergeMessages(existing: ThreadMessage[], incoming: Message[], replaced: Record<string, true>): ThreadMessage[] {
  const byId = new Map(existing.map((message) => [message.id, message]));
  for (const message of incoming) {
    if (replaced[message.id]) continue;
    const current = byId.get(message.id);
    byId.set(message.id, current ? { ...message, status: nextStatus(current.status, message.status) } : message);
  }
  return sortMessages([...byId.values()]);
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case "list/invalidate":
      // Loaded for no filters at all: the list shows as loading until a fresh first page arrives.
      return { ...state, list: { ...state.list, key: "\u0000", status: "loading", loadingMore: false, error: null } };
    case "list/loadingMore":
      if (action.key !== state.list.key) return state;
      return { ...state, list: { ...state.list, loadingMore: true, error: null } };
    case "list/loaded": {
      if (action.append && action.key !== state.list.key) return state;
      const conversations = { ...state.conversations };
      for (const conversation of action.conversations) conversations[conversation.id] = conversation;
      const fresh = action.conversations.map((conversation) => conversation.id);
      const ids = action.append ? [...state.list.ids, ...fresh.filter((id) => !state.list.ids.includes(id))] : fresh;
      let list: ListState = {
        key: action.key,
        ids,
        nextCursor: action.nextCursor,
        status: "ready",
        loadingMore: false,
        error: null,
      };
      // Events that arrived while the request was out are newer than its answer: they win, and a
      // conversation they brought stays listed even though the answer predates it.
      for (const [id, at] of Object.entries(state.changedAt)) {
        const newer = state.conversations[id];
        if (at <= action.since || !newer) continue;
        conversations[id] = newer;
        if (!action.append) list = reposition(list, conversations, newer, action.filters);
      }
      return { ...state, conversations, list };
    }
    case "list/error":
      if (action.append) {
        return action.key === state.list.key
          ? { ...state, list: { ...state.list, loadingMore: false, error: action.error } }
          : state;
      }
      return {
        ...state,
        list: { key: action.key, ids: [], nextCursor: null, status: "error", loadingMore: false, error: action.error },
      };
    case "conversation/upsert": {
      const previous = state.conversations[action.conversation.id];
      // An event can be older than what a later REST answer already gave us.
      const conversation =
        previous?.lastMessageAt && action.conversation.lastMessageAt && previous.lastMessageAt > action.conversation.lastMessageAt
          ? { ...action.conversation, lastMessageAt: previous.lastMessageAt, lastMessagePreview: previous.lastMessagePreview }
          : action.conversation;
      const next = withConversation(state, conversation);
      return { ...next, list: reposition(state.list, next.conversations, conversation, action.filters, action.keep) };
    }
    case "conversation/patch": {
      const previous = state.conversations[action.id];
      if (!previous) return state;
      const conversation = { ...previous, ...action.patch };
      const next = withConversation(state, conversation);
      return { ...next, list: reposition(state.list, next.conversations, conversation, action.filters, action.keep) };
    }
    case "thread/loading":
      return {
        ...state,
        threads: {
          ...state.threads,
          [action.id]: { messages: [], nextCursor: null, status: "loading", loadingOlder: false, error: null },
        },
      };
    case "thread/loadingOlder":
      return updateThread(state, action.id, (thread) => ({ ...thread, loadingOlder: true, error: null }));
    case "thread/loaded": {
      const thread = state.threads[action.id];
      if (action.mode === "older") {
        return updateThread(state, action.id, (current) => ({
          ...current,
          messages: mergeMessages(current.messages, action.messages, state.replaced),
          nextCursor: action.nextCursor,
          loadingOlder: false,
          status: "ready",
          error: null,
        }));
      }
      if (action.mode === "refresh" && thread?.status === "ready") {
        // After a reconnection: merge the newest page in. If it does not reach back to what we had,
        // messages may be missing in between, so start over from this page.
        const newestKnown = thread.messages.filter((message) => !message.local).at(-1);
        const oldestFetched = action.messages.at(-1);
        const gap =
          action.nextCursor !== null &&
          newestKnown !== undefined &&
          oldestFetched !== undefined &&
          Date.parse(oldestFetched.sentAt) > Date.parse(newestKnown.sentAt);
        if (!gap)
          return updateThread(state, action.id, (current) => ({
            ...current,
            messages: mergeMessages(current.messages, action.messages, state.replaced),
          }));
      }
      // A fresh first page; keep sends still in flight, and what events brought while it loaded
      // (the answer may predate them: a customer's message arriving as the thread opens).
      const keep = (thread?.messages ?? []).filter((message) => message.local || thread?.status === "loading");
      return {
        ...state,
        threads: {
          ...state.threads,
          [action.id]: { ...readyThread([], action.nextCursor), messages: mergeMessages(keep, action.messages, state.replaced) },
        },
      };
    }
    case "thread/error":
      if (action.older)
        return updateThread(state, action.id, (thread) => ({ ...thread, loadingOlder: false, error: action.error }));
      return {
        ...state,
        threads: {
          ...state.threads,
          [action.id]: { messages: [], nextCursor: null, status: "error", loadingOlder: false, error: action.error },
        },
      };
    case "threads/forget": {
      const threads: Record<string, ThreadState> = {};
      if (action.except && state.threads[action.except]) threads[action.except] = state.threads[action.except] as ThreadState;
      return { ...state, threads };
    }
    case "message/upsert": {
      const { message, replaces } = action;
      const replaced = replaces ? { ...state.replaced, [replaces]: true as const } : state.replaced;
      const next = updateThread(state, message.conversationId, (thread) => {
        const messages = replaces ? thread.messages.filter((existing) => existing.id !== replaces) : thread.messages;
        return { ...thread, messages: mergeMessages(messages, [message], replaced) };
      });
      return replaced === state.replaced ? next : { ...next, replaced };
    }
    case "message/patch":
      return updateThread(state, action.conversationId, (thread) => ({
        ...thread,
        messages: thread.messages.map((message) => (message.id === action.id ? { ...message, ...action.patch } : message)),
      }));
    case "message/status": {
      let changed = false;
      const threads = { ...state.threads };
      for (const [id, thread] of Object.entries(state.threads)) {
        if (!thread.messages.some((message) => message.id === action.id)) continue;
        changed = true;
        threads[id] = {
          ...thread,
          messages: thread.messages.map((message) =>
            message.id === action.id ? { ...message, status: nextStatus(message.status, action.status) } : message,
          ),
        };
      }
      return changed ? { ...state, threads } : state;
    }
    case "messages/read": {
      const read = new Set(action.messageIds);
      const withThread = updateThread(state, action.conversationId, (thread) => ({
        ...thread,
        messages: thread.messages.map((message) => (read.has(message.id) ? { ...message, isRead: true } : message)),
      }));
      return inboxReducer(withThread, {
        type: "conversation/patch",
        id: action.conversationId,
        patch: { unreadCount: action.unreadCount },
        filters: action.filters,
        keep: action.keep,
      });
    }
    case "summary/set":
      return { ...state, summary: action.summary };
  }
}
