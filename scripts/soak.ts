// npm run soak [-- --minutes 10 --rate 50]: the production stack under a steady stream of signed
// webhooks for a long while. Passes when every webhook got its 200, every message was stored exactly
// once, the app's memory levelled off after warm-up and the stack stopped cleanly. Loopback only,
// bounded (scripts/lib/soak-options.ts); prints a summary and writes bench/results/soak-<time>.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectSoakWorkspace } from "./lib/soak-connect";
import { planSteps, runStep, totalLoad, type LoadReport } from "./lib/soak-load";
import { parseSoakArgs, SOAK_DATA_DIR, SOAK_PORTS, SoakUsageError, type SoakOptions } from "./lib/soak-options";
import { findNextServer, summarizeRss, treeRss, type RssSample } from "./lib/soak-rss";
import { ensureBuild, freshStart, startStack, waitForHealth, type RunningStack, type StackExit } from "./lib/stack-under-test";
import { drainedCounts } from "./lib/soak-storage";
import { SOAK_BOUNDS, soakVerdict } from "./lib/soak-verdict";

const SAMPLE_EVERY_MS = 5_000;
const RESULTS_DIR = "bench/results";

const say = (line: string) => console.log(`soak │ ${line}`);
const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

let options: SoakOptions;
try {
  options = parseSoakArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof SoakUsageError)) throw error;
  console.error(`soak: ${error.message}\nusage: npm run soak -- [--minutes 10] [--rate 50]`);
  process.exit(2);
}

const root = process.cwd();
const dataDir = path.resolve(SOAK_DATA_DIR);
const appUrl = `http://127.0.0.1:${SOAK_PORTS.app}`;
const sandboxUrl = `http://127.0.0.1:${SOAK_PORTS.sandbox}`;
// The first minute (or fifth of a short run) is warm-up: code paths compile, pools and caches fill.
const warmupMs = Math.min(60_000, options.minutes * 60_000 * 0.2);

