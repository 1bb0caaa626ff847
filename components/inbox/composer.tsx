"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import { useClock } from "./clock";
import { formatAgo, windowRule } from "./format";
import { Icon } from "./icons";
import type { Conversation } from "./types";
import { platformLabels } from "@/lib/platforms/labels";

// Drafts survive switching conversations (per tab, not persisted).
const drafts = new Map<string, string>();
const MAX_HEIGHT = 200;

function grow(textarea: HTMLTextAreaElement) {
  textarea.style.height = "auto";
  textarea.style.height = `${Math.min(textarea.scrollHeight, MAX_HEIGHT)}px`;
}

/** The reply box: Enter sends, Shift+Enter breaks the line; closed (with the reason) outside the reply window. */
export function Composer({
  conversation,
  canReply,
  onSend,
  onTemplates,
}: {
  conversation: Conversation;
  canReply: boolean;
  onSend: (text: string) => void;
  onTemplates: () => void;
}) {
  const { now } = useClock();
  const [text, setText] = useState(() => drafts.get(conversation.id) ?? "");
  const textarea = useRef<HTMLTextAreaElement>(null);
  const whatsapp = conversation.platform === "whatsapp";
  const platform = platformLabels[conversation.platform];
  const endsAt = conversation.replyWindowEndsAt ? Date.parse(conversation.replyWindowEndsAt) : null;

  const update = (value: string) => {
    setText(value);
    if (value) drafts.set(conversation.id, value);
    else drafts.delete(conversation.id);
  };

  const submit = () => {
    const value = text.trim();
    if (!value || !canReply) return;
    onSend(value);
    update("");
    if (textarea.current) {
      textarea.current.style.height = "auto";
      textarea.current.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an input method is composing (Japanese, Chinese…) confirms the word, it does not send.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  };

  const reasonId = `composer-reason-${conversation.id}`;

  return (
    <div className="@container border-t border-slate-200 bg-white px-3 py-3 sm:px-4">
      {!canReply ? (
        <div
          id={reasonId}
          role="note"
          data-testid="window-closed"
          className="mb-2 flex flex-col gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 @xl:flex-row @xl:items-start"
        >
          <div className="flex min-w-0 flex-1 gap-2">
            <Icon name="clock" className="mt-0.5 size-4 text-amber-600" />
            <p className="min-w-0">
              <span className="block font-medium">
                {endsAt === null
                  ? "The customer has not written yet."
                  : `Reply window closed ${formatAgo(Math.max(0, now - endsAt))}.`}
              </span>
              <span className="block text-amber-800">{windowRule(conversation.platform)}</span>
            </p>
          </div>
          {whatsapp ? (
            <button
              type="button"
              onClick={onTemplates}
              className="self-start rounded-md bg-white px-2.5 py-1 text-sm font-medium whitespace-nowrap text-amber-900 ring-1 ring-amber-300 hover:bg-amber-100"
            >
              Send a template
            </button>
          ) : null}
        </div>
      ) : null}
      <form
        aria-label="Reply"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        className="flex items-end gap-2"
      >
        {whatsapp ? (
          <button
            type="button"
            onClick={onTemplates}
            aria-label="Send a WhatsApp template"
            title="Templates"
            className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
          >
            <Icon name="template" />
          </button>
        ) : null}
        <label htmlFor={`composer-${conversation.id}`} className="sr-only">
          Message
        </label>
        <textarea
          id={`composer-${conversation.id}`}
          ref={textarea}
          rows={1}
          value={text}
          disabled={!canReply}
          aria-describedby={!canReply ? reasonId : undefined}
          maxLength={4096}
          dir="auto"
          placeholder={canReply ? `Reply on ${platform}…` : "Replies are closed for now"}
          onChange={(event) => {
            update(event.target.value);
            grow(event.target);
          }}
          onKeyDown={onKeyDown}
          className="block max-h-[200px] min-h-10 flex-1 resize-none rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none placeholder:text-slate-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-100 disabled:cursor-not-allowed disabled:bg-slate-50"
        />
        <button
          type="submit"
          disabled={!canReply || text.trim() === ""}
          aria-label="Send message"
          title="Send (Enter)"
          className="rounded-lg bg-brand-600 p-2.5 text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:bg-slate-200 disabled:text-slate-400"
        >
          <Icon name="send" className="size-5" />
        </button>
      </form>
      {canReply ? (
        <p className="mt-1 hidden text-[11px] text-slate-400 sm:block">Enter to send · Shift+Enter for a new line</p>
      ) : null}
    </div>
  );
}
