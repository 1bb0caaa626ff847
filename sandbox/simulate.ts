import { z } from "zod";
import type { SandboxContext } from "./context";
import {
  instagramDeleteEvent,
  instagramSeenEvent,
  messengerDeliveryEvent,
  messengerEditEvent,
  messengerReadEvent,
  metaEchoEvent,
  metaMessageEvent,
  metaPostbackEvent,
  metaReactionEvent,
  whatsappContact,
  whatsappEcho,
  whatsappMessage,
  whatsappReaction,
  whatsappStatus,
  type WhatsAppStatusName,
} from "./events";
import { PLATFORMS, type Platform } from "./fixture";
import { whatsappWebhookError, type WhatsAppErrorCode } from "./graph-error";
import { HttpError } from "./http";
import { digitsFrom, liveSeed, messageIdFrom } from "./ids";
import { sampleFor } from "./samples";
import type { Account, Customer, StoredAttachment, StoredMessage, Thread } from "./state";

// The people on the other side: customers who write, react, read; Meta's own apps where the business
// sometimes types; and the delivery/read lifecycle of what the app sends.

export const CUSTOMER_ACTIONS = [
  "text",
  "image",
  "audio",
  "voice",
  "video",
  "file",
  "sticker",
  "location",
  "contacts",
  "reaction",
  "unreaction",
  "reply",
  "story_reply",
  "story_mention",
  "share",
  "quick_reply",
  "postback",
  "button_reply",
  "list_reply",
  "template_button",
  "edit",
  "delete",
  "read",
] as const;
export type CustomerActionKind = (typeof CUSTOMER_ACTIONS)[number];

const SUPPORTED: Record<Platform, ReadonlySet<CustomerActionKind>> = {
  messenger: new Set<CustomerActionKind>([
    "text",
    "image",
    "audio",
    "voice",
    "video",
    "file",
    "sticker",
    "reaction",
    "unreaction",
    "reply",
    "share",
    "quick_reply",
    "postback",
    "edit",
    "read",
  ]),
  instagram: new Set<CustomerActionKind>([
    "text",
    "image",
    "audio",
    "voice",
    "video",
    "file",
    "sticker",
    "reaction",
    "unreaction",
    "reply",
    "story_reply",
    "story_mention",
    "share",
    "quick_reply",
    "postback",
    "delete",
    "read",
  ]),
  whatsapp: new Set<CustomerActionKind>([
    "text",
    "image",
    "audio",
    "voice",
    "video",
    "file",
    "sticker",
    "location",
    "contacts",
    "reaction",
    "unreaction",
    "reply",
    "button_reply",
    "list_reply",
    "template_button",
    "read",
  ]),
};

export function supportedActions(platform: Platform): CustomerActionKind[] {
  return CUSTOMER_ACTIONS.filter((kind) => SUPPORTED[platform].has(kind));
}

export const customerActionInput = z
  .object({
    platform: z.enum(PLATFORMS),
    /** PSID / IGSID / wa_id; default: the account's first customer. */
    customer: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
    kind: z.enum(CUSTOMER_ACTIONS).default("text"),
    text: z.string().min(1).max(4096).optional(),
    /** The message reacted to, replied to, edited, deleted, read up to, or whose buttons were tapped. */
    messageId: z.string().min(1).optional(),
    emoji: z.string().min(1).max(16).optional(),
    payload: z.string().min(1).max(1000).optional(),
    sample: z.string().optional(),
    url: z.url().optional(),
    filename: z.string().optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    name: z.string().optional(),
    address: z.string().optional(),
    contact: z.object({ name: z.string().min(1), phone: z.string().min(5) }).optional(),
  })
  .strict();
export type CustomerActionInput = z.input<typeof customerActionInput>;

export interface ActionResult {
  kind: CustomerActionKind;
  platform: Platform;
  accountId: string;
  customerId: string;
  /** The stored message for actions that create one. */
  message: StoredMessage | null;
  /** The message acted on (reaction, edit, delete, read). */
  target: string | null;
}

