import type { Account, Customer, StoredAttachment, StoredMessage } from "./state";

// Pure builders of the webhook event objects, shaped after Meta's references:
// Messenger "messages", "message_echoes", "message_deliveries", "message_reads", "message_reactions",
// "message_edits", "messaging_postbacks" (developers.facebook.com/docs/messenger-platform/webhooks/webhook-events);
// Instagram messaging webhooks (developers.facebook.com/docs/messenger-platform/instagram/features/webhook);
// WhatsApp messages/status webhook references (developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).

export const seconds = (ms: number) => String(Math.floor(ms / 1000));
export const digitsOnly = (phone: string) => phone.replace(/\D/g, "");

const REACTION_NAMES: Record<string, string> = {
  "❤️": "love",
  "❤": "love",
  "😍": "love",
  "😆": "smile",
  "😂": "smile",
  "😄": "smile",
  "😮": "wow",
  "😢": "sad",
  "😠": "angry",
  "👍": "like",
  "👎": "dislike",
};
export const reactionName = (emoji: string) => REACTION_NAMES[emoji] ?? "other";

/** Messenger/Instagram attachment objects as the messages webhook carries them. */
export function metaAttachments(platform: "messenger" | "instagram", attachments: StoredAttachment[]): Record<string, unknown>[] {
  return attachments.flatMap((attachment): Record<string, unknown>[] => {
    const url = attachment.url ?? "";
    switch (attachment.type) {
      case "sticker":
        // Messenger's sticker transition: both the legacy image and the new sticker attachment are sent.
        return platform === "messenger"
          ? [
              { type: "image", payload: { url, sticker_id: 369239263222822 } },
              { type: "sticker", payload: { url, sticker_id: 369239263222822 } },
            ]
          : [{ type: "image", payload: { url } }];
      case "share":
        return platform === "instagram"
          ? [{ type: "share", payload: { url } }]
          : [{ type: "fallback", payload: { url, title: attachment.title ?? url } }];
      case "fallback":
        return [{ type: "fallback", payload: { url, title: attachment.title ?? url } }];
      case "story_mention":
        return [{ type: "story_mention", payload: { url } }];
      case "template":
        return [
          {
            type: "template",
            payload: attachment.title ? { template_type: "generic", title: attachment.title } : { template_type: "generic" },
          },
        ];
      default:
        return [{ type: attachment.type, payload: { url } }];
    }
  });
}

/** An incoming Messenger/Instagram message (the `messages` field). */
export function metaMessageEvent(account: Account, customer: Customer, message: StoredMessage, replyTo: StoredMessage | null) {
  const platform = account.platform === "instagram" ? "instagram" : "messenger";
  const body: Record<string, unknown> = { mid: message.id };
  if (message.text !== null && message.attachments.length === 0) body.text = message.text;
  if (message.attachments.length) body.attachments = metaAttachments(platform, message.attachments);
  if (message.type === "quick_reply" && message.payload) body.quick_reply = { payload: message.payload.payload };
  if (message.type === "story_reply" && message.payload) body.reply_to = { story: message.payload.story };
  else if (replyTo)
    body.reply_to =
      platform === "messenger" ? { mid: replyTo.id, is_self_reply: replyTo.from === "customer" } : { mid: replyTo.id };
  return { sender: { id: customer.id }, recipient: { id: account.id }, timestamp: message.timestamp, message: body };
}

/** The echo of a message the business sent; `appId` null for messages typed in Meta's own apps. */
export function metaEchoEvent(account: Account, customer: Customer, message: StoredMessage, appId: string | null) {
  const platform = account.platform === "instagram" ? "instagram" : "messenger";
  const body: Record<string, unknown> = { mid: message.id, is_echo: true };
  if (appId) body.app_id = Number(appId);
  if (message.text !== null && message.attachments.length === 0) body.text = message.text;
  if (message.attachments.length) body.attachments = metaAttachments(platform, message.attachments);
  if (message.replyTo) body.reply_to = { mid: message.replyTo };
  return { sender: { id: account.id }, recipient: { id: customer.id }, timestamp: message.timestamp, message: body };
}

export function metaPostbackEvent(account: Account, customer: Customer, mid: string, title: string, payload: string, at: number) {
  return { sender: { id: customer.id }, recipient: { id: account.id }, timestamp: at, postback: { title, payload, mid } };
}

export function metaReactionEvent(account: Account, customer: Customer, target: string, emoji: string | null, at: number) {
  const reaction = emoji
    ? { reaction: reactionName(emoji), emoji, action: "react", mid: target }
    : { action: "unreact", mid: target };
  const ordered =
    account.platform === "instagram" && emoji ? { mid: target, action: "react", reaction: reactionName(emoji), emoji } : reaction;
  return { sender: { id: customer.id }, recipient: { id: account.id }, timestamp: at, reaction: ordered };
}

export function messengerDeliveryEvent(account: Account, customer: Customer, mids: string[], watermark: number) {
  return { sender: { id: customer.id }, recipient: { id: account.id }, delivery: { mids, watermark } };
}

export function messengerReadEvent(account: Account, customer: Customer, watermark: number, at: number) {
  return { sender: { id: customer.id }, recipient: { id: account.id }, timestamp: at, read: { watermark } };
}

/** Instagram `messaging_seen`: the customer saw a given message. */
export function instagramSeenEvent(account: Account, customer: Customer, mid: string, at: number) {
  return { sender: { id: customer.id }, recipient: { id: account.id }, timestamp: at, read: { mid } };
}

