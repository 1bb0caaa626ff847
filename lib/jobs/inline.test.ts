import { describe, expect, it, vi } from "vitest";
import type { Logger } from "@/lib/logger";
import { InlineJobs } from "./inline";

function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const log = {
    child: () => log,
    info: (_: unknown, msg: string) => lines.push({ level: "info", msg }),
    warn: (_: unknown, msg: string) => lines.push({ level: "warn", msg }),
    error: (_: unknown, msg: string) => lines.push({ level: "error", msg }),
  };
  return { log: log as unknown as Logger, lines };
}

describe("the inline jobs driver", () => {
  it("does not retry a verdict and reports it as a warning, not an error", async () => {
    const { log, lines } = recordingLogger();
    const run = vi.fn(async () => {
      throw new Error("the account is no longer connected");
    });
    const jobs = new InlineJobs({ "contact/profile.requested": { run, isTransient: () => false } }, log);
    jobs.send("contact/profile.requested", { contactId: "c1" });
    await jobs.idle();
    expect(run).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([{ level: "warn", msg: "job not retried: its work no longer applies" }]);
  });

  it("reports a fault as an error once its attempts are spent", async () => {
    const { log, lines } = recordingLogger();
    const run = vi.fn(async () => {
      throw new Error("connection reset");
    });
    const jobs = new InlineJobs({ "contact/profile.requested": { run, attempts: 1 } }, log);
    jobs.send("contact/profile.requested", { contactId: "c1" });
    await jobs.idle();
    expect(run).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([{ level: "error", msg: "job failed" }]);
  });
});
