import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz } from "./columns";
import { platformEnum, webhookEventStatusEnum } from "./enums";

export interface WebhookEventSummary {
  kinds: Record<string, number>;
  entries: number;
  unrouted: string[];
  /** Events about messages not stored yet, kept until those arrive. */
  waiting?: number;
  ignored: { path: string; reason: string }[];
  rejected: { path: string; reason: string }[];
}

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
    // Filled when processing routes the entries: who may see the event in Settings → Webhooks.
    workspaceIds: uuid().array().notNull().default([]),
    // What the event held, for the list view: counts per kind, ignored and rejected parts.
    summary: jsonb().$type<WebhookEventSummary>(),
    attempts: integer().notNull().default(0),
    error: text(),
    receivedAt: createdAt(),
    processedAt: timestamptz(),
    nextAttemptAt: timestamptz(),
  },
  (t) => [
    index("webhook_events_received_at_idx").on(t.receivedAt.desc()),
    index("webhook_events_workspaces_idx").using("gin", t.workspaceIds),
    index("webhook_events_retry_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'failed')`),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
