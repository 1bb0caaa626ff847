"use client";

import { memo } from "react";
import { useClock } from "./clock";
import { previewOf } from "@/lib/messaging/preview";
import { formatClock, formatFullDate } from "./format";
import { Icon } from "./icons";
import { MessageBody, type ImageTarget } from "./message-body";
import { StatusTicks } from "./status-ticks";
import type { Message, ThreadMessage } from "./types";

interface BubbleProps {
  message: ThreadMessage;
  /** The quoted message when this one replies to another (null if we do not have it). */
  quoted: Message | null | undefined;
  contactName: string;
  onRetry: (message: ThreadMessage) => void;
  onOpenImage: (image: ImageTarget) => void;
  onJumpTo: (messageId: string) => void;
  /** First of a run of messages from the same side: a little more space above. */
  startsGroup: boolean;
}

export const MessageBubble = memo(function MessageBubble({
  message,
  quoted,
  contactName,
  onRetry,
  onOpenImage,
  onJumpTo,
  startsGroup,
}: BubbleProps) {
  const { timeZone } = useClock();
  const outgoing = message.direction === "outgoing";
  const failed = outgoing && message.status === "failed";
  const stickerOnly =
    !message.deletedAt && !message.text && message.attachments.length === 1 && message.attachments[0]?.type === "sticker";
  const mediaOnly =
    !message.deletedAt &&
    !message.text &&
    message.attachments.length > 0 &&
    message.attachments.every((attachment) => attachment.type === "image" || attachment.type === "video");
  const bubble = stickerOnly
    ? ""
    : outgoing
      ? `bg-brand-600 text-white ${failed ? "ring-2 ring-red-400" : ""}`
      : "bg-white text-slate-900 ring-1 ring-slate-200";
  const padding = stickerOnly ? "" : mediaOnly ? "p-1" : "px-3 py-2";
  const metaColor = stickerOnly || !outgoing ? "text-slate-400" : "text-white/75";
  const replying = message.replyToId !== null || message.replyToExternalId !== null;

  return (
    <li
      id={`message-${message.id}`}
      data-testid="message"
      data-message-id={message.id}
      data-direction={message.direction}
      data-status={message.status}
      className={`flex scroll-my-24 rounded-xl transition-colors duration-700 ${outgoing ? "justify-end" : "justify-start"} ${startsGroup ? "mt-3" : "mt-1"} ${message.reactions.length > 0 ? "pb-3" : ""}`}
    >
      <div className={`flex max-w-[85%] flex-col sm:max-w-[70%] ${outgoing ? "items-end" : "items-start"}`}>
        {outgoing && message.sentFrom === "native" && startsGroup ? (
          <p className="mb-0.5 px-1 text-[11px] text-slate-400" data-testid="sent-from-native">
            Sent from Meta&apos;s app
          </p>
        ) : null}
        <div className={`relative rounded-2xl ${outgoing ? "rounded-br-md" : "rounded-bl-md"} ${bubble} ${padding} shadow-xs`}>
          <span className="sr-only">{outgoing ? "You" : contactName}: </span>
          {replying ? <ReplyQuote quoted={quoted} outgoing={outgoing} contactName={contactName} onJumpTo={onJumpTo} /> : null}
          <MessageBody message={message} outgoing={outgoing} onOpenImage={onOpenImage} />
          <span
            className={`mt-0.5 flex items-center justify-end gap-1 text-[11px] leading-4 ${metaColor} ${mediaOnly ? "px-1.5 pb-0.5" : ""}`}
          >
            {message.editedAt && !message.deletedAt ? <span data-testid="message-edited">Edited ·</span> : null}
            <time dateTime={message.sentAt} title={formatFullDate(message.sentAt, timeZone)}>
              {formatClock(message.sentAt, timeZone)}
            </time>
            {outgoing ? <StatusTicks status={message.status} /> : null}
          </span>
          {message.reactions.length > 0 ? <Reactions reactions={message.reactions} outgoing={outgoing} /> : null}
        </div>
        {failed ? (
          <div
            role="alert"
            className="mt-1 flex max-w-full flex-wrap items-center justify-end gap-x-2 gap-y-1 text-xs text-red-700"
          >
            <span className="break-words" data-testid="message-error">
              Not sent{message.error?.message ? `: ${message.error.message}` : "."}
            </span>
            <button
              type="button"
              onClick={() => onRetry(message)}
              className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-medium text-red-700 ring-1 ring-red-200 hover:bg-red-50"
            >
              <Icon name="retry" className="size-3.5" />
              Retry
            </button>
          </div>
        ) : null}
      </div>
    </li>
  );
});

function ReplyQuote({
  quoted,
  outgoing,
  contactName,
  onJumpTo,
}: {
  quoted: Message | null | undefined;
  outgoing: boolean;
  contactName: string;
  onJumpTo: (messageId: string) => void;
}) {
  const tone = outgoing ? "border-white/60 bg-white/15 text-white/90" : "border-brand-500 bg-slate-50 text-slate-600";
  const content = (
    <>
      <span className="block text-[11px] font-semibold">
        {quoted ? (quoted.direction === "outgoing" ? "You" : contactName) : "Reply to an earlier message"}
      </span>
      {quoted ? (
        <span className="line-clamp-2 text-xs break-words" dir="auto">
          {previewOf(quoted)}
        </span>
      ) : null}
    </>
  );
  if (!quoted) return <span className={`mb-1 block rounded-md border-l-2 px-2 py-1 ${tone}`}>{content}</span>;
  return (
    <button
      type="button"
      onClick={() => onJumpTo(quoted.id)}
      aria-label={`Replying to: ${previewOf(quoted)}. Show the original message`}
      className={`mb-1 block w-full rounded-md border-l-2 px-2 py-1 text-left ${tone}`}
    >
      {content}
    </button>
  );
}

function Reactions({ reactions, outgoing }: { reactions: Message["reactions"]; outgoing: boolean }) {
  const groups = new Map<string, { count: number; from: Set<string> }>();
  for (const reaction of reactions) {
    const group = groups.get(reaction.emoji) ?? { count: 0, from: new Set<string>() };
    group.count += 1;
    group.from.add(reaction.from === "customer" ? "the customer" : "you");
    groups.set(reaction.emoji, group);
  }
  const label = [...groups.entries()].map(([emoji, group]) => `${emoji} from ${[...group.from].join(" and ")}`).join(", ");
  return (
    <span
      role="img"
      aria-label={`Reactions: ${label}`}
      data-testid="message-reactions"
      className={`absolute -bottom-3 flex gap-0.5 rounded-full bg-white px-1.5 py-0.5 text-xs shadow-sm ring-1 ring-slate-200 ${
        outgoing ? "right-2" : "left-2"
      }`}
    >
      {[...groups.entries()].map(([emoji, group]) => (
        <span key={emoji} className="leading-4 text-slate-700">
          {emoji}
          {group.count > 1 ? <span className="ml-0.5 text-[10px]">{group.count}</span> : null}
        </span>
      ))}
    </span>
  );
}