async function soak(stack: RunningStack) {
  await waitForHealth(appUrl, 180_000, stack);
  say("stack healthy; connecting Messenger, Instagram and WhatsApp through the public API");
  await connectSoakWorkspace(appUrl, sandboxUrl);
  const webPid = findNextServer(stack.pid);
  if (webPid === null) throw new Error("could not find the Next.js server's process below the supervisor");

  const samples: RssSample[] = [];
  const started = performance.now();
  const sample = () => {
    const bytes = treeRss(webPid);
    if (bytes !== null) samples.push({ atMs: Math.round(performance.now() - started), bytes });
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  const steps = planSteps(options.minutes, options.rate);
  const reports: LoadReport[] = [];
  say(
    `history imported; ${steps.reduce((sum, step) => sum + step.count, 0)} webhooks at ${options.rate}/s over ${steps.length} step(s)`,
  );
  try {
    for (const [index, step] of steps.entries()) {
      const report = await runStep(sandboxUrl, step, options.rate);
      reports.push(report);
      const latest = samples.at(-1);
      say(
        `minute ${index + 1}/${steps.length}: ${report.acked}/${report.sent} acked, p50 ${report.latencyMs.p50} ms, ` +
          `p99 ${report.latencyMs.p99} ms, app RSS ${latest ? mb(latest.bytes) : "?"}`,
      );
    }
  } finally {
    clearInterval(sampler);
  }
  sample();
  const load = totalLoad(reports);
  say("load done; waiting for the app to process what it acknowledged");
  const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { POSTGRES_PASSWORD: string };
  const databaseUrl = `postgres://postgres:${encodeURIComponent(secrets.POSTGRES_PASSWORD)}@127.0.0.1:${SOAK_PORTS.postgres}/chats`;
  const storage = await drainedCounts(databaseUrl, load.acked, 120_000);
  return { load, reports, storage, samples, rss: summarizeRss(samples, warmupMs) };
}

async function main(): Promise<number> {
  const startedAt = new Date();
  say(
    `${options.minutes} min at ${options.rate} webhooks/s against the production build ` +
      `(app :${SOAK_PORTS.app}, realtime :${SOAK_PORTS.realtime}, sandbox :${SOAK_PORTS.sandbox}, PostgreSQL :${SOAK_PORTS.postgres}, data in ${SOAK_DATA_DIR})`,
  );
  ensureBuild(root, say);
  await freshStart(dataDir, SOAK_PORTS);
  const logFile = path.join(dataDir, "stack.log");
  const stack = startStack(root, { dataDir, ports: SOAK_PORTS, logFile });
  say(`stack starting (its output: ${path.relative(root, logFile)})`);

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      say(`${signal}: stopping the stack`);
      void stack.stop().then(() => process.exit(130));
    });
  }
  let stopping = false;
  const died = stack.exited.then((exit) => {
    if (!stopping) throw new Error(`the stack exited during the soak (${exit.signal ?? `code ${exit.code}`}); see ${logFile}`);
    return new Promise<never>(() => undefined);
  });

  let result: Awaited<ReturnType<typeof soak>> | undefined;
  let failure: Error | undefined;
  try {
    result = await Promise.race([soak(stack), died]);
  } catch (error) {
    failure = error as Error;
  }
  stopping = true;
  say("stopping the stack (SIGTERM)");
  const exit: StackExit = await stack.stop();
  if (failure || !result) {
    say(`failed: ${failure?.message ?? "no result"}`);
    return 1;
  }

  const { load, reports, storage, samples, rss } = result;
  const verdict = soakVerdict(load, storage, rss);
  if (!exit.clean) verdict.problems.push(`the stack did not stop cleanly (${exit.signal ?? `code ${exit.code}`}, ${exit.ms} ms)`);
  const ok = verdict.problems.length === 0;

  console.log(
    [
      "",
      `Soak ${ok ? "PASSED" : "FAILED"}: ${options.minutes} min at ${options.rate} webhooks/s (Messenger, Instagram, WhatsApp in turn)`,
      `  webhooks   ${load.sent} sent, ${load.acked} acked (200), statuses ${JSON.stringify(load.statusCounts)}`,
      `  latency    p50 ${load.latencyMs.p50} ms (median minute), p99 ${load.latencyMs.worstP99} ms (worst minute), max ${load.latencyMs.max} ms`,
      `  stored     ${storage.eventsStored} events (${storage.eventsProcessed} processed), ${storage.messagesStored} messages, ` +
        `${storage.distinctMessages} distinct: lost ${verdict.lost}, duplicated ${verdict.duplicates}`,
      `  app RSS    ${rss.startMb} MB after warm-up → ${rss.endMb} MB at the end (growth ${rss.growthMb} MB, bound ${SOAK_BOUNDS.maxGrowthMb}), ` +
        `peak ${rss.peakMb} MB (bound ${SOAK_BOUNDS.maxPeakMb}), ${rss.samples} samples`,
      `  shutdown   ${exit.clean ? "clean" : "NOT clean"}, exit ${exit.code ?? exit.signal} in ${exit.ms} ms, PostgreSQL ${exit.postgresLeft ? "LEFT RUNNING" : "stopped"}`,
      ...verdict.problems.map((problem) => `  ✗ ${problem}`),
      "",
    ].join("\n"),
  );

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  const file = path.join(RESULTS_DIR, `soak-${stamp}.json`);
  const json = {
    kind: "soak",
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryMb: Math.round(os.totalmem() / (1024 * 1024)), node: process.version },
    options: { ...options, warmupMs, sampleEveryMs: SAMPLE_EVERY_MS },
    bounds: SOAK_BOUNDS,
    load: { ...load, perMinute: reports },
    storage: { ...storage, lost: verdict.lost, duplicates: verdict.duplicates },
    rss: { ...rss, series: samples.map((item) => ({ atMs: item.atMs, mb: Math.round((item.bytes / (1024 * 1024)) * 10) / 10 })) },
    shutdown: exit,
    verdict: { ok, problems: verdict.problems },
  };
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  say(`results in ${file}`);
  return ok ? 0 : 1;
}

process.exit(await main());
