import type { RssSummary } from "./soak-rss";

// What a soak must show: every webhook acknowledged, every acknowledged event stored once as one
// message (no loss, no duplicate), and memory that levels off instead of climbing.

export const SOAK_BOUNDS = {
  /** Growth of the app's RSS between the first and last quarter after warm-up. */
  maxGrowthMb: 64,
  /** The app's RSS at any moment. */
  maxPeakMb: 350,
} as const;

export interface LoadTotals {
  sent: number;
  acked: number;
}

/** What the database holds of the load's webhooks (scripts/lib/soak-storage.ts). */
export interface StorageCounts {
  eventsStored: number;
  eventsProcessed: number;
  messagesStored: number;
  distinctMessages: number;
  /** Stored events whose message is not in the messages table. */
  eventsWithoutMessage: number;
}

export interface SoakVerdict {
  ok: boolean;
  lost: number;
  duplicates: number;
  problems: string[];
}

export function soakVerdict(load: LoadTotals, storage: StorageCounts, rss: RssSummary): SoakVerdict {
  const lost = Math.max(0, load.sent - storage.distinctMessages);
  const duplicates = storage.messagesStored - storage.distinctMessages;
  const problems: string[] = [];
  if (load.acked < load.sent) problems.push(`${load.sent - load.acked} of ${load.sent} webhooks were not answered 200`);
  if (storage.eventsStored < load.acked)
    problems.push(`${load.acked - storage.eventsStored} acknowledged webhooks were not stored`);
  if (storage.eventsProcessed < storage.eventsStored)
    problems.push(`${storage.eventsStored - storage.eventsProcessed} stored events were not processed`);
  if (storage.eventsWithoutMessage > 0) problems.push(`${storage.eventsWithoutMessage} stored events have no message`);
  if (lost > 0) problems.push(`${lost} of ${load.sent} messages were lost`);
  if (duplicates > 0) problems.push(`${duplicates} messages were stored more than once`);
  if (storage.distinctMessages > load.sent)
    problems.push(`${storage.distinctMessages - load.sent} more messages stored than were sent`);
  if (rss.growthMb > SOAK_BOUNDS.maxGrowthMb)
    problems.push(`the app's RSS grew ${rss.growthMb} MB after warm-up (bound ${SOAK_BOUNDS.maxGrowthMb} MB)`);
  if (rss.peakMb > SOAK_BOUNDS.maxPeakMb)
    problems.push(`the app's RSS peaked at ${rss.peakMb} MB (bound ${SOAK_BOUNDS.maxPeakMb} MB)`);
  return { ok: problems.length === 0, lost, duplicates, problems };
}
