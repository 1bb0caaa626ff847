import "server-only";
import { createAdapter } from "@socket.io/postgres-adapter";
import type pg from "pg";
import { Server } from "socket.io";
import { createAdapterPool, databaseUrl, type Database, type Transaction } from "@/db/client";
import { logger, type Logger } from "@/lib/logger";
import {
  conversationRoom,
  toWireEvent,
  workspaceRoom,
  type ClientToServerEvents,
  type RealtimeEvent,
  type ServerEventType,
  type ServerToClientEvents,
} from "@/lib/realtime/events";
import { recordEvent, type RecordEventInput } from "@/lib/realtime/outbox";

// Publishing recorded outbox events to browsers. The app (route handlers, background functions) has
// no sockets of its own: it emits through a NON-LISTENING Socket.IO server on @socket.io/postgres-adapter,
// which forwards each broadcast to every sidecar via NOTIFY. (The separate @socket.io/postgres-emitter
// 0.1 omits `nsp` in its messages and adapter 0.5 drops them.) Publishing is best effort: a failure is
// logged and the event stays in the outbox, where a reconnecting client finds it by cursor.
//
// Rooms: every event goes to `workspace:<id>`, and to `conversation:<id>` when it has a conversation.
// Socket.IO takes the union of `.to(a).to(b)`, so a socket in both rooms gets it once; today a
// conversation room is always within its workspace room (a socket joins only its workspaces'
// conversations), the conversation room is there for events that will concern one thread only.

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export interface RealtimePublisher {
  /** Never throws and never waits: failures are logged, the outbox keeps the events. */
  publish(events: readonly RealtimeEvent[]): void;
}

/** Emits events through a Socket.IO server: to its own sockets and, via its adapter, to every other node. */
export function serverPublisher(io: RealtimeServer, log: Logger): RealtimePublisher {
  return {
    publish(events) {
      for (const event of events) {
        try {
          let target = io.to(workspaceRoom(event.workspaceId));
          if (event.conversationId) target = target.to(conversationRoom(event.conversationId));
          const emit = target.emit.bind(target) as (type: ServerEventType, payload: unknown) => boolean;
          emit(event.type, toWireEvent(event));
          log.trace({ cursor: event.cursor, type: event.type }, "realtime event published");
        } catch (err) {
          log.warn({ err, cursor: event.cursor, type: event.type }, "realtime event not published");
        }
      }
    },
  };
}

interface Emitter {
  io: RealtimeServer;
  pool: pg.Pool;
  publisher: RealtimePublisher;
  closing: boolean;
}

// One emitter per process; on globalThis so dev-server reloads reuse it instead of leaking connections.
const globalForRealtime = globalThis as unknown as { chatsRealtimeEmitter?: Emitter };

const log = () => logger.child({ scope: "realtime.publish" });

function emitter(): Emitter {
  if (!globalForRealtime.chatsRealtimeEmitter) {
    const publishLog = log();
    // Two connections: the adapter's LISTEN client and one for NOTIFYs, which therefore go out in emit order.
    const pool = createAdapterPool(databaseUrl(), 2);
    const state = { closing: false } as Emitter;
    const io: RealtimeServer = new Server({
      serveClient: false,
      adapter: createAdapter(pool, {
        errorHandler: (err) => {
          if (state.closing) publishLog.debug({ err }, "realtime adapter error while closing");
          else publishLog.warn({ err }, "realtime adapter error: events may not reach browsers until they catch up");
        },
      }),
    });
    Object.assign(state, { io, pool, publisher: serverPublisher(io, publishLog) });
    globalForRealtime.chatsRealtimeEmitter = state;
  }
  return globalForRealtime.chatsRealtimeEmitter;
}

/** The process's shared publisher (created on first use, closed by closeRealtimePublisher). */
export function getRealtimePublisher(): RealtimePublisher {
  return {
    publish(events) {
      if (events.length === 0) return;
      try {
        emitter().publisher.publish(events);
      } catch (err) {
        log().warn({ err, count: events.length }, "realtime publisher unavailable; events stay in the outbox");
      }
    },
  };
}

export interface PublishOptions {
  /** Where to publish; the process's shared emitter by default (the sidecar passes its own server). */
  publisher?: RealtimePublisher;
}

/** Publishes events recorded by a transaction that has committed. Never throws. */
export function publishEvents(events: readonly RealtimeEvent[], options: PublishOptions = {}): void {
  try {
    (options.publisher ?? getRealtimePublisher()).publish(events);
  } catch (err) {
    log().warn({ err, count: events.length }, "realtime events not published; they stay in the outbox");
  }
}

export type RecordFn = <T extends ServerEventType>(input: RecordEventInput<T>) => Promise<RealtimeEvent<T>>;

/**
 * Runs `work` in a transaction whose `record` writes outbox events; after the commit they are
 * published, and `work`'s result is returned. A rollback publishes nothing.
 */
export async function withRealtime<T>(
  db: Database,
  work: (tx: Transaction, record: RecordFn) => Promise<T>,
  options: PublishOptions = {},
): Promise<T> {
  const recorded: RealtimeEvent[] = [];
  const result = await db.transaction(async (tx) => {
    const record: RecordFn = async (input) => {
      const event = await recordEvent(tx, input);
      recorded.push(event as RealtimeEvent);
      return event;
    };
    return work(tx, record);
  });
  publishEvents(recorded, options);
  return result;
}

/** Waits (briefly) until the pool has nothing in flight, so the last NOTIFYs leave before it ends. */
export async function drainPool(pool: pg.Pool, timeoutMs = 1_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((pool.waitingCount > 0 || pool.idleCount < pool.totalCount) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Closes the shared emitter (graceful shutdown, tests); the next publish opens a new one. */
export async function closeRealtimePublisher(): Promise<void> {
  const current = globalForRealtime.chatsRealtimeEmitter;
  globalForRealtime.chatsRealtimeEmitter = undefined;
  if (!current) return;
  current.closing = true;
  // Not io.close(): a server that never listened has no engine to close. Emits already made have
  // queued their NOTIFY on the pool, so draining it after the adapter lets go of LISTEN sends them.
  await current.io.of("/").adapter.close();
  await drainPool(current.pool);
  await current.pool.end();
}
