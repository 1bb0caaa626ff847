import { describe, expect, it } from "vitest";
import { planSteps, totalLoad, type LoadReport } from "./soak-load";

const report = (overrides: Partial<LoadReport>): LoadReport => ({
  sent: 100,
  acked: 100,
  failed: 0,
  statusCounts: { "200": 100 },
  latencyMs: { p50: 5, p95: 10, p99: 20, max: 30 },
  durationMs: 60_000,
  stoppedBy: "count",
  ...overrides,
});

describe("planSteps", () => {
  it("cuts the run into whole minutes and a remainder, each at the steady rate", () => {
    expect(planSteps(2.5, 50)).toEqual([
      { seconds: 60, count: 3000 },
      { seconds: 60, count: 3000 },
      { seconds: 30, count: 1500 },
    ]);
  });

  it("sends at least one webhook however short the run", () => {
    expect(planSteps(0.01, 1)).toEqual([{ seconds: 1, count: 1 }]);
  });
});

describe("totalLoad", () => {
  it("adds up the minutes and keeps the worst minute's tail, since percentiles do not add", () => {
    const total = totalLoad([
      report({ latencyMs: { p50: 4, p95: 9, p99: 15, max: 40 } }),
      report({
        sent: 100,
        acked: 98,
        failed: 2,
        statusCounts: { "200": 98, timeout: 2 },
        latencyMs: { p50: 6, p95: 30, p99: 90, max: 120 },
      }),
      report({ latencyMs: { p50: 5, p95: 8, p99: 12, max: 20 } }),
    ]);
    expect(total).toEqual({
      sent: 300,
      acked: 298,
      failed: 2,
      statusCounts: { "200": 298, timeout: 2 },
      latencyMs: { p50: 5, worstP99: 90, max: 120 },
    });
  });
});
