import { and, eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { addMember } from "@/db/queries/workspaces";
import { conversations, memberships, messages } from "@/db/schema";
import { keyFor } from "@/lib/auth/tokens";
import type { Ack, WireEvent } from "@/lib/realtime/events";
import { closeRealtimePublisher, withRealtime } from "@/lib/realtime/publish";
import { signRealtimeToken } from "@/lib/realtime/token";
import { startRealtimeServer, type RealtimeServerHandle } from "@/realtime/server";
import { createAccount, type TestAccount } from "@/tests/factories/accounts";
import { createConversation, createMessage, createPlatformAccount } from "@/tests/factories/messaging";

// Two sidecars on one test database, as two instances behind a load balancer would run.

const APP_URL = "http://localhost:3000";
let sidecars: RealtimeServerHandle[] = [];
const sockets: Socket[] = [];

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("the test setup provides DATABASE_URL");
  return url;
}

function start() {
  return startRealtimeServer({ port: 0, host: "127.0.0.1", databaseUrl: databaseUrl(), appUrl: APP_URL, authTimeoutMs: 500 });
}

beforeAll(async () => {
  sidecars = await Promise.all([start(), start()]);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await Promise.all(sidecars.map((sidecar) => sidecar.close()));
  await closeRealtimePublisher();
});

function sidecar(index: 0 | 1): RealtimeServerHandle {
  const handle = sidecars[index];
  if (!handle) throw new Error("sidecar not started");
  return handle;
}

function open(port: number, auth?: Record<string, unknown>, extra: { origin?: string } = {}): Socket {
  const socket = connect(`http://127.0.0.1:${port}`, {
    auth,
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: extra.origin ? { origin: extra.origin } : undefined,
  });
  sockets.push(socket);
  return socket;
}

