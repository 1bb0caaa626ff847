import type { Principal } from "./auth";
import { canUseWaba } from "./auth";
import type { SandboxContext } from "./context";
import { digitsOnly } from "./events";
import { ASYNC_WHATSAPP_FAILURES, type CallInfo } from "./failures";
import { GraphError, graphErrors, whatsappSyncError } from "./graph-error";
import { jsonParam, type Params } from "./http";
import { digitsFrom, liveSeed, messageIdFrom } from "./ids";
import { afterAppSend, enqueueWhatsApp, failWhatsAppSend } from "./simulate";
import type { Account, Customer, StoredAttachment, StoredMessage } from "./state";

// WhatsApp Cloud API "Messages" (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages):
// POST /{phone-number-id}/messages for text, media by link or id, templates, reactions, location,
// contacts, interactive, and {status: "read"} to mark a message read. Outside the customer service
// window a free-form message is accepted and then fails by status webhook with 131047 (error codes page).

const DAY_MS = 24 * 60 * 60 * 1000;
const MEDIA_TYPES = new Set(["image", "audio", "video", "document", "sticker"]);
const TYPES = new Set(["text", "template", "reaction", "location", "contacts", "interactive", ...MEDIA_TYPES]);

const objectOf = (params: Params, name: string): Record<string, unknown> | undefined => {
  const value = jsonParam(params, name);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
};
const invalid = (details: string) =>
  new GraphError(400, { message: "(#100) Invalid parameter", code: 100, error_data: { messaging_product: "whatsapp", details } });

export function whatsappAccountFor(ctx: SandboxContext, principal: Principal, phoneNumberId: string): Account {
  const account = ctx.state.accounts.get(phoneNumberId);
  if (!account || account.platform !== "whatsapp" || !account.wabaId || !canUseWaba(principal, account.wabaId))
    throw graphErrors.unsupported("post", phoneNumberId);
  return account;
}

export interface WhatsAppSendOutcome {
  body: Record<string, unknown>;
  account: Account;
  recipientId: string;
  message: StoredMessage | null;
}

