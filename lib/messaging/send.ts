import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { findConversationForUser } from "@/db/queries/conversations";
import { recordMessageInConversation } from "@/db/queries/ingest";
import { attachExternalId, claimForRetry, insertOutgoing, markSendFailed } from "@/db/queries/outgoing";
import { findPlatformAccount } from "@/db/queries/platform-accounts";
import {
  contacts,
  conversations,
  messages,
  type Attachment,
  type Contact,
  type Message,
  type MessageError,
  type PlatformAccount,
} from "@/db/schema";
import { AppError } from "@/lib/errors";
import { sendJob } from "@/lib/jobs";
import type { Logger } from "@/lib/logger";
import { markConversationRead } from "@/lib/messaging/read";
import { callSendApi } from "@/lib/messaging/send-api";
import { previewOf } from "@/lib/messaging/preview";
import { replyWindowEndsAt, toConversationDto, toMessageDto, type MessageDto } from "@/lib/messaging/serialize";
import { withAccountToken } from "@/lib/platforms/account-token";
import { GraphError } from "@/lib/platforms/meta/graph";
import { withRealtime } from "@/lib/realtime/publish";
import { applyWaitingEvents } from "@/lib/webhooks/apply";
import type { SendMessageInput } from "@/lib/validations/messaging";

export const MAX_AUTOMATIC_RETRIES = 5;

function contentOf(input: SendMessageInput): Pick<Message, "type" | "text" | "payload" | "attachments"> {
  if ("template" in input) {
    return { type: "template", text: null, payload: { template: input.template }, attachments: [] };
  }
  if ("attachment" in input) {
    const attachment: Attachment = {
      type: input.attachment.type,
      url: input.attachment.url,
      mimeType: null,
      name: input.attachment.url.split("/").pop() ?? null,
    };
    return { type: input.attachment.type, text: null, payload: null, attachments: [attachment] };
  }
  return { type: "text", text: input.text, payload: null, attachments: [] };
}

function usable(account: PlatformAccount | undefined): PlatformAccount {
  if (!account || account.status === "disconnected")
    throw new AppError(
      "platform_rejected",
      "This conversation's account is disconnected; reconnect it in Settings → Platforms to reply.",
    );
  if (account.status === "needs_reauth")
    throw new AppError(
      "platform_rejected",
      `${account.name} needs to be reconnected in Settings → Platforms before replies can be sent.`,
    );
  return account;
}

/**
 * Sends a reply: checks the reply window (templates are exempt on WhatsApp), stores the message as
 * pending, calls the platform and answers once it accepted (201) — or keeps the message `failed`
 * with the platform's error and answers 422/502. Sending also marks the conversation read.
 */
export async function sendMessage(
  db: Database,
  params: { userId: string; input: SendMessageInput; log: Logger },
): Promise<MessageDto> {
  const { input } = params;
  const row = await findConversationForUser(db, { userId: params.userId, id: input.conversationId });
  if (!row) throw AppError.notFound("Conversation");
  const account = usable(await findPlatformAccount(db, { id: row.conversation.platformAccountId }));
  if ("template" in input && account.platform !== "whatsapp") {
    throw new AppError("bad_request", "Message templates are a WhatsApp feature; send text on Messenger and Instagram.");
  }
  if (!("template" in input)) {
    const endsAt = replyWindowEndsAt(row.conversation.lastIncomingAt);
    if (!endsAt || endsAt.getTime() <= Date.now()) {
      const why =
        account.platform === "whatsapp"
          ? "WhatsApp allows free-form replies only within 24 hours of the customer's last message; send an approved template instead."
          : `${account.platform === "instagram" ? "Instagram" : "Messenger"} allows replies only within 24 hours of the customer's last message.`;
      throw new AppError("outside_messaging_window", why, { details: { replyWindowEndsAt: endsAt?.toISOString() ?? null } });
    }
  }

  const now = new Date();
  const pending = await withRealtime(db, async (tx, record) => {
    const message = await insertOutgoing(tx, {
      workspaceId: row.conversation.workspaceId,
      conversationId: row.conversation.id,
      platformAccountId: account.id,
      platform: account.platform,
      externalId: null,
      direction: "outgoing",
      ...contentOf(input),
      senderId: account.externalId,
      senderName: account.name,
      sentByUserId: params.userId,
      status: "pending",
      statusAt: now,
      sentAt: now,
      sentFrom: "chats",
    });
    const conversation = await recordMessageInConversation(tx, {
      conversationId: row.conversation.id,
      message,
      preview: previewOf(message),
    });
    await record({
      workspaceId: message.workspaceId,
      conversationId: message.conversationId,
      type: "new_message",
      payload: { message: toMessageDto(message), conversation: toConversationDto(conversation, row.contact) },
    });
    return message;
  });

  await markConversationRead(db, { userId: params.userId, conversationId: row.conversation.id }).catch((error: unknown) =>
    params.log.warn({ err: error }, "could not mark the conversation read after sending"),
  );
  return deliver(db, { message: pending, account, contact: row.contact, log: params.log, attempt: 0 });
}

