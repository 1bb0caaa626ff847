import { randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import {
  contacts,
  conversations,
  messages,
  platformAccounts,
  type Contact,
  type Conversation,
  type Message,
  type NewMessage,
  type Platform,
  type PlatformAccount,
} from "@/db/schema";

const hex = () => randomBytes(6).toString("hex");

export async function createPlatformAccount(
  workspaceId: string,
  overrides: Partial<typeof platformAccounts.$inferInsert> & { platform?: Platform } = {},
): Promise<PlatformAccount> {
  const platform = overrides.platform ?? "messenger";
  const [row] = await getDb()
    .insert(platformAccounts)
    .values({
      workspaceId,
      platform,
      externalId: overrides.externalId ?? `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      name: overrides.name ?? `${platform} account`,
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("factory platform account insert failed");
  return row;
}

export async function createContact(
  account: PlatformAccount,
  overrides: Partial<typeof contacts.$inferInsert> = {},
): Promise<Contact> {
  const [row] = await getDb()
    .insert(contacts)
    .values({
      workspaceId: account.workspaceId,
      platformAccountId: account.id,
      platform: account.platform,
      externalId: overrides.externalId ?? `c${hex()}`,
      name: overrides.name ?? "Customer",
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("factory contact insert failed");
  return row;
}

export async function createConversation(
  account: PlatformAccount,
  overrides: Partial<typeof conversations.$inferInsert> & { contact?: Contact } = {},
): Promise<Conversation & { contact: Contact }> {
  const contact = overrides.contact ?? (await createContact(account));
  const { contact: _contact, ...rest } = overrides;
  const [row] = await getDb()
    .insert(conversations)
    .values({
      workspaceId: account.workspaceId,
      platformAccountId: account.id,
      contactId: contact.id,
      platform: account.platform,
      ...rest,
    })
    .returning();
  if (!row) throw new Error("factory conversation insert failed");
  return { ...row, contact };
}

/** Inserts a message as stored; does not touch the conversation's bookkeeping (tests set what they need). */
export async function createMessage(conversation: Conversation, overrides: Partial<NewMessage> = {}): Promise<Message> {
  const direction = overrides.direction ?? "incoming";
  const [row] = await getDb()
    .insert(messages)
    .values({
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      platformAccountId: conversation.platformAccountId,
      platform: conversation.platform,
      externalId: overrides.externalId === undefined ? `m_${hex()}` : overrides.externalId,
      direction,
      type: "text",
      text: "Hello",
      status: direction === "incoming" ? "received" : "sent",
      sentAt: new Date(),
      sentFrom: direction === "outgoing" ? "chats" : null,
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("factory message insert failed");
  return row;
}
