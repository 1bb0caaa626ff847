// The registry of Inngest functions served at /api/inngest.
import { fetchProfile } from "./fetch-profile";
import { notifySeenFunction } from "./notify-seen";
import { processWebhook } from "./process-webhook";
import { retrySend } from "./retry-send";
import { rollUpAnalytics } from "./roll-up-analytics";
import { scheduledFunctions } from "./scheduled";
import { storeMedia } from "./store-media";
import { syncPlatform } from "./sync-platform";

export const functions = [
  syncPlatform,
  processWebhook,
  storeMedia,
  fetchProfile,
  notifySeenFunction,
  retrySend,
  rollUpAnalytics,
  ...scheduledFunctions,
];
