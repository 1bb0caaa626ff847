import { and, eq, inArray } from "drizzle-orm";
import type { Socket } from "socket.io";
import type { Database } from "@/db/client";
import { memberships } from "@/db/schema";
import type { Logger } from "@/lib/logger";
import {
  conversationRoom,
  workspaceRoom,
  type AuthenticatedInfo,
  type ClientToServerEvents,
  type RealtimeError,
  type ServerToClientEvents,
} from "@/lib/realtime/events";
import type { RealtimeServer } from "@/lib/realtime/publish";
import { verifyRealtimeToken } from "@/lib/realtime/token";

// Who a socket is and which rooms it may be in. The token names the user and workspaces; the
// database has the last word: a socket joins the token's workspaces the user still belongs to, and
// leaves a workspace's rooms soon after the membership ends (see revalidateSessions).

export interface SocketSession {
  userId: string;
  workspaceIds: string[];
}

export interface SocketData {
  session?: SocketSession;
  /** Conversation rooms joined by subscribe_messages: conversation id → its workspace id. */
  conversations: Record<string, string>;
}

export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export type AuthResult = { ok: true; session: SocketSession } | { ok: false; error: RealtimeError };

const refusals = {
  expired: {
    code: "token_expired",
    message: "The realtime token has expired; fetch a new one from GET /api/realtime/token.",
  },
  invalid: {
    code: "invalid_token",
    message: "The realtime token is not valid; fetch one from GET /api/realtime/token.",
  },
  noWorkspaces: { code: "no_workspaces", message: "The token's user belongs to none of its workspaces." },
} satisfies Record<string, RealtimeError>;

async function currentWorkspaces(db: Database, userId: string, candidates: readonly string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const rows = await db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), inArray(memberships.workspaceId, [...candidates])));
  return new Set(rows.map((row) => row.workspaceId));
}

/** Verifies a token and narrows its workspaces to the user's current memberships. */
export async function authenticateToken(db: Database, token: unknown): Promise<AuthResult> {
  const check = await verifyRealtimeToken(token);
  if (!check.ok) return { ok: false, error: refusals[check.reason] };
  const { userId, workspaceIds } = check.claims;
  const member = await currentWorkspaces(db, userId, workspaceIds);
  const allowed = workspaceIds.filter((id) => member.has(id));
  if (allowed.length === 0) return { ok: false, error: refusals.noWorkspaces };
  return { ok: true, session: { userId, workspaceIds: allowed } };
}

/** Puts the socket in exactly the rooms of its (new) session: its workspaces and their subscribed conversations. */
export function applySession(socket: RealtimeSocket, session: SocketSession): AuthenticatedInfo {
  const keep = new Set(session.workspaceIds);
  if (socket.data.session && socket.data.session.userId !== session.userId) socket.data.conversations = {};
  for (const [conversationId, workspaceId] of Object.entries(socket.data.conversations)) {
    if (!keep.has(workspaceId)) {
      void socket.leave(conversationRoom(conversationId));
      delete socket.data.conversations[conversationId];
    }
  }
  for (const workspaceId of socket.data.session?.workspaceIds ?? []) {
    if (!keep.has(workspaceId)) void socket.leave(workspaceRoom(workspaceId));
  }
  void socket.join(session.workspaceIds.map(workspaceRoom));
  socket.data.session = session;
  return { userId: session.userId, workspaceIds: session.workspaceIds };
}

/**
 * Re-reads the memberships of every authenticated socket on this node and drops rooms of
 * workspaces the user has left; a socket left with none is told why and disconnected.
 */
export async function revalidateSessions(io: RealtimeServer, db: Database, log: Logger): Promise<void> {
  const sockets = [...io.of("/").sockets.values()] as RealtimeSocket[];
  const byUser = new Map<string, RealtimeSocket[]>();
  for (const socket of sockets) {
    const session = socket.data.session;
    if (!session) continue;
    byUser.set(session.userId, [...(byUser.get(session.userId) ?? []), socket]);
  }
  const userIds = [...byUser.keys()];
  for (let start = 0; start < userIds.length; start += 500) {
    const chunk = userIds.slice(start, start + 500);
    const rows = await db
      .select({ userId: memberships.userId, workspaceId: memberships.workspaceId })
      .from(memberships)
      .where(inArray(memberships.userId, chunk));
    const current = new Map<string, Set<string>>();
    for (const row of rows) current.set(row.userId, (current.get(row.userId) ?? new Set()).add(row.workspaceId));
    for (const userId of chunk) {
      const member = current.get(userId) ?? new Set<string>();
      for (const socket of byUser.get(userId) ?? []) {
        const session = socket.data.session;
        if (!session || session.workspaceIds.every((id) => member.has(id))) continue;
        const workspaceIds = session.workspaceIds.filter((id) => member.has(id));
        log.info(
          { userId, socketId: socket.id, left: session.workspaceIds.length - workspaceIds.length },
          "membership ended; leaving rooms",
        );
        if (workspaceIds.length === 0) {
          socket.emit("auth_error", refusals.noWorkspaces);
          socket.disconnect(true);
        } else {
          applySession(socket, { userId, workspaceIds });
        }
      }
    }
  }
}
