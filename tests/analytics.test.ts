import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { InngestTestEngine } from "@inngest/test";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as daily } from "@/app/api/analytics/daily/route";
import { GET as exportRoute } from "@/app/api/analytics/export/route";
import { GET as hours } from "@/app/api/analytics/hours/route";
import { GET as platformRoute } from "@/app/api/analytics/platform/route";
import { GET as responseTimes } from "@/app/api/analytics/response-times/route";
import { GET as stats } from "@/app/api/analytics/stats/route";
import { getDb } from "@/db/client";
import { rollUpAnalytics } from "@/inngest/functions/roll-up-analytics";
import { analyticsDaily, messages, type Message, type Platform } from "@/db/schema";
import { readDayRows, type DayRow } from "@/lib/analytics/metrics";
import { eachDay } from "@/lib/analytics/range";
import { rollUpDays } from "@/lib/analytics/rollup";
import { requestDueRollUps } from "@/lib/analytics/rollup-requests";
import { inlineJobs } from "@/lib/jobs";
import { createAccount, type TestAccount } from "./factories/accounts";
import { createConversation, createMessage, createPlatformAccount } from "./factories/messaging";
import { call } from "./support/api";

// Every figure below is worked out by hand from the instants in `seedWorkspace`. Offsets that matter:
// Europe/Berlin is UTC+2 until 2026-10-25T01:00Z and UTC+1 after, so its 25 October runs
// 2026-10-24T22:00Z–2026-10-25T23:00Z (25 h). America/New_York is UTC−4 until 2026-11-01T06:00Z and
// UTC−5 after, so its 1 November runs 2026-11-01T04:00Z–2026-11-02T05:00Z (25 h).

type Handler = typeof daily;

const FROM = "2026-10-23";
const TO = "2026-11-02";

interface Seeded {
  account: TestAccount;
}

/**
 * Conversations (platform) and their messages, UTC:
 *  A (messenger): a1 in 10-24 21:30, a2 in 10-24 22:10, o1 out 10-24 22:20, a3 in 10-25 22:30,
 *                 o3 out FAILED 10-25 23:00 (never a reply), o2 out 10-26 08:00
 *  B (whatsapp):  b1 in 11-01 04:30, b2 in 11-02 04:30, ob out 11-02 04:40
 *  C (instagram): c0 in 10-20 10:00, c1 out 10-20 10:05 (both before the range), c2 in 10-23 12:00,
 *                 c3 in 10-23 12:01, c4 out (native app) 10-23 12:10, c5 in 11-02 20:00, c6 out 11-03 09:00 (after)
 *  D (instagram, archived): d1 in 10-28 12:00, d2 in 10-28 12:05 (never answered)
 *  F (whatsapp):  f0 in 10-21 12:00 (before the range), f1 in 10-27 12:00, f2 out 10-27 12:30
 * Unread counts: B 2, C 1, D 5 (archived, so not counted).
 */
async function seedWorkspace(timezone: string): Promise<Seeded> {
  const account = await createAccount({ timezone });
  const workspaceId = account.workspace.id;
  const instagram = await createPlatformAccount(workspaceId, { platform: "instagram" });
  const messenger = await createPlatformAccount(workspaceId, { platform: "messenger" });
  const whatsapp = await createPlatformAccount(workspaceId, { platform: "whatsapp" });
  const a = await createConversation(messenger);
  const b = await createConversation(whatsapp, { unreadCount: 2 });
  const c = await createConversation(instagram, { unreadCount: 1 });
  const d = await createConversation(instagram, { unreadCount: 5, isArchived: true });
  const f = await createConversation(whatsapp);
  const at = (iso: string) => new Date(`${iso}Z`);
  const seed: [typeof a, "incoming" | "outgoing", string, Partial<Message>?][] = [
    [a, "incoming", "2026-10-24T21:30:00"],
    [a, "incoming", "2026-10-24T22:10:00"],
    [a, "outgoing", "2026-10-24T22:20:00"],
    [a, "incoming", "2026-10-25T22:30:00"],
    [a, "outgoing", "2026-10-25T23:00:00", { status: "failed", externalId: null }],
    [a, "outgoing", "2026-10-26T08:00:00"],
    [b, "incoming", "2026-11-01T04:30:00"],
    [b, "incoming", "2026-11-02T04:30:00"],
    [b, "outgoing", "2026-11-02T04:40:00"],
    [c, "incoming", "2026-10-20T10:00:00"],
    [c, "outgoing", "2026-10-20T10:05:00"],
    [c, "incoming", "2026-10-23T12:00:00"],
    [c, "incoming", "2026-10-23T12:01:00"],
    [c, "outgoing", "2026-10-23T12:10:00", { sentFrom: "native" }],
    [c, "incoming", "2026-11-02T20:00:00"],
    [c, "outgoing", "2026-11-03T09:00:00"],
    [d, "incoming", "2026-10-28T12:00:00"],
    [d, "incoming", "2026-10-28T12:05:00"],
    [f, "incoming", "2026-10-21T12:00:00"],
    [f, "incoming", "2026-10-27T12:00:00"],
    [f, "outgoing", "2026-10-27T12:30:00"],
  ];
  for (const [conversation, direction, instant, overrides] of seed) {
    await createMessage(conversation, { direction, sentAt: at(instant), ...overrides });
  }
  return { account };
}

