import "server-only";
import { getDb } from "@/db/client";
import { rollUpDays } from "@/lib/analytics/rollup";
import type { JobDefinitions } from "@/lib/jobs/inline";
import { isRetryable } from "@/lib/jobs/retry-policy";
import { storeIncomingMedia } from "@/lib/media/incoming";
import { fetchContactProfile } from "@/lib/messaging/profiles";
import { notifySeen } from "@/lib/messaging/seen";
import { retrySendInBackground } from "@/lib/messaging/send";
import { runSync } from "@/lib/sync/run";
import { processWebhookEvent } from "@/lib/webhooks/process";

// What each job does, for the in-process driver. The Inngest functions in inngest/functions/ wrap
// the same domain functions.
export const jobDefinitions: JobDefinitions = {
  "analytics/rollup.requested": {
    run: (data) => rollUpDays(getDb(), data),
    // Two roll-ups of one workspace at once would only redo each other's work.
    concurrencyKey: (data) => data.workspaceId,
  },
  "conversation/seen.requested": {
    run: (data, log) => notifySeen(getDb(), data, log),
    concurrencyKey: (data) => data.conversationId,
    isTransient: isRetryable,
  },
  "contact/profile.requested": {
    run: (data) => fetchContactProfile(getDb(), data),
    concurrencyKey: (data) => data.contactId,
    isTransient: isRetryable,
  },
  "media/store.requested": {
    run: (data, log) => storeIncomingMedia(getDb(), data, log),
    concurrencyKey: (data) => data.messageId,
    attempts: 4,
    isTransient: isRetryable,
  },
  "platform/sync.requested": {
    run: (data, log) => runSync(getDb(), data, log),
    // One sync per account at a time: a busy page never starves the others, and never races itself.
    concurrencyKey: (data) => data.platformAccountId,
    attempts: 1,
  },
  "message/send.retry": {
    run: (data, log) => retrySendInBackground(getDb(), data, log),
    concurrencyKey: (data) => data.messageId,
    attempts: 1,
  },
  "webhook/process.requested": {
    run: (data, log) => processWebhookEvent(getDb(), data.eventId, log),
    concurrencyKey: (data) => data.eventId,
    // Outlasts a database restart; the periodic scan catches anything longer.
    attempts: 6,
  },
};
