import "server-only";
import type { JobEvents, JobName } from "@/lib/jobs/events";
import type { Logger } from "@/lib/logger";

// The in-process driver: the same domain functions Inngest would run, dispatched asynchronously in
// this process (in the spirit of ActiveJob's async adapter). Jobs are nudges, not the record: every
// job's work is also found again by a periodic scan of the database, so a restart loses nothing.

export interface JobDefinition<K extends JobName> {
  run: (data: JobEvents[K], log: Logger) => Promise<unknown>;
  /** Jobs with the same key run one at a time (e.g. per platform account: one busy page cannot starve others). */
  concurrencyKey?: (data: JobEvents[K]) => string;
  /** Attempts for errors that say "try again later". */
  attempts?: number;
  isTransient?: (error: unknown) => boolean;
}

export type JobDefinitions = { [K in JobName]?: JobDefinition<K> };

interface Queued {
  name: JobName;
  data: JobEvents[JobName];
  attempt: number;
}

export class InlineJobs {
  private queue: Queued[] = [];
  private running = 0;
  private busyKeys = new Set<string>();
  private timers = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly definitions: JobDefinitions,
    private readonly log: Logger,
    private readonly maxConcurrency = 4,
  ) {}

  send<K extends JobName>(name: K, data: JobEvents[K], delayMs = 0): void {
    if (!this.definitions[name]) {
      this.log.warn({ job: name }, "no handler for job; dropped");
      return;
    }
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.queue.push({ name, data, attempt: 1 });
        this.pump();
      }, delayMs);
      this.timers.add(timer);
      return;
    }
    this.queue.push({ name, data, attempt: 1 });
    setImmediate(() => this.pump());
  }

  private definition(name: JobName): JobDefinition<JobName> | undefined {
    return this.definitions[name] as JobDefinition<JobName> | undefined;
  }

  private pump(): void {
    while (this.running < this.maxConcurrency) {
      const index = this.queue.findIndex((job) => {
        const key = this.definition(job.name)?.concurrencyKey?.(job.data);
        return !key || !this.busyKeys.has(`${job.name}:${key}`);
      });
      if (index < 0) break;
      const [job] = this.queue.splice(index, 1);
      if (job) void this.execute(job);
    }
    if (this.running === 0 && this.queue.length === 0 && this.timers.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async execute(job: Queued): Promise<void> {
    const definition = this.definition(job.name);
    if (!definition) return;
    const key = definition.concurrencyKey?.(job.data);
    const lock = key ? `${job.name}:${key}` : undefined;
    if (lock) this.busyKeys.add(lock);
    this.running += 1;
    const log = this.log.child({ job: job.name, attempt: job.attempt });
    try {
      await definition.run(job.data, log);
    } catch (error) {
      const attempts = definition.attempts ?? 3;
      const transient = definition.isTransient?.(error) ?? true;
      if (transient && job.attempt < attempts) {
        const delay = Math.min(60_000, 1000 * 2 ** job.attempt) * (0.75 + Math.random() / 2);
        log.warn({ err: error, retryInMs: Math.round(delay) }, "job failed; retrying");
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.queue.push({ ...job, attempt: job.attempt + 1 });
          this.pump();
        }, delay);
        this.timers.add(timer);
      } else if (transient) {
        log.error({ err: error }, "job failed");
      } else {
        // A verdict, not a fault (the account was disconnected meanwhile, …): nothing to retry or page about.
        log.warn({ err: error }, "job not retried: its work no longer applies");
      }
    } finally {
      if (lock) this.busyKeys.delete(lock);
      this.running -= 1;
      this.pump();
    }
  }

  /** Resolves once nothing is queued, running or waiting to retry (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue = [];
  }
}
