import "server-only";
import pg from "pg";
import { databaseUrl } from "@/db/client";
import type { Logger } from "@/lib/logger";
import { schedules, type Schedule } from "@/lib/jobs/schedules";

// In-process crons. With several app instances on the inline driver, only one runs them: the one
// holding a session-level advisory lock on a dedicated connection. If that connection drops, the
// lock goes with it and another instance takes over at its next attempt.

const LEADER_LOCK_KEY = 4_226_010_372;
const ELECTION_EVERY_MS = 60_000;

export interface RunningScheduler {
  stop(): Promise<void>;
}

export function startInlineScheduler(log: Logger, list: Schedule[] = schedules): RunningScheduler {
  let client: pg.Client | undefined;
  let timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const running = new Set<string>();

  function runOnce(schedule: Schedule) {
    if (running.has(schedule.id)) return; // The previous run is still going: skip, never pile up.
    running.add(schedule.id);
    schedule
      .run(log.child({ schedule: schedule.id }))
      .catch((error: unknown) => log.error({ err: error, schedule: schedule.id }, "scheduled task failed"))
      .finally(() => running.delete(schedule.id));
  }

  function lead() {
    for (const schedule of list) {
      timers.push(
        setTimeout(() => {
          runOnce(schedule);
          timers.push(setInterval(() => runOnce(schedule), schedule.everyMs));
        }, schedule.firstRunMs),
      );
    }
  }

  function abdicate() {
    for (const timer of timers) clearTimeout(timer);
    timers = [];
  }

  async function elect() {
    if (stopped || client) return;
    const candidate = new pg.Client({ connectionString: databaseUrl(), application_name: "chats-scheduler" });
    candidate.on("error", (error) => {
      log.warn({ err: error }, "scheduler lost its database connection; stepping down");
      abdicate();
      client = undefined;
    });
    try {
      await candidate.connect();
      const { rows } = await candidate.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [LEADER_LOCK_KEY]);
      if (rows[0]?.locked && !stopped) {
        client = candidate;
        log.info({ schedules: list.map((schedule) => schedule.id) }, "this instance runs the scheduled tasks");
        lead();
        return;
      }
      await candidate.end();
    } catch (error) {
      log.warn({ err: error }, "scheduler election failed; trying again later");
      await candidate.end().catch(() => undefined);
    }
  }

  void elect();
  const election = setInterval(() => void elect(), ELECTION_EVERY_MS);
  return {
    async stop() {
      stopped = true;
      clearInterval(election);
      abdicate();
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
