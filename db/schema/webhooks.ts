import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz } from "./columns";
import { platformEnum, webhookEventStatusEnum } from "./enums";

/** Every POST from Meta, stored exactly as received before anything else touches it. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: id(),
    platform: platformEnum().notNull(),
    // The raw body as received; Meta signs these exact bytes, so it is never re-serialized.
    rawBody: text().notNull(),
    signatureOk: boolean().notNull(),
    // Meta's top-level `object` (page, instagram, whatsapp_business_account) once parsed.
    object: text(),
    status: webhookEventStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    error: text(),
    receivedAt: createdAt(),
    processedAt: timestamptz(),
    nextAttemptAt: timestamptz(),
  },
  (t) => [
    index("webhook_events_received_at_idx").on(t.receivedAt.desc()),
    index("webhook_events_retry_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'failed')`),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
