"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClock } from "./clock";
import { dayKey, formatDayLabel } from "./format";
import { Icon } from "./icons";
import { MessageBubble } from "./message-bubble";
import type { ImageTarget } from "./message-body";
import type { ThreadState } from "./inbox-store";
import type { Message, ThreadMessage } from "./types";

const GROUP_GAP_MS = 5 * 60_000;

interface MessageListProps {
  thread: ThreadState;
  contactName: string;
  /** A message to bring into view (from a search hit), once it is loaded. */
  focusMessageId: string | null;
  onFocused: () => void;
  onLoadOlder: () => void;
  onRetry: (message: ThreadMessage) => void;
  onOpenImage: (image: ImageTarget) => void;
}

/**
 * The thread, oldest at the top. The scroller is `flex-col-reverse`, so it starts at the newest
 * message, stays there as messages arrive, and keeps its place when older pages load above.
 */
export function MessageList({
  thread,
  contactName,
  focusMessageId,
  onFocused,
  onLoadOlder,
  onRetry,
  onOpenImage,
}: MessageListProps) {
  const { now, timeZone } = useClock();
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const [awayFromBottom, setAwayFromBottom] = useState(false);
  const { messages, nextCursor, loadingOlder } = thread;
  const canLoadOlder = nextCursor !== null && !loadingOlder && thread.error === null;

  const byId = useMemo(() => {
    const map = new Map<string, Message>();
    for (const message of messages) {
      map.set(message.id, message);
      if (message.externalId) map.set(`external:${message.externalId}`, message);
    }
    return map;
  }, [messages]);

  useEffect(() => {
    const target = topSentinel.current;
    if (!target || !canLoadOlder) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && onLoadOlder(), {
      root: scroller.current,
      rootMargin: "400px 0px",
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [canLoadOlder, onLoadOlder]);

  const days = useMemo(() => {
    const groups: { key: string; first: string; messages: ThreadMessage[] }[] = [];
    for (const message of messages) {
      const key = dayKey(message.sentAt, timeZone);
      const last = groups[groups.length - 1];
      if (last && last.key === key) last.messages.push(message);
      else groups.push({ key, first: message.sentAt, messages: [message] });
    }
    return groups;
  }, [messages, timeZone]);

  const jumpTo = useCallback((messageId: string) => {
    const element = document.getElementById(`message-${messageId}`);
    if (!element) return;
    element.scrollIntoView({ block: "center", behavior: "smooth" });
    element.classList.add("bg-amber-100/70");
    setTimeout(() => element.classList.remove("bg-amber-100/70"), 1600);
  }, []);

  // A search hit: show it once loaded, else load older pages until it is (or there are none).
  useEffect(() => {
    if (!focusMessageId || thread.status !== "ready") return;
    if (byId.has(focusMessageId)) {
      jumpTo(focusMessageId);
      onFocused();
    } else if (nextCursor === null || thread.error !== null) {
      onFocused();
    } else if (!loadingOlder) {
      onLoadOlder();
    }
  }, [focusMessageId, byId, thread.status, thread.error, nextCursor, loadingOlder, jumpTo, onFocused, onLoadOlder]);

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div
        ref={scroller}
        onScroll={(event) => setAwayFromBottom(Math.abs(event.currentTarget.scrollTop) > 400)}
        className="flex min-h-0 flex-1 flex-col-reverse overflow-y-auto overscroll-contain bg-slate-50 px-3 py-4 sm:px-6"
      >
        <div aria-label={`Messages with ${contactName}`} role="region" data-testid="thread-messages">
          {days.map((day) => (
            // Each day is its own block, so its sticky label gives way to the next day's.
            <section key={day.key} aria-label={formatDayLabel(day.first, now, timeZone)}>
              <h3 className="sticky top-0 z-10 flex justify-center py-2">
                <span className="rounded-full bg-white/95 px-3 py-0.5 text-xs font-medium text-slate-500 shadow-xs ring-1 ring-slate-200">
                  {formatDayLabel(day.first, now, timeZone)}
                </span>
              </h3>
              <ol className="flex flex-col pb-2">
                {day.messages.map((message, index) => {
                  const previous = day.messages[index - 1];
                  const startsGroup =
                    !previous ||
                    previous.direction !== message.direction ||
                    Date.parse(message.sentAt) - Date.parse(previous.sentAt) > GROUP_GAP_MS;
                  const quoted = message.replyToId
                    ? (byId.get(message.replyToId) ?? null)
                    : message.replyToExternalId
                      ? (byId.get(`external:${message.replyToExternalId}`) ?? null)
                      : undefined;
                  return (
                    <MessageBubble
                      key={message.id}
                      message={message}
                      quoted={quoted}
                      contactName={contactName}
                      onRetry={onRetry}
                      onOpenImage={onOpenImage}
                      onJumpTo={jumpTo}
                      startsGroup={startsGroup}
                    />
                  );
                })}
              </ol>
            </section>
          ))}
        </div>
        <div className="order-last">
          <div ref={topSentinel} aria-hidden="true" className="h-px" />
          {loadingOlder ? (
            <p role="status" className="py-2 text-center text-xs text-slate-500">
              Loading earlier messages…
            </p>
          ) : thread.error ? (
            <p className="py-2 text-center text-xs text-red-700">
              Earlier messages could not be loaded.{" "}
              <button type="button" className="font-medium underline" onClick={onLoadOlder}>
                Try again
              </button>
            </p>
          ) : nextCursor === null && messages.length > 0 ? (
            <p className="py-2 text-center text-xs text-slate-400">This is the beginning of the conversation.</p>
          ) : null}
        </div>
      </div>
      {awayFromBottom ? (
        <button
          type="button"
          onClick={() => scroller.current?.scrollTo({ top: 0, behavior: "smooth" })}
          aria-label="Jump to the latest message"
          className="absolute right-4 bottom-3 rounded-full bg-white p-2 text-slate-700 shadow-md ring-1 ring-slate-200 hover:bg-slate-50"
        >
          <Icon name="arrowDown" className="size-4" />
        </button>
      ) : null}
    </div>
  );
}
