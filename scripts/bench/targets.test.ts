import { describe, expect, it } from "vitest";
import { renderTable } from "./report";
import type { Summary } from "./stats";
import { judgeTargets, type BenchFigures } from "./targets";

const latency = (p50: number, p95: number, p99 = p95): Summary => ({ n: 100, p50, p95, p99, max: p99, mean: p50 });

const ingest = { appSustained: 1200, baselineSustained: 2000, ratio: 0.6, appAckAt500: { p50: 5, p99: 30 }, appLost: 0 };
const inbox = {
  listFirstPage: latency(5, 10),
  listLaterPage: latency(5, 12),
  threadPage: latency(4, 8),
  searchMessages: latency(20, 45),
  searchConversations: latency(25, 49),
};
const passing: BenchFigures = {
  ingest,
  push: { latencyMs: latency(10, 30, 40), expectedDeliveries: 1000, deliveries: 1000 },
  inbox,
  analytics: { daily: latency(10, 20), platform: latency(20, 40), responseTimes: latency(20, 45) },
  pages: {
    inbox: { ttfbMs: latency(50, 80), lcpMs: latency(400, 900) },
    dashboard: { ttfbMs: latency(60, 90), lcpMs: latency(500, 950) },
  },
  rss: { appPeakMb: 300, sidecarPeakMb: 150 },
};

describe("judgeTargets", () => {
  it("passes every row of a run that meets every target", () => {
    const rows = judgeTargets(passing);
    expect(rows).toHaveLength(15);
    expect(rows.filter((row) => !row.pass)).toEqual([]);
  });

  it("misses rows that were not measured instead of passing them", () => {
    const rows = judgeTargets({});
    expect(rows.every((row) => row.pass === false && row.result === "not measured")).toBe(true);
  });

  it("misses the push row when a delivery was lost, however fast the rest were", () => {
    const rows = judgeTargets({ ...passing, push: { latencyMs: latency(1, 2, 3), expectedDeliveries: 1000, deliveries: 999 } });
    expect(rows.find((row) => row.scenario === 2)?.pass).toBe(false);
  });

  it("judges list and thread against 15 ms and search against 50 ms, at p95", () => {
    const rows = judgeTargets({
      ...passing,
      inbox: { ...inbox, threadPage: latency(4, 15.01), searchMessages: latency(30, 50) },
    });
    expect(rows.find((row) => row.measure === "thread page")?.pass).toBe(false);
    expect(rows.find((row) => row.measure === "search messages (q)")?.pass).toBe(true);
  });

  it("says how far the app got when no ingest step held, and misses the row", () => {
    const rows = judgeTargets({
      ...passing,
      ingest: { ...ingest, appSustained: 0, ratio: 0, appBest: { rate: 250, perSecond: 120.5 } },
    });
    const row = rows.find((candidate) => candidate.measure.startsWith("webhook ingest"));
    expect(row?.result).toContain("no step held: best 120.5/s end to end at 250/s offered");
    expect(row?.pass).toBe(false);
  });

  it("misses ingest when the ratio to the baseline is under one half", () => {
    const rows = judgeTargets({ ...passing, ingest: { ...ingest, ratio: 0.49 } });
    expect(rows.find((row) => row.measure.startsWith("ingest vs"))?.pass).toBe(false);
  });
});

describe("renderTable", () => {
  it("lines the columns up and marks misses loudly", () => {
    const table = renderTable(judgeTargets({ ...passing, rss: { appPeakMb: 420, sidecarPeakMb: 150 } }));
    const lines = table.split("\n");
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines.at(-1)).toMatch(/app 420 MB.*MISS/);
    expect(lines[2]).toMatch(/1200 events\/s.*pass/);
  });
});
