import fs from "node:fs";

// Processes and their resident memory, read from /proc (Linux) as `ps` does: the bench and the soak
// find the stack's processes and weigh them with these.

/** VmRSS in kB from the text of /proc/<pid>/status; null when absent (a kernel thread, a zombie). */
export function parseVmRssKb(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : null;
}

/** The parent pid from the text of /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parsePpid(stat: string): number | null {
  const end = stat.lastIndexOf(")");
  if (end < 0) return null;
  const fields = stat.slice(end + 2).split(" ");
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/** Every pid whose ancestry reaches `root` (root included), from a pid → parent map. */
export function descendants(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

export function processTable(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    const ppid = stat ? parsePpid(stat) : null;
    if (ppid !== null) parents.set(Number(entry), ppid);
  }
  return parents;
}

export function commandLine(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? "").replace(/\0/g, " ").trim();
}

/** Direct children of `parent` whose command line matches. */
export function findChild(parent: number, matches: (cmdline: string) => boolean, table = processTable()): number | null {
  for (const [pid, ppid] of table) if (ppid === parent && matches(commandLine(pid))) return pid;
  return null;
}

export function treeRssKb(root: number, table = processTable()): number {
  let total = 0;
  for (const pid of descendants(root, table)) {
    const status = read(`/proc/${pid}/status`);
    total += (status && parseVmRssKb(status)) || 0;
  }
  return total;
}