function next<T = unknown>(socket: Socket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Everything of `event` the socket receives, collected from now on. */
function collect<T = unknown>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An authenticated socket of the account on the given sidecar (rooms joined once this resolves). */
async function client(account: TestAccount, index: 0 | 1): Promise<Socket> {
  const socket = open(sidecar(index).port, { token: await signRealtimeToken(account.user, [account.workspace.id]) });
  await next(socket, "authenticated");
  return socket;
}

async function refused(socket: Socket): Promise<Error & { data?: { code?: string } }> {
  return next<Error & { data?: { code?: string } }>(socket, "connect_error");
}

function emitWithAck<T extends object>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return socket.timeout(5_000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

async function recordSync(workspaceId: string, syncId: string) {
  return withRealtime(getDb(), (_tx, record) =>
    record({ workspaceId, type: "sync_started", payload: { platformId: "00000000-0000-4000-8000-000000000001", syncId } }),
  );
}

describe("realtime sidecars", () => {
  it("answer GET /health with 200 ok", async () => {
    const response = await fetch(`http://127.0.0.1:${sidecar(0).port}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect((await fetch(`http://127.0.0.1:${sidecar(0).port}/elsewhere`)).status).toBe(404);
  });

  it("deliver an event recorded by the app to its workspace's clients on both sidecars, and never to another workspace", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const [a1, a2, b1, b2] = await Promise.all([client(alice, 0), client(alice, 1), client(bob, 0), client(bob, 1)]);
    const bobSeen = [collect(b1, "sync_started"), collect(b2, "sync_started")];

    const arrivals = Promise.all([
      next<WireEvent<"sync_started">>(a1, "sync_started"),
      next<WireEvent<"sync_started">>(a2, "sync_started"),
    ]);
    const event = await recordSync(alice.workspace.id, "sync-1");
    const [onFirst, onSecond] = await arrivals;

    const expected = {
      platformId: "00000000-0000-4000-8000-000000000001",
      syncId: "sync-1",
      cursor: event.cursor,
      workspaceId: alice.workspace.id,
    };
    expect(onFirst).toEqual(expected);
    expect(onSecond).toEqual(expected);
    await pause(500);
    expect(bobSeen.flat()).toEqual([]);
  });

  it("refuse bad, expired, wrong-audience and API tokens with a clear connect_error", async () => {
    const alice = await createAccount();
    const port = sidecar(0).port;
    const garbage = await refused(open(port, { token: "not-a-token" }));
    expect(garbage.message).toMatch(/not valid/);
    expect(garbage.data).toMatchObject({ code: "invalid_token" });

    const expired = await refused(
      open(port, { token: await signRealtimeToken(alice.user, [alice.workspace.id], { ttlSeconds: -60 }) }),
    );
    expect(expired.message).toMatch(/expired/);
    expect(expired.data).toMatchObject({ code: "token_expired" });

    const wrongAudience = await new SignJWT({ typ: "realtime", wsp: [alice.workspace.id] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(alice.user.id)
      .setIssuer("chats")
      .setAudience("chats-api")
      .setExpirationTime("5m")
      .sign(keyFor("realtime"));
    expect((await refused(open(port, { token: wrongAudience }))).data).toMatchObject({ code: "invalid_token" });

    expect((await refused(open(port, { token: alice.token }))).data).toMatchObject({ code: "invalid_token" });
  });

  it("never let a token name a workspace its user does not belong to", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const onlyBobs = await signRealtimeToken(alice.user, [bob.workspace.id]);
    expect((await refused(open(sidecar(1).port, { token: onlyBobs }))).data).toMatchObject({ code: "no_workspaces" });

    // A mixed token joins only the user's own workspace.
    const socket = open(sidecar(1).port, { token: await signRealtimeToken(alice.user, [alice.workspace.id, bob.workspace.id]) });
    expect(await next(socket, "authenticated")).toEqual({ userId: alice.user.id, workspaceIds: [alice.workspace.id] });
    const seen = collect(socket, "sync_started");
    await recordSync(bob.workspace.id, "bobs");
    await pause(400);
    expect(seen).toEqual([]);
  });

  it("refuse pages of other sites by their Origin", async () => {
    const alice = await createAccount();
    const token = await signRealtimeToken(alice.user, [alice.workspace.id]);
    await refused(open(sidecar(0).port, { token }, { origin: "https://evil.example" }));
    const allowed = open(sidecar(0).port, { token }, { origin: APP_URL });
    await next(allowed, "authenticated");
  });

  it("authenticate a socket that sends its token in an `authenticate` event", async () => {
    const alice = await createAccount();
    const socket = open(sidecar(1).port);
    await next(socket, "connect");
    const denied = await emitWithAck(socket, "subscribe_messages", {});
    expect(denied).toMatchObject({ ok: false, error: { code: "unauthorized" } });

    const ack = await emitWithAck(socket, "authenticate", { token: await signRealtimeToken(alice.user, [alice.workspace.id]) });
    expect(ack).toEqual({ ok: true, userId: alice.user.id, workspaceIds: [alice.workspace.id] });
    const arrival = next<WireEvent<"sync_started">>(socket, "sync_started");
    const event = await recordSync(alice.workspace.id, "after-auth");
    expect(await arrival).toMatchObject({ syncId: "after-auth", cursor: event.cursor });
  });

  it("answer a bad `authenticate` token with auth_error and a disconnect", async () => {
    const socket = open(sidecar(0).port);
    await next(socket, "connect");
    const gone = next<string>(socket, "disconnect");
    const error = next(socket, "auth_error");
    socket.emit("authenticate", { token: "forged" });
    expect(await error).toMatchObject({ code: "invalid_token" });
    expect(await gone).toBe("io server disconnect");
  });

  it("disconnect a socket that never authenticates", async () => {
    const socket = open(sidecar(0).port);
    await next(socket, "connect");
    const error = next(socket, "auth_error");
    const gone = next<string>(socket, "disconnect");
    expect(await error).toMatchObject({ code: "auth_timeout" });
    expect(await gone).toBe("io server disconnect");
  });

  it("answer subscribe_messages for another workspace's conversation with not_found, and join one's own", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const bobsConversation = await createConversation(await createPlatformAccount(bob.workspace.id));
    const alicesConversation = await createConversation(await createPlatformAccount(alice.workspace.id));
    const socket = await client(alice, 0);

    const error = next(socket, "error");
    expect(await emitWithAck(socket, "subscribe_messages", { conversationId: bobsConversation.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await error).toMatchObject({ code: "not_found", event: "subscribe_messages" });
    expect(await emitWithAck(socket, "subscribe_messages", { conversationId: "nope" })).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    expect(await emitWithAck(socket, "subscribe_messages", {})).toEqual({ ok: true, conversationId: null });
    expect(await emitWithAck(socket, "subscribe_messages", { conversationId: alicesConversation.id })).toEqual({
      ok: true,
      conversationId: alicesConversation.id,
    });

    // In both its workspace's and the conversation's room, the socket still gets each event once.
    const seen = collect<WireEvent<"message_status">>(socket, "message_status");
    await withRealtime(getDb(), (_tx, record) =>
      record({
        workspaceId: alice.workspace.id,
        conversationId: alicesConversation.id,
        type: "message_status",
        payload: { messageId: "00000000-0000-4000-8000-000000000002", status: "delivered" },
      }),
    );
    await pause(500);
    expect(seen).toHaveLength(1);
  });

  it("rate-limit a socket that floods events, then disconnect it", async () => {
    const alice = await createAccount();
    const socket = await client(alice, 1);
    const errors = collect<{ code: string }>(socket, "error");
    const gone = next<string>(socket, "disconnect");
    for (let i = 0; i < 60; i++) socket.emit("subscribe_messages", {});
    await pause(300);
    expect(errors[0]).toMatchObject({ code: "rate_limited" });
    // The notice is throttled: twenty refusals did not become twenty messages.
    expect(errors.length).toBeLessThan(5);
    for (let i = 0; i < 400; i++) socket.emit("subscribe_messages", {});
    expect(await gone).toBe("io server disconnect");
  });

  it("mark a conversation read over the socket, updating the database and announcing message_read on every sidecar", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const conversation = await createConversation(await createPlatformAccount(alice.workspace.id), { unreadCount: 2 });
    const incoming = [await createMessage(conversation), await createMessage(conversation)];
    await createMessage(conversation, { direction: "outgoing" });
    const [reader, watcher, outsider] = await Promise.all([client(alice, 0), client(alice, 1), client(bob, 1)]);
    const leaked = collect(outsider, "message_read");

    const announced = next<WireEvent<"message_read">>(watcher, "message_read");
    const ack = await emitWithAck<{ messageIds: string[] }>(reader, "mark_read", { conversationId: conversation.id });
    expect(ack).toMatchObject({ ok: true, conversationId: conversation.id, unreadCount: 0 });
    const event = await announced;
    expect(event).toMatchObject({ conversationId: conversation.id, unreadCount: 0, workspaceId: alice.workspace.id });
    expect([...event.messageIds].sort()).toEqual(incoming.map((message) => message.id).sort());

    const rows = await getDb().select().from(messages).where(eq(messages.conversationId, conversation.id));
    for (const row of rows.filter((message) => message.direction === "incoming")) {
      expect(row.isRead).toBe(true);
      expect(row.readAt).toBeInstanceOf(Date);
    }
    const [after] = await getDb().select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(after?.unreadCount).toBe(0);
    await pause(300);
    expect(leaked).toEqual([]);
  });

  it("answer mark_read for another workspace's message with not_found and change nothing", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const conversation = await createConversation(await createPlatformAccount(bob.workspace.id), { unreadCount: 1 });
    const message = await createMessage(conversation);
    const socket = await client(alice, 0);
    expect(await emitWithAck(socket, "mark_read", { messageId: message.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await emitWithAck(socket, "mark_read", { messageId: message.id, conversationId: conversation.id })).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    const [row] = await getDb().select().from(messages).where(eq(messages.id, message.id));
    expect(row?.isRead).toBe(false);
  });

  it("take a socket out of a workspace's room soon after its user leaves the workspace", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    await addMember(getDb(), { workspaceId: alice.workspace.id, userId: bob.user.id, role: "agent" });
    const watchful = await startRealtimeServer({
      port: 0,
      host: "127.0.0.1",
      databaseUrl: databaseUrl(),
      appUrl: APP_URL,
      membershipRefreshMs: 100,
    });
    try {
      const socket = open(watchful.port, { token: await signRealtimeToken(bob.user, [alice.workspace.id, bob.workspace.id]) });
      expect(await next(socket, "authenticated")).toMatchObject({ workspaceIds: [alice.workspace.id, bob.workspace.id] });
      const seen = collect<WireEvent<"sync_started">>(socket, "sync_started");

      await getDb()
        .delete(memberships)
        .where(and(eq(memberships.workspaceId, alice.workspace.id), eq(memberships.userId, bob.user.id)));
      await pause(400);
      await recordSync(alice.workspace.id, "after-leaving");
      await recordSync(bob.workspace.id, "own");
      await pause(400);
      expect(seen.map((event) => event.syncId)).toEqual(["own"]);
      expect(socket.connected).toBe(true);
    } finally {
      await watchful.close();
    }
  });
});
