import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";
import { notifySeen } from "@/lib/messaging/seen";
import { inngest } from "../client";
import { seenRequested } from "../events";
import { orRetry } from "./step-errors";

// Tell the platform the business has seen a conversation (mark_seen / WhatsApp read status).
export const notifySeenFunction = inngest.createFunction(
  { id: "notify-seen", triggers: [seenRequested], concurrency: [{ key: "event.data.conversationId", limit: 1 }], retries: 3 },
  async ({ event, step }) =>
    step.run("tell-platform", () => orRetry(() => notifySeen(getDb(), event.data, logger.child({ scope: "inngest.seen" })))),
);
