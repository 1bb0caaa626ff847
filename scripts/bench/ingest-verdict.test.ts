import { describe, expect, it } from "vitest";
import { judgeStep, sustainedRate, type StoredCheck } from "./ingest-verdict";

const startedAt = 1_000_000;
const step = { rate: 1000, sent: 3000, acked: 3000, startedAt };
const clean: StoredCheck = { total: 3000, distinct: 3000, stray: 0, lastStoredAt: startedAt + 3050, unprocessed: 0 };

describe("judgeStep", () => {
  it("holds when every event is stored once and storage kept pace", () => {
    const outcome = judgeStep(step, clean, 0.9);
    expect(outcome).toMatchObject({ ok: true, missing: 0, duplicates: 0, reason: null });
    expect(outcome.achievedPerSecond).toBeCloseTo(983.6, 1);
  });

  it("fails on a single lost event even though every POST was acknowledged", () => {
    const outcome = judgeStep(step, { ...clean, total: 2999, distinct: 2999 }, 0.9);
    expect(outcome).toMatchObject({ ok: false, missing: 1, reason: "1 events not in the inbox by the end of the drain wait" });
  });

  it("fails on a duplicate", () => {
    const outcome = judgeStep(step, { ...clean, total: 3001 }, 0.9);
    expect(outcome).toMatchObject({ ok: false, duplicates: 1 });
  });

  it("fails when acknowledgements were missing", () => {
    expect(judgeStep({ ...step, acked: 2990 }, clean, 0.9).reason).toBe("10 of 3000 POSTs not acknowledged");
  });

  it("fails when events were acknowledged quickly but stored long after (a growing backlog)", () => {
    const outcome = judgeStep(step, { ...clean, lastStoredAt: startedAt + 6000 }, 0.9);
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toMatch(/fell behind: 500\/s end to end/);
  });

  it("fails when an event is left unprocessed", () => {
    expect(judgeStep(step, { ...clean, unprocessed: 2 }, 0.9).ok).toBe(false);
  });

  it("counts nothing stored as nothing achieved", () => {
    const outcome = judgeStep(step, { total: 0, distinct: 0, stray: 0, lastStoredAt: null, unprocessed: 0 }, 0.9);
    expect(outcome).toMatchObject({ ok: false, achievedPerSecond: 0, missing: 3000 });
  });
});

describe("sustainedRate", () => {
  it("is the best end-to-end rate among steps that held, ignoring faster steps that failed", () => {
    const held = judgeStep(step, clean, 0.9);
    const failed = { ...judgeStep({ ...step, rate: 2000, sent: 6000, acked: 6000 }, clean, 0.9), achievedPerSecond: 1800 };
    expect(sustainedRate([held, failed])).toBe(held.achievedPerSecond);
    expect(sustainedRate([failed])).toBe(0);
  });
});
