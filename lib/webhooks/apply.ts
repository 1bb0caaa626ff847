import "server-only";
import type { Transaction } from "@/db/client";
import {
  advanceMessageStatus,
  advanceUpToWatermark,
  editMessageText,
  findMessageByExternalId,
  insertMessageIfNew,
  keepPendingEvent,
  linkReplies,
  markMessageDeleted,
  raiseWatermark,
  recordMessageInConversation,
  setReactions,
  takePendingEvents,
  touchReplyWindow,
  upsertContact,
  upsertConversation,
} from "@/db/queries/ingest";
import type {
  Attachment,
  Contact,
  Conversation,
  Message,
  MessageError,
  MessageStatus,
  PlatformAccount,
  Reaction,
} from "@/db/schema";
import { previewOf } from "@/lib/messaging/preview";
import type { NormalizedContact, NormalizedEntry, NormalizedEvent, NormalizedMessage } from "@/lib/webhooks/events";
import { scrubNul } from "@/lib/webhooks/scrub";

// Applies one entry's normalized events to its platform account inside the caller's transaction
// and says what changed for live listeners. Meta neither orders nor deduplicates deliveries, so
// every rule here gives the same end state whatever order events arrive in, and however often:
// statuses only move forward, reactions keep the newest per side, and anything about a message we
// do not have yet waits for it (pending_message_events).

export type Change =
  | { type: "new_message"; message: Message; conversation: Conversation; contact: Contact }
  | { type: "message_status"; message: Message }
  | { type: "message_updated"; message: Message };

export interface EntryOutcome {
  changes: Change[];
  /** Events kept until their message arrives (a reaction to a message not stored yet, …). */
  waiting: number;
  /** Contacts seen for the first time without a name: their profile is worth fetching. */
  newContacts: Contact[];
}

interface Context {
  tx: Transaction;
  account: PlatformAccount;
  ourAppId: string | undefined;
  outcome: EntryOutcome;
  conversations: Map<string, { conversation: Conversation; contact: Contact }>;
}

function eventTime(event: NormalizedEvent): number {
  return (event.kind === "message" ? event.message.sentAt : event.at).getTime();
}

export async function applyEntry(
  tx: Transaction,
  account: PlatformAccount,
  incoming: NormalizedEntry,
  ourAppId: string | undefined,
): Promise<EntryOutcome> {
  const entry = scrubNul(incoming);
  const context: Context = {
    tx,
    account,
    ourAppId,
    outcome: { changes: [], waiting: 0, newContacts: [] },
    conversations: new Map(),
  };
  // Take the contact and conversation rows in one global order (by external id) before anything
  // else: two batches naming the same customers in different orders would otherwise deadlock.
  const creating = entry.events.flatMap((event) =>
    event.kind === "message" || event.kind === "watermark" || event.kind === "contact_activity" ? [event.contact] : [],
  );
  const people = new Map(creating.map((person) => [person.externalId, person]));
  for (const person of [...people.values()].sort((a, b) => a.externalId.localeCompare(b.externalId)))
    await conversationFor(context, person);
  const ordered = [...entry.events].sort((a, b) => eventTime(a) - eventTime(b));
  for (const event of ordered) await applyEvent(context, event);
  return context.outcome;
}

async function conversationFor(context: Context, person: NormalizedContact) {
  const cached = context.conversations.get(person.externalId);
  if (cached && person.name == null && person.username == null) return cached;
  const { tx, account } = context;
  const { contact, created } = await upsertContact(tx, {
    workspaceId: account.workspaceId,
    platformAccountId: account.id,
    platform: account.platform,
    externalId: person.externalId,
    name: person.name,
    username: person.username,
  });
  if (created && !contact.name) context.outcome.newContacts.push(contact);
  const conversation =
    cached?.conversation ??
    (await upsertConversation(tx, {
      workspaceId: account.workspaceId,
      platformAccountId: account.id,
      platform: account.platform,
      contactId: contact.id,
    }));
  const result = { conversation, contact };
  context.conversations.set(person.externalId, result);
  return result;
}

function toAttachments(message: NormalizedMessage): Attachment[] {
  return message.attachments.map((attachment) => ({
    type: attachment.type,
    url: attachment.url,
    mimeType: attachment.mimeType,
    name: attachment.name,
    mediaId: attachment.mediaId ?? null,
    storageKey: null,
  }));
}

