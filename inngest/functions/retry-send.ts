import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";
import { retrySendInBackground } from "@/lib/messaging/send";
import { inngest } from "../client";
import { sendRetryRequested } from "../events";

// A send that failed for a transient reason, tried again (the event is sent with a delay).
export const retrySend = inngest.createFunction(
  { id: "retry-send", triggers: [sendRetryRequested], concurrency: [{ key: "event.data.messageId", limit: 1 }], retries: 0 },
  async ({ event, step }) =>
    step.run("send-again", () => retrySendInBackground(getDb(), event.data, logger.child({ scope: "inngest.send" }))),
);
