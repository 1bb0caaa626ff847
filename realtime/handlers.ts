import { and, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import type { Database } from "@/db/client";
import { conversations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import { markConversationRead, markMessageRead } from "@/lib/messaging/read";
import { conversationRoom, type Ack, type RealtimeError } from "@/lib/realtime/events";
import type { RealtimePublisher } from "@/lib/realtime/publish";
import { SocketRateLimiter, type SocketLimitOptions } from "@/lib/realtime/rate-limit";
import { authenticateSchema, markReadSchema, subscribeMessagesSchema, unsubscribeMessagesSchema } from "@/lib/realtime/schemas";
import { applySession, authenticateToken, type RealtimeSocket, type SocketSession } from "./auth";

// What a connected socket may send: authenticate, subscribe_messages, unsubscribe_messages, mark_read.
// Every event is rate-limited, validated with zod and answered by ack (when the client asks for one)
// and, on failure, by an `error` event.

export interface HandlerContext {
  db: Database;
  publisher: RealtimePublisher;
  log: Logger;
  limits: SocketLimitOptions;
  /** How long a socket that connected without a token has to send `authenticate`. */
  authTimeoutMs: number;
}

// A socket's conversation rooms are bounded; the oldest subscription goes first.
const MAX_CONVERSATION_ROOMS = 50;

type Reply = (response: Ack<object>) => void;

function failure(code: RealtimeError["code"], message: string, event: string): RealtimeError {
  return { code, message, event };
}

export function registerHandlers(socket: RealtimeSocket, ctx: HandlerContext): void {
  const log = ctx.log.child({ socketId: socket.id });
  const limiter = new SocketRateLimiter(ctx.limits);

  const fail = (error: RealtimeError, reply?: Reply) => {
    socket.emit("error", error);
    reply?.({ ok: false, error });
  };

  socket.use((packet, next) => {
    const verdict = limiter.check();
    if (verdict.action === "allow") return next();
    const event = String(packet[0]);
    const last = packet[packet.length - 1];
    const reply = packet.length > 1 && typeof last === "function" ? (last as Reply) : undefined;
    if (verdict.action === "abuse") {
      log.warn({ userId: socket.data.session?.userId, event }, "socket kept sending past its rate limit; disconnecting");
      socket.emit("error", failure("rate_limited", "Too many events; disconnected.", event));
      socket.disconnect(true);
      return;
    }
    const error = failure("rate_limited", "Too many events; slow down.", event);
    reply?.({ ok: false, error });
    if (verdict.notify) socket.emit("error", error);
  });

  let authTimer: NodeJS.Timeout | undefined;
  if (!socket.data.session) {
    authTimer = setTimeout(() => {
      if (socket.data.session) return;
      socket.emit("auth_error", failure("auth_timeout", "Send `authenticate {token}` right after connecting.", "authenticate"));
      socket.disconnect(true);
    }, ctx.authTimeoutMs);
  }
  socket.on("disconnect", () => clearTimeout(authTimer));

  /** Wraps a handler: validates the payload, requires a session unless told otherwise, maps errors. */
  function on<S extends z.ZodType>(
    event: string,
    schema: S,
    // Resolves to the ack's fields, or undefined when the handler has answered by itself.
    handler: (input: z.output<S>, session: SocketSession | undefined, reply: Reply | undefined) => Promise<object | undefined>,
    options: { public?: boolean } = {},
  ) {
    const listen = socket.on.bind(socket) as (event: string, listener: (...args: unknown[]) => void) => void;
    listen(event, (...args: unknown[]) => {
      const last = args[args.length - 1];
      const reply = typeof last === "function" ? (last as Reply) : undefined;
      const session = socket.data.session;
      if (!options.public && !session) {
        return fail(failure("unauthorized", "Authenticate first.", event), reply);
      }
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`);
        return fail(failure("validation_failed", `Invalid ${event} payload (${issues.join("; ")}).`, event), reply);
      }
      handler(parsed.data, session, reply).then(
        (result) => result && reply?.({ ok: true, ...result }),
        (error: unknown) => {
          if (error instanceof AppError && error.code === "not_found")
            return fail(failure("not_found", error.message, event), reply);
          log.error({ err: error, event }, "realtime handler failed");
          fail(failure("internal_error", "Something went wrong on our side.", event), reply);
        },
      );
    });
  }

  on(
    "authenticate",
    authenticateSchema,
    async ({ token }, _session, reply) => {
      const result = await authenticateToken(ctx.db, token);
      if (!result.ok) {
        const error = { ...result.error, event: "authenticate" };
        reply?.({ ok: false, error });
        socket.emit("auth_error", error);
        socket.disconnect(true);
        return undefined;
      }
      clearTimeout(authTimer);
      const info = applySession(socket, result.session);
      socket.emit("authenticated", info);
      return info;
    },
    { public: true },
  );

  on("subscribe_messages", subscribeMessagesSchema, async ({ conversationId }, session) => {
    // Without a conversation: every message of the socket's workspaces, which its workspace rooms already carry.
    if (!conversationId || !session) return { conversationId: null };
    const [row] = await ctx.db
      .select({ workspaceId: conversations.workspaceId })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), inArray(conversations.workspaceId, session.workspaceIds)))
      .limit(1);
    if (!row) throw AppError.notFound("Conversation");
    const joined = socket.data.conversations;
    delete joined[conversationId];
    joined[conversationId] = row.workspaceId;
    const ids = Object.keys(joined);
    for (const stale of ids.slice(0, Math.max(0, ids.length - MAX_CONVERSATION_ROOMS))) {
      void socket.leave(conversationRoom(stale));
      delete joined[stale];
    }
    await socket.join(conversationRoom(conversationId));
    return { conversationId };
  });

  on("unsubscribe_messages", unsubscribeMessagesSchema, async ({ conversationId }) => {
    delete socket.data.conversations[conversationId];
    await socket.leave(conversationRoom(conversationId));
    return { conversationId };
  });

  on("mark_read", markReadSchema, async (target, session) => {
    if (!session) throw new Error("unreachable: mark_read without a session");
    const options = { publisher: ctx.publisher };
    const result =
      "messageId" in target
        ? await markMessageRead(ctx.db, { userId: session.userId, messageId: target.messageId }, options)
        : await markConversationRead(ctx.db, { userId: session.userId, conversationId: target.conversationId }, options);
    return { conversationId: result.conversationId, messageIds: result.messageIds, unreadCount: result.unreadCount };
  });
}
