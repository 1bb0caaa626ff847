import { parseArgs } from "node:util";

// What `npm run bench` measures and how hard, per mode. Quick fits in three minutes on a 2-core
// machine (a smaller data set, shorter steps, fewer samples); full is the scale. Every loop
// of the bench takes its bounds from here.

export type BenchMode = "quick" | "full";

export interface BenchConfig {
  mode: BenchMode;
  seed: { messages: number; conversations: number; days: number };
  ingest: {
    /** Offered rates, tried in order until a step loses an event or falls behind. */
    rates: number[];
    stepSeconds: number;
    /** The rate whose ack latency is reported against the target. */
    latencyRate: number;
    /** A step falls behind when end-to-end throughput is below this share of the offered rate. */
    keepUp: number;
    /** How long stored messages may trail the last ack before the step counts as losing them. */
    drainTimeoutMs: number;
    /** How long a step (and the push scenario) waits for an earlier step's processing backlog. */
    backlogTimeoutMs: number;
  };
  push: { sockets: number; rate: number; seconds: number };
  inbox: { samples: number; warmup: number };
  analytics: { samples: number; warmup: number; days: number };
  pages: { loads: number };
}

/** Ports of the bench stack: clear of dev (3000-3002), e2e (3100-3102) and the other agents' ranges. */
export const BENCH_PORTS = { app: 3200, realtime: 3201, sandbox: 3202, postgres: 54349, baseline: 3209 } as const;
export const BENCH_DATA_DIR = ".data/bench";
export const RESULTS_DIR = "bench/results";

const CONFIGS: Record<BenchMode, BenchConfig> = {
  quick: {
    mode: "quick",
    seed: { messages: 100_000, conversations: 2_000, days: 120 },
    ingest: {
      rates: [250, 500, 1000, 1500, 2000, 3000],
      stepSeconds: 3,
      latencyRate: 500,
      keepUp: 0.9,
      drainTimeoutMs: 15_000,
      backlogTimeoutMs: 30_000,
    },
    push: { sockets: 200, rate: 200, seconds: 5 },
    inbox: { samples: 60, warmup: 10 },
    analytics: { samples: 30, warmup: 5, days: 90 },
    pages: { loads: 5 },
  },
  full: {
    mode: "full",
    seed: { messages: 1_000_000, conversations: 20_000, days: 120 },
    ingest: {
      rates: [250, 500, 1000, 1500, 2000, 3000, 4000, 5000],
      stepSeconds: 10,
      latencyRate: 500,
      keepUp: 0.9,
      drainTimeoutMs: 30_000,
      backlogTimeoutMs: 120_000,
    },
    push: { sockets: 200, rate: 200, seconds: 15 },
    inbox: { samples: 200, warmup: 20 },
    analytics: { samples: 100, warmup: 10, days: 90 },
    pages: { loads: 15 },
  },
};

export interface BenchArgs {
  config: BenchConfig;
  /** Reuse an existing `.next` even if it may be stale (never rebuild). */
  skipBuild: boolean;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      full: { type: "boolean" },
      "skip-build": { type: "boolean" },
    },
    strict: true,
  });
  if (values.quick && values.full) throw new Error("choose one of --quick and --full");
  return {
    config: CONFIGS[values.quick ? "quick" : "full"],
    skipBuild: Boolean(values["skip-build"]),
  };
}
