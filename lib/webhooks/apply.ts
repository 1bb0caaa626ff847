import "server-only";
import type { Transaction } from "@/db/client";
import {
  advanceMessageStatus,
  advanceUpToWatermark,
  editMessageText,
  findMessageByExternalId,
  insertMessageIfNew,
  keepPendingStatus,
  markMessageDeleted,
  recordMessageInConversation,
  setReactions,
  takePendingStatuses,
  touchReplyWindow,
  upsertContact,
  upsertConversation,
} from "@/db/queries/ingest";
import type { Attachment, Contact, Conversation, Message, PlatformAccount, Reaction } from "@/db/schema";
import { previewOf } from "@/lib/messaging/serialize";
import type { NormalizedContact, NormalizedEntry, NormalizedEvent, NormalizedMessage } from "@/lib/webhooks/events";

// Applies one entry's normalized events to its platform account inside the caller's transaction,
// in the order of the events' own timestamps, and says what changed for live listeners.

export type Change =
  | { type: "new_message"; message: Message; conversation: Conversation; contact: Contact }
  | { type: "message_status"; message: Message }
  | { type: "message_updated"; message: Message };

export interface EntryOutcome {
  changes: Change[];
  /** Events that referred to something we do not have (a reaction to an unknown message, …). */
  skipped: string[];
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
  entry: NormalizedEntry,
  ourAppId: string | undefined,
): Promise<EntryOutcome> {
  const context: Context = {
    tx,
    account,
    ourAppId,
    outcome: { changes: [], skipped: [], newContacts: [] },
    conversations: new Map(),
  };
  // Take the contact and conversation rows in one global order (by external id) before anything
  // else: two batches naming the same customers in different orders would otherwise deadlock.
  const creating = entry.events.flatMap((event) => (event.kind === "message" || event.kind === "watermark" || event.kind === "contact_activity" ? [event.contact] : []));
  const people = new Map(creating.map((person) => [person.externalId, person]));
  for (const person of [...people.values()].sort((a, b) => a.externalId.localeCompare(b.externalId))) await conversationFor(context, person);
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

async function applyMessage(context: Context, person: NormalizedContact, message: NormalizedMessage) {
  const { tx, account } = context;
  const { conversation, contact } = await conversationFor(context, person);
  const replyTo = message.replyToExternalId
    ? await findMessageByExternalId(tx, { platformAccountId: account.id, externalId: message.replyToExternalId })
    : undefined;
  const incoming = message.direction === "incoming";
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
    status: incoming ? "received" : "sent",
    statusAt: message.sentAt,
    sentAt: message.sentAt,
    replyToId: replyTo?.id ?? null,
    replyToExternalId: message.replyToExternalId,
    // An echo carrying our app id was sent through Chats (its send may still be completing);
    // anything else came from Meta's own apps (Page inbox, phone).
    sentFrom: incoming ? null : message.appId && message.appId === context.ourAppId ? "chats" : "native",
  });
  if (!stored) return; // Seen before: a redelivery, or the echo of a message we sent and stored.

  let current = stored;
  for (const pending of await takePendingStatuses(tx, { platformAccountId: account.id, externalId: message.externalId })) {
    current =
      (await advanceMessageStatus(tx, {
        messageId: current.id,
        status: pending.status,
        at: pending.occurredAt,
        error: pending.error,
      })) ?? current;
  }
  const updated = await recordMessageInConversation(tx, {
    conversationId: conversation.id,
    message: current,
    preview: previewOf(current),
  });
  context.conversations.set(person.externalId, { conversation: updated, contact });
  context.outcome.changes.push({ type: "new_message", message: current, conversation: updated, contact });
}

async function applyEvent(context: Context, event: NormalizedEvent): Promise<void> {
  const { tx, account, outcome } = context;
  switch (event.kind) {
    case "message":
      return applyMessage(context, event.contact, event.message);

    case "status": {
      const message = await findMessageByExternalId(tx, { platformAccountId: account.id, externalId: event.messageExternalId });
      if (!message) {
        // Statuses may overtake the message (or our send's response): keep it for when it appears.
        await keepPendingStatus(tx, {
          platformAccountId: account.id,
          externalId: event.messageExternalId,
          status: event.status,
          occurredAt: event.at,
          error: event.error,
        });
        return;
      }
      const updated = await advanceMessageStatus(tx, {
        messageId: message.id,
        status: event.status,
        at: event.at,
        error: event.error,
      });
      if (updated) outcome.changes.push({ type: "message_status", message: updated });
      return;
    }

    case "watermark": {
      const { conversation } = await conversationFor(context, event.contact);
      const updated = await advanceUpToWatermark(tx, {
        conversationId: conversation.id,
        status: event.status,
        watermark: event.watermark,
        externalIds: event.messageExternalIds,
        at: event.at,
      });
      for (const message of updated) outcome.changes.push({ type: "message_status", message });
      return;
    }

    case "reaction": {
      const message = await findMessageByExternalId(tx, { platformAccountId: account.id, externalId: event.messageExternalId });
      if (!message) {
        outcome.skipped.push(`reaction to unknown message ${event.messageExternalId}`);
        return;
      }
      // One reaction per side: a new one replaces the old, a withdrawal removes it.
      const others = message.reactions.filter((reaction) => reaction.from !== event.from);
      const reactions: Reaction[] = event.emoji
        ? [...others, { emoji: event.emoji, from: event.from, at: event.at.toISOString() }]
        : others;
      const updated = await setReactions(tx, { messageId: message.id, reactions });
      if (updated) outcome.changes.push({ type: "message_updated", message: updated });
      return;
    }

    case "message_edit": {
      const message = await findMessageByExternalId(tx, { platformAccountId: account.id, externalId: event.messageExternalId });
      const updated = message ? await editMessageText(tx, { messageId: message.id, text: event.text, at: event.at }) : undefined;
      if (updated) outcome.changes.push({ type: "message_updated", message: updated });
      else if (!message) outcome.skipped.push(`edit of unknown message ${event.messageExternalId}`);
      return;
    }

    case "message_delete": {
      const message = await findMessageByExternalId(tx, { platformAccountId: account.id, externalId: event.messageExternalId });
      const updated = message ? await markMessageDeleted(tx, { messageId: message.id, at: event.at }) : undefined;
      if (updated) outcome.changes.push({ type: "message_updated", message: updated });
      else outcome.skipped.push(`deletion of unknown message ${event.messageExternalId}`);
      return;
    }

    case "contact_activity": {
      const { conversation } = await conversationFor(context, event.contact);
      await touchReplyWindow(tx, { conversationId: conversation.id, at: event.at });
      return;
    }
  }
}