type Counts = [incoming: number, outgoing: number, conversations: number, newConversations: number];
type Expected = Record<string, Partial<Record<Platform, Counts>>>;

// Only the non-zero cells; every other (day, platform) of 23 Oct – 2 Nov must be all zeros.
const berlinDays: Expected = {
  "2026-10-23": { instagram: [2, 1, 1, 0] },
  "2026-10-24": { messenger: [1, 0, 1, 1] }, // a1 at 23:30 CEST
  "2026-10-25": { messenger: [2, 1, 1, 0] }, // a2 00:10 CEST, o1 00:20 CEST, a3 23:30 CET: the 25-hour day
  "2026-10-26": { messenger: [0, 1, 1, 0] }, // o2; the failed o3 (00:00 CET) is not a message that counts
  "2026-10-27": { whatsapp: [1, 1, 1, 0] },
  "2026-10-28": { instagram: [2, 0, 1, 1] },
  "2026-11-01": { whatsapp: [1, 0, 1, 1] },
  "2026-11-02": { whatsapp: [1, 1, 1, 0], instagram: [1, 0, 1, 0] },
};

const newYorkDays: Expected = {
  "2026-10-23": { instagram: [2, 1, 1, 0] },
  "2026-10-24": { messenger: [2, 1, 1, 1] }, // a1 17:30, a2 18:10, o1 18:20 EDT
  "2026-10-25": { messenger: [1, 0, 1, 0] }, // a3 18:30 EDT; o3 failed
  "2026-10-26": { messenger: [0, 1, 1, 0] }, // o2 04:00 EDT
  "2026-10-27": { whatsapp: [1, 1, 1, 0] },
  "2026-10-28": { instagram: [2, 0, 1, 1] },
  "2026-11-01": { whatsapp: [2, 1, 1, 1] }, // b1 00:30 EDT, b2 23:30 EST, ob 23:40 EST: the 25-hour day
  "2026-11-02": { instagram: [1, 0, 1, 0] }, // c5 15:00 EST
};

const PLATFORMS: Platform[] = ["instagram", "messenger", "whatsapp"];

function expectedSeries(expected: Expected, platforms: Platform[] = PLATFORMS) {
  return eachDay({ from: FROM, to: TO }).flatMap((date) =>
    platforms.map((platform) => {
      const [incoming, outgoing, conversations] = expected[date]?.[platform] ?? [0, 0, 0, 0];
      return { date, platform, incoming, outgoing, conversations };
    }),
  );
}

/** The hand-computed new-conversation counts, as [date, platform, count] for every cell. */
function expectedNew(expected: Expected) {
  return eachDay({ from: FROM, to: TO }).flatMap((date) =>
    PLATFORMS.map((platform) => [date, platform, expected[date]?.[platform]?.[3] ?? 0]),
  );
}

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(samples: number[], fraction: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((x, y) => x - y);
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? 0;
  const high = sorted[upper] ?? 0;
  return low + (high - low) * (position - lower);
}

function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

function get<T = Record<string, unknown>>(handler: Handler, account: TestAccount, query: Record<string, string>) {
  const params = new URLSearchParams(query);
  return call<T>(handler, { token: account.token, path: `/api/analytics/x?${params}` });
}

