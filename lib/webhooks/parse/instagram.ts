import "server-only";
import { z } from "zod";
import type { NormalizedEntry } from "@/lib/webhooks/events";
import type { Issue } from "@/lib/webhooks/parse/common";
import { parseMessagingEntry } from "@/lib/webhooks/parse/messaging";

// Instagram messaging webhooks arrive with `object: "instagram"`, whether the app uses the Messenger API for
// Instagram (Facebook Login, the Page linked to the account subscribes) or the Instagram API with Instagram
// Login: in both the entry `id` is the Instagram professional account id, which routes the entry. The Page
// only hosts the subscription; Meta does not document Instagram messages under `object: "page"`, so such a
// payload on the Instagram endpoint is refused as an object mismatch by parseWebhook.
//
// `messaging[]` items share the Messenger Platform envelope (parsed in messaging.ts): messages (incl. echoes,
// `is_deleted`, `is_unsupported`, story replies and mentions, shares, reels), message_reactions,
// messaging_seen (`read.mid`), messaging_postbacks, messaging_referral. `changes[]` carries comments,
// mentions and story insights, which the inbox does not use.
// Timestamps are epoch milliseconds.

export const INSTAGRAM_OBJECT = "instagram";

// Webhooks for Instagram Messaging: { object: "instagram", entry: [{ id: "<IGID>", time, messaging: [...] }] }
// https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook
// https://developers.facebook.com/docs/instagram-platform/webhooks/examples
const instagramEntrySchema = z.object({
  id: z.string().min(1),
  // `time` (when Meta sent the batch) is not read: events carry their own timestamps, so a malformed `time`
  // must not cost the entry its events.
});

export function parseInstagramEntry(entry: unknown, path: string): { entry: NormalizedEntry } | { rejected: Issue } {
  return parseMessagingEntry(entry, path, {
    platform: "instagram",
    entrySchema: instagramEntrySchema,
    standbyReason: "standby: the message belongs to a thread another app controls (handover protocol); that app's inbox owns it",
    changeReason: (field) => `Instagram ${field} notifications are not used by the inbox`,
  });
}
