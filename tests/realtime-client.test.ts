import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as getEvents } from "@/app/api/realtime/events/route";
import { GET as getToken } from "@/app/api/realtime/token/route";
import { getDb } from "@/db/client";
import { RealtimeClient, type RealtimeStatus, type ResyncEvent } from "@/lib/realtime/client";
import type { RealtimeEvent } from "@/lib/realtime/events";
import { closeRealtimePublisher, publishEvents, withRealtime } from "@/lib/realtime/publish";
import { startRealtimeServer, type RealtimeServerHandle } from "@/realtime/server";
import { call } from "@/tests/support/api";
import { createAccount, type TestAccount } from "@/tests/factories/accounts";

// The browser client (lib/realtime/client.ts) against a real sidecar, with its HTTP calls served by
// the route handlers: a dropped connection must lose nothing and replay nothing twice.

const running: { sidecar?: RealtimeServerHandle; client?: RealtimeClient } = {};

afterEach(async () => {
  running.client?.stop();
  await running.sidecar?.close();
  running.client = undefined;
  running.sidecar = undefined;
});

afterAll(async () => {
  await closeRealtimePublisher();
});

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("the test setup provides DATABASE_URL");
  return url;
}

async function startSidecar(port = 0): Promise<RealtimeServerHandle> {
  running.sidecar = await startRealtimeServer({
    port,
    host: "127.0.0.1",
    databaseUrl: databaseUrl(),
    appUrl: "http://localhost:3000",
  });
  return running.sidecar;
}

/** fetch() as the browser would do it, answered by the app's route handlers for `account`. */
function appFetch(account: TestAccount, override?: (path: string) => Response | undefined): typeof fetch {
  return async (input) => {
    const url = new URL(String(input), "http://localhost:3000");
    const overridden = override?.(url.pathname);
    if (overridden) return overridden;
    const handler = url.pathname === "/api/realtime/token" ? getToken : getEvents;
    const response = await call(handler, { path: `${url.pathname}${url.search}`, token: account.token });
    return new Response(response.text, { status: response.status, headers: { "content-type": "application/json" } });
  };
}

function newClient(
  account: TestAccount,
  port: number,
  options: { override?: (path: string) => Response | undefined; maxCatchUpPages?: number } = {},
) {
  running.client = new RealtimeClient({
    fetch: appFetch(account, options.override),
    socketUrl: `http://127.0.0.1:${port}`,
    socketOptions: { transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 200 },
    retryDelayMs: { min: 50, max: 200 },
    maxCatchUpPages: options.maxCatchUpPages,
  });
  return running.client;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function recordSync(workspaceId: string, syncId: string): Promise<RealtimeEvent> {
  return withRealtime(getDb(), (_tx, record) =>
    record({ workspaceId, type: "sync_started", payload: { platformId: "p", syncId } }),
  );
}

describe("the browser realtime client", () => {
  it("has all three events recorded while it was disconnected after reconnecting, in order and once each", async () => {
    const alice = await createAccount();
    const { port } = await startSidecar();
    const client = newClient(alice, port);
    const received: string[] = [];
    const statuses: RealtimeStatus[] = [];
    client.subscribe("sync_started", (event) => received.push(event.syncId));
    client.onStatus((status) => statuses.push(status));
    client.start();
    await until(() => client.getStatus() === "live", "the first connection");

    await recordSync(alice.workspace.id, "before");
    await until(() => received.length === 1, "the live event");

    // The sidecar goes away (a deploy, a crash); three events happen meanwhile.
    await running.sidecar?.close();
    await until(() => client.getStatus() === "reconnecting", "the reconnecting state");
    const missed = [];
    for (const syncId of ["missed-1", "missed-2", "missed-3"]) missed.push(await recordSync(alice.workspace.id, syncId));

    await startSidecar(port);
    await until(() => client.getStatus() === "live" && received.length >= 4, "catch-up after reconnecting");
    expect(received).toEqual(["before", "missed-1", "missed-2", "missed-3"]);

    // A late duplicate of an event already replayed is dropped; the next live event comes through.
    publishEvents([missed[1] as RealtimeEvent]);
    await recordSync(alice.workspace.id, "after");
    await until(() => received.length >= 5, "the next live event");
    await pause(200);
    expect(received).toEqual(["before", "missed-1", "missed-2", "missed-3", "after"]);
    expect(statuses).toEqual(["live", "reconnecting", "live"]);
  });

  it("goes offline when the app says the user is signed out", async () => {
    const alice = await createAccount();
    const { port } = await startSidecar();
    const client = newClient(alice, port, {
      override: () => Response.json({ error: { code: "unauthorized", message: "Sign in." } }, { status: 401 }),
    });
    client.start();
    await until(() => client.getStatus() === "offline", "the offline state");
  });

  it("asks subscribers to resync when it is too far behind to replay everything", async () => {
    const alice = await createAccount();
    const { port } = await startSidecar();
    const client = newClient(alice, port, { maxCatchUpPages: 1 });
    const resyncs: ResyncEvent[] = [];
    let replayed = 0;
    client.subscribe("resync", (event) => resyncs.push(event));
    client.subscribe("sync_completed", () => (replayed += 1));
    client.start();
    await until(() => client.getStatus() === "live", "the first connection");

    await running.sidecar?.close();
    await until(() => client.getStatus() === "reconnecting", "the reconnecting state");
    await withRealtime(
      getDb(),
      async (_tx, record) => {
        for (let i = 0; i < 501; i++) {
          await record({
            workspaceId: alice.workspace.id,
            type: "sync_completed",
            payload: { platformId: "p", syncId: `s${i}`, imported: i },
          });
        }
      },
      { publisher: { publish: () => undefined } },
    );
    await startSidecar(port);
    await until(() => client.getStatus() === "live", "the reconnection");
    expect(resyncs).toEqual([{ reason: "too_far_behind" }]);
    expect(replayed).toBe(500);
  });

  it("marks a conversation read through its socket and hears the announcement", async () => {
    const alice = await createAccount();
    const { createConversation, createMessage, createPlatformAccount } = await import("@/tests/factories/messaging");
    const conversation = await createConversation(await createPlatformAccount(alice.workspace.id), { unreadCount: 1 });
    const message = await createMessage(conversation);
    const { port } = await startSidecar();
    const client = newClient(alice, port);
    const reads: string[][] = [];
    client.subscribe("message_read", (event) => reads.push(event.messageIds));
    client.start();
    await until(() => client.getStatus() === "live", "the first connection");

    expect(await client.subscribeMessages(conversation.id)).toEqual({ ok: true, conversationId: conversation.id });
    expect(await client.markRead({ conversationId: conversation.id })).toEqual({
      ok: true,
      conversationId: conversation.id,
      messageIds: [message.id],
      unreadCount: 0,
    });
    await until(() => reads.length === 1, "message_read");
    expect(reads).toEqual([[message.id]]);
  });
});