// ---------------------------------------------------------------------------------------------
// The independent computation: all of a workspace's messages in JS, days cut with Intl.

const localDate = (instant: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);

async function directDayRows(workspaceId: string, timeZone: string, from: string, to: string): Promise<DayRow[]> {
  const all = await getDb().select().from(messages).where(eq(messages.workspaceId, workspaceId));
  const countedMessages = all.filter((m) => m.direction === "incoming" || m.status !== "failed");
  const byConversation = new Map<string, Message[]>();
  for (const m of countedMessages) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m]);

  const cells = new Map<string, DayRow & { conversationIds: Set<string> }>();
  const cell = (date: string, platform: Platform) => {
    const key = `${date}|${platform}`;
    let entry = cells.get(key);
    if (!entry) {
      entry = {
        date,
        platform,
        incoming: 0,
        outgoing: 0,
        conversations: 0,
        newConversations: 0,
        firstResponseSeconds: [],
        replySeconds: [],
        conversationIds: new Set(),
      };
      cells.set(key, entry);
    }
    return entry;
  };
  for (const sequence of byConversation.values()) {
    sequence.sort((x, y) => x.sentAt.getTime() - y.sentAt.getTime() || (x.id < y.id ? -1 : 1));
    sequence.forEach((m, index) => {
      const entry = cell(localDate(m.sentAt, timeZone), m.platform);
      entry[m.direction] += 1;
      entry.conversationIds.add(m.conversationId);
      if (index === 0) entry.newConversations += 1;
      if (m.direction !== "incoming") return;
      const reply = sequence.slice(index + 1).find((later) => later.direction === "outgoing");
      if (!reply) return;
      const wait = (reply.sentAt.getTime() - m.sentAt.getTime()) / 1000;
      entry.replySeconds.push(wait);
      if (index === 0 || sequence[index - 1]?.direction === "outgoing") entry.firstResponseSeconds.push(wait);
    });
  }
  return eachDay({ from, to }).flatMap((date) =>
    PLATFORMS.map((platform) => {
      const { conversationIds, ...entry } = cell(date, platform);
      return {
        ...entry,
        conversations: conversationIds.size,
        firstResponseSeconds: [...entry.firstResponseSeconds].sort((x, y) => x - y),
        replySeconds: [...entry.replySeconds].sort((x, y) => x - y),
      };
    }),
  );
}

function liveRows(account: TestAccount, timeZone: string, from = FROM, to = TO) {
  return readDayRows(getDb(), {
    viewer: { userId: account.user.id },
    workspaceId: account.workspace.id,
    tz: timeZone,
    from,
    to,
    platform: null,
    useRollups: false,
    samples: true,
  });
}

async function storedRollups(workspaceId: string): Promise<DayRow[]> {
  const stored = await getDb()
    .select()
    .from(analyticsDaily)
    .where(eq(analyticsDaily.workspaceId, workspaceId))
    .orderBy(analyticsDaily.date, analyticsDaily.platform);
  return stored.map((row) => ({
    date: row.date,
    platform: row.platform,
    incoming: row.incoming,
    outgoing: row.outgoing,
    conversations: row.conversations,
    newConversations: row.newConversations,
    firstResponseSeconds: row.firstResponseSeconds,
    replySeconds: row.replySeconds,
  }));
}

// ---------------------------------------------------------------------------------------------

