import "server-only";
import { randomUUID } from "node:crypto";
import type { PlatformAccount } from "@/db/schema";
import { sendJob } from "@/lib/jobs";
import type { JobEvents } from "@/lib/jobs/events";

/** Asks for a history import of the account; progress arrives as sync_started / sync_completed. */
export async function requestSync(
  account: Pick<PlatformAccount, "id">,
  reason: JobEvents["platform/sync.requested"]["reason"],
): Promise<{ syncId: string }> {
  const syncId = randomUUID();
  await sendJob("platform/sync.requested", { platformAccountId: account.id, syncId, reason });
  return { syncId };
}