function resolveParties(
  ctx: SandboxContext,
  platform: Platform,
  customerId?: string,
  accountId?: string,
): { account: Account; customer: Customer } {
  const state = ctx.state;
  let customer = customerId ? state.customer(platform, customerId) : undefined;
  if (customerId && !customer) throw new HttpError(404, `no ${platform} customer ${customerId}`);
  const account = state.accounts.get(accountId ?? customer?.accountId ?? state.accountsOf(platform)[0]?.id ?? "");
  if (!account || account.platform !== platform) throw new HttpError(404, `no ${platform} account ${accountId ?? ""}`.trim());
  customer ??= state.customersOf(account.id)[0];
  if (!customer) throw new HttpError(404, `the ${platform} account ${account.id} has no customers`);
  if (customer.accountId !== account.id)
    throw new HttpError(400, `customer ${customer.id} writes to ${customer.accountId}, not ${account.id}`);
  return { account, customer };
}

function newMessage(thread: Thread, from: "customer" | "business", at: number, fields: Partial<StoredMessage>): StoredMessage {
  return {
    id: messageIdFrom(thread.platform, liveSeed()),
    platform: thread.platform,
    accountId: thread.accountId,
    customerId: thread.customerId,
    threadId: thread.id,
    from,
    timestamp: at,
    type: "text",
    text: null,
    attachments: [],
    replyTo: null,
    payload: null,
    sentFrom: null,
    status: null,
    error: null,
    reactions: [],
    deleted: false,
    editCount: 0,
    seenByBusiness: false,
    ...fields,
  };
}

/** A media attachment as the platform stores it: a URL for Messenger/Instagram, a media id for WhatsApp. */
export function mediaAttachment(
  ctx: SandboxContext,
  account: Account,
  type: "image" | "audio" | "video" | "file" | "sticker",
  options: { sample?: string; url?: string; filename?: string; voice?: boolean } = {},
): StoredAttachment {
  const sample = sampleFor(type, options.sample);
  const base: StoredAttachment = {
    type,
    url: null,
    mimeType: sample.mimeType,
    name: options.filename ?? (type === "file" ? sample.name : null),
    mediaId: null,
    sha256: sample.sha256,
    size: sample.bytes.length,
    ...(options.voice ? { voice: true } : {}),
  };
  if (account.platform === "whatsapp") {
    const media = ctx.state.registerMedia(account.id, sample.name, digitsFrom(`media:${liveSeed()}`, 16));
    return { ...base, mediaId: media.id };
  }
  return { ...base, url: options.url ?? ctx.state.sampleUrl(sample.name) };
}

function targetMessage(
  ctx: SandboxContext,
  thread: Thread,
  messageId: string | undefined,
  want?: "customer" | "business",
): StoredMessage {
  const candidates = thread.messages.filter((message) => !want || message.from === want);
  const message = messageId ? ctx.state.messages.get(messageId) : candidates[candidates.length - 1];
  if (!message || message.threadId !== thread.id)
    throw new HttpError(404, messageId ? `message ${messageId} is not in this conversation` : "there is no message to act on");
  if (want && message.from !== want) throw new HttpError(400, `that action needs a ${want} message`);
  return message;
}

/** Performs one customer action: updates the sandbox's state and queues the webhook(s) Meta would send. */
export function customerAction(ctx: SandboxContext, rawInput: CustomerActionInput): ActionResult {
  const input = customerActionInput.parse(rawInput);
  const { account, customer } = resolveParties(ctx, input.platform, input.customer, input.account);
  if (!SUPPORTED[account.platform].has(input.kind))
    throw new HttpError(
      400,
      `${account.platform} customers cannot send "${input.kind}" (supported: ${supportedActions(account.platform).join(", ")})`,
    );
  const state = ctx.state;
  const thread = state.threadFor(customer);
  const at = ctx.nowMs();
  const result = (message: StoredMessage | null, target: string | null): ActionResult => ({
    kind: input.kind,
    platform: account.platform,
    accountId: account.id,
    customerId: customer.id,
    message,
    target,
  });
  const deliver = (event: Record<string, unknown>) => enqueueMeta(ctx, account, event);

  switch (input.kind) {
    case "reaction":
    case "unreaction": {
      const target = targetMessage(ctx, thread, input.messageId);
      const emoji = input.kind === "reaction" ? (input.emoji ?? "❤️") : null;
      target.reactions = target.reactions.filter((reaction) => reaction.from !== "customer");
      if (emoji) target.reactions.push({ from: "customer", emoji });
      state.updated(target);
      if (account.platform === "whatsapp") {
        state.touchWindow(thread, at);
        enqueueWhatsApp(
          ctx,
          account,
          "messages",
          whatsappReaction(customer, messageIdFrom("whatsapp", liveSeed()), target.id, emoji, at),
          customer,
        );
      } else deliver(metaReactionEvent(account, customer, target.id, emoji, at));
      return result(null, target.id);
    }
    case "read":
      return result(null, customerReads(ctx, account, customer, thread, input.messageId));
    case "edit": {
      const target = targetMessage(ctx, thread, input.messageId, "customer");
      target.text = input.text ?? `${target.text ?? ""} (edited)`;
      target.editCount++;
      state.updated(target);
      deliver(messengerEditEvent(account, customer, target.id, target.text, target.editCount, at));
      return result(null, target.id);
    }
    case "delete": {
      const target = targetMessage(ctx, thread, input.messageId, "customer");
      target.deleted = true;
      state.updated(target);
      deliver(instagramDeleteEvent(account, customer, target.id, at));
      return result(null, target.id);
    }
    case "postback": {
      const title = input.text ?? "Get Started";
      const message = newMessage(thread, "customer", at, {
        type: "postback",
        text: title,
        payload: { payload: input.payload ?? "GET_STARTED" },
      });
      state.insert(thread, message);
      deliver(metaPostbackEvent(account, customer, message.id, title, input.payload ?? "GET_STARTED", at));
      return result(message, null);
    }
    default:
      break;
  }

  const message = buildCustomerMessage(ctx, account, thread, input, at);
  const replyTo = message.replyTo ? (state.messages.get(message.replyTo) ?? null) : null;
  state.insert(thread, message);
  if (account.platform === "whatsapp")
    enqueueWhatsApp(ctx, account, "messages", whatsappMessage(account, customer, message, replyTo), customer);
  else deliver(metaMessageEvent(account, customer, message, replyTo));
  return result(message, replyTo?.id ?? null);
}

