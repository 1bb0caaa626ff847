"use client";

import { Fragment, type ReactNode } from "react";
import { mapUrl, safeUrl } from "./format";
import { Icon } from "./icons";
import { templateBody } from "./template-cache";
import type { Message } from "./types";
import { platformLabels } from "@/lib/platforms/labels";

// What a message shows inside its bubble: text (always as text, line breaks kept, links clickable),
// media, location, contacts, shares, stories and the markers around them.

export interface ImageTarget {
  src: string;
  alt: string;
  name: string | null;
}

type Attachment = Message["attachments"][number];

const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}])/giu;

/** Plain text with http(s) links made clickable; everything else stays text. */
export function Linkified({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, index) => {
        const href = index % 2 === 1 ? safeUrl(part) : null;
        return href ? (
          <a key={index} href={href} target="_blank" rel="noopener noreferrer nofollow" className="underline underline-offset-2">
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        );
      })}
    </>
  );
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value : null;
}

function coordinate(value: unknown): number | null {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : null;
}

const interactiveLabels: Record<string, string> = {
  quick_reply: "Quick reply",
  postback: "Button",
  button: "Button",
  button_reply: "Button reply",
  list_reply: "List reply",
  nfm_reply: "Form reply",
};

export function MessageBody({
  message,
  outgoing,
  onOpenImage,
}: {
  message: Message;
  outgoing: boolean;
  onOpenImage: (image: ImageTarget) => void;
}) {
  if (message.deletedAt) {
    return (
      <p className={`text-sm italic ${outgoing ? "text-white/80" : "text-slate-500"}`} data-testid="message-deleted">
        This message was deleted
      </p>
    );
  }
  const payload = record(message.payload);
  const blocks: ReactNode[] = [];

  const story = record(payload?.story);
  if (story) {
    const url = safeUrl(text(story.url));
    blocks.push(
      <p key="story" className={`text-xs ${outgoing ? "text-white/80" : "text-slate-500"}`}>
        {url ? (
          <a href={url} target="_blank" rel="noopener noreferrer" className="underline underline-offset-2">
            Replied to your story
          </a>
        ) : (
          "Replied to your story"
        )}
      </p>,
    );
  }

  if (message.type === "story_mention") {
    blocks.push(
      <p key="mention" className={`text-xs font-medium ${outgoing ? "text-white/80" : "text-slate-500"}`}>
        Mentioned you in their story
      </p>,
    );
  }

  message.attachments.forEach((attachment, index) => {
    blocks.push(
      <AttachmentView
        key={`attachment-${index}`}
        attachment={attachment}
        messageType={message.type}
        outgoing={outgoing}
        platform={message.platform}
        onOpenImage={onOpenImage}
      />,
    );
  });

  if (message.type === "location" && payload) {
    const latitude = coordinate(payload.latitude);
    const longitude = coordinate(payload.longitude);
    if (latitude !== null && longitude !== null) {
      const name = text(payload.name);
      const address = text(payload.address);
      blocks.push(
        <a
          key="location"
          href={mapUrl(latitude, longitude)}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="message-location"
          className={`flex items-start gap-2 rounded-lg p-2 text-sm ${outgoing ? "bg-white/15" : "bg-slate-50 ring-1 ring-slate-200"}`}
        >
          <Icon name="pin" className={`mt-0.5 size-5 ${outgoing ? "text-white" : "text-red-500"}`} />
          <span className="min-w-0">
            <span className="block font-medium" dir="auto">
              {name ?? "Shared location"}
            </span>
            {address ? (
              <span className={`block text-xs ${outgoing ? "text-white/80" : "text-slate-500"}`} dir="auto">
                {address}
              </span>
            ) : null}
            <span className={`block text-xs tabular-nums ${outgoing ? "text-white/80" : "text-slate-500"}`}>
              {latitude.toFixed(5)}, {longitude.toFixed(5)} · Open map
            </span>
          </span>
        </a>,
      );
    }
  }

  if (message.type === "contact" && payload && Array.isArray(payload.contacts)) {
    (payload.contacts as unknown[]).forEach((entry, index) => {
      const contact = record(entry);
      const name = record(contact?.name);
      const phones = Array.isArray(contact?.phones)
        ? (contact.phones as unknown[]).map((phone) => text(record(phone)?.phone))
        : [];
      blocks.push(
        <div
          key={`contact-${index}`}
          className={`flex items-center gap-2 rounded-lg p-2 text-sm ${outgoing ? "bg-white/15" : "bg-slate-50 ring-1 ring-slate-200"}`}
        >
          <Icon name="user" className="size-5" />
          <span className="min-w-0">
            <span className="block font-medium" dir="auto">
              {text(name?.formatted_name) ?? text(name?.first_name) ?? "Shared contact"}
            </span>
            {phones.filter(Boolean).map((phone) => (
              <span key={phone} className={`block text-xs ${outgoing ? "text-white/80" : "text-slate-500"}`}>
                {phone}
              </span>
            ))}
          </span>
        </div>,
      );
    });
  }

  if (message.text) {
    blocks.push(
      <p key="text" dir="auto" className="text-sm break-words whitespace-pre-wrap" data-testid="message-text">
        <Linkified text={message.text} />
      </p>,
    );
  } else if (message.type === "template") {
    blocks.push(<TemplateView key="template" payload={payload} outgoing={outgoing} />);
  }

  if (message.type === "interactive") {
    const kind = text(payload?.kind);
    blocks.push(
      <p key="interactive" className={`text-[11px] font-medium ${outgoing ? "text-white/70" : "text-slate-400"}`}>
        {interactiveLabels[kind ?? ""] ?? "Interactive reply"}
      </p>,
    );
  }

  if (message.type === "unsupported" && message.attachments.length === 0) {
    blocks.push(
      <p key="unsupported" className={`text-sm italic ${outgoing ? "text-white/80" : "text-slate-500"}`}>
        This kind of message cannot be shown here. Open it in {platformLabels[message.platform]}.
      </p>,
    );
  }

  if (blocks.length === 0) {
    blocks.push(
      <p key="empty" className={`text-sm italic ${outgoing ? "text-white/80" : "text-slate-500"}`}>
        Empty message
      </p>,
    );
  }
  return <div className="space-y-1.5">{blocks}</div>;
}

