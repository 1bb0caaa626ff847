import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import {
  compareCursors,
  SERVER_EVENT_TYPES,
  toWireEvent,
  type Ack,
  type ClientToServerEvents,
  type ReadAck,
  type RealtimeEvent,
  type ServerEventType,
  type ServerToClientEvents,
  type WireEvent,
} from "@/lib/realtime/events";

// The browser's realtime connection: one socket per tab, shared by every subscriber. Browser-safe
// (no server imports). Before each (re)connection it fetches a fresh short-lived token; after it, it
// reads what it missed from GET /api/realtime/events and hands those events to subscribers in cursor
// order before any live one, each event once (deduplicated by cursor).

export type RealtimeStatus = "connecting" | "live" | "reconnecting" | "offline";

/** Told when catching up cannot cover the gap: refetch lists and threads from the REST API. */
export interface ResyncEvent {
  reason: "catch_up_failed" | "too_far_behind";
}

export type ClientEventMap = { [K in ServerEventType]: WireEvent<K> } & { resync: ResyncEvent };
export type ClientEventType = keyof ClientEventMap;

interface TokenResponse {
  token: string;
  url: string;
  expiresIn: number;
  cursor: string;
}

interface EventsResponse {
  events: RealtimeEvent[];
  nextCursor: string;
  hasMore: boolean;
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export interface RealtimeClientOptions {
  /** Prefix of the app's API paths (same origin by default). */
  apiBase?: string;
  fetch?: typeof fetch;
  /** Overrides the sidecar URL the token endpoint names. */
  socketUrl?: string;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** Catch-up pages (500 events each) before giving up and asking for a resync. */
  maxCatchUpPages?: number;
  /**
   * Events received this long before a disconnect are fetched again on catch-up (and deduplicated):
   * an event whose transaction committed late can carry a lower cursor than one already seen.
   */
  overlapMs?: number;
  retryDelayMs?: { min: number; max: number };
}

type AnyHandler = (event: never) => void;

const SEEN_LIMIT = 5_000;
const ACK_TIMEOUT_MS = 10_000;
const TOKEN_REUSE_MS = 30_000;

export class RealtimeClient {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private status: RealtimeStatus = "connecting";
  private readonly handlers = new Map<ClientEventType, Set<AnyHandler>>();
  private readonly statusListeners = new Set<(status: RealtimeStatus) => void>();
  private readonly subscriptions = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private recent: { cursor: string; at: number }[] = [];
  private baseCursor: string | null = null;
  private disconnectedAt: number | null = null;
  private catchingUp = false;
  private catchUpAgain = false;
  private latestCursor: string | null = null;
  private buffer: { type: ServerEventType; event: WireEvent }[] = [];
  private wasLive = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private freshToken: { value: string; at: number } | undefined;
  private running = false;
  private readonly fetchImpl: typeof fetch;
  private readonly detach: (() => void)[] = [];

