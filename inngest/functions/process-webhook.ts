import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";
import { processWebhookEvent } from "@/lib/webhooks/process";
import { inngest } from "../client";
import { webhookProcessRequested } from "../events";

// Process one stored webhook event (again); ingest is idempotent, so retries duplicate nothing.
export const processWebhook = inngest.createFunction(
  {
    id: "process-webhook",
    triggers: [webhookProcessRequested],
    concurrency: [{ key: "event.data.eventId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => {
    const result = await step.run("process", async () => {
      const outcome = await processWebhookEvent(getDb(), event.data.eventId, logger.child({ scope: "inngest.webhook" }));
      return outcome ? { status: outcome.status, changes: outcome.changes.length } : null;
    });
    return result;
  },
);
