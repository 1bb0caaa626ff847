import type { Summary } from "./stats";

// The targets, judged against a run's figures. A figure that could not be measured is a
// miss, never a pass.

export interface BenchFigures {
  ingest?: {
    appSustained: number;
    baselineSustained: number;
    ratio: number | null;
    appAckAt500: { p50: number; p99: number } | null;
    appLost: number;
    /** The app's best end-to-end rate when no step held. */
    appBest?: { rate: number; perSecond: number } | null;
  };
  push?: { latencyMs: Summary; expectedDeliveries: number; deliveries: number };
  inbox?: Record<"listFirstPage" | "listLaterPage" | "threadPage" | "searchMessages" | "searchConversations", Summary>;
  analytics?: Record<"daily" | "platform" | "responseTimes", Summary>;
  pages?: Record<"inbox" | "dashboard", { ttfbMs: Summary; lcpMs: Summary }>;
  rss?: { appPeakMb: number; sidecarPeakMb: number };
}

export interface TargetRow {
  scenario: number;
  measure: string;
  /** What was measured, in words and numbers, for the table. */
  result: string;
  target: string;
  /** The figure compared with the target (null: not measured). */
  value: number | null;
  pass: boolean | null;
}

const ms = (value: number) => `${value} ms`;

function latencyRow(scenario: number, measure: string, summary: Summary | undefined, limit: number): TargetRow {
  return {
    scenario,
    measure,
    result: summary ? `p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}` : "not measured",
    target: `p95 ≤ ${limit} ms`,
    value: summary?.p95 ?? null,
    pass: summary ? summary.p95 <= limit : false,
  };
}

export function judgeTargets(figures: BenchFigures): TargetRow[] {
  const { ingest, push, inbox, analytics, pages, rss } = figures;
  const rows: TargetRow[] = [
    {
      scenario: 1,
      measure: "webhook ingest, sustained (0 lost)",
      result: !ingest
        ? "not measured"
        : ingest.appSustained === 0 && ingest.appBest
          ? `no step held: best ${ingest.appBest.perSecond}/s end to end at ${ingest.appBest.rate}/s offered (baseline ${ingest.baselineSustained}/s)`
          : `${ingest.appSustained} events/s (baseline ${ingest.baselineSustained}/s)`,
      target: "≥ 1000 events/s",
      value: ingest?.appSustained ?? null,
      pass: ingest ? ingest.appSustained >= 1000 && ingest.appLost === 0 : false,
    },
    {
      scenario: 1,
      measure: "ingest vs bare node:http + pg",
      result: ingest?.ratio != null ? `${ingest.ratio} × baseline` : "not measured",
      target: "≥ 0.5 × baseline",
      value: ingest?.ratio ?? null,
      pass: ingest?.ratio != null ? ingest.ratio >= 0.5 : false,
    },
    {
      scenario: 1,
      measure: "webhook ack latency at 500/s",
      result: ingest?.appAckAt500 ? `p50 ${ms(ingest.appAckAt500.p50)}, p99 ${ms(ingest.appAckAt500.p99)}` : "not measured",
      target: "p99 ≤ 50 ms",
      value: ingest?.appAckAt500?.p99 ?? null,
      pass: ingest?.appAckAt500 ? ingest.appAckAt500.p99 <= 50 : false,
    },
    {
      scenario: 2,
      measure: "live push, webhook → new_message",
      result: push
        ? `p50 ${ms(push.latencyMs.p50)}, p99 ${ms(push.latencyMs.p99)} (${push.deliveries}/${push.expectedDeliveries} delivered)`
        : "not measured",
      target: "p99 ≤ 50 ms, all delivered",
      value: push?.latencyMs.p99 ?? null,
      pass: push ? push.latencyMs.p99 <= 50 && push.deliveries >= push.expectedDeliveries : false,
    },
    latencyRow(3, "conversation list, first page", inbox?.listFirstPage, 15),
    latencyRow(3, "conversation list, later page (cursor)", inbox?.listLaterPage, 15),
    latencyRow(3, "thread page", inbox?.threadPage, 15),
    latencyRow(3, "search messages (q)", inbox?.searchMessages, 50),
    latencyRow(3, "search conversations (q)", inbox?.searchConversations, 50),
    latencyRow(4, "analytics daily series, 90 days", analytics?.daily, 50),
    latencyRow(4, "analytics platform breakdown", analytics?.platform, 50),
    latencyRow(4, "analytics response times", analytics?.responseTimes, 50),
  ];
  for (const name of ["inbox", "dashboard"] as const) {
    const page = pages?.[name];
    rows.push({
      scenario: 5,
      measure: `/${name} page load`,
      result: page ? `TTFB p50 ${ms(page.ttfbMs.p50)}; LCP p50 ${ms(page.lcpMs.p50)}, p95 ${ms(page.lcpMs.p95)}` : "not measured",
      target: "LCP p95 ≤ 1000 ms",
      value: page?.lcpMs.p95 ?? null,
      pass: page ? page.lcpMs.p95 <= 1000 : false,
    });
  }
  rows.push({
    scenario: 6,
    measure: "peak RSS during 1–2",
    result: rss ? `app ${rss.appPeakMb} MB, sidecar ${rss.sidecarPeakMb} MB` : "not measured",
    target: "app ≤ 350 MB",
    value: rss?.appPeakMb ?? null,
    pass: rss ? rss.appPeakMb <= 350 : false,
  });
  return rows;
}