  constructor(private readonly options: RealtimeClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  getStatus = (): RealtimeStatus => this.status;

  onStatus = (listener: (status: RealtimeStatus) => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  subscribe<T extends ClientEventType>(type: T, handler: (event: ClientEventMap[T]) => void): () => void {
    const set = this.handlers.get(type) ?? new Set<AnyHandler>();
    set.add(handler as AnyHandler);
    this.handlers.set(type, set);
    return () => set.delete(handler as AnyHandler);
  }

  /** Opens the connection (once; later calls do nothing while it runs). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus(this.wasLive ? "reconnecting" : "connecting");
    if (typeof window !== "undefined") {
      const online = () => this.retryNow();
      const offline = () => this.setStatus("offline");
      window.addEventListener("online", online);
      window.addEventListener("offline", offline);
      this.detach.push(() => window.removeEventListener("online", online));
      this.detach.push(() => window.removeEventListener("offline", offline));
    }
    void this.open();
  }

  /** Closes the connection; the cursor is kept, so a later start() catches up from it. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.retryTimer);
    for (const undo of this.detach.splice(0)) undo();
    this.socket?.disconnect();
    this.socket = undefined;
    this.disconnectedAt ??= Date.now();
    this.setStatus("offline");
  }

  /** Joins a conversation's room (kept across reconnections); without an id, only workspace events. */
  async subscribeMessages(conversationId?: string): Promise<Ack<{ conversationId: string | null }>> {
    if (conversationId) this.subscriptions.add(conversationId);
    return this.request("subscribe_messages", conversationId ? { conversationId } : {});
  }

  async unsubscribeMessages(conversationId: string): Promise<Ack<{ conversationId: string }>> {
    this.subscriptions.delete(conversationId);
    return this.request("unsubscribe_messages", { conversationId });
  }

  async markRead(target: { messageId: string } | { conversationId: string }): Promise<Ack<ReadAck>> {
    return this.request("mark_read", target);
  }

  private async request<T extends object>(event: keyof ClientToServerEvents, payload: object): Promise<Ack<T>> {
    const socket = this.socket;
    if (!socket?.connected) {
      return { ok: false, error: { code: "unauthorized", message: "Not connected.", event } };
    }
    const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
      emitWithAck(event: string, payload: object): Promise<Ack<T>>;
    };
    try {
      return await timed.emitWithAck(event, payload);
    } catch {
      return { ok: false, error: { code: "internal_error", message: "No answer from the realtime server.", event } };
    }
  }

  private setStatus(status: RealtimeStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }

  private async getJson<T>(path: string): Promise<T> {
    const response = await this.fetchImpl(`${this.options.apiBase ?? ""}${path}`, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { accept: "application/json" },
    });
    if (!response.ok) throw new HttpError(response.status);
    return (await response.json()) as T;
  }

  private async fetchToken(): Promise<TokenResponse> {
    const grant = await this.getJson<TokenResponse>("/api/realtime/token");
    // A fresh client starts at the cursor the server gives it; a returning one keeps its own.
    this.baseCursor ??= grant.cursor;
    this.latestCursor = grant.cursor;
    return grant;
  }

  private async open(): Promise<void> {
    let grant: TokenResponse;
    try {
      grant = await this.fetchToken();
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) this.setStatus("offline");
      return this.scheduleRetry(error);
    }
    if (!this.running || this.socket) return;
    this.freshToken = { value: grant.token, at: Date.now() };
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.options.socketUrl ?? grant.url, {
      forceNew: true,
      autoConnect: false,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      ...this.options.socketOptions,
      // Every (re)connection presents a fresh token: they live five minutes.
      auth: (send) => {
        const fresh = this.freshToken;
        this.freshToken = undefined;
        if (fresh && Date.now() - fresh.at < TOKEN_REUSE_MS) return send({ token: fresh.value });
        this.fetchToken().then(
          (next) => send({ token: next.token }),
          (error: unknown) => {
            if (error instanceof HttpError && error.status === 401) this.setStatus("offline");
            // An empty token is refused at once; the retry below tries again later.
            send({ token: "" });
          },
        );
      },
    });
    this.socket = socket;

