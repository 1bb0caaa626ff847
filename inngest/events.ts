import { eventType, staticSchema } from "inngest";
import type { JobEvents } from "@/lib/jobs/events";

// Typed Inngest events, one per job of lib/jobs/events.ts (the in-process driver uses the same names).
export const syncRequested = eventType("platform/sync.requested", {
  schema: staticSchema<JobEvents["platform/sync.requested"]>(),
});
export const webhookProcessRequested = eventType("webhook/process.requested", {
  schema: staticSchema<JobEvents["webhook/process.requested"]>(),
});
export const mediaStoreRequested = eventType("media/store.requested", {
  schema: staticSchema<JobEvents["media/store.requested"]>(),
});
export const profileRequested = eventType("contact/profile.requested", {
  schema: staticSchema<JobEvents["contact/profile.requested"]>(),
});
export const seenRequested = eventType("conversation/seen.requested", {
  schema: staticSchema<JobEvents["conversation/seen.requested"]>(),
});
export const sendRetryRequested = eventType("message/send.retry", { schema: staticSchema<JobEvents["message/send.retry"]>() });
export const rollupRequested = eventType("analytics/rollup.requested", {
  schema: staticSchema<JobEvents["analytics/rollup.requested"]>(),
});
