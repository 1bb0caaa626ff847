import { processTable, treeRssKb } from "../lib/proc";

// Peak resident memory of the stack's processes during scenarios 1–2: VmRSS of every process in a
// tree, summed, sampled on a timer. The app is `next start`'s tree, the sidecar is its tsx launcher
// and the node process running realtime/main.ts, as `npm start` runs them.

export interface RssPeaks {
  samples: number;
  peakMb: Record<string, number>;
}

/** Samples each named tree every `intervalMs` until stopped; reports the peak of each in MB. */
export function sampleRss(roots: Record<string, number>, intervalMs = 200): { stop(): RssPeaks } {
  const peakKb: Record<string, number> = Object.fromEntries(Object.keys(roots).map((name) => [name, 0]));
  let samples = 0;
  const sample = () => {
    const table = processTable();
    for (const [name, pid] of Object.entries(roots)) peakKb[name] = Math.max(peakKb[name] ?? 0, treeRssKb(pid, table));
    samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        samples,
        peakMb: Object.fromEntries(Object.entries(peakKb).map(([name, kb]) => [name, Math.round((kb / 1024) * 10) / 10])),
      };
    },
  };
}
