import fs from "node:fs";
import { commandLine, descendants, processTable, treeRssKb } from "./proc";

// Resident memory of the Next.js server during a soak (read by scripts/lib/proc.ts), and what it
// says: the level once warmed up, the level at the end, the growth between them, the peak.

export interface RssSample {
  /** Milliseconds since the load started. */
  atMs: number;
  bytes: number;
}

export interface RssSummary {
  samples: number;
  /** Median of the first quarter after warm-up. */
  startMb: number;
  /** Median of the last quarter. */
  endMb: number;
  growthMb: number;
  /** Highest sample of the whole run, warm-up included. */
  peakMb: number;
}

const MB = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Growth after warm-up: the median of the last quarter of the samples taken after `warmupMs` minus
 * the median of their first quarter (medians, so one garbage collection at the edge does not decide).
 */
export function summarizeRss(samples: RssSample[], warmupMs: number): RssSummary {
  const settled = samples.filter((sample) => sample.atMs >= warmupMs).map((sample) => sample.bytes / MB);
  if (settled.length < 4) throw new Error(`${settled.length} RSS samples after warm-up; at least 4 are needed`);
  const quarter = Math.max(1, Math.floor(settled.length / 4));
  const startMb = median(settled.slice(0, quarter));
  const endMb = median(settled.slice(-quarter));
  return {
    samples: samples.length,
    startMb: round(startMb),
    endMb: round(endMb),
    growthMb: round(endMb - startMb),
    peakMb: round(Math.max(...samples.map((sample) => sample.bytes / MB))),
  };
}

/** The Next.js server below the stack's supervisor (it names itself next-server once it runs). */
export function findNextServer(stackPid: number): number | null {
  for (const pid of descendants(stackPid, processTable())) {
    if (pid !== stackPid && /next-server|next\/dist\/bin\/next start/.test(commandLine(pid))) return pid;
  }
  return null;
}

/** Resident bytes of a process and everything it started; null once it is gone. */
export function treeRss(pid: number): number | null {
  if (!fs.existsSync(`/proc/${pid}`)) return null;
  return treeRssKb(pid) * 1024;
}