describe("analytics of a hand-seeded workspace", () => {
  let berlin: Seeded;

  beforeAll(async () => {
    berlin = await seedWorkspace("Europe/Berlin");
  });

  it("counts incoming, outgoing, active and new conversations per Berlin day, with 25 October 25 hours long", async () => {
    const result = await get<{ days: unknown[]; timezone: string }>(daily, berlin.account, { from: FROM, to: TO });
    expect(result.status).toBe(200);
    expect(result.body.timezone).toBe("Europe/Berlin");
    expect(result.body.days).toEqual(expectedSeries(berlinDays));
    const live = await liveRows(berlin.account, "Europe/Berlin");
    expect(live.map((row) => [row.date, row.platform, row.newConversations])).toEqual(expectedNew(berlinDays));
  });

  it("cuts days at New York midnight when asked for America/New_York, with 1 November 25 hours long", async () => {
    const result = await get<{ days: unknown[] }>(daily, berlin.account, { from: FROM, to: TO, tz: "America/New_York" });
    expect(result.status).toBe(200);
    expect(result.body.days).toEqual(expectedSeries(newYorkDays));
    const live = await liveRows(berlin.account, "America/New_York");
    expect(live.map((row) => [row.date, row.platform, row.newConversations])).toEqual(expectedNew(newYorkDays));
  });

  it("lists every day of the range for every platform, zeros included", async () => {
    const result = await get<{ days: { date: string; incoming: number; outgoing: number }[] }>(daily, berlin.account, {
      from: "2026-10-29",
      to: "2026-10-31",
    });
    expect(result.body.days).toHaveLength(9);
    expect(result.body.days.map((day) => day.date)).toEqual([
      ...Array(3).fill("2026-10-29"),
      ...Array(3).fill("2026-10-30"),
      ...Array(3).fill("2026-10-31"),
    ]);
    expect(result.body.days.every((day) => day.incoming === 0 && day.outgoing === 0)).toBe(true);
  });

  it("restricts the series to one platform when asked", async () => {
    const result = await get<{ days: unknown[] }>(daily, berlin.account, { from: FROM, to: TO, platform: "whatsapp" });
    expect(result.body.days).toEqual(expectedSeries(berlinDays, ["whatsapp"]));
    const times = await get<{ reply: { p50: number; samples: number } }>(responseTimes, berlin.account, {
      from: FROM,
      to: TO,
      platform: "whatsapp",
    });
    // f1 → f2 1800 s, b1 → ob 87000 s, b2 → ob 600 s.
    expect(times.body.reply).toEqual({ p50: 1800, p90: percentile([600, 1800, 87000], 0.9), samples: 3 });
  });

  it("measures first response per wait and reply time per customer message, ignoring failed sends and counting native replies", async () => {
    const result = await get<Record<string, unknown>>(responseTimes, berlin.account, { from: FROM, to: TO });
    expect(result.status).toBe(200);
    // Waits: a1 3000 s, a3 34200 s (o3 failed, o2 answers), b1 87000 s, c2 600 s (c1 before the range
    // ended the previous wait), c5 46800 s (answered after the range). f1 opens no wait: f0 was unanswered.
    const first = [3000, 34200, 87000, 600, 46800];
    // Every answered customer message: those plus a2 600, b2 600, c3 540, f1 1800. d1/d2 are unanswered.
    const reply = [...first, 600, 600, 540, 1800];
    expect(result.body.firstResponse).toEqual({ p50: 34200, p90: 70920, samples: 5 });
    expect(percentile(first, 0.9)).toBe(70920);
    expect(result.body.reply).toEqual({ p50: 1800, p90: 54840, samples: 9 });
    expect(percentile(reply, 0.5)).toBe(1800);
    expect(result.body.byPlatform).toEqual([
      {
        platform: "instagram",
        firstResponse: { p50: percentile([600, 46800], 0.5), p90: percentile([600, 46800], 0.9), samples: 2 },
        reply: { p50: 600, p90: percentile([540, 600, 46800], 0.9), samples: 3 },
      },
      {
        platform: "messenger",
        firstResponse: { p50: 18600, p90: 31080, samples: 2 },
        reply: { p50: 3000, p90: 27960, samples: 3 },
      },
      {
        platform: "whatsapp",
        firstResponse: { p50: 87000, p90: 87000, samples: 1 },
        reply: { p50: 1800, p90: percentile([600, 1800, 87000], 0.9), samples: 3 },
      },
    ]);
  });

  it("attributes response samples to the local day of the customer's message", async () => {
    // Berlin 25 Oct holds a2 (600 s, no new wait) and a3 (34200 s, a new wait).
    const berlinDay = await get(responseTimes, berlin.account, { from: "2026-10-25", to: "2026-10-25" });
    expect(berlinDay.body.firstResponse).toEqual({ p50: 34200, p90: 34200, samples: 1 });
    expect(berlinDay.body.reply).toEqual({ p50: 17400, p90: 30840, samples: 2 });
    // In New York a2 belongs to 24 Oct, so 25 Oct holds a3 alone.
    const newYorkDay = await get(responseTimes, berlin.account, { from: "2026-10-25", to: "2026-10-25", tz: "America/New_York" });
    expect(newYorkDay.body.reply).toEqual({ p50: 34200, p90: 34200, samples: 1 });
  });

  it("answers null percentiles when no customer message in the range was answered", async () => {
    const result = await get(responseTimes, berlin.account, { from: "2026-10-28", to: "2026-10-31" });
    expect(result.body).toMatchObject({
      firstResponse: { p50: null, p90: null, samples: 0 },
      reply: { p50: null, p90: null, samples: 0 },
    });
  });

  it("breaks the range down per platform with distinct conversations and each platform's share of messages", async () => {
    const result = await get<{ platforms: unknown[]; totals: unknown }>(platformRoute, berlin.account, { from: FROM, to: TO });
    expect(result.status).toBe(200);
    expect(result.body.platforms).toEqual([
      { platform: "instagram", incoming: 5, outgoing: 1, conversations: 2, newConversations: 1, share: 0.375 },
      { platform: "messenger", incoming: 3, outgoing: 2, conversations: 1, newConversations: 1, share: 0.3125 },
      { platform: "whatsapp", incoming: 3, outgoing: 2, conversations: 2, newConversations: 1, share: 0.3125 },
    ]);
    expect(result.body.totals).toEqual({ incoming: 11, outgoing: 5, conversations: 5, newConversations: 3 });
  });

  it("counts messages per local weekday and hour for the busiest-hours heatmap", async () => {
    const result = await get<{ hours: { weekday: number; hour: number; incoming: number; outgoing: number }[] }>(
      hours,
      berlin.account,
      { from: FROM, to: TO },
    );
    expect(result.body.hours).toHaveLength(168);
    const cell = (weekday: number, hour: number) => result.body.hours.find((h) => h.weekday === weekday && h.hour === hour);
    // Sunday 25 Oct: a2 at 00:10 CEST and o1 at 00:20 CEST; a3 at 23:30 CET. Saturday 24 Oct: a1 at 23:30 CEST.
    expect(cell(7, 0)).toEqual({ weekday: 7, hour: 0, incoming: 1, outgoing: 1 });
    expect(cell(7, 23)).toEqual({ weekday: 7, hour: 23, incoming: 1, outgoing: 0 });
    expect(cell(6, 23)).toEqual({ weekday: 6, hour: 23, incoming: 1, outgoing: 0 });
    // Friday 23 Oct 14:00 CEST: c2, c3 in, c4 out.
    expect(cell(5, 14)).toEqual({ weekday: 5, hour: 14, incoming: 2, outgoing: 1 });
    const sum = (key: "incoming" | "outgoing") => result.body.hours.reduce((total, h) => total + h[key], 0);
    expect([sum("incoming"), sum("outgoing")]).toEqual([11, 5]);
  });

  it("matches the direct computation from messages in both time zones", async () => {
    for (const timeZone of ["Europe/Berlin", "America/New_York"]) {
      expect(await liveRows(berlin.account, timeZone)).toEqual(
        await directDayRows(berlin.account.workspace.id, timeZone, FROM, TO),
      );
    }
  });
});

