"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { PlatformIcon } from "@/components/platforms/platform-icon";
import { RealtimeStatus } from "@/components/realtime/realtime-status";
import { Avatar } from "./avatar";
import { useClock } from "./clock";
import { displayName, formatFullDate, formatListTime } from "./format";
import { Icon } from "./icons";
import type { LoadStatus } from "./inbox-store";
import { HighlightedText } from "./highlighted-text";
import { ListSkeleton } from "./skeletons";
import type { Conversation, Filters, Message, Platform, Summary } from "./types";
import { platformLabels } from "@/lib/platforms/labels";

export interface SearchHits {
  status: LoadStatus;
  messages: Message[];
}

interface ConversationListProps {
  conversations: Conversation[];
  status: LoadStatus;
  error: string | null;
  loadingMore: boolean;
  hasMore: boolean;
  selectedId: string | null;
  filters: Filters;
  summary: Summary;
  platforms: Platform[];
  hasPlatforms: boolean;
  hits: SearchHits | null;
  conversationsById: Record<string, Conversation>;
  searchRef: RefObject<HTMLInputElement | null>;
  hrefFor: (id: string) => string;
  onOpen: (id: string, messageId?: string) => void;
  onFilters: (patch: Partial<Filters>) => void;
  onLoadMore: () => void;
  onRetry: () => void;
}

