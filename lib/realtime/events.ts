import type { MessageStatus } from "@/db/schema/enums";
import type { ConversationDto, MessageDto } from "@/lib/messaging/serialize";

// The realtime contract of API.md, shared by the app, the sidecar and the browser client, so this
// module stays free of server imports (type imports are erased). The Platform DTO is not settled
// yet: a plain record until it is.

/** What each server → client event carries besides `cursor` and `workspaceId`. */
export interface ServerEventPayloads<M = MessageDto, C = ConversationDto, P = Record<string, unknown>> {
  new_message: { message: M; conversation: C };
  message_status: { messageId: string; status: MessageStatus };
  /** A message changed in place: a reaction, an edit, a deletion by the customer. */
  message_updated: { message: M; /** The echo row this message absorbed (drop it from views). */ replacesMessageId?: string };
  message_read: { messageIds: string[]; conversationId: string; unreadCount: number };
  platform_connected: { platform: P };
  platform_disconnected: { platformId: string };
  sync_started: { platformId: string; syncId: string };
  /** A history import moving along: conversations and messages imported so far. */
  sync_progress: { platformId: string; syncId: string; imported: number; conversations: number };
  sync_completed: { platformId: string; syncId: string; imported: number };
}

export type ServerEventType = keyof ServerEventPayloads;

export const SERVER_EVENT_TYPES = [
  "new_message",
  "message_status",
  "message_updated",
  "message_read",
  "platform_connected",
  "platform_disconnected",
  "sync_started",
  "sync_progress",
  "sync_completed",
] as const satisfies readonly ServerEventType[];

export interface EventMeta {
  /** The outbox id: increases with every recorded event, resume catch-up after it. */
  cursor: string;
  workspaceId: string;
}

/** An event as a socket receives it: the payload plus its cursor and workspace. */
export type WireEvent<T extends ServerEventType = ServerEventType> = ServerEventPayloads[T] & EventMeta;

/** An outbox row as recorded and as GET /api/realtime/events lists it. */
export type RealtimeEvent<T extends ServerEventType = ServerEventType> = {
  [K in T]: {
    cursor: string;
    type: K;
    workspaceId: string;
    conversationId: string | null;
    createdAt: string;
    payload: ServerEventPayloads[K];
  };
}[T];

export function toWireEvent<T extends ServerEventType>(event: RealtimeEvent<T>): WireEvent<T> {
  return { ...event.payload, cursor: event.cursor, workspaceId: event.workspaceId } as WireEvent<T>;
}

export const workspaceRoom = (workspaceId: string) => `workspace:${workspaceId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

/** Cursors are decimal bigints as strings: compare them numerically, not as text. */
export function compareCursors(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// Events that are not outbox events: the socket's own session and problems with what it sent.
export type RealtimeErrorCode =
  | "unauthorized"
  | "invalid_token"
  | "token_expired"
  | "auth_timeout"
  | "no_workspaces"
  | "validation_failed"
  | "not_found"
  | "rate_limited"
  | "internal_error";

export interface RealtimeError {
  code: RealtimeErrorCode;
  message: string;
  /** The client event that caused it, when there is one. */
  event?: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: RealtimeError };

export interface AuthenticatedInfo {
  userId: string;
  workspaceIds: string[];
}

export interface ReadAck {
  conversationId: string;
  messageIds: string[];
  unreadCount: number;
}

export type ServerToClientEvents = {
  [K in ServerEventType]: (event: WireEvent<K>) => void;
} & {
  authenticated: (info: AuthenticatedInfo) => void;
  auth_error: (error: RealtimeError) => void;
  error: (error: RealtimeError) => void;
};

export interface ClientToServerEvents {
  authenticate: (payload: { token: string }, ack?: (response: Ack<AuthenticatedInfo>) => void) => void;
  subscribe_messages: (
    payload: { conversationId?: string },
    ack?: (response: Ack<{ conversationId: string | null }>) => void,
  ) => void;
  unsubscribe_messages: (payload: { conversationId: string }, ack?: (response: Ack<{ conversationId: string }>) => void) => void;
  mark_read: (payload: { messageId: string } | { conversationId: string }, ack?: (response: Ack<ReadAck>) => void) => void;
}