function buildCustomerMessage(
  ctx: SandboxContext,
  account: Account,
  thread: Thread,
  input: z.output<typeof customerActionInput>,
  at: number,
): StoredMessage {
  const fields: Partial<StoredMessage> = { seenByBusiness: false };
  switch (input.kind) {
    case "text":
      fields.text = input.text ?? "Hello!";
      break;
    case "reply":
      fields.text = input.text ?? "Thanks!";
      fields.replyTo = targetMessage(ctx, thread, input.messageId).id;
      break;
    case "quick_reply":
      fields.type = "quick_reply";
      fields.text = input.text ?? "Yes";
      fields.payload = { payload: input.payload ?? "QUICK_REPLY_YES" };
      break;
    case "image":
    case "audio":
    case "voice":
    case "video":
    case "file":
    case "sticker": {
      const type = input.kind === "voice" ? "audio" : input.kind;
      fields.type = type;
      fields.text = type === "audio" || type === "sticker" ? null : (input.text ?? null);
      fields.attachments = [
        mediaAttachment(ctx, account, type, {
          sample: input.sample,
          url: input.url,
          filename: input.filename,
          voice: input.kind === "voice",
        }),
      ];
      if (input.messageId) fields.replyTo = targetMessage(ctx, thread, input.messageId).id;
      break;
    }
    case "location":
      fields.type = "location";
      fields.attachments = [
        {
          type: "location",
          url: null,
          mimeType: null,
          name: null,
          mediaId: null,
          sha256: null,
          size: null,
          latitude: input.latitude ?? 40.7411,
          longitude: input.longitude ?? -73.9897,
          title: input.name ?? "Flatiron Building",
          address: input.address ?? "175 5th Ave, New York, NY 10010",
        },
      ];
      break;
    case "contacts":
      fields.type = "contacts";
      fields.attachments = [
        {
          type: "contacts",
          url: null,
          mimeType: null,
          name: null,
          mediaId: null,
          sha256: null,
          size: null,
          contact: input.contact ?? { name: "Marta Quintero", phone: "+1 555 010 7788" },
        },
      ];
      break;
    case "story_reply":
      fields.type = "story_reply";
      fields.text = input.text ?? "Love this! 😍";
      fields.payload = {
        story: { url: input.url ?? ctx.state.sampleUrl("photo.png"), id: digitsFrom(`story:${liveSeed()}`, 17) },
      };
      break;
    case "story_mention":
      fields.type = "story_mention";
      fields.attachments = [
        {
          type: "story_mention",
          url: input.url ?? ctx.state.sampleUrl("photo.png"),
          mimeType: "image/png",
          name: null,
          mediaId: null,
          sha256: null,
          size: null,
        },
      ];
      break;
    case "share":
      fields.type = "share";
      fields.attachments = [
        {
          type: "share",
          url: input.url ?? "https://www.instagram.com/p/C0ffee123/",
          mimeType: null,
          name: null,
          mediaId: null,
          sha256: null,
          size: null,
          title: input.text ?? "Look at this",
        },
      ];
      break;
    case "button_reply":
    case "list_reply": {
      fields.type = "interactive";
      fields.text = input.text ?? (input.kind === "list_reply" ? "Oat flat white" : "Yes, please");
      fields.payload = {
        kind: input.kind,
        id: input.payload ?? (input.kind === "list_reply" ? "menu_oat_flat_white" : "confirm_yes"),
      };
      fields.replyTo = targetMessage(ctx, thread, input.messageId, "business").id;
      break;
    }
    case "template_button":
      fields.type = "button";
      fields.text = input.text ?? "Confirm";
      fields.payload = { payload: input.payload ?? "CONFIRM_BOOKING" };
      fields.replyTo = targetMessage(ctx, thread, input.messageId, "business").id;
      break;
    default:
      fields.text = input.text ?? "Hello!";
  }
  return newMessage(thread, "customer", at, fields);
}

