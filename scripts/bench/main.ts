// npm run bench [-- --quick]: the production build under load, next to a bare baseline.
// Starts the stack as `npm start` does (own ports and data directory), seeds the inbox, runs the six
// scenarios, prints the table against the issue's targets and writes bench/results/*.json.
import fs from "node:fs";
import os from "node:os";
import pg from "pg";
import { runLoadSeed } from "../lib/load-seed-run";
import { benchAnalytics, type AnalyticsResult } from "./analytics";
import { startBaseline } from "./baseline";
import { BENCH_PORTS, parseBenchArgs, RESULTS_DIR } from "./config";
import { benchInbox, type InboxResult } from "./inbox";
import { benchIngest, waitForBacklog, type IngestResult } from "./ingest";
import { benchPages, type PagesResult } from "./pages";
import { benchPush, type PushResult } from "./push";
import { renderTable, writeResults } from "./report";
import { findChild, processTable } from "../lib/proc";
import { sampleRss, type RssPeaks } from "./rss";
import { connectSandbox, createBenchUser } from "./session";
import { ensureBuild } from "../lib/stack-under-test";
import { startStack, type BenchStack } from "./stack";
import { judgeTargets } from "./targets";

const say = (line: string) => process.stdout.write(`bench │ ${line}\n`);
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/** Runs one scenario; a failure is recorded and the run goes on (its rows then read "not measured"). */
async function scenario<T>(name: string, errors: Record<string, string>, task: () => Promise<T>): Promise<T | undefined> {
  const started = performance.now();
  say(`${name}…`);
  try {
    const result = await task();
    say(`${name} done in ${seconds(started)} s`);
    return result;
  } catch (error) {
    errors[name] = (error as Error).stack ?? String(error);
    say(`${name} FAILED: ${(error as Error).message}`);
    return undefined;
  }
}

/** The app (next start) and sidecar processes under the stack's supervisor. */
function stackProcesses(stack: BenchStack): { app: number; sidecar: number } {
  const table = processTable();
  const supervisor = findChild(stack.pid, (cmd) => cmd.includes("scripts/start.ts"), table) ?? stack.pid;
  const app = findChild(supervisor, (cmd) => cmd.includes("next-server") || cmd.includes("next/dist/bin/next"), table);
  const sidecar = findChild(supervisor, (cmd) => cmd.includes("realtime/main.ts"), table);
  if (!app || !sidecar) throw new Error("could not find the app and sidecar processes of the stack");
  return { app, sidecar };
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  const { config } = args;
  const startedAt = new Date();
  const runStarted = performance.now();
  say(`${config.mode} run on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`);
  const buildSeconds = ensureBuild(process.cwd(), say, args.skipBuild);
  const stackStarted = performance.now();
  const stack = await startStack(say);
  say(`stack up in ${seconds(stackStarted)} s (app ${stack.appUrl}, logs in ${stack.logFile})`);
  const interrupted = () => {
    say("interrupted: stopping the stack");
    void stack.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const errors: Record<string, string> = {};
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 4, application_name: "chats-bench" });
  let seed: Awaited<ReturnType<typeof runLoadSeed>> | undefined;
  let inbox: InboxResult | undefined;
  let analytics: AnalyticsResult | undefined;
  let ingest: IngestResult | undefined;
  let push: PushResult | undefined;
  let rss: RssPeaks | undefined;
  let pages: PagesResult | undefined;
  try {
    const user = await createBenchUser(stack.appUrl);
    await connectSandbox(stack.appUrl, stack.sandboxUrl, user);
    seed = await scenario("seed", errors, () =>
      runLoadSeed(stack.databaseUrl, { ...config.seed, email: user.email, password: undefined, rollup: true }, (line) =>
        say(`  ${line}`),
      ),
    );
    const common = { appUrl: stack.appUrl, token: user.accessToken, userId: user.userId, workspaceId: user.workspaceId, config };
    if (seed) {
      inbox = await scenario("3 inbox API", errors, () => benchInbox(pool, common));
      analytics = await scenario("4 analytics", errors, () => benchAnalytics(pool, common));
    }
    const sampler = sampleRss(stackProcesses(stack));
    ingest = await scenario("1 webhook ingest", errors, async () => {
      const baseline = await startBaseline(stack.databaseUrl, stack.secrets.META_APP_SECRET);
      try {
        return await benchIngest(pool, {
          app: { name: "app", url: `http://127.0.0.1:${BENCH_PORTS.app}` },
          baseline: { name: "baseline", url: baseline.url },
          workspaceId: user.workspaceId,
          appSecret: stack.secrets.META_APP_SECRET,
          sandboxUrl: stack.sandboxUrl,
          config,
          say,
        });
      } finally {
        await baseline.stop();
      }
    });
    push = await scenario("2 live push", errors, async () => {
      const backlog = await waitForBacklog(pool, config.ingest.backlogTimeoutMs);
      if (backlog > 0) say(`  ${backlog} webhook events from scenario 1 still unprocessed; measuring anyway`);
      return benchPush({
        appUrl: stack.appUrl,
        realtimeUrl: stack.realtimeUrl,
        sandboxUrl: stack.sandboxUrl,
        accessToken: user.accessToken,
        config,
      });
    });
    rss = sampler.stop();
    pages = await scenario("5 page loads", errors, () => benchPages({ appUrl: stack.appUrl, user, config }));
  } catch (error) {
    errors.setup = (error as Error).stack ?? String(error);
    say(`setup FAILED: ${(error as Error).message}`);
  } finally {
    await pool.end();
    await stack.stop();
  }
  if (Object.keys(errors).length) {
    const log = fs.readFileSync(stack.logFile, "utf8").split("\n").slice(-30).join("\n");
    say(`last lines of the stack's log:\n${log}`);
  }

  // "0 lost" up to the target rate: every step at or below 1000/s stored each event exactly once.
  const appLost = (ingest?.app.steps ?? [])
    .filter((step) => step.rate <= 1000)
    .reduce((sum, step) => sum + step.missing + step.duplicates, 0);
  const rows = judgeTargets({
    ingest: ingest && {
      appSustained: ingest.app.sustainedPerSecond,
      baselineSustained: ingest.baseline.sustainedPerSecond,
      ratio: ingest.ratio,
      appAckAt500: ingest.app.ackAtLatencyRate,
      appLost,
      appBest: ingest.app.best,
    },
    push,
    inbox: inbox?.endpoints,
    analytics: analytics?.endpoints,
    pages,
    rss: rss && { appPeakMb: rss.peakMb.app ?? 0, sidecarPeakMb: rss.peakMb.sidecar ?? 0 },
  });
  const table = renderTable(rows);
  const totalSeconds = seconds(runStarted);
  process.stdout.write(`\n${table}\n\n`);
  const file = writeResults(RESULTS_DIR, config.mode, startedAt, {
    mode: config.mode,
    startedAt: startedAt.toISOString(),
    totalSeconds,
    buildSeconds,
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      os: `${os.type()} ${os.release()}`,
      loadAverageAtStart: os.loadavg(),
    },
    config,
    targets: rows,
    seed,
    ingest,
    push,
    inbox,
    analytics,
    pages,
    rss,
    errors,
  });
  say(
    `${config.mode} run took ${totalSeconds} s${buildSeconds ? ` (next build ${Math.round(buildSeconds)} s)` : ""}; results in ${file}`,
  );
  return Object.keys(errors).length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
