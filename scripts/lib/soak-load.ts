// The soak's traffic: the sandbox's own load runner (POST /_sandbox/load, sandbox/load.ts) sends
// signed webhooks at a steady rate, one minute at a time, so progress and latency are reported per
// minute and no single burst comes near the runner's own bounds.

import type { LoadReport } from "@/sandbox/load";

export type { LoadReport };

export interface LoadStep {
  seconds: number;
  count: number;
}

const STEP_SECONDS = 60;

/** Whole minutes, then the remainder; each step sends `rate` per second for its length. */
export function planSteps(minutes: number, rate: number): LoadStep[] {
  const total = Math.round(minutes * 60);
  const steps: LoadStep[] = [];
  for (let done = 0; done < total; done += STEP_SECONDS) {
    const seconds = Math.min(STEP_SECONDS, total - done);
    steps.push({ seconds, count: Math.max(1, Math.round(seconds * rate)) });
  }
  return steps;
}

export interface LoadTotalsReport {
  sent: number;
  acked: number;
  failed: number;
  statusCounts: Record<string, number>;
  /** Percentiles cannot be merged; these are the median minute's p50 and the worst minute's p99 and max. */
  latencyMs: { p50: number; worstP99: number; max: number };
}

export function totalLoad(reports: LoadReport[]): LoadTotalsReport {
  const statusCounts: Record<string, number> = {};
  for (const report of reports) {
    for (const [status, count] of Object.entries(report.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count;
  }
  const p50s = reports.map((report) => report.latencyMs.p50).sort((a, b) => a - b);
  return {
    sent: reports.reduce((sum, report) => sum + report.sent, 0),
    acked: reports.reduce((sum, report) => sum + report.acked, 0),
    failed: reports.reduce((sum, report) => sum + report.failed, 0),
    statusCounts,
    latencyMs: {
      p50: p50s[Math.floor((p50s.length - 1) / 2)] ?? 0,
      worstP99: Math.max(0, ...reports.map((report) => report.latencyMs.p99)),
      max: Math.max(0, ...reports.map((report) => report.latencyMs.max)),
    },
  };
}

/** One step through the sandbox: Messenger, Instagram and WhatsApp customers in turn, text messages. */
export async function runStep(sandboxUrl: string, step: LoadStep, rate: number): Promise<LoadReport> {
  const response = await fetch(new URL("/_sandbox/load", sandboxUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ platform: "mix", count: step.count, ratePerSecond: rate, kinds: ["text"], concurrency: 64 }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`the sandbox's load runner answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as LoadReport;
}
