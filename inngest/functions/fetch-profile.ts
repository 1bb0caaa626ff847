import { getDb } from "@/db/client";
import { fetchContactProfile } from "@/lib/messaging/profiles";
import { inngest } from "../client";
import { profileRequested } from "../events";
import { orRetry } from "./step-errors";

// A new Messenger/Instagram customer's name and picture from the User Profile API.
export const fetchProfile = inngest.createFunction(
  {
    id: "fetch-contact-profile",
    triggers: [profileRequested],
    concurrency: [{ key: "event.data.contactId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => step.run("fetch-profile", () => orRetry(() => fetchContactProfile(getDb(), event.data))),
);
