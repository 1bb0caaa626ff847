import fs from "node:fs";

// Resident memory of the Next.js server during a soak, read from /proc (Linux) like `ps` does, and
// what it says: the level once warmed up, the level at the end, the growth between them, the peak.

export interface RssSample {
  /** Milliseconds since the load started. */
  atMs: number;
  bytes: number;
}

export interface RssSummary {
  samples: number;
  /** Median of the first quarter after warm-up. */
  startMb: number;
  /** Median of the last quarter. */
  endMb: number;
  growthMb: number;
  /** Highest sample of the whole run, warm-up included. */
  peakMb: number;
}

const MB = 1024 * 1024;

/** VmRSS in bytes from the text of /proc/<pid>/status; null when absent (a zombie, a kernel thread). */
export function parseVmRss(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** The parent pid from the text of /proc/<pid>/stat; the command in parentheses may hold anything. */
export function parseParentPid(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) && ppid >= 0 ? ppid : null;
}

/** Every process below `root` in a pid → parent pid table. */
export function descendantsOf(root: number, parents: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Growth after warm-up: the median of the last quarter of the samples taken after `warmupMs` minus
 * the median of their first quarter (medians, so one garbage collection at the edge does not decide).
 */
export function summarizeRss(samples: RssSample[], warmupMs: number): RssSummary {
  const settled = samples.filter((sample) => sample.atMs >= warmupMs).map((sample) => sample.bytes / MB);
  if (settled.length < 4) throw new Error(`${settled.length} RSS samples after warm-up; at least 4 are needed`);
  const quarter = Math.max(1, Math.floor(settled.length / 4));
  const startMb = median(settled.slice(0, quarter));
  const endMb = median(settled.slice(-quarter));
  return {
    samples: samples.length,
    startMb: round(startMb),
    endMb: round(endMb),
    growthMb: round(endMb - startMb),
    peakMb: round(Math.max(...samples.map((sample) => sample.bytes / MB))),
  };
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function parentTable(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parseParentPid(read(`/proc/${entry}/stat`) ?? "");
    if (ppid !== null) parents.set(Number(entry), ppid);
  }
  return parents;
}

/** The Next.js server below the stack's supervisor (it names itself next-server once it runs). */
export function findNextServer(stackPid: number): number | null {
  for (const pid of descendantsOf(stackPid, parentTable())) {
    const command = (read(`/proc/${pid}/cmdline`) ?? "").replace(/\0/g, " ");
    if (/next-server|next\/dist\/bin\/next start/.test(command)) return pid;
  }
  return null;
}

/** Resident bytes of a process and everything it started; null once it is gone. */
export function treeRss(pid: number): number | null {
  const own = parseVmRss(read(`/proc/${pid}/status`) ?? "");
  if (own === null) return null;
  return descendantsOf(pid, parentTable()).reduce(
    (sum, child) => sum + (parseVmRss(read(`/proc/${child}/status`) ?? "") ?? 0),
    own,
  );
}
