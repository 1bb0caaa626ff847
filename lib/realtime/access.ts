import "server-only";
import type { Executor } from "@/db/client";
import { listUserWorkspaces } from "@/db/queries/users";
import { latestCursor } from "@/lib/realtime/outbox";
import { REALTIME_TOKEN_TTL_SECONDS, signRealtimeToken } from "@/lib/realtime/token";

export interface RealtimeGrant {
  token: string;
  /** Seconds. */
  expiresIn: number;
  /** The newest event the user can see now: a fresh client catches up from here. */
  cursor: string;
}

/** A socket token for the user's current workspaces, with the cursor a new client starts from. */
export async function grantRealtimeAccess(db: Executor, params: { userId: string }): Promise<RealtimeGrant> {
  const [workspaces, cursor] = await Promise.all([
    listUserWorkspaces(db, { userId: params.userId }),
    latestCursor(db, { userId: params.userId }),
  ]);
  const token = await signRealtimeToken(
    { id: params.userId },
    workspaces.map((workspace) => workspace.id),
  );
  return { token, expiresIn: REALTIME_TOKEN_TTL_SECONDS, cursor };
}
