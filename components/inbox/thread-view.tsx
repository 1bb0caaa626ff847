"use client";

import { useState } from "react";
import { PlatformIcon } from "@/components/platforms/platform-icon";
import { RealtimeStatus } from "@/components/realtime/realtime-status";
import { Avatar } from "./avatar";
import { useClock } from "./clock";
import { Composer } from "./composer";
import { displayName, formatDuration } from "./format";
import { Icon } from "./icons";
import { ImageViewer } from "./image-viewer";
import type { ThreadState } from "./inbox-store";
import type { ImageTarget } from "./message-body";
import { MessageList } from "./message-list";
import { ThreadSkeleton } from "./skeletons";
import { TemplatePicker, type TemplateChoice } from "./template-picker";
import type { Conversation, ThreadMessage } from "./types";
import { platformLabels } from "@/lib/platforms/labels";

interface ThreadViewProps {
  conversation: Conversation;
  thread: ThreadState | undefined;
  canReply: boolean;
  detailsOpen: boolean;
  focusMessageId: string | null;
  onFocused: () => void;
  onBack: () => void;
  onToggleDetails: () => void;
  onArchive: () => void;
  onSend: (text: string) => void;
  onSendTemplate: (choice: TemplateChoice) => void;
  onRetry: (message: ThreadMessage) => void;
  onReload: () => void;
  onLoadOlder: () => void;
}

export function ThreadView(props: ThreadViewProps) {
  const { conversation, thread } = props;
  const { now } = useClock();
  const [image, setImage] = useState<ImageTarget | null>(null);
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const name = displayName(conversation.participant);
  const endsAt = conversation.replyWindowEndsAt ? Date.parse(conversation.replyWindowEndsAt) : null;
  const remaining = endsAt === null ? null : endsAt - now;

  return (
    <section aria-label={`Conversation with ${name}`} className="flex h-full min-h-0 flex-col" data-testid="thread">
      <header className="flex items-center gap-2 border-b border-slate-200 bg-white px-2 py-2 sm:px-4">
        <button
          type="button"
          onClick={props.onBack}
          aria-label="Back to conversations"
          className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100 md:hidden"
        >
          <Icon name="back" />
        </button>
        <Avatar name={name} url={conversation.participant.avatarUrl} seed={conversation.participant.id} size="sm" />
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-sm font-semibold text-slate-900" dir="auto" data-testid="thread-title">
            {name}
          </h2>
          <p className="flex items-center gap-1 truncate text-xs text-slate-500">
            <PlatformIcon platform={conversation.platform} decorative className="size-3" />
            {platformLabels[conversation.platform]}
            {conversation.participant.username ? <span dir="auto"> · @{conversation.participant.username}</span> : null}
            {remaining !== null && remaining > 0 ? (
              <span className="hidden sm:inline"> · replies open for {formatDuration(remaining)}</span>
            ) : null}
            {conversation.isArchived ? (
              <span className="ml-1 rounded bg-slate-100 px-1 text-[11px] text-slate-600">Archived</span>
            ) : null}
          </p>
        </div>
        <RealtimeStatus className="md:hidden" />
        <button
          type="button"
          onClick={props.onArchive}
          aria-label={conversation.isArchived ? "Move back to inbox" : "Archive conversation"}
          title={conversation.isArchived ? "Move back to inbox (e)" : "Archive (e)"}
          className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100"
        >
          <Icon name={conversation.isArchived ? "unarchive" : "archive"} />
        </button>
        <button
          type="button"
          onClick={props.onToggleDetails}
          aria-label={props.detailsOpen ? "Hide contact details" : "Show contact details"}
          aria-pressed={props.detailsOpen}
          title="Contact details"
          className={`rounded-md p-1.5 hover:bg-slate-100 xl:hidden ${props.detailsOpen ? "text-brand-700" : "text-slate-600"}`}
        >
          <Icon name="info" />
        </button>
      </header>

      {!thread || thread.status === "loading" ? (
        <div className="flex min-h-0 flex-1 flex-col bg-slate-50">
          <ThreadSkeleton />
        </div>
      ) : thread.status === "error" ? (
        <div
          role="alert"
          className="flex flex-1 flex-col items-center justify-center bg-slate-50 px-6 text-center text-sm text-slate-600"
        >
          <p className="font-medium text-slate-900">The messages could not be loaded.</p>
          <p className="mt-1">{thread.error}</p>
          <button
            type="button"
            onClick={props.onReload}
            className="mt-4 rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50"
          >
            Try again
          </button>
        </div>
      ) : thread.messages.length === 0 ? (
        <div className="flex flex-1 items-center justify-center bg-slate-50 px-6 text-center text-sm text-slate-500">
          No messages in this conversation yet.
        </div>
      ) : (
        <MessageList
          thread={thread}
          contactName={name}
          focusMessageId={props.focusMessageId}
          onFocused={props.onFocused}
          onLoadOlder={props.onLoadOlder}
          onRetry={props.onRetry}
          onOpenImage={setImage}
        />
      )}

      <Composer
        key={conversation.id}
        conversation={conversation}
        canReply={props.canReply}
        onSend={props.onSend}
        onTemplates={() => setTemplatesOpen(true)}
      />
      {conversation.platform === "whatsapp" ? (
        <TemplatePicker
          open={templatesOpen}
          platformId={conversation.platformId}
          onClose={() => setTemplatesOpen(false)}
          onSend={props.onSendTemplate}
        />
      ) : null}
      <ImageViewer image={image} onClose={() => setImage(null)} />
    </section>
  );
}
