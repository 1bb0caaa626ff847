import { spawn } from "node:child_process";
import path from "node:path";
import { BENCH_PORTS } from "./config";
import { acceptsConnections } from "../../lib/server/probes";

// Starts and stops the bare baseline server (baseline-server.ts) as its own process.

export interface Baseline {
  url: string;
  stop(): Promise<void>;
}

export async function startBaseline(databaseUrl: string, appSecret: string): Promise<Baseline> {
  const port = BENCH_PORTS.baseline;
  if (await acceptsConnections(port)) throw new Error(`port ${port} is taken; the baseline server needs it`);
  const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsx, path.join(import.meta.dirname, "baseline-server.ts")], {
    env: { ...process.env, BASELINE_PORT: String(port), DATABASE_URL: databaseUrl, META_APP_SECRET: appSecret },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const deadline = Date.now() + 30_000;
  while (!(await acceptsConnections(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error("the baseline server did not start");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
