import type pg from "pg";
import { loadFixture } from "@/sandbox/fixture";
import { runLoad, type LoadReport } from "@/sandbox/load";
import type { BenchConfig } from "./config";
import { judgeStep, sustainedRate, type StepOutcome, type StoredCheck } from "./ingest-verdict";

// Scenario 1: signed single-message webhooks (the sandbox's load generator, X-Hub-Signature-256 as
// Meta signs them) at rising rates, to the app and to the bare baseline, alternating step by step
// so both meet the same machine. Each step is verified in the database: every message stored
// exactly once (app: messages rows; baseline: webhook_events rows), none left unprocessed.

export interface IngestTarget {
  name: "app" | "baseline";
  url: string;
}

export interface IngestStep extends StepOutcome {
  ackMs: LoadReport["latencyMs"];
  statusCounts: Record<string, number>;
  /** From the last acknowledgement until the last event was stored (the processing backlog). */
  drainMs: number;
  /** Acknowledgements per second while the load ran (what Meta sees), whatever processing did. */
  ackedPerSecond: number;
}

export interface IngestRun {
  steps: IngestStep[];
  sustainedPerSecond: number;
  ackAtLatencyRate: LoadReport["latencyMs"] | null;
  /** The best end-to-end rate of any step, held or not (what the table shows when none held). */
  best: { rate: number; perSecond: number } | null;
}

export interface IngestResult {
  app: IngestRun;
  baseline: IngestRun;
  /** App sustained / baseline sustained. */
  ratio: number | null;
  /** The baseline held the highest rate offered: its real ceiling (and so the ratio's) is higher. */
  baselineCappedByGenerator: boolean;
}

// The load's text carries its number: "Load test message #17 — café ☕ …" (sandbox/load.ts).
const NUMBER = `substring(%COLUMN% from 'Load test message #([0-9]+) ')::int`;

async function appStored(db: pg.Pool, workspaceId: string, since: number, sent: number): Promise<StoredCheck> {
  const number = NUMBER.replace("%COLUMN%", "text");
  // sent_at is the webhook's own timestamp (WhatsApp's in whole seconds), hence the floor.
  const { rows } = await db.query<{ total: number; distinct: number; stray: number; last: number | null }>(
    `select count(*)::int as total,
            count(distinct n) filter (where n between 1 and $3)::int as distinct,
            count(*) filter (where n is null or n not between 1 and $3)::int as stray,
            (extract(epoch from max(created_at)) * 1000)::float8 as last
     from (select ${number} as n, created_at from messages
           where workspace_id = $1 and sent_at >= to_timestamp($2) and text like 'Load test message #%') m`,
    [workspaceId, Math.floor(since / 1000), sent],
  );
  const events = await db.query<{ unprocessed: number }>(
    `select count(*) filter (where status <> 'processed')::int as unprocessed
     from webhook_events where received_at >= to_timestamp($1 / 1000.0)`,
    [since],
  );
  const row = rows[0];
  return {
    total: row?.total ?? 0,
    distinct: row?.distinct ?? 0,
    stray: row?.stray ?? 0,
    lastStoredAt: row?.last ?? null,
    unprocessed: events.rows[0]?.unprocessed ?? 0,
  };
}

async function baselineStored(db: pg.Pool, since: number, sent: number): Promise<StoredCheck> {
  const number = NUMBER.replace("%COLUMN%", "raw_body");
  const { rows } = await db.query<{ total: number; distinct: number; stray: number; last: number | null }>(
    `select count(*)::int as total,
            count(distinct n) filter (where n between 1 and $2)::int as distinct,
            count(*) filter (where n is null or n not between 1 and $2)::int as stray,
            (extract(epoch from max(received_at)) * 1000)::float8 as last
     from (select ${number} as n, received_at from webhook_events
           where received_at >= to_timestamp($1 / 1000.0) and raw_body like '%Load test message #%') e`,
    [since, sent],
  );
  const row = rows[0];
  return {
    total: row?.total ?? 0,
    distinct: row?.distinct ?? 0,
    stray: row?.stray ?? 0,
    lastStoredAt: row?.last ?? null,
    unprocessed: 0,
  };
}

/**
 * Waits until the app has processed every stored webhook event, so the next measurement (the
 * baseline's step, the push scenario) does not share the machine with an earlier step's backlog.
 * Returns how many were still unprocessed when it gave up.
 */
export async function waitForBacklog(db: pg.Pool, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ pending: number }>(
      "select count(*)::int as pending from webhook_events where status = 'pending' and signature_ok",
    );
    const pending = rows[0]?.pending ?? 0;
    if (pending === 0 || Date.now() > deadline) return pending;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Polls until every acknowledged event is stored (or the drain timeout passes), then checks them all. */
