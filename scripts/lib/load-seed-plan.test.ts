import { describe, expect, it } from "vitest";
import { apportion, buildSeedPlan, platformOf, SESSION_LENGTH, SESSION_SPAN_MS } from "./load-seed-plan";

const now = new Date("2026-11-21T12:00:00Z");

describe("apportion", () => {
  it("splits exactly, proportionally, with every part at least the minimum", () => {
    const parts = apportion(100, [1, 1, 2], 2);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(parts.every((part) => part >= 2)).toBe(true);
    expect(parts[2]).toBeGreaterThan(parts[0] ?? 0);
  });

  it("refuses a total that cannot give every part its minimum", () => {
    expect(() => apportion(5, [1, 1, 1], 2)).toThrow(/at least 2/);
  });
});

describe("buildSeedPlan", () => {
  const plan = buildSeedPlan({ messages: 100_000, conversations: 2_000, days: 120, now });

  it("holds exactly the asked number of messages and conversations", () => {
    expect(plan).toHaveLength(2_000);
    expect(plan.reduce((sum, row) => sum + row.messages, 0)).toBe(100_000);
  });

  it("is the same plan every time for the same inputs, so a second seed adds nothing", () => {
    expect(buildSeedPlan({ messages: 100_000, conversations: 2_000, days: 120, now })).toEqual(plan);
  });

  it("spreads sizes with a long tail: most threads are short, some regulars are long", () => {
    const sizes = plan.map((row) => row.messages).sort((a, b) => a - b);
    const median = sizes[sizes.length / 2] ?? 0;
    expect(sizes[0]).toBeGreaterThanOrEqual(2);
    expect(sizes[sizes.length - 1]).toBeGreaterThan(4 * median);
  });

  it("keeps every message inside the history window and out of the last half hour", () => {
    const start = now.getTime() - 121 * 86_400_000;
    for (const row of plan) {
      const sessions = Math.ceil(row.messages / SESSION_LENGTH);
      const lastMessageAt = row.firstAt + (sessions - 1) * row.sessionGapMs + SESSION_SPAN_MS;
      expect(row.firstAt).toBeGreaterThanOrEqual(start);
      expect(lastMessageAt).toBeLessThanOrEqual(now.getTime() - 30 * 60_000);
    }
  });

  it("leaves about a fifth of conversations waiting with one to three unread messages", () => {
    const waiting = plan.filter((row) => row.unreadTail > 0);
    expect(waiting.length / plan.length).toBeGreaterThan(0.15);
    expect(waiting.length / plan.length).toBeLessThan(0.25);
    expect(waiting.every((row) => row.unreadTail >= 1 && row.unreadTail <= 3 && row.unreadTail < row.messages)).toBe(true);
  });

  it("mixes platforms 40/35/25", () => {
    const counts = { messenger: 0, instagram: 0, whatsapp: 0 };
    for (let i = 0; i < 20; i++) counts[platformOf(i)]++;
    expect(counts).toEqual({ messenger: 8, instagram: 7, whatsapp: 5 });
  });

  it("refuses fewer than two messages per conversation", () => {
    expect(() => buildSeedPlan({ messages: 10, conversations: 6, days: 1, now })).toThrow(/2 per conversation/);
  });
});