// --- what can happen to a stored message, shared by live events and events that waited -------

async function applyStatus(
  context: Context,
  message: Message,
  status: MessageStatus,
  at: Date,
  error: MessageError | null | undefined,
) {
  const updated = await advanceMessageStatus(context.tx, { messageId: message.id, status, at, error });
  if (updated) context.outcome.changes.push({ type: "message_status", message: updated });
  return updated ?? message;
}

async function applyReaction(context: Context, message: Message, reaction: Reaction) {
  // Newest per side wins; a withdrawal is kept as a marker so an older copy cannot undo it.
  const current = message.reactions.find((existing) => existing.from === reaction.from);
  if (current && Date.parse(current.at) > Date.parse(reaction.at)) return message;
  if (current && current.at === reaction.at && current.emoji === reaction.emoji) return message;
  const reactions = [...message.reactions.filter((existing) => existing.from !== reaction.from), reaction];
  const updated = await setReactions(context.tx, { messageId: message.id, reactions });
  if (updated) context.outcome.changes.push({ type: "message_updated", message: updated });
  return updated ?? message;
}

async function applyEdit(context: Context, message: Message, text: string | null, at: Date) {
  const updated = await editMessageText(context.tx, { messageId: message.id, text, at });
  if (updated) context.outcome.changes.push({ type: "message_updated", message: updated });
  return updated ?? message;
}

async function applyDelete(context: Context, message: Message, at: Date) {
  if (message.deletedAt) return message;
  const updated = await markMessageDeleted(context.tx, { messageId: message.id, at });
  if (updated) context.outcome.changes.push({ type: "message_updated", message: updated });
  return updated ?? message;
}

/** Hands a newly stored message everything that arrived for it beforehand, in its own time order. */
async function applyWaiting(context: Context, message: Message): Promise<Message> {
  let current = message;
  for (const pending of await takePendingEvents(context.tx, {
    platformAccountId: context.account.id,
    externalId: message.externalId ?? "",
  })) {
    const payload = pending.payload;
    if (pending.kind === "status")
      current = await applyStatus(
        context,
        current,
        payload.status as MessageStatus,
        pending.occurredAt,
        payload.error as MessageError | null,
      );
    else if (pending.kind === "reaction")
      current = await applyReaction(context, current, {
        emoji: (payload.emoji as string | null) ?? null,
        from: payload.from as Reaction["from"],
        at: pending.occurredAt.toISOString(),
      });
    else if (pending.kind === "edit")
      current = await applyEdit(context, current, (payload.text as string | null) ?? null, pending.occurredAt);
    else current = await applyDelete(context, current, pending.occurredAt);
  }
  return current;
}

/** For our own sends: what arrived for the message before its send answered (statuses, reactions). */
export async function applyWaitingEvents(
  tx: Transaction,
  account: PlatformAccount,
  message: Message,
): Promise<{ message: Message; changes: Change[] }> {
  const context: Context = {
    tx,
    account,
    ourAppId: undefined,
    outcome: { changes: [], waiting: 0, newContacts: [] },
    conversations: new Map(),
  };
  const current = await applyWaiting(context, message);
  return { message: current, changes: context.outcome.changes };
}

// --- events -------------------------------------------------------------------------------------

