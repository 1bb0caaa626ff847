import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { GET as getEvents } from "@/app/api/realtime/events/route";
import { GET as getToken } from "@/app/api/realtime/token/route";
import { getDb } from "@/db/client";
import { addMember } from "@/db/queries/workspaces";
import { realtimeEvents } from "@/db/schema";
import type { RealtimeEvent } from "@/lib/realtime/events";
import { deleteEventsOlderThan, latestCursor, listEventsSince } from "@/lib/realtime/outbox";
import { closeRealtimePublisher, withRealtime, type RealtimePublisher } from "@/lib/realtime/publish";
import { verifyRealtimeToken } from "@/lib/realtime/token";
import { call } from "@/tests/support/api";
import { createAccount } from "@/tests/factories/accounts";

afterAll(async () => {
  await closeRealtimePublisher();
});

const quiet: RealtimePublisher = { publish: () => undefined };

async function recordSyncs(workspaceId: string, count: number): Promise<RealtimeEvent[]> {
  return withRealtime(
    getDb(),
    async (_tx, record) => {
      const events: RealtimeEvent[] = [];
      for (let i = 0; i < count; i++) {
        events.push(
          await record({ workspaceId, type: "sync_completed", payload: { platformId: "p", syncId: `s${i}`, imported: i } }),
        );
      }
      return events;
    },
    { publisher: quiet },
  );
}

interface EventsBody {
  events: RealtimeEvent[];
  nextCursor: string;
  hasMore: boolean;
}

