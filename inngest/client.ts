import { Inngest } from "inngest";
import { inngestEnv } from "@/lib/env";

// One client for the app: a dev server when INNGEST_DEV is set, a self-hosted `inngest start` at
// INNGEST_BASE_URL, or Inngest Cloud with its keys. Only INNGEST_* is read here (see inngestEnv).
const config = inngestEnv();

export const inngest = new Inngest({
  id: "chats",
  isDev: Boolean(config.INNGEST_DEV && config.INNGEST_DEV !== "0"),
  baseUrl: config.INNGEST_BASE_URL,
  eventKey: config.INNGEST_EVENT_KEY,
  signingKey: config.INNGEST_SIGNING_KEY,
  signingKeyFallback: config.INNGEST_SIGNING_KEY_FALLBACK,
});