describe("today's stats", () => {
  it("compares today with yesterday and counts unread messages of open conversations only", async () => {
    const account = await createAccount({ timezone: "UTC" });
    const messenger = await createPlatformAccount(account.workspace.id, { platform: "messenger" });
    const instagram = await createPlatformAccount(account.workspace.id, { platform: "instagram" });
    const startOfToday = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const minutes = (n: number) => new Date(startOfToday.getTime() + n * 60_000);
    const open = await createConversation(messenger, { unreadCount: 3 });
    const archived = await createConversation(messenger, { unreadCount: 4, isArchived: true });
    const older = await createConversation(instagram, { unreadCount: 1 });
    await createMessage(older, { direction: "incoming", sentAt: minutes(-60 * 24 * 3) }); // three days ago
    await createMessage(older, { direction: "incoming", sentAt: minutes(-60) }); // yesterday 23:00
    await createMessage(older, { direction: "outgoing", sentAt: minutes(-50) });
    await createMessage(archived, { direction: "incoming", sentAt: minutes(-30) }); // yesterday 23:30, its first message
    await createMessage(open, { direction: "incoming", sentAt: minutes(1) }); // today, its first message
    await createMessage(open, { direction: "incoming", sentAt: minutes(2) });
    await createMessage(older, { direction: "incoming", sentAt: minutes(3) });

    const result = await get<Record<string, unknown>>(stats, account, {});
    expect(result.status).toBe(200);
    expect(result.body.today).toEqual({ incoming: 3, outgoing: 0, activeConversations: 2, newConversations: 1, unread: 4 });
    expect(result.body.yesterday).toEqual({ incoming: 2, outgoing: 1, activeConversations: 2, newConversations: 1 });
    expect(result.body.byPlatform).toEqual([
      {
        platform: "instagram",
        incoming: 1,
        outgoing: 0,
        activeConversations: 1,
        newConversations: 0,
        unread: 1,
        yesterday: { incoming: 1, outgoing: 1, activeConversations: 1, newConversations: 0 },
      },
      {
        platform: "messenger",
        incoming: 2,
        outgoing: 0,
        activeConversations: 1,
        newConversations: 1,
        unread: 3,
        yesterday: { incoming: 1, outgoing: 0, activeConversations: 1, newConversations: 1 },
      },
      {
        platform: "whatsapp",
        incoming: 0,
        outgoing: 0,
        activeConversations: 0,
        newConversations: 0,
        unread: 0,
        yesterday: { incoming: 0, outgoing: 0, activeConversations: 0, newConversations: 0 },
      },
    ]);
    const onlyInstagram = await get<{ today: { unread: number; incoming: number } }>(stats, account, { platform: "instagram" });
    expect(onlyInstagram.body.today).toMatchObject({ unread: 1, incoming: 1 });
  });
});

