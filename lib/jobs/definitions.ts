import "server-only";
import { getDb } from "@/db/client";
import type { JobDefinitions } from "@/lib/jobs/inline";
import { processWebhookEvent } from "@/lib/webhooks/process";

// What each job does, for the in-process driver. The Inngest functions in inngest/functions/ wrap
// the same domain functions.
export const jobDefinitions: JobDefinitions = {
  "webhook/process.requested": {
    run: (data, log) => processWebhookEvent(getDb(), data.eventId, log),
    concurrencyKey: (data) => data.eventId,
  },
};