export function ConversationList(props: ConversationListProps) {
  const { conversations, status, filters, hits } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasMore, loadingMore, onLoadMore } = props;
  const canLoadMore = status === "ready" && hasMore && !loadingMore;

  // Infinite scroll: the next page loads when the end of the list comes near.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !canLoadMore) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && onLoadMore(), {
      root: scroller.current,
      rootMargin: "300px 0px",
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [canLoadMore, onLoadMore]);

  const searching = filters.q.trim() !== "";

  return (
    <section aria-labelledby="inbox-heading" className="flex h-full min-h-0 flex-col">
      <header className="space-y-3 border-b border-slate-200 px-4 pt-4 pb-3">
        <div className="flex items-center justify-between gap-2">
          <h1 id="inbox-heading" className="text-lg font-semibold text-slate-900">
            Inbox
          </h1>
          <RealtimeStatus />
        </div>
        <SearchBox value={filters.q} onChange={(q) => props.onFilters({ q })} inputRef={props.searchRef} />
        <PlatformSelector
          value={filters.platform}
          summary={props.summary}
          platforms={props.platforms}
          onChange={(platform) => props.onFilters({ platform })}
        />
        <div className="flex gap-2" role="group" aria-label="Filters">
          <FilterToggle pressed={filters.unread} onClick={() => props.onFilters({ unread: !filters.unread })}>
            Unread
          </FilterToggle>
          <FilterToggle pressed={filters.archived} onClick={() => props.onFilters({ archived: !filters.archived })}>
            Archived
          </FilterToggle>
        </div>
      </header>

      <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto" data-testid="conversation-list">
        {status === "loading" ? (
          <ListSkeleton />
        ) : status === "error" ? (
          <div role="alert" className="px-6 py-10 text-center text-sm text-slate-600">
            <p className="font-medium text-slate-900">The conversations could not be loaded.</p>
            <p className="mt-1">{props.error}</p>
            <button
              type="button"
              onClick={props.onRetry}
              className="mt-4 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              Try again
            </button>
          </div>
        ) : conversations.length === 0 && !(hits && hits.messages.length > 0) ? (
          <EmptyList filters={filters} hasPlatforms={props.hasPlatforms} loadingHits={hits?.status === "loading"} />
        ) : (
          <>
            {searching && conversations.length > 0 ? <ListHeading>Conversations</ListHeading> : null}
            <ul aria-label="Conversations" className="divide-y divide-slate-100">
              {conversations.map((conversation) => (
                <li key={conversation.id}>
                  <ConversationRow
                    conversation={conversation}
                    selected={conversation.id === props.selectedId}
                    href={props.hrefFor(conversation.id)}
                    onOpen={props.onOpen}
                  />
                </li>
              ))}
            </ul>
            <div ref={sentinel} aria-hidden="true" className="h-px" />
            {loadingMore ? (
              <p className="px-4 py-3 text-center text-xs text-slate-500" role="status">
                Loading more conversations…
              </p>
            ) : props.error ? (
              <p className="px-4 py-3 text-center text-xs text-red-700">
                {props.error}{" "}
                <button type="button" className="font-medium underline" onClick={props.onLoadMore}>
                  Try again
                </button>
              </p>
            ) : null}
            {searching && hits ? (
              <MessageHits
                hits={hits}
                q={filters.q}
                conversationsById={props.conversationsById}
                hrefFor={props.hrefFor}
                onOpen={props.onOpen}
              />
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}

function ListHeading({ children }: { children: ReactNode }) {
  return <h2 className="bg-slate-50 px-4 py-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">{children}</h2>;
}

function SearchBox({
  value,
  onChange,
  inputRef,
}: {
  value: string;
  onChange: (q: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  // The URL changed the search from outside (a filter reset): show it.
  if (value !== synced) {
    setSynced(value);
    setText(value);
  }
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = (next: string, delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setSynced(next);
      onChange(next);
    }, delay);
  };

  return (
    <form role="search" onSubmit={(event) => (event.preventDefault(), commit(text, 0))} className="relative">
      <label htmlFor="inbox-search" className="sr-only">
        Search conversations and messages
      </label>
      <span className="pointer-events-none absolute inset-y-0 left-2.5 flex items-center text-slate-400">
        <Icon name="search" className="size-4" />
      </span>
      <input
        ref={inputRef}
        id="inbox-search"
        type="search"
        value={text}
        maxLength={200}
        placeholder="Search"
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value);
          commit(event.target.value, 300);
        }}
        onKeyDown={(event) => {
          if (event.key !== "Escape") return;
          event.stopPropagation();
          if (text) {
            event.preventDefault();
            setText("");
            commit("", 0);
          } else {
            event.currentTarget.blur();
          }
        }}
        className="block w-full rounded-md border border-slate-300 bg-white py-1.5 pr-10 pl-8 text-sm shadow-sm outline-none placeholder:text-slate-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
      />
      <kbd className="pointer-events-none absolute inset-y-0 right-2 my-auto hidden h-5 items-center rounded border border-slate-200 px-1.5 font-sans text-[11px] text-slate-400 md:flex">
        /
      </kbd>
    </form>
  );
}

function PlatformSelector({
  value,
  summary,
  platforms,
  onChange,
}: {
  value: Platform | null;
  summary: Summary;
  platforms: Platform[];
  onChange: (platform: Platform | null) => void;
}) {
  const unreadOf = (platform: Platform) => summary.platforms.find((entry) => entry.platform === platform)?.unread ?? 0;
  const options: { platform: Platform | null; label: string; unread: number }[] = [
    { platform: null, label: "All", unread: summary.totalUnread },
    ...platforms.map((platform) => ({ platform, label: platformLabels[platform], unread: unreadOf(platform) })),
  ];
  return (
    <div role="group" aria-label="Platform" className="-mx-1 flex gap-1 overflow-x-auto px-1 pb-0.5">
      {options.map((option) => {
        const selected = option.platform === value;
        return (
          <button
            key={option.platform ?? "all"}
            type="button"
            aria-pressed={selected}
            aria-label={`${option.label}${option.unread ? `, ${option.unread} unread` : ""}`}
            title={option.label}
            onClick={() => onChange(option.platform)}
            className={`inline-flex h-7 shrink-0 items-center gap-1.5 rounded-full px-2.5 text-xs font-medium ring-1 transition ${
              selected ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-200 hover:bg-slate-50"
            }`}
          >
            {option.platform ? <PlatformIcon platform={option.platform} decorative className="size-4" /> : null}
            <span className={option.platform ? "sr-only" : ""}>{option.label}</span>
            {option.unread > 0 ? (
              <span
                aria-hidden="true"
                data-testid={`platform-unread-${option.platform ?? "all"}`}
                className={`min-w-4 rounded-full px-1 text-center text-[11px] leading-4 ${
                  selected ? "bg-white/25 text-white" : "bg-brand-600 text-white"
                }`}
              >
                {option.unread > 99 ? "99+" : option.unread}
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}

function FilterToggle({ pressed, onClick, children }: { pressed: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={`rounded-md px-2.5 py-1 text-xs font-medium ring-1 transition ${
        pressed ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-600 ring-slate-200 hover:bg-slate-50"
      }`}
    >
      {children}
    </button>
  );
}

function ConversationRow({
  conversation,
  selected,
  href,
  onOpen,
}: {
  conversation: Conversation;
  selected: boolean;
  href: string;
  onOpen: (id: string) => void;
}) {
  const { now, timeZone } = useClock();
  const name = displayName(conversation.participant);
  const unread = conversation.unreadCount > 0;
  return (
    <Link
      href={href}
      scroll={false}
      prefetch={false}
      aria-current={selected ? "page" : undefined}
      data-testid="conversation-row"
      data-conversation-id={conversation.id}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
        event.preventDefault();
        onOpen(conversation.id);
      }}
      className={`flex gap-3 px-4 py-3 outline-none focus-visible:bg-brand-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-inset ${
        selected ? "bg-brand-50" : "hover:bg-slate-50"
      }`}
    >
      <Avatar name={name} url={conversation.participant.avatarUrl} seed={conversation.participant.id} />
      <span className="min-w-0 flex-1">
        <span className="flex items-center gap-1.5">
          <span
            className={`truncate text-sm ${unread ? "font-semibold text-slate-900" : "font-medium text-slate-800"}`}
            dir="auto"
          >
            {name}
          </span>
          <PlatformIcon platform={conversation.platform} className="size-3.5 shrink-0" />
          {conversation.lastMessageAt ? (
            <time
              dateTime={conversation.lastMessageAt}
              title={formatFullDate(conversation.lastMessageAt, timeZone)}
              className={`ml-auto shrink-0 pl-1 text-xs ${unread ? "font-semibold text-brand-700" : "text-slate-500"}`}
            >
              {formatListTime(conversation.lastMessageAt, now, timeZone)}
            </time>
          ) : null}
        </span>
        <span className="mt-0.5 flex items-center gap-2">
          <span className={`min-w-0 flex-1 truncate text-sm ${unread ? "text-slate-800" : "text-slate-500"}`} dir="auto">
            {conversation.lastMessageDirection === "outgoing" ? <span className="text-slate-400">You: </span> : null}
            {conversation.lastMessagePreview ?? ""}
          </span>
          {unread ? (
            <span
              data-testid="unread-badge"
              className="shrink-0 rounded-full bg-brand-600 px-1.5 text-center text-[11px] leading-5 font-semibold text-white"
            >
              {conversation.unreadCount > 99 ? "99+" : conversation.unreadCount}
              <span className="sr-only"> unread</span>
            </span>
          ) : null}
        </span>
      </span>
    </Link>
  );
}

function MessageHits({
  hits,
  q,
  conversationsById,
  hrefFor,
  onOpen,
}: {
  hits: SearchHits;
  q: string;
  conversationsById: Record<string, Conversation>;
  hrefFor: (id: string) => string;
  onOpen: (id: string, messageId?: string) => void;
}) {
  const { now, timeZone } = useClock();
  return (
    <section aria-label="Matching messages">
      <ListHeading>Messages</ListHeading>
      {hits.status === "loading" ? (
        <p role="status" className="px-4 py-3 text-xs text-slate-500">
          Searching messages…
        </p>
      ) : hits.status === "error" ? (
        <p className="px-4 py-3 text-xs text-red-700">Message search failed. Try again in a moment.</p>
      ) : hits.messages.length === 0 ? (
        <p className="px-4 py-3 text-xs text-slate-500">No messages match.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Messages found">
          {hits.messages.map((message) => {
            const conversation = conversationsById[message.conversationId];
            const who = conversation ? displayName(conversation.participant) : platformLabels[message.platform];
            return (
              <li key={message.id}>
                <Link
                  href={`${hrefFor(message.conversationId)}&m=${encodeURIComponent(message.id)}`}
                  scroll={false}
                  prefetch={false}
                  data-testid="message-hit"
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
                    event.preventDefault();
                    onOpen(message.conversationId, message.id);
                  }}
                  className="block px-4 py-2.5 outline-none hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-inset"
                >
                  <span className="flex items-center gap-1.5 text-xs text-slate-500">
                    <PlatformIcon platform={message.platform} className="size-3.5" />
                    <span className="truncate font-medium text-slate-700" dir="auto">
                      {message.direction === "outgoing" ? `You → ${who}` : who}
                    </span>
                    <time dateTime={message.sentAt} className="ml-auto shrink-0">
                      {formatListTime(message.sentAt, now, timeZone)}
                    </time>
                  </span>
                  <span className="mt-0.5 line-clamp-2 text-sm break-words text-slate-700" dir="auto">
                    <HighlightedText text={message.text ?? ""} query={q} />
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function EmptyList({ filters, hasPlatforms, loadingHits }: { filters: Filters; hasPlatforms: boolean; loadingHits: boolean }) {
  if (!hasPlatforms) {
    return (
      <div className="px-6 py-12 text-center">
        <h2 className="text-base font-semibold text-slate-900">Your inbox is empty</h2>
        <p className="mt-2 text-sm text-slate-600">
          Connect Instagram Direct, Facebook Messenger or WhatsApp Business and your customers&apos; conversations appear here.
        </p>
        <Link
          href="/settings/platforms"
          className="mt-5 inline-flex items-center rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          Connect a platform
        </Link>
      </div>
    );
  }
  if (loadingHits) return <ListSkeleton rows={3} />;
  const { title, body } = filters.q.trim()
    ? { title: "Nothing found", body: `No conversation or message matches “${filters.q.trim()}”.` }
    : filters.archived
      ? {
          title: "Nothing archived",
          body: "Archived conversations are kept here, out of the way. Press e in a conversation to archive it.",
        }
      : filters.unread
        ? { title: "All caught up", body: "No conversation has unread messages." }
        : filters.platform
          ? {
              title: `No ${platformLabels[filters.platform]} conversations yet`,
              body: "They appear here as soon as a customer writes.",
            }
          : {
              title: "No conversations yet",
              body: "When customers write to your connected accounts, their conversations appear here.",
            };
  return (
    <div className="px-6 py-12 text-center">
      <span className="mx-auto flex size-10 items-center justify-center rounded-full bg-slate-100 text-slate-500">
        <Icon name="inbox" />
      </span>
      <h2 className="mt-3 text-base font-semibold text-slate-900">{title}</h2>
      <p className="mt-1 text-sm text-slate-600">{body}</p>
    </div>
  );
}