describe("roll-ups", () => {
  it("rolls closed days up into analytics_daily exactly as the direct computation from messages has them", async () => {
    const { account } = await seedWorkspace("Europe/Berlin");
    const result = await rollUpDays(getDb(), { workspaceId: account.workspace.id, from: FROM, to: TO });
    expect(result).toEqual({ days: 11, from: FROM, to: TO, timezone: "Europe/Berlin" });
    const stored = await storedRollups(account.workspace.id);
    expect(stored).toHaveLength(33);
    expect(stored).toEqual(await directDayRows(account.workspace.id, "Europe/Berlin", FROM, TO));
    // And the hand-computed samples of the 25-hour day: a2 (600 s) and a3 (34200 s, a new wait).
    expect(stored.find((row) => row.date === "2026-10-25" && row.platform === "messenger")).toMatchObject({
      firstResponseSeconds: [34200],
      replySeconds: [600, 34200],
    });
  });

  it("serves closed days from the roll-up, with the same answers as the live computation", async () => {
    const { account } = await seedWorkspace("Europe/Berlin");
    const endpoints = [daily, platformRoute, responseTimes];
    const query = { from: FROM, to: TO };
    const live = await Promise.all(endpoints.map((handler) => get(handler, account, query)));
    await rollUpDays(getDb(), { workspaceId: account.workspace.id, from: FROM, to: TO });
    const rolled = await Promise.all(endpoints.map((handler) => get(handler, account, query)));
    expect(rolled.map((r) => r.body)).toEqual(live.map((r) => r.body));

    // Proof that the roll-up is what is read: a doctored roll-up row shows through …
    await getDb()
      .update(analyticsDaily)
      .set({ incoming: 99 })
      .where(
        and(
          eq(analyticsDaily.workspaceId, account.workspace.id),
          eq(analyticsDaily.date, "2026-10-27"),
          eq(analyticsDaily.platform, "whatsapp"),
        ),
      );
    const doctored = await get<{ days: { date: string; platform: string; incoming: number }[] }>(daily, account, query);
    expect(doctored.body.days.find((d) => d.date === "2026-10-27" && d.platform === "whatsapp")?.incoming).toBe(99);
    // … a request in another zone ignores roll-ups and computes live …
    const elsewhere = await get<{ days: unknown[] }>(daily, account, { ...query, tz: "America/New_York" });
    expect(elsewhere.body.days).toEqual(expectedSeries(newYorkDays));
    // … and rolling up again restores the truth.
    await rollUpDays(getDb(), { workspaceId: account.workspace.id, from: "2026-10-27", to: "2026-10-27" });
    expect((await get(daily, account, query)).body).toEqual(live[0]?.body);
  });

  it("is idempotent, and never rolls up today or later", async () => {
    const { account } = await seedWorkspace("Europe/Berlin");
    const db = getDb();
    const now = new Date("2026-11-01T12:00:00Z");
    const first = await rollUpDays(db, { workspaceId: account.workspace.id, from: FROM, to: TO, now });
    expect(first).toMatchObject({ days: 9, to: "2026-10-31" });
    const before = await storedRollups(account.workspace.id);
    await rollUpDays(db, { workspaceId: account.workspace.id, from: FROM, to: TO, now });
    expect(await storedRollups(account.workspace.id)).toEqual(before);
    expect(before.map((row) => row.date)).not.toContain("2026-11-01");
    expect(await rollUpDays(db, { workspaceId: account.workspace.id, from: "2026-11-01", to: "2026-11-05", now })).toMatchObject({
      days: 0,
    });
    await expect(
      rollUpDays(db, { workspaceId: account.workspace.id, from: FROM, to: TO, timezone: "America/New_York" }),
    ).rejects.toThrow(/workspace's zone/);
  });

  it("rolls up each workspace's last three closed days once its local midnight has passed, and only then", async () => {
    const { account } = await seedWorkspace("Europe/Berlin");
    const jobs = await inlineJobs();
    // 00:30 in Berlin on 28 October: 27 October has just closed.
    const justAfterMidnight = new Date("2026-10-27T23:30:00Z");
    await jobs.idle();
    expect(await requestDueRollUps(getDb(), new Date("2026-10-27T22:30:00Z"))).toContain(account.workspace.id);
    await jobs.idle();
    expect([...new Set((await storedRollups(account.workspace.id)).map((row) => row.date))]).toEqual([
      "2026-10-24",
      "2026-10-25",
      "2026-10-26",
    ]);
    expect(await requestDueRollUps(getDb(), new Date("2026-10-27T22:50:00Z"))).not.toContain(account.workspace.id);
    expect(await requestDueRollUps(getDb(), justAfterMidnight)).toContain(account.workspace.id);
    await jobs.idle();
    const stored = await storedRollups(account.workspace.id);
    expect([...new Set(stored.map((row) => row.date))]).toEqual(["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]);
    expect(stored).toEqual(await directDayRows(account.workspace.id, "Europe/Berlin", "2026-10-24", "2026-10-27"));
    // A workspace without recent messages is left alone.
    expect(await requestDueRollUps(getDb(), new Date("2026-12-27T23:30:00Z"))).not.toContain(account.workspace.id);
  });

  it("rolls up a requested range through the Inngest function as well", async () => {
    const { account } = await seedWorkspace("Europe/Berlin");
    const event = {
      name: "analytics/rollup.requested" as const,
      data: { workspaceId: account.workspace.id, from: FROM, to: TO, timezone: "Europe/Berlin" },
    };
    const run = await new InngestTestEngine({ function: rollUpAnalytics, events: [event] }).execute();
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ days: 11, from: FROM, to: TO, timezone: "Europe/Berlin" });
    expect(await storedRollups(account.workspace.id)).toEqual(
      await directDayRows(account.workspace.id, "Europe/Berlin", FROM, TO),
    );
  });

  it("agrees with the direct computation on random conversations, live and rolled up, in both zones", async () => {
    const platformOf: Platform[] = ["instagram", "messenger", "whatsapp"];
    const start = Date.parse("2026-10-22T00:00:00Z");
    const span = 14 * 24 * 3600 * 1000;
    const message = fc.record({
      conversation: fc.integer({ min: 0, max: 5 }),
      direction: fc.constantFrom("incoming" as const, "outgoing" as const),
      failed: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      // Minute resolution so equal instants (ties) happen too.
      offset: fc.integer({ min: 0, max: span / 60_000 }).map((m) => m * 60_000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 60 }), async (generated) => {
        const account = await createAccount({ timezone: "America/New_York" });
        const accounts = await Promise.all(
          platformOf.map((platform) => createPlatformAccount(account.workspace.id, { platform })),
        );
        const conversations = await Promise.all(Array.from({ length: 6 }, (_, i) => createConversation(itemAt(accounts, i % 3))));
        await getDb()
          .insert(messages)
          .values(
            generated.map((m) => {
              const conversation = itemAt(conversations, m.conversation);
              return {
                id: randomUUID(),
                workspaceId: account.workspace.id,
                conversationId: conversation.id,
                platformAccountId: conversation.platformAccountId,
                platform: conversation.platform,
                externalId: randomUUID(),
                direction: m.direction,
                type: "text" as const,
                status: m.direction === "outgoing" ? (m.failed ? ("failed" as const) : ("sent" as const)) : ("received" as const),
                sentAt: new Date(start + m.offset),
              };
            }),
          );
        const from = "2026-10-24";
        const to = "2026-11-03";
        for (const timeZone of ["America/New_York", "Europe/Berlin"]) {
          expect(await liveRows(account, timeZone, from, to)).toEqual(
            await directDayRows(account.workspace.id, timeZone, from, to),
          );
        }
        await rollUpDays(getDb(), { workspaceId: account.workspace.id, from, to });
        const direct = await directDayRows(account.workspace.id, "America/New_York", from, to);
        expect(await storedRollups(account.workspace.id)).toEqual(direct);
      }),
      { numRuns: 15 },
    );
  });
});

