"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from "react";
import { useRealtimeEvent, useRealtimeStatus } from "@/components/realtime/realtime-provider";
import { useToast } from "@/components/ui/toast";
import { ApiError } from "@/lib/client/api";
import { ClockProvider, useClock, useHydrated } from "./clock";
import { ConversationList, type SearchHits } from "./conversation-list";
import { DetailsPane } from "./details-pane";
import { previewOf } from "@/lib/messaging/preview";
import { displayName, filtersKey, filtersToParams, parseFilters } from "./format";
import { Icon } from "./icons";
import * as api from "./inbox-api";
import { inboxReducer, initialInboxState, type InboxState } from "./inbox-store";
import { ThreadSkeleton } from "./skeletons";
import type { TemplateChoice } from "./template-picker";
import { ThreadView } from "./thread-view";
import type { Conversation, Filters, Message, Platform, SendBody, Summary, ThreadMessage } from "./types";

// The inbox: list, thread and details panes over one reducer. The URL holds what is deep-linkable
// (?c=<conversation>, filters); the native History API changes it without a server round trip.
// First data comes from the server render; later pages from the REST API; changes from realtime events.

export interface InboxAppProps {
  workspaceId: string;
  serverNow: number;
  hasPlatforms: boolean;
  platforms: Platform[];
  initialFilters: Filters;
  initialConversations: Conversation[];
  initialNextCursor: string | null;
  initialSummary: Summary;
  initialOpen: { conversation: Conversation; messages: Message[]; nextCursor: string | null } | null;
}

/**
 * The open conversation as the URL has it. Opening one writes the URL at once, while the rendered
 * selection (useSearchParams) follows a render later: fast keys must go by the URL.
 */
function selectionInUrl(): string | null {
  return new URLSearchParams(window.location.search).get("c");
}

export function InboxApp(props: InboxAppProps) {
  return (
    <ClockProvider serverNow={props.serverNow}>
      <Inbox {...props} />
    </ClockProvider>
  );
}

function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong. Try again.";
}

function subscribeVisibility(onChange: () => void) {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}

function useDocumentVisible(): boolean {
  return useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === "visible",
    () => true,
  );
}

let localSequence = 0;
function localId(): string {
  localSequence += 1;
  return `local-${Date.now().toString(36)}-${localSequence}`;
}

/** A 422/502 after the server stored the message (as failed) names it in `details.messageId`, so it can be retried. */
function storedMessageIdOf(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const id = error.details?.messageId;
  return typeof id === "string" ? id : null;
}

