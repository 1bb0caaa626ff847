// The background jobs of Chats and what each carries. Both drivers (Inngest and in-process) run
// the same domain functions for these; inngest/events.ts derives its typed events from here.

export interface JobEvents {
  /** Import a platform account's history (after a connect, on "Sync now", or periodically). */
  "platform/sync.requested": { platformAccountId: string; syncId: string; reason: "connect" | "manual" | "periodic" };
  /** Process (again) a stored webhook event. */
  "webhook/process.requested": { eventId: string };
  /** Copy a message's media into our storage before Meta's URLs expire. */
  "media/store.requested": { messageId: string };
  /** Fetch a contact's name and picture from the Graph API. */
  "contact/profile.requested": { contactId: string };
  /** Tell the platform the business has seen a conversation (mark_seen / WhatsApp read). */
  "conversation/seen.requested": { conversationId: string; messageExternalIds: string[] };
  /** Try a failed send again (transient platform error). */
  "message/send.retry": { messageId: string; attempt: number };
  /** Recompute analytics roll-ups for a range of days. */
  "analytics/rollup.requested": { workspaceId: string; from: string; to: string; timezone: string };
}

export type JobName = keyof JobEvents;
