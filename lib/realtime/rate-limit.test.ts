import { describe, expect, it } from "vitest";
import { DEFAULT_SOCKET_LIMITS, SocketRateLimiter, TokenBucket } from "./rate-limit";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("TokenBucket", () => {
  it("allows a burst, then refills at the sustained rate", () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 40, now: time.now });
    const burst = Array.from({ length: 50 }, () => bucket.take()).filter(Boolean).length;
    expect(burst).toBe(40);
    time.advance(500);
    const refilled = Array.from({ length: 20 }, () => bucket.take()).filter(Boolean).length;
    expect(refilled).toBe(10);
  });

  it("never holds more than its burst, however long it rested", () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 40, now: time.now });
    time.advance(60_000);
    expect(Array.from({ length: 100 }, () => bucket.take()).filter(Boolean)).toHaveLength(40);
  });
});

describe("SocketRateLimiter", () => {
  it("limits past the burst and tells the client at most once a second", () => {
    const time = clock();
    const limiter = new SocketRateLimiter({ ...DEFAULT_SOCKET_LIMITS, now: time.now });
    const verdicts = Array.from({ length: 45 }, () => limiter.check());
    expect(verdicts.slice(0, 40).every((v) => v.action === "allow")).toBe(true);
    expect(verdicts.slice(40)).toEqual([
      { action: "limit", notify: true },
      { action: "limit", notify: false },
      { action: "limit", notify: false },
      { action: "limit", notify: false },
      { action: "limit", notify: false },
    ]);
    time.advance(1_000);
    // 20 tokens came back, then the next refusal is notified again.
    expect(Array.from({ length: 20 }, () => limiter.check()).every((v) => v.action === "allow")).toBe(true);
    expect(limiter.check()).toEqual({ action: "limit", notify: true });
  });

  it("calls persistent flooding abuse, but forgives refusals spread over time", () => {
    const time = clock();
    const options = { ...DEFAULT_SOCKET_LIMITS, abuseThreshold: 10, abuseWindowMs: 10_000, now: time.now };
    const polite = new SocketRateLimiter(options);
    for (let i = 0; i < 40; i++) polite.check();
    // Nine refusals, then the window passes: the count starts over.
    for (let i = 0; i < 9; i++) expect(polite.check().action).toBe("limit");
    time.advance(10_001);
    for (let i = 0; i < 40; i++) expect(polite.check().action).toBe("allow");
    for (let i = 0; i < 9; i++) expect(polite.check().action).toBe("limit");
    const flood = new SocketRateLimiter(options);
    const actions = Array.from({ length: 60 }, () => flood.check().action);
    expect(actions.indexOf("abuse")).toBe(49);
  });
});
