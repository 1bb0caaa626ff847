import { describe, expect, it } from "vitest";
import type { RssSummary } from "./soak-rss";
import { SOAK_BOUNDS, soakVerdict, type StorageCounts } from "./soak-verdict";

const steadyMemory: RssSummary = { samples: 120, startMb: 220, endMb: 231, growthMb: 11, peakMb: 240 };
const exactlyOnce: StorageCounts = {
  eventsStored: 3000,
  eventsProcessed: 3000,
  messagesStored: 3000,
  distinctMessages: 3000,
  eventsWithoutMessage: 0,
};

describe("soakVerdict", () => {
  it("passes when every webhook was acknowledged and stored once and memory levelled off", () => {
    expect(soakVerdict({ sent: 3000, acked: 3000 }, exactlyOnce, steadyMemory)).toEqual({
      ok: true,
      lost: 0,
      duplicates: 0,
      problems: [],
    });
  });

  it("counts messages that never arrived as lost", () => {
    const verdict = soakVerdict(
      { sent: 3000, acked: 3000 },
      { ...exactlyOnce, eventsStored: 2990, eventsProcessed: 2990, messagesStored: 2990, distinctMessages: 2990 },
      steadyMemory,
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.lost).toBe(10);
    expect(verdict.problems).toContain("10 acknowledged webhooks were not stored");
  });

  it("counts a message stored twice as a duplicate", () => {
    const verdict = soakVerdict({ sent: 3000, acked: 3000 }, { ...exactlyOnce, messagesStored: 3002 }, steadyMemory);
    expect(verdict.duplicates).toBe(2);
    expect(verdict.problems).toContain("2 messages were stored more than once");
  });

  it("fails a run where Meta would have seen errors, even if everything was stored", () => {
    expect(soakVerdict({ sent: 3000, acked: 2999 }, exactlyOnce, steadyMemory).problems).toEqual([
      "1 of 3000 webhooks were not answered 200",
    ]);
  });

  it("fails on memory that keeps climbing after warm-up or peaks too high", () => {
    const leaking = { ...steadyMemory, endMb: 300, growthMb: SOAK_BOUNDS.maxGrowthMb + 1, peakMb: SOAK_BOUNDS.maxPeakMb + 1 };
    expect(soakVerdict({ sent: 3000, acked: 3000 }, exactlyOnce, leaking).problems).toEqual([
      `the app's RSS grew ${SOAK_BOUNDS.maxGrowthMb + 1} MB after warm-up (bound ${SOAK_BOUNDS.maxGrowthMb} MB)`,
      `the app's RSS peaked at ${SOAK_BOUNDS.maxPeakMb + 1} MB (bound ${SOAK_BOUNDS.maxPeakMb} MB)`,
    ]);
  });

  it("fails when stored events were not all turned into messages", () => {
    const verdict = soakVerdict(
      { sent: 3000, acked: 3000 },
      { ...exactlyOnce, eventsProcessed: 2999, eventsWithoutMessage: 1 },
      steadyMemory,
    );
    expect(verdict.problems).toEqual(["1 stored events were not processed", "1 stored events have no message"]);
  });
});
