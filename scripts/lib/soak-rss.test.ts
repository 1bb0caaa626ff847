import { describe, expect, it } from "vitest";
import { summarizeRss, type RssSample } from "./soak-rss";

const MB = 1024 * 1024;
const series = (mbs: number[], everyMs = 5_000): RssSample[] => mbs.map((mb, i) => ({ atMs: i * everyMs, bytes: mb * MB }));

describe("summarizeRss", () => {
  it("measures growth from the first to the last quarter after warm-up, ignoring the warm-up climb", () => {
    // Warm-up climbs from 120 to 200 MB; afterwards it creeps from 200 to 230 MB.
    const samples = series([120, 160, 200, 200, 202, 205, 210, 212, 215, 220, 225, 230]);
    const summary = summarizeRss(samples, 15_000);
    expect(summary).toMatchObject({ samples: 12, startMb: 201, endMb: 227.5, growthMb: 26.5, peakMb: 230 });
  });

  it("is not fooled by one garbage collection at either edge", () => {
    const flat = series([200, 150, 200, 201, 199, 200, 200, 201, 200, 199, 260, 200]);
    expect(summarizeRss(flat, 0).growthMb).toBe(0);
  });

  it("counts the peak over the whole run, warm-up included", () => {
    expect(summarizeRss(series([400, 200, 200, 200, 200, 200]), 5_000).peakMb).toBe(400);
  });

  it("refuses to judge from too few samples", () => {
    expect(() => summarizeRss(series([200, 210, 220]), 0)).toThrow(/at least 4/);
  });
});
