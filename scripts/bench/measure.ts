import { api } from "./session";
import { summarize, type Summary } from "./stats";

// Sequential timing of API requests: one in flight at a time, so each figure is the server's answer
// time plus loopback, never time spent queueing behind the bench's own requests.

export type Timing = Summary & {
  /** Per request path when few were cycled through (search terms): which kind of query is slow. */
  byPath?: Record<string, Summary>;
};

export async function measureRequests(
  baseUrl: string,
  token: string,
  paths: string[],
  samples: number,
  warmup: number,
): Promise<Timing> {
  if (paths.length === 0) throw new Error("nothing to measure");
  const all: number[] = [];
  const byPath = new Map<string, number[]>();
  for (let i = 0; i < warmup + samples; i++) {
    const path = paths[i % paths.length] as string;
    const started = performance.now();
    await api(baseUrl, path, { token });
    const ms = performance.now() - started;
    if (i < warmup) continue;
    all.push(ms);
    byPath.set(path, [...(byPath.get(path) ?? []), ms]);
  }
  const timing: Timing = summarize(all);
  if (paths.length <= 10) {
    timing.byPath = Object.fromEntries([...byPath].map(([path, values]) => [path, summarize(values)]));
  }
  return timing;
}
