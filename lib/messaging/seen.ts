import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { findPlatformAccount } from "@/db/queries/platform-accounts";
import { contacts, conversations } from "@/db/schema";
import type { Logger } from "@/lib/logger";
import { withAccountToken } from "@/lib/platforms/account-token";
import { graph } from "@/lib/platforms/meta/graph";

/**
 * Tells the platform the business has seen a conversation: a WhatsApp read status for the newest
 * message read (which marks everything before it too), a `mark_seen` sender action on Messenger
 * and Instagram. Runs as a background job after the reader has their answer.
 */
export async function notifySeen(
  db: Database,
  params: { conversationId: string; messageExternalIds: string[] },
  log: Logger,
): Promise<void> {
  const [row] = await db
    .select({ conversation: conversations, contact: contacts })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, params.conversationId))
    .limit(1);
  const account = row ? await findPlatformAccount(db, { id: row.conversation.platformAccountId }) : undefined;
  if (!row || !account || account.status !== "active") return;
  const newest = params.messageExternalIds[params.messageExternalIds.length - 1];
  await withAccountToken(db, account, async (token) => {
    if (account.platform === "whatsapp") {
      if (!newest) return;
      // Cloud API "Mark messages as read" — developers.facebook.com/docs/whatsapp/cloud-api/guides/mark-message-as-read
      await graph({
        method: "POST",
        path: `${account.externalId}/messages`,
        token,
        body: { messaging_product: "whatsapp", status: "read", message_id: newest },
      });
    } else {
      // Send API sender actions — developers.facebook.com/docs/messenger-platform/send-messages/sender-actions
      await graph({
        method: "POST",
        path: `${account.pageId ?? account.externalId}/messages`,
        token,
        body: { recipient: { id: row.contact.externalId }, sender_action: "mark_seen" },
      });
    }
  });
  log.debug({ conversationId: params.conversationId }, "platform told the conversation was seen");
}
