import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/postgres-adapter";
import { drizzle } from "drizzle-orm/node-postgres";
import { Server } from "socket.io";
import { createAdapterPool, createPool, type Database } from "@/db/client";
import * as schema from "@/db/schema";
import { logger, type Logger } from "@/lib/logger";
import type { RealtimeError } from "@/lib/realtime/events";
import { drainPool, serverPublisher, type RealtimeServer } from "@/lib/realtime/publish";
import { DEFAULT_SOCKET_LIMITS, type SocketLimitOptions } from "@/lib/realtime/rate-limit";
import { applySession, authenticateToken, revalidateSessions, type RealtimeSocket } from "./auth";
import { registerHandlers } from "./handlers";

// The realtime sidecar: Socket.IO on @socket.io/postgres-adapter, so broadcasts from the app (and
// from other sidecars) reach every socket whichever sidecar holds it, and any number of sidecars can
// run behind a load balancer. GET /health answers on the same port.

export interface RealtimeServerOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  /** The app's public URL: its origin (and loopback aliases of it) may open sockets. */
  appUrl: string;
  /** More origins to accept, e.g. a second public host name. */
  allowedOrigins?: string[];
  log?: Logger;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  authTimeoutMs?: number;
  /** How often memberships of connected users are re-read (sockets leave workspaces they left). */
  membershipRefreshMs?: number;
  limits?: Partial<SocketLimitOptions>;
}

export interface RealtimeServerHandle {
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The app's origin, plus its loopback aliases in local runs (localhost vs 127.0.0.1 is the same app). */
export function allowedOriginsFor(appUrl: string, extra: readonly string[] = []): Set<string> {
  const origins = new Set(extra.map((origin) => new URL(origin).origin));
  const app = new URL(appUrl);
  origins.add(app.origin);
  if (LOOPBACK.has(app.hostname)) {
    for (const host of LOOPBACK) origins.add(`${app.protocol}//${host}${app.port ? `:${app.port}` : ""}`);
  }
  return origins;
}

function healthResponder(req: http.IncomingMessage, res: http.ServerResponse): void {
  // Socket.IO answers its own path before this runs; everything else is the health probe or a 404.
  const path = (req.url ?? "/").split("?")[0];
  const ok = path === "/health" && (req.method === "GET" || req.method === "HEAD");
  res.writeHead(ok ? 200 : 404, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(ok ? { status: "ok" } : { error: { code: "not_found" } }));
}

/** Waits until the adapter LISTENs, so nothing published right after start-up is missed. */
async function adapterListening(io: RealtimeServer, timeoutMs: number): Promise<boolean> {
  // Internals of @socket.io/postgres-adapter 0.5: the adapter's PubSubClient sets `client` once its LISTEN ran.
  const pubsub = (io.of("/").adapter as unknown as { client?: { channels?: unknown; client?: unknown } }).client;
  if (!pubsub || !("channels" in pubsub)) return true;
  const deadline = Date.now() + timeoutMs;
  while (pubsub.client === undefined) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

export async function startRealtimeServer(options: RealtimeServerOptions): Promise<RealtimeServerHandle> {
  const log = options.log ?? logger.child({ scope: "realtime" });
  const origins = allowedOriginsFor(options.appUrl, options.allowedOrigins);
  // The adapter gets its own small pool (LISTEN + NOTIFY); queries of the handlers use another.
  const adapterPool = createAdapterPool(options.databaseUrl, 3);
  const queryPool = createPool(options.databaseUrl, 5);
  const db: Database = drizzle({ client: queryPool, schema, casing: "snake_case" });
  let closing = false;

  const httpServer = http.createServer(healthResponder);
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    pingInterval: options.pingIntervalMs ?? 25_000,
    pingTimeout: options.pingTimeoutMs ?? 20_000,
    connectTimeout: 10_000,
    // Clients send small commands only.
    maxHttpBufferSize: 64 * 1024,
    cors: { origin: [...origins], methods: ["GET", "POST"] },
    // CORS does not cover WebSocket upgrades: refuse other sites' pages here. Non-browser clients send no Origin.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (!origin || origins.has(origin)) return callback(null, true);
      log.warn({ origin }, "socket from a foreign origin refused");
      callback("origin not allowed", false);
    },
    adapter: createAdapter(adapterPool, {
      errorHandler: (err) => {
        if (closing) log.debug({ err }, "adapter error while closing");
        else log.warn({ err }, "postgres adapter error; cross-node events may be delayed until it reconnects");
      },
    }),
  });

  const publisher = serverPublisher(io, log);
  const limits = { ...DEFAULT_SOCKET_LIMITS, ...options.limits };
  const authTimeoutMs = options.authTimeoutMs ?? 10_000;

  io.use((socket, next) => {
    const data = (socket as RealtimeSocket).data;
    data.conversations = {};
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    // No token in the handshake: the socket may still send `authenticate` (handlers.ts).
    if (auth?.token === undefined) return next();
    authenticateToken(db, auth.token).then(
      (result) => {
        if (result.ok) {
          data.session = result.session;
          return next();
        }
        const error = Object.assign(new Error(result.error.message), { data: result.error });
        next(error);
      },
      (err: unknown) => {
        log.error({ err }, "handshake authentication failed");
        const failure: RealtimeError = { code: "internal_error", message: "Authentication is unavailable; retry shortly." };
        next(Object.assign(new Error(failure.message), { data: failure }));
      },
    );
  });

  io.on("connection", (raw) => {
    const socket = raw as RealtimeSocket;
    registerHandlers(socket, { db, publisher, log, limits, authTimeoutMs });
    const session = socket.data.session;
    if (session) socket.emit("authenticated", applySession(socket, session));
    log.debug({ socketId: socket.id, userId: session?.userId, transport: socket.conn.transport.name }, "socket connected");
    socket.on("disconnect", (reason) => log.debug({ socketId: socket.id, reason }, "socket disconnected"));
  });

  let revalidating = false;
  const refresh = setInterval(() => {
    if (revalidating) return;
    revalidating = true;
    revalidateSessions(io, db, log)
      .catch((err: unknown) => log.warn({ err }, "membership check failed; will retry"))
      .finally(() => (revalidating = false));
  }, options.membershipRefreshMs ?? 60_000);
  refresh.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  if (!(await adapterListening(io, 10_000))) log.warn("postgres adapter not listening yet; it keeps retrying");
  const port = (httpServer.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    port,
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(refresh);
        // Closes every socket (clients see a transport close and reconnect elsewhere), the adapter and the HTTP server.
        const ioClosed = io.close();
        // Keep-alive connections that linger would hold the HTTP server open; cut them after a grace period.
        const cut = setTimeout(() => httpServer.closeAllConnections(), 3_000);
        await ioClosed;
        clearTimeout(cut);
        await drainPool(adapterPool);
        await Promise.all([adapterPool.end(), queryPool.end()]);
      })();
      return closed;
    },
  };
}
