import type { Principal } from "./auth";
import type { SandboxContext } from "./context";
import { graphErrors } from "./graph-error";
import { jsonParam, type Params } from "./http";
import { liveSeed, messageIdFrom } from "./ids";
import { afterAppSend } from "./simulate";
import type { Account, StoredAttachment, StoredMessage } from "./state";

// Messenger Send API (developers.facebook.com/docs/messenger-platform/reference/send-api) and Instagram
// Messaging "Send a Message" (developers.facebook.com/docs/messenger-platform/instagram/features/send-message):
// POST /{page-id}/messages or /me/messages with a Page token; Instagram also via /{ig-id}/messages.

const DAY_MS = 24 * 60 * 60 * 1000;
const HUMAN_AGENT_MS = 7 * DAY_MS;
const MESSENGER_TAGS = new Set(["CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "HUMAN_AGENT"]);
const ATTACHMENT_TYPES = new Set(["image", "audio", "video", "file", "template"]);
const SENDER_ACTIONS = new Set(["mark_seen", "typing_on", "typing_off", "react", "unreact"]);

export interface SendOutcome {
  body: Record<string, unknown>;
  account: Account;
  recipientId: string;
  message: StoredMessage | null;
}

function objectParam(params: Params, name: string): Record<string, unknown> | undefined {
  const value = jsonParam(params, name);
  if (value === undefined) return undefined;
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw graphErrors.invalidParameter(`param ${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** Resolves which Page/Instagram account sends, from the path id and the Page token. */
export function resolveSender(
  ctx: SandboxContext,
  principal: Principal,
  pathId: string,
): { page: Account; instagram: Account | null } {
  if (principal.kind !== "page") throw graphErrors.pageTokenRequired();
  const page = ctx.state.accounts.get(principal.pageId);
  if (!page || page.platform !== "messenger") throw graphErrors.invalidToken();
  const instagram = ctx.state.accountsOf("instagram").find((account) => account.pageId === page.id) ?? null;
  if (pathId === "me" || pathId === page.id) return { page, instagram };
  if (instagram && pathId === instagram.id) return { page, instagram };
  throw graphErrors.unsupported("post", pathId);
}

export function sendMessage(ctx: SandboxContext, principal: Principal, pathId: string, params: Params): SendOutcome {
  const { page, instagram } = resolveSender(ctx, principal, pathId);
  const recipient = objectParam(params, "recipient");
  if (!recipient) throw graphErrors.invalidParameter("The parameter recipient is required");
  const recipientId =
    typeof recipient.id === "string" ? recipient.id : typeof recipient.id === "number" ? String(recipient.id) : "";
  if (!recipientId) throw graphErrors.invalidParameter("param recipient must contain id", 2018001);

  // A Page token reaches both the Page's Messenger customers and its linked Instagram account's.
  const viaInstagramPath = pathId !== "me" && pathId === instagram?.id;
  const customer =
    (!viaInstagramPath ? ctx.state.customer("messenger", recipientId) : undefined) ??
    (instagram ? ctx.state.customer("instagram", recipientId) : undefined);
  const account = customer ? ctx.state.accounts.get(customer.accountId) : undefined;
  if (!customer || !account || (account.id !== page.id && account.id !== instagram?.id)) throw graphErrors.noMatchingUser();
  const thread = ctx.state.threadFor(customer);

  const senderAction = params.sender_action;
  const message = objectParam(params, "message");
  if (senderAction !== undefined) {
    if (message) throw graphErrors.invalidParameter("Cannot send both message and sender_action at the same time", 2018015);
    if (!SENDER_ACTIONS.has(senderAction))
      throw graphErrors.invalidParameter(`param sender_action must be one of {${[...SENDER_ACTIONS].join(", ")}}`);
    if (senderAction === "mark_seen") {
      for (const item of thread.messages)
        if (item.from === "customer" && !item.seenByBusiness) {
          item.seenByBusiness = true;
          ctx.state.updated(item);
        }
    }
    if (senderAction === "react" || senderAction === "unreact") {
      const payload = objectParam(params, "payload") ?? {};
      const target = typeof payload.message_id === "string" ? ctx.state.messages.get(payload.message_id) : undefined;
      if (!target || target.threadId !== thread.id)
        throw graphErrors.invalidParameter("param payload[message_id] must be a message in this conversation");
      target.reactions = target.reactions.filter((reaction) => reaction.from !== "business");
      if (senderAction === "react")
        target.reactions.push({ from: "business", emoji: reactionEmoji(String(payload.reaction ?? "love")) });
      ctx.state.updated(target);
    }
    return { body: { recipient_id: customer.id }, account, recipientId: customer.id, message: null };
  }
  if (!message) throw graphErrors.invalidParameter("The parameter message is required");

  const limit = account.platform === "instagram" ? 1000 : 2000;
  const text = message.text;
  const attachment = message.attachment as Record<string, unknown> | undefined;
  if (text === undefined && !attachment) throw graphErrors.invalidParameter("Must send either message text or an attachment");
  if (text !== undefined && (typeof text !== "string" || text.length === 0))
    throw graphErrors.invalidParameter("Param message[text] must be a non-empty UTF-8 encoded string");
  if (typeof text === "string" && Buffer.byteLength(text) > limit)
    throw graphErrors.invalidParameter(`Length of param message[text] must be less than or equal to ${limit}`);
  let stored: StoredAttachment | null = null;
  if (attachment) {
    const type = String(attachment.type ?? "");
    if (!ATTACHMENT_TYPES.has(type))
      throw graphErrors.invalidParameter("param message[attachment][type] must be one of {image, audio, video, file, template}");
    const payload = (attachment.payload ?? {}) as Record<string, unknown>;
    const url = typeof payload.url === "string" ? payload.url : null;
    if (type !== "template" && !url && payload.attachment_id === undefined)
      throw graphErrors.invalidParameter("param message[attachment][payload] must contain url or attachment_id");
    stored = {
      type: type as StoredAttachment["type"],
      url,
      mimeType: null,
      name: null,
      mediaId: null,
      sha256: null,
      size: null,
      ...(type === "template" && typeof payload.template_type === "string" ? { title: payload.template_type } : {}),
    };
  }

  checkWindow(ctx, account, thread.lastCustomerAt, params);

  const now = ctx.nowMs();
  const stored_: StoredMessage = {
    id: messageIdFrom(account.platform, liveSeed()),
    platform: account.platform,
    accountId: account.id,
    customerId: customer.id,
    threadId: thread.id,
    from: "business",
    timestamp: now,
    type: stored ? stored.type : "text",
    text: typeof text === "string" ? text : null,
    attachments: stored ? [stored] : [],
    replyTo:
      typeof (message.reply_to as Record<string, unknown> | undefined)?.mid === "string"
        ? String((message.reply_to as Record<string, unknown>).mid)
        : null,
    payload: message.quick_replies ? { quick_replies: message.quick_replies } : null,
    sentFrom: "app",
    status: "sent",
    error: null,
    reactions: [],
    deleted: false,
    editCount: 0,
    seenByBusiness: true,
  };
  ctx.state.insert(thread, stored_);
  afterAppSend(ctx, account, customer, stored_);
  return { body: { recipient_id: customer.id, message_id: stored_.id }, account, recipientId: customer.id, message: stored_ };
}

/** The 24-hour standard messaging window; Messenger message tags extend or bypass it as documented. */
function checkWindow(ctx: SandboxContext, account: Account, lastCustomerAt: number | null, params: Params): void {
  const age = lastCustomerAt === null ? Number.POSITIVE_INFINITY : ctx.nowMs() - lastCustomerAt;
  const messagingType = params.messaging_type ?? "RESPONSE";
  const tag = params.tag;
  if (messagingType === "MESSAGE_TAG") {
    if (!tag) throw graphErrors.invalidParameter("The parameter tag is required when messaging_type is MESSAGE_TAG");
    if (account.platform === "instagram" && tag !== "HUMAN_AGENT")
      throw graphErrors.invalidParameter("Instagram supports only the HUMAN_AGENT tag");
    if (!MESSENGER_TAGS.has(tag))
      throw graphErrors.invalidParameter(`param tag must be one of {${[...MESSENGER_TAGS].join(", ")}}`);
    if (tag === "HUMAN_AGENT" && age <= HUMAN_AGENT_MS) return;
    if (tag !== "HUMAN_AGENT" && account.platform === "messenger") return;
  } else if (age <= DAY_MS) return;
  throw account.platform === "instagram" ? graphErrors.instagramOutsideWindow() : graphErrors.messengerOutsideWindow();
}

const REACTIONS: Record<string, string> = {
  love: "❤️",
  like: "👍",
  smile: "😆",
  wow: "😮",
  sad: "😢",
  angry: "😠",
  dislike: "👎",
};
const reactionEmoji = (name: string) => REACTIONS[name] ?? name;