/** The customer opens the chat: every business message so far is read (Messenger watermark, IG seen, WA read statuses). */
function customerReads(ctx: SandboxContext, account: Account, customer: Customer, thread: Thread, upTo?: string): string | null {
  const at = ctx.nowMs();
  const limit = upTo ? targetMessage(ctx, thread, upTo, "business").timestamp : at;
  const unread = thread.messages.filter(
    (message) =>
      message.from === "business" && message.status !== "read" && message.status !== "failed" && message.timestamp <= limit,
  );
  const last = [...thread.messages].reverse().find((message) => message.from === "business" && message.timestamp <= limit);
  for (const message of unread) {
    message.status = "read";
    ctx.state.updated(message);
  }
  if (account.platform === "messenger") enqueueMeta(ctx, account, messengerReadEvent(account, customer, limit, at));
  else if (account.platform === "instagram") {
    if (last) enqueueMeta(ctx, account, instagramSeenEvent(account, customer, last.id, at));
  } else for (const message of unread) enqueueWhatsApp(ctx, account, "statuses", whatsappStatus(message, "read", at, thread.id));
  return last?.id ?? null;
}

export function enqueueMeta(ctx: SandboxContext, account: Account, event: Record<string, unknown>): void {
  if (!ctx.subscribed(account.id) || account.platform === "whatsapp") return;
  ctx.dispatcher.enqueue({ platform: account.platform, accountId: account.id, event });
}

export function enqueueWhatsApp(
  ctx: SandboxContext,
  account: Account,
  list: "messages" | "statuses" | "message_echoes",
  item: Record<string, unknown>,
  customer?: Customer,
): void {
  if (!ctx.subscribed(account.id) || !account.wabaId) return;
  ctx.dispatcher.enqueue({
    platform: "whatsapp",
    wabaId: account.wabaId,
    phoneNumberId: account.id,
    displayPhoneNumber: account.displayPhoneNumber ?? "",
    field: list === "message_echoes" ? "smb_message_echoes" : "messages",
    list,
    item,
    ...(customer && list === "messages" ? { contact: whatsappContact(customer) } : {}),
  });
}

/**
 * What follows an accepted send from the app: Messenger echo + delivery + read watermarks, Instagram
 * echo + seen, WhatsApp sent → delivered → read statuses. Delays come from the options.
 */
export function afterAppSend(ctx: SandboxContext, account: Account, customer: Customer, message: StoredMessage): void {
  const delays = ctx.options.statusDelaysMs;
  const state = ctx.state;
  const thread = state.threadOf(message);
  if (!thread) return;
  const advance = (status: "sent" | "delivered" | "read") => {
    if (message.status === "failed" || message.status === "read" || (status !== "read" && message.status === status))
      return false;
    if (status === "sent" && message.status === "delivered") return false;
    message.status = status;
    state.updated(message);
    return true;
  };
  if (account.platform === "whatsapp") {
    ctx.schedule(delays.sent, () => {
      if (advance("sent")) enqueueWhatsApp(ctx, account, "statuses", whatsappStatus(message, "sent", ctx.nowMs(), thread.id));
    });
    ctx.schedule(delays.delivered, () => {
      if (advance("delivered"))
        enqueueWhatsApp(ctx, account, "statuses", whatsappStatus(message, "delivered", ctx.nowMs(), thread.id));
    });
    if (ctx.options.autoRead)
      ctx.schedule(delays.read, () => {
        if (advance("read")) enqueueWhatsApp(ctx, account, "statuses", whatsappStatus(message, "read", ctx.nowMs(), thread.id));
      });
    return;
  }
  ctx.schedule(delays.echo, () => enqueueMeta(ctx, account, metaEchoEvent(account, customer, message, ctx.options.appId)));
  if (account.platform === "messenger")
    ctx.schedule(delays.delivered, () => {
      if (advance("delivered")) enqueueMeta(ctx, account, messengerDeliveryEvent(account, customer, [message.id], ctx.nowMs()));
    });
  if (ctx.options.autoRead)
    ctx.schedule(delays.read, () => {
      if (!advance("read")) return;
      const at = ctx.nowMs();
      enqueueMeta(
        ctx,
        account,
        account.platform === "messenger"
          ? messengerReadEvent(account, customer, at, at)
          : instagramSeenEvent(account, customer, message.id, at),
      );
    });
}

