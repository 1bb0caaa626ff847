import "server-only";
import { z } from "zod";
import type { NormalizedEntry } from "@/lib/webhooks/events";
import type { Issue } from "@/lib/webhooks/parse/common";
import { parseMessagingEntry } from "@/lib/webhooks/parse/messaging";

// Messenger Platform webhooks arrive with `object: "page"`; each `entry[]` is one Page (its `id` is the Page
// id, which routes the entry to the connected Messenger account) and carries `messaging[]` items (message,
// message_echoes, message_deliveries, message_reads, message_reactions, messaging_postbacks,
// messaging_referrals, message_edits, messaging_optins: parsed in messaging.ts), `standby[]` items, or
// `changes[]` for Page fields such as `feed`.
// Timestamps are epoch milliseconds.

export const MESSENGER_OBJECT = "page";

// Webhooks for the Messenger Platform: { object: "page", entry: [{ id: "<PAGE_ID>", time, messaging: [...] }] }
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks
const messengerEntrySchema = z.object({
  id: z.string().min(1),
  // `time` (when Meta sent the batch) is not read: events carry their own timestamps, so a malformed `time`
  // must not cost the entry its events.
});

export function parseMessengerEntry(entry: unknown, path: string): { entry: NormalizedEntry } | { rejected: Issue } {
  return parseMessagingEntry(entry, path, {
    platform: "messenger",
    entrySchema: messengerEntrySchema,
    // https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events (standby)
    standbyReason: "standby: the message belongs to a thread another app controls (handover protocol); that app's inbox owns it",
    changeReason: (field) => `Page ${field} change notifications are not used by the inbox`,
  });
}
