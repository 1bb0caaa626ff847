"use client";

import { useState } from "react";
import { PlatformIcon } from "@/components/platforms/platform-icon";
import { Avatar } from "./avatar";
import { useClock } from "./clock";
import { displayName, formatAgo, formatDuration, formatFullDate } from "./format";
import { Icon } from "./icons";
import type { Conversation } from "./types";
import { platformLabels } from "@/lib/platforms/labels";

const WINDOW_MS = 24 * 60 * 60 * 1000;

const idLabels = { instagram: "Instagram-scoped ID", messenger: "Page-scoped ID", whatsapp: "WhatsApp ID" } as const;

/** Who the customer is and whether a free-form reply is possible now. */
export function DetailsPane({
  conversation,
  onArchive,
  onClose,
}: {
  conversation: Conversation;
  onArchive: () => void;
  onClose: () => void;
}) {
  const { now, timeZone } = useClock();
  const [copied, setCopied] = useState(false);
  const { participant } = conversation;
  const name = displayName(participant);
  const endsAt = conversation.replyWindowEndsAt ? Date.parse(conversation.replyWindowEndsAt) : null;
  const remaining = endsAt === null ? null : endsAt - now;
  const open = remaining !== null && remaining > 0;

  return (
    <aside aria-label="Contact details" className="flex h-full min-h-0 flex-col bg-white" data-testid="details-pane">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Details</h2>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close contact details"
          className="rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 xl:hidden"
        >
          <Icon name="close" className="size-4" />
        </button>
      </div>
      <div className="min-h-0 flex-1 space-y-6 overflow-y-auto p-4">
        <div className="flex flex-col items-center text-center">
          <Avatar name={name} url={participant.avatarUrl} seed={participant.id} platform={conversation.platform} size="lg" />
          <p className="mt-3 text-base font-semibold break-words text-slate-900" dir="auto">
            {name}
          </p>
          {participant.username ? (
            <p className="text-sm text-slate-500" dir="auto">
              @{participant.username}
            </p>
          ) : null}
        </div>

        <dl className="space-y-3 text-sm">
          <div>
            <dt className="text-xs font-medium text-slate-500">Platform</dt>
            <dd className="mt-0.5 flex items-center gap-1.5 text-slate-900">
              <PlatformIcon platform={conversation.platform} decorative className="size-4" />
              {platformLabels[conversation.platform]}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">{idLabels[conversation.platform]}</dt>
            <dd className="mt-0.5 flex items-center gap-2">
              <code
                className="min-w-0 truncate rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700"
                data-testid="external-id"
              >
                {participant.externalId}
              </code>
              <button
                type="button"
                aria-label="Copy the customer ID"
                onClick={() => {
                  void navigator.clipboard?.writeText(participant.externalId).then(() => {
                    setCopied(true);
                    setTimeout(() => setCopied(false), 1500);
                  });
                }}
                className="shrink-0 text-xs font-medium text-brand-700 hover:underline"
              >
                {copied ? "Copied" : "Copy"}
              </button>
            </dd>
          </div>
          {conversation.lastMessageAt ? (
            <div>
              <dt className="text-xs font-medium text-slate-500">Last activity</dt>
              <dd className="mt-0.5 text-slate-900">{formatFullDate(conversation.lastMessageAt, timeZone)}</dd>
            </div>
          ) : null}
        </dl>

        <section aria-labelledby="window-heading" className="rounded-lg p-3 ring-1 ring-slate-200" data-testid="reply-window">
          <h3 id="window-heading" className="flex items-center gap-1.5 text-xs font-medium text-slate-500">
            <Icon name="clock" className="size-3.5" />
            24-hour reply window
          </h3>
          {open && remaining !== null ? (
            <>
              <p className="mt-1 text-sm font-medium text-emerald-700">Open · {formatDuration(remaining)} left</p>
              <div
                role="progressbar"
                aria-label="Time left in the reply window"
                aria-valuemin={0}
                aria-valuemax={24}
                aria-valuenow={Math.round(remaining / 3_600_000)}
                className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-100"
              >
                <div
                  className="h-full rounded-full bg-emerald-500"
                  style={{ width: `${Math.min(100, (remaining / WINDOW_MS) * 100)}%` }}
                />
              </div>
              <p className="mt-2 text-xs text-slate-500">
                Free-form replies are allowed until {formatFullDate(new Date(endsAt ?? 0).toISOString(), timeZone)}.
              </p>
            </>
          ) : (
            <>
              <p className="mt-1 text-sm font-medium text-amber-700">
                {remaining === null ? "Not open: the customer has not written" : `Closed ${formatAgo(-remaining)}`}
              </p>
              <p className="mt-1 text-xs text-slate-500">
                {conversation.platform === "whatsapp"
                  ? "Send an approved template to reach the customer."
                  : "You can reply again as soon as the customer writes."}
              </p>
            </>
          )}
        </section>

        <div className="space-y-2">
          <button
            type="button"
            onClick={onArchive}
            className="inline-flex w-full items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            <Icon name={conversation.isArchived ? "unarchive" : "archive"} className="size-4" />
            {conversation.isArchived ? "Move back to inbox" : "Archive conversation"}
          </button>
          <p className="text-center text-xs text-slate-400">
            Shortcut: <kbd className="rounded border border-slate-200 px-1 font-sans">e</kbd>
          </p>
        </div>

        <section aria-labelledby="shortcuts-heading" className="hidden text-xs text-slate-500 md:block">
          <h3 id="shortcuts-heading" className="font-medium text-slate-600">
            Keyboard shortcuts
          </h3>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            {(
              [
                ["j / k", "Next / previous conversation"],
                ["/", "Search"],
                ["e", "Archive or unarchive"],
                ["Esc", "Close the conversation"],
              ] as const
            ).map(([keys, action]) => (
              <div key={keys} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-200 px-1 font-sans">{keys}</kbd>
                </dt>
                <dd>{action}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </aside>
  );
}