export function whatsappSend(
  ctx: SandboxContext,
  principal: Principal,
  phoneNumberId: string,
  params: Params,
  call: CallInfo,
): WhatsAppSendOutcome {
  const account = whatsappAccountFor(ctx, principal, phoneNumberId);
  if (params.messaging_product !== "whatsapp")
    throw invalid('The parameter messaging_product is required and must be "whatsapp".');

  if (params.status !== undefined) {
    if (params.status !== "read") throw invalid('status must be "read".');
    const target = params.message_id ? ctx.state.messages.get(params.message_id) : undefined;
    if (!target || target.accountId !== account.id || target.from !== "customer") throw invalid("Invalid message_id.");
    const thread = ctx.state.threadOf(target);
    for (const message of thread?.messages ?? [])
      if (message.from === "customer" && message.timestamp <= target.timestamp && !message.seenByBusiness) {
        message.seenByBusiness = true;
        ctx.state.updated(message);
      }
    return { body: { success: true }, account, recipientId: target.customerId, message: null };
  }

  const to = digitsOnly(params.to ?? "");
  if (!to) throw invalid("The parameter to is required.");
  const type = params.type ?? "text";
  if (!TYPES.has(type)) throw invalid(`Unsupported message type: ${type}.`);
  const content = objectOf(params, type);
  if (!content) throw invalid(`The parameter ${type} is required.`);

  const known = ctx.state.customer("whatsapp", to);
  const customer: Customer =
    known?.accountId === account.id ? known : ctx.state.ensureCustomer("whatsapp", account.id, to, `+${to}`);
  const thread = ctx.state.threadFor(customer);
  const now = ctx.nowMs();
  const message: StoredMessage = {
    id: messageIdFrom("whatsapp", liveSeed()),
    platform: "whatsapp",
    accountId: account.id,
    customerId: customer.id,
    threadId: thread.id,
    from: "business",
    timestamp: now,
    type,
    text: null,
    attachments: [],
    replyTo: (objectOf(params, "context")?.message_id as string | undefined) ?? null,
    payload: null,
    sentFrom: "app",
    status: null,
    error: null,
    reactions: [],
    deleted: false,
    editCount: 0,
    seenByBusiness: true,
  };
  let messageStatus: string | undefined;

  switch (type) {
    case "text": {
      if (typeof content.body !== "string" || content.body.length === 0) throw invalid("text.body is required.");
      if (content.body.length > 4096) throw invalid("text.body must be at most 4096 characters.");
      message.text = content.body;
      break;
    }
    case "template": {
      const template = templateText(ctx, account, content);
      message.text = template.text;
      message.payload = {
        name: content.name,
        language: template.language,
        category: template.category,
        components: content.components ?? [],
      };
      messageStatus = "accepted";
      break;
    }
    case "reaction": {
      const target = typeof content.message_id === "string" ? ctx.state.messages.get(content.message_id) : undefined;
      if (!target || target.threadId !== thread.id) throw invalid("reaction.message_id must be a message of this conversation.");
      target.reactions = target.reactions.filter((reaction) => reaction.from !== "business");
      if (typeof content.emoji === "string" && content.emoji !== "")
        target.reactions.push({ from: "business", emoji: content.emoji });
      ctx.state.updated(target);
      break;
    }
    case "location":
      message.attachments = [
        {
          type: "location",
          url: null,
          mimeType: null,
          name: null,
          mediaId: null,
          sha256: null,
          size: null,
          latitude: Number(content.latitude),
          longitude: Number(content.longitude),
          ...(typeof content.name === "string" ? { title: content.name } : {}),
          ...(typeof content.address === "string" ? { address: content.address } : {}),
        },
      ];
      break;
    case "contacts":
    case "interactive":
      message.text =
        type === "interactive"
          ? String(((content.body as Record<string, unknown> | undefined)?.text as string | undefined) ?? "")
          : null;
      message.payload = { [type]: content };
      break;
    default: {
      const link = typeof content.link === "string" ? content.link : null;
      const mediaId = typeof content.id === "string" ? content.id : null;
      if (!link && !mediaId) throw invalid(`${type} requires link or id.`);
      const media = mediaId ? ctx.state.media.get(mediaId) : undefined;
      if (mediaId && !media) throw invalid(`Media id ${mediaId} does not exist.`);
      const attachment: StoredAttachment = {
        type: type === "document" ? "file" : (type as StoredAttachment["type"]),
        url: link,
        mimeType: media?.mimeType ?? null,
        name: typeof content.filename === "string" ? content.filename : null,
        mediaId,
        sha256: media?.sha256 ?? null,
        size: media?.size ?? null,
      };
      message.type = attachment.type;
      message.text = typeof content.caption === "string" ? content.caption : null;
      message.attachments = [attachment];
    }
  }

  // 131047 and 131026 arrive asynchronously: the API accepts the message, the status webhook fails it.
  const injected = ctx.failures.take(call, (kind) => ASYNC_WHATSAPP_FAILURES.has(kind));
  const outsideWindow = type !== "template" && (thread.lastCustomerAt === null || now - thread.lastCustomerAt > DAY_MS);
  const unknownNumber = known === undefined;

  if (type !== "reaction") ctx.state.insert(thread, message);
  if (injected?.kind === "whatsapp_undeliverable" || (unknownNumber && !injected))
    failWhatsAppSend(ctx, account, message, 131026);
  else if (injected?.kind === "whatsapp_reengagement" || outsideWindow) failWhatsAppSend(ctx, account, message, 131047);
  else if (type !== "reaction") afterAppSend(ctx, account, customer, message);
  else {
    // A reaction is acknowledged with its own wamid and a sent status; it never becomes a message of its own.
    ctx.schedule(ctx.options.statusDelaysMs.sent, () =>
      enqueueWhatsApp(ctx, account, "statuses", {
        id: message.id,
        status: "sent",
        timestamp: String(Math.floor(ctx.nowMs() / 1000)),
        recipient_id: customer.id,
      }),
    );
  }

  return {
    body: {
      messaging_product: "whatsapp",
      contacts: [{ input: params.to, wa_id: customer.id }],
      messages: [{ id: message.id, ...(messageStatus ? { message_status: messageStatus } : {}) }],
    },
    account,
    recipientId: customer.id,
    message,
  };
}

/** Renders a template's body with its {{n}} parameters; unknown templates are error 132001 when the fixture lists templates. */
function templateText(
  ctx: SandboxContext,
  account: Account,
  content: Record<string, unknown>,
): { text: string; language: string; category: string } {
  const name = content.name;
  const language = (content.language as Record<string, unknown> | undefined)?.code;
  if (typeof name !== "string" || !name) throw invalid("template.name is required.");
  if (typeof language !== "string" || !language) throw invalid("template.language.code is required.");
  const waba = ctx.fixture.whatsapp.find((candidate) => candidate.id === account.wabaId);
  const templates = waba?.templates ?? [];
  const template = templates.find((candidate) => candidate.name === name && candidate.language === language);
  if (templates.length > 0 && !template)
    throw whatsappSyncError(132001, 404, `template name (${name}) does not exist in ${language}`);
  const components = Array.isArray(content.components) ? (content.components as Record<string, unknown>[]) : [];
  const bodyParams = (components.find((component) => String(component.type).toLowerCase() === "body")?.parameters ??
    []) as Record<string, unknown>[];
  const values = bodyParams.map((parameter) => String(parameter.text ?? parameter.payload ?? ""));
  const text = (template?.body ?? `[template ${name}]`).replace(
    /\{\{(\d+)\}\}/g,
    (whole, index: string) => values[Number(index) - 1] ?? whole,
  );
  return { text, language, category: template?.category ?? "UTILITY" };
}

/** POST /{phone-number-id}/media (optional upload): stores the bytes and returns {id}. */
export function whatsappUpload(ctx: SandboxContext, account: Account, bytes: Buffer, mimeType: string): { id: string } {
  if (bytes.length === 0) throw invalid("file is required.");
  const media = ctx.state.registerMedia(account.id, "photo.png", digitsFrom(`upload:${liveSeed()}`, 16), bytes, mimeType);
  return { id: media.id };
}
