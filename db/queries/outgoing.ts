import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { statusRank } from "@/db/queries/ingest";
import { messages, type Message, type MessageError, type NewMessage } from "@/db/schema";

export async function insertOutgoing(db: Executor, values: NewMessage): Promise<Message> {
  const [row] = await db.insert(messages).values(values).returning();
  if (!row) throw new Error("outgoing message insert returned nothing");
  return row;
}

/**
 * Records the platform's id for a message we sent. If its echo got here first and was stored as a
 * message of its own, that row goes and ours keeps what the echo had learned (status, reactions).
 */
export async function attachExternalId(
  db: Executor,
  params: { message: Message; externalId: string; at: Date },
): Promise<{ message: Message; replaced: string | null }> {
  const [echo] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.platformAccountId, params.message.platformAccountId),
        eq(messages.externalId, params.externalId),
        ne(messages.id, params.message.id),
      ),
    )
    .limit(1);
  if (echo) await db.delete(messages).where(eq(messages.id, echo.id));
  const [row] = await db
    .update(messages)
    .set({
      externalId: params.externalId,
      status: sql`case when ${statusRank(echo?.status ?? "sent")} > ${statusRank("sent")} then ${echo?.status ?? "sent"}::message_status else 'sent'::message_status end`,
      statusAt: echo?.statusAt ?? params.at,
      reactions: echo?.reactions ?? sql`${messages.reactions}`,
      error: null,
    })
    .where(eq(messages.id, params.message.id))
    .returning();
  if (!row) throw new Error("sent message vanished");
  return { message: row, replaced: echo?.id ?? null };
}

export async function markSendFailed(
  db: Executor,
  params: { messageId: string; error: MessageError; at: Date },
): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ status: "failed", statusAt: params.at, error: params.error })
    .where(and(eq(messages.id, params.messageId), eq(messages.status, "pending")))
    .returning();
  return row;
}

/** A failed send goes back to pending for another attempt; false when it is not (or no longer) failed. */
export async function claimForRetry(db: Executor, params: { messageId: string }): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ status: "pending", error: null })
    .where(
      and(
        eq(messages.id, params.messageId),
        eq(messages.status, "failed"),
        eq(messages.direction, "outgoing"),
        sql`${messages.externalId} is null`,
      ),
    )
    .returning();
  return row;
}