async function applyMessage(context: Context, person: NormalizedContact, message: NormalizedMessage) {
  const { tx, account } = context;
  const { conversation, contact } = await conversationFor(context, person);
  const replyTo = message.replyToExternalId
    ? await findMessageByExternalId(tx, { platformAccountId: account.id, externalId: message.replyToExternalId })
    : undefined;
  const incoming = message.direction === "incoming";
  // Messenger may have announced delivery/read of this (echoed) message before the echo came.
  const covered =
    !incoming && conversation.readWatermarkAt && conversation.readWatermarkAt >= message.sentAt
      ? "read"
      : !incoming && conversation.deliveredWatermarkAt && conversation.deliveredWatermarkAt >= message.sentAt
        ? "delivered"
        : null;
  const stored = await insertMessageIfNew(tx, {
    workspaceId: account.workspaceId,
    conversationId: conversation.id,
    platformAccountId: account.id,
    platform: account.platform,
    externalId: message.externalId,
    direction: message.direction,
    type: message.type,
    text: message.text,
    payload: message.payload,
    attachments: toAttachments(message),
    senderId: incoming ? contact.externalId : account.externalId,
    senderName: incoming ? contact.name : account.name,
    status: incoming ? "received" : (covered ?? "sent"),
    statusAt: message.sentAt,
    sentAt: message.sentAt,
    replyToId: replyTo?.id ?? null,
    replyToExternalId: message.replyToExternalId,
    // An echo carrying our app id was sent through Chats (its send may still be completing);
    // anything else came from Meta's own apps (Page inbox, phone).
    sentFrom: incoming ? null : message.appId && message.appId === context.ourAppId ? "chats" : "native",
  });
  if (!stored) return; // Seen before: a redelivery, or the echo of a message we sent and stored.

  const current = await applyWaiting(context, stored);
  for (const reply of await linkReplies(tx, {
    platformAccountId: account.id,
    externalId: message.externalId,
    messageId: stored.id,
  })) {
    context.outcome.changes.push({ type: "message_updated", message: reply });
  }
  const updated = await recordMessageInConversation(tx, {
    conversationId: conversation.id,
    message: current,
    preview: previewOf(current),
  });
  context.conversations.set(person.externalId, { conversation: updated, contact });
  context.outcome.changes.push({ type: "new_message", message: current, conversation: updated, contact });
}

/** Finds the message an event is about, or keeps the event for when the message arrives. */
async function targetOf(
  context: Context,
  externalId: string,
  waiting: { kind: "status" | "reaction" | "edit" | "delete"; payload: Record<string, unknown>; at: Date },
) {
  const message = await findMessageByExternalId(context.tx, { platformAccountId: context.account.id, externalId });
  if (message) return message;
  await keepPendingEvent(context.tx, {
    platformAccountId: context.account.id,
    externalId,
    kind: waiting.kind,
    payload: waiting.payload,
    occurredAt: waiting.at,
  });
  context.outcome.waiting += 1;
  return undefined;
}

async function applyEvent(context: Context, event: NormalizedEvent): Promise<void> {
  switch (event.kind) {
    case "message":
      return applyMessage(context, event.contact, event.message);

    case "status": {
      const message = await targetOf(context, event.messageExternalId, {
        kind: "status",
        payload: { status: event.status, error: event.error ?? null },
        at: event.at,
      });
      if (message) await applyStatus(context, message, event.status, event.at, event.error);
      return;
    }

    case "watermark": {
      const { conversation } = await conversationFor(context, event.contact);
      await raiseWatermark(context.tx, { conversationId: conversation.id, status: event.status, watermark: event.watermark });
      const updated = await advanceUpToWatermark(context.tx, {
        conversationId: conversation.id,
        status: event.status,
        watermark: event.watermark,
        externalIds: event.messageExternalIds,
        at: event.at,
      });
      for (const message of updated) context.outcome.changes.push({ type: "message_status", message });
      // Listed mids not stored yet (their echo is still on its way) get the status when they arrive.
      const known = new Set(updated.map((message) => message.externalId));
      for (const mid of event.messageExternalIds) {
        if (
          !known.has(mid) &&
          !(await findMessageByExternalId(context.tx, { platformAccountId: context.account.id, externalId: mid }))
        ) {
          await keepPendingEvent(context.tx, {
            platformAccountId: context.account.id,
            externalId: mid,
            kind: "status",
            payload: { status: event.status, error: null },
            occurredAt: event.at,
          });
        }
      }
      return;
    }

    case "reaction": {
      const message = await targetOf(context, event.messageExternalId, {
        kind: "reaction",
        payload: { emoji: event.emoji, from: event.from },
        at: event.at,
      });
      if (message) await applyReaction(context, message, { emoji: event.emoji, from: event.from, at: event.at.toISOString() });
      return;
    }

    case "message_edit": {
      const message = await targetOf(context, event.messageExternalId, {
        kind: "edit",
        payload: { text: event.text },
        at: event.at,
      });
      if (message) await applyEdit(context, message, event.text, event.at);
      return;
    }

    case "message_delete": {
      const message = await targetOf(context, event.messageExternalId, { kind: "delete", payload: {}, at: event.at });
      if (message) await applyDelete(context, message, event.at);
      return;
    }

    case "contact_activity": {
      const { conversation } = await conversationFor(context, event.contact);
      await touchReplyWindow(context.tx, { conversationId: conversation.id, at: event.at });
      return;
    }
  }
}