function errorOf(error: unknown): MessageError {
  if (error instanceof GraphError) {
    const code =
      error.kind === "window" ? "outside_messaging_window" : error.transient ? "platform_unavailable" : "platform_rejected";
    return { code, message: error.message, platformCode: error.code };
  }
  return { code: "platform_unavailable", message: (error as Error).message ?? "The platform could not be reached." };
}

/** Calls the platform for a pending message and records the outcome; throws the contract's error on failure. */
async function deliver(
  db: Database,
  params: { message: Message; account: PlatformAccount; contact: Contact; log: Logger; attempt: number },
): Promise<MessageDto> {
  const { message, account, contact, log } = params;
  let externalId: string;
  try {
    externalId = await withAccountToken(db, account, (token) => callSendApi(account, contact, message, token));
  } catch (error) {
    const failure = errorOf(error);
    await withRealtime(db, async (tx, record) => {
      const failed = await markSendFailed(tx, { messageId: message.id, error: failure, at: new Date() });
      if (failed)
        await record({
          workspaceId: failed.workspaceId,
          conversationId: failed.conversationId,
          type: "message_status",
          payload: { messageId: failed.id, status: "failed" },
        });
    });
    log.warn({ err: error, messageId: message.id, code: failure.code }, "send failed");
    if (failure.code === "platform_unavailable" && params.attempt < MAX_AUTOMATIC_RETRIES) {
      const delayMs = Math.min(15 * 60_000, 5_000 * 3 ** params.attempt);
      await sendJob("message/send.retry", { messageId: message.id, attempt: params.attempt + 1 }, { delayMs }).catch(
        () => undefined,
      );
    }
    throw new AppError(
      failure.code === "outside_messaging_window"
        ? "outside_messaging_window"
        : failure.code === "platform_unavailable"
          ? "platform_unavailable"
          : "platform_rejected",
      failure.message,
      {
        cause: error,
        details: { messageId: message.id, platformCode: failure.platformCode ?? null },
      },
    );
  }

  const sent = await withRealtime(db, async (tx, record) => {
    const { message: stored, replaced } = await attachExternalId(tx, { message, externalId, at: new Date() });
    // Delivery statuses (even a reaction) can overtake the send's own response.
    const { message: current } = await applyWaitingEvents(tx, account, stored);
    await record({
      workspaceId: current.workspaceId,
      conversationId: current.conversationId,
      type: "message_updated",
      payload: { message: toMessageDto(current), ...(replaced ? { replacesMessageId: replaced } : {}) },
    });
    return current;
  });
  return toMessageDto(sent);
}

async function loadForDelivery(db: Database, message: Message) {
  const [row] = await db
    .select({ contact: contacts })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, message.conversationId))
    .limit(1);
  const account = usable(await findPlatformAccount(db, { id: message.platformAccountId }));
  if (!row) throw AppError.notFound("Conversation");
  return { account, contact: row.contact };
}

/** POST /api/messages/{id}/retry: a failed send, tried again as the same message. */
export async function retryMessage(db: Database, params: { userId: string; id: string; log: Logger }): Promise<MessageDto> {
  const [owned] = await db
    .select({ id: messages.id, conversationId: messages.conversationId })
    .from(messages)
    .where(eq(messages.id, params.id))
    .limit(1);
  if (!owned || !(await findConversationForUser(db, { userId: params.userId, id: owned.conversationId })))
    throw AppError.notFound("Message");
  const message = await claimForRetry(db, { messageId: params.id });
  if (!message) throw new AppError("conflict", "Only a failed outgoing message can be sent again.");
  const { account, contact } = await loadForDelivery(db, message);
  return deliver(db, { message, account, contact, log: params.log, attempt: 0 });
}

/** The background retry of a send that failed for a transient reason. */
export async function retrySendInBackground(
  db: Database,
  params: { messageId: string; attempt: number },
  log: Logger,
): Promise<void> {
  const message = await claimForRetry(db, { messageId: params.messageId });
  if (!message) return; // Retried by a person meanwhile, or no longer failed.
  const { account, contact } = await loadForDelivery(db, message);
  try {
    await deliver(db, { message, account, contact, log, attempt: params.attempt });
  } catch (error) {
    if (!(error instanceof AppError)) throw error; // Recorded on the message; the next retry is already scheduled.
  }
}
