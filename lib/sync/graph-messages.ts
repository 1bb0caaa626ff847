import "server-only";
import type { NormalizedAttachment, NormalizedContact, NormalizedEvent, NormalizedMessage } from "@/lib/webhooks/events";

// The Conversations API's message nodes, turned into the same normalized events webhooks produce,
// so a history import goes through exactly the ingest code a live message does.
// developers.facebook.com/docs/messenger-platform/conversations/ (Message fields)

export interface GraphParticipant {
  id: string;
  name?: string;
  username?: string;
  email?: string;
}

export interface GraphMessage {
  id: string;
  created_time: string;
  from?: GraphParticipant;
  to?: { data?: GraphParticipant[] };
  message?: string;
  sticker?: string;
  attachments?: {
    data?: {
      id?: string;
      mime_type?: string;
      name?: string;
      size?: number;
      image_data?: { url?: string };
      video_data?: { url?: string };
      file_url?: string;
    }[];
  };
  shares?: { data?: { link?: string; name?: string }[] };
  story?: { reply_to?: { link?: string; id?: string }; mention?: { link?: string; id?: string } };
  reactions?: { data?: { reaction?: string; users?: GraphParticipant[] }[] };
}

export const GRAPH_MESSAGE_FIELDS = "id,created_time,from,to,message,sticker,attachments,shares,story,reactions";

function attachmentsOf(message: GraphMessage): NormalizedAttachment[] {
  const files = (message.attachments?.data ?? []).map((file): NormalizedAttachment => {
    const mime = file.mime_type ?? null;
    const type = file.image_data ? "image" : file.video_data ? "video" : mime?.startsWith("audio/") ? "audio" : "file";
    return {
      type,
      url: file.image_data?.url ?? file.video_data?.url ?? file.file_url ?? null,
      mimeType: mime,
      name: file.name ?? null,
    };
  });
  const shares = (message.shares?.data ?? []).map((share): NormalizedAttachment => ({
    type: "share",
    url: share.link ?? null,
    mimeType: null,
    name: share.name ?? null,
  }));
  const sticker: NormalizedAttachment[] = message.sticker
    ? [{ type: "sticker", url: message.sticker, mimeType: null, name: null }]
    : [];
  return [...files, ...shares, ...sticker];
}

/** The events of one history message: the message itself, then its reactions. */
export function graphMessageEvents(message: GraphMessage, businessId: string, customer: NormalizedContact): NormalizedEvent[] {
  const outgoing = message.from?.id === businessId;
  const attachments = attachmentsOf(message);
  const mention = message.story?.mention;
  const storyReply = message.story?.reply_to;
  const type: NormalizedMessage["type"] = mention
    ? "story_mention"
    : attachments[0]
      ? attachments[0].type === "file"
        ? "file"
        : attachments[0].type === "share"
          ? "share"
          : (attachments[0].type as NormalizedMessage["type"])
      : message.message
        ? "text"
        : "unsupported";
  const sentAt = new Date(message.created_time);
  const events: NormalizedEvent[] = [
    {
      kind: "message",
      contact: customer,
      message: {
        externalId: message.id,
        direction: outgoing ? "outgoing" : "incoming",
        type,
        text: message.message || null,
        payload: storyReply ? { story: storyReply } : mention ? { story: mention } : null,
        attachments: mention ? [{ type: "story", url: mention.link ?? null, mimeType: null, name: null }] : attachments,
        replyToExternalId: null,
        sentAt,
        // History does not say which app sent a business message; count it as sent from Meta's apps.
        appId: null,
        isEcho: outgoing,
      },
    },
  ];
  for (const reaction of message.reactions?.data ?? []) {
    if (!reaction.reaction) continue;
    const from = reaction.users?.some((user) => user.id === businessId) ? "business" : "customer";
    events.push({
      kind: "reaction",
      contact: customer,
      messageExternalId: message.id,
      emoji: reaction.reaction,
      from,
      at: sentAt,
    });
  }
  return events;
}
