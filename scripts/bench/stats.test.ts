import { describe, expect, it } from "vitest";
import { percentile, summarize } from "./stats";

describe("percentile", () => {
  it("reports an observed value by nearest rank", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 95)).toBe(10);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 100)).toBe(10);
  });

  it("takes the single sample for any percentile, and NaN for none", () => {
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([42], 1)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it("needs two slow requests in a hundred to show at p99 (nearest rank), and shows none at p95", () => {
    const sorted = [...Array.from({ length: 99 }, () => 10), 500];
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile(sorted, 100)).toBe(500);
    const twoSlow = [...Array.from({ length: 98 }, () => 10), 500, 600];
    expect(percentile(twoSlow, 99)).toBe(500);
    expect(percentile(twoSlow, 95)).toBe(10);
  });
});

describe("summarize", () => {
  it("sorts unsorted samples and rounds to hundredths", () => {
    const summary = summarize([3.14159, 1, 2.006, 10]);
    expect(summary).toMatchObject({ n: 4, p50: 2.01, max: 10 });
    expect(summary.mean).toBeCloseTo(4.04, 2);
  });

  it("does not reorder the caller's array", () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});
