import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";
import { storeIncomingMedia } from "@/lib/media/incoming";
import { inngest } from "../client";
import { mediaStoreRequested } from "../events";
import { orRetry } from "./step-errors";

// Copy incoming media before Meta's URLs expire (minutes): quick retries, then give up.
export const storeMedia = inngest.createFunction(
  {
    id: "store-media",
    triggers: [mediaStoreRequested],
    concurrency: [{ key: "event.data.messageId", limit: 1 }, { limit: 10 }],
    retries: 4,
  },
  async ({ event, step }) =>
    step.run("download-and-store", () =>
      orRetry(() => storeIncomingMedia(getDb(), event.data, logger.child({ scope: "inngest.media" }))),
    ),
);