/** A sent template: its text when this tab knows the body, else its name and parameters. */
function TemplateView({ payload, outgoing }: { payload: Record<string, unknown> | null; outgoing: boolean }) {
  const template = record(payload?.template);
  const name = text(template?.name) ?? "template";
  const language = record(template?.language);
  const code = text(language?.code) ?? text(template?.language);
  const parameters: string[] = [];
  if (Array.isArray(template?.components)) {
    for (const component of template.components as unknown[]) {
      const parts = record(component)?.parameters;
      if (!Array.isArray(parts)) continue;
      for (const part of parts as unknown[]) {
        const value = text(record(part)?.text);
        if (value) parameters.push(value);
      }
    }
  }
  const body = templateBody(name, code);
  const rendered = body?.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, index: string) => parameters[Number(index) - 1] ?? whole);
  return (
    <div data-testid="message-template">
      <p className={`text-[11px] font-medium ${outgoing ? "text-white/75" : "text-slate-500"}`}>Template · {name}</p>
      {rendered ? (
        <p className="text-sm break-words whitespace-pre-wrap" dir="auto">
          {rendered}
        </p>
      ) : parameters.length > 0 ? (
        <p className="text-sm break-words" dir="auto">
          {parameters.join(" · ")}
        </p>
      ) : null}
    </div>
  );
}

function AttachmentView({
  attachment,
  messageType,
  outgoing,
  platform,
  onOpenImage,
}: {
  attachment: Attachment;
  messageType: Message["type"];
  outgoing: boolean;
  platform: Message["platform"];
  onOpenImage: (image: ImageTarget) => void;
}) {
  const url = safeUrl(attachment.url);
  const muted = outgoing ? "text-white/80" : "text-slate-500";
  const card = outgoing ? "bg-white/15" : "bg-slate-50 ring-1 ring-slate-200";
  const kind = attachment.type;

  if (!url) {
    if (kind === "unsupported") return null;
    return (
      <p className={`text-xs italic ${muted}`} data-testid="attachment-unavailable">
        {labelOf(kind)} not available{outgoing ? "" : " yet"}
      </p>
    );
  }
  if (kind === "image" || kind === "sticker" || (kind === "story" && attachment.mimeType?.startsWith("image/"))) {
    const alt = kind === "sticker" ? "Sticker" : (attachment.name ?? "Photo");
    return (
      <button
        type="button"
        onClick={() => onOpenImage({ src: url, alt, name: attachment.name })}
        aria-label={kind === "sticker" ? "Open sticker" : `Open photo${attachment.name ? ` ${attachment.name}` : ""}`}
        className="block overflow-hidden rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <img
          src={url}
          alt={alt}
          loading="lazy"
          referrerPolicy="no-referrer"
          data-testid={kind === "sticker" ? "message-sticker" : "message-image"}
          className={kind === "sticker" ? "size-32 object-contain" : "max-h-80 w-full max-w-xs bg-slate-100 object-cover"}
        />
      </button>
    );
  }
  if (kind === "video") {
    return (
      <video
        src={url}
        controls
        preload="metadata"
        aria-label={attachment.name ?? "Video"}
        data-testid="message-video"
        className="max-h-80 w-full max-w-xs rounded-lg bg-black"
      />
    );
  }
  if (kind === "audio") {
    return (
      <div className="space-y-1">
        <audio
          src={url}
          controls
          preload="none"
          aria-label={attachment.name ?? "Voice message"}
          data-testid="message-audio"
          className="w-64 max-w-full"
        />
      </div>
    );
  }
  if (kind === "file") {
    const name = attachment.name ?? "Document";
    return (
      <a
        href={url}
        download={name}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="message-file"
        className={`flex items-center gap-2 rounded-lg p-2 text-sm ${card}`}
      >
        <Icon name="file" className="size-6" />
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium" dir="auto">
            {name}
          </span>
          <span className={`block text-xs ${muted}`}>{attachment.mimeType ?? "File"}</span>
        </span>
        <Icon name="download" className="size-4" />
        <span className="sr-only">Download</span>
      </a>
    );
  }
  // Shares, reels, posts, stories, link fallbacks: a link to the original.
  const label =
    kind === "story"
      ? messageType === "story_mention"
        ? "View the story"
        : "Story"
      : kind === "unsupported"
        ? `Open in ${platformLabels[platform]}`
        : (attachment.name ?? "Shared post");
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer nofollow"
      data-testid="message-share"
      className={`flex items-center gap-2 rounded-lg p-2 text-sm ${card}`}
    >
      <Icon name="external" className="size-4" />
      <span className="min-w-0 truncate font-medium" dir="auto">
        {label}
      </span>
    </a>
  );
}

function labelOf(kind: string): string {
  switch (kind) {
    case "image":
      return "Photo";
    case "video":
      return "Video";
    case "audio":
      return "Audio";
    case "sticker":
      return "Sticker";
    case "file":
      return "File";
    default:
      return "Attachment";
  }
}