describe("GET /api/realtime/token", () => {
  it("answers 401 without a signed-in caller", async () => {
    const response = await call(getToken, { path: "/api/realtime/token" });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("mints a five-minute token for the caller's workspaces, with the sidecar URL and the newest cursor they can see", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const [, aliceLast] = await recordSyncs(alice.workspace.id, 2);
    await recordSyncs(bob.workspace.id, 1); // newer, but not Alice's

    const response = await call<{ token: string; url: string; expiresIn: number; cursor: string }>(getToken, {
      path: "/api/realtime/token",
      token: alice.token,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toMatchObject({ url: process.env.REALTIME_URL, expiresIn: 300, cursor: aliceLast?.cursor });
    const check = await verifyRealtimeToken(response.body.token);
    expect(check).toMatchObject({ ok: true, claims: { userId: alice.user.id, workspaceIds: [alice.workspace.id] } });
  });

  it("gives a user without events cursor 0", async () => {
    const carol = await createAccount();
    const response = await call<{ cursor: string }>(getToken, { path: "/api/realtime/token", token: carol.token });
    expect(response.body.cursor).toBe("0");
  });
});

describe("GET /api/realtime/events", () => {
  it("answers 401 without a signed-in caller", async () => {
    expect((await call(getEvents, { path: "/api/realtime/events?after=0" })).status).toBe(401);
  });

  it("answers 400 with the issues for a missing or malformed cursor or limit", async () => {
    const alice = await createAccount();
    for (const query of [
      "",
      "?after=abc",
      "?after=-1",
      "?after=1.5",
      "?after=99999999999999999999",
      "?after=0&limit=0",
      "?after=0&limit=501",
      "?after=0&limit=x",
    ]) {
      const response = await call(getEvents, { path: `/api/realtime/events${query}`, token: alice.token });
      expect(response.status, query).toBe(400);
      expect(response.body, query).toMatchObject({
        error: { code: "validation_failed", details: { issues: expect.any(Array) } },
      });
    }
  });

  it("lists the caller's events after a cursor in order, page by page, and never another workspace's", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const start = await latestCursor(getDb(), { userId: alice.user.id });
    const first = await recordSyncs(alice.workspace.id, 2);
    await recordSyncs(bob.workspace.id, 2);
    const second = await recordSyncs(alice.workspace.id, 1);
    const mine = [...first, ...second];

    const page1 = await call<EventsBody>(getEvents, { path: `/api/realtime/events?after=${start}&limit=2`, token: alice.token });
    expect(page1.status).toBe(200);
    expect(page1.body.events.map((event) => event.cursor)).toEqual(mine.slice(0, 2).map((event) => event.cursor));
    expect(page1.body).toMatchObject({ hasMore: true, nextCursor: mine[1]?.cursor });
    expect(page1.body.events[0]).toEqual({
      cursor: mine[0]?.cursor,
      type: "sync_completed",
      workspaceId: alice.workspace.id,
      conversationId: null,
      createdAt: expect.any(String),
      payload: { platformId: "p", syncId: "s0", imported: 0 },
    });

    const page2 = await call<EventsBody>(getEvents, {
      path: `/api/realtime/events?after=${page1.body.nextCursor}&limit=2`,
      token: alice.token,
    });
    expect(page2.body.events.map((event) => event.cursor)).toEqual([mine[2]?.cursor]);
    expect(page2.body).toMatchObject({ hasMore: false, nextCursor: mine[2]?.cursor });

    const bobs = await call<EventsBody>(getEvents, { path: `/api/realtime/events?after=${start}`, token: bob.token });
    expect(bobs.body.events.every((event) => event.workspaceId === bob.workspace.id)).toBe(true);
    expect(bobs.body.events).toHaveLength(2);

    const empty = await call<EventsBody>(getEvents, {
      path: `/api/realtime/events?after=${mine[2]?.cursor}`,
      token: alice.token,
    });
    expect(empty.body).toEqual({ events: [], nextCursor: mine[2]?.cursor, hasMore: false });
  });

  it("includes a workspace's events for every member of it", async () => {
    const [alice, bob] = await Promise.all([createAccount(), createAccount()]);
    const [event] = await recordSyncs(alice.workspace.id, 1);
    const before = await listEventsSince(getDb(), { userId: bob.user.id, after: "0", limit: 500 });
    expect(before.events.map((e) => e.cursor)).not.toContain(event?.cursor);
    await addMember(getDb(), { workspaceId: alice.workspace.id, userId: bob.user.id, role: "agent" });
    const after = await listEventsSince(getDb(), { userId: bob.user.id, after: "0", limit: 500 });
    expect(after.events.map((e) => e.cursor)).toContain(event?.cursor);
  });
});

describe("the realtime outbox", () => {
  it("records nothing when the transaction rolls back", async () => {
    const alice = await createAccount();
    const published: RealtimeEvent[] = [];
    await expect(
      withRealtime(
        getDb(),
        async (_tx, record) => {
          await record({ workspaceId: alice.workspace.id, type: "platform_disconnected", payload: { platformId: "x" } });
          throw new Error("the change failed");
        },
        { publisher: { publish: (events) => published.push(...events) } },
      ),
    ).rejects.toThrow("the change failed");
    expect(published).toEqual([]);
    const rows = await getDb().select().from(realtimeEvents).where(eq(realtimeEvents.workspaceId, alice.workspace.id));
    expect(rows).toEqual([]);
  });

  it("publishes after commit and survives a publisher that fails", async () => {
    const alice = await createAccount();
    const broken: RealtimePublisher = {
      publish: () => {
        throw new Error("adapter down");
      },
    };
    const result = await withRealtime(
      getDb(),
      async (_tx, record) => {
        await record({ workspaceId: alice.workspace.id, type: "platform_disconnected", payload: { platformId: "x" } });
        return "done";
      },
      { publisher: broken },
    );
    expect(result).toBe("done");
    const page = await listEventsSince(getDb(), { userId: alice.user.id, after: "0", limit: 10 });
    expect(page.events.map((event) => event.type)).toEqual(["platform_disconnected"]);
  });

  it("deletes only events older than the retention cut-off", async () => {
    const alice = await createAccount();
    const [old, recent] = await recordSyncs(alice.workspace.id, 2);
    await getDb()
      .update(realtimeEvents)
      .set({ createdAt: sql`now() - interval '8 days'` })
      .where(eq(realtimeEvents.id, Number(old?.cursor)));
    const removed = await deleteEventsOlderThan(getDb(), { before: new Date(Date.now() - 7 * 24 * 3600 * 1000) });
    expect(removed).toBe(1);
    const page = await listEventsSince(getDb(), { userId: alice.user.id, after: "0", limit: 10 });
    expect(page.events.map((event) => event.cursor)).toEqual([recent?.cursor]);
  });
});