describe("the analytics API's guard rails", () => {
  const endpoints: [string, Handler][] = [
    ["stats", stats],
    ["daily", daily],
    ["platform", platformRoute],
    ["response-times", responseTimes],
    ["hours", hours],
  ];

  it("answers 401 without a token", async () => {
    for (const [, handler] of [...endpoints, ["export", exportRoute] as [string, Handler]]) {
      const result = await call(handler, { path: "/api/analytics/x?format=csv" });
      expect(result.status).toBe(401);
      expect(result.body).toMatchObject({ error: { code: "unauthorized" } });
    }
  });

  it("answers 404 for another workspace's id and never its data", async () => {
    const owner = await seedWorkspace("UTC");
    const stranger = await createAccount();
    for (const [, handler] of [...endpoints, ["export", exportRoute] as [string, Handler]]) {
      const result = await get(handler, stranger, { workspaceId: owner.account.workspace.id, format: "csv", from: FROM, to: TO });
      expect(result.status).toBe(404);
      expect(result.body).toMatchObject({ error: { code: "not_found" } });
    }
    // Their own workspace answers, empty.
    const own = await get<{ totals: { incoming: number } }>(platformRoute, stranger, { from: FROM, to: TO });
    expect(own.body.totals.incoming).toBe(0);
  });

  it.each([
    [{ from: "2026-02-30", to: "2026-03-01" }, "from"],
    [{ from: "yesterday" }, "from"],
    [{ from: "2026-10-01", to: "2026-9-30" }, "to"],
    [{ from: "2026-10-02", to: "2026-10-01" }, "from"],
    [{ from: "2025-01-01", to: "2026-01-02" }, "to"],
    [{ tz: "Mars/Olympus_Mons" }, "tz"],
    [{ tz: "+05:00" }, "tz"],
    [{ tz: "EST" }, "tz"],
    [{ platform: "telegram" }, "platform"],
    [{ workspaceId: "not-a-uuid" }, "workspaceId"],
  ])("answers 400 for %j, naming the parameter", async (query, path) => {
    const account = await createAccount();
    for (const [, handler] of endpoints) {
      const result = await get<{ error: { code: string; details: { issues: { path: string }[] } } }>(handler, account, query);
      expect(result.status).toBe(400);
      expect(result.body.error.code).toBe("validation_failed");
      expect(result.body.error.details.issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it("accepts a range of exactly 366 days", async () => {
    const account = await createAccount();
    const result = await get<{ days: unknown[] }>(daily, account, { from: "2024-01-01", to: "2024-12-31" });
    expect(result.status).toBe(200);
    expect(result.body.days).toHaveLength(366 * 3);
  });

  it("defaults to the last 30 days in the workspace's zone", async () => {
    const account = await createAccount({ timezone: "Asia/Tokyo" });
    const result = await get<{ from: string; to: string; timezone: string; days: unknown[] }>(daily, account, {});
    expect(result.body.timezone).toBe("Asia/Tokyo");
    expect(result.body.days).toHaveLength(90);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
    expect(result.body.to).toBe(today);
  });

  it("keeps the time zone check honest against Postgres for zones Intl knows", async () => {
    const [row] = (await getDb().execute(sql`select now() at time zone 'America/Argentina/Buenos_Aires' as t`)).rows;
    expect(row).toBeDefined();
    const account = await createAccount();
    const result = await get(daily, account, { tz: "America/Argentina/Buenos_Aires", from: FROM, to: FROM });
    expect(result.status).toBe(200);
  });
});