    socket.on("connect", () => {
      this.retries = 0;
      for (const conversationId of this.subscriptions) void this.request("subscribe_messages", { conversationId });
      void this.catchUp();
    });
    socket.on("connect_error", (error) => {
      this.setStatus(this.status === "offline" ? "offline" : this.wasLive ? "reconnecting" : "connecting");
      // A refusal by the server (bad or expired token) is not retried by Socket.IO itself.
      if (!socket.active) this.scheduleRetry(error);
    });
    socket.on("disconnect", (reason) => {
      this.disconnectedAt = Date.now();
      if (!this.running) return;
      this.setStatus(this.wasLive ? "reconnecting" : "connecting");
      // The server ended the session (auth or abuse): Socket.IO leaves reconnecting to us.
      if (reason === "io server disconnect") this.scheduleRetry(new Error(reason));
    });
    socket.onAny((type: string, event: unknown) => {
      if ((SERVER_EVENT_TYPES as readonly string[]).includes(type)) this.receive(type as ServerEventType, event as WireEvent);
    });
    socket.connect();
  }

  private scheduleRetry(_reason: unknown): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    const { min, max } = this.options.retryDelayMs ?? { min: 1_000, max: 30_000 };
    const delay = Math.min(max, min * 2 ** this.retries) * (0.5 + Math.random() / 2);
    this.retries += 1;
    this.retryTimer = setTimeout(() => this.retryNow(), delay);
  }

  private retryNow(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    if (this.status === "offline") this.setStatus(this.wasLive ? "reconnecting" : "connecting");
    if (!this.socket) return void this.open();
    if (!this.socket.connected) this.socket.connect();
  }

  private receive(type: ServerEventType, event: WireEvent): void {
    if (this.catchingUp) this.buffer.push({ type, event });
    else this.deliver(type, event);
  }

  private deliver(type: ClientEventType, event: WireEvent | ResyncEvent): void {
    if ("cursor" in event) {
      if (this.seen.has(event.cursor)) return;
      this.seen.add(event.cursor);
      this.seenOrder.push(event.cursor);
      if (this.seenOrder.length > SEEN_LIMIT) this.seen.delete(this.seenOrder.shift() ?? "");
      this.recent.push({ cursor: event.cursor, at: Date.now() });
    }
    for (const handler of [...(this.handlers.get(type) ?? [])]) {
      try {
        (handler as (event: unknown) => void)(event);
      } catch (error) {
        // One failing subscriber must not starve the others; report it without stopping the loop.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Where catch-up starts: the newest cursor seen at least `overlapMs` before the connection dropped. */
  private resumeCursor(): string {
    const horizon = (this.disconnectedAt ?? Date.now()) - (this.options.overlapMs ?? 10_000);
    let cursor = this.baseCursor ?? "0";
    const keep: typeof this.recent = [];
    for (const entry of this.recent) {
      if (entry.at > horizon) keep.push(entry);
      else if (compareCursors(entry.cursor, cursor) > 0) cursor = entry.cursor;
    }
    this.recent = keep;
    this.baseCursor = cursor;
    return cursor;
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) {
      // Reconnected while still catching up: go again once this round ends, nothing in between is lost.
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = true;
    try {
      do {
        this.catchUpAgain = false;
        await this.catchUpOnce();
      } while (this.catchUpAgain);
    } finally {
      this.catchingUp = false;
      const buffered = this.buffer.splice(0).sort((a, b) => compareCursors(a.event.cursor, b.event.cursor));
      for (const { type, event } of buffered) this.deliver(type, event);
    }
    this.disconnectedAt = null;
    if (this.socket?.connected) {
      this.wasLive = true;
      this.setStatus("live");
    }
  }

  private async catchUpOnce(): Promise<void> {
    let after = this.resumeCursor();
    try {
      const maxPages = this.options.maxCatchUpPages ?? 10;
      for (let page = 0; ; page++) {
        if (page >= maxPages) {
          // Too much to replay: start over from now, and let the UI reload what it shows.
          this.baseCursor = this.latestCursor ?? after;
          this.recent = [];
          this.deliver("resync", { reason: "too_far_behind" });
          return;
        }
        const body = await this.getJson<EventsResponse>(`/api/realtime/events?after=${encodeURIComponent(after)}&limit=500`);
        for (const event of body.events) this.deliver(event.type, toWireEvent(event));
        after = body.nextCursor;
        if (!body.hasMore) return;
      }
    } catch {
      this.deliver("resync", { reason: "catch_up_failed" });
    }
  }
}

let shared: RealtimeClient | undefined;

/** The tab's one realtime client. */
export function getRealtimeClient(): RealtimeClient {
  shared ??= new RealtimeClient();
  return shared;
}