async function verify(
  db: pg.Pool,
  target: IngestTarget,
  workspaceId: string,
  since: number,
  report: LoadReport,
  drainTimeoutMs: number,
): Promise<StoredCheck> {
  const deadline = Date.now() + drainTimeoutMs;
  for (;;) {
    const check =
      target.name === "app" ? await appStored(db, workspaceId, since, report.sent) : await baselineStored(db, since, report.sent);
    const settled = check.distinct >= report.acked && check.unprocessed === 0;
    if (settled || Date.now() > deadline) return check;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function runStep(
  db: pg.Pool,
  target: IngestTarget,
  options: { rate: number; seconds: number; workspaceId: string; appSecret: string; sandboxUrl: string; config: BenchConfig },
): Promise<IngestStep> {
  const { rate, seconds, config } = options;
  // Whole seconds apart from the previous step, so WhatsApp's second-precision timestamps cannot mix steps.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const startedAt = Date.now();
  const report = await runLoad({
    platform: "mix",
    count: Math.round(rate * seconds),
    ratePerSecond: rate,
    concurrency: 256,
    timeoutMs: 10_000,
    maxDurationMs: seconds * 3_000 + 10_000,
    webhookBaseUrl: target.url,
    appSecret: options.appSecret,
    fixture: loadFixture(),
    publicUrl: options.sandboxUrl,
  });
  const ackedAt = Date.now();
  const stored = await verify(db, target, options.workspaceId, startedAt, report, config.ingest.drainTimeoutMs);
  if (target.name === "baseline") {
    // The baseline's rows are not real events: gone before the app's retry scan would pick them up.
    await db.query(
      `delete from webhook_events where received_at >= to_timestamp($1 / 1000.0) and status = 'pending'
         and raw_body like '%Load test message #%'`,
      [startedAt],
    );
  }
  const outcome = judgeStep({ rate, sent: report.sent, acked: report.acked, startedAt }, stored, config.ingest.keepUp);
  return {
    ...outcome,
    ackMs: report.latencyMs,
    statusCounts: report.statusCounts,
    drainMs: stored.lastStoredAt === null ? -1 : Math.max(0, Math.round(stored.lastStoredAt - ackedAt)),
    ackedPerSecond: Math.round((report.acked / Math.max(1, report.durationMs)) * 1000 * 10) / 10,
  };
}

export async function benchIngest(
  db: pg.Pool,
  options: {
    app: IngestTarget;
    baseline: IngestTarget;
    workspaceId: string;
    appSecret: string;
    sandboxUrl: string;
    config: BenchConfig;
    say: (line: string) => void;
  },
): Promise<IngestResult> {
  const { config, say } = options;
  const runs: Record<"app" | "baseline", IngestStep[]> = { app: [], baseline: [] };
  const failed = { app: false, baseline: false };
  for (const rate of config.ingest.rates) {
    for (const target of [options.app, options.baseline]) {
      // After a failed step, only the rate whose ack latency the table reports is still worth running.
      if (failed[target.name] && !(target.name === "app" && rate <= config.ingest.latencyRate)) continue;
      const backlog = await waitForBacklog(db, config.ingest.backlogTimeoutMs);
      if (backlog > 0) say(`  ${backlog} events of the app's earlier steps still unprocessed; measuring anyway`);
      const step = await runStep(db, target, { ...options, rate, seconds: config.ingest.stepSeconds });
      runs[target.name].push(step);
      say(
        `  ${target.name.padEnd(8)} ${String(rate).padStart(5)}/s: ${step.achievedPerSecond}/s end to end, ack p50 ${step.ackMs.p50} ms p99 ${step.ackMs.p99} ms, drain ${step.drainMs} ms${step.ok ? "" : ` — ${step.reason}`}`,
      );
      if (!step.ok) failed[target.name] = true;
    }
    if (failed.app && failed.baseline && rate >= config.ingest.latencyRate) break;
  }
  const summarize = (steps: IngestStep[]): IngestRun => ({
    steps,
    sustainedPerSecond: sustainedRate(steps),
    ackAtLatencyRate: steps.find((step) => step.rate === config.ingest.latencyRate)?.ackMs ?? null,
    best: steps.reduce<IngestRun["best"]>(
      (best, step) =>
        best && best.perSecond >= step.achievedPerSecond ? best : { rate: step.rate, perSecond: step.achievedPerSecond },
      null,
    ),
  });
  const app = summarize(runs.app);
  const baseline = summarize(runs.baseline);
  const topRate = config.ingest.rates[config.ingest.rates.length - 1];
  return {
    app,
    baseline,
    ratio:
      baseline.sustainedPerSecond > 0 ? Math.round((app.sustainedPerSecond / baseline.sustainedPerSecond) * 100) / 100 : null,
    baselineCappedByGenerator: runs.baseline.some((step) => step.rate === topRate && step.ok),
  };
}