function Inbox(props: InboxAppProps) {
  const { workspaceId } = props;
  const router = useRouter();
  const toast = useToast();
  const { now } = useClock();
  const hydrated = useHydrated();
  const visible = useDocumentVisible();
  const searchParams = useSearchParams();
  const selectedId = searchParams.get("c");
  const filters = useMemo(() => parseFilters((name) => searchParams.get(name)), [searchParams]);
  const key = filtersKey(filters);

  const [state, dispatch] = useReducer(inboxReducer, props, (initial): InboxState =>
    initialInboxState({
      key: filtersKey(initial.initialFilters),
      conversations: initial.initialConversations,
      nextCursor: initial.initialNextCursor,
      summary: initial.initialSummary,
      open: initial.initialOpen,
    }),
  );
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [focusMessageId, setFocusMessageId] = useState<string | null>(() => searchParams.get("m"));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [hits, setHits] = useState<(SearchHits & { key: string }) | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const pushed = useRef(false);
  const reading = useRef(new Set<string>());
  const summaryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const selected = selectedId ? state.conversations[selectedId] : undefined;
  const selectedThread = selectedId ? state.threads[selectedId] : undefined;

  // ---- URL ----------------------------------------------------------------------------------------
  const urlFor = useCallback(
    (patch: { c?: string | null; filters?: Filters }) => {
      const params = filtersToParams(patch.filters ?? filters);
      const conversation = patch.c === undefined ? selectedId : patch.c;
      if (conversation) params.set("c", conversation);
      const text = params.toString();
      return text ? `/inbox?${text}` : "/inbox";
    },
    [filters, selectedId],
  );
  const hrefFor = useCallback((id: string) => urlFor({ c: id }), [urlFor]);

  const openConversation = useCallback(
    (id: string, messageId?: string) => {
      setFocusMessageId(messageId ?? null);
      const current = selectionInUrl();
      if (id === current) return;
      const url = urlFor({ c: id });
      // The first conversation opened gets its own history entry: Back (on a phone) returns to the list.
      if (current) {
        window.history.replaceState(null, "", url);
      } else {
        window.history.pushState(null, "", url);
        pushed.current = true;
      }
    },
    [urlFor],
  );

  const closeConversation = useCallback(() => {
    setDetailsOpen(false);
    if (pushed.current) {
      pushed.current = false;
      window.history.back();
    } else {
      window.history.replaceState(null, "", urlFor({ c: null }));
    }
  }, [urlFor]);

  const changeFilters = useCallback(
    (patch: Partial<Filters>) => window.history.replaceState(null, "", urlFor({ filters: { ...filters, ...patch } })),
    [filters, urlFor],
  );

  // ---- Summary and tab title ------------------------------------------------------------------------
  const refreshSummary = useCallback(() => {
    clearTimeout(summaryTimer.current);
    summaryTimer.current = setTimeout(() => {
      api.getSummary(workspaceId).then(
        (summary) => dispatch({ type: "summary/set", summary }),
        () => undefined,
      );
    }, 250);
  }, [workspaceId]);
  useEffect(() => () => clearTimeout(summaryTimer.current), []);

  const totalUnread = state.summary.totalUnread;
  useEffect(() => {
    const wanted = totalUnread > 0 ? `(${totalUnread}) Inbox · Chats` : "Inbox · Chats";
    const apply = () => {
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    // Next re-applies the page's metadata title on URL changes; keep the count in it.
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [totalUnread]);

  // ---- The list ------------------------------------------------------------------------------------
  // The reducer's clock as of the last render, to date list requests (events after it win over their answer).
  const clock = useRef(state.clock);
  useEffect(() => {
    clock.current = state.clock;
  });
  const listIsCurrent = state.list.key === key;
  /** Fetches a page of the list and files it, dated by when the request left (events since then win). */
  const fetchListPage = useCallback(
    (cursor: string | null, append: boolean, signal?: AbortSignal) => {
      const since = clock.current;
      return api.listConversations(workspaceId, filters, cursor, signal).then((page) =>
        dispatch({
          type: "list/loaded",
          key,
          conversations: page.conversations,
          nextCursor: page.nextCursor,
          append,
          since,
          filters,
        }),
      );
    },
    [workspaceId, filters, key],
  );

  useEffect(() => {
    if (listIsCurrent) return;
    const controller = new AbortController();
    fetchListPage(null, false, controller.signal).catch((error: unknown) => {
      if (!controller.signal.aborted) dispatch({ type: "list/error", key, error: errorText(error), append: false });
    });
    return () => controller.abort();
  }, [listIsCurrent, key, fetchListPage]);

  const { nextCursor: listCursor, loadingMore } = state.list;
  const loadMore = useCallback(() => {
    if (!listIsCurrent || !listCursor || loadingMore) return;
    dispatch({ type: "list/loadingMore", key });
    fetchListPage(listCursor, true).catch((error: unknown) =>
      dispatch({ type: "list/error", key, error: errorText(error), append: true }),
    );
  }, [listIsCurrent, listCursor, loadingMore, key, fetchListPage]);

  /** A quiet reload of the first page (after a reconnection or a sync), keeping what is shown meanwhile. */
  const refreshList = useCallback(() => {
    fetchListPage(null, false).catch(() => undefined);
  }, [fetchListPage]);

  // ---- Search hits among messages ------------------------------------------------------------------
  const hitsKey = filters.q.trim() ? key : null;
  useEffect(() => {
    if (!hitsKey) return;
    const controller = new AbortController();
    api.searchMessages(workspaceId, filters, controller.signal).then(
      (page) => setHits({ key: hitsKey, status: "ready", messages: page.messages }),
      () => {
        if (!controller.signal.aborted) setHits({ key: hitsKey, status: "error", messages: [] });
      },
    );
    return () => controller.abort();
  }, [hitsKey, filters, workspaceId]);
  const currentHits: SearchHits | null = hitsKey ? (hits?.key === hitsKey ? hits : { status: "loading", messages: [] }) : null;

  // ---- The open conversation -------------------------------------------------------------------------
  const needsConversation = selectedId !== null && selected === undefined && missing[selectedId] === undefined;
  useEffect(() => {
    if (!selectedId || !needsConversation) return;
    const controller = new AbortController();
    api.getConversation(selectedId, controller.signal).then(
      (conversation) => dispatch({ type: "conversation/upsert", conversation, filters, keep: true }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const text =
          error instanceof ApiError && (error.status === 404 || error.status === 400)
            ? "This conversation does not exist, or you do not have access to it."
            : errorText(error);
        setMissing((current) => ({ ...current, [selectedId]: text }));
      },
    );
    return () => controller.abort();
  }, [selectedId, needsConversation, filters]);

  const fetchThread = useCallback((id: string, mode: "first" | "refresh", signal?: AbortSignal) => {
    api.listMessages(id, null, signal).then(
      (page) => dispatch({ type: "thread/loaded", id, messages: page.messages, nextCursor: page.nextCursor, mode }),
      (error: unknown) => {
        if (signal?.aborted || mode === "refresh") return;
        dispatch({ type: "thread/error", id, error: errorText(error), older: false });
      },
    );
  }, []);

  const needsThread = selectedId !== null && selectedThread === undefined;
  useEffect(() => {
    if (!selectedId || !needsThread) return;
    const controller = new AbortController();
    fetchThread(selectedId, "first", controller.signal);
    return () => controller.abort();
  }, [selectedId, needsThread, fetchThread]);

  const reloadThread = useCallback(() => {
    if (!selectedId) return;
    dispatch({ type: "thread/loading", id: selectedId });
    fetchThread(selectedId, "first");
  }, [selectedId, fetchThread]);

  const olderCursor = selectedThread?.nextCursor ?? null;
  const loadingOlder = selectedThread?.loadingOlder ?? false;
  const loadOlder = useCallback(() => {
    if (!selectedId || !olderCursor || loadingOlder) return;
    const id = selectedId;
    dispatch({ type: "thread/loadingOlder", id });
    api.listMessages(id, olderCursor).then(
      (page) => dispatch({ type: "thread/loaded", id, messages: page.messages, nextCursor: page.nextCursor, mode: "older" }),
      (error: unknown) => dispatch({ type: "thread/error", id, error: errorText(error), older: true }),
    );
  }, [selectedId, olderCursor, loadingOlder]);

  // Reading: an open conversation in a visible tab is read; its badge, the counts and the title follow.
  const selectedUnread = selected?.unreadCount ?? 0;
  useEffect(() => {
    if (!selectedId || !visible || selectedUnread === 0 || reading.current.has(selectedId)) return;
    const id = selectedId;
    const inFlight = reading.current;
    inFlight.add(id);
    api
      .markConversationRead(id)
      .then(
        (conversation) => {
          dispatch({ type: "conversation/patch", id, patch: { unreadCount: conversation.unreadCount }, filters, keep: true });
          refreshSummary();
        },
        (error: unknown) => toast(`Could not mark the conversation read: ${errorText(error)}`, "error"),
      )
      .finally(() => inFlight.delete(id));
  }, [selectedId, visible, selectedUnread, filters, refreshSummary, toast]);

  // ---- Archive -------------------------------------------------------------------------------------
  const toggleArchive = useCallback(
    (id: string) => {
      const conversation = state.conversations[id];
      if (!conversation) return;
      const isArchived = !conversation.isArchived;
      dispatch({ type: "conversation/patch", id, patch: { isArchived }, filters });
      api.setArchived(id, isArchived).then(
        (updated) => {
          dispatch({ type: "conversation/upsert", conversation: updated, filters });
          refreshSummary();
          toast(
            isArchived ? "Conversation archived. Press e to move it back." : "Conversation moved back to the inbox.",
            "success",
          );
        },
        (error: unknown) => {
          dispatch({ type: "conversation/patch", id, patch: { isArchived: !isArchived }, filters });
          toast(`Could not ${isArchived ? "archive" : "unarchive"} the conversation: ${errorText(error)}`, "error");
        },
      );
    },
    [state.conversations, filters, refreshSummary, toast],
  );

  // ---- Sending -------------------------------------------------------------------------------------
  const refreshConversation = useCallback(
    (id: string) => {
      api.getConversation(id).then(
        (conversation) => dispatch({ type: "conversation/upsert", conversation, filters, keep: true }),
        () => undefined,
      );
    },
    [filters],
  );

  const deliver = useCallback(
    (local: ThreadMessage) => {
      const body = local.local?.body;
      if (!body) return;
      api.sendMessage(body).then(
        (message) => {
          dispatch({ type: "message/upsert", message, replaces: local.id });
          dispatch({
            type: "conversation/patch",
            id: message.conversationId,
            patch: { lastMessageAt: message.sentAt, lastMessagePreview: previewOf(message), lastMessageDirection: "outgoing" },
            filters,
            keep: true,
          });
        },
        (error: unknown) => {
          const code = error instanceof ApiError ? error.code : "network_error";
          dispatch({
            type: "message/patch",
            conversationId: local.conversationId,
            id: local.id,
            patch: { status: "failed", error: { code, message: errorText(error) } },
          });
          // Stored as failed on the server: show that message (with its id, so Retry resends it).
          const storedId = storedMessageIdOf(error);
          if (storedId) {
            api.getMessage(storedId).then(
              (stored) => dispatch({ type: "message/upsert", message: stored, replaces: local.id }),
              () => undefined,
            );
          }
          toast(`Message not sent: ${errorText(error)}`, "error");
          if (error instanceof ApiError && error.code === "outside_messaging_window") refreshConversation(local.conversationId);
        },
      );
    },
    [filters, toast, refreshConversation],
  );

  const sendDraft = useCallback(
    (conversation: Conversation, body: SendBody, draft: Pick<Message, "type" | "text" | "payload">) => {
      const message: ThreadMessage = {
        id: localId(),
        conversationId: conversation.id,
        platform: conversation.platform,
        externalId: null,
        direction: "outgoing",
        type: draft.type,
        text: draft.text,
        payload: draft.payload,
        attachments: [],
        reactions: [],
        senderId: null,
        senderName: null,
        status: "pending",
        isRead: true,
        sentAt: new Date().toISOString(),
        replyToId: null,
        replyToExternalId: null,
        sentFrom: "chats",
        error: null,
        editedAt: null,
        deletedAt: null,
        local: { body },
      };
      dispatch({ type: "message/upsert", message });
      dispatch({
        type: "conversation/patch",
        id: conversation.id,
        patch: { lastMessageAt: message.sentAt, lastMessagePreview: previewOf(message), lastMessageDirection: "outgoing" },
        filters,
        keep: true,
      });
      deliver(message);
    },
    [deliver, filters],
  );

  const sendText = useCallback(
    (text: string) => {
      if (selected) sendDraft(selected, { conversationId: selected.id, text }, { type: "text", text, payload: null });
    },
    [selected, sendDraft],
  );

  const sendTemplate = useCallback(
    (choice: TemplateChoice) => {
      if (!selected) return;
      const template = {
        name: choice.template.name,
        language: choice.template.language,
        ...(choice.components ? { components: choice.components } : {}),
      };
      sendDraft(selected, { conversationId: selected.id, template }, { type: "template", text: null, payload: { template } });
    },
    [selected, sendDraft],
  );

  const retry = useCallback(
    (message: ThreadMessage) => {
      dispatch({
        type: "message/patch",
        conversationId: message.conversationId,
        id: message.id,
        patch: { status: "pending", error: null },
      });
      if (message.local) return deliver(message);
      api.retryMessage(message.id).then(
        (updated) => dispatch({ type: "message/upsert", message: updated }),
        (error: unknown) => {
          dispatch({
            type: "message/patch",
            conversationId: message.conversationId,
            id: message.id,
            patch: {
              status: "failed",
              error: { code: error instanceof ApiError ? error.code : "network_error", message: errorText(error) },
            },
          });
          toast(`Retry failed: ${errorText(error)}`, "error");
        },
      );
    },
    [deliver, toast],
  );

  // ---- Live updates ----------------------------------------------------------------------------------
  useRealtimeEvent("new_message", (event) => {
    if (event.workspaceId !== workspaceId) return;
    const { message, conversation } = event;
    const open = conversation.id === selectedId;
    dispatch({ type: "conversation/upsert", conversation, filters, keep: open });
    const thread = state.threads[conversation.id];
    if (thread) {
      // Our own send announced before its POST answered: it takes the place of the optimistic bubble.
      const local =
        message.direction === "outgoing" && message.sentFrom === "chats"
          ? thread.messages.find(
              (candidate) => candidate.local && candidate.text === message.text && candidate.type === message.type,
            )
          : undefined;
      dispatch({ type: "message/upsert", message, replaces: local?.id });
    }
    if (message.direction === "incoming") {
      setAnnouncement(`New message from ${displayName(conversation.participant)}: ${previewOf(message)}`);
    }
    refreshSummary();
  });

  useRealtimeEvent("message_status", (event) => {
    if (event.workspaceId !== workspaceId) return;
    dispatch({ type: "message/status", id: event.messageId, status: event.status });
    if (event.status === "failed") {
      // The event has no error text: fetch the message for it.
      api.getMessage(event.messageId).then(
        (message) => dispatch({ type: "message/upsert", message }),
        () => undefined,
      );
    }
  });

  useRealtimeEvent("message_updated", (event) => {
    if (event.workspaceId !== workspaceId) return;
    // When an echo of our send was stored before the send's answer, the server folds the two into one.
    dispatch({ type: "message/upsert", message: event.message, replaces: event.replacesMessageId });
  });

  useRealtimeEvent("message_read", (event) => {
    if (event.workspaceId !== workspaceId) return;
    dispatch({
      type: "messages/read",
      conversationId: event.conversationId,
      messageIds: event.messageIds,
      unreadCount: event.unreadCount,
      filters,
      keep: event.conversationId === selectedId,
    });
    refreshSummary();
  });

  /** Reloads what is on screen from the REST API, quietly (what is shown stays until the answers arrive). */
  const reloadVisible = () => {
    refreshList();
    refreshSummary();
    if (selectedId) {
      refreshConversation(selectedId);
      fetchThread(selectedId, "refresh");
    }
  };
  const resync = () => {
    dispatch({ type: "threads/forget", except: selectedId });
    reloadVisible();
  };

  // The socket's history starts when it first connects, a moment after the server rendered this page:
  // whatever happened in between is fetched once the connection is live.
  const realtimeStatus = useRealtimeStatus();
  const caughtUp = useRef(false);
  const reloadVisibleLatest = useRef(reloadVisible);
  useEffect(() => {
    reloadVisibleLatest.current = reloadVisible;
  });
  useEffect(() => {
    if (realtimeStatus !== "live" || caughtUp.current) return;
    caughtUp.current = true;
    reloadVisibleLatest.current();
  }, [realtimeStatus]);
  useRealtimeEvent("resync", resync);
  useRealtimeEvent("sync_completed", (event) => {
    if (event.workspaceId === workspaceId && event.imported > 0) resync();
  });
  useRealtimeEvent("platform_connected", (event) => {
    if (event.workspaceId !== workspaceId) return;
    router.refresh();
    resync();
  });
  useRealtimeEvent("platform_disconnected", (event) => {
    if (event.workspaceId === workspaceId) router.refresh();
  });

  // ---- Keyboard ----------------------------------------------------------------------------------------
  const onShortcut = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])")) return;
    if (document.querySelector("dialog[open]")) return;
    const current = selectionInUrl();
    const ids = state.list.ids;
    const move = (step: 1 | -1) => {
      if (ids.length === 0) return;
      const index = current ? ids.indexOf(current) : -1;
      const next = ids[index === -1 ? 0 : Math.min(ids.length - 1, Math.max(0, index + step))];
      if (!next || next === current) return;
      openConversation(next);
      const row = document.querySelector<HTMLElement>(`[data-conversation-id="${next}"]`);
      row?.scrollIntoView({ block: "nearest" });
      row?.focus({ preventScroll: true });
    };
    switch (event.key) {
      case "j":
        event.preventDefault();
        move(1);
        break;
      case "k":
        event.preventDefault();
        move(-1);
        break;
      case "/":
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        break;
      case "e":
        if (current) {
          event.preventDefault();
          toggleArchive(current);
        }
        break;
      case "Escape":
        if (detailsOpen) setDetailsOpen(false);
        else if (current) closeConversation();
        break;
    }
  };
  const shortcut = useRef(onShortcut);
  useEffect(() => {
    shortcut.current = onShortcut;
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => shortcut.current(event);
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);

  // ---- Render --------------------------------------------------------------------------------------
  const conversations = useMemo(
    () =>
      state.list.ids.map((id) => state.conversations[id]).filter((conversation): conversation is Conversation => !!conversation),
    [state.list.ids, state.conversations],
  );
  const platforms = useMemo(() => {
    const present = new Set<Platform>([...props.platforms, ...state.summary.platforms.map((entry) => entry.platform)]);
    return (["instagram", "messenger", "whatsapp"] as const).filter((platform) => present.has(platform));
  }, [props.platforms, state.summary.platforms]);
  const endsAt = selected?.replyWindowEndsAt ? Date.parse(selected.replyWindowEndsAt) : null;
  const canReply = !!selected && selected.canReply && (endsAt === null || endsAt > now);
  const clearFocus = useCallback(() => setFocusMessageId(null), []);

  return (
    <div className="flex h-full min-h-0 bg-white" data-testid="inbox" data-hydrated={hydrated ? "true" : undefined}>
      <div
        className={`${selectedId ? "hidden md:flex" : "flex"} w-full min-w-0 flex-col border-r border-slate-200 md:w-80 md:shrink-0 2xl:w-96`}
      >
        <ConversationList
          conversations={conversations}
          status={listIsCurrent ? state.list.status : "loading"}
          error={state.list.error}
          loadingMore={state.list.loadingMore}
          hasMore={state.list.nextCursor !== null}
          selectedId={selectedId}
          filters={filters}
          summary={state.summary}
          platforms={platforms}
          hasPlatforms={props.hasPlatforms}
          hits={currentHits}
          conversationsById={state.conversations}
          searchRef={searchRef}
          hrefFor={hrefFor}
          onOpen={openConversation}
          onFilters={changeFilters}
          onLoadMore={loadMore}
          onRetry={() => dispatch({ type: "list/invalidate" })}
        />
      </div>

      <div className={`${selectedId ? "flex" : "hidden md:flex"} min-w-0 flex-1 flex-col bg-slate-50`}>
        {selected ? (
          <ThreadView
            conversation={selected}
            thread={selectedThread}
            canReply={canReply}
            detailsOpen={detailsOpen}
            focusMessageId={focusMessageId}
            onFocused={clearFocus}
            onBack={closeConversation}
            onToggleDetails={() => setDetailsOpen((open) => !open)}
            onArchive={() => toggleArchive(selected.id)}
            onSend={sendText}
            onSendTemplate={sendTemplate}
            onRetry={retry}
            onReload={reloadThread}
            onLoadOlder={loadOlder}
          />
        ) : selectedId && missing[selectedId] ? (
          <div role="alert" className="flex flex-1 flex-col items-center justify-center px-6 text-center">
            <p className="font-medium text-slate-900">Conversation not available</p>
            <p className="mt-1 text-sm text-slate-600">{missing[selectedId]}</p>
            <button
              type="button"
              onClick={closeConversation}
              className="mt-4 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              Back to the inbox
            </button>
          </div>
        ) : selectedId ? (
          <ThreadSkeleton />
        ) : (
          <div className="flex flex-1 flex-col items-center justify-center px-6 text-center" data-testid="no-conversation">
            <span className="flex size-12 items-center justify-center rounded-full bg-white text-slate-400 ring-1 ring-slate-200">
              <Icon name="inbox" className="size-6" />
            </span>
            <h2 className="mt-4 font-semibold text-slate-900">No conversation selected</h2>
            <p className="mt-1 max-w-sm text-sm text-slate-600">
              Pick a conversation to read and reply. Press <kbd className="rounded border border-slate-300 px-1 font-sans">j</kbd>{" "}
              and <kbd className="rounded border border-slate-300 px-1 font-sans">k</kbd> to move through the list,{" "}
              <kbd className="rounded border border-slate-300 px-1 font-sans">/</kbd> to search.
            </p>
          </div>
        )}
      </div>

      {selected ? (
        <>
          {detailsOpen ? (
            <div
              aria-hidden="true"
              className="fixed inset-0 z-30 bg-slate-900/30 xl:hidden"
              onClick={() => setDetailsOpen(false)}
            />
          ) : null}
          <div
            className={`${
              detailsOpen ? "fixed inset-y-0 right-0 z-40 flex w-80 max-w-full shadow-xl" : "hidden"
            } flex-col border-l border-slate-200 xl:static xl:z-auto xl:flex xl:w-72 xl:shrink-0 xl:shadow-none`}
          >
            <DetailsPane
              conversation={selected}
              onArchive={() => toggleArchive(selected.id)}
              onClose={() => setDetailsOpen(false)}
            />
          </div>
        </>
      ) : null}

      <div aria-live="polite" role="status" className="sr-only" data-testid="inbox-announcer">
        {announcement}
      </div>
    </div>
  );
}