/** WhatsApp accepted the send but could not deliver it: a failed status webhook with the error. */
export function failWhatsAppSend(ctx: SandboxContext, account: Account, message: StoredMessage, code: WhatsAppErrorCode): void {
  const thread = ctx.state.threadOf(message);
  ctx.schedule(ctx.options.statusDelaysMs.sent, () => {
    const error = whatsappWebhookError(code);
    message.status = "failed";
    message.error = { code, title: error.title };
    ctx.state.updated(message);
    enqueueWhatsApp(ctx, account, "statuses", whatsappStatus(message, "failed", ctx.nowMs(), thread?.id ?? "", [error]));
  });
}

export const nativeSendInput = z
  .object({
    platform: z.enum(PLATFORMS),
    customer: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
    text: z.string().min(1).max(4096).optional(),
    kind: z.enum(["text", "image"]).default("text"),
  })
  .strict();

/** The business typed in Meta's own app (Page inbox, Instagram app, WhatsApp Business app): an echo without our app id. */
export function nativeBusinessSend(ctx: SandboxContext, rawInput: z.input<typeof nativeSendInput>): StoredMessage {
  const input = nativeSendInput.parse(rawInput);
  const { account, customer } = resolveParties(ctx, input.platform, input.customer, input.account);
  const thread = ctx.state.threadFor(customer);
  const message = newMessage(thread, "business", ctx.nowMs(), {
    type: input.kind,
    text:
      input.kind === "text" ? (input.text ?? "Thanks for reaching out — we'll get back to you shortly.") : (input.text ?? null),
    attachments: input.kind === "image" ? [mediaAttachment(ctx, account, "image")] : [],
    sentFrom: "native",
    status: "sent",
  });
  ctx.state.insert(thread, message);
  if (account.platform === "whatsapp") enqueueWhatsApp(ctx, account, "message_echoes", whatsappEcho(account, message));
  else enqueueMeta(ctx, account, metaEchoEvent(account, customer, message, null));
  return message;
}

/**
 * WhatsApp has no history API: when the app subscribes a business account, the sandbox replays each
 * number's history in timestamp order — customer messages on the `messages` field, the business's
 * side on `smb_message_echoes` followed by its delivery/read status — so the normal ingest imports it.
 */
export function replayWhatsAppHistory(ctx: SandboxContext, wabaId: string): number {
  const numbers = ctx.state.accountsOf("whatsapp").filter((account) => account.wabaId === wabaId);
  const items: { account: Account; message: StoredMessage }[] = [];
  for (const account of numbers)
    for (const thread of ctx.state.threads.values())
      if (thread.accountId === account.id) for (const message of thread.messages) items.push({ account, message });
  items.sort((a, b) => a.message.timestamp - b.message.timestamp);
  for (const { account, message } of items) {
    const customer = ctx.state.customer("whatsapp", message.customerId);
    if (!customer) continue;
    if (message.from === "customer") {
      const replyTo = message.replyTo ? (ctx.state.messages.get(message.replyTo) ?? null) : null;
      enqueueWhatsApp(ctx, account, "messages", whatsappMessage(account, customer, message, replyTo), customer);
    } else {
      enqueueWhatsApp(ctx, account, "message_echoes", whatsappEcho(account, message));
      const status: WhatsAppStatusName =
        message.status === "read" ? "read" : message.status === "failed" ? "failed" : "delivered";
      enqueueWhatsApp(ctx, account, "statuses", whatsappStatus(message, status, message.timestamp + 1000, message.threadId));
    }
  }
  return items.length;
}
