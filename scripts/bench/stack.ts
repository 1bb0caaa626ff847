import path from "node:path";
import { loadLocalSecrets, type LocalSecrets } from "../lib/local-secrets";
import { freshStart, startStack as startStackUnderTest, waitForHealth } from "../lib/stack-under-test";
import { BENCH_DATA_DIR, BENCH_PORTS } from "./config";

// The system under test (scripts/lib/stack-under-test.ts) on the bench's own ports and data
// directory, with what the bench needs to drive it: its URLs, database and secrets.

export interface BenchStack {
  appUrl: string;
  realtimeUrl: string;
  sandboxUrl: string;
  databaseUrl: string;
  secrets: LocalSecrets;
  /** The `scripts/start.ts` process: the root of every process of the stack. */
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Starts the stack on an empty data directory (a run never measures the leftovers of another). */
export async function startStack(say: (line: string) => void): Promise<BenchStack> {
  const root = process.cwd();
  const dataDir = path.resolve(root, BENCH_DATA_DIR);
  const ports = {
    app: BENCH_PORTS.app,
    realtime: BENCH_PORTS.realtime,
    sandbox: BENCH_PORTS.sandbox,
    postgres: BENCH_PORTS.postgres,
  };
  await freshStart(dataDir, ports);
  // Generated before the stack starts so the bench shares them: the app secret signs the load's webhooks.
  const secrets = loadLocalSecrets(dataDir);
  const logFile = path.join(dataDir, "stack.log");
  const appUrl = `http://localhost:${ports.app}`;
  const stack = startStackUnderTest(root, {
    dataDir,
    ports,
    logFile,
    env: {
      LOG_LEVEL: "info",
      // One bench user makes thousands of API calls a minute from one address.
      RATE_LIMIT_SCALE: "1000",
      // Access tokens outlive a full run.
      JWT_ACCESS_TTL: "7200",
    },
  });
  const stop = async () => {
    const exit = await stack.stop();
    if (!exit.clean) say(`the stack did not stop cleanly (${exit.signal ?? `exit ${exit.code}`} after ${exit.ms} ms)`);
  };
  try {
    await waitForHealth(appUrl, 120_000, stack);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    appUrl,
    realtimeUrl: `http://localhost:${ports.realtime}`,
    sandboxUrl: `http://127.0.0.1:${ports.sandbox}`,
    databaseUrl: `postgres://postgres:${encodeURIComponent(secrets.POSTGRES_PASSWORD)}@127.0.0.1:${ports.postgres}/chats`,
    secrets,
    pid: stack.pid,
    logFile,
    stop,
  };
}