export function messengerEditEvent(account: Account, customer: Customer, mid: string, text: string, numEdit: number, at: number) {
  return {
    sender: { id: customer.id },
    recipient: { id: account.id },
    timestamp: at,
    message_edit: { mid, text, num_edit: numEdit },
  };
}

export function instagramDeleteEvent(account: Account, customer: Customer, mid: string, at: number) {
  return { sender: { id: customer.id }, recipient: { id: account.id }, timestamp: at, message: { mid, is_deleted: true } };
}

/** A WhatsApp incoming message object (value.messages[]). */
export function whatsappMessage(account: Account, customer: Customer, message: StoredMessage, replyTo: StoredMessage | null) {
  const out: Record<string, unknown> = { from: customer.id, id: message.id, timestamp: seconds(message.timestamp) };
  if (replyTo)
    out.context = {
      from: replyTo.from === "business" ? digitsOnly(account.displayPhoneNumber ?? "") : customer.id,
      id: replyTo.id,
    };
  const attachment = message.attachments[0];
  const media = (extra: Record<string, unknown> = {}) => ({
    ...(message.text !== null && message.type !== "audio" && message.type !== "sticker" ? { caption: message.text } : {}),
    ...extra,
    mime_type: attachment?.mimeType,
    sha256: attachment?.sha256,
    id: attachment?.mediaId,
  });
  switch (message.type) {
    case "image":
    case "video":
      return { ...out, type: message.type, [message.type]: media() };
    case "audio":
      return { ...out, type: "audio", audio: media({ voice: attachment?.voice === true }) };
    case "file":
      return { ...out, type: "document", document: media({ filename: attachment?.name ?? "document.pdf" }) };
    case "sticker":
      return { ...out, type: "sticker", sticker: { ...media(), animated: false } };
    case "location":
      return {
        ...out,
        type: "location",
        location: {
          latitude: attachment?.latitude,
          longitude: attachment?.longitude,
          ...(attachment?.title ? { name: attachment.title } : {}),
          ...(attachment?.address ? { address: attachment.address } : {}),
        },
      };
    case "contacts": {
      const contact = attachment?.contact ?? { name: "", phone: "" };
      const [first = contact.name, ...rest] = contact.name.split(" ");
      return {
        ...out,
        type: "contacts",
        contacts: [
          {
            name: { formatted_name: contact.name, first_name: first, ...(rest.length ? { last_name: rest.join(" ") } : {}) },
            phones: [{ phone: contact.phone, wa_id: digitsOnly(contact.phone), type: "CELL" }],
          },
        ],
      };
    }
    case "interactive": {
      const payload = message.payload ?? {};
      const kind = payload.kind === "list_reply" ? "list_reply" : "button_reply";
      const reply =
        kind === "list_reply"
          ? { id: payload.id, title: message.text, ...(payload.description ? { description: payload.description } : {}) }
          : { id: payload.id, title: message.text };
      return { ...out, type: "interactive", interactive: { type: kind, [kind]: reply } };
    }
    case "button":
      return { ...out, type: "button", button: { payload: message.payload?.payload ?? message.text, text: message.text } };
    default:
      return { ...out, type: "text", text: { body: message.text ?? "" } };
  }
}

export function whatsappContact(customer: Customer) {
  return { profile: { name: customer.name }, wa_id: customer.id };
}

export function whatsappReaction(customer: Customer, id: string, target: string, emoji: string | null, at: number) {
  // Withdrawing a reaction arrives as a reaction without an emoji.
  return {
    from: customer.id,
    id,
    timestamp: seconds(at),
    type: "reaction",
    reaction: emoji ? { message_id: target, emoji } : { message_id: target },
  };
}

export type WhatsAppStatusName = "sent" | "delivered" | "read" | "failed";

/** A status object (value.statuses[]) with the conversation and pricing objects on sent/delivered. */
export function whatsappStatus(
  message: StoredMessage,
  status: WhatsAppStatusName,
  at: number,
  conversationId: string,
  errors?: Record<string, unknown>[],
) {
  const base: Record<string, unknown> = { id: message.id, status, timestamp: seconds(at), recipient_id: message.customerId };
  if (status === "failed") return { ...base, errors: errors ?? [] };
  if (status === "read") return base;
  const category = message.type === "template" ? String(message.payload?.category ?? "utility").toLowerCase() : "service";
  return {
    ...base,
    conversation: {
      id: conversationId,
      ...(status === "sent" ? { expiration_timestamp: seconds(at + 24 * 60 * 60 * 1000) } : {}),
      origin: { type: category },
    },
    pricing: { billable: category !== "service", pricing_model: "CBP", category },
  };
}

/** smb_message_echoes: a message the business sent from the WhatsApp Business app (coexistence). */
export function whatsappEcho(account: Account, message: StoredMessage) {
  const out: Record<string, unknown> = {
    from: digitsOnly(account.displayPhoneNumber ?? ""),
    to: message.customerId,
    id: message.id,
    timestamp: seconds(message.timestamp),
  };
  const attachment = message.attachments[0];
  if (message.type === "text" || !attachment) return { ...out, type: "text", text: { body: message.text ?? "" } };
  const type = message.type === "file" ? "document" : message.type;
  if (type === "location") return { ...out, type, location: { latitude: attachment.latitude, longitude: attachment.longitude } };
  return {
    ...out,
    type,
    [type]: {
      ...(message.text ? { caption: message.text } : {}),
      mime_type: attachment.mimeType,
      sha256: attachment.sha256,
      id: attachment.mediaId,
    },
  };
}
