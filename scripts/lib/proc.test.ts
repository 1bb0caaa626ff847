import { describe, expect, it } from "vitest";
import { descendants, parsePpid, parseVmRssKb, treeRssKb } from "./proc";

describe("parseVmRssKb", () => {
  it("reads the resident set from /proc/<pid>/status", () => {
    const status = "Name:\tnode\nVmPeak:\t 1234 kB\nVmRSS:\t  132456 kB\nRssAnon:\t 100 kB\n";
    expect(parseVmRssKb(status)).toBe(132456);
  });

  it("gives null for processes without memory of their own (kernel threads)", () => {
    expect(parseVmRssKb("Name:\tkthreadd\nState:\tS (sleeping)\n")).toBeNull();
  });
});

describe("parsePpid", () => {
  it("finds the parent even when the command name holds spaces and parentheses", () => {
    expect(parsePpid("4632 (next-server (v16.4.6)) S 4512 4632 4632 0 -1")).toBe(4512);
    expect(parsePpid("1 (init) S 0 1 1")).toBe(0);
  });
});

describe("descendants", () => {
  it("collects the whole tree under a root and nothing beside it", () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 11],
      [13, 10],
      [20, 1],
    ]);
    expect(descendants(10, parents).sort()).toEqual([10, 11, 12, 13]);
  });
});

describe("treeRssKb", () => {
  it("counts this very process", () => {
    expect(treeRssKb(process.pid, new Map())).toBeGreaterThan(1000);
  });
});
